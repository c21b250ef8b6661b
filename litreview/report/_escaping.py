"""Escaping for the output formats: Markdown (pandoc's too), LaTeX and plain one-line text.

Its own module so that citations (which escapes the Markdown of a reference) and render (which
imports citations) do not import each other.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WS = re.compile(r"\s+")
_WS_RUN = re.compile(r"\s\s|[^\S ]")  # what _WS.sub(" ", …) would change
_MD_SPECIAL = "\\`*_{}[]<>#!|@$^~&"
_MD_LINE_START = re.compile(r"(\d+)([.)])|([-+])")
_TEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
# one str.translate does both jobs: control characters become spaces, specials get escaped
_CONTROL_TABLE = {c: " " for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F)}
_MD_TABLE = str.maketrans({**_CONTROL_TABLE, **{c: "\\" + c for c in _MD_SPECIAL}})
_TEX_TABLE = str.maketrans({**_CONTROL_TABLE, **_TEX_SPECIAL})
_PLAIN_TABLE = str.maketrans(_CONTROL_TABLE)


def _one_line(text: str) -> str:
    """Every run of whitespace as one space (leading and trailing ones kept as one space)."""
    # every whitespace character but the space is unprintable: most text needs no regex
    if text.isprintable() and "  " not in text:
        return text
    return _WS.sub(" ", text) if _WS_RUN.search(text) else text


def _plain(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(str(value).translate(_PLAIN_TABLE).split())


def _md_text(value: Any) -> str:
    if isinstance(value, Markup):
        return value
    text = _one_line(("" if value is None else str(value)).translate(_MD_TABLE))
    start = _MD_LINE_START.match(text)
    if start:
        head = f"{start.group(1)}\\{start.group(2)}" if start.group(1) else "\\" + start.group(3)
        text = head + text[start.end() :]
    return text


def _tex_text(value: Any) -> str:
    if isinstance(value, Markup):
        return value
    return _one_line(("" if value is None else str(value)).translate(_TEX_TABLE))


def md_escape(value: Any) -> Markup:
    """Text safe inside Markdown (pandoc's too): one line, every markup character backslashed,
    and nothing at its start that would make a list, a heading or a definition."""
    return Markup(_md_text(value))


def tex_escape(value: Any) -> Markup:
    """Text safe inside LaTeX: ``\\ { } % & # _ $ ^ ~`` (and ``< > |``) become their commands."""
    return Markup(_tex_text(value))
