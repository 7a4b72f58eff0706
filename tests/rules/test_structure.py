"""GRV6xx: duplicate routes, the summary separator, translation sets, unnumbered folders."""

from __future__ import annotations

import pytest
from helpers import codes_at, page, problems_in

HEAD = "---\ntitle: T\n---\n\n"  # the body starts on line 5
NEWS = "user/pages/02.news"
LANGS = {"user/config/system.yaml": "languages:\n    supported: [kk, ru, en]\n"}


# ------------------------------------------------------------------ GRV601 duplicate routes

def test_grv601_same_slug_after_prefix(make_site) -> None:
    text = HEAD + "Balkhash\n"
    root = make_site({
        f"{NEWS}/02.2023-02-02-balkhash/item.md": text,
        f"{NEWS}/02.2023-02-02-balkhash/a.jpg": b"x",
        f"{NEWS}/03.2023-02-02-Balkhash/item.md": text,  # lower-cased route: same
        f"{NEWS}/03.2023-02-02-Balkhash/a.jpg": b"x",
        f"{NEWS}/04.2023-02-03-other/item.md": text,
    })
    problems = problems_in(root, "GRV601")
    assert [(p.path.split("02.news/")[1], p.line, p.column) for p in problems] == [
        ("03.2023-02-02-Balkhash/item.md", 1, 1)
    ]
    assert "same route as its sibling '02.2023-02-02-balkhash'" in problems[0].message
    assert "serves one of them at random and lists both" in problems[0].message
    assert "identical copy" in problems[0].message


def test_grv601_three_copies_are_each_compared_with_the_first_and_each_page_read_once(make_site, monkeypatch) -> None:
    import grav_tools.rules.structure as structure

    read: list[str] = []
    real = structure._page_text

    def counting(summary):  # type: ignore[no-untyped-def]
        read.append(summary.folder)
        return real(summary)

    monkeypatch.setattr(structure, "_page_text", counting)
    root = make_site({
        f"{NEWS}/01.post/item.md": HEAD + "Same\n",
        f"{NEWS}/02.Post/item.md": HEAD + "Same\n",
        f"{NEWS}/03.POST/item.md": HEAD + "Changed\n",
    })
    problems = problems_in(root, "GRV601")
    assert [(p.path.split("02.news/")[1], "identical copy" in p.message, "text differs" in p.message)
            for p in problems] == [("02.Post/item.md", True, False), ("03.POST/item.md", False, True)]
    assert len(read) == 3 and len(set(read)) == 3


def test_grv601_slug_header_and_changed_copy(make_site) -> None:
    root = make_site({
        f"{NEWS}/01.first/item.md": HEAD + "One\n",
        f"{NEWS}/02.second/item.md": "---\ntitle: T\nslug: first\n---\n\nTwo\n",
        f"{NEWS}/03.third/item.md": HEAD + "Three\n",
    })
    [problem] = problems_in(root, "GRV601")
    assert (problem.path.split("02.news/")[1], problem.line, problem.column) == ("02.second/item.md", 3, 7)
    assert "its slug header 'first'" in problem.message


def test_grv601_distinct_routes(make_site) -> None:
    root = make_site({f"{NEWS}/01.a/item.md": HEAD, f"{NEWS}/02.b/item.md": HEAD, f"{NEWS}/01._a/item.md": HEAD})
    assert codes_at(root, "GRV601") == []


# ------------------------------------------------------------------ GRV602 / GRV603 separator

SEPARATOR_CASES = [
    # (body, expected (line, column, severity))
    ("Intro.\n\n===\n\nRest.\n", []),
    ("Intro.\n===\n\nRest.\n", [(6, 1, "error")]),  # setext <h1>
    ("Intro.\n\n===  \n\nRest.\n", [(7, 4, "warning")]),  # trailing spaces
    ("Intro.\n\n===\nRest.\n", [(7, 1, "warning")]),  # joined with the next line
    ("Intro.\n\n   ===\n\nRest.\n", []),  # up to 3 leading spaces
    ("Intro.\n====\n\n```\ntext\n===\n```\n", []),  # ==== is text; code is ignored
    ("# Title\n===\n\nRest.\n", []),  # under a heading: a new paragraph
    ("Intro.\n\n===\n## Next\n", []),  # followed by a heading: fine
]


@pytest.mark.parametrize(("body", "expected"), SEPARATOR_CASES)
def test_grv602_separator(make_site, body: str, expected: list) -> None:
    problems = problems_in(make_site(page(HEAD + body)), "GRV602")
    assert [(p.line, p.column, p.severity.label) for p in problems] == expected
    assert all(p.fixable for p in problems)


def test_grv602_site_delimiter(make_site) -> None:
    root = make_site({
        "user/config/site.yaml": "summary:\n    delimiter: '<!-- more -->'\n",
        **page(HEAD + "Intro.\n<!-- more -->\n\n===\nRest.\n"),
    })
    assert codes_at(root, "GRV602") == [("GRV602", 6, 1)]


