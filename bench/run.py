"""`make bench`: seed a scratch database at each size, then time every page
as HR and as an appraiser against the floor and stock Flask-Admin, in one
process, printing one RESULT line per page and size.

    python -m bench.run [--sizes 2000,20000] [--runs 7] [--quick] [--database-url URL]
                        [--profile PAGE]

Sizes are numbers of officers (each with 10 objectives, 5 meetings and 10
assessments); BENCH_SIZES and BENCH_RUNS set the defaults. The database is
a SQLite file in a temporary directory unless --database-url (or
BENCH_DATABASE_URL, or DATABASE_URL) names another: its tables are dropped
and rebuilt, so point it at a scratch database only. It exits 1 when a page
misses a target (a MISS line says which), except with --quick.
--profile PAGE times that page alone and prints where its time goes."""
import argparse
import os
import sys
import tempfile
from urllib.parse import urlencode

from app import create_app
from bench.floor import init_floor
from bench.measure import QueryCounter, measure, sign_in
from bench.seed import APPRAISER_EMAIL, HR_EMAIL, PASSWORD, SEARCH_WORD, seed
from bench.stock import init_stock
from config import TestingConfig
from models import db
from services import schema

LIST_PAGES = {
    # page: (Appraise endpoint, filter column, filter value, table size key)
    "objectives": ("objective", "status", "agreed", "objectives"),
    "meetings": ("meeting", "status", "agreed", "meetings"),
    "assessments": ("assessment", "rating", "on track", "assessments"),
}
ROLES = ("hr", "appraiser")
LIST_QUERY_TARGET, DASHBOARD_QUERY_TARGET, FLOOR_RATIO_TARGET = 4, 10, 4.0


def build_app(database_url, upload_dir):
    app = create_app(TestingConfig, {
        "DATABASE_URL": database_url, "UPLOAD_DIR": upload_dir, "OUTBOX_BACKGROUND_SENDER": False,
        "IDLE_TIMEOUT_MINUTES": 24 * 60, "LOGIN_FAILURES_PER_ADDRESS": 10 ** 6,
    })
    init_floor(app)
    stock_views = init_stock(app)
    return app, stock_views


def app_view(app, endpoint):
    for admin in app.extensions["admin"]:
        for view in admin._views:
            if view.endpoint == endpoint:
                return view
    raise LookupError(endpoint)


def filter_arg(view, column, value):
    """?flt0_<n>=value for the view's "<column> equals" filter, as Flask-Admin names it."""
    for index, flt in enumerate(view._filters):
        if flt.column.name == column and str(flt.operation()) == "equals":
            return {f"flt0_{view.get_filter_arg(index, flt)}": value}
    raise LookupError(f"{view.endpoint} has no '{column} equals' filter")


def pages(app, stock_views, seeded, role):
    """(name, table size, Appraise URL, floor URL, stock URL or None) for each page."""
    who = {"appraiser": seeded["appraiser_id"]} if role == "appraiser" else {}
    found = []
    for page, (endpoint, column, value, size_key) in LIST_PAGES.items():
        view, stock = app_view(app, endpoint), stock_views[page]
        variants = (
            ("", {}, {}, {}),
            ("-filtered", filter_arg(view, column, value), {column: value}, filter_arg(stock, column, value)),
            ("-search", {"search": SEARCH_WORD}, {"search": SEARCH_WORD}, {"search": SEARCH_WORD}),
        )
        for suffix, app_args, floor_args, stock_args in variants:
            found.append((f"{role}:{page}{suffix}", seeded[size_key],
                          f"/admin/{endpoint}/?{urlencode(app_args)}",
                          f"/bench-floor/{page}?{urlencode(floor_args | who)}",
                          f"/stock/{page}/?{urlencode(stock_args)}"))
    year = seeded["year"]
    found += [
        (f"{role}:officer", seeded["officers"], f"/admin/officer/details/?id={seeded['officer_id']}",
         f"/bench-floor/officer?{urlencode({'id': seeded['officer_id'], 'year': year} | who)}", None),
        (f"{role}:dashboard", seeded["officers"], "/admin/",
         f"/bench-floor/dashboard?{urlencode({'year': year} | who)}", None),
        (f"{role}:confirm", seeded["meetings"], f"/confirm/{seeded['token']}",
         f"/bench-floor/confirm?{urlencode({'token': seeded['token']})}", None),
    ]
    return found


