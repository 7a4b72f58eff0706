"""`grav-tools normalise`: one canonical form for every page, proven to keep what Grav reads.

Modules: text (body whitespace, summary separator), carousel (owl-carousel fix-ups), dump
(Symfony's quoting), trivia (comments and blank lines), header (the canonical header), dates
(one date format at the same instant), safety (the proofs), core (one page), run (files),
report (what the CLI prints), options (`[tool.grav-tools.normalise]`).
"""

from grav_tools.normalise.core import Note, PageResult, normalise_text
from grav_tools.normalise.options import NormaliseOptions, load_normalise_options

__all__ = ["Note", "PageResult", "normalise_text", "NormaliseOptions", "load_normalise_options"]
