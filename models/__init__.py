"""The domain model: one module per aggregate."""

from .agreement import Agreement
from .assessment import Assessment
from .attachment import Attachment
from .audit import AuditEvent
from .base import BaseModel, db, utcnow
from .council import Council, CouncilMeeting, CouncilReport, Priority
from .cycle import Cycle, Step, TimetableStep
from .development import DevelopmentNeed
from .meeting import Action, CalendarInvitation, Meeting, MeetingAttendee
from .objective import Objective
from .officer import Officer, OfficerAppraiser, OfficerCouncil
from .outbox import OutboxEmail
from .user import User

# Dependency order: parents before children.
ALL_MODELS = [
    Council,
    Priority,
    CouncilMeeting,
    User,
    Officer,
    OfficerCouncil,
    OfficerAppraiser,
    TimetableStep,
    Cycle,
    Step,
    Objective,
    Meeting,
    MeetingAttendee,
    Action,
    Assessment,
    DevelopmentNeed,
    Attachment,
    Agreement,
    CouncilReport,
    CalendarInvitation,
    OutboxEmail,
    AuditEvent,
]

__all__ = [model.__name__ for model in ALL_MODELS] + ["ALL_MODELS", "BaseModel", "db", "utcnow"]
