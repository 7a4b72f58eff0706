"""GRV3xx: dates as Grav reads them."""

from __future__ import annotations

import pytest
from helpers import codes_at, problems_in

POST = "user/pages/01.blog/01.post/item.md"


def fm(header: str, folder: str = "01.post", name: str = "item.md") -> dict[str, str]:
    return {f"user/pages/01.blog/{folder}/{name}": f"---\ntitle: T\n{header}---\n\nBody\n"}


CASES = [
    ("GRV301", "date: '09-13-2023 10:00'\n", [(3, 7)]),
    ("GRV301", "date: 'someday soon'\n", [(3, 7)]),
    ("GRV301", "publish_date: '32-01-2023'\n", [(3, 15)]),
    ("GRV301", "date: '13-09-2023 10:00'\n", []),
    ("GRV302", "date: 2023-01-09\n", [(3, 7)]),
    ("GRV302", "date: 2023-01-09 10:00:00\n", [(3, 7)]),
    ("GRV302", "date: '2023-01-09'\n", []),
    ("GRV303", "date: '31-02-2023 10:00'\n", [(3, 7)]),
    ("GRV303", "date: '28-02-2023 10:00'\n", []),
    ("GRV304", "date: '09-01-23 10:00'\n", [(3, 7)]),
    ("GRV304", "date: '09-01-2023 10:00'\n", []),
    ("GRV307", "date: ''\n", [(3, 7)]),
    ("GRV307", "date:\n", [(3, 6)]),
    ("GRV307", "date: 'tomorrow'\n", [(3, 7)]),
    ("GRV307", "dateformat: 'd-m-Y'\ndate: '09-01-2023'\n", [(3, 1)]),
    ("GRV307", "dateformat: 'd-m-Y H:i'\ndate: '09-01-2023 10:00'\n", []),
    ("GRV308", "published: true\npublish_date: '01-01-2099 10:00'\n", [(4, 15)]),
    ("GRV308", "publish_date: '01-01-2030 10:00'\nunpublish_date: '01-01-2020 10:00'\n", [(4, 17)]),
    ("GRV308", "published: false\npublish_date: '01-01-2020 10:00'\n", [(4, 15)]),
    ("GRV308", "publish_date: '01-01-2020 10:00'\nunpublish_date: '01-01-2030 10:00'\n", []),
]


@pytest.mark.parametrize(("code", "header", "expected"), CASES)
def test_date_rule(make_site, code: str, header: str, expected: list) -> None:
    assert codes_at(make_site(fm(header)), code) == [(code, line, col) for line, col in expected]


def test_grv301_explains_month_day_with_dashes(make_site) -> None:
    [problem] = problems_in(make_site(fm("date: '09-13-2023 10:00'\n")), "GRV301")
    assert "looks like month-day-year" in problem.message and "modification time" in problem.message


def test_grv303_says_what_grav_shows(make_site) -> None:
    [problem] = problems_in(make_site(fm("date: '31-02-2023 10:00'\n")), "GRV303")
    assert "3 March 2023" in problem.message


def test_grv304_says_2009(make_site) -> None:
    [problem] = problems_in(make_site(fm("date: '09-01-23 10:00'\n")), "GRV304")
    assert "23 January 2009" in problem.message


def test_grv305_slash_date_on_a_day_first_site(make_site) -> None:
    files = {}
    files.update(fm("date: '13-01-2024 10:00'\n", "01.a"))
    files.update(fm("date: '25-02-2024 10:00'\n", "02.b"))
    files.update(fm("date: '05/03/2024 10:00'\n", "03.c"))
    files.update(fm("date: '06-03-2024 10:00'\n", "04.d"))  # ambiguous but in the site's convention
    problems = problems_in(make_site(files), "GRV305")
    assert [(p.path.split("01.blog/")[1], p.line) for p in problems] == [("03.c/item.md", 3)]
    assert "3 May 2024" in problems[0].message and "did you mean 5 March 2024" in problems[0].message


def test_grv305_uses_the_configured_dateformat(make_site) -> None:
    files = fm("date: '05/03/2024 10:00'\n")
    files["user/config/system.yaml"] = "pages:\n    dateformat:\n        default: 'd-m-Y H:i'\n"
    assert codes_at(make_site(files), "GRV305") == [("GRV305", 3, 7)]


def test_grv305_no_evidence_no_verdict(make_site) -> None:
    assert codes_at(make_site(fm("date: '05/03/2024 10:00'\n")), "GRV305") == []


