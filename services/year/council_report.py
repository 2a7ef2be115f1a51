"""The Leader's report to Council (timetable step 4): for one council and
year, that each officer's appraisal has taken place, and a summary of the
key objectives agreed and published to councillors. It is built only from
what councillors may already see — officers' names and posts, the date
their objectives were agreed, and published objectives' titles, priorities,
measures and target dates — so nothing confidential can reach it.
Downloadable as PDF and as an editable Word document."""
import io

from docx import Document
from peewee import JOIN

from formatting import uk_date
from models import (
    Council,
    CouncilReport,
    Cycle,
    Objective,
    Officer,
    OfficerCouncil,
    Priority,
    Step,
    TimetableStep,
    User,
    utcnow,
)
from models.objective import CATEGORIES
from services import clock
from services.access.policy import published_objectives
from services.agreement.formal_record import FormalRecordPDF
from services.text import printable
from services.year.timetable import complete_on_council_report

CATEGORY_LABELS = dict(CATEGORIES)
FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _agreed_on(cycle):
    """When the objectives were agreed (step 3 done), or None."""
    step = (Step.select(Step.done_on).join(TimetableStep)
            .where((Step.cycle == cycle) & (TimetableStep.completed_by == "objectives agreed"))
            .first())
    return step.done_on if step else None


def _published_objectives(cycle, council):
    """The published objectives of a cycle that belong in this council's
    report: its own corporate objectives, collaboration and personal ones."""
    # Only these columns are read: nothing else of an objective can reach the report.
    rows = (Objective.select(Objective.title, Objective.category, Objective.measure, Objective.target_date,
                             Priority.reference, Priority.title.alias("priority_title"))
            .join(Priority, JOIN.LEFT_OUTER)
            .where((Objective.cycle == cycle) & published_objectives()
                   & ((Objective.category != "corporate") | (Objective.council == council)))
            .order_by(Objective.category, Objective.target_date, Objective.id)
            .dicts())
    return [
        {
            "category": CATEGORY_LABELS[row["category"]],
            "title": row["title"],
            "priority": f"{row['reference']} {row['priority_title']}" if row["reference"] else "",
            "measure": row["measure"],
            "target_date": row["target_date"],
        }
        for row in rows
    ]


def report_content(council, year):
    """Everything the report says, as plain data."""
    cycles = (Cycle.select(Cycle, Officer, User).join(Officer).join(User).switch(Officer)
              .join(OfficerCouncil).where((Cycle.year == year) & (OfficerCouncil.council == council))
              .order_by(User.name))
    return {
        "council": council.name,
        "year": year,
        "officers": [
            {
                "name": cycle.officer.user.name,
                "post": cycle.officer.post_title,
                "agreed_on": _agreed_on(cycle),
                "objectives": _published_objectives(cycle, council),
            }
            for cycle in cycles
        ],
    }


def _took_place(officer):
    if officer["agreed_on"]:
        return (f"The annual appraisal took place and objectives were agreed on "
                f"{uk_date(officer['agreed_on'])}.")
    return "The annual appraisal has not yet concluded: objectives are still to be agreed."


def _objective_line(objective):
    parts = [objective["title"]]
    if objective["priority"]:
        parts.append(f"(serves {objective['priority']})")
    return " ".join(parts)


COLUMNS = ("Key objective", "Category", "Measure", "Target date")


def _objective_cells(objective):
    return (_objective_line(objective), objective["category"], objective["measure"] or "—",
            uk_date(objective["target_date"]) or "—")


def _title(content):
    return f"Leader's report to Council: senior officer appraisal {content['year']}"


def render_pdf(content, generated_on):
    pdf = FormalRecordPDF(f"{content['council']} · generated {uk_date(generated_on)}")
    pdf.set_title(_title(content))
    pdf.set_author("Appraise")
    pdf.add_page()
    pdf.paragraph(content["council"])
    pdf.heading(_title(content), size=16)
    if not content["officers"]:
        pdf.paragraph("No senior officer serving the council has an appraisal cycle for this year.")
    for officer in content["officers"]:
        pdf.heading(f"{officer['name']}, {officer['post']}")
        pdf.paragraph(_took_place(officer))
        if officer["objectives"]:
            pdf.rows(COLUMNS,
                     [_objective_cells(objective) for objective in officer["objectives"]],
                     widths=(70, 30, 46, 24))
        else:
            pdf.paragraph("No objectives have been published to councillors yet.")
    return bytes(pdf.output())


def render_docx(content, generated_on):
    document = Document()
    document.core_properties.title = _title(content)
    document.core_properties.author = "Appraise"
    # Word documents are XML: text stored before the input rules may hold
    # what XML cannot, so every text of the data is printable()'d.
    document.add_paragraph(printable(content["council"]))
    document.add_heading(_title(content), level=1)
    if not content["officers"]:
        document.add_paragraph("No senior officer serving the council has an appraisal cycle for this year.")
    for officer in content["officers"]:
        document.add_heading(printable(f"{officer['name']}, {officer['post']}"), level=2)
        document.add_paragraph(_took_place(officer))
        if not officer["objectives"]:
            document.add_paragraph("No objectives have been published to councillors yet.")
            continue
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for row in [COLUMNS] + [_objective_cells(objective) for objective in officer["objectives"]]:
            cells = table.rows[0].cells if row is COLUMNS else table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = printable(text)
    document.add_paragraph(f"Generated by Appraise on {uk_date(generated_on)}.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


RENDERERS = {"pdf": render_pdf, "docx": render_docx}


def file_name(council, year, kind):
    return f"report-to-council-{council.short_name.lower()}-{year}.{kind}"


def generate(council, year, kind, user, today=None):
    """The report as bytes. Generating it is step 4 done for every officer
    once each council they serve has had its report; the caller's
    transaction records both."""
    today = today or clock.today()
    data = RENDERERS[kind](report_content(council, year), today)
    report = CouncilReport.get_or_none((CouncilReport.council == council) & (CouncilReport.year == year))
    if report is None:
        CouncilReport.create(council=council, year=year, generated_by=user)
    else:
        report.generated_at, report.generated_by = utcnow(), user
        report.save()
    complete_on_council_report(council, year, today)
    return data


def report_years():
    """The years with cycles, newest first."""
    return [year for (year,) in Cycle.select(Cycle.year).distinct().order_by(Cycle.year.desc()).tuples()]


def reportable_councils():
    return list(Council.select().order_by(Council.name))
