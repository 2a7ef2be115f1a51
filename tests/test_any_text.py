"""Properties, over arbitrary Unicode up to each field's limit: every
document renders whatever text reaches it (the formal record of a meeting
and of a year's objectives, the Leader's report to Council as PDF and as
Word), including text stored before the input rules; and the forms either
refuse a text with a message by the field, changing nothing, or store it,
and then every document made from it renders."""
from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from admin.base import MAX_TEXT_LENGTH
from models import Council, Meeting, Objective, Officer, Priority, User
from services.agreement import formal_record
from services.agreement.records import MeetingRecord, ObjectivesRecord
from services.year import council_report
from tests.conftest import sign_in
from tests.test_bad_input import errors_next_to, table_snapshot

# Reproducible, and quick enough for CI: a fixed seed, no deadline (a
# shared CI machine is slow now and then), a modest number of examples.
settings.register_profile("appraise", derandomize=True, deadline=None, max_examples=10,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile("appraise")

# What each key of a document's content may hold at most: the model's
# max_length, or the admin's cap on multi-line text.
LIMITS = {
    "officer": User.name.max_length,
    "name": User.name.max_length,
    "attendees": User.name.max_length,
    "owner": User.name.max_length,
    "post": Officer.post_title.max_length,
    "councils": Council.name.max_length,
    "council": Council.name.max_length,
    "location": Meeting.location.max_length,
    "title": Objective.title.max_length,
    "priority": Priority.reference.max_length + 1 + Priority.title.max_length,
    "description": MAX_TEXT_LENGTH,
    "measure": MAX_TEXT_LENGTH,
    "headings": MAX_TEXT_LENGTH,
}

# Every code point, lone surrogates too (a command's argument can carry them).
ANY_CHARACTER = st.one_of(st.characters(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF))


def any_text(limit, alphabet=ANY_CHARACTER):
    """Short text of any characters, or a piece of it repeated up to `limit`."""
    short = st.text(alphabet, max_size=min(limit, 60))
    repeated = st.tuples(st.text(alphabet, min_size=1, max_size=20), st.integers(1, limit)).map(
        lambda drawn: (drawn[0] * (drawn[1] // len(drawn[0]) + 1))[:drawn[1]])
    return st.one_of(short, short, repeated)


def redrawn(draw, content, limit=None):
    """`content` with each text a person could have typed drawn afresh."""
    if isinstance(content, dict):
        return {key: redrawn(draw, value, LIMITS.get(key)) for key, value in content.items()}
    if isinstance(content, list) and limit == MAX_TEXT_LENGTH:  # the headings: [label, text]
        return [[label, draw(any_text(limit))] for label, _text in content]
    if isinstance(content, list):
        return [redrawn(draw, item, limit) for item in content]
    if isinstance(content, str) and limit:
        return draw(any_text(limit))
    return content


def parties(draw):
    return [SimpleNamespace(party=SimpleNamespace(name=draw(any_text(User.name.max_length))),
                            party_id=n, decision="agreed", decided_at=None) for n in range(3)]


@pytest.mark.parametrize("record", ["meeting", "objectives"])
@settings(max_examples=6)  # a dozen texts up to 20,000 characters each: slow to print
@given(data=st.data())
def test_the_formal_record_renders_any_text(scenario, annual_meeting, record, data):
    agreed = MeetingRecord(annual_meeting) if record == "meeting" else ObjectivesRecord(scenario.jce_cycle)
    content = redrawn(data.draw, agreed.content())

    pdf = formal_record.render_pdf(content, parties(data.draw), {}, date(2026, 3, 31), "0" * 64)

    assert pdf.startswith(b"%PDF")


@pytest.mark.parametrize("kind", council_report.RENDERERS)
@given(data=st.data())
def test_the_report_to_council_renders_any_text(scenario, kind, data):
    content = council_report.report_content(scenario.north, 2026)

    document = council_report.RENDERERS[kind](redrawn(data.draw, content), date(2026, 4, 1))

    assert document.startswith(b"%PDF" if kind == "pdf" else b"PK")


# What a browser can send: any character but a lone surrogate, which UTF-8 cannot carry.
TYPED = st.characters(exclude_categories=["Cs"])


@pytest.fixture
def hr_token(client, scenario):
    """Signed in once for all the examples of a test."""
    return sign_in(client, scenario.hr)


@given(title=any_text(Objective.title.max_length, TYPED), description=any_text(MAX_TEXT_LENGTH, TYPED),
       measure=any_text(MAX_TEXT_LENGTH, TYPED))
def test_an_objective_is_refused_with_a_message_or_stored_and_every_document_renders(
        client, scenario, hr_token, title, description, measure):
    before = table_snapshot(Objective)

    response = client.post("/admin/objective/new/", data={
        "csrf_token": hr_token, "cycle": scenario.jce_cycle.id, "category": "personal", "status": "agreed",
        "published": "y", "title": title, "description": description, "measure": measure})

    if response.status_code == 200:
        event("refused")
        page = response.get_data(as_text=True)
        assert any(errors_next_to(page, field) for field in ("title", "description", "measure"))
        assert table_snapshot(Objective) == before
        return
    assert response.status_code == 302
    event("stored")
    content = ObjectivesRecord(scenario.jce_cycle).content()
    assert formal_record.render_pdf(content, [], {}, date(2026, 3, 31), "0" * 64).startswith(b"%PDF")
    for render in council_report.RENDERERS.values():
        assert render(council_report.report_content(scenario.north, 2026), date(2026, 4, 1))
