"""Body rewriting: references, carousels, the summary separator; code is never touched."""

from __future__ import annotations

from pathlib import Path

from grav_tools.convert import body as B
from grav_tools.convert.model import Post, PostDate

OPTIONS = "items=1 margin=10 loop=true autoplay=false"


def post() -> Post:
    return Post(Path("/src/p.md"), "p.md", "markdown", "p", "p", "P", PostDate(None, "missing"), "p")


def resolver(files: dict[str, str]) -> B.Resolver:
    def resolve(url: str) -> Path | None:
        return Path(files[url]) if url in files else B.MISSING
    return resolve


def test_local_image_and_file_links_become_tokens_and_missing_ones_are_noted() -> None:
    p = post()
    body = "![a](img/a.png) [pdf](doc.pdf) [page](other.html) ![x](https://x.org/a.png) ![m](gone.png)"
    out = B.rewrite_refs(p, body, resolver({"img/a.png": "/src/img/a.png", "doc.pdf": "/src/doc.pdf"}), 3)
    assert out == ("![a](grav-tools-asset-0-) [pdf](grav-tools-asset-1-) [page](other.html) "
                   "![x](https://x.org/a.png) ![m](gone.png)")
    assert [(n.code, n.line) for n in p.notes] == [("GRV908", 3)]


def test_linked_image_titles_angle_urls_html_and_reference_definitions() -> None:
    p = post()
    files = {"a.png": "/src/a.png", "big.png": "/src/big.png", "my pic.png": "/src/my pic.png"}
    body = ('[![a](a.png "T")](big.png)\n![s](<my pic.png>)\n<img src="a.png" alt="">\n\n[ref]: big.png\n'
            "`![a](a.png)` stays")
    out = B.rewrite_refs(p, body, resolver(files), 1)
    assert out.split("\n")[0] == '[![a](grav-tools-asset-0- "T")](grav-tools-asset-1-)'
    assert out.split("\n")[1] == "![s](grav-tools-asset-2-)"
    assert out.split("\n")[2] == '<img src="grav-tools-asset-0-" alt="">'
    assert out.split("\n")[4] == "[ref]: grav-tools-asset-1-"
    assert out.split("\n")[5] == "`![a](a.png)` stays"


def test_fenced_code_is_left_alone() -> None:
    p = post()
    body = "```\n![a](a.png)\n![b](b.png)\n```\n"
    assert B.rewrite_refs(p, body, resolver({"a.png": "/a.png"}), 1) == body
    assert B.carousels(p, body, OPTIONS) == body


def test_runs_of_images_become_one_carousel_with_no_blank_lines_inside() -> None:
    p = post()
    body = "Text.\n\n![a](a.png)\n\n![b](b.png) ![c](c.png)\n\nMore text.\n\n![d](d.png)\n"
    out = B.carousels(p, body, OPTIONS)
    assert out == ("Text.\n\n[owl-carousel items=1 margin=10 loop=true autoplay=false]\n![a](a.png)\n![b](b.png)\n"
                   "![c](c.png)\n[/owl-carousel]\n\nMore text.\n\n![d](d.png)\n")
    assert p.carousels == 1


def test_images_inside_a_text_paragraph_are_not_a_carousel() -> None:
    p = post()
    for body in ("Intro line\n![a](a.png)\n![b](b.png)\n", "![a](a.png)\n![b](b.png)\nclosing words\n"):
        assert B.carousels(p, body, OPTIONS) == body
    assert p.carousels == 0


def test_summary_separator_gets_blank_lines_and_later_marks_go() -> None:
    mark = B.SUMMARY_MARK
    assert B.place_summary(f"One.{mark}Two.\n{mark}\nThree.") == "One.\n\n===\n\nTwo.\n\nThree."
    assert B.place_summary(f"{mark}\nAll body.") == "All body."


def test_own_site_urls_count_as_local() -> None:
    urls = ("https://example.org/blog", "https://example.org")
    assert B.own_path("https://example.org/blog/img/a.png", urls) == "/img/a.png"
    assert B.own_path("http://example.org/x.png", urls) == "/x.png"
    assert B.own_path("https://example.org.evil/x.png", urls) == "https://example.org.evil/x.png"
