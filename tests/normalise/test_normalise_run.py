"""normalise_targets: the site's day/month votes, counted in the same pass that normalises (without
writing) or in a pass before it (when writing), decide exactly as if they had all been counted
first; a parallel run gives the same results as a serial one; writes in threads keep the order."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import grav_tools.normalise.run as run_module
from grav_tools.discover import discover
from grav_tools.normalise.core import normalise_text
from grav_tools.normalise.options import NormaliseOptions
from grav_tools.normalise.run import normalise_targets
from grav_tools.site import SiteConfig

# Dates written day first with dashes (PHP reads them that way) vote "dmy"; the ambiguous slashed
# date of the last page is month first to PHP: against the site's habit, so it is left and reported.
DAY_FIRST = "---\ntitle: Post {n}\ndate: '{d}-05-2018 10:00'\n---\nBody {n}\n"
AMBIGUOUS = "---\ntitle: Odd one\ndate: '05/03/2018 10:00'\npublished: True\n---\nBody\n"


def _site(make_site, count: int = 6) -> Path:
    pages = {f"user/pages/01.blog/{n:02d}.post/item.md": DAY_FIRST.format(n=n, d=20 + n) for n in range(count)}
    pages["user/pages/01.blog/99.odd/item.md"] = AMBIGUOUS
    return make_site(pages)


def _expected(root: Path) -> dict[str, str | None]:
    """What each page becomes when the site's votes are counted first (as normalise always did)."""
    site = SiteConfig(root=root)
    options = NormaliseOptions()
    votes: Counter[str] = Counter({"dmy": 6})
    return {str(p): normalise_text(p.read_text(), site, options, votes).text
            for p in sorted(root.rglob("item.md"))}


@pytest.mark.parametrize("write", [False, True])
def test_the_site_votes_decide_an_ambiguous_date(make_site, write: bool) -> None:
    root = _site(make_site)
    expected = _expected(root)
    odd = str(root / "user/pages/01.blog/99.odd/item.md")
    assert "05/03/2018" in (expected[odd] or "")  # left as written: the site writes the day first
    assert "05/03/2018" not in (normalise_text(AMBIGUOUS, SiteConfig(root=root), NormaliseOptions()).text or "")
    result = normalise_targets(discover([str(root)]), NormaliseOptions(), write=write, jobs=1)
    by_name = {f.display: f for f in result.files}
    odd_result = next(f for name, f in by_name.items() if name.endswith("99.odd/item.md"))
    assert any("writes the day first" in note.message for note in odd_result.notes)
    if write:
        for path, text in expected.items():
            assert Path(path).read_text() == text
    else:
        assert odd_result.new == expected[odd]


def test_parallel_and_serial_runs_agree(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _site(make_site, 40)
    monkeypatch.setattr(run_module, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(run_module, "WRITE_THREADS", 3)
    monkeypatch.setattr(run_module, "IN_FLIGHT", 2)
    targets = discover([str(root)])
    serial = normalise_targets(targets, NormaliseOptions(), write=False, jobs=1)
    parallel = normalise_targets(targets, NormaliseOptions(), write=False, jobs=2)
    assert serial.files == parallel.files
    written = normalise_targets(targets, NormaliseOptions(), write=True, keep_text=False, jobs=2)
    assert [(f.display, f.status, f.notes, f.reason) for f in written.files] == \
        [(f.display, f.status, f.notes, f.reason) for f in serial.files]
    assert normalise_targets(targets, NormaliseOptions(), write=False, jobs=2).count("changed") == 0


def test_discovery_says_which_page_files_are_symlinks_and_real_paths_trust_it(make_site, monkeypatch) -> None:
    """A file the folder listing called no symlink is not lstat-ed again (13k calls on a big
    site, before any parallel work); a symlinked one is still resolved."""
    import os

    root = make_site({"user/pages/01.blog/01.a/item.md": "---\ntitle: A\n---\n"})
    real = root / "user/pages/01.blog/01.a/item.md"
    (root / "user/pages/01.blog/02.b").mkdir()
    (root / "user/pages/01.blog/02.b/item.md").symlink_to(real)
    by_name = {t.display.rsplit("/", 2)[-2]: t for t in discover([str(root)])}
    assert by_name["01.a"].link is False and by_name["02.b"].link is True
    asked: list[str] = []
    real_islink = os.path.islink

    def counting(path):  # type: ignore[no-untyped-def]
        asked.append(os.fspath(path))
        return real_islink(path)

    monkeypatch.setattr(os.path, "islink", counting)
    paths = run_module._RealPaths()
    assert paths(by_name["01.a"].file, by_name["01.a"].link) == os.path.realpath(real)
    assert not [p for p in asked if p.endswith("01.a/item.md")]
    assert paths(by_name["02.b"].file, by_name["02.b"].link) == os.path.realpath(real)
