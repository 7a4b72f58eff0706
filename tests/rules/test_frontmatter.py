"""GRV2xx: fences, YAML as Grav parses it, keys and types."""

from __future__ import annotations

import pytest
from helpers import codes_at, page, problems_in


def fm(header: str, body: str = "Body\n") -> str:
    return f"---\n{header}---\n\n{body}"


CASES = [
    # (rule, text, expected (line, column) list)
    ("GRV201", fm("title: A\n"), []),
    ("GRV201", "---\ntitle: A\n...\nBody\n", [(3, 1)]),
    ("GRV201", "---\ntitle: A\nBody\n", [(1, 1)]),
    ("GRV201", "---\n---\nBody\n", [(1, 1)]),
    ("GRV201", "--- \ntitle: A\n---\n", [(1, 4)]),
    ("GRV201", "---\ntitle: A\n----\nBody\n", [(3, 4)]),
    ("GRV201", "Just text\n", [(1, 1)]),
    ("GRV202", fm("title: *bold* news\n"), [(2, 13)]),
    ("GRV202", fm("title: 'unclosed\n"), [(2, 17)]),
    ("GRV202", fm("title: ok\n"), []),
    ("GRV203", fm("content:\n    items: @self.children\n"), [(3, 5)]),
    ("GRV203", fm("title: Note: read\n"), [(2, 1)]),
    ("GRV203", fm("content:\n    items: '@self.children'\n"), []),
    ("GRV204", fm("title: A\ndate: '01-01-2020 10:00'\ntitle: B\n"), [(4, 1)]),
    ("GRV204", fm("title: A\n"), []),
    ("GRV205", fm("title: A\ntaxonomy:\n\tcategory: blog\n"), [(4, 1)]),
    ("GRV205", fm("title: A\ntaxonomy:\n    category: blog\n"), []),
    ("GRV206", fm("title:Hello\n"), [(2, 1)]),
    ("GRV206", fm("- a\n- b\n"), [(2, 1)]),
    ("GRV207", fm("date: '01-01-2020 10:00'\n"), [(2, 1)]),
    ("GRV207", fm("title: ''\n"), [(2, 1)]),
    ("GRV207", fm("title:\n"), [(2, 1)]),
    ("GRV207", fm("title: A\n"), []),
    ("GRV207", fm("routable: false\n"), []),
    ("GRV207", fm("menu: Servers\nredirect: '/servers/nginx'\n"), []),
    ("GRV208", fm("title: A\npublished: no\n"), [(3, 12)]),
    ("GRV208", fm("title: A\npublished: 'false'\nsummary:\n    enabled: off\n"), [(3, 12), (5, 14)]),
    ("GRV208", fm("title: A\npublished: false\nvisible: '0'\n"), []),
    ("GRV209", fm("title: [a, b]\n"), [(2, 8)]),
    ("GRV209", fm("title: A\ntaxonomy: blog\n"), [(3, 11)]),
    ("GRV209", fm("title: A\ntaxonomy:\n    tag: {a: 1}\n"), [(4, 5)]),
    ("GRV209", fm("title: A\ntaxonomy:\n    category: blog\n    tag: [a, b]\n"), []),
    ("GRV211", fm("title: A\nshow_sidebar: yes\nstart: 10:00\nmode: 0755\n"), [(3, 15), (4, 8), (5, 7)]),
    ("GRV211", fm("title: A\nshow_sidebar: 'yes'\nstart: '10:00'\n"), []),
]


@pytest.mark.parametrize(("code", "text", "expected"), CASES)
def test_frontmatter_rule(make_site, code: str, text: str, expected: list) -> None:
    assert codes_at(make_site(page(text)), code) == [(code, line, col) for line, col in expected]


def test_grv204_message_says_which_value_grav_uses(make_site) -> None:
    [problem] = problems_in(make_site(page(fm("title: A\ntitle: B\n"))), "GRV204")
    assert "Grav uses the first one (line 2)" in problem.message


def test_grv208_says_grav_publishes(make_site) -> None:
    [problem] = problems_in(make_site(page(fm("title: A\npublished: no\n"))), "GRV208")
    assert "PHP casts to true" in problem.message


def test_grv210_unknown_key_with_suggestion(make_site) -> None:
    root = make_site({
        "user/pages/01.blog/01.a/item.md": fm("title: A\npubished: false\nauthor_box: x\n"),
        "user/pages/01.blog/02.b/item.md": fm("title: B\nauthor_box: y\n"),
        "user/pages/01.blog/03.c/item.md": fm("title: C\nwhatever_custom: 1\n"),
    })
    found = [(p.code, p.line, p.severity.label, p.message.split(":")[0]) for p in problems_in(root, "GRV210")]
    assert found == [
        ("GRV210", 3, "warning", "unknown key 'pubished'"),
        ("GRV210", 3, "info", "unknown key 'whatever_custom'"),
    ]
    assert "did you mean 'published'" in problems_in(root, "GRV210")[0].message
