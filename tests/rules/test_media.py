"""GRV5xx: image and file references against the page folder."""

from __future__ import annotations

import pytest
from helpers import codes_at, problems_in
from hypothesis import given
from hypothesis import strategies as st

from grav_tools.context import PageContext
from grav_tools.page import build_page
from grav_tools.rules.media import MediaRef, resolve
from grav_tools.site import SiteConfig
from grav_tools.source import decode

POST = "user/pages/01.blog/01.post"
HEAD = "---\ntitle: T\n---\n\n"  # the body starts on line 5


def site(make_site, body: str, *files: str, extra: dict | None = None):
    tree: dict[str, str | bytes] = {f"{POST}/item.md": HEAD + body}
    for name in files:
        tree[f"{POST}/{name}"] = b"x"
    tree.update(extra or {})
    return make_site(tree)


# ------------------------------------------------------------------ GRV501 missing media

MISSING_CASES = [
    # (body, files beside the page, expected (line, column) list)
    ("![a](photo.jpg)\n", ["photo.jpg"], []),
    ("![a](nope.jpg)\n", ["photo.jpg"], [(5, 6)]),
    ("Text ![a](Photo.JPG \"Title\")\n", ["photo.jpg"], [(5, 11)]),
    ("[PDF](report.pdf)\n", [], [(5, 7)]),
    ("[PDF](report.pdf)\n", ["report.pdf"], []),
    ("![a](my%20photo.jpg)\n", ["my photo.jpg"], []),  # percent-decoded first
    ("![a](a.jpg)\n", ["a@2x.jpg"], []),  # a retina file alone still makes the medium 'a.jpg'
    ("![a](a.jpg?resize=10,10#top)\n", ["a.jpg"], []),  # query and fragment stripped
    ("![ref][r]\n\n[r]: gone.png \"T\"\n", [], [(7, 6)]),  # reference definition
    ('<img src="gone.png" alt="">\n', [], [(5, 11)]),
    ("[![i](a.jpg)](gone.pdf) \\[x](gone.jpg)\n", ["a.jpg"], [(5, 15)]),  # linked image; escaped bracket
    ("`![a](gone.jpg)`\n\n    ![a](gone.jpg)\n\n```\n![a](gone.jpg)\n```\n", [], []),  # code
    ("[prism]\n![a](gone.jpg)\n[/prism]\n", [], []),  # raw shortcode content is not Markdown
    ("![a](https://x.org/a.jpg) [m](mailto:a@b.c) [x](#top) [p](../02.other) [q](other.md)\n", [], []),
    ("![a](/images/gone.jpg) ![t]({{ url('theme://a.jpg') }}) ![s](theme://images/a.jpg)\n", [], []),
]


@pytest.mark.parametrize(("body", "files", "expected"), MISSING_CASES)
def test_grv501_missing_media(make_site, body: str, files: list, expected: list) -> None:
    assert codes_at(site(make_site, body, *files), "GRV501") == [("GRV501", line, col) for line, col in expected]


def test_grv501_hints(make_site) -> None:
    root = site(make_site, "![a](Photo.JPG)\n![b](photo-01.jpg)\n![c](a+b.jpg)\n", "photo.jpg", "photo-1.jpg", "a+b.jpg")
    messages = [p.message for p in problems_in(root, "GRV501")]
    assert "case-sensitive: the file is named 'photo.jpg'" in messages[0]
    assert "did you mean 'photo-1.jpg'?" in messages[1]
    assert "decodes '+' in an image path as a space" in messages[2]


def test_grv501_same_name_in_another_folder(make_site) -> None:
    root = site(make_site, "![a](shared.jpg)\n", extra={
        "user/pages/01.blog/02.other/item.md": HEAD + "Other\n",
        "user/pages/01.blog/02.other/shared.jpg": b"x",
    })
    [problem] = problems_in(root, "GRV501")
    assert (problem.line, problem.column) == (5, 6)
    assert "a file of that name is in '01.blog/02.other'" in problem.message


def test_grv501_other_page_by_route(make_site) -> None:
    """`../other/x.png` reaches `../02.other/x.png`: Grav falls back to the page route."""
    root = site(make_site, "![a](../other/x.png)\n![b](../other/y.png)\n", extra={
        "user/pages/01.blog/02.other/item.md": HEAD + "Other\n",
        "user/pages/01.blog/02.other/x.png": b"x",
    })
    assert codes_at(root, "GRV501") == [("GRV501", 6, 6)]


# ------------------------------------------------------------------ GRV502 sub-folder

