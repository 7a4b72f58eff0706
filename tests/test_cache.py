"""The results cache: unchanged pages are reused, anything that could change a verdict is not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import grav_tools.lint as lint_module
from grav_tools.cache import RACY_NS, ResultCache, RunKey, canonical, default_cache_dir
from grav_tools.config import Config, RuleOptions
from grav_tools.discover import discover
from grav_tools.lint import lint

ROOT = Path(__file__).resolve().parents[1]
GOOD = "---\ntitle: Fine\ndate: '09-01-2023 10:00'\n---\n\nText.\n"
MISSING_IMAGE = "---\ntitle: Photo\n---\n\n![a photo](photo.jpg)\n"


def _age(root: Path, seconds: int = 60) -> None:
    """Make every file and folder look older than the racy window, as a real site's files are."""
    past = time.time() - seconds
    for path in [root, *root.rglob("*")]:
        os.utime(path, (past, past))


def _site(make_site, count: int = 6) -> Path:
    files = {f"user/pages/01.blog/{i:02d}.post/item.md": GOOD for i in range(count)}
    files["user/pages/01.blog/99.photo/item.md"] = MISSING_IMAGE
    root = make_site(files)
    _age(root)
    return root


def _run(root: Path, cache_dir: Path, config: Config = Config(), jobs: int = 1) -> tuple[list, ResultCache]:
    cache = ResultCache(cache_dir, ("test", canonical(config)))
    return lint(discover([str(root)]), config, jobs=jobs, cache=cache).problems, cache


def _codes(problems: list) -> list[tuple[str, str]]:
    return sorted((p.path.rsplit("/", 2)[-2], p.code) for p in problems)


def test_second_run_reuses_every_page_and_reports_the_same(make_site, tmp_path) -> None:
    root = _site(make_site)
    cold, first = _run(root, tmp_path / "cache", Config(), jobs=1)
    assert first.hits == 0 and ("99.photo", "GRV501") in _codes(cold)
    (tmp_path / "cache" / next(p.name for p in (tmp_path / "cache").iterdir() if p.name.startswith("run-"))).unlink()
    warm, second = _run(root, tmp_path / "cache")
    assert second.hits == 7  # every page from the per-page cache (the whole-run entry was removed)
    assert warm == cold


def test_unchanged_site_reuses_the_whole_report_without_checking(make_site, tmp_path, monkeypatch) -> None:
    root = _site(make_site)
    cold, _ = _run(root, tmp_path / "cache")

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("a page was checked again")

    monkeypatch.setattr(lint_module, "check_target", must_not_run)
    warm, _ = _run(root, tmp_path / "cache")
    assert warm == cold


def test_an_edited_page_is_checked_again(make_site, tmp_path) -> None:
    root = _site(make_site)
    _run(root, tmp_path / "cache")
    page = root / "user/pages/01.blog/03.post/item.md"
    page.write_text(GOOD.replace("09-01-2023", "32-01-2023"), encoding="utf-8")  # same size, new verdict
    _age(page.parent)
    problems, cache = _run(root, tmp_path / "cache")
    assert ("03.post", "GRV301") in _codes(problems)
    assert cache.hits == 6


def test_a_media_file_added_beside_a_page_changes_its_verdict(make_site, tmp_path) -> None:
    root = _site(make_site)
    before, _ = _run(root, tmp_path / "cache")
    assert ("99.photo", "GRV501") in _codes(before)
    (root / "user/pages/01.blog/99.photo/photo.jpg").write_bytes(b"\xff\xd8\xff")
    _age(root)
    after, _ = _run(root, tmp_path / "cache")
    assert ("99.photo", "GRV501") not in _codes(after)


def test_pages_that_look_into_other_folders_are_never_cached(make_site, tmp_path) -> None:
    root = make_site({"user/pages/01.blog/01.post/item.md": "---\ntitle: A\n---\n\n![x](../02.other/a.jpg)\n",
                      "user/pages/01.blog/02.other/item.md": GOOD})
    _age(root)
    _, first = _run(root, tmp_path / "cache")
    (tmp_path / "cache" / next(p.name for p in (tmp_path / "cache").iterdir() if p.name.startswith("run-"))).unlink()
    _, second = _run(root, tmp_path / "cache")
    assert second.hits == 1  # only 02.other: 01.post's verdict depends on another folder
    (root / "user/pages/01.blog/02.other/a.jpg").write_bytes(b"\xff\xd8\xff")  # the other folder changes
    after, _ = _run(root, tmp_path / "cache")
    assert not [p for p in after if p.code == "GRV501"]


