"""BibTeX and BibLaTeX: a fast reader and the corpus writer.

The reader is our own scanner rather than pybtex's parser: pybtex runs at ~3k entries/s here
and stops at the first hard error, while a review corpus needs ~10k entries/s and every
malformed entry reported with its line while the rest are kept. ``scripts/robustness.py``
compares its records with pybtex's on every real file in ``../shared/data``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import lru_cache
from typing import Any, AnyStr

from litreview.io.base import ReadResult, identifiable
from litreview.model import Name, Provenance, Record
from litreview.progress import Tick
from litreview.text.names import parse_bibtex_names, parse_tagged_names
from litreview.text.normalize import (
    case_kept_words,
    clean_text,
    decode_latex,
    encode_latex_minimal,
    escape_latex_specials,
    normalize_doi,
    normalize_pages,
    normalize_pmid,
    parse_year,
    printable,
    split_keywords,
)

_ENTRY_START = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t\r\n]*([{(])")
_FIELD_NAME = re.compile(r"[\s,]*((?:[^\s=,{}\"#()]|\xa0)+)\s*=\s*")
_BRACES = re.compile(r"[{}]")
_PARENS = re.compile(r"[()]")
_QUOTE_SCAN = re.compile(r'[{}"]')
_BARE = re.compile(r"[^\s,#{}()\"]+")
_CONCAT = re.compile(r"\s*#\s*")
_GAP = re.compile(r"[ \t\n\r,]*")
_SIMPLE_FIELD = re.compile(r"[\s,]*((?:[^\s=,{}\"#()]|\xa0)+)\s*=\s*\{([^{}]*)\}(?!\s*#)")
_KEY = re.compile(r"\s*([^\s,{}()=\"#%]*)\s*,")
#: a key with spaces in it, then its comma, alone on the entry's first line: Scopus makes its keys
#: of the first author's surname as written (``@ARTICLE{Blesslin Elizabeth20231772,``)
_KEY_SPACED = re.compile(r"[ \t]*([^\s,{}()=\"#%][^,{}()=\"#%\n]*?)[ \t]*,[ \t]*(?=\r?\n)")
#: a key whose comma a hand edit lost, alone on the entry's first line: named in the reject
_KEY_ALONE = re.compile(r"[ \t]*([^\s,{}()=\"#%]+)[ \t]*(?=\r?\n)")
_MONTHS = {
    m: m.capitalize()
    for m in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
}

#: Modelled fields are read into Record attributes; everything else stays in ``extra``.
_CONTAINER_FIELDS = (
    "journal",
    "journaltitle",
    "booktitle",
    "institution",
    "school",
    "publisher",
    "organization",
    "howpublished",
)
_MODELLED = {
    "title",
    "author",
    "year",
    "date",
    "volume",
    "number",
    "issue",
    "pages",
    "doi",
    "pmid",
    "url",
    "abstract",
    "keywords",
    "keyword",
    "language",
    "provenance",
}
_CANONICAL_CONTAINER = {
    "article": "journal",
    "incollection": "booktitle",
    "inproceedings": "booktitle",
    "conference": "booktitle",
    "inbook": "booktitle",
    "techreport": "institution",
    "report": "institution",
    "phdthesis": "school",
    "mastersthesis": "school",
    "thesis": "school",
    "book": "publisher",
    "misc": "howpublished",
    "online": "organization",
}


#: What @string macros may add: to one value, and to the whole file beyond its own length.
#: Macros are expanded as they are defined, so a chain ``@string{b = a # a}``, ``@string{c = b # b}``
#: doubles at each step: thirty steps from one kilobyte would need a terabyte.
MAX_MACRO_VALUE = 1_000_000
MAX_MACRO_TOTAL = 64_000_000


class _Macros(dict[str, str]):
    """The @string table, with how many characters expansions may still add to this file."""

    def __init__(self, text_size: int) -> None:
        super().__init__(_MONTHS)
        self.budget = MAX_MACRO_TOTAL + text_size


class BibtexSyntaxError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def parse_entries(
    text: str, first_line: int = 1
) -> Iterable[tuple[str, str, int, dict[str, str], int, int, str | None]]:
    """Yield ``(kind, key, end, fields, line, offset, error)`` for every ``@`` block.

    ``fields`` hold raw (still LaTeX) values with macros expanded; ``error`` is a reason when
    the block could not be read, in which case ``text[offset:end]`` runs up to the next entry.
    The block's text is left for the caller to cut when it needs it (a reject): 100k copies of
    entries that are read cleanly cost 300 MB for nothing. ``first_line``: the line ``text``
    starts on in its file (a part of a larger text).
    """
    macros = _Macros(len(text))
    pos, line, line_pos = 0, first_line, 0
    n = len(text)
    while True:
        m = _ENTRY_START.search(text, pos)
        if not m:
            return
        start = m.start()
        line += text.count("\n", line_pos, start)
        line_pos = start
        kind = m.group(1).lower()
        close = "}" if m.group(2) == "{" else ")"
        body_start = m.end()
        if kind == "comment":
            end = _skip_group(text, body_start, close)
            pos = end if end > body_start else body_start
            continue
        try:
            if kind == "preamble":
                _value, end = _parse_value(text, _skip_ws(text, body_start), macros, close)
                end = _skip_ws(text, end)
                if end >= n or text[end] != close:
                    raise BibtexSyntaxError("@preamble is not closed", end)
                pos = end + 1
                continue
            if kind == "string":
                fields, end = _parse_fields(text, body_start, close, macros, allow_key=False)
                for k, v in fields.items():
                    macros[k] = v
                pos = end
                continue
            if m.group(2) == "{":
                found = _common_entry(text, body_start)
                if found is not None:
                    key, fields, end = found
                    yield kind, key, end, fields, line, start, None
                    pos = end
                    continue
            km = _KEY.match(text, body_start) or _KEY_SPACED.match(text, body_start)
            if not km:
                # an entry with no key, or a key followed directly by the closing brace
                bare = re.match(r"\s*([^\s,{}()]*)\s*[})]", text[body_start:])
                if bare:
                    end = body_start + bare.end()
                    yield kind, bare.group(1), end, {}, line, start, "entry has no fields"
                    pos = end
                    continue
                raise BibtexSyntaxError("missing citation key or the comma after it", body_start)
            key = km.group(1)
            fields, end = _parse_fields(text, km.end(), close, macros, allow_key=True)
            yield kind, key, end, fields, line, start, None
            pos = end
        except BibtexSyntaxError as exc:
            # resynchronise at the next line that starts an entry
            nxt = re.compile(r"\n[ \t]*@[ \t]*[A-Za-z]").search(
                text, max(exc.offset - 1, body_start)
            )
            end = nxt.start() + 1 if nxt else n
            err_line = line + text.count("\n", start, min(exc.offset, n))
            # the entry's key when its head is whole (a value left open further down): the
            # reject names it, and `check` knows the decisions on it are not on a missing record
            head = None
            if kind not in ("string", "preamble"):
                head = _KEY.match(text, body_start)
                if head is None or head.end() > exc.offset:
                    head = _KEY_ALONE.match(text, body_start)  # the comma after it lost
            key = head.group(1) if head is not None else ""
            yield kind, key, end, {}, line, start, f"{exc} (near line {err_line})"
            pos = end


# One field as most exports write it: ``name = {value}`` (braces inside one level deep at most),
# ``name = "value"`` or ``name = 2001``, not followed by ``#``. A bare word (a macro) and anything
# deeper are left to the general reader.
_COMMON_FIELD = re.compile(
    r"[\s,]*+((?:[^\s=,{}\"#()]|\xa0)++)\s*+=\s*+"
    r"(?:\{((?:[^{}]++|\{[^{}]*+\})*+)\}|\"((?:[^\"{}]++|\{[^{}]*+\})*+)\"|([0-9]++)(?![^\s,#{}()\"]))"
    r"(?!\s*+#)"
)
#: the head of a ``_COMMON_FIELD`` up to its value: group 2 an opening brace, group 3 a number
_FIELD_HEAD = re.compile(
    r"[\s,]*+((?:[^\s=,{}\"#()]|\xa0)++)\s*+=\s*+(?:(\{)|\"|([0-9]++)(?![^\s,#{}()\"]))"
)
_ENTRY_TAIL = re.compile(r"[ \t\n\r,]*+\}")


def _common_entry(text: str, i: int) -> tuple[str, dict[str, str], int] | None:
    """The key, fields and end of the ``{``-delimited entry whose body starts at ``i``, when every
    field has one of the common shapes of ``_COMMON_FIELD``; None for anything else (a macro, a
    ``#``, braces two levels deep, a repeated field, an error), which the general reader reads.

    What the general reader gives for the same entry, for less (``tests/test_bibtex_fast_path.py``):
    a ``{…}`` value's end is found with ``str.find`` (a regular expression walks a 1.5 KB abstract
    character by character, several times slower). A ``#`` after a value fails both the next
    field's head and the entry's tail, so the whole entry goes to the general reader.
    """
    km = _KEY.match(text, i)
    if km is None:
        return None
    pos = km.end()
    fields: dict[str, str] = {}
    count = 0
    find = text.find
    head = _FIELD_HEAD.match
    while m := head(text, pos):
        if m.group(2) is not None:  # ``{value}``, braces inside at most one level deep
            start = m.end()
            close = find("}", start)
            if close < 0:
                return None
            opened = find("{", start, close)
            while opened >= 0:  # an inner group: it must close before another one opens
                if find("{", opened + 1, close) >= 0:
                    return None
                after = close + 1
                close = find("}", after)
                if close < 0:
                    return None
                opened = find("{", after, close)
            value = text[start:close]
            pos = close + 1
        elif m.group(3) is not None:  # a number
            value = m.group(3)
            pos = m.end()
        else:  # ``"value"``: rare enough for the one regular expression
            q = _COMMON_FIELD.match(text, pos)
            if q is None:
                break
            value = q.group(3)
            pos = q.end()
        fields.setdefault(m.group(1).lower(), value)
        count += 1
    tail = _ENTRY_TAIL.match(text, pos)
    if tail is None or len(fields) != count:
        return None
    return km.group(1), fields, tail.end()


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _skip_group(text: str, i: int, close: str) -> int:
    depth = 1
    for m in (_BRACES if close == "}" else _PARENS).finditer(text, i):
        ch = m.group(0)
        if ch in "{(":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.end()
    return i


def _parse_fields(
    text: str, i: int, close: str, macros: dict[str, str], allow_key: bool
) -> tuple[dict[str, str], int]:
    fields: dict[str, str] = {}
    n = len(text)
    while True:
        # end of entry?
        j = _GAP.match(text, i).end()  # type: ignore[union-attr]  # matches the empty string too
        if j >= n:
            raise BibtexSyntaxError("file ends inside an entry (missing closing brace?)", j)
        if text[j] == close:
            return fields, j + 1
        sm = _SIMPLE_FIELD.match(text, i)
        if sm:  # ``name = {value}`` with no inner braces and no ``#``: most fields of most files
            name, value, i = sm.group(1).lower(), sm.group(2), sm.end()
        else:
            fm = _FIELD_NAME.match(text, i)
            if not fm:
                if text[j] == "@":
                    raise BibtexSyntaxError("entry is not closed before the next one starts", j)
                raise BibtexSyntaxError(f"expected a field name at {text[j : j + 20]!r}", j)
            name = fm.group(1).lower()
            value, i = _parse_value(text, fm.end(), macros, close)
        if name in fields:
            # keep the first value; the caller reports the repeat
            fields["\x00repeated"] = fields.get("\x00repeated", "") + name + " "
        else:
            fields[name] = value


def _parse_value(text: str, i: int, macros: dict[str, str], close: str) -> tuple[str, int]:
    parts: list[str] = []
    n = len(text)
    expanded = 0  # characters macros added to this value
    while True:
        if i >= n:
            raise BibtexSyntaxError("file ends inside a field value", i)
        ch = text[i]
        if ch == "{":
            # most values hold no inner braces: find the end without walking every brace
            j = text.find("}", i + 1)
            if j != -1 and text.find("{", i + 1, j) == -1:
                parts.append(text[i + 1 : j])
                i = j + 1
            else:
                depth = 0
                for m in _BRACES.finditer(text, i):
                    if m.group(0) == "{":
                        depth += 1
                    else:
                        depth -= 1
                        if depth == 0:
                            parts.append(text[i + 1 : m.start()])
                            i = m.end()
                            break
                    if depth > 0 and m.group(0) == "{" and text.startswith("\n@", m.start() - 1):
                        raise BibtexSyntaxError("unbalanced braces in a field value", m.start())
                else:
                    raise BibtexSyntaxError("unbalanced braces in a field value", i)
        elif ch == '"':
            depth = 0
            for m in _QUOTE_SCAN.finditer(text, i + 1):
                c = m.group(0)
                if c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                elif depth == 0:
                    parts.append(text[i + 1 : m.start()])
                    i = m.end()
                    break
            else:
                raise BibtexSyntaxError("unterminated quoted value", i)
        else:
            bm = _BARE.match(text, i)
            if not bm:
                raise BibtexSyntaxError(f"expected a value at {text[i : i + 20]!r}", i)
            word = bm.group(0)
            if close == ")" and word.endswith(")"):
                word = word.rstrip(")")
            macro = None if word.isdigit() else macros.get(word.lower())
            if macro is not None:
                expanded += len(macro)
                if isinstance(macros, _Macros):
                    macros.budget -= len(macro)
                    if macros.budget < 0:
                        raise BibtexSyntaxError(
                            f"@string macros expand to more than {MAX_MACRO_TOTAL:,} characters "
                            "in this file",
                            i,
                        )
                if expanded > MAX_MACRO_VALUE:
                    raise BibtexSyntaxError(
                        f"@string macros make this value longer than {MAX_MACRO_VALUE:,} "
                        "characters (a chain of @string definitions that doubles?)",
                        i,
                    )
            parts.append(word if macro is None else macro)
            i = bm.start() + len(word)
        cm = _CONCAT.match(text, i)
        if cm and "#" in cm.group(0):
            i = cm.end()
            continue
        return "".join(parts), i


def read_bibtex(
    text: str,
    path: str,
    source: str,
    tick: Tick | None = None,
    finish: Callable[[ReadResult], object] | None = None,
    prepare: Callable[[Record], Any] | None = None,
) -> ReadResult:
    """``tick`` hears a position in ``[0, 2 * len(text)]``: the split pass, then the conversion.

    A large file is read in parts, one per core (see :mod:`litreview.workers`), when each part
    can be shown to read exactly as it does within the whole file; otherwise, and always when a
    part finds anything unusual (an unreadable entry, a crossref), it is read in one piece.
    ``finish`` is per-record work on what was read (an export normalised), done where each part is
    read; ``prepare(record)`` of each finished record goes to ``ReadResult.made`` when the file
    was read in parts (see :func:`litreview.io.read_text`).
    """
    from litreview.workers import TEXT_PART_CHARS, split_map, worker_count

    parts = _parts(text, worker_count(len(text), min_per_worker=TEXT_PART_CHARS))
    if parts:

        def part_read(start: int, stop: int, line: int) -> ReadResult | None:
            result = _read_part(text, start, stop, line, path, source)
            if result is not None:
                if finish is not None:
                    finish(result)
                if prepare is not None:
                    result.made = [prepare(r) for r in result.records]
            return result

        read = split_map(
            lambda a, b: [part_read(*part) for part in parts[a:b]], len(parts), workers=len(parts)
        )
        if all(r is not None for r in read):
            whole = ReadResult(path=path, format="bibtex")
            made: list[Any] | None = [] if prepare is not None else None
            for r in read:
                assert r is not None
                whole.records.extend(r.records)
                whole.rejects.extend(r.rejects)
                whole.problems.extend(r.problems)
                for key, line in r.lines.items():
                    whole.lines.setdefault(key, line)
                if made is not None and r.made is not None:
                    made.extend(r.made)
            whole.made = made
            if tick is not None:
                tick(2 * len(text))
            return whole
    result = _read_whole(text, path, source, tick)
    if finish is not None:
        finish(result)
    return result


#: an @string definition: text read in pieces would miss the macros it defines (a literal start,
#: so a search over 170 MB skips ahead); STRING_DEF_BYTES is the same for bytes
_STRING_DEF_SOURCE = r"@[ \t]*[sS][tT][rR][iI][nN][gG][ \t\r\n]*[{(]"
_STRING_DEF = re.compile(_STRING_DEF_SOURCE)
STRING_DEF_BYTES = re.compile(_STRING_DEF_SOURCE.encode("ascii"))


def _parts(text: str, count: int) -> list[tuple[int, int, int]]:
    """``(start, stop, first line)`` of ``count`` parts of ``text``, each cut where a line starts
    with ``@``; none when there is one part or a macro (defined in one part, used in another)."""
    if count < 2 or _STRING_DEF.search(text):
        return []
    cuts = [0]
    # even parts: a worker pickles its records to send them back, but this process (whose part
    # is the last) spends about as long taking them in, so a smaller forked part (9/10 of an
    # even share, before) left the worker idle while this process read its larger part
    for i in range(1, count):
        at = text.find("\n@", max(len(text) * i // count, cuts[-1] + 1))
        if at < 0:
            break
        cuts.append(at + 1)
    if len(cuts) < 2:
        return []
    from litreview.workers import text_parts

    return text_parts(text, cuts)


def _read_part(
    text: str, start: int, stop: int, first_line: int, path: str, source: str
) -> ReadResult | None:
    """One part read on its own, or None when it might read differently inside the whole text:
    an entry it could not read (the cut may be inside a value), one that borrows another's
    fields (a crossref), or an ``@`` after its last entry (a comment running past the cut)."""
    part = text[start:stop]
    blocks = list(parse_entries(part, first_line))
    if any(b[6] is not None or "crossref" in b[3] or "xref" in b[3] for b in blocks):
        return None
    if "@" in part[blocks[-1][2] if blocks else 0 :]:
        return None
    return _convert_blocks(part, blocks, path, source, None)


def _read_whole(text: str, path: str, source: str, tick: Tick | None) -> ReadResult:
    if tick is None:
        blocks = list(parse_entries(text))
    else:
        blocks = []
        for block in parse_entries(text):
            blocks.append(block)
            tick(block[5])
    return _convert_blocks(text, blocks, path, source, tick)


def _convert_blocks(
    text: str,
    blocks: list[tuple[str, str, int, dict[str, str], int, int, str | None]],
    path: str,
    source: str,
    tick: Tick | None,
) -> ReadResult:
    result = ReadResult(path=path, format="bibtex")
    size = len(text)
    by_key: dict[str, dict[str, str]] = {}
    for _kind, key, _end, fields, _line, _off, error in blocks:
        if error is None and key:
            by_key.setdefault(key.lower(), fields)
    for kind, key, end, fields, line, offset, error in blocks:
        if tick is not None:
            tick(size + offset)
        if error is not None:
            result.reject(
                line, f"malformed BibTeX entry: {error}", text[offset:end].rstrip("\n"), key or None
            )
            continue
        result.lines.setdefault(key, line)
        repeated = fields.pop("\x00repeated", "")
        if repeated:
            result.warn(line, _repeated_fields(repeated), key, "repeated-field")
        if kind in ("set", "xdata"):
            result.reject(
                line, f"@{kind} groups other entries and is not a record", text[offset:end], key
            )
            continue
        parent_key = fields.get("crossref") or fields.get("xref")
        if parent_key:
            parent = by_key.get(parent_key.strip().lower())
            if parent is None:
                result.warn(line, f"crossref to unknown entry {parent_key!r}", key, "crossref")
            else:
                for k, v in parent.items():
                    if k == "title" and "booktitle" not in fields:
                        fields["booktitle"] = v
                    elif (
                        k not in fields
                        and k not in ("crossref", "xref", "ids")
                        and not _MARKER_NAME.fullmatch(k)  # the parent's own container names
                    ):
                        fields[k] = v
        if "provenance" in fields and source != "corpus":
            # an export's own provenance field (another review's records.bib) says where that
            # review found the record; here it came from this file, under this --source
            name = "x-provenance"
            while name in fields:
                name = "x-" + name
            fields[name] = fields.pop("provenance")
        record = fields_to_record(kind, key, fields, Provenance(source, path, line, key or None))
        if not identifiable(record):
            result.reject(
                line,
                "entry has no title, author, DOI or PMID: nothing identifies the work",
                text[offset:end],
                key,
            )
            continue
        result.records.append(record)
    return result


def _repeated_fields(repeated: str) -> str:
    """The warning for an entry's repeated fields (``repeated``: each repeat's name, in order):
    each field named once, with how many times the entry gives it."""
    names = repeated.split()
    counts = {name: names.count(name) + 1 for name in dict.fromkeys(names)}
    listed = ", ".join(f"{name} ({n} times)" for name, n in counts.items())
    return f"field{'s' if len(counts) > 1 else ''} repeated, first value kept: {listed}"


def _val(fields: dict[str, str], name: str) -> str:
    v = fields.get(name, "")
    if not v:
        return ""
    if "--" in v and name != "pages":
        v = v.replace("---", "\u2014").replace("--", "\u2013")
    return clean_text(decode_latex(v)) if ("\\" in v or "{" in v or "}" in v) else clean_text(v)


def _container_order(kind: str) -> tuple[str, ...]:
    """Where an entry of this type keeps its container, in the order the reader looks.

    The type's own field comes first (a ``misc`` entry's ``howpublished`` before a
    ``publisher`` it also has), after the name :func:`format_entry` gives the container when an
    extra field already holds the type's own name; other types look in
    ``_CONTAINER_FIELDS`` order. So a record written by :func:`format_entry` reads back with the
    same container whatever other container-like fields it carries.
    """
    own = _CANONICAL_CONTAINER.get(kind)
    if own is None:
        return ("x-container", *_CONTAINER_FIELDS)
    moved = "x-container" if own == "publisher" else "x-" + own
    return (moved, own, *(f for f in _CONTAINER_FIELDS if f != own))


_CONTAINER_ORDER = {kind: _container_order(kind) for kind in _CANONICAL_CONTAINER}
_OTHER_ORDER = _container_order("")
#: An extra field whose own name has the shape of those container names (``x-journal`` from a
#: foreign file, kept on a record that later became an article) is written with one more ``x-``
#: and read back without it, so it is never taken for the container.
_MARKER_NAME = re.compile("(?:x-)+(?:container|" + "|".join(_CONTAINER_FIELDS) + ")")
#: Likewise an extra field named ``provenance`` (a spreadsheet's column, litreview's own CSV
#: export among them) is written as ``x-provenance`` and read back without the ``x-``: under its
#: own name the reader would take it for where the record came from.
_PROVENANCE_NAME = re.compile("(?:x-)*provenance")


def _escaped_extra(name: str) -> str:
    return "x-" + name if _MARKER_NAME.fullmatch(name) or _PROVENANCE_NAME.fullmatch(name) else name


#: fields that hold an article's number, by the exports that write them (Web of Science's
#: ``Article-Number``, Scopus's ``art_number``, the ACM Digital Library's ``articleno``)
_ARTICLE_NUMBER_FIELDS = ("article-number", "art_number", "articleno")
#: an article number, not a publisher's item id (``PII S0030605318000868``)
_ARTICLE_NUMBER = re.compile(r"[A-Za-z]{0,4}\d{1,9}")


def fields_to_record(
    kind: str, key: str, fields: dict[str, str], prov: Provenance | None
) -> Record:
    container = ""
    container_field = ""
    order = _CONTAINER_ORDER.get(kind, _OTHER_ORDER)
    if order[0] in fields:  # the name format_entry gives the container: it decides, even empty
        container = _val(fields, order[0])
        container_field = order[0]
    else:
        for f in order:
            if fields.get(f):
                container = _val(fields, f)
                container_field = f
                break
    extra: dict[str, str] = {}
    for name in fields:
        if name in _MODELLED or name == container_field:
            continue
        if (
            name == "journaltitle"
            and container_field == "journal"
            and _val(fields, name) == container
        ):
            continue  # biblatex's name for the same journal; a different one is kept
        value = clean_text(fields[name]) if name == "editor" else _val(fields, name)
        if (name.startswith("x-x-") and _MARKER_NAME.fullmatch(name)) or (
            name.startswith("x-") and _PROVENANCE_NAME.fullmatch(name)
        ):
            name = name[2:]  # written so by format_entry: the extra's own name
        # a name list stays BibTeX (braces keep an organisation one name), as the author list does
        extra[name] = value
    provenance: tuple[Provenance, ...] = ()
    if "provenance" in fields:
        raw_prov = fields["provenance"]
        if "\\" in raw_prov or "{" in raw_prov or "}" in raw_prov:
            raw_prov = decode_latex(
                raw_prov
            )  # the writer escaped braces, backslashes, tildes, dashes
        provenance = tuple(
            Provenance.decode(p) for p in raw_prov.replace("\n", ";").split(";") if p.strip()
        )
    elif prov is not None:
        provenance = (prov,)
    authors = parse_bibtex_names(fields.get("author", ""))
    if not authors and "editor" in fields and kind in ("book", "proceedings", "collection"):
        authors = parse_bibtex_names(fields["editor"])
    year = parse_year(fields.get("year", "")) or parse_year(fields.get("date", ""))
    pages = normalize_pages(_val(fields, "pages"))
    pmid = normalize_pmid(_val(fields, "pmid"))
    if prov is not None and prov.source != "corpus":
        # what a database's own BibTeX export names otherwise (each field stays in the record);
        # a corpus is read as it was written
        if year is None and "earlyaccessdate" in fields:
            # Web of Science's entry for an article online before its issue: no Year, its early
            # access date (``EarlyAccessDate = {JUN 2021}``) the year other databases give
            year = parse_year(fields["earlyaccessdate"])
        if not pages and kind == "article":
            # an article number where there are no pages: Web of Science's Article-Number,
            # Scopus's art_number, the ACM's articleno (PubMed gives it as the pages)
            number = next((_val(fields, f) for f in _ARTICLE_NUMBER_FIELDS if f in fields), "")
            if _ARTICLE_NUMBER.fullmatch(number):
                pages = number
        if not pmid and "pubmed_id" in fields:  # Scopus's name for it
            pmid = normalize_pmid(_val(fields, "pubmed_id"))
    if "date" in fields and "year" not in fields:
        extra.setdefault("date", _val(fields, "date"))
    return Record(
        key=key,
        entry_type=kind,
        title=_val(fields, "title"),
        authors=authors,
        year=year,
        container=container,
        volume=_val(fields, "volume"),
        issue=_val(fields, "number") or _val(fields, "issue"),
        pages=pages,
        doi=normalize_doi(_val(fields, "doi")),
        pmid=pmid,
        url=_val(fields, "url"),
        abstract=_val(fields, "abstract"),
        keywords=split_keywords(_val(fields, "keywords") or _val(fields, "keyword")),
        language=_val(fields, "language"),
        provenance=provenance,
        extra=tuple(sorted((k, v) for k, v in extra.items() if v)),
    )


# --- writing ----------------------------------------------------------------------------------

#: compiled once, not looked up in re's pattern cache for every entry written
_RANGE = re.compile(r"\w+-\w+")
_PAGES_RAW = re.compile(r"[\w.]+(--[\w.]+)?")
_DIGIT_RANGE = re.compile(r"([0-9]+)-([0-9]+)")


def _bibtex_pages(pages: str) -> str:
    """``101-112`` as BibTeX writes a range, ``101--112``, when the reader turns that back into
    ``101-112``; a range it keeps as written (``I-XXXII``, ``iii-xiv``) keeps its one hyphen."""
    digits = _DIGIT_RANGE.fullmatch(pages)
    if digits is not None:
        # the usual range, what normalize_pages gives: doubled, it reads back as itself unless
        # its end is shorter (``101--12`` reads as ``101-112``); written twice a record
        return pages.replace("-", "--") if len(digits[2]) >= len(digits[1]) else pages
    if _RANGE.fullmatch(pages):
        doubled = pages.replace("-", "--")
        if normalize_pages(doubled) == pages:
            return doubled
    return pages


def format_names(names: Sequence[Name]) -> str:
    """A BibTeX name list: ``Last, First and {Organisation}``."""
    return " and ".join(_plain_name(n) or _esc_name(n) for n in names)


def _plain_name(name: Name) -> str:
    """``Last, First`` for the usual name that :func:`_esc_name` writes just so (a one-word
    capitalised surname, nothing to escape or protect), else "": three names in four of an
    import, each cheaper this way than a lookup in ``_esc_name``'s cache."""
    last, first = name.last, name.first
    if (
        not first
        or name.von
        or name.jr
        or name.corporate
        or not (last[:1].isalpha() and last[:1].isupper())
        or " " in last
        or "," in last
        or "," in first
    ):
        return ""
    both = last + first
    if "\\" in both or "{" in both or "}" in both or "--" in both or not both.isprintable():
        return ""
    if " and " in f" {first.lower()} ":
        return ""
    return f"{last}, {first}"


