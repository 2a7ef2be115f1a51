"""Who sees what, decided by the policy and asked through the access
object, without HTTP: every kind of user × every kind of record × every
action, as DESIGN.md's "Who sees what" says it.

Each column is one user looking at one officer's records: HR, a Leader
and an inactive Deputy Leader at the Joint Chief Executive's (appraised by
both Leaders), a councillor and someone signed out at the same; the line
manager (the JCE), the officer themself and another officer at a
director's.

Letters: R the record is among the rows the user is shown, V view, C
create it as it stands, E edit, D delete, X export its kind. A letter that
is absent means no."""
from datetime import date, datetime, time
from types import SimpleNamespace

import pytest
from flask_login import AnonymousUserMixin

from models import (
    Action,
    Agreement,
    Assessment,
    Attachment,
    AuditEvent,
    CouncilMeeting,
    DevelopmentNeed,
    Meeting,
    MeetingAttendee,
    Objective,
    OutboxEmail,
    Step,
    TimetableStep,
    User,
)
from services.access import Access, policy
from services.year.timetable import create_cycle

COLUMNS = ("hr", "leader", "inactive", "councillor", "signed out", "line manager", "self", "other staff")

#                                hr        leader   inactive cllr  signed out  line mgr  self    other
WHO_SEES_WHAT = {
    "officer":                 ("RVCEDX", "RV",    "",      "",   "",         "RV",     "RV",   ""),
    "cycle":                   ("RVCEDX", "RV",    "",      "",   "",         "RV",     "RV",   ""),
    "step":                    ("RVEDX",  "RVE",   "",      "",   "",         "RVE",    "RV",   ""),
    "objective, draft":        ("RVCEDX", "RVCED", "",      "",   "",         "RVCED",  "RVCED", ""),
    "objective, agreed and published":
                               ("RVCEDX", "RVCED", "",      "RV", "",         "RVCED",  "RV",   ""),
    "objective, achieved and published":
                               ("RVCEDX", "RVCED", "",      "RV", "",         "RVCED",  "RV",   ""),
    "objective, agreed, not published":
                               ("RVCEDX", "RVCED", "",      "",   "",         "RVCED",  "RV",   ""),
    "objective, draft but marked published":
                               ("RVCEDX", "RVCED", "",      "",   "",         "RVCED",  "RVCED", ""),
    "objective out for agreement":
                               ("RVCX",   "RVC",   "",      "",   "",         "RVC",    "RVC",  ""),
    "assessment":              ("RVCEDX", "RVCED", "",      "",   "",         "RVCED",  "RV",   ""),
    "meeting, draft":          ("RVCEDX", "RVCED", "",      "",   "",         "RVCED",  "RV",   ""),
    "meeting, agreed":         ("RVCX",   "RVC",   "",      "",   "",         "RVC",    "RV",   ""),
    "attendee":                ("RVCEDX", "RVCED", "",      "",   "",         "RVCED",  "RV",   ""),
    "action, draft meeting":   ("RVCEDX", "RVCED", "",      "",   "",         "RVCED",  "RV",   ""),
    "action, agreed meeting":  ("RVCX",   "RVC",   "",      "",   "",         "RVC",    "RV",   ""),
    "development need":        ("RVCEDX", "RVCED", "",      "",   "",         "RVCED",  "RV",   ""),
    "attachment":              ("RVCEDX", "RVC",   "",      "",   "",         "RVC",    "RV",   ""),
    "agreement":               ("RVX",    "RV",    "",      "",   "",         "RV",     "RV",   ""),
    "outbox email":            ("RVDX",   "",      "",      "",   "",         "",       "",     ""),
    "audit event":             ("RVX",    "",      "",      "",   "",         "",       "",     ""),
    "the officer's account":   ("RVCEDX", "R",     "",      "",   "",         "R",      "R",    ""),
    "council":                 ("RVCEDX", "",      "",      "",   "",         "",       "",     ""),
    "priority":                ("RVCEDX", "",      "",      "",   "",         "",       "",     ""),
    "timetable step":          ("RVCEDX", "",      "",      "",   "",         "",       "",     ""),
    "council meeting":         ("RVCEDX", "",      "",      "",   "",         "",       "",     ""),
}

