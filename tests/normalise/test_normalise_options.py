"""`[tool.grav-tools.normalise]`: every canonical transformation can be switched off.

The defaults are what Admin writes (the golden cases without options.toml prove nothing changed
for existing users); each switch is shown doing its work by default and nothing when off, with
the result stable (a second run changes nothing). Line endings are applied when the file is
written, so they are tested through the command.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from grav_tools.cli import main
from grav_tools.config import ConfigError
from grav_tools.normalise.core import normalise_text
from grav_tools.normalise.options import OPTION_KEYS, NormaliseOptions, load_normalise_options, options_from_table
from grav_tools.site import SiteConfig
from grav_tools.source import decode

CASES = Path(__file__).parent / "cases"
POST = "user/pages/01.blog/01.post/item.md"
SITE = SiteConfig()

NEW_KEYS = ("line-endings", "trim-trailing-whitespace", "final-newline", "quote-style", "booleans", "carousel",
            "summary-separator")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_an_empty_table_is_the_defaults_and_the_defaults_are_admins() -> None:
    assert options_from_table({}, "x") == NormaliseOptions()
    assert load_normalise_options(None) == NormaliseOptions()
    defaults = NormaliseOptions()
    assert (defaults.line_endings, defaults.trim_trailing_whitespace, defaults.final_newline, defaults.quote_style,
            defaults.booleans, defaults.carousel, defaults.summary_separator) == ("lf", True, True, "symfony", True,
                                                                                  True, True)


def test_unknown_key_error_lists_every_known_key(tmp_path: Path) -> None:
    settings = tmp_path / "pyproject.toml"
    settings.write_text("[tool.grav-tools.normalise]\ntrim-whitespace = false\n")
    with pytest.raises(ConfigError) as error:
        load_normalise_options(settings)
    message = str(error.value)
    assert "unknown key 'trim-whitespace' in normalise" in message
    for key in OPTION_KEYS + NEW_KEYS:
        assert key in message


def test_settings_are_read_from_the_file(tmp_path: Path) -> None:
    settings = tmp_path / ".grav-tools.toml"
    settings.write_text('[normalise]\nline-endings = "crlf"\ntrim-trailing-whitespace = false\nfinal-newline = false\n'
                        'quote-style = "keep"\nbooleans = false\ncarousel = false\nsummary-separator = false\n')
    options = load_normalise_options(settings)
    assert (options.line_endings, options.trim_trailing_whitespace, options.final_newline, options.quote_style,
            options.booleans, options.carousel, options.summary_separator) == ("crlf", False, False, "keep", False,
                                                                               False, False)
    assert options.key_order == NormaliseOptions().key_order and options.indent == 4


@pytest.mark.parametrize(("key", "value", "wanted"), [
    ("line-endings", '"cr"', "normalise.line-endings must be one of 'lf', 'crlf', 'keep'"),
    ("quote-style", '"double"', "normalise.quote-style must be one of 'symfony', 'keep'"),
    ("trim-trailing-whitespace", '"no"', "normalise.trim-trailing-whitespace must be true or false"),
    ("final-newline", "0", "normalise.final-newline must be true or false"),
    ("booleans", '"false"', "normalise.booleans must be true or false"),
    ("carousel", "1", "normalise.carousel must be true or false"),
    ("summary-separator", '"off"', "normalise.summary-separator must be true or false"),
])
def test_bad_values_are_usage_errors(make_site, key: str, value: str, wanted: str) -> None:
    root = make_site({POST: "---\ntitle: x\n---\n\nBody\n", ".grav-tools.toml": f"[normalise]\n{key} = {value}\n"})
    result = run("normalise", "--check", str(root))
    assert result.exit_code == 2 and wanted in result.stderr, result.stderr


# Each switched-off golden case: its input changes under the defaults, and does not change in the
# way the switch governs when it is off (the golden expected.md pins down exactly what remains).
OFF_CASES = {
    "options-trim-trailing-whitespace-off": "trim-trailing-whitespace",
    "options-final-newline-off": "final-newline",
    "options-final-newline-off-blank-lines-kept": "final-newline",
    "options-booleans-off": "booleans",
    "options-carousel-off": "carousel",
    "options-summary-separator-off": "summary-separator",
    "options-quote-style-keep": "quote-style",
}


def _case(name: str) -> tuple[str, str, NormaliseOptions]:
    table = tomllib.loads((CASES / name / "options.toml").read_text("utf-8"))
    text = decode((CASES / name / "input.md").read_bytes()).text
    return text, (CASES / name / "expected.md").read_text("utf-8"), options_from_table(table, name)


@pytest.mark.parametrize("name", sorted(OFF_CASES))
def test_each_switch_works_by_default_and_not_when_off(name: str) -> None:
    text, expected, options = _case(name)
    assert set(tomllib.loads((CASES / name / "options.toml").read_text())) == {OFF_CASES[name]}
    default = normalise_text(text, SITE, NormaliseOptions())
    assert default.error is None and default.text is not None
    assert default.text != expected  # the defaults do the transformation the switch turns off
    off = normalise_text(text, SITE, options)
    assert off.text == expected
    assert normalise_text(off.text, SITE, options).text == off.text  # stable
    assert normalise_text(default.text, SITE, NormaliseOptions()).text == default.text


def test_what_each_switch_leaves_alone() -> None:
    text, expected, _ = _case("options-trim-trailing-whitespace-off")
    assert "A line with spaces   \n" in expected and "Tabs at the end\t\t\n" in expected
    assert "Tabs at the end\n" in normalise_text(text, SITE, NormaliseOptions()).text
    _, expected, _ = _case("options-final-newline-off")
    assert expected.endswith("trailing spaces go")  # no newline added; trimming still applies
    _, expected, _ = _case("options-final-newline-off-blank-lines-kept")
    assert expected.endswith("Text\n\n\n\n")  # the whitespace-only line became empty (trimming is on)
    _, expected, _ = _case("options-booleans-off")
    assert "published: True\n" in expected and "cache: TRUE\n" in expected
    assert "show_sidebar: 'yes'\n" in expected  # yes/on are strings for Grav: quoted as Symfony quotes them
    _, expected, _ = _case("options-carousel-off")
    assert "Intro text [owl-carousel items=1 class='gallery owl']![](a.jpg)\n\n![](b.jpg)" in expected
    _, expected, _ = _case("options-summary-separator-off")
    assert "First paragraph.\n===\nMore text.\n" in expected
    _, expected, _ = _case("options-quote-style-keep")
    assert 'dq_plain: "Hello"\n' in expected and "quoted_plain: 'Hello'\n" in expected
    assert "    - \"a\"\n    - 'b'\n    - c\n" in expected  # a flow list in block style, quoting kept
    assert "folded: 'this plain scalar spans lines'\n" in expected  # more than one line: as Symfony writes it


def test_quote_style_keep_quotes_what_only_the_lenient_parser_reads() -> None:
    options = NormaliseOptions(quote_style="keep")
    text = "---\ntitle: Hi\ncontent:\n    items: @self.children\nkey: \"kept\"\n---\n\nBody\n"
    result = normalise_text(text, SITE, options)
    assert result.text == "---\ntitle: Hi\ncontent:\n    items: '@self.children'\nkey: \"kept\"\n---\n\nBody\n"
    assert normalise_text(result.text, SITE, options).text == result.text


def test_quote_style_keep_still_writes_dates_as_symfony_does() -> None:
    options = NormaliseOptions(quote_style="keep")
    text = '---\ntitle: "Hi"\ndate: "2023-01-09 10:00"\n---\n\nBody\n'
    result = normalise_text(text, SITE, options)
    assert result.text == "---\ntitle: \"Hi\"\ndate: '09-01-2023 10:00'\n---\n\nBody\n"


def test_booleans_off_keeps_the_value_and_the_header_proof_holds() -> None:
    options = NormaliseOptions(booleans=False)
    text = "---\ntitle: Hi\nvisible: True\nlist: [TRUE, no]\n---\n\nBody\n"
    result = normalise_text(text, SITE, options)
    assert result.error is None
    assert result.text == "---\ntitle: Hi\nvisible: True\nlist:\n    - TRUE\n    - 'no'\n---\n\nBody\n"


CAROUSEL_PAGE = "---\ntitle: Hi\n---\n\nIntro\n===\n[owl-carousel class='a']\n![](a.jpg)\n\n![](b.jpg)\n[/owl-carousel]\n"


# a switch turned off: its fix is left undone, the others still apply, and the result is stable
@pytest.mark.parametrize(("options", "text", "expected"), [
    pytest.param(NormaliseOptions(dates=False),
                 "---\ntitle: Hi\ndate: 2023-01-09\npublish_date: 2023-01-09T10:00:00Z\n---\n\nBody\n",
                 "---\ntitle: Hi\ndate: '2023-01-09'\npublish_date: '2023-01-09T10:00:00Z'\n---\n\nBody\n",
                 id="dates-off-quotes-an-unquoted-iso-date-as-written"),
    pytest.param(NormaliseOptions(carousel=False), CAROUSEL_PAGE,
                 "---\ntitle: Hi\n---\n\nIntro\n\n===\n[owl-carousel class='a']\n![](a.jpg)\n\n"
                 "![](b.jpg)\n[/owl-carousel]\n",
                 id="carousel-off-leaves-every-carousel-fix-undone-and-the-summary-fix-still-works"),
])
def test_a_switch_off_leaves_its_fix_undone(options: NormaliseOptions, text: str, expected: str) -> None:
    result = normalise_text(text, SITE, options)
    assert result.text == expected
    assert normalise_text(result.text, SITE, options).text == result.text


def test_carousel_on_fixes_what_carousel_off_leaves() -> None:
    fixed = normalise_text(CAROUSEL_PAGE, SITE, NormaliseOptions()).text
    assert "[owl-carousel class=\"a\"]\n![](a.jpg)\n![](b.jpg)\n" in fixed


@pytest.mark.parametrize(("style", "before", "after"), [
    ("lf", b"---\r\ntitle: Hi\r\n---\r\n\r\nBody  \r\n", b"---\ntitle: Hi\n---\n\nBody\n"),
    ("crlf", b"---\ntitle: Hi\n---\nBody\n", b"---\r\ntitle: Hi\r\n---\r\n\r\nBody\r\n"),
    ("crlf", b"---\rtitle: Hi\r---\rBody\r", b"---\r\ntitle: Hi\r\n---\r\n\r\nBody\r\n"),
    ("keep", b"---\r\ntitle: Hi\r\n---\r\nBody\nmore\r\n", b"---\r\ntitle: Hi\r\n---\r\n\r\nBody\r\nmore\r\n"),
    ("keep", b"---\ntitle: Hi\n---\r\nBody\nmore\n", b"---\ntitle: Hi\n---\n\nBody\nmore\n"),
    ("keep", b"---\rtitle: Hi\r---\rBody\r", b"---\ntitle: Hi\n---\n\nBody\n"),
])
def test_line_endings(make_site, style: str, before: bytes, after: bytes) -> None:
    root = make_site({POST: before, ".grav-tools.toml": f'[normalise]\nline-endings = "{style}"\n'})
    result = run("normalise", str(root))
    assert result.exit_code == 0, result.output
    assert (root / POST).read_bytes() == after
    again = run("normalise", "--check", str(root))
    assert again.exit_code == 0 and "0 files would be reformatted, 1 unchanged" in again.stderr


def test_crlf_line_endings_with_a_bom_and_every_other_switch_off(make_site) -> None:
    settings = ('[normalise]\nline-endings = "crlf"\ntrim-trailing-whitespace = false\nfinal-newline = false\n'
                'quote-style = "keep"\nbooleans = false\ncarousel = false\nsummary-separator = false\n')
    before = "\ufeff---\r\ntitle: \"Hi\"\r\nok: True\r\n---\r\nText  \r\n===\r\n\r\n".encode()
    root = make_site({POST: before, ".grav-tools.toml": settings})
    assert run("normalise", str(root)).exit_code == 0
    assert (root / POST).read_bytes() == b"---\r\ntitle: \"Hi\"\r\nok: True\r\n---\r\n\r\nText  \r\n===\r\n\r\n"
    assert run("normalise", "--check", str(root)).exit_code == 0


def test_a_crlf_only_change_is_reported_as_bytes_only(make_site) -> None:
    root = make_site({POST: b"---\ntitle: Hi\n---\n\nBody\n", ".grav-tools.toml": '[normalise]\nline-endings = "crlf"\n'})
    result = run("normalise", "--diff", str(root))
    assert result.exit_code == 1 and "only the BOM, line endings or encoding change" in result.stdout