def editor_list(value: str) -> str:
    """An editor field as a BibTeX name list: names an export ran together with ``;`` (``Smith,
    J.; Jones, K.``) read as one name with too many commas, which strict BibTeX refuses."""
    if ";" in value and " and " not in value:
        names = parse_tagged_names(v.strip() for v in value.split(";") if v.strip())
        if names:
            return format_names(names)
    return value


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


#: fields biblatex and pandoc read verbatim: a backslash there would be part of the value
_VERBATIM_FIELDS = frozenset({"doi", "url", "eprint", "file", "pmid", "year", "pages"})


def format_entry(
    record: Record,
    protect: Collection[str] = (),
    mark_no_container: bool = True,
    for_latex: bool = False,
    keep_case: Collection[str] = (),
) -> str:
    """One entry in the corpus's stable layout: fixed field order, then extras A–Z, provenance last.

    Fields named in ``protect`` get one more pair of braces, so that a citation processor takes
    the value as one literal name: pandoc splits ``institution = {NHS Institute for Innovation and
    Improvement}`` at "and" into two publishers. ``mark_no_container``: write the empty field that
    tells our reader a record has no container though it has a publisher (the corpus needs it to
    read back what it wrote; a bibliography for a citation processor does not). ``for_latex``:
    escape ``& % $ # _`` in every value but the verbatim ones (DOI, URL), as a file for LaTeX,
    pandoc or a reference manager needs (the corpus keeps them as they are; both read back).
    ``keep_case``: fields whose words with a capital, after the first word, are braced, so that
    a style that lowercases titles (BibTeX's ``plain``) keeps ``London`` as it is.

    Written out field by field rather than from a table of values: an import formats every one
    of 100k records, and the table, the loops over it and a call per plain value cost a third
    of the time."""
    extra = dict(record.extra) if record.extra else {}
    kind = record.entry_type
    container = record.container
    container_field = _CANONICAL_CONTAINER.get(kind, "publisher")
    order = _CONTAINER_ORDER.get(kind, _OTHER_ORDER)
    if container and extra and any(f in extra for f in order[: order.index(container_field) + 1]):
        # an extra field the reader would take for the container (its own name, or one it looks
        # at first): keep the extra under its own name and the container under the name the
        # reader looks at before all others
        container_field = order[0]
    # a modelled value wins; an extra of the same name is written only when it is empty
    fields: list[tuple[str, str]] = []
    value = (format_names(record.authors) if record.authors else "") or extra.pop("author", "")
    if value:
        fields.append(("author", value))
    value = extra.pop("editor", "")
    if value:
        fields.append(("editor", editor_list(value)))
    value = record.title or extra.pop("title", "")
    if value:
        fields.append(("title", value))
    if container:
        fields.append((container_field, container))
    elif mark_no_container and extra and any(f in extra for f in order[1:]):
        # no container, but an extra field the reader would take for one (a publisher): an
        # empty container under the name the reader looks at first says there is none
        fields.append((order[0], ""))
    for name, own in (
        ("year", "" if record.year is None else str(record.year)),
        ("volume", record.volume),
        ("number", record.issue),
        ("pages", _bibtex_pages(record.pages) if record.pages else ""),
        ("edition", ""),
        ("address", ""),
        ("doi", record.doi),
        ("pmid", record.pmid),
        ("url", record.url),
    ):
        value = own or (extra.pop(name, "") if extra else "")
        if value:
            fields.append((name, value))
    if record.language:
        fields.append(("language", record.language))
    for name in sorted(extra):
        if extra[name]:
            fields.append((_escaped_extra(name), extra[name]))
    if record.keywords:
        fields.append(("keywords", "; ".join(record.keywords)))
    if record.abstract:
        fields.append(("abstract", record.abstract))
    lines = [f"@{kind}{{{record.key},"]
    for name, value in fields:
        if (
            ("\\" in value or "{" in value or "}" in value or "--" in value)
            and name != "author"
            and not (name == "editor" and _balanced(value))
            and not (name == "pages" and _PAGES_RAW.fullmatch(value) is not None)
        ):
            value = encode_latex_minimal(value)  # a plain value is its own encoding
        if for_latex and name not in _VERBATIM_FIELDS:
            value = escape_latex_specials(value)
        if keep_case and name in keep_case:
            value = _brace_capitalised(value)
        if protect and name in protect:
            lines.append(f"  {name} = {{{{{value}}}}},")
        else:
            lines.append(f"  {name} = {{{value}}},")
    if record.provenance:
        provs = record.provenance
        if len(provs) > 1:
            provs = tuple(sorted(set(provs), key=Provenance.order))
        joined = ";\n                ".join(encode_latex_minimal(p.encode()) for p in provs)
        lines.append(f"  provenance = {{{joined}}},")
    lines.append("}\n")
    return "\n".join(lines)


