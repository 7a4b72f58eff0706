"""The cheap proof that a page is already canonical (core.already_canonical, fast.py) answers
exactly what the full normaliser answers, or nothing: the same text, notes, votes and recorded
questions to the site's votes, on every corpus page (as written and once normalised) and on
near misses of the canonical layout.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import CORPUS, need_shared

import grav_tools.normalise.core as core
from grav_tools.normalise.dates import AssumedVotes
from grav_tools.normalise.fast import body_is_clean, read_canonical_header
from grav_tools.normalise.options import NormaliseOptions
from grav_tools.normalise.text import clean_body
from grav_tools.site import SiteConfig, find_site_root, load_site
from grav_tools.source import decode

SITE = SiteConfig()
VARIANTS = [
    NormaliseOptions(),
    NormaliseOptions(indent=2),
    NormaliseOptions(key_order=()),
    NormaliseOptions(booleans=False),
    NormaliseOptions(dates=False),
    NormaliseOptions(carousel=False),
    NormaliseOptions(summary_separator=False),
    NormaliseOptions(trim_trailing_whitespace=False, final_newline=False),
    NormaliseOptions(assume="dmy"),
    NormaliseOptions(convention="mdy", quote_style="keep"),
]
CANONICAL = """---
title: 'Hello world'
published: true
date: '01-02-2020 10:00'
taxonomy:
    category:
        - blog
    tag:
        - one
        - 'two words'
order: 3
empty:
nothing: []
author: Пресс-служба
---

Body text.

===

More.
"""


def _full(text: str, site: SiteConfig, options: NormaliseOptions,
          monkeypatch: pytest.MonkeyPatch) -> tuple[core.PageResult, AssumedVotes]:
    with monkeypatch.context() as patch:
        patch.setattr(core, "already_canonical", lambda *args: None)
        probe = AssumedVotes()
        return core.normalise_text(text, site, options, probe), probe


def _agree(text: str, site: SiteConfig, options: NormaliseOptions, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether the fast path answered; fails when its answer differs from the full one."""
    probe = AssumedVotes()
    fast = core.already_canonical(text, site, options, probe)
    if fast is None:
        assert not probe.asked, "a page that falls back must not leave its question recorded twice"
        return False
    full, full_probe = _full(text, site, options, monkeypatch)
    assert fast.text == full.text == text
    assert fast.notes == full.notes
    assert fast.votes == full.votes
    assert probe.asked == full_probe.asked
    return True


def test_canonical_page_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _agree(CANONICAL, SITE, NormaliseOptions(), monkeypatch)
    assert not _agree(CANONICAL, SITE, NormaliseOptions(indent=2), monkeypatch)