# What each user is offered beyond the table (named abilities), at the
# records of the officer of their column.
#                                hr   leader inactive cllr signed out line mgr self other
ABILITIES = {
    "send the draft meeting for agreement":
                               (1,   1,     0,       0,   0,         1,       0,   0),
    "cancel the draft meeting (it has a time)":
                               (1,   1,     0,       0,   0,         1,       0,   0),
    "cancel the draft meeting with no time (no invitations out)":
                               (0,   0,     0,       0,   0,         0,       0,   0),
    "cancel the meeting cancelled already":
                               (0,   0,     0,       0,   0,         0,       0,   0),
    "send the meeting awaiting agreement again":
                               (0,   0,     0,       0,   0,         0,       0,   0),
    "take back the meeting awaiting agreement":
                               (1,   1,     0,       0,   0,         1,       0,   0),
    "take back the draft meeting, not out for agreement":
                               (0,   0,     0,       0,   0,         0,       0,   0),
    "correct the agreed meeting":
                               (1,   1,     0,       0,   0,         1,       0,   0),
    "correct the draft meeting":
                               (0,   0,     0,       0,   0,         0,       0,   0),
    "send the year's objectives for agreement":
                               (1,   1,     0,       0,   0,         1,       1,   0),
    "take back the objectives out for agreement":
                               (1,   1,     0,       0,   0,         1,       1,   0),
    "send the objectives out for agreement again":
                               (0,   0,     0,       0,   0,         0,       0,   0),
    "take back the year's objectives, not out for agreement":
                               (0,   0,     0,       0,   0,         0,       0,   0),
    "mark the step done":      (1,   1,     0,       0,   0,         1,       0,   0),
    "mark the step done again":
                               (0,   0,     0,       0,   0,         0,       0,   0),
    "upload to the personal file":
                               (1,   1,     0,       0,   0,         1,       0,   0),
    "start a year":            (1,   0,     0,       0,   0,         0,       0,   0),
    "see the outbox":          (1,   0,     0,       0,   0,         0,       0,   0),
    "send emails again":       (1,   0,     0,       0,   0,         0,       0,   0),
    "report to Council":       (1,   1,     0,       0,   0,         0,       0,   0),
    "report to North Vale Council":
                               (1,   1,     0,       0,   0,         0,       0,   0),
    "report to South Downs Council":
                               (1,   0,     0,       0,   0,         0,       0,   0),
    "see published objectives only":
                               (0,   0,     0,       1,   0,         0,       0,   0),
}

ACTIONS = {"V": policy.VIEW, "C": policy.CREATE, "E": policy.EDIT, "D": policy.DELETE}


