"""A list page says how many records it holds and pages through them with
links a screen reader can name; a list too long to count cheaply says
"more than" and pages by next and previous."""
import re

import pytest

from admin import VIEWS
from models import Objective
from services.access import policy
from tests.conftest import add_one_of_every_record, sign_in

ENDPOINTS = [view_class(model).endpoint for view_class, model, _name, _category in VIEWS]
LIST_QUERY_LIMIT = 4

SUMMARY = re.compile(r'<p class="appraise-list-summary">\s*(.*?)\s*</p>', re.S)
PAGER = re.compile(r'<nav class="appraise-pager" aria-label="([^"]+)">(.*?)</nav>', re.S)


@pytest.fixture
def many_objectives(scenario):
    for number in range(25):
        Objective.create(cycle=scenario.director_cycle, category="personal", title=f"Objective {number:02}")
    return 25 + 2  # and the scenario's own two


def view_of(client, endpoint):
    return next(view for view in client.application.extensions["admin"][0]._views
                if getattr(view, "endpoint", None) == endpoint)


def summary_and_pager(response):
    html = response.get_data(as_text=True)
    summary = " ".join(SUMMARY.search(html).group(1).split())
    pager = PAGER.search(html)
    return summary, pager


def test_a_list_says_how_many_records_it_holds_and_numbers_its_pages(
        client, scenario, many_objectives):
    sign_in(client, scenario.hr)
    summary, pager = summary_and_pager(client.get("/admin/objective/"))
    assert summary == f"Showing 1–20 of {many_objectives} records."
    label, links = pager.groups()
    assert label == "Pages of objectives"
    assert re.search(r'aria-current="page"><span class="sr-only">Page </span>1</a>', links)
    assert re.search(r'href="[^"]*page=1[^"]*"><span class="sr-only">Page </span>2</a>', links)
    assert re.search(r'rel="next">Next page</a>', links)
    assert "Previous" not in links

    summary, pager = summary_and_pager(client.get("/admin/objective/?page=1"))
    assert summary == f"Showing 21–{many_objectives} of {many_objectives} records."
    assert "Previous" in pager.group(2) and "Next" not in pager.group(2)


def test_a_list_longer_than_its_count_limit_says_more_than_and_pages_by_next(
        client, scenario, many_objectives, monkeypatch):
    monkeypatch.setattr(view_of(client, "objective"), "count_limit", 10)
    sign_in(client, scenario.hr)
    response = client.get("/admin/objective/")
    summary, pager = summary_and_pager(response)
    assert summary == "Showing 1–20 of more than 10 records: search or filter to narrow them."
    links = pager.group(2)
    assert re.search(r'aria-current="page"><span class="sr-only">Page </span>1</a>', links)
    assert "Next" in links and "Page </span>2" not in links  # no numbers: how many pages is not known

    last = client.get("/admin/objective/?page=1")
    assert len(re.findall(r'name="rowid"', last.get_data(as_text=True))) == many_objectives - 20
    summary, pager = summary_and_pager(last)
    # The last page is not full, so how many there are is known without counting.
    assert summary == f"Showing 21–{many_objectives} of {many_objectives} records."
    assert "Previous" in pager.group(2) and "Next" not in pager.group(2)


def test_a_page_that_is_not_full_is_not_counted(client, scenario, many_objectives, queries_run):
    sign_in(client, scenario.hr)
    full, _page = queries_run(lambda: client.get("/admin/objective/"))
    last, page = queries_run(lambda: client.get("/admin/objective/?page=1"))
    assert last == full - 1
    assert summary_and_pager(page)[0] == f"Showing 21–{many_objectives} of {many_objectives} records."


def test_a_search_is_counted_too(client, scenario, many_objectives):
    sign_in(client, scenario.hr)
    summary, pager = summary_and_pager(client.get("/admin/objective/?search=market"))
    assert summary == "1 record."
    assert pager is None  # one page: nothing to page through
    summary, pager = summary_and_pager(client.get("/admin/objective/?search=objective"))
    assert summary == "Showing 1–20 of 25 records."
    assert "Next" in pager.group(2)


def test_an_empty_list_has_no_summary_or_pager(client, scenario):
    sign_in(client, scenario.hr)
    html = client.get("/admin/objective/?search=nothing+like+this").get_data(as_text=True)
    assert "appraise-list-summary" not in html and "appraise-pager" not in html


@pytest.mark.parametrize("who", ["hr", "leader_north"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_list_runs_the_same_few_queries_however_many_records_it_shows(
        client, scenario, queries_run, endpoint, who):
    user = getattr(scenario, who)
    add_one_of_every_record(scenario)
    sign_in(client, user)
    view = view_of(client, endpoint)
    url = f"/admin/{endpoint}/"
    few, response = queries_run(lambda: client.get(url))
    if not policy.can_use_admin_model(user, view.model, policy.VIEW):
        assert response.status_code == 403
        return
    assert response.status_code == 200
    shown = response.get_data(as_text=True).count('name="rowid"')
    for number in range(1, 4):
        add_one_of_every_record(scenario, number)
    more, response = queries_run(lambda: client.get(url))
    assert response.get_data(as_text=True).count('name="rowid"') >= shown
    assert few == more <= LIST_QUERY_LIMIT, (few, more)