NEAR_MISSES = [
    ("title: 'Hello world'", "title: Hello world"),  # needs quotes
    ("title: 'Hello world'", 'title: "Hello world"'),
    ("title: 'Hello world'", "title: 'Hello'"),  # quotes Symfony would not write
    ("published: true", "published: True"),
    ("published: true", "published: yes"),
    ("date: '01-02-2020 10:00'", "date: '2020-02-01 10:00'"),
    ("date: '01-02-2020 10:00'", "date: 2020-02-01"),  # unquoted ISO date
    ("date: '01-02-2020 10:00'", "date: '01-02-20'"),  # two-digit year: a note
    ("date: '01-02-2020 10:00'", "date: '2021-07-01T11:45:00+06:00'"),  # kept, with a note
    ("date: '01-02-2020 10:00'", "date: '05-03-2020 10:00'\npublish_date: '25-03-2020 10:00'"),
    ("date: '01-02-2020 10:00'", "date: '05/03/2020 10:00'\npublish_date: '03/25/2020 10:00'"),
    ("date: '01-02-2020 10:00'", "date: '05/03/2020 10:00'"),  # asks the site's votes
    ("date: '01-02-2020 10:00'", "date:"),
    ("date: '01-02-2020 10:00'", "date: 12"),
    ("        - blog", "      - blog"),
    ("        - blog", "    - blog"),
    ("        - blog", "        -  blog"),
    ("        - blog", "        - blog "),
    ("        - blog", "        - blog # note"),
    ("        - blog", "        - [blog]"),
    ("    category:\n        - blog", "    category: [blog]"),
    ("    category:\n        - blog", "    category:\n    - blog"),
    ("order: 3", "order: 3 # third"),
    ("order: 3", "# comment\norder: 3"),
    ("order: 3", "\norder: 3"),
    ("order: 3", "order: 0x1F"),
    ("order: 3", "order: ~"),
    ("order: 3", "order: .inf"),
    ("order: 3", "order: -3"),
    ("order: 3", "order: '3'"),
    ("order: 3", "order: -"),
    ("order: 3", "order: &a 3"),
    ("order: 3", "order: *a"),
    ("order: 3", "order: !!str 3"),
    ("order: 3", "order: |\n    3"),
    ("order: 3", "order: 3\norder: 4"),
    ("order: 3", "yes: 3"),
    ("order: 3", "null: 3"),
    ("order: 3", "'order': 3"),
    ("order: 3", "order: a\tb"),
    ("author: Пресс-служба", "author: 'Пресс-служба'"),
    ("author: Пресс-служба", "author: @self.children"),
    ("author: Пресс-служба", "author: '@self.children'"),
    ("author: Пресс-служба", "author: a:b"),
    ("author: Пресс-служба", "author: 'a: b'"),
    ("author: Пресс-служба", "author: 'it''s'"),
    ("author: Пресс-служба", "author: 'a''"),
    ("empty:", "empty: null"),
    ("empty:", "empty:\n    - x"),
    ("empty:", "empty:\n- x"),
    ("empty:", "empty:\n    x: 1"),
    ("empty:", "empty:\n        x: 1"),
    ("nothing: []", "nothing: {}"),
    ("nothing: []", "nothing: [ ]"),
    ("title: 'Hello world'\npublished: true", "published: true\ntitle: 'Hello world'"),
    ("title: 'Hello world'", "title: 'Hello world'\nxtra: 1\ntitle2: x"),
    ("Body text.\n", "Body text.  \n"),
    ("Body text.\n", "Body text.\t\n"),
    ("More.\n", "More.\n\n"),
    ("More.\n", "More."),
    ("\n===\n", "===\n"),
    ("\n===\n\nMore", "\n===\nMore"),
    ("\n===\n\nMore", "\n   ===  \n\nMore"),
    ("---\n\nBody", "---\nBody"),
    ("---\n\nBody", "---\n\n\nBody"),
    ("---\n\nBody", "----\n\nBody"),
    ("---\n\nBody", "--- \n\nBody"),
    ("Body text.", "[owl-carousel items=1]\n![](a.jpg)\n\n![](b.jpg)\n[/owl-carousel]"),
    ("Body text.", "[owl-carousel items=1]\n![](a.jpg)\n![](b.jpg)\n[/owl-carousel]"),
    ("Body text.", "Text [owl-carousel items=1]\n![](a.jpg)\n[/owl-carousel]"),
    ("Body text.", "[owl-carousel items='1']\n![](a.jpg)\n[/owl-carousel]"),
    ("Body text.", "```\ncode  \n```"),
    ("Body text.", "    indented code  "),
]


