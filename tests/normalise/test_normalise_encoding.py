"""`normalise --fix-encoding`: a file that is not UTF-8 is transcoded only when one encoding
reads it as plausible text; otherwise it fails, names the candidates and asks for --encoding."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from grav_tools.cli import main
from grav_tools.source import detect_legacy_encoding

POST = "user/pages/01.blog/01.post/item.ru.md"
RU = ("---\ntitle: Привет мир\ndate: '01-02-2020 10:00'\n---\n\nЭто тестовый текст для проверки.   \n\n"
      "Ещё одна строка, и Москва.\n")
RU_CLEAN = ("---\ntitle: 'Привет мир'\ndate: '01-02-2020 10:00'\n---\n\nЭто тестовый текст для проверки.\n\n"
            "Ещё одна строка, и Москва.\n")
CAPS = "---\ntitle: НОВОСТИ КОМПАНИИ\n---\n\nbody\n"  # all capitals: cp1251 and koi8-r both read words
KAZAKH = "---\ntitle: Қазақстан жаңалықтары\n---\n\nБүгін Алматыда күн ашық болды.\n"
FRENCH = "---\ntitle: Café à Paris\n---\n\nIl était une fois un garçon très élégant.\n"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "utf-16"])
def test_fix_encoding_transcodes_an_unambiguous_file(make_site, encoding: str) -> None:
    raw = RU.encode(encoding)
    if encoding == "utf-16":
        assert raw[:2] in (b"\xff\xfe", b"\xfe\xff")  # Python writes the BOM: this is the BOM case
    root = make_site({POST: raw})
    check = run("normalise", "--check", "--fix-encoding", str(root))
    assert check.exit_code == 1
    assert f"would reformat {root}/{POST} (from {encoding} to UTF-8)" in check.stderr
    assert (root / POST).read_bytes() == raw
    diff = run("normalise", "--diff", "--fix-encoding", str(root))
    assert f"{POST}\t(original, {encoding})\n" in diff.stdout and f"{POST}\t(normalised, UTF-8)\n" in diff.stdout
    assert "-Это тестовый текст для проверки.   \n" in diff.stdout
    written = run("normalise", "--fix-encoding", str(root))
    assert written.exit_code == 0, written.output
    data = (root / POST).read_bytes()
    assert data.decode("utf-8") == RU_CLEAN  # UTF-8 bytes, the same characters
    assert not data.startswith(b"\xef\xbb\xbf")
    assert run("normalise", "--check", str(root)).exit_code == 0


def test_an_encoding_only_change_says_so_in_the_diff(make_site) -> None:
    root = make_site({POST: RU_CLEAN.encode("cp1251")})
    diff = run("normalise", "--diff", "--fix-encoding", str(root))
    assert diff.exit_code == 1
    assert "@@ only the encoding (cp1251 to UTF-8), BOM or line endings change @@" in diff.stdout


def test_without_the_flag_the_file_fails_and_the_message_says_how(make_site) -> None:
    raw = RU.encode("koi8-r")
    root = make_site({POST: raw})
    result = run("normalise", str(root))
    assert result.exit_code == 1
    assert "not UTF-8 (line 2); it is koi8-r: run again with --fix-encoding (or --encoding koi8-r)" in result.stderr
    assert "0 files reformatted, 0 unchanged, 1 failed." in result.stderr
    assert (root / POST).read_bytes() == raw


@pytest.mark.parametrize(("text", "encoding", "named"), [
    (CAPS, "cp1251", "cp1251 or koi8-r"),
    (KAZAKH, "kz1048", "cp1251 or kz1048"),
    (FRENCH, "cp1252", "a Western single-byte encoding (cp1252, latin-1, cp1250, ...)"),
])
def test_an_ambiguous_file_fails_names_the_candidates_and_is_not_touched(make_site, text: str, encoding: str,
                                                                         named: str) -> None:
    raw = text.encode(encoding)
    root = make_site({POST: raw})
    result = run("normalise", "--fix-encoding", str(root))
    assert result.exit_code == 1
    assert f"it could be {named}, which read it differently" in result.stderr
    assert "run again with --encoding" in result.stderr
    assert "0 files reformatted, 0 unchanged, 1 failed." in result.stderr
    assert (root / POST).read_bytes() == raw
    chosen = run("normalise", "--encoding", encoding, str(root))
    assert chosen.exit_code == 0, chosen.output
    assert (root / POST).read_bytes().decode("utf-8").endswith(text.split("---\n")[-1])


def test_the_safety_proofs_run_on_the_transcoded_text(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    import grav_tools.normalise.core as core

    monkeypatch.setattr(core, "prove_body", lambda before, after: "the body would change in more than whitespace")
    raw = RU.encode("cp1251")
    root = make_site({POST: raw})
    result = run("normalise", "--fix-encoding", str(root))
    assert result.exit_code == 1 and "more than whitespace" in result.stderr
    assert (root / POST).read_bytes() == raw


def test_settings_key_and_the_command_line_override(make_site) -> None:
    raw = RU.encode("cp1251")
    root = make_site({POST: raw, ".grav-tools.toml": "[normalise]\nfix-encoding = true\n"})
    assert run("normalise", "--no-fix-encoding", str(root)).exit_code == 1
    assert (root / POST).read_bytes() == raw
    assert run("normalise", str(root)).exit_code == 0
    assert (root / POST).read_text("utf-8") == RU_CLEAN
    (root / ".grav-tools.toml").write_text("[normalise]\nfix-encoding = 'yes'\n")
    bad = run("normalise", str(root))
    assert bad.exit_code == 2 and "normalise.fix-encoding must be true or false" in bad.stderr


def test_utf16_with_an_explicit_encoding_is_not_refused_as_binary(make_site) -> None:
    root = make_site({POST: RU.encode("utf-16")})
    result = run("normalise", "--encoding", "utf-16", str(root))
    assert result.exit_code == 0, result.output
    assert (root / POST).read_text("utf-8") == RU_CLEAN


def test_a_binary_file_is_still_refused(make_site) -> None:
    raw = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
    root = make_site({POST: raw})
    result = run("normalise", "--fix-encoding", str(root))
    assert result.exit_code == 1 and "NUL bytes: it is not a text file" in result.stderr
    assert (root / POST).read_bytes() == raw


@pytest.mark.parametrize(("encoding", "expected"), [
    ("cp1251", "cp1251"), ("koi8-r", "koi8-r"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"),
    ("utf-16-be", "utf-16-be"),
])
def test_detection_names_one_encoding_only_when_the_others_read_nonsense(encoding: str, expected: str) -> None:
    guess = detect_legacy_encoding(RU.encode(encoding))
    assert guess.encoding == expected and guess.text == RU
    assert guess.candidates == (expected,)


def test_detection_explains_nothing_it_cannot_know() -> None:
    assert detect_legacy_encoding(CAPS.encode("koi8-r")).encoding is None
    assert detect_legacy_encoding(FRENCH.encode("cp1252")).candidates == ("cp1252",)
    assert detect_legacy_encoding(FRENCH.encode("cp1252")).encoding is None  # Latin encodings look alike
    kazakh = detect_legacy_encoding(KAZAKH.encode("kz1048"))
    assert kazakh.encoding is None and kazakh.candidates == ("cp1251", "kz1048")


def test_russian_prose_round_trips() -> None:
    """Russian prose in both Cyrillic encodings: detected, and decoded back to the same text."""
    prose = ("Москва - столица России. В городе живёт более двенадцати миллионов человек, "
             "а его история насчитывает почти девять веков. ") * 3
    for encoding in ("cp1251", "koi8-r"):
        guess = detect_legacy_encoding(prose.encode(encoding))
        assert (guess.encoding, guess.text) == (encoding, prose)