def _brace_capitalised(value: str) -> str:
    """``value`` with each word whose case is its own (:func:`case_kept_words`) in braces
    (``in {London}``): what tells BibTeX and biblatex a word's case is not the style's to change.
    A word already holding braces (an escape, ``-{}``) keeps them inside the new pair."""
    return "".join("{" + w + "}" if kept else w for w, kept in case_kept_words(value))


def entry_body(record: Record) -> tuple[bytes, bool]:
    """:func:`format_entry`'s text for ``record`` after its first line, as UTF-8, and whether
    it reads back as the record in every field but the key: the one line that names the key
    (``@kind{key,``) is all an entry owes its key, so an import makes the rest where it reads
    the export, before the record's key is given (see :func:`entry_with_key`)."""
    text = format_entry(record)
    return text[text.index("\n") + 1 :].encode("utf-8"), _reads_back_but_key(record)


def entry_with_key(kind: str, key: str, body: bytes, vouched: bool) -> tuple[bytes, bool]:
    """The entry of :func:`entry_body` under ``key``, and whether it reads back as its record
    (:func:`reads_back_unchanged` of the record with that key)."""
    head = f"@{kind}{{{key},\n".encode()
    return head + body, vouched and _KEY_CHARS.fullmatch(key) is not None


# --- records that read back as themselves ----------------------------------------------------

