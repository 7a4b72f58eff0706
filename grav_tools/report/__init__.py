"""Reporters: plain functions from a LintResult to text. Each is imported only when used."""

from __future__ import annotations

FORMATS = ("text", "json")
