"""Timing requests and counting the SQL statements each one runs."""
import re
import statistics
import time

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class QueryCounter:
    """Counts every statement the database runs, by wrapping execute_sql on
    the connected database object (peewee sends every query through it)."""

    def __init__(self, database):
        self.count = 0
        original = database.execute_sql

        def counting(sql, params=None, *args, **kwargs):
            self.count += 1
            return original(sql, params, *args, **kwargs)

        database.execute_sql = counting


def sign_in(client, email, password):
    page = client.get("/login").get_data(as_text=True)
    token = CSRF_INPUT.search(page).group(1)
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    if response.status_code != 302:
        raise RuntimeError(f"could not sign in as {email}: {response.status_code}")


class Measured:
    def __init__(self, median_ms, queries):
        self.median_ms = median_ms
        self.queries = queries


def measure(client, urls, counter, runs, slow_ms=1500, slow_runs=3):
    """For each URL: the median milliseconds of `runs` GETs after one
    warm-up (fewer runs when a page takes longer than `slow_ms`), and the
    statements one GET runs. The URLs are timed in turn within each run, so
    that load from elsewhere on the machine falls on them all alike."""
    queries, warm_ms = [], []
    for url in urls:
        counter.count = 0
        started = time.perf_counter()
        response = client.get(url)
        warm_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        queries.append(counter.count)
    times = [[] for _ in urls]
    for _ in range(slow_runs if max(warm_ms) > slow_ms else runs):
        for url, taken in zip(urls, times, strict=True):
            started = time.perf_counter()
            client.get(url).close()
            taken.append((time.perf_counter() - started) * 1000)
    return [Measured(statistics.median(taken), count) for taken, count in zip(times, queries, strict=True)]