_KEY_CHARS = re.compile(r"[^\s,{}()=\"#%]+")
_PLAIN_TYPE = re.compile(r"[a-z][a-z0-9_-]*")
_PLAIN_FIELD = re.compile(r"[a-z][a-z0-9_-]*")
_LATEX_OR_DASHES = re.compile(r"[\\{}]|--")
_AND_WORD = re.compile(r"(?:^|\s)and(?:\s|$)", re.I)
#: extra fields the reader would not hand back into ``extra`` as they are
_NOT_PLAIN_EXTRA = _MODELLED | set(_CONTAINER_FIELDS) | {"editor", "crossref", "xref"}
_NOT_RECORDS = frozenset({"comment", "preamble", "string", "set", "xdata"})


def _all_plain(values: Iterable[str]) -> bool:
    """Every value written as it is and read back as it is: printable, no LaTeX, braces or ``--``
    for the writer to escape or the reader to decode, nothing for ``clean_text`` to collapse or
    strip. One join and a few substring tests for a whole record, not a dozen calls per value
    (``|`` next to a space only makes the answer a cautious False). A record's abstract is best
    tested on its own (see :func:`_reads_back_but_key`): joined to a name with a letter beyond
    Latin-1, its 1.5 KB would be copied into a wider string that every test reads twice as slowly,
    and :func:`printable` has a fast way for ASCII alone."""
    joined = "|".join(values)
    return (
        printable(joined)
        and "\\" not in joined
        and "{" not in joined
        and "}" not in joined
        and "--" not in joined
        and "  " not in joined
        and " |" not in joined
        and "| " not in joined
        and joined[:1] != " "
        and joined[-1:] != " "
    )


