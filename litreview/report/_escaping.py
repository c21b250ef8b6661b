"""Escaping for the output formats: Markdown (pandoc's too), LaTeX and plain one-line text.

Its own module so that citations (which escapes the Markdown of a reference) and render (which
imports citations) do not import each other.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from markupsafe import Markup

from litreview.text.normalize import LATEX_ACCENTS

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
#: the characters above ASCII that LaTeX's utf8 input with T1 and TS1 fonts (the evidence
#: table's preamble) typesets, as ranges of code points: those of TeX Live's ``*enc.dfu`` files
#: that compiled with pdflatex (Latin-1 and Latin Extended-A, Romanian, typographic punctuation,
#: €, arrows …). Any other character stops pdflatex ("Unicode character … not set up").
_T1_RANGES = (
    (0x00A0, 0x0125),
    (0x0128, 0x0137),
    (0x0139, 0x013E),
    (0x0141, 0x0148),
    (0x014A, 0x0165),
    (0x0168, 0x017E),
    (0x0192, 0x0192),
    (0x01C4, 0x01D4),
    (0x01E2, 0x01E3),
    (0x01E6, 0x01EB),
    (0x01F0, 0x01F0),
    (0x01F4, 0x01F5),
    (0x0218, 0x021B),
    (0x0232, 0x0233),
    (0x0237, 0x0237),
    (0x02C6, 0x02C7),
    (0x02D8, 0x02D9),
    (0x02DB, 0x02DD),
    (0x0E3F, 0x0E3F),
    (0x1E02, 0x1E03),
    (0x1E0D, 0x1E0D),
    (0x1E1E, 0x1E21),
    (0x1E25, 0x1E25),
    (0x1E30, 0x1E31),
    (0x1E37, 0x1E37),
    (0x1E43, 0x1E43),
    (0x1E45, 0x1E45),
    (0x1E47, 0x1E47),
    (0x1E5B, 0x1E5B),
    (0x1E63, 0x1E63),
    (0x1E6D, 0x1E6D),
    (0x1E8E, 0x1E91),
    (0x1E9E, 0x1E9E),
    (0x1EF2, 0x1EF3),
    (0x200C, 0x200C),
    (0x2010, 0x2016),
    (0x2018, 0x201A),
    (0x201C, 0x201E),
    (0x2020, 0x2022),
    (0x2026, 0x2026),
    (0x2030, 0x2031),
    (0x2039, 0x203B),
    (0x203D, 0x203D),
    (0x2044, 0x2044),
    (0x204E, 0x204E),
    (0x2052, 0x2052),
    (0x20A1, 0x20A1),
    (0x20A4, 0x20A4),
    (0x20A6, 0x20A6),
    (0x20A9, 0x20A9),
    (0x20AB, 0x20AC),
    (0x20B1, 0x20B1),
    (0x2103, 0x2103),
    (0x2116, 0x2117),
    (0x211E, 0x211E),
    (0x2120, 0x2120),
    (0x2122, 0x2122),
    (0x2126, 0x2127),
    (0x212E, 0x212E),
    (0x2190, 0x2193),
    (0x2329, 0x232A),
    (0x2422, 0x2423),
    (0x25E6, 0x25E6),
    (0x25EF, 0x25EF),
    (0x266A, 0x266A),
    (0x27E8, 0x27E9),
    (0x3008, 0x3009),
    (0xFB00, 0xFB06),
    (0xFEFF, 0xFEFF),
)
_T1 = frozenset(c for a, b in _T1_RANGES for c in range(a, b + 1))
#: symbols a pasted abstract brings, and Greek letters, as LaTeX writes them
_TEX_SYMBOLS = {
    "≥": r"\ensuremath{\geq}",
    "≤": r"\ensuremath{\leq}",
    "≠": r"\ensuremath{\neq}",
    "≈": r"\ensuremath{\approx}",
    "∞": r"\ensuremath{\infty}",
    "−": r"\textminus{}",
    "∓": r"\ensuremath{\mp}",
    "√": r"\ensuremath{\surd}",
    "∑": r"\ensuremath{\sum}",
    "ς": r"\ensuremath{\varsigma}",
    "ο": "o",
    **{
        chr(0x3B1 + i): "\\ensuremath{\\" + name + "}"
        for i, name in enumerate(
            [
                "alpha",
                "beta",
                "gamma",
                "delta",
                "epsilon",
                "zeta",
                "eta",
                "theta",
                "iota",
                "kappa",
                "lambda",
                "mu",
                "nu",
                "xi",
                "omicron",
                "pi",
                "rho",
                "varsigma",
                "sigma",
                "tau",
                "upsilon",
                "phi",
                "chi",
                "psi",
                "omega",
            ]
        )
        if name not in ("omicron", "varsigma")
    },
    **{
        chr(0x391 + i): ("\\ensuremath{\\" + name + "}" if len(name) > 1 else name)
        for i, name in enumerate(
            [
                "A",
                "B",
                "Gamma",
                "Delta",
                "E",
                "Z",
                "H",
                "Theta",
                "I",
                "K",
                "Lambda",
                "M",
                "N",
                "Xi",
                "O",
                "Pi",
                "P",
                "-",
                "Sigma",
                "T",
                "Upsilon",
                "Phi",
                "X",
                "Psi",
                "Omega",
            ]
        )
        if name != "-"
    },
}
#: combining marks (a letter's accents, after NFD) as LaTeX's accent commands: the reader's table
#: turned round; a mark with none in T1 (Vietnamese's hook above) is left out, the letter kept
_TEX_ACCENTS = {mark: command for command, mark in LATEX_ACCENTS.items()}


def _tex_unicode(text: str) -> str:
    """Each character T1 has no glyph for as LaTeX commands: a symbol or Greek letter by its
    command, a letter with accents as the letter under accent commands (``ễ`` as
    ``\\~{\\^{e}}``), anything else (Cyrillic, CJK) as its code point, ``[U+533B]``, so that
    pdflatex typesets the table rather than stopping at the first such character."""
    out: list[str] = []
    for ch in text:
        if ch.isascii() or ord(ch) in _T1:
            out.append(ch)
        elif ch in _TEX_SYMBOLS:
            out.append(_TEX_SYMBOLS[ch])
        else:
            out.append(_tex_accented(ch))
    return "".join(out)


def _tex_accented(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if not marks or not (base.isascii() or ord(base) in _T1) or not base.isalpha():
        return f"\\textrm{{[U+{ord(ch):04X}]}}"
    out = base
    for mark in marks:
        command = _TEX_ACCENTS.get(mark)
        if command is None:
            continue
        if out in ("i", "j") and command not in ("d", "c", "k", "b"):
            out = "\\" + out  # the dotless letter under an accent above it
        out = f"\\{command}{{{out}}}"
    return out


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
    text = _one_line(("" if value is None else str(value)).translate(_TEX_TABLE))
    return text if text.isascii() else _tex_unicode(text)


def md_escape(value: Any) -> Markup:
    """Text safe inside Markdown (pandoc's too): one line, every markup character backslashed,
    and nothing at its start that would make a list, a heading or a definition."""
    return Markup(_md_text(value))


def tex_escape(value: Any) -> Markup:
    """Text safe inside LaTeX: ``\\ { } % & # _ $ ^ ~`` (and ``< > |``) become their commands."""
    return Markup(_tex_text(value))