def test_grv306_folder_date_swapped(make_site) -> None:
    root = make_site(fm("date: '01-09-2023 10:00'\n", folder="03.2023-01-09-conference"))
    [problem] = problems_in(root, "GRV306")
    assert "day and month swapped" in problem.message
    assert (problem.line, problem.column) == (3, 7)


def test_grv306_agreeing_folder_is_fine(make_site) -> None:
    assert codes_at(make_site(fm("date: '09-01-2023 10:00'\n", folder="03.2023-01-09-conference")), "GRV306") == []


def test_grv309_odd_format_out(make_site) -> None:
    files = {}
    for i, date in enumerate(["'09-01-2023 10:00'", "'10-01-2023 10:00'", "'11-01-2023 10:00'", "'2023/01/12 10:00'"]):
        files.update(fm(f"date: {date}\n", f"0{i}.p"))
    problems = problems_in(make_site(files), "GRV309")
    assert [p.path.split("01.blog/")[1] for p in problems] == ["03.p/item.md"]


def test_grv310_translations_disagree(make_site) -> None:
    files = {}
    files.update(fm("date: '09-01-2023 10:00'\npublished: true\n", name="item.kk.md"))
    files.update(fm("date: '09-01-2023 10:00'\npublished: true\n", name="item.ru.md"))
    files.update(fm("date: '10-01-2023 10:00'\npublished: false\n", name="item.en.md"))
    files["user/config/system.yaml"] = "languages:\n    supported: [kk, ru, en]\n"
    problems = problems_in(make_site(files), "GRV310")
    assert sorted((p.path.rsplit("/", 1)[1], p.line) for p in problems) == [("item.en.md", 3), ("item.en.md", 4)]


def test_grv310_same_instant_written_differently_is_fine(make_site) -> None:
    files = {}
    files.update(fm("date: '09-01-2023 10:00'\n", name="item.kk.md"))
    files.update(fm("date: '2023-01-09 10:00'\n", name="item.ru.md"))
    files["user/config/system.yaml"] = "languages:\n    supported: [kk, ru]\n"
    assert codes_at(make_site(files), "GRV310") == []


def test_grv306_publish_date_on_another_day(make_site) -> None:
    root = make_site(fm("date: '09-01-2023 10:00'\npublish_date: '19-01-2023 10:00'\n"))
    [problem] = problems_in(root, "GRV306")
    assert (problem.line, "10 days away") == (4, "10 days away") and "10 days away" in problem.message
    same = make_site(fm("date: '09-01-2023 10:00'\npublish_date: '2023-01-09 12:00'\n", folder="02.same"))
    assert [p for p in problems_in(same, "GRV306") if "02.same" in p.path] == []


def test_unquoted_iso_only_reported_once(make_site) -> None:
    root = make_site(fm("date: 2015-06-28\n"))
    assert [p.code for p in problems_in(root, "GRV3")] == ["GRV302"]


def test_grv310_two_languages_both_reported(make_site) -> None:
    files = {}
    files.update(fm("date: '09-01-2023 10:00'\n", name="item.kk.md"))
    files.update(fm("date: '10-01-2023 10:00'\n", name="item.ru.md"))
    files["user/config/system.yaml"] = "languages:\n    supported: [kk, ru]\n"
    problems = problems_in(make_site(files), "GRV310")
    assert sorted(p.path.rsplit("/", 1)[1] for p in problems) == ["item.kk.md", "item.ru.md"]
    assert "item.ru.md ('10-01-2023 10:00')" in problems[0].message


def test_grv305_unreadable_dates_do_not_vote_but_folder_names_do(make_site) -> None:
    files = {}
    files.update(fm("date: '05-20-2024 10:00'\n", "01.broken"))  # GRV301, no vote for month-first
    files.update(fm("date: '12-03-2024 10:00'\n", "02.2024-03-12-open-day"))  # folder says day first
    files.update(fm("date: '02-04-2024 10:00'\n", "03.2024-04-02-donor-day"))
    files.update(fm("date: '03/04/2024 10:00'\n", "04.2024-04-03-slash"))  # Grav: 4 March; folder: 3 April
    files.update(fm("date: '06/05/2024 10:00'\n", "05.no-folder-date"))
    found = [(p.path.split("01.blog/")[1], p.line) for p in problems_in(make_site(files), "GRV305")]
    assert found == [("04.2024-04-03-slash/item.md", 3), ("05.no-folder-date/item.md", 3)]
