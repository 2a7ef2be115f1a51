"""The Leader's report to Council: a page listing each council and year,
and the downloads (PDF or Word) that generate it."""
from flask import abort, request
from flask_admin import BaseView, expose

from models import Council, db
from services.access import Access, access
from services.records.audit import record_event
from services.year.council_report import FORMATS, file_name, generate, report_years, reportable_councils

from .base import the_user
from .guards import record_for, requires


class CouncilReportView(BaseView):
    def is_accessible(self):
        return access().may_report_to_council()

    def inaccessible_callback(self, name, **kwargs):
        abort(403)

    @expose("/")
    @requires(Access.may_report_to_council)
    def index(self):
        councils = [council for council in reportable_councils() if access().may_report_to_council(council)]
        return self.render("admin/council_report.html", councils=councils, years=report_years())

    @expose("/download/")
    @record_for(Access.may_report_to_council, model=Council, key="council")
    def download_view(self, council):
        year = request.args.get("year", type=int)
        kind = request.args.get("format", "")
        if year is None or kind not in FORMATS:
            abort(404)
        with db.atomic():
            data = generate(council, year, kind, the_user())
            record_event("create", model_name="CouncilReport", record_id=f"{council.short_name} {year}",
                         changes=f"Leader's report to Council generated ({kind})")
        return data, 200, {
            "Content-Type": FORMATS[kind],
            "Content-Disposition": f'attachment; filename="{file_name(council, year, kind)}"',
        }
