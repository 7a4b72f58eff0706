"""`grav-tools normalise`: check / diff / dry-run / write, exit codes, safety refusals, settings."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from grav_tools.cli import main

POST = "user/pages/01.blog/01.post/item.md"
MESSY = "---\ntitle: Hello world\ndate: 14:15 05/23/2018\npublished: True\n---\nBody   \n"
CLEAN = "---\ntitle: 'Hello world'\npublished: true\ndate: '23-05-2018 14:15'\n---\n\nBody\n"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_check_lists_files_exits_1_and_writes_nothing(make_site) -> None:
    root = make_site({POST: MESSY, "user/pages/01.blog/02.other/item.md": CLEAN})
    result = run("normalise", "--check", str(root))
    assert result.exit_code == 1
    assert f"would reformat {root}/{POST}" in result.stderr
    assert "1 file would be reformatted, 1 unchanged, 0 failed." in result.stderr
    assert (root / POST).read_text() == MESSY


def test_dry_run_is_check(make_site) -> None:
    root = make_site({POST: MESSY})
    result = run("normalise", "--dry-run", str(root))
    assert result.exit_code == 1 and "would reformat" in result.stderr
    assert (root / POST).read_text() == MESSY


def test_diff_prints_a_unified_diff_on_stdout(make_site) -> None:
    root = make_site({POST: MESSY})
    result = run("normalise", "--diff", str(root))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"--- {root}/{POST}\t(original)\n+++ {root}/{POST}\t(normalised)\n")
    assert "-title: Hello world\n" in result.stdout and "+title: 'Hello world'\n" in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no colour
    assert (root / POST).read_text() == MESSY
    coloured = run("normalise", "--diff", "--color", str(root))
    assert "\x1b[" in coloured.stdout


def test_write_then_check_is_clean_and_mode_is_kept(make_site) -> None:
    root = make_site({POST: MESSY})
    os.chmod(root / POST, 0o640)
    result = run("normalise", str(root))
    assert result.exit_code == 0, result.output
    assert "1 file reformatted, 0 unchanged, 0 failed." in result.stderr
    assert (root / POST).read_text() == CLEAN
    assert stat.S_IMODE(os.stat(root / POST).st_mode) == 0o640
    assert [p.name for p in (root / POST).parent.iterdir()] == ["item.md"]  # no temp file left
    again = run("normalise", "--check", str(root))
    assert again.exit_code == 0 and "0 files would be reformatted, 1 unchanged, 0 failed." in again.stderr


def test_normalize_is_an_alias_and_help_is_fast_to_reach() -> None:
    help_text = run("normalize", "--help").output
    assert "canonical form" in help_text and "--assume-day-first" in help_text
    listing = run("--help").output
    assert "normalise" in listing and "normalize  " not in listing


def test_usage_errors_exit_2(make_site, tmp_path: Path) -> None:
    root = make_site({POST: MESSY})
    assert run("normalise", "/no/such/place").exit_code == 2
    assert run("normalise", "--encoding", "klingon", str(root)).exit_code == 2
    bad = tmp_path / ".grav-tools.toml"
    bad.write_text("[normalise]\nindent = 3\n")
    result = run("normalise", "--config", str(bad), str(root))
    assert result.exit_code == 2 and "normalise.indent must be 2 or 4" in result.stderr


def test_non_utf8_is_refused_unless_an_encoding_is_given(make_site) -> None:
    text = "---\ntitle: Привет мир\n---\n\nТекст\n"
    root = make_site({POST: text.encode("cp1251")})
    result = run("normalise", str(root))
    assert result.exit_code == 1
    assert "not UTF-8" in result.stderr and "--encoding cp1251" in result.stderr
    assert (root / POST).read_bytes() == text.encode("cp1251")
    converted = run("normalise", "--encoding", "cp1251", str(root))
    assert converted.exit_code == 0, converted.output
    assert (root / POST).read_text("utf-8") == "---\ntitle: 'Привет мир'\n---\n\nТекст\n"


def test_bom_and_crlf_are_removed_and_the_diff_says_so(make_site) -> None:
    root = make_site({POST: b"\xef\xbb\xbf---\r\ntitle: Hello\r\n---\r\n\r\nBody\r\n"})
    diff = run("normalise", "--diff", str(root))
    assert diff.exit_code == 1 and "only the BOM, line endings or encoding change" in diff.stdout
    assert run("normalise", str(root)).exit_code == 0
    assert (root / POST).read_bytes() == b"---\ntitle: Hello\n---\n\nBody\n"


def test_symlink_out_of_the_tree_is_not_followed(make_site, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(MESSY)
    root = make_site({"site/" + POST: MESSY})
    link = root / "site" / "user/pages/01.blog/01.post/linked.md"
    link.symlink_to(outside)
    result = run("normalise", str(root / "site"))
    assert "skipped" in result.stderr and "outside" in result.stderr
    assert outside.read_text() == MESSY and link.is_symlink()


def test_symlink_inside_the_tree_is_written_through(make_site) -> None:
    root = make_site({POST: MESSY})
    link = root / "user/pages/01.blog/01.post/item.en.md"
    link.symlink_to(root / POST)
    result = run("normalise", str(root))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and (root / POST).read_text() == CLEAN
    assert "1 file reformatted" in result.stderr  # one real file, written once


def test_a_failed_proof_means_no_write_and_exit_1(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    import grav_tools.normalise.core as core

    monkeypatch.setattr(core, "prove_body", lambda before, after: "the body would change in more than whitespace")
    root = make_site({POST: MESSY})
    result = run("normalise", str(root))
    assert result.exit_code == 1
    assert "cannot normalise" in result.stderr and "more than whitespace" in result.stderr
    assert "0 files reformatted, 0 unchanged, 1 failed." in result.stderr
    assert (root / POST).read_text() == MESSY


def test_notes_report_what_needs_a_person(make_site) -> None:
    root = make_site({POST: "---\ntitle: A\ntitle: B\ndate: '31-02-2023 10:00'\n---\n\nBody\n"})
    result = run("normalise", "--check", str(root))
    assert f"{POST}:3: duplicate key 'title' removed (value B)" in result.stderr
    assert f"{POST}:4: date '31-02-2023 10:00': this date does not exist" in result.stderr
    quiet = run("normalise", "--check", "--quiet", str(root))
    assert "duplicate" not in quiet.stderr and "1 file would be reformatted" in quiet.stderr


def test_assume_day_first(make_site) -> None:
    root = make_site({POST: "---\ntitle: A\ndate: '05/03/2024 10:00'\npublish_date: '13-03-2024 10:00'\n---\n\nB\n"})
    assert "left as is" in run("normalise", "--check", str(root)).stderr
    result = run("normalise", "--assume-day-first", str(root))
    assert result.exit_code == 0
    assert "date: '05-03-2024 10:00'" in (root / POST).read_text()


def test_settings_change_key_order_indent_and_date_format(make_site) -> None:
    root = make_site({POST: "---\ntitle: A\nzeta:\n    b: 1\ndate: '09-01-2023 10:00'\n---\n\nB\n",
                      ".grav-tools.toml": "[normalise]\nkey-order = ['zeta', 'title']\nindent = 2\n"
                                          "date-format = 'Y-m-d H:i'\n"})
    assert run("normalise", str(root)).exit_code == 0
    assert (root / POST).read_text() == "---\nzeta:\n  b: 1\ntitle: A\ndate: '2023-01-09 10:00'\n---\n\nB\n"


def test_the_sites_own_date_format_wins(make_site) -> None:
    root = make_site({POST: "---\ntitle: A\ndate: '09-01-2023 10:00'\n---\n\nB\n",
                      "user/config/system.yaml": "pages:\n    dateformat:\n        default: 'Y-m-d H:i'\n"})
    assert run("normalise", str(root)).exit_code == 0
    assert "date: '2023-01-09 10:00'" in (root / POST).read_text()


def test_files_grav_never_reads_are_left_alone(make_site) -> None:
    root = make_site({"user/pages/01.blog/01.post/my.post.old.md": MESSY})
    result = run("normalise", str(root))
    assert result.exit_code == 0 and "0 files reformatted, 0 unchanged" in result.stderr
    assert (root / "user/pages/01.blog/01.post/my.post.old.md").read_text() == MESSY


def test_the_site_convention_comes_from_the_other_pages(make_site) -> None:
    root = make_site({
        "user/pages/01.blog/01.a/item.md": "---\ntitle: A\ndate: '14:15 05/23/2018'\n---\n\nA\n",
        "user/pages/01.blog/02.b/item.md": "---\ntitle: B\ndate: '14:15 06/24/2018'\n---\n\nB\n",
        "user/pages/01.blog/03.c/item.md": "---\ntitle: C\ndate: '05-03-2018 10:00'\n---\n\nC\n",
    })
    result = run("normalise", str(root))
    assert "03.c/item.md:3: date '05-03-2018 10:00': Grav reads it as 5 March 2018 10:00, but this site writes " \
           "the month first; left as is" in result.stderr
    assert "date: '23-05-2018 14:15'" in (root / "user/pages/01.blog/01.a/item.md").read_text()
    assert run("normalise", "--check", str(root)).exit_code == 0


def test_an_unreadable_date_is_no_evidence_of_the_site_convention(tmp_path) -> None:
    from grav_tools.normalise.dates import order_votes

    assert order_votes(["05-20-2024 10:00", "13-01-2024 10:00"]) == {"dmy": 1}
    assert order_votes(["01/13/2024 10:00", "13/01/2024 10:00"]) == {"mdy": 1}
