"""Inline suppressions in the header and the body, and reports of unused ones."""

from __future__ import annotations

from helpers import codes_at, page

CAROUSEL = "[owl-carousel items=1]\n![](a.jpg)\n\n![](b.jpg)\n[/owl-carousel]\n"


def test_trailing_yaml_comment_silences_its_line(make_site) -> None:
    text = "---\ntitle: A\nshow_sidebar: yes # grav-tools: ignore GRV211\nhide: on\n---\n"
    assert codes_at(make_site(page(text)), "GRV211,GRV106") == [("GRV211", 4, 7)]


def test_own_line_yaml_comment_silences_next_line(make_site) -> None:
    text = "---\ntitle: A\n# grav-tools: ignore GRV211\nshow_sidebar: yes\nhide: on\n---\n"
    assert codes_at(make_site(page(text)), "GRV211,GRV106") == [("GRV211", 5, 7)]


def test_ignore_file_in_header(make_site) -> None:
    text = "---\n# grav-tools: ignore-file GRV2\ntitle: A\npublished: no\nshow_sidebar: yes\n---\n"
    assert codes_at(make_site(page(text)), "GRV2,GRV106") == []


def test_html_comment_silences_next_block(make_site) -> None:
    body = f"<!-- grav-tools: ignore GRV408 -->\n{CAROUSEL}\n{CAROUSEL}"
    text = f"---\ntitle: A\n---\n\n{body}"
    found = codes_at(make_site(page(text)), "GRV408,GRV106")
    assert found == [("GRV408", 14, 1)]


def test_html_ignore_file(make_site) -> None:
    text = f"---\ntitle: A\n---\n\n<!-- grav-tools: ignore-file GRV4 -->\n{CAROUSEL}"
    assert codes_at(make_site(page(text)), "GRV4,GRV106") == []


def test_unused_suppression_is_reported(make_site) -> None:
    text = "---\ntitle: A # grav-tools: ignore GRV211\n---\n\n<!-- grav-tools: ignore GRV408 -->\nText\n"
    assert codes_at(make_site(page(text)), "GRV2,GRV4,GRV106") == [("GRV106", 2, 10), ("GRV106", 5, 1)]


def test_suppression_of_unselected_rule_is_not_called_unused(make_site) -> None:
    text = "---\ntitle: A # grav-tools: ignore GRV211\n---\n"
    assert codes_at(make_site(page(text)), "GRV3,GRV106") == []
