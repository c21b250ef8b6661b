"""The single source of normalisation: import, dedupe, screening and check all call these.

Two functions that disagree about what "the same title" means make duplicates that no step can
see, so every comparison in the project goes through the helpers here.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote

# --- LaTeX -------------------------------------------------------------------------------------

#: LaTeX's accent commands and the combining marks they put on a letter (read here; written by
#: the LaTeX evidence table for letters its fonts lack, litreview.report._escaping)
LATEX_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}
_SYMBOLS = {
    "ss": "ß",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "o": "ø",
    "O": "Ø",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "textendash": "–",
    "textemdash": "—",
    "textbackslash": "\\",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textquoteright": "’",
    "textquoteleft": "‘",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "ldots": "…",
    "dots": "…",
    "textellipsis": "…",
    "S": "§",
    "P": "¶",
    "pounds": "£",
    "copyright": "©",
    "textregistered": "®",
    "texttrademark": "™",
    "euro": "€",
    "textdegree": "°",
    "times": "×",
    "textunderscore": "_",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "mu": "μ",
    "pi": "π",
    "sigma": "σ",
    "langle": "⟨",
    "rangle": "⟩",
    "textperiodcentered": "·",
    "guillemotleft": "«",
    "guillemotright": "»",
}
_ESCAPED = {
    "&": "&",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    " ": " ",
    "\\": "\n",
    ",": " ",
    ";": " ",
    "!": "",
    "/": "",
    "-": "",
}
#: characters whose escape (``\\%``) is the character itself (the braces never reach the place
#: this is used); never the empty string
_PLAIN_ESCAPED = frozenset(c for c, value in _ESCAPED.items() if value == c)
_FONT_COMMANDS = {
    "emph",
    "textit",
    "textbf",
    "textsc",
    "textrm",
    "textsf",
    "texttt",
    "mathrm",
    "mathit",
    "mathbf",
    "textup",
    "textnormal",
    "url",
    "mbox",
    "text",
    "enquote",
    "uppercase",
    "lowercase",
    "MakeUppercase",
    "MakeLowercase",
    "hbox",
    "nolinkurl",
    "textsuperscript",
    "textsubscript",
    "ensuremath",
    "NoCaseChange",
    "bibstring",
}

_CMD = re.compile(r"\\([A-Za-z]+|.)", re.S)  # re.S: a backslash may end a line
_SPECIAL = re.compile(r"[\\{}~]")


def decode_latex(text: str) -> str:
    """Turn the LaTeX commonly found in bibliographies into Unicode.

    Only for values that contain a backslash or a brace; a table, not a TeX engine: what it does
    not know is kept as text rather than dropped, so nothing silently disappears.
    """
    if "\\" not in text and "{" not in text and "}" not in text:
        return text
    if "{" not in text and "}" not in text and "~" not in text:
        # the usual case of an abstract: ``95\% CI``, ``R\&D`` and nothing else LaTeX, each
        # escape its own character; a few memchr-fast finds instead of the walk below (a
        # backslash before anything else falls through to it)
        parts: list[str] = []
        start, i = 0, text.find("\\")
        while i >= 0 and text[i + 1 : i + 2] in _PLAIN_ESCAPED:
            parts.append(text[start:i])
            start = i + 1
            i = text.find("\\", i + 2)
        if i < 0:
            parts.append(text[start:])
            return "".join(parts)
    return _decode_walk(text)


def _decode_walk(text: str) -> str:
    """:func:`decode_latex` one special character at a time: any LaTeX the table knows."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        # copy the plain text up to the next character that means something, in one slice: a
        # 1.5 KB abstract with one ``\%`` is one search and two slices, not 1,500 steps
        m = _SPECIAL.search(text, i)
        if m is None:
            out.append(text[i:])
            break
        if m.start() > i:
            out.append(text[i : m.start()])
            i = m.start()
        ch = text[i]
        if ch == "\\" and i + 1 < n:
            m = _CMD.match(text, i)
            assert m is not None
            name = m.group(1)
            j = m.end()
            if name in LATEX_ACCENTS:
                # accent: argument is {x}, a single letter, or after spaces a letter
                k = j
                if name.isalpha():
                    while k < n and text[k] == " ":
                        k += 1
                arg, k2 = _read_arg(text, k)
                if arg is not None:
                    base = decode_latex(arg) if arg else ""
                    if base.startswith("\\"):
                        base = base[1:]
                    if base == "\\i" or base == "ı":
                        base = "i"
                    if base == "\\j" or base == "ȷ":
                        base = "j"
                    out.append(
                        unicodedata.normalize("NFC", (base[:1] + LATEX_ACCENTS[name] + base[1:]))
                        if base
                        else ""
                    )
                    i = k2
                    continue
                out.append(name)
                i = j
                continue
            if name in _ESCAPED:
                out.append(_ESCAPED[name])
                i = j
                continue
            if name in _SYMBOLS:
                out.append(_SYMBOLS[name])
                # swallow one following empty group or space after a word command
                if text.startswith("{}", j):
                    j += 2
                elif j < n and text[j] == " ":
                    j += 1
                i = j
                continue
            if name in _FONT_COMMANDS:
                i = j
                continue
            # unknown command: keep its name as text so that nothing is lost
            out.append("\\" + name)
            i = j
            continue
        if ch in "{}":
            i += 1
            continue
        if ch == "~":
            out.append(" ")
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _read_arg(text: str, i: int) -> tuple[str | None, int]:
    n = len(text)
    if i >= n:
        return None, i
    if text[i] == "{":
        depth, j = 0, i
        while j < n:
            if text[j] == "{":
                depth += 1
            elif text[j] == "}":
                depth -= 1
                if depth == 0:
                    return text[i + 1 : j], j + 1
            j += 1
        return text[i + 1 :], n
    if text[i] == "\\":
        m = _CMD.match(text, i)
        if m:
            return m.group(0), m.end()
    return text[i], i + 1