@pytest.mark.parametrize(("old", "new"), NEAR_MISSES)
def test_near_misses_agree_with_the_full_normaliser(old: str, new: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert old in CANONICAL
    text = CANONICAL.replace(old, new, 1)
    for options in VARIANTS:
        _agree(text, SITE, options, monkeypatch)
        _agree("\ufeff" + text, SITE, options, monkeypatch)
        _agree(text.replace("\n", "\r\n"), SITE, options, monkeypatch)


@pytest.mark.parametrize("body", ["", "a\n", "a", "\na\n", " a\n", "a\n\n", "a \n", "===\n", "a\n===\n",
                                  "a\n\n===\n", "a\n\n===\n\nb\n", "a\n\n   ===\n\nb\n", "a\n\n===\nb\n",
                                  "\x0ba\n", "a\n \n", "a\n\t\n"])
def test_clean_body_check_never_claims_a_change(body: str) -> None:
    if body_is_clean(body, "==="):
        assert clean_body(body, "===") == (body, [])


def test_header_reader_answers_only_for_the_writers_layout() -> None:
    assert read_canonical_header("title: x\ntags:\n    - a", 4, ("title",), True) is not None
    assert read_canonical_header("tags:\n    - a\ntitle: x", 4, ("title",), True) is None  # key order
    assert read_canonical_header("title: x\n", 4, (), True) is None  # a blank line
    assert read_canonical_header("", 4, (), True) is None


def _pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.md"))


def test_every_corpus_page_agrees(monkeypatch: pytest.MonkeyPatch) -> None:
    """As written and once normalised: the fast path answers for the normalised ones."""
    grav = CORPUS / "grav"
    need_shared(grav)
    answered = 0
    for site_dir in sorted(p for p in grav.iterdir() if p.is_dir()):
        site = load_site(find_site_root(site_dir))
        for path in _pages(site_dir):
            decoded = decode(path.read_bytes())
            if not decoded.utf8:
                continue
            for options in VARIANTS[:3]:
                _agree(decoded.text, site, options, monkeypatch)
                full, _ = _full(decoded.text, site, options, monkeypatch)
                if full.text is not None:
                    answered += _agree(full.text, site, options, monkeypatch)
    assert answered > 500


def test_votes_of_a_canonical_page() -> None:
    page = CANONICAL.replace("date: '01-02-2020 10:00'", "date: '25-02-2020 10:00'")
    result = core.already_canonical(page, SITE, NormaliseOptions(), Counter())
    assert result is not None and result.votes == Counter({"dmy*": 1})


CAROUSEL_PIECES = [
    "[owl-carousel items=1 margin=10]", "[/owl-carousel]", "![](a.jpg)", '![](b.jpg "x")', "", " ", "text", "```",
    "~~~", "    code", "\t[owl-carousel]", "[owl-carousel]", "`[owl-carousel]`", '[owl-carousel class="a/b"]',
    "[owl-carousel a=1 a=2]", "[owl-carousel]: http://x", "[/owl-carousel]: http://x", "[owl-carousel](http://x)",
    "<pre>", "</pre>", "> quote", "- item", "[/owl-carousel][owl-carousel]", "[x]", "[", "[owl-carousel items=1]",
    '[owl-carousel class="gallery-owl" items=3 loop=true]', "\\[owl-carousel]", "1. [owl-carousel]", "  ",
    "[ref]: /owl", "<div>", "</div>", "[owl-carousel\nitems=1]", "[owl-carousel items='1']", "[owl-carousel a=b/c]",
]


def test_carousels_seen_clean_without_a_scan_need_no_work() -> None:
    """carousel._plainly_clean only ever answers True where the full scan finds nothing to fix."""
    import random

    from grav_tools.normalise.carousel import _needs_work, _plainly_clean

    chooser = random.Random(7)
    claims = 0
    for _ in range(20000):
        body = "\n".join(chooser.choice(CAROUSEL_PIECES) for _ in range(chooser.randint(1, 10)))
        if "owl-carousel" in body and _plainly_clean(body):
            claims += 1
            assert not _needs_work(body), body
    assert claims > 1000


VOTING = ["date: '28-11-2015 10:00'", "date: 11/28/2015", 'date: "\\x32\\x38-11-2015"', "date: 2015-11-28",
          "date: '28.11.2015'", "publish_date: 5-13-15", "title: x\ndate: &d '13-05-2015'\npublish_date: *d",
          "date: 28 Nov 2015", "date: '١٣-٠٥-٢٠١٥'", "date: |\n    13-05-2015"]


@pytest.mark.parametrize("header", VOTING)
def test_votes_skip_the_parse_only_where_no_date_could_vote(header: str) -> None:
    from grav_tools.normalise.core import header_votes
    from grav_tools.normalise.run import file_votes
    from grav_tools.yamlio import parse_header

    raw = f"---\n{header}\n---\n\nBody\n".encode()
    expected = header_votes(parse_header(header).root, SITE, NormaliseOptions())
    assert file_votes(raw, SITE, NormaliseOptions()) == expected


def test_votes_of_every_corpus_page_match_a_full_parse() -> None:
    from grav_tools.normalise.core import header_votes
    from grav_tools.normalise.run import file_votes
    from grav_tools.page import split_frontmatter
    from grav_tools.yamlio import parse_header

    grav = CORPUS / "grav"
    need_shared(grav)
    for path in _pages(grav):
        raw = path.read_bytes()
        decoded = decode(raw)
        split = split_frontmatter(decoded.text.replace("\r\n", "\n").replace("\r", "\n"))
        expected: Counter[str] = Counter()
        if decoded.utf8 and split.header is not None and "date" in decoded.text:
            expected = header_votes(parse_header(split.header).root, SITE, NormaliseOptions())
        assert file_votes(raw, SITE, NormaliseOptions()) == expected, path


def test_clean_body_check_on_generated_bodies() -> None:
    import random

    pieces = ["text", "", " ", "\t", "===", "  ===", "    ===", "=== ", "===x", "a  ", "```", "    code  ", "# h",
              "- item", "\x0b", "\u00a0", "<pre>", "</pre>", "---", "***"]
    chooser = random.Random(11)
    claims = 0
    for _ in range(20000):
        body = "\n".join(chooser.choice(pieces) for _ in range(chooser.randint(0, 8))) + chooser.choice(["", "\n"])
        if body_is_clean(body, "==="):
            claims += 1
            assert clean_body(body, "===") == (body, []), repr(body)
    assert claims > 500


@pytest.mark.parametrize("workers", [2, 3, 5])
def test_chunks_shared_by_this_process_and_the_pool_come_back_in_order(workers: int,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from grav_tools.normalise import run

    monkeypatch.setattr(run, "PARALLEL_THRESHOLD", 1)
    jobs = list(range(1000))
    with ThreadPoolExecutor(workers - 1) as pool:
        out = run._map(lambda chunk: [job * 2 for job in chunk], jobs, pool, workers)  # type: ignore[arg-type,misc]
    assert out == [job * 2 for job in jobs]