def test_grv603_several_separators(make_site) -> None:
    root = make_site(page(HEAD + "Intro.\n\n===\n\nMore.\n\n===\n\nEnd.\n"))
    assert codes_at(root, "GRV603") == [("GRV603", 11, 1)]


def test_grv603_item_without_separator(make_site) -> None:
    long_body = ("A sentence that goes on. " * 20) + "\n"
    root = make_site({
        "user/pages/01.blog/01.long/item.md": HEAD + long_body,
        "user/pages/01.blog/02.short/item.md": HEAD + "Short.\n",
        "user/pages/01.blog/03.page/default.md": HEAD + long_body,
        "user/pages/01.blog/04.summary-off/item.md": "---\ntitle: T\nsummary:\n    format: long\n---\n\n" + long_body,
    })
    problems = problems_in(root, "GRV603")
    assert [(p.path.split("01.blog/")[1], p.line, p.column) for p in problems] == [("01.long/item.md", 5, 1)]
    assert "first 300 characters" in problems[0].message


# ------------------------------------------------------------------ GRV604 translation sets

def test_grv604_published_and_taxonomy(make_site) -> None:
    folder = f"{NEWS}/01.post"
    root = make_site({
        **LANGS,
        f"{folder}/item.kk.md": HEAD + "Kk\n",
        f"{folder}/item.ru.md": "---\ntitle: T\npublished: true\ntaxonomy:\n    category: [news]\n---\n\nRu\n",
        f"{folder}/item.en.md": HEAD + "En\n",
    })
    found = [(p.path.rsplit("/", 1)[1], p.line, p.column, p.severity.label) for p in problems_in(root, "GRV604")]
    assert found == [
        ("item.en.md", 1, 1, "warning"),
        ("item.kk.md", 1, 1, "warning"),
        ("item.ru.md", 4, 1, "warning"),
    ]
    messages = [p.message for p in problems_in(root, "GRV604")]
    assert "item.ru.md sets `published: true` (line 3)" in messages[0]
    assert "'category' only here (news)" in messages[2]


def test_grv604_translated_taxonomy_values_are_info(make_site) -> None:
    folder = f"{NEWS}/01.post"
    root = make_site({
        **LANGS,
        f"{folder}/item.kk.md": "---\ntitle: T\ntaxonomy:\n    tag: [a]\n---\n",
        f"{folder}/item.ru.md": "---\ntitle: T\ntaxonomy:\n    tag: [a]\n---\n",
        f"{folder}/item.en.md": "---\ntitle: T\ntaxonomy:\n    tag: [b]\n---\n",
    })
    assert [(p.line, p.severity.label) for p in problems_in(root, "GRV604")] == [(3, "info")]


def test_grv604_missing_language(make_site) -> None:
    files = dict(LANGS)
    for n in range(1, 5):
        for lang in ("kk", "ru", "en"):
            if n == 3 and lang == "en":
                continue
            files[f"{NEWS}/0{n}.post-{n}/item.{lang}.md"] = HEAD + "x\n"
    problems = problems_in(make_site(files), "GRV604")
    assert [(p.path.split("02.news/")[1], p.line) for p in problems] == [("03.post-3/item.kk.md", 1)]
    assert "no 'en' version, though 3 of its 4 sibling folders have one" in problems[0].message


def test_grv604_consistent(make_site) -> None:
    text = "---\ntitle: T\npublished: true\ntaxonomy:\n    category: news\n---\n"
    root = make_site({**LANGS, **{f"{NEWS}/01.post/item.{lang}.md": text for lang in ("kk", "ru", "en")}})
    assert codes_at(root, "GRV604") == []


# ------------------------------------------------------------------ GRV605 unnumbered folder

def test_grv605_unnumbered_post(make_site) -> None:
    files = {f"{NEWS}/0{n}.post-{n}/item.md": HEAD for n in range(1, 10)}  # 9 numbered, 3 not
    files[f"{NEWS}/2024-04-05-program/item.md"] = HEAD
    files[f"{NEWS}/visible-post/item.md"] = "---\ntitle: T\nvisible: false\n---\n"
    files[f"{NEWS}/search/search.md"] = HEAD  # another kind of page
    problems = problems_in(make_site(files), "GRV605")
    assert [(p.path.split("02.news/")[1], p.line, p.column) for p in problems] == [("2024-04-05-program/item.md", 1, 1)]
    assert "hides it from menus" in problems[0].message


def test_grv605_site_that_rarely_numbers(make_site) -> None:
    files = {f"user/pages/blog/post-{n}/item.md": HEAD for n in range(1, 4)}
    files["user/pages/blog/01.first/item.md"] = HEAD
    assert codes_at(make_site(files), "GRV605") == []