def encode_latex_minimal(text: str) -> str:
    """Escape what would break a braced BibTeX value; the inverse of :func:`decode_latex`.

    BibTeX counts every brace, escaped or not, so a lone brace becomes a brace-balanced command.
    """
    if "\\" in text or "{" in text or "}" in text or "--" in text:
        # the reader decodes this value, so a tilde must not read back as a space
        text = text.translate(_BRACE_ESCAPES)
    return _DOUBLE_DASH.sub("-{}", text) if "--" in text else text


#: what LaTeX reads as a command in text (a comment, an alignment tab, math, a parameter, a
#: subscript) unless a backslash escapes it
_LATEX_SPECIAL = re.compile(r"(?<!\\)[&%$#_^]")


def escape_latex_specials(text: str) -> str:
    """``& % $ # _`` escaped with a backslash (one already escaped is left alone) and ``^`` as
    ``\\textasciicircum{}``, so that a BibTeX value typeset by LaTeX, or read by pandoc, keeps
    them: unescaped, ``50% of trusts`` ends the title at the comment sign. :func:`decode_latex`
    reads them back."""
    if any(c in text for c in "&%$#_^"):
        return _LATEX_SPECIAL.sub(_latex_special, text)
    return text


def _latex_special(m: re.Match[str]) -> str:
    return "\\textasciicircum{}" if m.group() == "^" else "\\" + m.group()


_BRACE_ESCAPES = str.maketrans(
    {
        "\\": "\\textbackslash{}",
        "{": "\\textbraceleft{}",
        "}": "\\textbraceright{}",
        "~": "\\textasciitilde{}",
    }
)
_DOUBLE_DASH = re.compile(r"-(?=-)")


# --- whitespace and text -----------------------------------------------------------------------

_WS = re.compile(r"\s+")


