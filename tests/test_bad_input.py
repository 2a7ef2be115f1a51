"""Bad input in any admin form gets a clear message next to the field and
changes nothing in the database."""
import re

import pytest

from models import Action, Council, Cycle, Meeting, Objective, TimetableStep, User
from tests.conftest import sign_in

FIELD_ERRORS = re.compile(r'<div class="invalid-feedback">(.*?)</div>', re.S)


def errors_next_to(html, field):
    """The messages shown in the feedback block of one form field."""
    start = html.find(f'id="{field}"')
    assert start != -1, f"no field {field} on the page"
    end = html.find('class="form-group', start)
    block = html[start:end if end != -1 else len(html)]
    return " ".join(
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found)).strip()
        for found in FIELD_ERRORS.findall(block)
    )


def table_snapshot(model):
    return sorted(tuple(row.values()) for row in model.select().dicts())


@pytest.fixture
def hr(client, scenario):
    token = sign_in(client, scenario.hr)

    def submit(endpoint, data, model, field, message, record=None):
        before = table_snapshot(model)
        url = f"/admin/{endpoint}/edit/?id={record.id}" if record else f"/admin/{endpoint}/new/"
        response = client.post(url, data={"csrf_token": token, **data})
        assert response.status_code == 200, "the form should be shown again, not saved"
        html = response.get_data(as_text=True)
        assert message in errors_next_to(html, field), errors_next_to(html, field) or html[-3000:]
        assert table_snapshot(model) == before
        return html

    return submit


def objective(scenario, **changes):
    data = {"cycle": scenario.jce_cycle.id, "category": "personal", "title": "Learn Welsh",
            "target_date": "2026-11-30", "status": "draft"}
    data.update(changes)
    return data


def test_a_council_needs_a_name(hr):
    hr("council", {"name": "", "short_name": "XDC"}, Council, "name", "This field is required.")


def test_a_council_short_name_is_unique(hr):
    hr("council", {"name": "Another council", "short_name": "NVDC"}, Council, "short_name",
       "Another record already has this short name.")


def test_over_long_text_is_refused(hr, scenario):
    hr("objective", objective(scenario, title="x" * 201), Objective, "title",
       "Field cannot be longer than 200 characters.")


def test_a_target_date_outside_the_cycle_is_refused(hr, scenario):
    hr("objective", objective(scenario, target_date="2027-05-01"), Objective, "target_date",
       "The target date must fall within the cycle (1 Jan 2026 to 31 Dec 2026).")


def test_an_impossible_date_is_refused(hr, scenario):
    hr("objective", objective(scenario, target_date="2026-02-30"), Objective, "target_date",
       "Not a valid date value.")


def test_an_unknown_choice_is_refused(hr, scenario):
    hr("objective", objective(scenario, category="secret"), Objective, "category",
       "Not a valid choice.")


def test_a_corporate_objective_names_its_council(hr, scenario):
    hr("objective", objective(scenario, category="corporate"), Objective, "council",
       "A corporate objective names the council whose plan it serves.")


def test_editing_an_objective_with_bad_input_changes_nothing(hr, scenario):
    hr("objective", objective(scenario, title="", target_date="2025-01-01"), Objective, "title",
       "This field is required.", record=scenario.draft_objective)


def test_a_duplicate_email_is_refused_whatever_its_case(hr, scenario):
    hr("user", {"name": "Someone Else", "email": scenario.director_user.email.upper(),
                "role": "staff", "active": "y", "new_password": "a long enough password"},
       User, "email", f"An account for {scenario.director_user.email} already exists.")


def test_a_malformed_email_is_refused(hr):
    hr("user", {"name": "Someone", "email": "not-an-email", "role": "staff",
                "new_password": "a long enough password"},
       User, "email", "Enter an email address like name@council.gov.uk.")


def test_a_new_account_needs_a_strong_password(hr):
    hr("user", {"name": "Someone", "email": "someone@northvale.gov.uk", "role": "staff",
                "new_password": "short"},
       User, "new_password", "Use at least 12 characters.")


def test_an_unknown_role_is_refused(hr):
    hr("user", {"name": "Someone", "email": "someone@northvale.gov.uk", "role": "wizard",
                "new_password": "a long enough password"},
       User, "role", "Choose one of: hr, staff, councillor.")


def test_a_meeting_needs_a_date(hr, scenario):
    hr("meeting", {"cycle": scenario.jce_cycle.id, "kind": "informal review", "held_on": ""},
       Meeting, "held_on", "This field is required.")


def test_over_long_meeting_notes_are_refused(hr, scenario):
    hr("meeting", {"cycle": scenario.jce_cycle.id, "kind": "informal review",
                   "held_on": "2026-05-01", "outcomes": "x" * 20001},
       Meeting, "outcomes", "Field cannot be longer than 20000 characters.")


def test_an_action_cannot_fall_due_before_its_meeting(hr, scenario):
    meeting = Meeting.create(cycle=scenario.jce_cycle, kind="informal review", held_on="2026-05-01")
    hr("action", {"meeting": meeting.id, "description": "Brief the cabinet",
                  "due_date": "2026-04-01"},
       Action, "due_date", "An action cannot fall due before the meeting that set it.")


def test_an_officer_has_one_cycle_a_year(hr, scenario):
    hr("cycle", {"officer": scenario.jce.id, "year": "2026"}, Cycle, "year",
       "Jo Chambers already has a cycle for 2026.")


def test_a_timetable_rule_must_be_understood(hr):
    hr("timetablestep", {"number": "8", "activity": "Reflect", "owner": "officer",
                         "due_rule": "whenever", "completed_by": "manual", "active": "y"},
       TimetableStep, "due_rule", "Write the rule as &#34;end of March&#34;")


def test_good_input_is_saved(client, scenario):
    token = sign_in(client, scenario.hr)
    response = client.post("/admin/objective/new/",
                           data={"csrf_token": token, **objective(scenario)})
    assert response.status_code == 302
    saved = Objective.get(Objective.title == "Learn Welsh")
    assert saved.cycle_id == scenario.jce_cycle.id
    assert str(saved.target_date) == "2026-11-30"
