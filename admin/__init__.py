"""The Flask-Admin site: one view per model, grouped the way HR works."""
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from models import (
    Action,
    Agreement,
    Assessment,
    Attachment,
    AuditEvent,
    Council,
    CouncilMeeting,
    Cycle,
    DevelopmentNeed,
    Meeting,
    Objective,
    Officer,
    OutboxEmail,
    Priority,
    Step,
    TimetableStep,
    User,
)
from security import csp_nonce

from .attachments import AttachmentView
from .council_report import CouncilReportView
from .cycle import CouncilMeetingView, CycleView, StepView, TimetableStepView
from .dashboard import DashboardView
from .meeting import ActionView, MeetingView
from .objective import AssessmentView, DevelopmentNeedView, ObjectiveView
from .people import CouncilView, OfficerView, PriorityView, UserView
from .records import AgreementView, AuditEventView, OutboxEmailView

VIEWS = (
    (OfficerView, Officer, "Officers", None),
    (CycleView, Cycle, "Cycles", "Appraisal"),
    (ObjectiveView, Objective, "Objectives", "Appraisal"),
    (AssessmentView, Assessment, "Assessments", "Appraisal"),
    (MeetingView, Meeting, "Meetings", "Appraisal"),
    (ActionView, Action, "Actions", "Appraisal"),
    (DevelopmentNeedView, DevelopmentNeed, "Development needs", "Appraisal"),
    (StepView, Step, "Timetable steps due", "Appraisal"),
    (AttachmentView, Attachment, "Attachments", "Records"),
    (AgreementView, Agreement, "Agreements", "Records"),
    (OutboxEmailView, OutboxEmail, "Email outbox", "Records"),
    (AuditEventView, AuditEvent, "Audit log", "Records"),
    (UserView, User, "Users", "Settings"),
    (CouncilView, Council, "Councils", "Settings"),
    (PriorityView, Priority, "Priorities", "Settings"),
    (TimetableStepView, TimetableStep, "Timetable", "Settings"),
    (CouncilMeetingView, CouncilMeeting, "Council meetings", "Settings"),
)


def init_admin(app):
    admin = Admin(
        app,
        name="Appraise",
        index_view=DashboardView(name="Dashboard", url="/admin"),
        theme=Bootstrap4Theme(base_template="admin/appraise_base.html", fluid=True),
        csp_nonce_generator=csp_nonce,
    )
    for view_class, model, name, category in VIEWS:
        admin.add_view(view_class(model, name=name, category=category))
    admin.add_view(CouncilReportView(name="Report to Council", category="Appraisal",
                                     endpoint="council_report", url="council-report"))
    return admin