#: every printable ASCII character: what :func:`printable` deletes to find any other
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def printable(text: str) -> bool:
    """``text.isprintable()``, in a quarter of the time for a long ASCII text (an abstract): its
    bytes with every printable character deleted are empty. ``isprintable`` looks each
    character up in the Unicode tables, ~3 us for an abstract of 1.5 KB, read twice a record."""
    if len(text) > 64 and text.isascii():
        return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return text.isprintable()


#: R's escapes of characters it could not write in the session's encoding: one per UTF-8 byte
#: (``Br<c3><bc>ggemann``) or per code point (``Br<U+00FC>ggemann``), as R-written exports carry
_R_BYTES = re.compile(r"(?:<[c-f][0-9a-f]>)(?:<[89ab][0-9a-f]>){1,3}")
_R_CODE_POINT = re.compile(r"<U\+([0-9A-Fa-f]{4,6})>")


def repair_r_escapes(text: str) -> str:
    """``Br<c3><bc>ggemann`` and ``Br<U+00FC>ggemann`` as ``Brüggemann``: only a run of byte marks
    that is one whole UTF-8 character is read back; anything else stays as written."""
    if "<" not in text:
        return text
    return _R_CODE_POINT.sub(_code_point, _R_BYTES.sub(_utf8_bytes, text))


def _utf8_bytes(m: re.Match[str]) -> str:
    marks = m.group(0)
    try:
        return bytes.fromhex(marks.replace("<", "").replace(">", "")).decode("utf-8")
    except UnicodeDecodeError:  # not one character: not R's doing, or not all of it
        return marks


def _code_point(m: re.Match[str]) -> str:
    code = int(m.group(1), 16)
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)


#: R's word for a missing value, written into a field by R's exporters (``JO  - NA``)
R_MISSING = "NA"


def clean_text(text: str) -> str:
    """Collapse whitespace (including line breaks from wrapped exports) and strip."""
    # :func:`printable` written out: clean_text runs ~14 times a record, mostly on short values
    if len(text) > 64 and text.isascii():
        plain = not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    else:
        plain = text.isprintable()
    if plain and "  " not in text:
        # the common case, without rebuilding the string: every whitespace character but the
        # space is unprintable (so is NUL), so with no double space there is nothing to collapse
        return text.strip()
    return _WS.sub(" ", text.replace("\x00", "")).strip()


def fold(text: str) -> str:
    """Lower-case ASCII-ish fold: accents removed, ligatures expanded; used for matching only."""
    if text.isascii():
        return text.lower()  # nothing to decompose or translate
    # short texts (names, journals, titles) through a cache: dedupe folds each name several
    # times over (as written, its surname, its initials), and surnames recur across records;
    # an abstract is folded once and is not kept
    return _fold_short(text) if len(text) <= 200 else _fold_unicode(text)


def _fold_unicode(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.translate(_FOLD_TABLE).lower()


_fold_short = lru_cache(maxsize=1 << 16)(_fold_unicode)


_FOLD_TABLE = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "ı": "i",
        "đ": "d",
        "Đ": "D",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "–": "-",
        "—": "-",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "−": "-",
    }
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?::[A-Za-z][A-Za-z0-9-]*)?(?:\s[^<>]*)?/?>")
#: ``<middle dot>``, ``<alpha>``: a character an export spelt out as a pseudo-tag (words, no
#: attributes); it stands between words, so it becomes a space, not nothing.
_PSEUDO_TAG = re.compile(
    r"<(?:[a-z]+ )*(?:dot|middle dot|bullet|alpha|beta|gamma|delta|kappa|mu|plus or minus|greater than or equal to|less than or equal to|degree|prime|times)>",
    re.I,
)


