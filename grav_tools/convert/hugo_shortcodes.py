"""Hugo shortcodes in a page body, turned into Markdown or HTML Grav renders the same way.

`figure` becomes a Markdown image (runs of them a carousel, later), `gallery` wrappers go away
(their figures are the run), `highlight` becomes a fenced block, `youtube`/`vimeo` an iframe,
`ref`/`relref` a link to the converted page; any other shortcode is kept verbatim and reported.
`{{</* x */>}}` (Hugo's way to show a shortcode literally) becomes the literal text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from grav_tools.convert import body as B
from grav_tools.convert.model import Link, Post

_SHORTCODE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w./-]+)"
                        r"((?:[^>%\"`]|\"(?:[^\"\\]|\\.)*\"|`[^`]*`)*?)\s*(/?)\s*([>%])\}\}",
                        re.S)
_LITERAL = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.S)
_PARAM = re.compile(r"([\w-]+)\s*=\s*(\"(?:[^\"\\]|\\.)*\"|`[^`]*`|[^\s\"`]+)"
                    r"|(\"(?:[^\"\\]|\\.)*\"|`[^`]*`|[^\s\"`=]+)")
_PROTECT = "\x00hugo-protected-{}\x00"
PAIRED = {"highlight", "gallery"}

RefResolver = Callable[[str], str | None]  # a ref path -> the key of the post it names


def params(text: str) -> tuple[dict[str, str], list[str]]:
    """Named and positional shortcode parameters, unquoted."""
    named: dict[str, str] = {}
    positional: list[str] = []
    for match in _PARAM.finditer(text):
        if match.group(1):
            named[match.group(1).lower()] = _unquote(match.group(2))
        elif match.group(3):
            positional.append(_unquote(match.group(3)))
    return named, positional


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"`":
        inner = value[1:-1]
        return inner.replace('\\"', '"') if value[0] == '"' else inner
    return value


def _md_text(value: str) -> str:
    return re.sub(r"[\[\]]", "", value).replace("\n", " ").strip()


def _title(value: str) -> str:
    return ' "' + value.replace('"', "'") + '"' if value else ""


class Shortcodes:
    """Converts the shortcodes of one post; notes go on the post."""

    def __init__(self, post: Post, first_line: int, resolve_ref: RefResolver) -> None:
        self.post = post
        self.first_line = first_line
        self.resolve_ref = resolve_ref
        self.protected: list[str] = []
        self.reported: dict[str, list[int]] = {}  # name -> [index of its note in post.notes, times seen]

    def protect(self, value: str) -> str:
        self.protected.append(value)
        return _PROTECT.format(len(self.protected) - 1)

    def convert(self, text: str) -> str:
        text = _LITERAL.sub(lambda m: self.protect("{{" + m.group(1) + m.group(2) + m.group(3) + "}}"), text)
        text = self._paired(text)
        lines = text.split("\n")
        code = B.code_lines(lines)
        for index, line in enumerate(lines):
            if not code[index] and "{{" in line:
                self.line = self.first_line + index
                lines[index] = _SHORTCODE.sub(self.single, line)
        B.count_repeats(self.post, self.reported.values(), "shortcodes of this name")
        text = "\n".join(lines)
        return re.sub("\x00hugo-protected-(\\d+)\x00", lambda m: self.protected[int(m.group(1))], text)

    def _line(self, text: str, offset: int) -> int:
        return self.first_line + text.count("\n", 0, offset)

    def _paired(self, text: str) -> str:
        """`highlight` and `gallery` blocks, which span lines."""
        pattern = re.compile(r"\{\{([<%])\s*(highlight|gallery)\b((?:[^>%\"]|\"(?:[^\"\\]|\\.)*\")*?)\s*([>%])\}\}"
                             r"\n?(.*?)\n?[ \t]*\{\{[<%]\s*/\s*\2\s*[>%]\}\}", re.S)

        def replace(match: re.Match[str]) -> str:
            name, inner = match.group(2), match.group(5)
            named, positional = params(match.group(3))
            if name == "highlight":
                lang = positional[0] if positional else named.get("lang", "")
                options = positional[1:] or [f"{k}={v}" for k, v in named.items() if k != "lang"]
                if options:
                    self.post.note("GRV917", self._line(text, match.start()), f"highlight {lang} became a fenced "
                                   f"code block; its options ({' '.join(options)}) are not kept")
                longest = max((len(m) for m in re.findall(r"`{3,}", inner)), default=2)
                ticks = "`" * max(3, longest + 1)
                return self.protect(f"{ticks}{lang}\n{inner}\n{ticks}")
            return inner.strip("\n")  # gallery: the figures inside make the carousel

        return pattern.sub(replace, text)

    def single(self, match: re.Match[str]) -> str:
        closing, name, args = match.group(2), match.group(3), match.group(4)
        named, positional = params(args)
        if not closing:
            if name == "figure":
                return self.figure(named)
            if name in ("youtube", "vimeo"):
                return self.video(name, named, positional, match.group(0))
            if name in ("ref", "relref"):
                return self.ref(named, positional, match.group(0))
        if name in self.reported:
            self.reported[name][1] += 0 if closing else 1  # `{{< /name >}}` ends a use, it is not another
        else:
            self.reported[name] = [len(self.post.notes), 1]
            self.post.note("GRV907", self.line, f"Hugo shortcode {match.group(0)[:70]!r} has no Grav equivalent "
                           "and is kept as written")
        return match.group(0)

    def figure(self, named: dict[str, str]) -> str:
        src = named.get("src", "")
        alt = named.get("alt", "") or named.get("title", "") or named.get("caption", "")
        title = named.get("title", "") or named.get("caption", "")
        dropped = sorted(k for k in named if k not in ("src", "alt", "title", "caption"))
        if named.get("caption") and not named.get("title"):
            dropped.append("caption (kept as the image title)")
        if dropped:
            self.post.note("GRV917", self.line,
                           f"figure {src}: became a Markdown image; not kept: {', '.join(dropped)}")
        image = f"![{_md_text(alt)}]({src}{_title(_md_text(title))})"
        link = named.get("link")
        return f"[{image}]({link})" if link and "link" not in dropped else image

    def video(self, name: str, named: dict[str, str], positional: list[str], original: str) -> str:
        video = named.get("id") or (positional[0] if positional else "")
        if not re.fullmatch(r"[\w-]+", video or ""):
            self.post.note("GRV907", self.line,
                           f"{original[:70]!r} has no video id convert understands; kept as written")
            return original
        src = (f"https://www.youtube-nocookie.com/embed/{video}" if name == "youtube"
               else f"https://player.vimeo.com/video/{video}")
        title = named.get("title", "YouTube video" if name == "youtube" else "Vimeo video").replace('"', "'")
        self.post.note("GRV917", self.line, f"{name} {video}: became an <iframe> embed (Grav has no {name} shortcode "
                       "without a plugin)")
        return (f'<iframe width="560" height="315" src="{src}" title="{title}" frameborder="0" '
                'allowfullscreen></iframe>')

    def ref(self, named: dict[str, str], positional: list[str], original: str) -> str:
        target = named.get("path") or (positional[0] if positional else "")
        path, _, anchor = target.partition("#")
        if not path:
            return f"#{anchor}" if anchor else original
        key = self.resolve_ref(path)
        token = B.LINK_TOKEN.format(len(self.post.links))
        self.post.links.append(Link(token, key or path, original, self.line, f"#{anchor}" if anchor else ""))
        return token
