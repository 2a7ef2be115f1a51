"""A synthetic council at scale, written with bulk inserts: per officer a
user, a line manager, one or two councils, a cycle for this year with its
timetable steps, 10 objectives, 5 meetings and 10 assessments. One HR user
and one appraiser (a Leader) who appraises the first ten officers, so that
the appraiser's pages are row-filtered; one of those officers' meetings is
out for agreement with a link whose token is known."""
from datetime import date, timedelta

from peewee import PostgresqlDatabase, SqliteDatabase, chunked

from models import (
    ALL_MODELS,
    Agreement,
    Assessment,
    Council,
    Cycle,
    Meeting,
    Objective,
    Officer,
    OfficerAppraiser,
    OfficerCouncil,
    Priority,
    Step,
    TimetableStep,
    User,
    db,
    utcnow,
)
from services import clock, schema
from services.agreement.links import token_hash
from services.agreement.records import MeetingRecord
from services.people.accounts import create_user
from services.year.timetable import ensure_default_timetable

PASSWORD = "bench password not secret"
HR_EMAIL = "hr@bench.example"
APPRAISER_EMAIL = "leader@bench.example"
CONFIRM_TOKEN = "bench-token-" + "x" * 31
APPRAISED_BY_BENCH_APPRAISER = 10
OBJECTIVES_PER_CYCLE, MEETINGS_PER_CYCLE, ASSESSMENTS_PER_CYCLE = 10, 5, 10
SEARCH_WORD = "housing"
CHUNK = 400

FIRST = ("Alex", "Sam", "Jo", "Chris", "Priya", "Olu", "Mei", "Tom", "Rhian", "Aled", "Fatima", "Dan")
LAST = ("Morgan", "Evans", "Adeyemi", "Patel", "Chambers", "Reed", "Hughes", "Khan", "Price", "Webb")
POSTS = ("Director of Place", "Director of Resources", "Head of Legal", "Head of Housing",
         "Director of People", "Head of Planning")
TOPICS = ("market hall", "shared workforce", SEARCH_WORD, "leisure centre", "local plan",
          "digital services", "climate action", "budget", "waste collection", "regeneration",
          "customer service", "procurement", "community safety", "town centre", "tourism",
          "youth services", "libraries", "parking", "health and care", "skills")
CATEGORIES = ("corporate", "corporate", "corporate", "collaboration", "personal")
OBJECTIVE_STATUSES = ("draft", "agreed", "agreed", "achieved", "withdrawn")
MEETING_KINDS = ("annual agreement", "six-month review", "informal review", "informal review", "soundings")
MEETING_STATUSES = ("agreed", "agreed", "draft", "changes requested", "agreed")
RATINGS = ("achieved", "on track", "partly met", "not met", "no longer relevant")


def rebuild_schema():
    """Drop whatever is there and build the schema by the migrations."""
    database = db.obj
    db.drop_tables(ALL_MODELS, safe=True, cascade=not isinstance(database, SqliteDatabase))
    db.execute_sql("DROP TABLE IF EXISTS migratehistory")
    schema.upgrade()


def insert(model, rows):
    for batch in chunked(rows, CHUNK):
        model.insert_many(batch).execute()


def name_of(number):
    return f"{FIRST[number % len(FIRST)]} {LAST[(number // len(FIRST)) % len(LAST)]} {number}"


