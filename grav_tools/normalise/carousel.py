"""`[owl-carousel]` fix-ups: double-quoted attributes, tags on their own lines, no blank lines
between the images. Each fix is checked by scanning the result again with the same
shortcode-core model that validate uses, so a fix that would not parse is not made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grav_tools.normalise.text import BodyNote
from grav_tools.shortcodes import CAROUSEL_IMAGE_LINE, Tag, pair_blocks, scan_tags

OWL = "owl-carousel"
_ATTR = re.compile(
    r"\s+(?P<name>[^\s=\]\"'“”‘’]+)"
    r"(?:=(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|“(?P<cq>[^”]*)”|‘(?P<tq>[^’]*)’|(?P<plain>[^\s\]\"'“”‘’]*)))?"
)
_CONTAINER = re.compile(r"^\s*(?:>|[-*+][ \t]|[0-9]+[.)][ \t])")


@dataclass(frozen=True, slots=True)
class _Intended:
    name: str
    value: str | None
    quote: str  # how the author wrote it


def _intended_attrs(raw: str, name: str) -> list[_Intended] | None:
    """What the author meant by each attribute, reading any quote style; None if unreadable."""
    inner = raw[1 + len(name) : -1]
    attrs: list[_Intended] = []
    pos = 0
    while pos < len(inner):
        if not inner[pos:].strip():
            break
        match = _ATTR.match(inner, pos)
        if match is None or match.end() == pos:
            return None
        groups = match.groupdict()
        for quote, group in (('"', "dq"), ("'", "sq"), ("“", "cq"), ("‘", "tq"), ("", "plain")):
            if groups[group] is not None:
                attrs.append(_Intended(match["name"], groups[group], quote))
                break
        else:
            attrs.append(_Intended(match["name"], None, ""))
        pos = match.end()
    return attrs


def _needs_quotes(attr: _Intended) -> bool:
    return attr.quote not in ('"', "") or (attr.quote == "" and attr.value is not None and "/" in attr.value)


def _requote_one(tag: Tag) -> str | None:
    """The tag with every value in double quotes where the parser needs them; None to leave it."""
    attrs = _intended_attrs(tag.raw, tag.name)
    if attrs is None or not any(_needs_quotes(a) for a in attrs):
        return None
    parts = [f"[{tag.name}"]
    for attr in attrs:
        if attr.value is None:
            parts.append(attr.name)
        elif _needs_quotes(attr):
            if '"' in attr.value or "]" in attr.value or "\\" in attr.value:
                return None
            parts.append(f'{attr.name}="{attr.value}"')
        else:
            parts.append(f'{attr.name}="{attr.value}"' if attr.quote else f"{attr.name}={attr.value}")
    new = " ".join(parts) + "]"
    check = scan_tags(new, 1, names=(OWL,))
    if len(check) != 1 or not check[0].parsed or check[0].defects:
        return None
    if check[0].params != {a.name: a.value for a in attrs}:
        return None
    return new


def requote(body: str) -> tuple[str, list[BodyNote]]:
    """Attribute values in single or typographic quotes (or unquoted with `/`) double-quoted."""
    if OWL not in body:
        return body, []
    notes: list[BodyNote] = []
    edits: list[tuple[int, int, str]] = []
    for tag in scan_tags(body, 1, names=(OWL,)):
        if tag.closing or tag.md_link or tag.in_code:
            continue
        new = _requote_one(tag)
        if new is not None and new != tag.raw:
            edits.append((tag.offset, tag.end_offset, new))
            notes.append(BodyNote(tag.line, f"carousel attributes double-quoted: {tag.raw} -> {new}"))
    for start, end, new in reversed(edits):
        body = body[:start] + new + body[end:]
    return body, notes


def _split_once(body: str) -> tuple[str, Tag] | None:
    """Move the first carousel tag that shares its line onto a line of its own."""
    for tag in scan_tags(body, 1, names=(OWL,)):
        if not tag.parsed or tag.md_link or tag.alone_on_line or tag.in_code:
            continue
        line_start = body.rfind("\n", 0, tag.offset) + 1
        line_end = body.find("\n", tag.end_offset)
        line_end = len(body) if line_end < 0 else line_end
        line = body[line_start:line_end]
        if _CONTAINER.match(line):
            continue  # inside a quote or list item: moving it out would change more than the tag
        indent = line[: len(line) - len(line.lstrip(" "))][:3]
        before = body[line_start : tag.offset].rstrip()
        after = body[tag.end_offset : line_end].strip()
        pieces = ([before] if before.strip() else []) + [indent + tag.raw] + ([indent + after] if after else [])
        return body[:line_start] + "\n".join(pieces) + body[line_end:], tag
    return None


def own_lines(body: str) -> tuple[str, list[BodyNote]]:
    """Every live carousel tag alone on its line, as shortcode-core's Markdown block needs."""
    notes: list[BodyNote] = []
    if OWL not in body:
        return body, notes
    for _ in range(1000):
        step = _split_once(body)
        if step is None:
            break
        body, tag = step
        notes.append(BodyNote(tag.line, f"{tag.raw[:40]} moved onto a line of its own"))
    return body, notes