def reads_back_unchanged(record: Record) -> bool:
    """True only when reading :func:`format_entry`'s text for ``record`` gives ``record`` again.

    ``save_corpus`` must leave in the cache exactly what a fresh read of the file gives; for a
    record this check accepts (plain values, ``Last, First`` names, fields that go back where
    they came from) that is the record itself, so 100k freshly imported records are not parsed
    back. It may say False for a record that would read back unchanged (then that entry is
    parsed); it must never say True for one that would not (``tests/test_import_speed.py``).
    """
    return _KEY_CHARS.fullmatch(record.key) is not None and _reads_back_but_key(record)


def _reads_back_but_key(record: Record) -> bool:
    """:func:`reads_back_unchanged` for every field but the key."""
    r = record
    if (
        r.entry_type in _NOT_RECORDS
        or _PLAIN_TYPE.fullmatch(r.entry_type) is None
        or not r.provenance
        or not (r.title or r.authors or r.doi or r.pmid)
    ):
        return False
    if r.abstract and not _all_plain((r.abstract,)):
        return False
    texts = [r.title, r.container, r.volume, r.issue, r.doi, r.pmid, r.url, r.language]
    keywords = r.keywords
    if keywords:
        # written joined by "; " and split there again; one keyword alone is split at commas
        joined = "|".join(keywords)
        if (
            not all(keywords)
            or ";" in joined
            or len(set(keywords)) != len(keywords)
            or (len(keywords) == 1 and "," in joined)
        ):
            return False
        texts += keywords
    firsts = []
    for a in r.authors:
        # ``Last, First`` with a one-word surname that _esc_name writes without braces
        last, first = a.last, a.first
        if (
            a.corporate
            or a.von
            or a.jr
            or not last
            or " " in last
            or "," in last
            or "," in first
            or not last[0].isalpha()
            or last[0].islower()
        ):
            return False
        texts.append(last)
        if first:
            texts.append(first)
            firsts.append(first)
    if firsts and _AND_WORD.search("\n".join(firsts)):
        return False  # the name list would be split at that "and"
    if len(r.provenance) > 1 and r.provenance != tuple(
        sorted(set(r.provenance), key=Provenance.order)
    ):
        return False  # several are written sorted and once each (a merged record)
    for prov in r.provenance:
        oid = prov.original_id
        for part in (prov.source, prov.path, oid or ""):
            # Provenance.encode escapes these and decode undoes it; without them, encode then
            # decode is the identity (an empty id reads back as None, a negative line as none)
            if "%" in part or "|" in part or ";" in part:
                return False
            texts.append(part)
        if oid == "" or (prov.line is not None and prov.line < 0):
            return False
    previous = ""
    for k, v in r.extra:
        if (
            k <= previous
            or not v
            or k in _NOT_PLAIN_EXTRA
            or k.startswith("x-")  # the container's names and their escaped forms
            or _PLAIN_FIELD.fullmatch(k) is None
        ):
            return False  # extras read back sorted, unique, non-empty, and only into extra
        previous = k
        texts.append(v)
    if not _all_plain(texts):
        return False
    if r.year is not None and parse_year(str(r.year)) != r.year:
        return False
    if (r.doi and normalize_doi(r.doi) != r.doi) or (r.pmid and normalize_pmid(r.pmid) != r.pmid):
        return False
    if r.pages:
        pages = _bibtex_pages(r.pages)
        raw = _PAGES_RAW.fullmatch(pages) is not None
        written = pages if raw else encode_latex_minimal(pages)
        # pages are read without turning ``--`` into a dash: only LaTeX and braces must be absent.
        # A range _bibtex_pages doubled was already read back by it, and is written as it is.
        if (
            not written.isprintable()
            or "\\" in written
            or "{" in written
            or "}" in written
            or ((pages == r.pages or not raw) and normalize_pages(written) != r.pages)
        ):
            return False
    return True