def seed(officers):
    """Seed `officers` officers and their records. Returns what the
    benchmark needs to know: ids, the confirm token, row counts."""
    rebuild_schema()
    today = clock.today()
    year = today.year
    now = utcnow()
    with db.atomic():
        ensure_default_timetable()
        hr = create_user(HR_EMAIL, "Bench HR", "hr", PASSWORD)
        appraiser = create_user(APPRAISER_EMAIL, "Cllr Bench Leader", "staff", PASSWORD)
        north = Council.create(name="North Vale District Council", short_name="NVDC")
        south = Council.create(name="South Downs Borough Council", short_name="SDBC")
        councils = (north.id, south.id)
        priorities = [Priority.create(council=council, reference=f"P{n}", title=f"Priority {n}").id
                      for n, council in enumerate((north, south, None, north, south, None))]
        steps = list(TimetableStep.select().order_by(TimetableStep.number))

        user_base = appraiser.id
        insert(User, ({"id": user_base + n, "name": name_of(n), "email": f"officer{n}@bench.example",
                       "password_hash": "!", "role": "staff", "active": True, "created_at": now}
                      for n in range(1, officers + 1)))
        insert(Officer, ({"id": n, "user": user_base + n, "post_title": POSTS[n % len(POSTS)],
                          "statutory_role": "none", "active": True} for n in range(1, officers + 1)))
        insert(OfficerCouncil, ({"officer": n, "council": councils[n % 2]} for n in range(1, officers + 1)))

        def line_manager(n):
            if n <= APPRAISED_BY_BENCH_APPRAISER:
                return appraiser.id
            return user_base + (n // 10 if n // 10 > APPRAISED_BY_BENCH_APPRAISER else 1)

        insert(OfficerAppraiser, ({"officer": n, "user": line_manager(n), "capacity": "line manager"}
                                  for n in range(1, officers + 1)))
        insert(Cycle, ({"id": n, "officer": n, "year": year, "period_start": date(year, 1, 1),
                        "period_end": date(year, 12, 31), "status": "open"}
                       for n in range(1, officers + 1)))
        insert(Step, ({"cycle": n, "timetable_step": step.id,
                       "owner": user_base + n if step.owner == "officer" else line_manager(n),
                       "due_date": date(year, min(12, step.number * 2), 28),
                       "done_on": date(year, step.number * 2 - 1, 20) if step.number * 2 < today.month
                       else None}
                      for n in range(1, officers + 1) for step in steps))
        insert(Objective, (_objective(n, k, year, councils, priorities, now)
                           for n in range(1, officers + 1) for k in range(OBJECTIVES_PER_CYCLE)))
        insert(Meeting, (_meeting(n, k, year, now)
                         for n in range(1, officers + 1) for k in range(MEETINGS_PER_CYCLE)))
        insert(Assessment, (_assessment(n, k, now)
                            for n in range(1, officers + 1) for k in range(ASSESSMENTS_PER_CYCLE)))
        meeting = Meeting.get_by_id(1)
        meeting.status = "awaiting agreement"
        meeting.save()
        version = MeetingRecord(Meeting.get_by_id(1)).version()
        Agreement.insert(cycle=meeting.cycle_id, meeting=meeting.id, party=appraiser.id,
                         content_hash=version.hash, token_hash=token_hash(CONFIRM_TOKEN),
                         requested_by=hr.id, sent_at=now, expires_at=now + timedelta(days=365)).execute()
    _reset_sequences()
    return {
        "hr_id": hr.id, "appraiser_id": appraiser.id, "officer_id": 1, "token": CONFIRM_TOKEN,
        "year": year, "officers": officers,
        "objectives": officers * OBJECTIVES_PER_CYCLE, "meetings": officers * MEETINGS_PER_CYCLE,
        "assessments": officers * ASSESSMENTS_PER_CYCLE,
    }


def _objective(n, k, year, councils, priorities, now):
    number = (n - 1) * OBJECTIVES_PER_CYCLE + k + 1
    category = CATEGORIES[number % len(CATEGORIES)]
    topic = TOPICS[number % len(TOPICS)]
    status = OBJECTIVE_STATUSES[(number // 3) % len(OBJECTIVE_STATUSES)]
    return {
        "id": number, "cycle": n, "category": category,
        "council": councils[number % 2] if category == "corporate" else None,
        "priority": priorities[number % len(priorities)],
        "title": f"Deliver the {topic} plan, stage {k + 1}",
        "description": f"Work with partners on the {topic} programme for {year}.",
        "measure": "Reported to Cabinet quarterly", "target_date": date(year, 1 + number % 12, 15),
        "status": status, "published": status in ("agreed", "achieved") and number % 2 == 0,
        "created_at": now - timedelta(minutes=number), "updated_at": now,
    }


def _meeting(n, k, year, now):
    number = (n - 1) * MEETINGS_PER_CYCLE + k + 1
    topic = TOPICS[number % len(TOPICS)]
    return {
        "id": number, "cycle": n, "kind": MEETING_KINDS[k], "held_on": date(year, 1 + (k * 2 + n) % 12, 10),
        "location": f"Committee Room {1 + number % 4}",
        "role_of_officer": "Leads the council's senior management team.",
        "achievements": f"Progress on the {topic} programme.", "improvements": "Earlier reports.",
        "key_issues": "The budget gap.", "development_needs": "Leadership course.",
        "outcomes": f"Objectives reviewed; {topic} to be reported in the spring.",
        "status": MEETING_STATUSES[k] if number > 1 else "draft", "version": 1,
        "created_at": now - timedelta(minutes=number), "updated_at": now,
    }


def _assessment(n, k, now):
    number = (n - 1) * ASSESSMENTS_PER_CYCLE + k + 1
    return {
        "id": number, "objective": (n - 1) * OBJECTIVES_PER_CYCLE + k % OBJECTIVES_PER_CYCLE + 1,
        "meeting": (n - 1) * MEETINGS_PER_CYCLE + k % MEETINGS_PER_CYCLE + 1,
        "rating": RATINGS[number % len(RATINGS)],
        "evidence": f"Evidence {number}: {TOPICS[number % len(TOPICS)]} report to Cabinet.",
        "reasons": "", "created_at": now - timedelta(minutes=number),
    }


def _reset_sequences():
    """Rows were inserted with their ids: let PostgreSQL's sequences catch up."""
    if not isinstance(db.obj, PostgresqlDatabase):
        return
    for model in ALL_MODELS:
        table = model._meta.table_name
        db.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                       f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)")