def test_a_recent_file_is_found_by_content_only(make_site, tmp_path) -> None:
    """A file younger than the racy window could be rewritten within one clock tick with the same
    size and times: its quick key is not trusted, the next run hashes it."""
    root = make_site({"user/pages/01.blog/01.post/item.md": GOOD})
    page = root / "user/pages/01.blog/01.post/item.md"
    assert time.time_ns() - page.stat().st_mtime_ns < RACY_NS
    _run(root, tmp_path / "cache")
    _drop_run_entries(tmp_path / "cache")
    _, second = _run(root, tmp_path / "cache")
    assert second.hits == second.content_hits == 1
    times = page.stat()
    page.write_text(GOOD.replace("09-01-2023", "32-01-2023"), encoding="utf-8")  # same size, new verdict
    os.utime(page, ns=(times.st_atime_ns, times.st_mtime_ns))
    _drop_run_entries(tmp_path / "cache")
    problems, third = _run(root, tmp_path / "cache")
    assert third.hits == 0 and ("01.post", "GRV301") in _codes(problems)


def _drop_run_entries(cache_dir: Path) -> None:
    for entry in cache_dir.iterdir():
        if entry.name.startswith("run-"):
            entry.unlink()


def _fresh_checkout(root: Path) -> None:
    """What `git clone` or `actions/checkout` does to a site: same bytes, new files, new times."""
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_file():
            data = path.read_bytes()
            path.unlink()
            path.write_bytes(data)
    _age(root, seconds=30)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_fresh_checkout_of_the_same_site_reuses_the_cache_by_content(make_site, tmp_path, jobs, monkeypatch) -> None:
    root = _site(make_site)
    monkeypatch.setattr(lint_module, "PARALLEL_THRESHOLD", 1)
    cold, _ = _run(root, tmp_path / "cache", jobs=jobs)
    _fresh_checkout(root)

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("checked again, though only the file times changed")

    monkeypatch.setattr(lint_module, "check_target", must_not_run)
    monkeypatch.setattr(lint_module, "_run_site_rules", must_not_run)  # the whole report is reused too
    warm, cache = _run(root, tmp_path / "cache", jobs=jobs)
    assert warm == cold and cache.hits == cache.content_hits == 7
    _, again = _run(root, tmp_path / "cache", jobs=jobs)  # the run key of this checkout was stored
    assert again.hits == 0  # answered by the whole-run entry, no page looked up


def test_a_fresh_checkout_with_one_change_checks_only_that_page(make_site, tmp_path, monkeypatch) -> None:
    root = _site(make_site)
    cold, _ = _run(root, tmp_path / "cache")
    assert ("99.photo", "GRV501") in _codes(cold)
    (root / "user/pages/01.blog/99.photo/photo.jpg").write_bytes(b"\xff\xd8\xff")  # the listing changes
    _fresh_checkout(root)
    checked: list[str] = []
    real = lint_module.check_target

    def counting(target, *args, **kwargs):  # type: ignore[no-untyped-def]
        checked.append(target.display)
        return real(target, *args, **kwargs)

    monkeypatch.setattr(lint_module, "check_target", counting)
    after, cache = _run(root, tmp_path / "cache")
    assert [path.rsplit("/", 2)[-2] for path in checked] == ["99.photo"]
    assert cache.content_hits == 6 and ("99.photo", "GRV501") not in _codes(after)


def test_the_code_fingerprint_follows_the_code_not_its_file_times(tmp_path) -> None:
    """A fresh install of the same grav-tools (new file times) finds the cache an earlier one made."""
    import shutil

    package = ROOT / "grav_tools"
    script = "from grav_tools.cache import code_fingerprint; print(code_fingerprint())"

    def fingerprint(where: Path) -> str:
        env = dict(os.environ, PYTHONPATH=str(where))
        return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env=env, cwd=where).stdout

    copy = tmp_path / "copy"
    shutil.copytree(package, copy / "grav_tools", copy_function=shutil.copy,  # new mtimes
                    ignore=shutil.ignore_patterns("__pycache__"))
    assert fingerprint(copy) == fingerprint(ROOT)
    rules = copy / "grav_tools" / "rules" / "dates.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert fingerprint(copy) != fingerprint(ROOT)


def test_site_rules_run_again_when_one_page_changes(make_site, tmp_path) -> None:
    """GRV601 compares pages: renaming one of two equal slugs must clear the finding."""
    slugged = "---\ntitle: A\nslug: same\n---\n\nText.\n"
    root = make_site({"user/pages/01.blog/01.a/item.md": slugged, "user/pages/01.blog/02.b/item.md": slugged})
    _age(root)
    before, _ = _run(root, tmp_path / "cache")
    assert any(p.code == "GRV601" for p in before)
    page = root / "user/pages/01.blog/02.b/item.md"
    page.write_text(slugged.replace("same", "othr"), encoding="utf-8")
    _age(page.parent)
    after, cache = _run(root, tmp_path / "cache")
    assert cache.hits == 1 and not any(p.code == "GRV601" for p in after)


