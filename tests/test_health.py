"""/healthz: the database and the outbox at a glance, for monitoring; 503
when the database cannot be reached; nothing confidential."""
import shutil
from datetime import timedelta

from app import create_app
from config import TestingConfig
from models import OutboxEmail, db, utcnow


def queue_email(subject, queued_minutes_ago, sent=False):
    queued = utcnow() - timedelta(minutes=queued_minutes_ago)
    OutboxEmail.create(recipient="jo.chambers@northvale.gov.uk", subject=subject,
                       body_text="Your appraisal record is ready to agree.", created_at=queued,
                       sent_at=queued if sent else None)


def test_healthz_reports_the_database_and_the_emails_waiting_to_go(client):
    queue_email("Please agree the record of 12 March", queued_minutes_ago=10)
    queue_email("Reminder: six-month review", queued_minutes_ago=1)
    queue_email("Sent long ago", queued_minutes_ago=600, sent=True)

    response = client.get("/healthz")

    assert response.status_code == 200
    health = response.get_json()
    assert (health["status"], health["database"], health["outbox"]["pending"]) == ("ok", "ok", 2)
    assert 595 <= health["outbox"]["oldest_pending_age_seconds"] <= 660
    body = response.get_data(as_text=True)
    for confidential in ("jo.chambers", "agree the record", "Your appraisal"):
        assert confidential not in body


def test_an_email_given_up_on_is_not_counted_as_waiting(client):
    queue_email("Refused by the mail server", queued_minutes_ago=2880)
    OutboxEmail.update(gave_up_at=utcnow()).execute()
    assert client.get("/healthz").get_json()["outbox"] == {"pending": 0, "oldest_pending_age_seconds": None}


def test_healthz_with_an_empty_outbox(client):
    assert client.get("/healthz").get_json()["outbox"] == {"pending": 0, "oldest_pending_age_seconds": None}


def test_healthz_answers_503_when_the_database_cannot_be_reached(app, tmp_path):
    folder = tmp_path / "database-disk"
    folder.mkdir()
    unreachable = create_app(TestingConfig, {"DATABASE_URL": f"sqlite:///{folder / 'appraise.sqlite3'}"})
    db.close()
    shutil.rmtree(folder)

    response = unreachable.test_client().get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}
