"""GRV4xx: owl-carousel blocks as shortcode-core and Owl Carousel read them."""

from __future__ import annotations

import pytest
from helpers import codes_at, page, problems_in

IMAGES = "![](a.jpg)\n![](b.jpg)\n"
GOOD = f'[owl-carousel items=1 margin=10 loop=true autoplay=false]\n{IMAGES}[/owl-carousel]\n'


def body(text: str) -> str:
    return f"---\ntitle: A\n---\n\n{text}"  # body starts on line 5


CASES = [
    ("GRV401", GOOD, []),
    ("GRV401", f"[owl-carousel items=1]\n{IMAGES}", [(5, 1)]),
    ("GRV402", f"{IMAGES}[/owl-carousel]\n", [(7, 1)]),
    ("GRV402", GOOD, []),
    ("GRV403", f"[owl-carousel items=1]\n![](a.jpg)\n{GOOD}[/owl-carousel]\n", [(7, 1)]),
    ("GRV403", GOOD + GOOD, []),
    ("GRV404", f"Look: [owl-carousel items=1]\n{IMAGES}[/owl-carousel]\n", [(5, 7)]),
    ("GRV404", GOOD, []),
    ("GRV405", f"[owl-carousel class='a b' items=1]\n{IMAGES}[/owl-carousel]\n", [(5, 1)]),
    ("GRV405", f"[owl-carousel items= loop=true]\n{IMAGES}[/owl-carousel]\n", [(5, 1)]),
    ("GRV405", GOOD, []),
    ("GRV406", f"[owl-carousel items=1 autoPlay=true]\n{IMAGES}[/owl-carousel]\n", [(5, 23)]),
    ("GRV406", GOOD, []),
    ("GRV407", f"[owl-carousel items=one margin=10px]\n{IMAGES}[/owl-carousel]\n", [(5, 15), (5, 25)]),
    ("GRV407", GOOD, []),
    ("GRV408", "[owl-carousel items=1]\n![](a.jpg)\n\n![](b.jpg)\n[/owl-carousel]\n", [(7, 1)]),
    ("GRV408", "[owl-carousel items=1]\n![](a.jpg)\nSome words\n![](b.jpg)\n[/owl-carousel]\n", [(7, 1)]),
    ("GRV408", GOOD, []),
    ("GRV409", f'[owl-carousel class="gallery-owl" lazyLoad=true]\n{IMAGES}[/owl-carousel]\n', [(5, 15), (5, 35)]),
    ("GRV409", GOOD, []),
    ("GRV410", "[owl-carousel items=1]\n[/owl-carousel]\n", [(5, 1)]),
    ("GRV410", GOOD, []),
    ("GRV411", f"```\n{GOOD}```\n", [(6, 1), (9, 1)]),
    ("GRV411", GOOD, []),
]


@pytest.mark.parametrize(("code", "text", "expected"), CASES)
def test_shortcode_rule(make_site, code: str, text: str, expected: list) -> None:
    assert codes_at(make_site(page(body(text))), code) == [(code, line, col) for line, col in expected]


def test_grv406_suggests_the_real_name(make_site) -> None:
    root = make_site(page(body(f"[owl-carousel autoPlay=true]\n{IMAGES}[/owl-carousel]\n")))
    assert "did you mean 'autoplay'" in problems_in(root, "GRV406")[0].message


def test_grv406_extra_options_from_config(make_site) -> None:
    root = make_site(page(body(f"[owl-carousel myThemeOption=1]\n{IMAGES}[/owl-carousel]\n")))
    (root / ".grav-tools.toml").write_text("[rules]\nowl-options = ['myThemeOption']\n", encoding="utf-8")
    from grav_tools.config import load_config
    from grav_tools.discover import discover
    from grav_tools.lint import lint

    config = load_config(root / ".grav-tools.toml")
    assert [p.code for p in lint(discover([str(root)]), config, jobs=1).problems if p.code == "GRV406"] == []
