"""Decisions that arrive at the same moment, from real threads each with
its own database connection (SQLite, or PostgreSQL when DATABASE_URL
names it): exactly one counts."""
import threading

import pytest

from models import Agreement, Attachment, AuditEvent, Meeting, OutboxEmail
from tests.conftest import csrf_token_from

THREADS = 6


def post_at_once(app, paths):
    """Open each path in its own browser, then post every decision at the
    same instant from its own thread. Returns the status codes."""
    browsers = []
    for path in paths:
        client = app.test_client()
        browsers.append((client, path, csrf_token_from(client.get(path))))
    start = threading.Barrier(len(browsers))
    statuses = [None] * len(browsers)

    def decide(index, client, path, token):
        start.wait()
        statuses[index] = client.post(path, data={"decision": "agree", "csrf_token": token}).status_code

    threads = [threading.Thread(target=decide, args=(index, *browser))
               for index, browser in enumerate(browsers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return statuses


@pytest.mark.parametrize("attempt", range(3))
def test_of_several_decisions_on_one_link_at_once_exactly_one_counts(app, scenario, links, attempt):
    path = links[scenario.leader_north]

    statuses = post_at_once(app, [path] * THREADS)

    assert sorted(statuses) == [200] + [409] * (THREADS - 1)
    agreement = Agreement.get(Agreement.party == scenario.leader_north)
    assert agreement.decision == "agreed"
    assert AuditEvent.select().where(AuditEvent.action == "agree").count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_the_last_two_parties_agreeing_at_once_file_the_record_once(
    app, scenario, annual_meeting, links, attempt
):
    post_at_once(app, [links[scenario.jce_user]])

    statuses = post_at_once(app, [links[scenario.leader_north], links[scenario.leader_south]])

    assert statuses == [200, 200]
    assert Meeting.get_by_id(annual_meeting.id).status == "agreed"
    assert Attachment.select().where(Attachment.meeting == annual_meeting).count() == 1
    assert OutboxEmail.select().where(OutboxEmail.subject.startswith("Agreed: ")).count() == 4