@lru_cache(maxsize=1 << 20)
def _esc_name(name: Name) -> str:
    """A personal name in ``von Last, Jr, First`` form that reads back as exactly the same Name."""
    if name.corporate:
        return "{" + encode_latex_minimal(name.last) + "}"
    last = encode_latex_minimal(name.last)
    if (
        " " in name.last
        or "," in name.last
        or name.last[:1].islower()
        or not name.last[:1].isalpha()
    ):
        last = "{" + last + "}"
    head = f"{encode_latex_minimal(name.von)} {last}".strip()
    first, jr = (_protect(encode_latex_minimal(x)) for x in (name.first, name.jr))
    if jr:
        return f"{head}, {jr}, {first}"
    if first:
        return f"{head}, {first}"
    return f"{head}," if last.startswith("{") else head


def _protect(part: str) -> str:
    if "," in part or " and " in f" {part.lower()} ":
        return "{" + part + "}"
    return part


def format_corpus(records: Iterable[Record], header: str = "") -> str:
    return join_entries([format_entry(r) for r in sorted(records, key=lambda r: r.key)], header)


def join_entries(entries: Sequence[AnyStr], header: AnyStr) -> AnyStr:
    """The corpus file from its entries' texts (each from :func:`format_entry`), in key order:
    as text, or as bytes for a writer that keeps entries as the bytes it read."""
    newline = header[:0] + ("\n" if isinstance(header, str) else b"\n")
    # one join where there are entries: the corpus of 100k records is 170 MB, and each extra
    # copy costs page faults
    if not header:
        return newline.join(entries)
    return newline.join(itertools.chain((header,), entries)) if entries else header + newline
