"""GRV1xx: bytes, encodings, line endings, page file names."""

from __future__ import annotations

import os

import pytest
from helpers import codes_at, page, problems_in

from grav_tools.config import Config
from grav_tools.discover import discover
from grav_tools.lint import lint

GOOD = "---\ntitle: Hello\n---\n\nBody\n"


def test_clean_page_has_no_file_problems(make_site) -> None:
    assert codes_at(make_site(page(GOOD)), "GRV1") == []


def test_grv100_unreadable_file(make_site) -> None:
    root = make_site(page(GOOD))
    target = root / "user/pages/01.blog/01.post/item.md"
    os.chmod(target, 0)
    try:
        if os.access(target, os.R_OK):
            pytest.skip("running as a user that can read mode-000 files (root)")
        assert codes_at(root, "GRV100") == [("GRV100", 1, 1)]
    finally:
        os.chmod(target, 0o644)


def test_grv100_fifo_named_like_a_page(make_site) -> None:
    root = make_site(page(GOOD))
    os.mkfifo(root / "user/pages/01.blog/01.post/item.kk.md")
    problems = problems_in(root, "GRV100")
    assert [(p.code, "regular" in p.message) for p in problems] == [("GRV100", True)]


def test_grv101_cp1251(make_site) -> None:
    text = "---\ntitle: Привет\n---\n\nТекст\n"
    problems = problems_in(make_site(page(text.encode("cp1251"))), "GRV101")
    assert [(p.code, p.line) for p in problems] == [("GRV101", 2)]
    assert "cp1251" in problems[0].message


def test_grv102_bom(make_site) -> None:
    assert codes_at(make_site(page(b"\xef\xbb\xbf" + GOOD.encode())), "GRV102") == [("GRV102", 1, 1)]


@pytest.mark.parametrize(("newline", "expected"), [("\r\n", [("GRV103", 1, 4)]), ("\r", [("GRV103", 1, 4)]), ("\n", [])])
def test_grv103_line_endings(make_site, newline: str, expected: list) -> None:
    assert codes_at(make_site(page(GOOD.replace("\n", newline))), "GRV103") == expected


def test_grv103_mixed_points_at_first_cr(make_site) -> None:
    assert codes_at(make_site(page("---\ntitle: A\r\n---\n")), "GRV103") == [("GRV103", 2, 9)]


def test_grv104_nul(make_site) -> None:
    assert codes_at(make_site(page("---\ntitle: A\n---\nab\x00c\n")), "GRV104") == [("GRV104", 4, 3)]


def test_grv105_names(make_site) -> None:
    root = make_site({
        "user/config/system.yaml": "languages:\n  supported: [kk, ru]\n",
        "user/pages/01.blog/01.a/item.kk.md": GOOD,
        "user/pages/01.blog/01.a/item.de.md": GOOD,
        "user/pages/01.blog/01.a/item.old.md": GOOD,
        "user/pages/01.blog/02.b/item.kk.md": GOOD,
        "user/pages/01.blog/02.b/blog.kk.md": GOOD,
        "user/pages/01.blog/03.c/default.kk.md": GOOD,
        "user/pages/01.blog/03.c/item.ru.md": GOOD,
        "user/pages/01.blog/03.c/item.kk.md.bak": GOOD,
    })
    found = {(p.path.split("pages/")[1], p.severity.label) for p in problems_in(root, "GRV105")}
    assert found == {
        ("01.blog/01.a/item.de.md", "warning"),
        ("01.blog/01.a/item.old.md", "warning"),
        ("01.blog/02.b/item.kk.md", "error"),
        ("01.blog/03.c/default.kk.md", "warning"),
    } or found == {
        ("01.blog/01.a/item.de.md", "warning"),
        ("01.blog/01.a/item.old.md", "warning"),
        ("01.blog/02.b/item.kk.md", "error"),
        ("01.blog/03.c/item.ru.md", "warning"),
    }


def test_grv105_language_files_without_languages(make_site) -> None:
    root = make_site({"user/pages/01.blog/01.a/item.ru.md": GOOD})
    assert [p.message for p in problems_in(root, "GRV105")] == [
        "Grav ignores 'item.ru.md': languages are not enabled in system.yaml"
    ]


@pytest.mark.parametrize(("setting", "newline", "expected"), [
    ("crlf", "\r\n", []), ("crlf", "\n", [("GRV103", 1, 1)]), ("crlf", "\r", [("GRV103", 1, 4)]),
    ("keep", "\r\n", []), ("keep", "\n", []), ("keep", "\r", [("GRV103", 1, 4)]),
])
def test_grv103_follows_the_normalise_line_endings_setting(make_site, setting: str, newline: str, expected: list) -> None:
    """A site that normalises to CRLF is not told its CRLF pages are wrong, but its LF ones are."""
    from grav_tools.config import load_config

    root = make_site({**page(GOOD.replace("\n", newline)),
                      ".grav-tools.toml": f'[normalise]\nline-endings = "{setting}"\n'})
    config = load_config(root / ".grav-tools.toml")
    assert config.options.line_endings == setting
    found = lint(discover([str(root)]), Config(select=("GRV103",), options=config.options), jobs=1).problems
    assert [(p.code, p.line, p.column) for p in found] == expected


def test_a_bad_line_endings_setting_is_a_config_error(tmp_path) -> None:
    from grav_tools.config import ConfigError, load_config

    (tmp_path / ".grav-tools.toml").write_text('[normalise]\nline-endings = "dos"\n')
    with pytest.raises(ConfigError, match="line-endings"):
        load_config(tmp_path / ".grav-tools.toml")
