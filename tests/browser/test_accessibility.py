"""axe-core (WCAG 2.2 AA rules) on the pages people use most: no serious
or critical violation on any of them."""
from pathlib import Path

import pytest

from services.agreement.records import MeetingRecord
from services.agreement.workflow import submit_for_agreement
from tests.browser.conftest import deliver_mail, sign_in_as
from tests.conftest import add_officers
from tests.mailserver import link_in

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def serious_violations(page):
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                            WCAG_22_AA)
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:5])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def assert_accessible(page):
    found = serious_violations(page)
    assert not found, "\n".join(map(str, found))


@pytest.fixture
def axe_page(open_page):
    # axe is injected as a script: the test window alone lets it past the CSP.
    return lambda: open_page(bypass_csp=True)


def test_the_sign_in_page_is_accessible(axe_page):
    page = axe_page()
    page.goto("/login")
    assert_accessible(page)


@pytest.mark.parametrize("path", [
    "/admin/",
    "/admin/objective/",
    "/admin/objective/edit/?id={objective}",
    "/admin/meeting/new/",
    "/admin/officer/details/?id={officer}",
])
def test_hr_pages_are_accessible(axe_page, scenario, path):
    page = axe_page()
    sign_in_as(page, scenario.hr)
    page.goto(path.format(objective=scenario.agreed_objective.id, officer=scenario.jce.id))
    assert_accessible(page)


def test_the_agreement_page_is_accessible(axe_page, scenario, mail_server, annual_meeting):
    submit_for_agreement(MeetingRecord(annual_meeting), requested_by=scenario.hr)
    deliver_mail()
    page = axe_page()
    page.goto(link_in(mail_server.only_message_to(scenario.leader_north.email)))
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/admin/?page=2", "/admin/objective/?page=1"])
def test_pages_with_a_pager_are_accessible(axe_page, scenario, path):
    add_officers(25, scenario.jce_user, year=2026)
    page = axe_page()
    sign_in_as(page, scenario.hr)
    page.goto(path)
    assert page.locator("nav.appraise-pager a[aria-current=page]").count() == 1
    assert_accessible(page)
