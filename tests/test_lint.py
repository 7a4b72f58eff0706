"""The engine: progress callbacks, parallel runs equal serial runs, rule crashes never stop a run."""

from __future__ import annotations

import pytest

import grav_tools.lint as lint_module
from grav_tools.config import Config
from grav_tools.discover import discover
from grav_tools.lint import lint
from grav_tools.problems import Finding, Severity
from grav_tools.rules import REGISTRY, Rule

BAD = "---\ntitle: A\npublished: no\ntitle: B\n---\n\n[owl-carousel autoPlay=true]\n![](x.jpg)\n"


def site(make_site, n: int = 40):
    files = {}
    for i in range(n):
        files[f"user/pages/01.blog/{i:02d}.post-{i}/item.md"] = BAD if i % 3 == 0 else "---\ntitle: Fine\n---\n"
    return make_site(files)


def test_progress_called_once_per_file(make_site) -> None:
    root = site(make_site, 12)
    seen = []
    lint(discover([str(root)]), Config(), jobs=1, progress=seen.append)
    assert sum(seen) == 12


def test_parallel_equals_serial(make_site, monkeypatch) -> None:
    root = site(make_site)
    targets = discover([str(root)])
    serial = lint(targets, Config(), jobs=1).problems
    monkeypatch.setattr(lint_module, "PARALLEL_THRESHOLD", 1)
    parallel = lint(targets, Config(), jobs=2).problems
    assert serial and parallel == serial


def test_a_crashing_rule_becomes_a_problem(make_site, monkeypatch) -> None:
    root = site(make_site, 2)

    def explode(ctx):
        raise RuntimeError("boom")
        yield Finding(1, 1, "never")

    monkeypatch.setitem(REGISTRY, "GRV299", Rule("GRV299", "explode", Severity.ERROR, "page", explode, False))
    problems = lint(discover([str(root)]), Config(select=("GRV299", "GRV100")), jobs=1).problems
    assert {p.code for p in problems} == {"GRV100"}
    assert "internal error in grav-tools (RuntimeError: boom)" in problems[0].message
    assert len(problems) == 2