def close_gaps(body: str) -> tuple[str, list[BodyNote]]:
    """Blank lines between the images of a closed carousel removed (each gap is an extra slide)."""
    if OWL not in body:
        return body, []
    tags = [t for t in scan_tags(body, 1, names=(OWL,)) if t.parsed and not t.md_link and not t.in_code]
    blocks, _ = pair_blocks(tags, OWL)
    lines = body.split("\n")
    drop: set[int] = set()
    notes: list[BodyNote] = []
    for block in blocks:
        if block.close is None:
            continue
        images = [n for n in block.content_lines if CAROUSEL_IMAGE_LINE.match(lines[n - 1])]
        if len(images) < 2:
            continue
        gaps = [n for n in block.content_lines if images[0] < n < images[-1] and not lines[n - 1].strip()]
        if gaps:
            drop.update(gaps)
            notes.append(BodyNote(block.open.line, f"{len(gaps)} blank line(s) removed between the carousel's "
                                  "images (each made an extra or empty slide)"))
    if not drop:
        return body, notes
    return "\n".join(line for number, line in enumerate(lines, 1) if number not in drop), notes


def _needs_work(body: str) -> bool:
    """One scan to tell whether any fix-up applies (the common case is a clean carousel)."""
    tags = [t for t in scan_tags(body, 1, names=(OWL,)) if not t.md_link and not t.in_code]
    if any(not t.closing and (t.defects or not t.parsed) for t in tags):
        return True  # quoting may need fixing
    if any(t.parsed and not t.alone_on_line for t in tags):
        return True
    blocks, _ = pair_blocks([t for t in tags if t.parsed], OWL)
    lines = body.split("\n")
    return any(block.close is not None and any(not lines[n - 1].strip() for n in block.content_lines)
               for block in blocks)


# A carousel tag as normalise leaves it: alone on its line, names and values that shortcode-core's
# parser reads without a defect (no quotes but double ones, no `/` unquoted, no `]`, `[`, space
# or backslash inside a value), so scan_tags gives it parsed, alone on its line, without defects.
_CLEAN_TAG = re.compile(r'\[owl-carousel(?: [A-Za-z][\w-]*(?:="[\w.,:;#%+/-]*"|=[\w.-]+)?)*\]|\[/owl-carousel\]')
_ATTR_NAME = re.compile(r" ([^= \]]+)")
_BLANK_LINE = re.compile(r"\n\s*\n")  # \s is what str.strip() removes


def _plainly_clean(body: str) -> bool:
    """True when _needs_work(body) is False for a reason seen without scanning: every line that
    names the carousel is a clean tag (_CLEAN_TAG, no parameter twice), and no line from the
    first to the last of them is blank. Whichever of those tags Markdown code or links hide,
    the rest are clean and every block between them has no gap. False means: scan to know.
    """
    first = at = body.find(OWL)
    end = 0
    while at >= 0:
        start = body.rfind("\n", 0, at) + 1
        end = body.find("\n", at)
        end = len(body) if end < 0 else end
        line = body[start:end]
        if _CLEAN_TAG.fullmatch(line) is None:
            return False
        names = _ATTR_NAME.findall(line)
        if len(set(names)) != len(names):
            return False
        at = body.find(OWL, end)
    return first >= 0 and _BLANK_LINE.search(body, body.rfind("\n", 0, first) + 1, end) is None


def fix_carousels(body: str) -> tuple[str, list[BodyNote]]:
    """All carousel fix-ups, in the order that lets each see the previous one's result."""
    if OWL not in body or _plainly_clean(body) or not _needs_work(body):
        return body, []
    body, quoted = requote(body)
    body, moved = own_lines(body)
    body, closed = close_gaps(body)
    return body, quoted + moved + closed
