"""The Leader's report to Council: per council and year, PDF and Word,
saying the appraisal took place and summarising the published objectives.
Whatever the data, no assessment, meeting record, action, development
need, or draft, unpublished or withdrawn objective ever reaches it: every
confidential text below is marked, and no mark may appear."""
import io
import itertools
from datetime import date

import pytest
from docx import Document

from models import (
    Action,
    Assessment,
    CouncilReport,
    DevelopmentNeed,
    Meeting,
    Objective,
    Step,
    TimetableStep,
)
from models.meeting import RECORD_HEADINGS
from services.year.council_report import generate, report_content
from tests.conftest import sign_in
from tests.test_agreement_flow import pdf_text

SECRET = "SECRET"


def docx_text(data):
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join([paragraph.text for paragraph in document.paragraphs] + cells)


def step_4(cycle):
    return Step.select().join(TimetableStep).where((Step.cycle == cycle) & (TimetableStep.number == 4)).get()


@pytest.fixture
def confidential_everywhere(scenario, annual_meeting):
    """Every kind of confidential record, each of its texts marked; and a
    published objective of every category, to be reported."""
    marks = itertools.count(1)

    def secret():
        return f"{SECRET}-{next(marks)}"

    Meeting.update(location=secret(), outcomes=secret(),
                   **{name: secret() for name, _label in RECORD_HEADINGS}).execute()
    Action.update(description=secret()).execute()
    DevelopmentNeed.create(cycle=scenario.jce_cycle, need=secret(), activity=secret(), provider=secret())
    for status, published in itertools.product(("draft", "agreed", "achieved", "withdrawn"), (True, False)):
        if status in ("agreed", "achieved") and published:
            continue
        Objective.create(cycle=scenario.jce_cycle, category="corporate", council=scenario.north,
                         title=secret(), description=secret(), measure=secret(), status=status,
                         published=published)
    for objective in Objective.select():
        Assessment.create(objective=objective, meeting=annual_meeting, rating="not met",
                          evidence=secret(), reasons=secret())
    for category in ("collaboration", "personal"):
        Objective.create(cycle=scenario.jce_cycle, category=category, title=f"Published {category} objective",
                         description=secret(), measure=f"{category} measure", status="achieved",
                         published=True)
    # published, but another council's: not for this council's report
    Objective.create(cycle=scenario.jce_cycle, category="corporate", council=scenario.south,
                     title="South Downs leisure centre", status="agreed", published=True)
    return scenario


@pytest.mark.parametrize("kind,text_of", [("pdf", pdf_text), ("docx", docx_text)])
def test_the_report_holds_published_objectives_and_nothing_confidential(
    confidential_everywhere, kind, text_of
):
    scenario = confidential_everywhere

    text = text_of(generate(scenario.north, 2026, kind, scenario.hr))

    assert SECRET not in text
    assert "Merge the two HR teams" not in text  # the scenario's draft objective
    assert "Reopen the market hall" in text
    assert "NV1 Thriving town centres" in text
    assert "Open by 30 Sep 2026" in text
    assert "Published collaboration objective" in text and "Published personal objective" in text
    assert "South Downs leisure centre" not in text
    assert "Jo Chambers, Joint Chief Executive" in text
    assert "Dan Morris, Director of Place" in text
    assert "North Vale District Council" in text


def test_the_reports_content_is_only_publishable_fields(confidential_everywhere):
    content = report_content(confidential_everywhere.north, 2026)
    assert SECRET not in repr(content)
    assert set(content["officers"][0]) == {"name", "post", "agreed_on", "objectives"}
    assert {key for officer in content["officers"] for objective in officer["objectives"]
            for key in objective} == {"category", "title", "priority", "measure", "target_date"}


def test_the_report_says_whether_the_appraisal_took_place(scenario):
    Step.update(done_on=date(2026, 3, 24)).where(
        Step.id == Step.select(Step.id).join(TimetableStep)
        .where((Step.cycle == scenario.jce_cycle) & (TimetableStep.number == 3))).execute()

    text = docx_text(generate(scenario.north, 2026, "docx", scenario.hr))

    assert "The annual appraisal took place and objectives were agreed on 24 Mar 2026." in text
    assert "The annual appraisal has not yet concluded" in text  # the director's


def test_generating_the_report_completes_step_4_once_every_council_has_had_one(scenario):
    generate(scenario.north, 2026, "pdf", scenario.hr)

    assert step_4(scenario.director_cycle).done_on == date.today()  # serves North Vale only
    assert step_4(scenario.jce_cycle).done_on is None  # serves both councils

    generate(scenario.south, 2026, "docx", scenario.leader_south)
    assert step_4(scenario.jce_cycle).done_on == date.today()
    assert "Leader's report to Council generated." in step_4(scenario.jce_cycle).note
    generate(scenario.north, 2026, "pdf", scenario.hr)  # again: the step stays done once
    assert CouncilReport.select().count() == 2


def test_hr_and_each_councils_leader_download_the_report(app, scenario):
    hr = app.test_client()
    sign_in(hr, scenario.hr)
    assert "North Vale District Council" in hr.get("/admin/council-report/").get_data(as_text=True)
    pdf = hr.get(f"/admin/council-report/download/?council={scenario.north.id}&year=2026&format=pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert 'filename="report-to-council-nvdc-2026.pdf"' in pdf.headers["Content-Disposition"]
    word = hr.get(f"/admin/council-report/download/?council={scenario.north.id}&year=2026&format=docx")
    assert "Reopen the market hall" in docx_text(word.data)

    leader = app.test_client()
    sign_in(leader, scenario.leader_north)
    page = leader.get("/admin/council-report/").get_data(as_text=True)
    assert "North Vale District Council" in page and "South Downs Borough Council" not in page
    assert leader.get(f"/admin/council-report/download/?council={scenario.north.id}&year=2026&format=pdf"
                      ).status_code == 200
    assert leader.get(f"/admin/council-report/download/?council={scenario.south.id}&year=2026&format=pdf"
                      ).status_code == 403


@pytest.mark.parametrize("who", ["councillor", "jce_user", "director_user"])
def test_nobody_else_gets_the_report(app, scenario, who):
    client = app.test_client()
    sign_in(client, getattr(scenario, who))
    assert client.get("/admin/council-report/").status_code == 403
    assert client.get(f"/admin/council-report/download/?council={scenario.north.id}&year=2026&format=pdf"
                      ).status_code == 403
    assert not CouncilReport.select().exists()