def test_a_problem_found_twice_is_reported_once_and_the_report_stays_sorted(make_site, monkeypatch) -> None:
    root = site(make_site, 3)

    def twice(ctx):
        for line in (3, 1, 3, 2, 1):
            yield Finding(line, 1, "again")

    monkeypatch.setitem(REGISTRY, "GRV299", Rule("GRV299", "twice", Severity.ERROR, "page", twice, False))
    problems = lint(discover([str(root)]), Config(select=("GRV299",)), jobs=1).problems
    assert [(p.path.rsplit("/", 2)[-2], p.line) for p in problems] == [
        (f"{i:02d}.post-{i}", line) for i in range(3) for line in (1, 2, 3)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_symlink_out_of_tree_is_not_read(make_site, tmp_path_factory, jobs: int) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.md"
    outside.write_text("---\ntitle: secret\n---\n", encoding="utf-8")
    root = make_site({"user/pages/01.blog/01.a/item.md": "---\ntitle: A\n---\n"})
    (root / "user/pages/01.blog/02.b").mkdir()
    (root / "user/pages/01.blog/02.b/item.md").symlink_to(outside)
    problems = lint(discover([str(root)]), Config(), jobs=jobs).problems
    assert [(p.code, "outside the checked folder" in p.message) for p in problems] == [("GRV100", True)]


def test_site_rules_never_mix_two_sites(make_site, tmp_path_factory) -> None:
    from pathlib import Path

    def grav_site(root: Path, dates: list[str]) -> None:
        for i, date in enumerate(dates):
            post = root / "user" / "pages" / "01.blog" / f"{i:02d}.p" / "item.md"
            post.parent.mkdir(parents=True, exist_ok=True)
            post.write_text(f"---\ntitle: T\ndate: '{date}'\n---\n", encoding="utf-8")

    day_first = tmp_path_factory.mktemp("dmy")
    month_first = tmp_path_factory.mktemp("mdy")
    grav_site(day_first, ["13-01-2023 10:00", "14-01-2023 10:00", "05-03-2023 10:00"])
    grav_site(month_first, ["01/13/2023 10:00", "01/14/2023 10:00", "03/05/2023 10:00"])
    problems = lint(discover([str(day_first), str(month_first)]), Config(select=("GRV305", "GRV309")), jobs=1).problems
    assert problems == []


@pytest.mark.parametrize("enabled_before", [True, False])
def test_the_collector_is_off_for_the_main_process_work_and_restored_after(make_site, monkeypatch,
                                                                           enabled_before: bool) -> None:
    """lint turns the cyclic garbage collector off for its own bookkeeping (site rules, sorting)
    but on for page rules, which make cycles, and leaves it as it found it."""
    import gc

    root = make_site({f"user/pages/01.blog/{i:02d}.post/item.md": "---\ntitle: A\n---\n\nText.\n" for i in range(3)})
    seen: dict[str, bool] = {}
    real_site_rules, real_check = lint_module._run_site_rules, lint_module.check_target

    def site_rules(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen["site rules"] = gc.isenabled()
        return real_site_rules(*args, **kwargs)

    def check(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen["page rules"] = gc.isenabled()
        return real_check(*args, **kwargs)

    monkeypatch.setattr(lint_module, "_run_site_rules", site_rules)
    monkeypatch.setattr(lint_module, "check_target", check)
    was = gc.isenabled()
    try:
        (gc.enable if enabled_before else gc.disable)()
        lint(discover([str(root)]), Config(), jobs=1)
        assert gc.isenabled() is enabled_before
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == {"site rules": False, "page rules": True}


def test_packed_results_come_back_equal_with_shared_messages(make_site) -> None:
    """pack leaves out the page's own path and the summary's site; unpack puts them back, and
    the same message of two pages becomes one string."""
    root = site(make_site, 4)
    targets = discover([str(root)])
    page_rules = tuple(r for r in lint_module.all_rules() if r.scope == lint_module.PAGE)
    results = [lint_module.check_target(t, page_rules) for t in targets]
    shared = lint_module.Shared()
    back = [lint_module.unpack(lint_module.pack(r, t.display), t, r[1].options, shared)
            for r, t in zip(results, targets)]
    assert back == results
    first, second = back[0][0], back[3][0]  # two BAD pages
    assert first and [p.message for p in first] == [p.message for p in second]
    assert all(a.message is b.message for a, b in zip(first, second))


def test_a_problem_on_another_path_keeps_it() -> None:
    from grav_tools.problems import Problem

    target = discover(["examples/site/user/pages"])[0]
    elsewhere = Problem("other.md", 1, 1, "GRV100", 1, 2, Severity.ERROR, "x")
    problems, summary = lint_module.unpack(lint_module.pack(([elsewhere], None), target.display), target,
                                           Config().options, lint_module.Shared())
    assert problems == [elsewhere] and summary is None


def test_pool_workers_are_fresh_interpreters_not_forks(make_site, monkeypatch) -> None:
    """A forked worker would keep half a copy of the main process's heap (see lint._pool_context): state
    changed in the main process after start-up must not reach the workers."""
    root = site(make_site, 6)
    monkeypatch.setattr(lint_module, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(lint_module, "MAX_FINDINGS_PER_RULE", 0)  # seen by a fork, not by a fresh worker
    problems = [p for p in lint(discover([str(root)]), Config(), jobs=2).problems
                if REGISTRY[p.code].scope == lint_module.PAGE]  # site rules run in the main process
    assert problems and not [p for p in problems if "more than 0" in p.message]


def test_a_head_start_for_the_pool_never_fails_the_run(monkeypatch) -> None:
    """start_workers_early is a hint (discover calls it at 2,000 pages): a fork server that cannot
    start then (no temp folder, no sockets) leaves the pool to try again, and report, later."""
    from multiprocessing import forkserver

    def cannot_start() -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(forkserver, "ensure_running", cannot_start)
    lint_module.start_workers_early()  # no exception


def test_discover_calls_the_pool_hint_once_it_has_found_enough_pages(make_site) -> None:
    root = make_site({f"user/pages/01.blog/{i:02d}.post/item.md": "---\ntitle: A\n---\n" for i in range(5)})
    calls: list[int] = []
    discover([str(root)], (), (3, lambda: calls.append(1)))
    discover([str(root)], (), (6, lambda: calls.append(2)))
    assert calls == [1]
