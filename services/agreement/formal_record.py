"""The formal record as a PDF, printed from the very version everyone
agreed, with who agreed it and when, and filed on the officer's personal
file."""
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TableBordersLayout

from formatting import uk_date, uk_datetime
from models import Attachment
from services.records.storage import save_bytes
from services.text import printable

FONT_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
FONT = "DejaVu"
TEXT_SIZE = 10
TABLE_LINE_HEIGHT = 4.8
TABLE_PADDING = 1.2
# fpdf2 cannot break a table row across pages, and raises on a row taller
# than a page; a row of more lines than this (a page holds over fifty) is
# carried on in the rows below it.
LINES_IN_A_ROW = 40


class FormalRecordPDF(FPDF):
    def __init__(self, footer_text):
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(True, margin=20)

    def normalize_text(self, text):
        # Text stored before the input rules may hold what no document holds
        # (control characters, lone surrogates): left out, not printed as a
        # missing glyph.
        return super().normalize_text(printable(text))

    def footer(self):
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.cell(0, 5, f"{self.footer_text} · page {self.page_no()} of {{nb}}", align="C")

    def heading(self, text, size=12):
        self.ln(3)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def paragraph(self, text, bold=False):
        self.set_font(FONT, "B" if bold else "", TEXT_SIZE)
        self.multi_cell(0, 5, text or "—", align="L", new_x="LMARGIN", new_y="NEXT")

    def rows(self, headings, rows, widths):
        self.set_font(FONT, "", 9)
        with self.table(col_widths=widths, text_align="LEFT", line_height=TABLE_LINE_HEIGHT,
                        padding=TABLE_PADDING, borders_layout=TableBordersLayout.HORIZONTAL_LINES) as table:
            table.row(headings)
            for row in rows:
                for part in self._parts_of_a_row(row, widths):
                    table.row(part)
        self.ln(2)

    def _parts_of_a_row(self, row, widths):
        """The row as it is, or, if any cell runs to more than LINES_IN_A_ROW
        lines, as rows of that many lines each, cell by cell."""
        cells = [self.multi_cell(width - 2 * TABLE_PADDING, TABLE_LINE_HEIGHT, text, dry_run=True,
                                 output="LINES")
                 for text, width in zip(row, widths, strict=True)]
        length = max(len(lines) for lines in cells)
        if length <= LINES_IN_A_ROW:
            return [row]
        return [["\n".join(lines[start:start + LINES_IN_A_ROW]) for lines in cells]
                for start in range(0, length, LINES_IN_A_ROW)]


def render_pdf(content, agreements, roles, filed_at, version_hash):
    """The PDF bytes. `content` is a frozen version's content, `agreements`
    the decisions on it, `roles` each party's role by their id."""
    pdf = FormalRecordPDF(f"Version {version_hash[:12]} · filed {uk_date(filed_at)}")
    pdf.set_title(f"Formal record: {content['title']}, {content['officer']}")
    pdf.set_author("Appraise")
    pdf.add_page()

    pdf.set_font(FONT, "", TEXT_SIZE)
    pdf.multi_cell(0, 5, " and ".join(content["councils"]) or "", new_x="LMARGIN", new_y="NEXT")
    pdf.heading(f"Formal record: {content['title']}", size=16)
    pdf.paragraph(f"{content['officer']}, {content['post']}", bold=True)

    if content["record"] == "meeting":
        pdf.paragraph(f"Held on {uk_date(content['held_on'])}"
                      + (f" at {content['location']}" if content["location"] else "")
                      + f". Version {content['version']} of the record.")
        if content["attendees"]:
            pdf.paragraph(f"Present: {', '.join(content['attendees'])}.")
        for number, (label, text) in enumerate(content["headings"], start=1):
            pdf.heading(f"{number}. {label}" if number <= 5 else label)
            pdf.paragraph(text)

    pdf.heading("Objectives")
    if content["objectives"]:
        pdf.rows(
            ("Objective", "Performance standard / measure", "Target date"),
            [(_objective_cell(objective), objective["measure"] or "—", uk_date(objective["target_date"]))
             for objective in content["objectives"]],
            widths=(76, 68, 26),
        )
    else:
        pdf.paragraph("None recorded.")

    if content["record"] == "meeting":
        pdf.heading("Actions")
        if content["actions"]:
            pdf.rows(("Action", "Owner", "Due"),
                     [(action["description"], action["owner"] or "—", uk_date(action["due_date"]) or "—")
                      for action in content["actions"]],
                     widths=(104, 40, 26))
        else:
            pdf.paragraph("None agreed.")

    pdf.heading("Agreement")
    pdf.rows(("Party", "Role", "Decision", "Date"),
             [(agreement.party.name, roles.get(agreement.party_id, ""),
               (agreement.decision or "").capitalize(), uk_datetime(agreement.decided_at))
              for agreement in agreements],
             widths=(55, 45, 30, 40))
    return bytes(pdf.output())


def _objective_cell(objective):
    scope = " · ".join(
        part for part in (objective["category"], objective["council"], objective["priority"]) if part
    )
    lines = [objective["title"], scope]
    if objective["description"]:
        lines.append(objective["description"])
    return "\n".join(lines)


def file_formal_record(record, version, agreements, roles, now):
    """Print the agreed version and put it on the officer's personal file."""
    data = render_pdf(version.content, agreements, roles, now, version.hash)
    stored = save_bytes(data)
    return Attachment.create(
        officer=record.officer, meeting=record.meeting, original_name=record.file_name,
        stored_name=stored.stored_name, content_type="application/pdf", size=stored.size,
        sha256=stored.sha256, personal_file=True, uploaded_at=now,
    )
