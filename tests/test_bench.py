"""`make bench` works: a tiny run prints a well-formed RESULT line for every
page, as HR and as an appraiser. It checks the shape, never the timings."""
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULT = re.compile(
    r"^RESULT (?P<page>\S+) (?P<rows>\d+) median_ms=\d+\.\d floor_ms=\d+\.\d "
    r"stock_ms=(?P<stock>\d+\.\d|n/a) ratio=\d+\.\d\d queries=(?P<queries>\d+)$"
)
LISTS = ("objectives", "meetings", "assessments")
PAGES = {f"{role}:{page}" for role in ("hr", "appraiser")
         for page in [f"{name}{variant}" for name in LISTS for variant in ("", "-filtered", "-search")]
         + ["officer", "dashboard", "confirm"]}


def test_quick_bench_prints_every_page(tmp_path):
    # Always a throw-away SQLite file: the bench drops and rebuilds its tables.
    env = {name: value for name, value in os.environ.items()
           if name not in ("DATABASE_URL", "BENCH_DATABASE_URL")}
    finished = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--database-url",
         f"sqlite:///{tmp_path / 'bench.sqlite3'}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert finished.returncode == 0, finished.stderr
    lines = [line for line in finished.stdout.splitlines() if line.startswith("RESULT")]
    matches = [RESULT.match(line) for line in lines]
    assert all(matches), [line for line, match in zip(lines, matches, strict=True) if not match]
    found = {match["page"]: match for match in matches}
    assert set(found) == PAGES
    assert len(lines) == len(PAGES)
    for page, match in found.items():
        has_stock = page.split(":")[1].split("-")[0] in LISTS
        assert (match["stock"] != "n/a") == has_stock, page
        assert int(match["queries"]) > 0