def test_grv502_subfolder(make_site) -> None:
    root = site(make_site, "![a](images/a.jpg)\n![b](images/missing.jpg)\n![c](.hidden/c.jpg)\n",
                "images/a.jpg", ".hidden/c.jpg")
    found = [(p.code, p.line, p.column, p.severity.label) for p in problems_in(root, "GRV50")]
    assert found == [
        ("GRV502", 5, 6, "warning"),
        ("GRV501", 6, 6, "error"),
        ("GRV502", 7, 6, "error"),
    ]


def test_grv502_file_beside_the_page_is_fine(make_site) -> None:
    assert codes_at(site(make_site, "![a](./a.jpg)\n", "a.jpg"), "GRV502") == []


# ------------------------------------------------------------------ GRV503 outside the page

def test_grv503_outside(make_site) -> None:
    body = ("![a](../02.other/x.png)\n"
            "![b](/user/pages/01.blog/01.post/a.jpg)\n"
            "![c](C:\\Users\\me\\c.jpg) ![d](file:///home/me/d.jpg)\n"
            "![e](../../../../../etc/e.jpg)\n")
    root = site(make_site, body, "a.jpg", extra={
        "user/pages/01.blog/02.other/item.md": HEAD + "Other\n",
        "user/pages/01.blog/02.other/x.png": b"x",
    })
    found = [(p.line, p.column, p.severity.label) for p in problems_in(root, "GRV503")]
    assert found == [(5, 6, "warning"), (6, 6, "warning"), (7, 6, "error"), (7, 30, "error"), (8, 6, "error")]


def test_grv503_beside_the_page_is_fine(make_site) -> None:
    assert codes_at(site(make_site, "![a](a.jpg) ![b](/blog/post/a.jpg)\n", "a.jpg"), "GRV503") == []


# ------------------------------------------------------------------ GRV504 media actions

ACTION_CASES = [
    ("![a](a.jpg?cropResize=300,300&classes=x,y&id=z)\n", []),
    ("![a](a.jpg?cropresize=300,300)\n", [(5, 12)]),  # PHP would call cropresize(): __call ignores it
    ("![a](a.jpg?resize=10,10&cropZom=5)\n", [(5, 25)]),
    ("![a](a.jpg?LightBox&Quality=80&lightbox=1024,768&derivatives=[400,800])\n", []),  # declared: any case
    ("![a](a.jpg?url)\n", [(5, 12)]),  # returns text: PHP error in Grav 1.7
    ("![a](anim.gif?resize=10,10&cropResize=5,5)\n", [(5, 28)]),
    ("![a](clip.mp4?autoplay&loop&muted&controls)\n", []),
    ("[a](a.jpg?cropresize=1,1) <img src=\"a.jpg?cropresize=1,1\">\n", []),  # links and HTML: no actions
    ("![a](https://x.org/a.jpg?cropresize=1,1)\n", []),
]


@pytest.mark.parametrize(("body", "expected"), ACTION_CASES)
def test_grv504_actions(make_site, body: str, expected: list) -> None:
    root = site(make_site, body, "a.jpg", "anim.gif", "clip.mp4")
    assert codes_at(root, "GRV504") == [("GRV504", line, col) for line, col in expected]


def test_grv504_messages(make_site) -> None:
    root = site(make_site, "![a](a.jpg?cropresize=3,3&cropZom=5&filter&merge=x)\n", "a.jpg")
    problems = problems_in(root, "GRV504")
    assert "write 'cropResize'" in problems[0].message
    assert "did you mean 'cropZoom'?" in problems[1].message
    assert problems[2].severity.label == "warning" and "Grav 2.0 drops it" in problems[2].message
    assert "PHP method merge()" in problems[3].message
    assert [(p.column, p.end_column) for p in problems] == [(12, 22), (27, 34), (37, 43), (44, 49)]


# ------------------------------------------------------------------ GRV505 unused media

def test_grv505_unused_media(make_site) -> None:
    root = make_site({
        f"{POST}/item.en.md": "---\ntitle: T\nheader_image_file: hero.jpg\n---\n\n![a](b.jpg)\n",
        f"{POST}/item.ru.md": HEAD + "![a](d.jpg)\n",
        f"{POST}/a.jpg": b"x",  # first image: the theme's header image
        f"{POST}/b.jpg": b"x",
        f"{POST}/b.jpg.meta.yaml": b"alt: x",
        f"{POST}/c.png": b"x",
        f"{POST}/d@2x.jpg": b"x",
        f"{POST}/hero.jpg": b"x",
        f"{POST}/notes.txt": b"x",
        f"{POST}/clip.mp4.thumb.jpg": b"x",
        "user/config/system.yaml": "languages:\n    supported: [en, ru]\n",
    })
    [problem] = problems_in(root, "GRV505")
    assert (problem.path.endswith("item.en.md"), problem.line, problem.column) == (True, 1, 1)
    assert "2 files in this page folder that no language version of the page uses: c.png, notes.txt" in problem.message


