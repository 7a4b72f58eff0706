"""atheris harness: arbitrary bytes through the whole page pipeline of `grav-tools validate`.

    decode -> build_page -> parse_header -> to_python -> every page rule -> summarise -> site rules

Any exception is a crash (the real engine would turn it into a GRV100 "internal error" problem,
which is still a bug); so is a problem outside the file, or a different answer for the same bytes.
Run from the project root (see fuzz/README.md):

    python fuzz/fuzz_validate.py -max_total_time=60 fuzz/corpus

Without atheris the module still imports: tests/robustness/test_fuzz_regressions.py replays the
crashes it found through `one_input`.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _imports() -> None:
    global Config, PageContext, Target, SiteConfig, build_page, decode, parse_header, to_python
    global summarise, all_rules, PAGE, SITE
    from grav_tools.config import Config
    from grav_tools.context import PageContext
    from grav_tools.discover import Target
    from grav_tools.lint import summarise
    from grav_tools.page import build_page
    from grav_tools.rules import PAGE, SITE, all_rules
    from grav_tools.site import SiteConfig
    from grav_tools.source import decode
    from grav_tools.yamlio import parse_header, to_python

    all_rules()  # import every rule family (inside instrument_imports when fuzzing)


_state: dict[str, object] = {}


def _setup() -> dict[str, object]:
    """A tiny Grav site on disk, so rules that look at the page folder have something to see."""
    if not _state:
        _imports()
        root = Path(tempfile.mkdtemp(prefix="grav-fuzz-"))
        folder = root / "user" / "pages" / "01.blog" / "01.post"
        folder.mkdir(parents=True)
        media = ("a.jpg", "b.png", "doc.pdf", "item.md")
        for name in media:
            (folder / name).write_bytes(b"x")
        site = SiteConfig(root=root, languages=("en", "ru", "kk"), default_lang="en")
        rules = all_rules()
        _state.update(
            path=folder / "item.md",
            site=site,
            media=media,
            page_rules=tuple(r for r in rules if r.scope == PAGE),
            site_rules=tuple(r for r in rules if r.scope == SITE),
            options=Config().options,
        )
    return _state


def run(data: bytes) -> list[tuple[object, ...]]:
    """Every finding for a page with these bytes, as (code, line, column, end_line, end_column, message)."""
    state = _setup()
    path: Path = state["path"]  # type: ignore[assignment]
    decoded = decode(data)
    page = build_page(path, "item.md", decoded)
    split = page.split
    header = parse_header(split.header, split.header_line, split.tab_lines) if split.header is not None else None
    data_ = to_python(header.root) if header is not None and header.root is not None else None
    ctx = PageContext(page, state["site"], header, data_ if isinstance(data_, dict) else {},  # type: ignore[arg-type]
                      state["media"], state["options"])  # type: ignore[arg-type]
    found: list[tuple[object, ...]] = []
    for rule in state["page_rules"]:  # type: ignore[attr-defined]
        for f in rule.check(ctx):
            found.append((rule.code, f.line, f.column, f.end_line or f.line, f.end_column or f.column + 1, f.message))
    summary = summarise(ctx, Target(path, "item.md", state["site"], True))  # type: ignore[arg-type]
    for rule in state["site_rules"]:  # type: ignore[attr-defined]
        for f in rule.check([summary]):
            found.append((rule.code, f.line, f.column, f.end_line or f.line, f.end_column or f.column + 1, f.message))
    return found


def check_positions(data: bytes, found: list[tuple[object, ...]]) -> None:
    """Every finding points into the file: 1-based, not past the last line, not past the line's end."""
    decoded = decode(data)
    if decoded.utf8:
        text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
    else:  # GRV101 counts lines and byte columns of the raw bytes; other rules see the guessed text
        lines = decoded.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        raw_lines = data.split(b"\n")
    for code, line, column, end_line, end_column, message in found:
        assert isinstance(line, int) and isinstance(column, int), (code, line, column)
        assert line >= 1 and column >= 1, (code, line, column, message)
        assert (end_line, end_column) >= (line, column), (code, line, column, end_line, end_column, message)
        if code == "GRV101":
            assert line <= len(raw_lines) and column <= len(raw_lines[line - 1]) + 1, (code, line, column)
            continue
        assert line <= len(lines), (code, line, len(lines), message)
        assert column <= len(lines[line - 1]) + 1, (code, line, column, len(lines[line - 1]), message)
        assert end_line <= len(lines), (code, end_line, len(lines), message)  # type: ignore[operator]
        assert end_column <= len(lines[end_line - 1]) + 2, (code, end_line, end_column, message)  # type: ignore[index,operator]


def one_input(data: bytes) -> None:
    """The fuzz target: no exception, positions inside the file, the same answer twice."""
    first = run(data)
    check_positions(data, first)
    assert run(data) == first, "two runs over the same bytes disagree"


def main() -> None:
    import atheris

    with atheris.instrument_imports(include=["grav_tools"]):
        _imports()
    _setup()
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    os.environ.setdefault("TZ", "UTC")
    main()