def records_of(scenario, officer, cycle, council_meets_on):
    """One record of every kind on this officer's file."""
    later = create_cycle(officer, 2025)
    Agreement.create(cycle=later, party=officer.user, content_hash="1" * 64,
                     token_hash=f"objectives {officer.id}".ljust(64, "0"), expires_at=datetime(2026, 12, 31))
    draft = Meeting.create(cycle=cycle, kind="informal review", held_on=date(2026, 6, 1),
                           start_time=time(10, 0))
    agreed = Meeting.create(cycle=cycle, kind="informal review", held_on=date(2026, 3, 1), status="agreed")
    awaiting = Meeting.create(cycle=cycle, kind="informal review", held_on=date(2026, 4, 1),
                              status="awaiting agreement")
    untimed = Meeting.create(cycle=cycle, kind="informal review", held_on=date(2026, 7, 1))
    cancelled = Meeting.create(cycle=cycle, kind="informal review", held_on=date(2026, 5, 1),
                               start_time=time(9, 0), status="cancelled")
    done_step = Step.get(Step.cycle == later)
    done_step.done_on = date(2026, 1, 5)
    done_step.save()
    published = Objective.create(cycle=cycle, category="personal", title="Published", status="agreed",
                                 published=True)
    return SimpleNamespace(
        cycle=cycle, later_cycle=later, draft_meeting=draft, awaiting_meeting=awaiting, agreed_meeting=agreed,
        untimed_meeting=untimed, cancelled_meeting=cancelled, done_step=done_step,
        table={
            "officer": officer,
            "cycle": cycle,
            "step": Step.get(Step.cycle == cycle),
            "objective, draft": Objective.create(cycle=cycle, category="personal", title="Draft"),
            "objective, agreed and published": published,
            "objective, achieved and published": Objective.create(cycle=cycle, category="personal",
                                                                  title="Achieved", status="achieved",
                                                                  published=True),
            "objective, agreed, not published": Objective.create(cycle=cycle, category="personal",
                                                                 title="Agreed", status="agreed"),
            "objective, draft but marked published": Objective.create(cycle=cycle, category="personal",
                                                                      title="Early", published=True),
            "objective out for agreement": Objective.create(cycle=later, category="personal", title="Sent"),
            "assessment": Assessment.create(objective=published, rating="on track"),
            "meeting, draft": draft,
            "meeting, agreed": agreed,
            "attendee": MeetingAttendee.create(meeting=draft, user=officer.user),
            "action, draft meeting": Action.create(meeting=draft, description="Follow up"),
            "action, agreed meeting": Action.create(meeting=agreed, description="Agreed follow up"),
            "development need": DevelopmentNeed.create(cycle=cycle, need="Coaching"),
            "attachment": Attachment.create(officer=officer, original_name="file.pdf",
                                            stored_name=f"s{officer.id}", content_type="application/pdf",
                                            size=10, sha256="0" * 64),
            "agreement": Agreement.create(cycle=cycle, meeting=awaiting, party=officer.user,
                                          content_hash="1" * 64, expires_at=datetime(2026, 12, 31),
                                          token_hash=f"meeting {officer.id}".ljust(64, "0")),
            "outbox email": OutboxEmail.create(recipient="x@northvale.gov.uk", subject="Hi", body_text="Hi"),
            "audit event": AuditEvent.create(action="login", actor="Someone"),
            "the officer's account": officer.user,
            "council": scenario.north,
            "priority": scenario.priority_north,
            "timetable step": TimetableStep.get(TimetableStep.number == 1),
            "council meeting": CouncilMeeting.create(council=scenario.north,
                                                     meets_on=council_meets_on),
        },
    )


@pytest.fixture
def world(scenario):
    scenario.deputy_north.active = False
    scenario.deputy_north.save()
    jce = records_of(scenario, scenario.jce, scenario.jce_cycle, date(2026, 5, 1))
    director = records_of(scenario, scenario.director, scenario.director_cycle, date(2026, 6, 1))
    scenario.columns = {
        "hr": (scenario.hr, jce), "leader": (scenario.leader_north, jce),
        "inactive": (scenario.deputy_north, jce), "councillor": (scenario.councillor, jce),
        "signed out": (AnonymousUserMixin(), jce), "line manager": (scenario.jce_user, director),
        "self": (scenario.director_user, director), "other staff": (scenario.other_director_user, director),
    }
    return scenario


def letters(rights, record):
    model = type(record)
    shown = rights.rows(model, model.select().where(model.id == record.id)).exists()
    return ("R" if shown else "") + "".join(
        letter for letter, action in ACTIONS.items() if rights.can(action, record)
    ) + ("X" if rights.may(policy.EXPORT, model) else "")


def abilities(rights, records, scenario):
    return {
        "send the draft meeting for agreement": rights.may_send_for_agreement(records.draft_meeting),
        "cancel the draft meeting (it has a time)": rights.may_cancel_meeting(records.draft_meeting),
        "cancel the draft meeting with no time (no invitations out)":
            rights.may_cancel_meeting(records.untimed_meeting),
        "cancel the meeting cancelled already": rights.may_cancel_meeting(records.cancelled_meeting),
        "send the meeting awaiting agreement again": rights.may_send_for_agreement(records.awaiting_meeting),
        "take back the meeting awaiting agreement":
            rights.may_withdraw_from_agreement(records.awaiting_meeting),
        "take back the draft meeting, not out for agreement":
            rights.may_withdraw_from_agreement(records.draft_meeting),
        "correct the agreed meeting": rights.may_correct(records.agreed_meeting),
        "correct the draft meeting": rights.may_correct(records.draft_meeting),
        "send the year's objectives for agreement": rights.may_send_for_agreement(records.cycle),
        "take back the objectives out for agreement": rights.may_withdraw_from_agreement(records.later_cycle),
        "send the objectives out for agreement again": rights.may_send_for_agreement(records.later_cycle),
        "take back the year's objectives, not out for agreement":
            rights.may_withdraw_from_agreement(records.cycle),
        "mark the step done": rights.may_mark_done(records.table["step"]),
        "mark the step done again": rights.may_mark_done(records.done_step),
        "upload to the personal file": rights.may_upload_to(records.table["officer"]),
        "start a year": rights.may_start_year(),
        "see the outbox": rights.may_see_outbox(),
        "send emails again": rights.may_send_again(),
        "report to Council": rights.may_report_to_council(),
        "report to North Vale Council": rights.may_report_to_council(scenario.north),
        "report to South Downs Council": rights.may_report_to_council(scenario.south),
        "see published objectives only": rights.sees_published_objectives_only(),
    }


