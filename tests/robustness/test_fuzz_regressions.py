"""Every crash and wrong answer the fuzzers found, kept as a test.

`fuzz_crashes/` holds the inputs atheris minimised (replayed through the harness itself, so the
check is the same: no exception, positions inside the file, the same answer twice); the tests
below pin each fix down directly.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

import grav_tools.lint as lint_module
from grav_tools.config import Config
from grav_tools.discover import discover
from grav_tools.lint import lint
from grav_tools.problems import Finding, Severity
from grav_tools.rules import REGISTRY, SITE, Rule
from grav_tools.yamlio import bounded_repr, parse_header, resolve_plain, to_python, walk

HERE = Path(__file__).parent
CRASHES = sorted((HERE / "fuzz_crashes").iterdir())


def _harness():
    spec = importlib.util.spec_from_file_location("fuzz_validate", HERE.parents[1] / "fuzz" / "fuzz_validate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HARNESS = _harness()


@pytest.mark.parametrize("path", CRASHES, ids=[p.name for p in CRASHES])
def test_atheris_crash_stays_fixed(path: Path) -> None:
    HARNESS.one_input(path.read_bytes())


def build(tmp_path: Path, files: dict[str, str | bytes], system: str = "") -> Path:
    for rel, content in files.items():
        target = tmp_path / "user" / "pages" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if system:
        (tmp_path / "user" / "config").mkdir(parents=True, exist_ok=True)
        (tmp_path / "user" / "config" / "system.yaml").write_text(system, encoding="utf-8")
    return tmp_path


def problems(root: Path | str) -> list[tuple[str, str, int, int, str]]:
    return [(p.path, p.code, p.line, p.column, p.message) for p in lint(discover([str(root)]), Config(), jobs=1).problems]


# --- yamlio -------------------------------------------------------------------------------------------


def test_columns_after_a_lenient_repair_are_columns_of_the_file() -> None:
    # the fallback quotes the value ('...' with doubled quotes): positions must not move with it
    text = "date: 2024-07-15mmtitle: 'A B'\ntitle:    Note: it's here   # c\nl:\n  -   @a'b"
    header = parse_header(text)
    spans = {n.text: (n.line, n.column, n.end_line, n.end_column) for n in walk(header.root) if hasattr(n, "text")}
    assert spans["2024-07-15mmtitle: 'A B'"] == (1, 7, 1, 31)
    assert spans["Note: it's here"] == (2, 11, 2, 26)
    assert spans["@a'b"] == (4, 7, 4, 11)
    lines = text.split("\n")
    assert all(n.end_column <= len(lines[n.end_line - 1]) + 1 for n in walk(header.root) if n.end_line <= len(lines))


@pytest.mark.parametrize(("doc", "expected"), [  # what Symfony YAML (run through PHP) makes of them
    ("a: x\u2028y", {"a": "x\u2028y"}), ("a: x\u0085y", {"a": "x\u0085y"}), ("a: x\u2029y\nb: 1", {"a": "x\u2029y", "b": 1}),
    ("a: x\x08y", {"a": "x\x08y"}), ('a: "x\x07"', {"a": "x\x07"}), ("a: x\x7fy", {"a": "x\x7fy"}),
    ("a: x\ufffey", {"a": "x\ufffey"}), ("a: [x\u2028, y]", {"a": ["x\u2028", "y"]}), ("\u2028a: 1", {"\u2028a": 1}),
    ("a: x\x00", {"a": "x"}), ("a: \x0bx\x0b", {"a": "x"}), ("a: '\x0bx'", {"a": "\x0bx"}), ("a: \x00\x0b", {"a": None}),
    ("a: 0618", {"a": "0618"}), ("a: -0618", {"a": "-0618"}), ("a: 08", {"a": "08"}), ("a: 0755", {"a": 493}),
])
def test_characters_libyaml_misreads_are_read_as_symfony_reads_them(doc: str, expected: object) -> None:
    header = parse_header(doc)
    assert header.error is None and header.strict
    assert to_python(header.root) == expected


def test_line_separators_do_not_shift_positions() -> None:
    # libyaml counts U+2028 as a new line; positions must stay those of the file (only \n counts)
    header = parse_header("title: a\u2028b\u2029c\nnext: 1", first_line=2)
    spans = {n.text: (n.line, n.column) for n in walk(header.root) if hasattr(n, "text")}
    assert spans == {"title": (2, 1), "a\u2028b\u2029c": (2, 8), "next": (3, 1), "1": (3, 7)}


def test_non_octal_leading_zero_is_text() -> None:
    assert resolve_plain("0618") == "0618"
    assert resolve_plain("0755") == 493


def test_bounded_repr_of_shared_data_is_small() -> None:
    data: list[object] = ["lol"] * 9
    for _ in range(40):  # 9**40 items if printed in full
        data = [data] * 9
    text = bounded_repr(data)
    assert len(text) <= 210 and text.startswith("[[[[") and text.endswith("...")
    assert bounded_repr({"a": [1, "x", None, 2.5]}) == repr({"a": [1, "x", None, 2.5]})


def test_bounded_repr_of_a_scalar() -> None:
    """A scalar takes a shortcut past the general walk; it cuts the same way."""
    for value in (True, None, 0, 1.5, "", "a'b", "\n" * 60, "y" * 198):
        assert bounded_repr(value) == repr(value)
    assert bounded_repr("z" * 5000) == repr("z" * 200)[:200] + "..."  # cut before repr(), then after
    assert bounded_repr(10**300) == repr(10**300)[:200] + "..."
    assert bounded_repr("ab", 3) == "'ab..." and bounded_repr(True, 0) == ""


def test_an_octal_number_too_long_to_print_in_decimal_is_described_not_a_crash(tmp_path: Path) -> None:
    """Found by hypothesis: `published: 0777...` (thousands of digits) reads as an int that Python
    refuses to repr() (over 4300 decimal digits); the page lost every result to a GRV100."""
    huge = int("7" * 4800, 8)
    assert bounded_repr(huge) == f"<an integer of {huge.bit_length()} bits>"
    assert bounded_repr([huge]) == f"[<an integer of {huge.bit_length()} bits>]"
    page = tmp_path / "post" / "item.md"
    page.parent.mkdir()
    page.write_text("---\ntitle: T\npublished: 0" + "7" * 4800 + "\n---\nbody\n", encoding="utf-8")
    result = lint(discover([str(tmp_path)]), Config(), jobs=1)
    assert [p.code for p in result.problems if p.code == "GRV100"] == []


# --- rules --------------------------------------------------------------------------------------------


def test_nul_after_a_lone_cr_is_reported_on_the_right_line(tmp_path: Path) -> None:
    root = build(tmp_path, {"01.a/item.md": b"---\r\ntitle: A\r\n---\r\nab\rc\x00d\r\n"})
    assert [(line, col) for _, code, line, col, _ in problems(root) if code == "GRV104"] == [(5, 2)]


def test_nul_in_a_media_path_is_a_missing_file_not_a_crash(tmp_path: Path) -> None:
    root = build(tmp_path, {"01.a/item.md": "---\ntitle: A\n---\n![](sub\x00dir/a.jpg) ![](../x\x00y/a.jpg)\n"})
    found = problems(root)
    assert not [m for *_, m in found if "internal error" in m]
    assert [code for _, code, line, _, _ in found if line == 4].count("GRV501") == 2


def test_dates_php_accepts_and_python_cannot_hold(tmp_path: Path) -> None:
    # year 0 and negative years are dates for PHP; datetime() raised ValueError in four rules
    page = ("---\ntitle: A\ndate: '{d}'\npublish_date: '0000-01-05 10:00'\nunpublish_date: '-0001-01-01'\n"
            "published: true\n---\n")
    root = build(tmp_path, {"01.a/item.en.md": page.format(d="0000-01-01 10:00"),
                            "01.a/item.ru.md": page.format(d="10000-01-01 10:00")},
                 system="languages:\n  supported: [en, ru]\n")
    found = problems(root)
    assert not [m for *_, m in found if "internal error" in m]
    codes = {(path.rsplit("/", 1)[-1], code) for path, code, *_ in found}
    assert {("item.en.md", "GRV306"), ("item.en.md", "GRV308"), ("item.en.md", "GRV310")} <= codes


def test_a_crashing_site_rule_becomes_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = build(tmp_path, {"01.a/item.md": "---\ntitle: A\npublished: no\n---\n"})

    def explode(pages):
        yield Finding(1, 1, "before the crash", path=pages[0].display)
        raise RuntimeError("boom")

    monkeypatch.setitem(REGISTRY, "GRV698", Rule("GRV698", "explode", Severity.ERROR, SITE, explode, False))
    found = lint(discover([str(root)]), Config(select=("GRV698", "GRV100", "GRV208")), jobs=1).problems
    assert sorted(p.code for p in found) == ["GRV100", "GRV208", "GRV698"]  # the run went on
    crash = next(p for p in found if p.code == "GRV100")
    assert "internal error in grav-tools in the site rule GRV698 (RuntimeError: boom)" in crash.message


def test_many_files_in_one_folder_do_not_make_messages_grow(tmp_path: Path) -> None:
    root = build(tmp_path, {f"01.a/p{i:02d}.md": "---\ntitle: T\n---\n" for i in range(30)})
    messages = [m for _, code, *_, m in problems(root) if code == "GRV105"]
    assert len(messages) == 29 and all("and 22 more" in m for m in messages)


# --- discover and relative paths ------------------------------------------------------------------------


def test_dot_at_a_site_root_shows_whole_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = build(tmp_path, {"01.a/item.md": "---\ntitle: A\npublished: no\n---\n"})
    monkeypatch.chdir(root)
    assert [t.display for t in discover(["."])] == ["user/pages/01.a/item.md"]  # was "er/pages/..."
    assert [t.display for t in discover(["./"])] == ["user/pages/01.a/item.md"]


def test_relative_and_absolute_paths_give_the_same_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = build(tmp_path, {
        "01.blog/01.a/item.md": "---\ntitle: A\n---\n![](../02.b/pic.jpg)\n![](../02.b/nope.jpg)\n",
        "01.blog/02.b/item.md": "---\ntitle: B\n---\n![](pic.jpg)\n",
        "01.blog/02.b/pic.jpg": b"x",
    })
    absolute = [(p.rsplit("/user/pages/", 1)[-1], c, line) for p, c, line, *_ in problems(root)]
    monkeypatch.chdir(root)
    relative = [(p.rsplit("user/pages/", 1)[-1], c, line) for p, c, line, *_ in problems(".")]
    assert relative == absolute
    assert ("01.blog/01.a/item.md", "GRV501", 5) in absolute  # `../02.b/nope.jpg` is looked up, not "outside"


def test_json_report_of_a_hostile_page_is_valid(tmp_path: Path) -> None:
    import io

    from grav_tools.report import render

    root = build(tmp_path, {"01.a/item.md": "---\ntitle: \u2028\x00\ud7ff\n? [a]\n: b\n---\n\x00\ufeff"})
    buffer = io.StringIO()
    render("json", lint(discover([str(root)]), Config(), jobs=1), buffer)
    assert json.loads(buffer.getvalue())["files_checked"] == 1


def test_per_folder_caches_keep_parallel_runs_equal_to_serial_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the fixes keep worker processes and the main process in agreement (per-folder caches)
    files = {f"01.blog/{i:02d}.p/item.md": f"---\ntitle: T\ndate: '0{i % 9 + 1}-01-2023 10:00'\n---\n![](sub/a.jpg)\n"
             for i in range(30)}
    root = build(tmp_path, files)
    targets = discover([str(root)])
    serial = lint(targets, Config(), jobs=1).problems
    monkeypatch.setattr(lint_module, "PARALLEL_THRESHOLD", 1)
    assert lint(targets, Config(), jobs=2).problems == serial


def test_one_rule_lists_at_most_500_problems_per_file(tmp_path: Path) -> None:
    body = "".join(f"![](missing-{i}.jpg)\n\n" for i in range(700))
    root = build(tmp_path, {"01.a/item.md": "---\ntitle: A\n---\n" + body})
    missing = [(line, m) for _, code, line, _, m in problems(root) if code == "GRV501"]
    assert len(missing) == 501
    assert missing[-1][1].startswith("more than 500 GRV501 problems in this file") and missing[-1][0] == 4 + 2 * 500


def test_shortcodes_nested_past_the_limit_stay_bounded() -> None:
    from grav_tools.shortcodes import MAX_OPEN_TAGS, pair_blocks, scan_tags

    depth = 3 * MAX_OPEN_TAGS
    body = "[owl-carousel]\n" * depth + "x\n" * 100 + "[/owl-carousel]\n" * depth
    blocks, strays = pair_blocks(scan_tags(body, 1, ["owl-carousel"]), "owl-carousel")
    assert len(blocks) == depth
    assert sum(len(b.content_lines) for b in blocks) <= MAX_OPEN_TAGS * body.count("\n")
    shallow = "[owl-carousel]\n[owl-carousel]\nx\n[/owl-carousel]\n[/owl-carousel]\n"
    outer, inner = pair_blocks(scan_tags(shallow, 1, ["owl-carousel"]), "owl-carousel")[0]
    assert inner.parent is outer and outer.content_lines == (2, 3, 4) and inner.content_lines == (3,)


def test_a_date_token_search_never_looks_past_the_token_limit(monkeypatch) -> None:
    """atheris: a 4 KB `date:` of digits and NULs took 10 s (every rule tried every end of the
    rest of the string). Each rule now tries at most MAX_TOKEN ends, and a date string longer
    than MAX_DATE is not modelled at all."""
    from grav_tools._phpdate import grammar, scan

    tried: list[int] = []

    class Counting:
        def __init__(self, rx):
            self.rx = rx

        def match(self, s, pos):
            return self.rx.match(s, pos)

        def fullmatch(self, s, pos, end):
            tried.append(end - pos)
            return self.rx.fullmatch(s, pos, end)

    text = "0" * 900 + " 9 January 2023"
    for _name, rx in grammar.by_first()[ord("0")]:
        grammar.longest(Counting(rx), text + "\0" * 4, 0)  # type: ignore[arg-type]
    assert tried and max(tried) <= grammar.MAX_TOKEN
    parsed = scan.strtotime_parse("1" * (scan.MAX_DATE + 1))
    assert parsed.errors and "not checked" in parsed.errors[0]