#: tags that exports (Crossref's JATS abstracts, PubMed, publishers' HTML) leave in titles and
#: abstracts. Named, not any ``<word>``, so that "p <0.05 and age >65" or "<10 beds>" survive.
_INLINE_TAGS = (
    "i|b|u|em|strong|sup|sub|span|sc|small|italic|bold|underline|font|a|tt|code|inline-formula|"
    "monospace|strike|ext-link|named-content|styled-content|xref|math|mi|mo|mn|mrow|msub|msup"
)
_BLOCK_TAGS = (
    "p|br|hr|div|sec|title|abstract|list|list-item|li|ul|ol|label|h[1-6]|caption|trans-abstract"
)
_PREFIX = r"(?:(?:jats|mml|xhtml|html|ns\d*):)?"
#: attributes only as ``name="value"`` pairs, so "<b and c>" is read as text, not as a tag
_ATTRS = r"""(?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'<>]+))*\s*/?>"""
_BLOCK_MARKUP = re.compile(rf"</?{_PREFIX}(?:{_BLOCK_TAGS}){_ATTRS}", re.I)
_INLINE_MARKUP = re.compile(
    rf"</?(?:{_PREFIX}(?:{_INLINE_TAGS})|(?:jats|mml):[A-Za-z][\w.-]*){_ATTRS}", re.I
)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def strip_markup(text: str) -> str:
    """A title or abstract without the HTML/JATS tags and entities an export left in it.

    Paragraph-like tags become a space (``<jats:p>Background</jats:p><jats:p>Methods`` reads as
    two sentences, not "BackgroundMethods"); inline tags vanish (``CO<sub>2</sub>`` is "CO2");
    entities are decoded (``&amp;`` is "&"). Text without ``<`` or ``&`` is returned as it is, so
    clean records cost two substring tests. The text as exported stays in the search file the
    record's provenance names.
    """
    if "<" in text:
        text = _INLINE_MARKUP.sub("", _BLOCK_MARKUP.sub(" ", text))
    if "&" in text and ";" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    return clean_text(text)


#: ``&`` as an entity: ``&amp;``, also escaped twice or more (``&amp;amp;``, an export that escaped
#: an escaped title) or without its semicolon (``&amp `` , a field cut at it), and as a number
#: (``&#38;``, ``&#x26;``). Not ``&amp;`` that escapes another entity (``&amp;ast;``).
_AMPERSAND = re.compile(r"&(?:amp;)*(?:amp(?:;(?!#?[a-z0-9]+;)|(?![\w;#]))|#0*38;|#x0*26;)", re.I)


def decode_ampersands(text: str) -> str:
    """``text`` with each :data:`_AMPERSAND` written as the ``&`` it stands for, never the
    word ``amp``. Text without ``&`` is returned as it is."""
    return _AMPERSAND.sub("&", text) if "&" in text else text


@lru_cache(maxsize=65536)
def title_key(title: str) -> str:
    """A title reduced to lower-case ASCII words: what two exports of one title share."""
    text = decode_latex(title) if ("\\" in title or "{" in title) else title
    if "<" in text:  # markup left by an export: <i>in vitro</i>, <sup>2</sup>, <jats:italic>
        text = _HTML_TAG.sub("", _PSEUDO_TAG.sub(_pseudo_tag, text))
    if "&" in text:  # HTML entities: &amp; &lt; &#233;, and &amp;amp; (escaped twice)
        text = decode_ampersands(text)
        if ";" in text:
            text = html.unescape(text)
    if not text.isascii():
        # Greek letters spelled out, as other exports write them (TNF-alpha, IL-1 beta): folded
        # away they would make TNF-α and TNF-β one title, and β-blocker another than beta-blocker
        text = text.translate(_GREEK)
    low = text.lower()
    if any(name in low for name in _GLUED_NAMES):
        # a Greek letter's name glued to what it qualifies, as PubMed writes the letter
        # (IL-1beta, NF-kappaB, TGF-beta1, TNFalpha): a word of its own, as the letter is
        text = _GLUED_GREEK.sub(r" \g<0> ", text)
    text = fold(text)
    text = text.replace("&", " and ")
    return _NON_ALNUM.sub(" ", text).strip()


def _pseudo_tag(m: re.Match[str]) -> str:
    """``<alpha>`` (Embase's way of writing α) spelled as α is; other pseudo-tags a space."""
    name = m.group(0)[1:-1].lower()
    return f" {name} " if name in _GREEK_SET else " "