def profile(client, url, runs, out):
    """Where one page's time goes, by pyinstrument (a development tool:
    requirements-dev.txt)."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(runs):
            client.get(url).close()
    print(profiler.output_text(color=False), file=out, flush=True)


def run_size(app, stock_views, officers, runs, out, only=None):
    with app.app_context(), db.connection_context():
        seeded = seed(officers)
        schema.refresh_statistics()  # as the nightly `flask analyze-db` would have by now
    counter = QueryCounter(db.obj)
    results = []
    for role, email in zip(ROLES, (HR_EMAIL, APPRAISER_EMAIL), strict=True):
        client = app.test_client()
        sign_in(client, email, PASSWORD)
        for name, rows, url, floor_url, stock_url in pages(app, stock_views, seeded, role):
            if only and name != only:
                continue
            mine, floor, *stock = measure(client, [url, floor_url] + ([stock_url] if stock_url else []),
                                          counter, runs)
            stock = stock[0] if stock else None
            result = {"page": name, "rows": rows, "ms": mine.median_ms, "floor_ms": floor.median_ms,
                      "stock_ms": stock.median_ms if stock else None, "queries": mine.queries,
                      "stock_queries": stock.queries if stock else None}
            results.append(result)
            print(result_line(result), file=out, flush=True)
            if only:
                profile(client, url, runs * 10, out)
    return results


def result_line(result):
    stock = f"{result['stock_ms']:.1f}" if result["stock_ms"] is not None else "n/a"
    return (f"RESULT {result['page']} {result['rows']} median_ms={result['ms']:.1f} "
            f"floor_ms={result['floor_ms']:.1f} stock_ms={stock} "
            f"ratio={result['ms'] / result['floor_ms']:.2f} queries={result['queries']}")


def misses(by_size):
    """The targets each page misses (issue 8), as text."""
    found = []
    query_counts = {}
    for results in by_size.values():
        for result in results:
            page, kind = result["page"], result["page"].split(":")[1].split("-")[0]
            query_counts.setdefault(page, set()).add(result["queries"])
            is_list = kind in LIST_PAGES
            if is_list and result["queries"] > LIST_QUERY_TARGET:
                found.append(f"{page} at {result['rows']}: {result['queries']} queries > {LIST_QUERY_TARGET}")
            if is_list and result["ms"] > FLOOR_RATIO_TARGET * result["floor_ms"]:
                ratio = result["ms"] / result["floor_ms"]
                found.append(f"{page} at {result['rows']}: {ratio:.2f}x the floor")
            if is_list and result["ms"] >= result["stock_ms"]:
                found.append(f"{page} at {result['rows']}: not faster than stock")
            if kind == "dashboard" and result["queries"] > DASHBOARD_QUERY_TARGET:
                found.append(f"{page} at {result['rows']}: {result['queries']} queries")
    found += [f"{page}: query count varies with size {sorted(counts)}"
              for page, counts in query_counts.items() if len(counts) > 1]
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "2000,20000"))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "7")))
    parser.add_argument("--quick", action="store_true", help="a tiny size and 2 runs: checks it works")
    parser.add_argument("--profile", metavar="PAGE",
                        help="time only this page (e.g. hr:meetings-search) and profile it")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL")
                        or os.environ.get("DATABASE_URL"))
    args = parser.parse_args(argv)
    sizes = [30] if args.quick else [int(size) for size in args.sizes.split(",") if size.strip()]
    runs = 2 if args.quick else args.runs
    with tempfile.TemporaryDirectory(prefix="appraise-bench-") as scratch:
        database_url = args.database_url or f"sqlite:///{scratch}/bench.sqlite3"
        app, stock_views = build_app(database_url, f"{scratch}/uploads")
        by_size = {}
        for officers in sizes:
            print(f"# {officers} officers, {runs} runs per page, {database_url.split(':')[0]}", flush=True)
            by_size[officers] = run_size(app, stock_views, officers, runs, sys.stdout, args.profile)
        if not db.is_closed():
            db.close()
    if args.quick:
        return 0  # a tiny size times nothing worth judging
    found = misses(by_size)
    for miss in found:
        print(f"MISS {miss}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