def test_other_settings_use_another_cache(make_site, tmp_path) -> None:
    root = _site(make_site)
    _run(root, tmp_path / "cache")
    narrowed, cache = _run(root, tmp_path / "cache", Config(select=("GRV3",)))
    assert cache.hits == 0 and {p.code for p in narrowed} <= {"GRV301", "GRV302", "GRV303", "GRV304", "GRV305",
                                                              "GRV306", "GRV307", "GRV308", "GRV309", "GRV310"}
    other, cache = _run(root, tmp_path / "cache", Config(options=RuleOptions(known_keys=frozenset({"x"}))))
    assert cache.hits == 0


def test_canonical_settings_do_not_depend_on_the_hash_seed() -> None:
    script = ("from grav_tools.cache import canonical; from grav_tools.config import RuleOptions; "
              "print(repr(canonical(RuleOptions(known_keys=frozenset(['hero', 'author', 'x', 'yy', 'zzz'])))))")
    outputs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env=dict(os.environ, PYTHONHASHSEED=str(seed))).stdout for seed in (1, 2, 3)}
    assert len(outputs) == 1


def test_a_damaged_cache_is_ignored(make_site, tmp_path) -> None:
    root = _site(make_site)
    cold, _ = _run(root, tmp_path / "cache")
    for path in (tmp_path / "cache").iterdir():
        path.write_bytes(b"not a pickle at all")
    again, cache = _run(root, tmp_path / "cache")
    assert again == cold and cache.hits == 0


def test_an_unwritable_cache_folder_only_costs_time(make_site, tmp_path) -> None:
    root = _site(make_site)
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    problems, _ = _run(root, blocker / "cache")  # mkdir fails: no crash, same results
    assert ("99.photo", "GRV501") in _codes(problems)


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grav_tools", "validate", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, check=False)


def test_cli_caches_outside_the_site_and_no_cache_writes_nothing(make_site, tmp_path_factory) -> None:
    root = _site(make_site)  # the site is the whole tmp_path: caches go elsewhere
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    elsewhere = tmp_path_factory.mktemp("caches")
    cache_dir = elsewhere / "cli-cache"
    first = _cli("--format", "json", "--cache-dir", str(cache_dir), str(root))
    second = _cli("--format", "json", "--cache-dir", str(cache_dir), str(root))
    assert first.returncode == second.returncode == 1
    assert json.loads(first.stdout) == json.loads(second.stdout)
    assert any(cache_dir.iterdir())
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before  # nothing written into the site
    untouched = elsewhere / "never"
    third = _cli("--format", "json", "--no-cache", "--cache-dir", str(untouched), str(root))
    assert json.loads(third.stdout) == json.loads(first.stdout) and not untouched.exists()