_GREEK_SPELLED = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
    "sigma tau upsilon phi chi psi omega"
)
#: the Greek letters' names, in alphabet order: how title_key spells each letter
GREEK_NAMES = tuple(_GREEK_SPELLED.split())
_GREEK_SET = frozenset(GREEK_NAMES)


def _greek_table() -> dict[int, str]:
    """Each Greek letter, accented ones too (ά, ΐ), as its name between spaces."""
    base = {
        **{chr(0x3B1 + i): name for i, name in enumerate(GREEK_NAMES[:17])},  # α..ρ
        **{chr(0x3C3 + i): name for i, name in enumerate(GREEK_NAMES[17:])},  # σ..ω
        "ς": "sigma",
        "ϑ": "theta",
        "ϕ": "phi",
        "ϵ": "epsilon",
    }
    table: dict[int, str] = {}
    for code in [*range(0x370, 0x400), *range(0x1F00, 0x2000)]:
        ch = chr(code)
        plain = unicodedata.normalize("NFD", ch)[:1].lower()
        if plain in base:
            table[code] = f" {base[plain]} "
    table[ord("µ")] = "u"  # the micro sign: µg is written ug where it cannot be
    return table


_GREEK = _greek_table()

#: Greek letters' names long enough not to be read inside other words by chance (not ``eta``,
#: ``mu``, ``pi``, ``chi``, ...), in lower case or capitalised (never in capitals: ``ALPHABET``)
_GLUED_NAMES = [n for n in GREEK_NAMES if len(n) >= 4]
#: such a name with no small letter either side: glued only to digits, capitals or punctuation
_GLUED_GREEK = re.compile(
    r"(?<![a-z])(?:{})(?![a-z])".format("|".join(n for g in _GLUED_NAMES for n in (g, g.title())))
)


