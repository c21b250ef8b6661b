"""Personal and corporate names, split the way BibTeX splits them, from every format."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from litreview.model import Name
from litreview.text.normalize import clean_text, decode_latex, fold

_AND = re.compile(r"\s+and\s+", re.I)


def split_top_level(text: str, sep: re.Pattern[str]) -> list[str]:
    """Split on ``sep`` only outside braces, so ``{Smith and Sons}`` stays one name.

    The separator is searched for, and the brace depth counted only up to each place it is
    found: ``Zo{\\"e}`` in a long author list does not cost one step per character.
    """
    if "{" not in text:
        return sep.split(text)
    parts: list[str] = []
    depth = start = pos = counted = 0
    while True:
        m = sep.search(text, pos)
        if m is None:
            break
        at = m.start()
        for brace in _BRACE.finditer(text, counted, at):
            depth = depth + 1 if brace.group() == "{" else max(0, depth - 1)
        counted = at
        if depth == 0 and m.end() > at:
            parts.append(text[start:at])
            start = pos = counted = m.end()
        else:
            pos = at + 1
    parts.append(text[start:])
    return parts


_BRACE = re.compile(r"[{}]")


def parse_bibtex_names(value: str) -> tuple[Name, ...]:
    """``Davies, H. T. O. and {British Medical Association} and others`` → names."""
    value = clean_text(value)
    if not value:
        return ()
    return tuple(n for n in map(parse_bibtex_name, _split_names(value)) if n)


def _split_names(value: str) -> list[str]:
    """``split_top_level(value, _AND)`` of a text :func:`clean_text` gave, for less."""
    # clean text has no whitespace but single spaces, so ``_AND`` matches `` and `` in any case:
    # when the text holds "and" in lower case alone (``AND`` would share a space with a
    # following `` and ``), ``str.split`` cuts where the regular expression does, and at the
    # top level of braces too when each piece it gives is balanced on its own (an "and" inside
    # braces leaves two pieces that are not): most author lists, without a scan
    if value.count("and") == value.lower().count("and"):
        parts = value.split(" and ")
        if "{" not in value or all(map(_balanced, parts)):
            return parts
    return split_top_level(value, _AND)


@lru_cache(maxsize=1 << 20)
def parse_bibtex_name(raw: str) -> Name | None:
    """One name; cached, as the same authors recur throughout a corpus and names are immutable.

    Large enough for a 100k-record import (~350k distinct names), whose names are parsed twice:
    from the export, then from the corpus text just written (``save_corpus``'s read-back)."""
    raw = raw.strip()
    if not raw or raw == ",":
        return None
    if raw.count(",") == 1:
        # ``Last, First`` with a one-word surname, the usual case: no von part to look for
        last, first = raw.split(",")
        last = last.strip()
        if last and not _HAS_SPACE.search(last):
            if "{" not in raw and "\\" not in raw:
                return Name(last=clean_text(last), first=clean_text(first))
            if _balanced(last):
                # LaTeX accents (``S{\\o}rensen, Mar{\\'i}a``): the comma is outside every brace,
                # so this is what _parse_general's two parts give, without splitting by hand
                return Name(last=_d(last), first=_d(first.strip()))
    return _parse_general(raw)


def _balanced(text: str) -> bool:
    depth = 0
    for brace in _BRACE.findall(text):
        depth += 1 if brace == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def _parse_general(raw: str) -> Name | None:
    """BibTeX's full rules: braces, ``von`` parts, ``Last, Jr, First``, ``First von Last``."""
    if raw.startswith("{") and _outer_braced(raw):
        return Name(last=clean_text(decode_latex(raw[1:-1])), corporate=True)
    parts = [p.strip() for p in split_top_level(raw, _COMMA)]
    if len(parts) >= 3:
        von, last = _split_von(parts[0].split())
        return Name(last=_d(last), first=_d(", ".join(parts[2:])), von=_d(von), jr=_d(parts[1]))
    if len(parts) == 2:
        von, last = _split_von(_words(parts[0]))
        return Name(last=_d(last), first=_d(parts[1]), von=_d(von))
    words = _words(parts[0])
    if len(words) == 1:
        return Name(last=_d(words[0]))
    # First von Last: von starts at the first lower-case word before the last word
    first_words: list[str] = []
    i = 0
    while i < len(words) - 1 and not _is_lower(words[i]):
        first_words.append(words[i])
        i += 1
    rest = words[i:]
    von_words: list[str] = []
    while len(rest) > 1 and _is_lower(rest[0]):
        von_words.append(rest.pop(0))
    return Name(
        last=_d(" ".join(rest)), first=_d(" ".join(first_words)), von=_d(" ".join(von_words))
    )


def _outer_braced(text: str) -> bool:
    depth = 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and i != len(text) - 1:
                return False
    return depth == 0


_COMMA = re.compile(r",")
_HAS_SPACE = re.compile(r"\s")
_SPACES = re.compile(r"\s+")


def _words(text: str) -> list[str]:
    return [w for w in split_top_level(text, _SPACES) if w]


def _split_von(words: list[str]) -> tuple[str, str]:
    von: list[str] = []
    while len(words) > 1 and _is_lower(words[0]):
        von.append(words.pop(0))
    return " ".join(von), " ".join(words)


def _is_lower(word: str) -> bool:
    stripped = "" if word.startswith("{") else decode_latex(word)
    return bool(stripped) and stripped[0].islower()


def _d(text: str) -> str:
    return clean_text(decode_latex(text)) if ("\\" in text or "{" in text) else clean_text(text)


_INITIALS = re.compile(r"^[A-Z]{1,4}$")


#: upper- and lower-case letters of the Latin alphabets (Å, Ž, Ş as well as A–Z)
_UP = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper() and c.isalpha())
_LO = "".join(c for c in map(chr, range(0x61, 0x250)) if c.islower() and c.isalpha())
#: the second letter of a transliterated digraph initial (``Yu.``, ``Kh.``, ``Zh.``), not ``Jr.``
_DIGRAPH = "hsuaoe"
#: one initial: ``E.``, ``Å.``, or a transliterated digraph
_INITIAL = rf"[{_UP}][{_DIGRAPH}]?\."
#: initials written after the surname: ``E.``, ``C.N.``, ``J.-P.``, ``A.Yu.`` (``Dunne E.``)
_DOTTED_INITIALS = re.compile(rf"^(?:{_INITIAL}-?){{1,4}}$")
#: where one name ends and the next starts when an export ran them together without separators:
#: ``Akiyama E.Sugiyama S.Matsubara J.``, ``Ivanov A.Yu.Shcherbakov A.Kh.``: after an initial
#: (one look-behind per width), a capitalised surname (``McDonald`` too) and a space
_RUN_TOGETHER = re.compile(
    rf"(?:(?<=[{_UP}]\.)|(?<=[{_UP}][{_DIGRAPH}]\.))"
    rf"(?=[{_UP}][{_LO}]+(?:[{_UP}][{_LO}]+)*(?:-[{_UP}]?[{_LO}]+)*\s|[{_UP}]['’][{_UP}][{_LO}]+\s)"
)
#: generational suffixes that look like initials (``JA Wagner III``). ``II`` and ``IV`` may be a
#: Russian name's initials too (Ivan Ivanovich), but ``VI`` (Vladimir Ivanovich) is far more
#: often initials than a sixth generation: ``Ivanov VI, Petrov AA`` is two authors
ROMAN_SUFFIXES = frozenset({"II", "III", "IV"})


def _initial_like(word: str) -> bool:
    """Initials, and not a generational suffix (``III``)."""
    return is_initial(word) and word not in ROMAN_SUFFIXES


def _surname_initials(piece: str) -> bool:
    """``Surname I.`` or ``Surname IN``: one item of a comma-separated list of names
    (``Akiyama E., Sugiyama S.``), as opposed to a half of ``Surname, Given``: initials at the
    end, and before them a word that is not itself initials (``LE ROUX``, ``J. P.`` are not)."""
    words = piece.split()
    cut = len(words)
    while cut > 0 and _initial_like(words[cut - 1]):
        cut -= 1
    return 0 < cut < len(words) and not all(_initial_like(w) for w in words[:cut])


def parse_tagged_names(values: Iterable[str]) -> tuple[Name, ...]:
    """One or more names per value (RIS ``AU`` lines, MEDLINE ``FAU``, a CSV cell split on
    ``;``), blanks dropped. A value that holds a list the export did not separate is split:
    ``Akiyama E., Sugiyama S.`` (Scopus's comma-separated authors) and ``Akiyama E.Sugiyama S.``
    (run together). Reading either as one name loses every author but the first."""
    given = list(values)
    alone = len(given) == 1
    return tuple(n for v in given for n in map(parse_tagged_name, _name_items(v, alone)) if n)


def _name_items(value: str, alone: bool) -> list[str]:
    """``alone``: the value is all the record's names. Only then is a comma taken to separate
    names: ``Fonseca C., Efraín R.`` on one of several lines is one person, and ``Agrawal A,
    Gupta K.`` on the only line two."""
    if "," in value:
        if not alone:
            return [value]
        pieces = [p.strip() for p in value.split(",")]
        named = [p for p in pieces if p]
        if len(named) >= 2 and all(_surname_initials(p) for p in named):
            return [q for p in named for r in run_apart(p) for q in surname_groups(r)]
        return [value]
    if runs_together(value):
        pieces = run_apart(value)
        return [q for r in pieces for q in surname_groups(r)] if alone else pieces
    return surname_groups(value) if alone and "." in value else [value]


def surname_groups(value: str) -> list[str]:
    """``Kerr J. M. Carter S.`` as ``Kerr J. M.`` and ``Carter S.``: cut only when every piece
    is a surname followed by initials (``Huw T. O. Davies`` ends in no initials: one name)."""
    groups: list[list[str]] = []
    for word in value.split():
        if not is_initial(word) and (not groups or is_initial(groups[-1][-1])):
            groups.append([word])
        elif groups:
            groups[-1].append(word)
        else:
            return [value]  # starts with initials: ``J. Smith``
    if len(groups) < 2 or not all(len(g) >= 2 and is_initial(g[-1]) for g in groups):
        return [value]
    return [" ".join(g) for g in groups]


#: initials written onto the surname without a space: ``J.Frankel``, ``L.E.Fahln``, ``A.Yu.Petrov``
_GLUED = re.compile(rf"^((?:{_INITIAL}-?)+)([{_UP}][{_LO}].*)$")


def unglue(word: str) -> tuple[str, str] | None:
    """``J.Frankel`` as (``J.``, ``Frankel``): initials an export wrote onto a surname (and
    not initials alone, ``A.Kh.``)."""
    m = _GLUED.match(word)
    return None if m is None or is_initial(word) else (m.group(1), m.group(2))


def is_initial(word: str) -> bool:
    """Initials as written after a surname: ``E.``, ``C.N.``, ``A.Yu.``, ``Å.``, ``JA``."""
    return bool(_DOTTED_INITIALS.match(word) or _INITIALS.match(word))


def runs_together(value: str) -> bool:
    """Whether ``value`` holds names run together without separators (``Akiyama E.Sugiyama S.``),
    which :func:`run_apart` cuts; initials with a digraph (``Ivanov A.Yu.``) are no such run."""
    return "." in value and _RUN_TOGETHER.search(value) is not None


def run_apart(value: str) -> list[str]:
    """Names run together, cut where initials end and a surname starts; a piece without a
    surname (``J.R.R.`` of ``J.R.R.Tolkien``) stays with what follows."""
    out: list[str] = []
    carry = ""
    for piece in _RUN_TOGETHER.split(value):
        piece = carry + piece
        if any(c.islower() for c in piece):
            out.append(piece)
            carry = ""
        else:
            carry = piece
    if carry:
        if out:
            out[-1] += carry
        else:
            out.append(carry)
    return out


#: a generation written after a name: ``Jr``, ``Sr.``, ``2nd`` anywhere; ``II``, ``III``, ``IV``
#: only set apart by commas (``Smith, John, III``), where they cannot be MEDLINE's initials
_JUNIOR, _ORDINAL, _ROMAN = r"(?:[JS]r|Jnr|Snr)", r"[234](?:nd|rd|th)", r"I{2,3}|IV"
_GENERATION = re.compile(rf"{_JUNIOR}\.?|{_ORDINAL}", re.I)
_GENERATION_APART = re.compile(rf"{_JUNIOR}\.?|{_ORDINAL}|{_ROMAN}", re.I)
#: a quick look for any of them before the name is taken apart for one
_ANY_GENERATION = re.compile(rf"\b(?:{_JUNIOR}|{_ORDINAL}|{_ROMAN})\b", re.I)


def _generation(value: str) -> tuple[str, str]:
    """``value`` without the generation written after the name, and that generation: ``King,
    Martin Luther, Jr.``, ``King, Jr., Martin Luther``, ``King Jr., Martin Luther``, ``King,
    Martin Luther Jr`` and MEDLINE's ``King ML Jr`` are all King, Martin Luther, Jr. Read as
    they were, the generation became a given name or, in MEDLINE's form, the surname."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) == 3 and all(parts):
        if _GENERATION_APART.fullmatch(parts[2]):
            return f"{parts[0]}, {parts[1]}", parts[2]
        if _GENERATION_APART.fullmatch(parts[1]):
            return f"{parts[0]}, {parts[2]}", parts[1]
        return value, ""
    if len(parts) == 2:
        head, tail = parts[0].split(), parts[1].split()
        if len(head) >= 2 and _GENERATION.fullmatch(head[-1]):
            return f"{' '.join(head[:-1])}, {parts[1]}", head[-1]
        if len(tail) >= 2 and _GENERATION.fullmatch(tail[-1]):
            return f"{parts[0]}, {' '.join(tail[:-1])}", tail[-1]
        return value, ""
    words = value.split()
    if len(parts) == 1 and len(words) >= 3 and _GENERATION.fullmatch(words[-1]):
        return " ".join(words[:-1]), words[-1]
    return value, ""


def parse_tagged_name(value: str) -> Name | None:
    """A name from RIS, MEDLINE, Web of Science or CSV: ``Davies, Huw T. O.``, ``Davies HT``;
    a generation after it (``Jr.``) is the name's ``jr``."""
    value = clean_text(value)
    if not value:
        return None
    if _ANY_GENERATION.search(value) and (found := _generation(value))[1]:
        name = parse_tagged_name(found[0])
        return None if name is None else replace(name, jr=found[1])
    if "," in value:
        last, _, first = value.partition(",")
        if not last.strip() and not first.strip():
            return None  # a bare comma is no name (and must not make a record look identifiable)
        von, last = _split_von(last.split())
        return Name(last=last.strip(), first=_dotted(first.strip()), von=von)
    words = value.split()
    if looks_corporate(value):
        return Name(last=value, corporate=True)
    if len(words) >= 2 and _INITIALS.match(words[-1]):
        return Name(last=" ".join(words[:-1]), first=_dotted(words[-1]))
    if len(words) >= 2 and _DOTTED_INITIALS.match(words[-1]):
        # ``Dunne E.``, ``Okafor C. N.``, ``van der Meer J.H.``: the surname comes first, as in
        # MEDLINE's ``Dunne E`` but with full stops; BibTeX's rules would make ``E.`` the surname
        cut = len(words) - 1
        while cut > 1 and _DOTTED_INITIALS.match(words[cut - 1]):
            cut -= 1
        if _DOTTED_INITIALS.match(words[0]) is None:
            von, last = _split_von(words[:cut])
            first = " ".join(_SPACED_INITIAL.sub(". ", w) for w in words[cut:])
            return Name(last=last, first=first, von=von)
    return parse_bibtex_name(value)


_SPACED_INITIAL = re.compile(rf"\.(?=[{_UP}])")


_ORG_WORDS = re.compile(
    r"\b(?:association|council|institute|institution|fund|department|college|colleges|trust|"
    r"organi[sz]ation|society|committee|nhs|university|group|academy|commission|office|agency|"
    r"foundation|centre|center|ministry|board|service|consortium|collaboration|network)\b",
    re.I,
)


def looks_corporate(value: str) -> bool:
    """An author field without a comma that names an organisation rather than a person."""
    return "," not in value and bool(_ORG_WORDS.search(value))


def _dotted(first: str) -> str:
    """MEDLINE's ``HT`` becomes ``H. T.``; full first names are kept."""
    if _INITIALS.match(first):
        return " ".join(c + "." for c in first)
    return first


def name_key(name: Name) -> str:
    """A comparable form of a surname: folded, letters only."""
    return _NOT_LETTER.sub("", fold(name.full_last if not name.corporate else name.last))


_NOT_LETTER = re.compile(r"[^a-z]")


def initials(name: Name) -> str:
    return given_initials(name.first)


@lru_cache(maxsize=1 << 16)
def given_initials(first: str) -> str:
    """:func:`initials` of given names as written: kept per written form, since dedupe asks it
    of both authors on most compared pairs (~250,000 times at 100k records) and given names
    repeat (``J.``, ``A. B.``); a run of 100k records has a few tens of thousands of forms."""
    return "".join(w[0] for w in _INITIAL_BREAKS.split(fold(first)) if w)


_INITIAL_BREAKS = re.compile(r"[\s.\-]+")