def test_default_cache_dir_follows_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("GRAV_TOOLS_CACHE_DIR", str(tmp_path / "explicit"))
    assert default_cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("GRAV_TOOLS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "grav-tools"


@pytest.mark.parametrize("jobs", [1, 2])
def test_cached_and_uncached_reports_are_identical_on_the_example_site(tmp_path, jobs, monkeypatch) -> None:
    import shutil

    site = tmp_path / "site"
    shutil.copytree(ROOT / "examples" / "site", site)
    _age(site)
    monkeypatch.setattr(lint_module, "PARALLEL_THRESHOLD", 1)
    plain = lint(discover([str(site)]), Config(), jobs=jobs).problems
    first, _ = _run(site, tmp_path / "cache", jobs=jobs)
    for entry in (tmp_path / "cache").iterdir():
        if entry.name.startswith("run-"):
            entry.unlink()
    second, cache = _run(site, tmp_path / "cache", jobs=jobs)
    assert plain == first == second and cache.hits > 0


def test_an_all_hit_run_does_not_rewrite_the_pages_file(make_site, tmp_path) -> None:
    root = _site(make_site)
    _run(root, tmp_path / "cache")
    pages = next(p for p in (tmp_path / "cache").iterdir() if p.name.startswith("pages-"))
    for entry in (tmp_path / "cache").iterdir():
        if entry.name.startswith("run-"):
            entry.unlink()
    before = pages.stat().st_mtime_ns
    os.utime(pages, ns=(before - 10_000_000_000, before - 10_000_000_000))
    _, cache = _run(root, tmp_path / "cache")
    assert cache.hits == 7 and pages.stat().st_mtime_ns == before - 10_000_000_000


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_big_folder_listing_is_restored_from_the_folder(make_site, tmp_path_factory, jobs, monkeypatch) -> None:
    """Listings over lint.BIG_LISTING names do not travel with each page: the main process lists
    the folder itself, in a fresh run and from the cache, and site rules see the same names."""
    files = {f"user/pages/01.blog/01.big/photo-{i:03d}.jpg": b"\xff\xd8\xff" for i in range(lint_module.BIG_LISTING + 6)}
    files["user/pages/01.blog/01.big/item.md"] = "---\ntitle: Big\n---\n\n![x](photo-001.jpg)\n"
    files["user/pages/01.blog/01.big/item.ru.md"] = "---\ntitle: Big\n---\n\n![x](photo-002.jpg)\n"
    root = make_site(files)
    _age(root)
    monkeypatch.setattr(lint_module, "PARALLEL_THRESHOLD", 1)
    plain = lint(discover([str(root)]), Config(), jobs=jobs).problems
    cache_dir = tmp_path_factory.mktemp("big") / "cache"
    first, _ = _run(root, cache_dir, jobs=jobs)
    for entry in cache_dir.iterdir():
        if entry.name.startswith("run-"):
            entry.unlink()
    second, cache = _run(root, cache_dir, jobs=jobs)
    unused = [p for p in plain if p.code == "GRV505"]
    assert unused and "67 files" in unused[0].message  # 70 photos: 2 used, the first is the header image
    assert plain == first == second and cache.hits == 2


def test_a_run_with_hits_and_new_results_keeps_them_all(make_site, tmp_path) -> None:
    """New results go to disk as they come, the reused ones at the end: the next run finds both."""
    root = _site(make_site)
    _run(root, tmp_path / "cache")
    page = root / "user/pages/01.blog/03.post/item.md"
    page.write_text(GOOD.replace("09-01-2023", "32-01-2023"), encoding="utf-8")
    _age(page.parent)
    _, mixed = _run(root, tmp_path / "cache")
    assert mixed.hits == 6
    for entry in (tmp_path / "cache").iterdir():
        if entry.name.startswith("run-"):
            entry.unlink()
    _, after = _run(root, tmp_path / "cache")
    assert after.hits == 7
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.endswith(".tmp")]


def test_an_interrupted_run_leaves_the_pages_file_as_it_was(make_site, tmp_path, monkeypatch) -> None:
    root = _site(make_site)
    _run(root, tmp_path / "cache")
    pages = next(p for p in (tmp_path / "cache").iterdir() if p.name.startswith("pages-"))
    before = pages.read_bytes()
    (root / "user/pages/01.blog/99.photo/photo.jpg").write_bytes(b"\xff\xd8\xff")  # 99.photo is checked again
    _age(root)
    real_place = lint_module._place

    def interrupted(*args: object) -> None:
        real_place(*args)  # type: ignore[arg-type]
        raise KeyboardInterrupt

    monkeypatch.setattr(lint_module, "_place", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _run(root, tmp_path / "cache")
    assert pages.read_bytes() == before
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_first_run_takes_the_quick_keys_from_the_pages_it_reads(make_site, tmp_path, jobs, monkeypatch) -> None:
    """With no pages file yet, the main process stats nothing before the work starts: the pages
    are stamped as they are read (in the workers), and those keys are the ones the next run finds
    by file times alone, page by page and for the whole report. The entries are made where the
    pages are checked too: the main process only appends them to the pages file."""
    root = _site(make_site)
    monkeypatch.setattr(lint_module, "PARALLEL_THRESHOLD", 1)

    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the main process computed a page key or made an entry on a first run")

    with monkeypatch.context() as patch:
        for name in ("page_key", "stamped_key", "put"):
            patch.setattr(ResultCache, name, must_not_run)
        patch.setattr(RunKey, "add", must_not_run)
        cold, first = _run(root, tmp_path / "cache", jobs=jobs)
    assert first.hits == 0
    targets = discover([str(root)])
    cache = ResultCache(tmp_path / "cache", ("test", canonical(Config())))
    keys = [cache.page_key(t.file, t.display, lint_module._flags(t)) for t in targets]
    assert None not in keys and cache.load_run(cache.run_key(keys)) == cold  # the whole report, by file times
    _drop_run_entries(tmp_path / "cache")
    monkeypatch.setattr(ResultCache, "content_key", must_not_run)  # no page read again
    warm, second = _run(root, tmp_path / "cache", jobs=jobs)
    assert warm == cold and second.hits == len(targets) and second.content_hits == 0
