"""listing: the names beside a page, and the natural order PHP sorts them in."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from grav_tools.config import Config
from grav_tools.discover import discover
from grav_tools.lint import lint
from grav_tools.listing import natural_key


def test_natural_order_compares_digit_runs_as_numbers_and_ignores_case() -> None:
    names = ["img10.jpg", "IMG2.jpg", "img1.jpg", "b.jpg", "A.jpg", "img02b.jpg"]
    assert sorted(names, key=natural_key) == ["A.jpg", "b.jpg", "img1.jpg", "IMG2.jpg", "img02b.jpg", "img10.jpg"]


def test_only_ascii_digits_count_as_numbers_as_in_php() -> None:
    """'²' passes str.isdigit() but int() refuses it; the old key raised on such a name."""
    assert natural_key("a1²2.jpg") == ["a", 1, "²", 2, ".jpg"]
    assert natural_key("٣.jpg") == ["٣.jpg"]  # an Arabic-Indic digit: text to PHP


@given(st.lists(st.text(), max_size=8))
def test_any_names_sort_without_error_and_keys_alternate_text_and_numbers(names: list[str]) -> None:
    for name in names:
        key = natural_key(name)
        assert all(isinstance(part, str) for part in key[::2]) and all(isinstance(part, int) for part in key[1::2])
    sorted(names, key=natural_key)


def test_a_folder_with_such_a_name_is_checked_without_an_internal_error(tmp_path: Path) -> None:
    folder = tmp_path / "post"
    folder.mkdir()
    (folder / "item.md").write_text("---\ntitle: T\n---\nbody\n", encoding="utf-8")
    for name in ("a1²2.jpg", "a1².jpg", "b.jpg"):
        (folder / name).write_bytes(b"\xff\xd8\xff")
    result = lint(discover([str(tmp_path)]), Config(), jobs=1)
    assert "GRV100" not in {p.code for p in result.problems}
    assert "GRV505" in {p.code for p in result.problems}