def test_every_cell_of_the_tables_is_written_down():
    for table in (WHO_SEES_WHAT, ABILITIES):
        for row in table.values():
            assert len(row) == len(COLUMNS)


@pytest.mark.parametrize("column", COLUMNS)
def test_who_sees_what(world, column):
    user, records = world.columns[column]
    rights = Access(user)
    seen = {kind: letters(rights, record) for kind, record in records.table.items()}
    assert seen == {kind: row[COLUMNS.index(column)] for kind, row in WHO_SEES_WHAT.items()}


@pytest.mark.parametrize("column", COLUMNS)
def test_what_each_user_is_offered(world, column):
    user, records = world.columns[column]
    offered = abilities(Access(user), records, world)
    assert offered == {name: bool(row[COLUMNS.index(column)]) for name, row in ABILITIES.items()}


def test_a_right_given_to_appraisers_only_hides_those_records_from_the_officer(scenario, monkeypatch):
    monkeypatch.setitem(policy.STAFF_RIGHTS, Objective, {policy.APPRAISER: policy.ALL})
    directors_goal = Objective.create(cycle=scenario.director_cycle, category="personal", title="Lead")
    line_manager = Access(scenario.jce_user)  # appraises the director, and is appraised themself
    assert set(line_manager.rows(Objective, Objective.select())) == {directors_goal}
    assert line_manager.may(policy.VIEW, Objective)
    assert not line_manager.can(policy.VIEW, scenario.draft_objective)
    director = Access(scenario.director_user)
    assert not director.rows(Objective, Objective.select()).exists()
    assert not director.may(policy.VIEW, Objective)


def test_an_officer_cannot_make_their_agreed_objective_a_draft_again(scenario):
    officer = Access(scenario.jce_user)
    agreed = scenario.agreed_objective
    agreed.status = "draft"  # as the edit form would send it back
    assert not officer.can(policy.EDIT, agreed)
    assert officer.can(policy.EDIT, scenario.draft_objective)


def test_an_officers_draft_deleted_meanwhile_is_judged_as_the_draft_it_was(scenario):
    draft = scenario.draft_objective
    Objective.delete_by_id(draft.id)
    assert Access(scenario.jce_user).can(policy.EDIT, draft)


def test_only_objectives_keep_an_officer_to_drafts(scenario, monkeypatch):
    monkeypatch.setitem(policy.STAFF_RIGHTS, DevelopmentNeed,
                        {policy.APPRAISER: policy.ALL, policy.SELF: policy.ALL})
    planned = DevelopmentNeed.create(cycle=scenario.jce_cycle, need="Coaching")  # status: planned
    assert Access(scenario.jce_user).can(policy.EDIT, planned)


def test_a_councillor_is_offered_no_people_not_even_themself(scenario):
    assert not Access(scenario.councillor).rows(User, User.select()).exists()


def test_without_a_request_nobody_is_signed_in(scenario):
    nobody = Access(None)  # what access() gives a command run outside a request
    assert not nobody.signed_in()
    assert not nobody.may(policy.VIEW, Objective)
    assert not nobody.rows(Objective, Objective.select()).exists()
    assert not nobody.may_report_to_council()


def test_a_deputy_leader_supports_the_leader_but_does_not_report_to_council(scenario):
    deputy = Access(scenario.deputy_north)
    assert deputy.signed_in()
    assert not deputy.may_report_to_council()
    assert not deputy.may_report_to_council(scenario.north)