@lru_cache(maxsize=1 << 16)
def ascii_name(text: str) -> str:
    """Letters and digits only, accents folded, case kept: for citation keys (cached: surnames
    recur, and a 100k import asks for each record's twice)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_FOLD_TABLE)
    return re.sub(r"[^0-9A-Za-z]+", "", text)


# --- DOI ---------------------------------------------------------------------------------------

_DOI_PREFIX = re.compile(
    r"^(?:(?:https?://)?(?:dx\.)?(?:www\.)?doi\.org/|doi:\s*|doi\s+(?=10\.)|https?://[^/]*doi[^/]*/)",
    re.I,
)
_DOI_SHAPE = re.compile(r"^10\.\d{4,9}/\S+$")
#: What exports write for "no DOI": missing data, not a DOI.
_NO_DOI = frozenset(
    {"na", "n/a", "n.a.", "none", "null", "nan", "-", "--", "unknown", "not available"}
)


#: a DOI already in the canonical form :func:`normalize_doi` gives, which it returns as it is:
#: ``10.``, then printable ASCII but spaces, capitals and ``%``, not ending in ``.``, ``,``, ``;``
_CANONICAL_DOI = re.compile(r"10\.[!-$&-@\[-~]*[!-$&-+\-/-:<-@\[-~]")


def normalize_doi(value: str) -> str:
    """Canonical DOI: no resolver prefix, URL-decoded, lower case, no trailing punctuation."""
    if _CANONICAL_DOI.fullmatch(value) and not value.endswith("[doi]"):
        # the usual value (an export's DOI, or one this function gave): the steps below would
        # each leave it as it is, at ~3 us a call, twice a record in an import
        return value
    text = clean_text(value)
    if not text or text.strip("[]().").lower() in _NO_DOI:
        return ""
    text = _DOI_PREFIX.sub("", text)  # before the split: "DOI: 10.1016/..." keeps its DOI
    text = text.split()[0] if " " in text else text
    for _ in range(2):
        if "%" in text:
            text = unquote(text)
    text = _DOI_PREFIX.sub("", text)
    text = text.rstrip(".,;")
    if text.endswith("[doi]"):
        text = text[:-5].strip()
    return text.lower()


def doi_is_wellformed(doi: str) -> bool:
    return bool(_DOI_SHAPE.match(doi))


#: what an import takes as a DOI: ``10.`` and a registrant, a slash and a suffix; looser than
#: the ``10.NNNN/`` that ``check`` asks of a DOI (doi_is_wellformed), which it warns of
_DOI_LIKE = re.compile(r"^10\.\d+(?:\.\d+)*/\S+$")


def looks_like_doi(doi: str) -> bool:
    """A normalised value an import takes as a DOI (a PMID, a link or a note is not one)."""
    return bool(_DOI_LIKE.match(doi))


def placed_doi(value: str) -> tuple[str, str]:
    """A DOI field's value as ``(doi, unplaced)``: the DOI when the value is one (bare, with
    ``doi:`` or as a doi.org link), else ``("", value)``, the value as written, for the reader
    to keep under a field of its own (a PMID, another site's link or a note in a DOI column is
    not the record's DOI). Both are empty for an empty value or one saying "no DOI"."""
    doi = normalize_doi(value)
    if not doi or looks_like_doi(doi):
        return doi, ""
    return "", clean_text(value)


def case_kept_words(text: str) -> list[tuple[str, bool]]:
    """``text`` in pieces, its words and the spaces between them, each word flagged when its
    case is the title's to keep, not a citation style's to change: it has a capital letter and
    is not the first word (a style capitalises that one itself). The one rule behind the braces
    of a .bib file's titles and the nocase spans of CSL-JSON's."""
    out: list[tuple[str, bool]] = []
    seen = False
    for i, piece in enumerate(re.split(r"(\s+)", text)):  # words at even places
        if not piece:
            continue
        if i % 2:
            out.append((piece, False))
            continue
        out.append((piece, seen and any(c.isupper() for c in piece)))
        seen = True
    return out


# --- pages, years, identifiers ---------------------------------------------------------------

_PAGE_RANGE = re.compile(
    r"^\s*([A-Za-z]?\d+[A-Za-z]?)\s*(?:-+|–|—|‐|to)\s*([A-Za-z]?\d+[A-Za-z]?)\s*$"
)


def normalize_pages(value: str) -> str:
    """`626--628`, `626-8` and `626–628` all become `626-628`; anything else is kept as is."""
    text = clean_text(value)
    m = _PAGE_RANGE.match(text)
    if not m:
        return text
    start, end = m.group(1), m.group(2)
    if start.isdigit() and end.isdigit() and len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    return f"{start}-{end}"


_FIRST_PAGE = re.compile(r"\s*((?:[ivxIVX]{2,5}|[A-Za-z])?\d+)")


def first_page(pages: str) -> str:
    """The first page as written, with a letter before it (``S101``, ``e0101``) or a
    supplement's roman numeral (``iv45``: Oxford journals page each supplement of a volume
    so, and ``iv45`` and ``v45`` are two supplements' pages)."""
    m = _FIRST_PAGE.match(pages)
    return m.group(1) if m else ""


_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|2100)(?!\d)")


def parse_year(value: str) -> int | None:
    """The first plausible four-digit year in a date-ish value (`2016/09//`, `2019 Jan 5`)."""
    m = _YEAR.search(value or "")
    return int(m.group(1)) if m else None


def normalize_pmid(value: str) -> str:
    m = re.search(r"\d+", value or "")
    return m.group(0) if m else ""


def split_keywords(value: str) -> tuple[str, ...]:
    """Keywords separated by semicolons or line breaks; by commas only when there is neither."""
    parts = re.split(r"[;\n]", value) if (";" in value or "\n" in value) else value.split(",")
    seen: dict[str, None] = {}
    for p in parts:
        p = clean_text(p)
        if p and p not in seen:
            seen[p] = None
    return tuple(seen)