def test_grv505_all_used(make_site) -> None:
    root = site(make_site, "![a](b.jpg) [doc](files.pdf)\n", "a.jpg", "b.jpg", "files.pdf")
    assert codes_at(root, "GRV505") == []


def test_grv505_twig_listing_all_media_is_skipped(make_site) -> None:
    root = site(make_site, "{% for m in page.media.images %}{{ m.html() }}{% endfor %}\n", "a.jpg", "b.jpg")
    assert codes_at(root, "GRV505") == []


# ------------------------------------------------------------------ file_parts (getFileParts)

FILE_PARTS_CASES = [
    ("a.jpg", ("a.jpg", "jpg", "base")),
    ("a.JPG", ("a.JPG", "JPG", "base")),
    ("a", ("a", None, "base")),
    ("a.", ("a", "", "base")),
    (".hidden", (".hidden", "hidden", "base")),
    ("a.meta", ("a", None, "meta")),
    ("a.thumb", ("a", None, "thumb")),
    ("a.b.jpg", ("a.b.jpg", "jpg", "base")),
    ("a.jpg.meta.yaml", ("a.jpg", "jpg", "meta")),
    ("x.mp4.thumb.jpg", ("x.mp4", "mp4", "thumb")),
    ("a@2x.jpg", ("a.jpg", "jpg", "alternative")),
    ("a@1x.jpg", ("a.jpg", "jpg", "base")),
    ("a@x.jpg", ("a@x.jpg", "jpg", "base")),
]


@pytest.mark.parametrize("name, expected", FILE_PARTS_CASES)
def test_file_parts(name: str, expected: tuple[str, str | None, str]) -> None:
    from grav_tools.rules.media import file_parts

    assert file_parts(name) == expected


# ------------------------------------------------------------------ scanning shortcuts (speed only)

_MARK_TEXTS = ["", "]", "](", "]:", "a](b", "x]: y", "]]]", "] ( ]:", "]" * 70 + "(", "]" * 70 + ":", "[a]" * 40 + "](x)"]


@pytest.mark.parametrize("text", _MARK_TEXTS)
def test_bracket_marks_are_substring_tests(text: str) -> None:
    from grav_tools.rules.media import _bracket_marks

    assert _bracket_marks(text) == ("](" in text, "]:" in text)


def test_inline_re_matches_the_per_character_pattern() -> None:
    """_INLINE_RE reads the URL by runs, possessively; it must match what the plain pattern does."""
    import random
    import re

    from grav_tools.rules.media import _INLINE_RE

    plain = re.compile(r"\]\([ \t]*((?:[^ \t\n()]|\([^ \t\n)]*\))+)(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)")
    pieces = ["](", "(", ")", " ", "\t", "\n", "a", "b.jpg", '"', "'", "]", "[", '"t"', "'u'", "x y"]
    rng = random.Random(7)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        want = [(m.span(), m.groups()) for m in plain.finditer(text)]
        assert [(m.span(), m.groups()) for m in _INLINE_RE.finditer(text)] == want, text


# ------------------------------------------------------------------ web URLs are left out early

_URL_CHARS = st.lists(st.sampled_from(list("aZ09./:?#&;%+@-_~=[]()'\"{}| \\é") + ["amp;", "{{", "a.jpg"]),
                      max_size=20).map("".join)


@given(st.sampled_from(["http://", "https://"]), _URL_CHARS, st.sampled_from(["image", "link", "html"]))
def test_resolve_skips_every_web_url(tmp_path_factory, scheme: str, rest: str, kind: str) -> None:
    """_find_refs leaves web URLs out before looking up their bracket and position: resolve()
    would skip each of them anyway, whatever follows the scheme and whatever the kind."""
    folder = tmp_path_factory.getbasetemp() / "web"
    page = build_page(folder / "item.md", "item.md", decode(b"---\ntitle: T\n---\nbody\n"))
    ctx = PageContext(page, SiteConfig(), None, {}, ("a.jpg", "item.md"))
    target = scheme + rest
    assert resolve(ctx, MediaRef(kind, target, 5, 1, 1 + len(target))).where == "skip"


def test_web_urls_leave_the_local_references_as_they_were(make_site) -> None:
    body = ("[w](https://x.org/a.pdf) ![a](gone.jpg) <img src=\"http://x.org/b.png\"> [r][d]\n\n"
            "[d]: https://x.org/c.pdf\n[e]: gone.pdf\n[x](http://x.org/?a=![b](c.jpg)) ![b](gone2.png)\n")
    assert codes_at(site(make_site, body), "GRV501") == [("GRV501", 5, 31), ("GRV501", 8, 6), ("GRV501", 9, 39)]
