"""The corpus file (``corpus/records.bib``): loading, citation keys, importing into it.

The corpus is the one place records live between steps. It is plain normalised BibTeX so that a
git diff of it reads like a change to a bibliography.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import itertools
import pickle
import re
import string
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path, PurePosixPath
from typing import Any, TypeAlias

from litreview.errors import InputError
from litreview.files.bulk import paused_gc
from litreview.files.fsutil import (
    FileSpan,
    SealedWriter,
    corpus_lock,
    file_stamp,
    kept_sha256,
    settle,
    unseal,
)
from litreview.files.journal import Change, nothing_written
from litreview.io import read_path
from litreview.io.base import ReadResult
from litreview.model import (
    _TEXT_FIELDS,
    KEY_SHAPE,
    Location,
    Name,
    Problem,
    Provenance,
    Record,
    Reject,
    Severity,
    missing_fields,
)
from litreview.progress import Progress, track
from litreview.project import Project
from litreview.review import Review, shared_keys
from litreview.text.normalize import ascii_name, title_key

CORPUS_HEADER = (
    "% litreview corpus: normalised records, one entry per work, sorted by citation key.\n"
    "% Written by `litreview import` and `litreview dedupe`; keys never change once assigned."
)
_CORP_STOP = {"the", "of", "and", "for", "in"}
#: Part of every corpus cache file's name: raise it whenever the reader can give other records
#: for the same bytes (7: a record's container read from its type's own field first; 9: git
#: merge-conflict marker lines are rejects, and an `x-provenance` field is the extra `provenance`).
_CACHE_VERSION = 10

#: each entry's first byte in the corpus file, its length and its line breaks, in the records'
#: order (see :attr:`Corpus.places`)
EntryPlaces: TypeAlias = "tuple[array[int], array[int], array[int]]"


class Corpus:
    """The corpus as read: its records, what reading it found, and where each entry starts.

    A corpus loaded from the cache with ``lazy=True`` holds its keys, problems, rejects and lines
    at once and reads its records only when something asks for them: a command whose derived
    results are all cached (``screen``, ``tag``, ``status`` on unchanged files) then never
    unpickles 100k records it would not look at.
    """

    __slots__ = (
        "_keys",
        "_loader",
        "_one",
        "_records",
        "_rows_source",
        "digest",
        "lines",
        "path",
        "places",
        "problems",
        "rejects",
        "rows",
        "source",
        "stamp",
    )

    def __init__(
        self,
        path: str,
        records: tuple[Record, ...] | None = (),
        problems: tuple[Problem, ...] = (),
        rejects: tuple[Reject, ...] = (),
        lines: Mapping[str, int] | None = None,
        digest: str = "",
        keys: tuple[str, ...] | None = None,
        loader: Callable[[], tuple[Record, ...]] | None = None,
    ) -> None:
        self.path = path
        self.problems = problems
        self.rejects = rejects
        self.lines: Mapping[str, int] = (
            {} if lines is None else lines
        )  # key -> line its entry starts on
        #: SHA-256 of the file's bytes ("" when not read from a file): derived results are keyed by it
        self.digest = digest
        self._records = records
        self._keys = keys
        self._loader = loader
        #: a lazy corpus: reads the cache's rows without building records (see record_slices)
        self._rows_source: Callable[[], Sequence[tuple[Any, ...]] | None] | None = None
        self._one: dict[str, Record] = {}
        #: the file a lazy corpus was read from: :meth:`record` reads one entry of it
        self.source: Path | None = None
        #: the cache's row of each record, in the records' order, when loaded with ``keep_rows``:
        #: ``save_corpus`` re-caches an unchanged record from its row instead of taking it apart
        self.rows: Sequence[tuple[Any, ...]] | None = None
        #: where each record's entry lies in the file, in the records' order (first byte,
        #: length, line breaks), when litreview wrote the file: the next write takes the
        #: unchanged entries from those places without reading the file to find them
        self.places: EntryPlaces | None = None
        #: the file's stamp (see :func:`~litreview.files.fsutil.file_stamp`) as it stood when
        #: its digest was taken, for a corpus read through its cache
        self.stamp: tuple[int, ...] | None = None
        if records is None and loader is None:
            raise ValueError("a corpus needs its records or a way to load them")

    @property
    def records(self) -> tuple[Record, ...]:
        if self._records is None:
            assert self._loader is not None
            self._records = self._loader()
            self._loader = None
        return self._records

    @property
    def keys(self) -> tuple[str, ...]:
        """Every record's key, in the records' order (known without loading the records)."""
        if self._keys is None:
            self._keys = tuple(r.key for r in self.records)
        return self._keys

    def by_key(self) -> dict[str, Record]:
        return {r.key: r for r in self.records}

    def record(self, key: str) -> Record:
        """One record by its key. A lazy corpus whose records are not loaded yet parses only that
        record's entry (``screen next`` shows one record of 100k; loading them all takes
        seconds). Raises KeyError for a key not in the corpus."""
        if self._records is None and self.source is not None and key in self.lines:
            found = self._one.get(key)
            if found is None:
                some = self._read_some([key])
                found = self._one[key] = some[key] if some is not None else self.by_key()[key]
            return found
        for r in self.records:
            if r.key == key:
                return r
        raise KeyError(key)

    def record_slices(
        self,
    ) -> tuple[int, Callable[[int, int], Sequence[Record]], Sequence[tuple[Any, ...]] | None]:
        """How many records, a way to build the records ``[start, stop)``, and the cache's rows
        they are built from (None when the records are built already). Screening 100k records
        over two cores builds each half's records in the process that screens them, rather
        than all of them here first (1.3 s at 100k)."""
        if self._records is None and self._rows_source is not None:
            rows = self._rows_source()
            self._rows_source = None
            if rows is not None:
                self._loader = lambda: _records_from_rows(rows)
                return len(rows), lambda a, b: _records_from_rows(rows[a:b]), rows
        records = self.records
        return len(records), lambda a, b: records[a:b], None

    def records_of(self, keys: Iterable[str]) -> dict[str, Record]:
        """The records of ``keys`` (those the corpus holds), by key. A lazy corpus whose records
        are not loaded parses only those entries, found in one pass over the file (``render``
        of a 100k corpus needs its few included studies, not 100k records built); anything it
        cannot show to be those entries alone loads every record instead."""
        wanted = sorted({k for k in keys if k in self.lines} if self.lines else set(keys))
        if (
            self._records is None
            and self.source is not None
            and self.lines
            and len(wanted) <= _READ_SOME_AT_MOST
        ):
            found = self._read_some(wanted)
            if found is not None:
                return found
        by_key = self.by_key()
        return {k: by_key[k] for k in wanted if k in by_key}

    def _read_some(self, keys: Sequence[str]) -> dict[str, Record] | None:
        """The entries of ``keys`` (sorted, each in the corpus) cut from the file by one regular
        expression and parsed on their own; None when that cannot be shown to give what reading
        the whole file gives."""
        if not keys:
            return {}
        assert self.source is not None
        try:
            data = self.source.read_bytes()
        except OSError:
            return None
        from litreview.io.bibtex import STRING_DEF_BYTES

        if STRING_DEF_BYTES.search(data):
            return None  # an entry may use a macro defined elsewhere in the file
        starts = []
        if len(keys) <= 8:
            # a few keys: each found by a plain search, far quicker than a pattern over 170 MB
            for key in keys:
                needle = b"{" + key.encode("utf-8") + b",\n"
                at = data.find(needle)
                while at >= 0:
                    line = data.rfind(b"\n", 0, at) + 1
                    if re.fullmatch(rb"@[A-Za-z]+", data[line:at]):
                        starts.append(line)
                    at = data.find(needle, at + 1)
        else:
            # each entry starts after a line break: the literal "\n@" lets the search skip ahead
            pattern = re.compile(
                rb"\n(@[A-Za-z]+\{(?:"
                + b"|".join(re.escape(k.encode("utf-8")) for k in keys)
                + rb"),)\n"
            )
            starts = [m.start(1) for m in pattern.finditer(data)]
        chunks = []
        for start in sorted(starts):
            end = data.find(b"\n@", start)
            chunks.append(data[start : len(data) if end < 0 else end + 1])
        parsed = _parse(b"".join(chunks), "", self.path)
        out = {r.key: r for r in parsed.records}
        if (
            parsed.problems
            or parsed.rejects
            or sorted(out) != list(keys)
            or len(chunks) != len(keys)
            or any(placed_in_file(r, self.path) for r in out.values())
        ):
            return None
        return out


#: above this many records asked for, building them all from the cache is the quicker way
_READ_SOME_AT_MOST = 2_000


def placed_in_file(record: Record, shown: str) -> bool:
    """A record whose provenance was made from its place in the corpus file ``shown`` (an entry
    with no stored provenance): its entry read anywhere else gives another record."""
    return any(p.source == "corpus" and p.path == shown for p in record.provenance)


def borrows_fields(record: Record) -> bool:
    """A record read with fields borrowed from another entry (``crossref``): its entry read
    without that one gives another record."""
    return any(k in ("crossref", "xref") for k, _ in record.extra)


def load_corpus(
    path: Path,
    display: str | None = None,
    use_cache: bool = True,
    lazy: bool = False,
    seal: bool = True,
    keep_rows: bool = False,
) -> Corpus:
    """Read the corpus, through a cache keyed by the file's content hash.

    Parsing 100k entries takes seconds; unpickling them takes well under one, so commands on an
    unchanged corpus start at once. Deleting the cache loses nothing. With ``lazy``, a cached
    corpus's records are read on first use (see :class:`Corpus`). ``seal=False`` leaves a parsed
    corpus out of the cache for the caller to :func:`seal_corpus` later, or not at all when it
    rewrites the file (``save_corpus`` then caches the new text): at 100k, sealing a cache that
    the next write deletes costs ~2 s. ``keep_rows``: a corpus read from the cache keeps the
    cache's rows (:attr:`Corpus.rows`), for a caller about to ``save_corpus`` most of it again.
    """
    shown = display or path.as_posix()
    settle(path.parent)
    if not path.exists():
        return Corpus(path=shown, records=())
    # hashed as it is read, not held: a command that finds the cache never needs the file's
    # bytes (1.5 GB at 1M records, which a lazy corpus used to keep for its whole life)
    with path.open("rb") as fh:
        before = file_stamp(fh)
        digest = kept_sha256(fh)
        stamp: tuple[int, ...] | None = file_stamp(fh)
    if stamp != before:
        stamp = None  # written to while it was hashed: which content the digest is of is unsure
    cache = _cache_path(path, digest)
    if use_cache and lazy:
        summary = _read_sealed(_summary_path(cache))
        if summary is not None and summary[0] == _CACHE_VERSION:
            _, keys, problems, rejects, lines = summary

            def load() -> tuple[Record, ...]:
                return _load_records(path, digest, cache, shown, same_file=True).records

            lazy_corpus = Corpus(
                path=shown,
                records=None,
                problems=problems,
                rejects=rejects,
                lines=lines,
                digest=digest,
                keys=keys,
                loader=load,
            )
            lazy_corpus.source = path

            def rows() -> Sequence[tuple[Any, ...]] | None:
                found = _read_sealed(cache)
                ok = isinstance(found, tuple) and len(found) == 6 and found[0] == _CACHE_VERSION
                return found[1] if ok else None

            lazy_corpus._rows_source = rows
            return lazy_corpus
    return _load_records(
        path, digest, cache if use_cache else None, shown, seal, keep_rows, stamp=stamp
    )


def seal_corpus(path: Path, corpus: Corpus) -> None:
    """Cache ``corpus``, read from ``path`` with ``seal=False``, unless its cache is there already."""
    if corpus.digest:
        cache = _cache_path(path, corpus.digest)
        if not cache.exists() or not _summary_path(cache).exists():
            _store(cache, corpus)


def _load_records(
    path: Path,
    digest: str,
    cache: Path | None,
    shown: str,
    seal: bool = True,
    keep_rows: bool = False,
    same_file: bool = False,
    stamp: tuple[int, ...] | None = None,
) -> Corpus:
    """The corpus of the file whose content has ``digest``: from its cache, else parsed. A
    file that changed since it was hashed is parsed as it now is, under its new digest; with
    ``same_file`` (a lazy corpus, whose keys and lines came from the old content) that is an
    error to run the command again for."""
    if cache is not None:
        found = _read_sealed(cache)
        if found is not None:
            try:
                with paused_gc(freeze=True):
                    corpus = _from_cache(found, shown)
                corpus.digest = digest
                corpus.stamp = stamp
                if keep_rows:
                    corpus.rows = found[1]
                if not _summary_path(cache).exists():  # written by a litreview that kept none
                    _write_sealed(_summary_path(cache), _summary(corpus))
                return corpus
            except Exception:  # a damaged cache is only a slower start
                pass
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != digest:
        if same_file:
            raise InputError.at(
                Location(shown),
                "changed while this command was reading it",
                code="corpus-changed",
                hint="run the command again once nothing else is writing the corpus",
            )
        digest = actual
        cache = _cache_path(path, digest) if cache is not None else None
    corpus = _parse(data, digest, shown)
    if cache is not None and seal:
        _store(cache, corpus)
    return corpus


def _read_sealed(path: Path) -> Any:
    """The value pickled in a cache file this user's litreview sealed, or None."""
    try:
        # unpickling runs code, so only a cache this user's litreview sealed is read: a cache
        # file committed to the repository by someone else is ignored, never executed
        payload = unseal(path.read_bytes())
        if payload is None:
            return None
        with paused_gc(freeze=True):
            return pickle.loads(payload)
    except Exception:  # absent or damaged: only a slower start
        return None


#: How often this process parsed a corpus file rather than reading the cache (tests read it).
PARSES = 0


def _cache_path(path: Path, digest: str) -> Path:
    return path.parent.parent / ".litreview-cache" / f"corpus-{_CACHE_VERSION}-{digest[:32]}.pickle"


def _summary_path(cache: Path) -> Path:
    """Where the keys, problems, rejects and lines of a cached corpus are kept apart from its records."""
    return cache.with_name(cache.name.replace("corpus-", "corpus-summary-", 1))


def _parse(data: bytes, digest: str, shown: str, text: str | None = None) -> Corpus:
    """``text``: ``data`` decoded, when the caller has it (``save_corpus`` encoded it): used as
    it is when decoding would give it back unchanged (no BOM, NUL or CR), saving two decodes of
    the whole file."""
    global PARSES
    from litreview.io.bibtex import read_bibtex
    from litreview.io.text import decode_bytes

    PARSES += 1
    if (
        text is not None
        and not text.startswith("\ufeff")
        and "\x00" not in text
        and "\r" not in text
    ):
        with paused_gc(freeze=True):
            result = read_bibtex(text, shown, source="corpus")
        _reject_merge_markers(data, result)
        return _parsed(result, shown, digest)
    # litreview writes the corpus as UTF-8: a byte that is not is damage to report where it is,
    # never a reason to read the whole file in another encoding (and write it back so)
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start + (len(data) - len(body))
        line = data.count(b"\n", 0, start) + 1
        raise InputError.at(
            Location(shown, line),
            f"not valid UTF-8 (byte {data[start]:#04x}): the corpus is "
            "written as UTF-8 and is not read in any other encoding",
            code="corpus-encoding",
            hint="something saved it in another encoding: restore it from git, or fix that "
            "line and save the file as UTF-8",
        ) from None
    decoded = decode_bytes(data)
    with paused_gc(freeze=True):
        result = read_bibtex(decoded.text, shown, source="corpus")
    _reject_merge_markers(data, result)
    return _parsed(result, shown, digest)


def _reject_merge_markers(data: bytes, result: ReadResult) -> None:
    """Each line of a git merge-conflict marker in the corpus file is a reject and an error.

    BibTeX reads text between entries as a comment, so a merge left unfinished would read
    without a word (both sides' entries kept) and the next write would drop the marker lines,
    hiding that nobody chose between the sides. Every command that refuses a corpus with
    rejects (each write among them) refuses this one. Only a file with both an opening and a
    closing marker counts: a line of seven '=' alone may be text.
    """
    if b"<<<<<<<" not in data or b">>>>>>>" not in data:
        return
    from litreview.files.yamlio import conflict_marker_lines

    for line, text in conflict_marker_lines(data.decode("utf-8", "replace")):
        loc = Location(result.path, line)
        marker = text[:7]
        result.rejects.append(Reject(loc, f"git merge-conflict marker {marker}", text))
        result.problems.append(
            Problem(
                loc,
                f"git merge-conflict marker {marker}",
                Severity.ERROR,
                "merge-conflict",
                "finish the merge: keep the entries you want between the markers, delete the "
                "marker lines (`git diff` shows both sides)",
            )
        )


def _parsed(result: ReadResult, shown: str, digest: str) -> Corpus:
    records = tuple(sorted(result.records, key=lambda r: r.key))
    return Corpus(
        path=shown,
        records=records,
        problems=tuple(result.problems),
        rejects=tuple(result.rejects),
        lines=dict(result.lines),
        digest=digest,
    )


def _store(cache: Path, corpus: Corpus) -> None:
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        for old in cache.parent.glob(
            "corpus-*"
        ):  # other digests and versions, and interrupted writes
            old.unlink(missing_ok=True)
        # the records first: a summary is only ever found next to the records it describes
        _write_sealed(cache, _to_cache(corpus))
        _write_sealed(_summary_path(cache), _summary(corpus))
    except OSError:
        pass


def _summary(corpus: Corpus) -> tuple[Any, ...]:
    return (_CACHE_VERSION, corpus.keys, corpus.problems, corpus.rejects, dict(corpus.lines))


def _write_sealed(target: Path, value: Any) -> None:
    try:
        tmp = target.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            # pickled straight into the file, sealed as it goes: a 140 MB cache (1.4 GB at 1M
            # records) is not held in memory as well as the records it was made from
            sealed = SealedWriter(fh)
            pickler = pickle.Pickler(sealed, protocol=pickle.HIGHEST_PROTOCOL)
            # no memo: the rows are trees of tuples and strings with no cycles, and 100k records
            # pickle in 0.5 s instead of 1.2 s; equal strings are stored again (~0.04 % larger)
            pickler.fast = True
            with paused_gc():
                pickler.dump(value)
            sealed.close()
        tmp.replace(target)
    except OSError:
        pass


# The cache holds records as tuples of plain values, not as objects: pickling 100k records with
# their names and provenance as objects took 1.3 s, as tuples 0.9 s, and reading them back costs
# about the same either way.
_FIELDS = tuple(f.name for f in fields(Record))
_AUTHORS, _PROVENANCE = _FIELDS.index("authors"), _FIELDS.index("provenance")
_PROV_FIELDS = tuple(f.name for f in fields(Provenance))


#: a name's and a provenance's parts as a row holds them, each taken in one call
_NAME_PARTS = attrgetter("last", "first", "von", "jr", "corporate")
_PROV_PARTS = attrgetter(*_PROV_FIELDS)


def _row(r: Record) -> tuple[Any, ...]:
    # ``tuple(map(attrgetter))``, not a generator of tuples: a third of the time, for rows made
    # twice an import (a worker's records sent back, every record cached)
    return (
        r.key,
        r.entry_type,
        r.title,
        tuple(map(_NAME_PARTS, r.authors)),
        r.year,
        r.container,
        r.volume,
        r.issue,
        r.pages,
        r.doi,
        r.pmid,
        r.url,
        r.abstract,
        r.keywords,
        r.language,
        tuple(map(_PROV_PARTS, r.provenance)),
        r.extra,
    )


class _Rows:
    """The records' rows, made as the pickler writes them: it appends the items of a list it
    is given as an iterator (``__reduce__``'s fourth value) a thousand at a time, so the rows of
    1M records (~750 MB) are never all in memory. Unpickled, it is a plain list."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.records = records

    def __reduce__(self) -> tuple[Any, ...]:
        return (list, (), None, map(_row, self.records))


def _to_cache(corpus: Corpus) -> tuple[Any, ...]:
    rows = list(corpus.rows) if corpus.rows is not None else _Rows(corpus.records)
    return (
        _CACHE_VERSION,
        rows,
        corpus.problems,
        corpus.rejects,
        dict(corpus.lines),
        corpus.places,
    )


def _from_cache(data: Any, shown: str) -> Corpus:
    version, rows, problems, rejects, lines, places = data
    if version != _CACHE_VERSION:
        raise ValueError("cache from another version")
    corpus = Corpus(
        path=shown,
        records=_records_from_rows(rows),
        problems=problems,
        rejects=rejects,
        lines=lines,
    )
    corpus.places = places  # checked against the keys where it is used (_placed_entries)
    return corpus


def row_sources(row: tuple[Any, ...]) -> tuple[str, ...]:
    """The source of each provenance of a cache row (what PRISMA counts), without a record."""
    return tuple(p[0] for p in row[_PROVENANCE])


_AT = {name: i for i, name in enumerate(_FIELDS)}
#: the fields :meth:`Record.get` reads as they are, by their place in a row
_TEXT_AT = {name: _AT[name] for name in _TEXT_FIELDS}
_YEAR, _ENTRY_TYPE, _KEYWORDS, _EXTRA = (
    _AT[n] for n in ("year", "entry_type", "keywords", "extra")
)
#: the other names :meth:`Record.get` answers from a modelled field, never from ``extra``
_NOT_EXTRA = frozenset(
    {"author", "authors", "year", "keywords", "keyword", "number", "journal", "booktitle"}
)


class RowRecord:
    """A record's cache row read as screening's rules read a record: its year, its entry type
    and :meth:`Record.get` of a field, without building the record's names and provenances
    (~1.3 s at 100k records, for rules that read neither). The one field that needs the names
    (``author``) builds the record (:meth:`record`); every answer is the record's own."""

    __slots__ = ("_record", "row")

    def __init__(self, row: tuple[Any, ...]) -> None:
        self.row = row
        self._record: Record | None = None

    @property
    def year(self) -> int | None:
        year: int | None = self.row[_YEAR]
        return year

    @property
    def entry_type(self) -> str:
        kind: str = self.row[_ENTRY_TYPE]
        return kind

    def record(self) -> Record:
        """The record the row is of, built on first use."""
        if self._record is None:
            self._record = _records_from_rows((self.row,))[0]
        return self._record

    def get(self, name: str) -> str:
        """:meth:`Record.get`, from the row."""
        name = name.lower()
        row = self.row
        at = _TEXT_AT.get(name)
        if at is not None:
            value = row[at]
            return value if isinstance(value, str) else ""
        if name in _NOT_EXTRA:
            if name == "year":
                year = row[_YEAR]
                return "" if year is None else str(year)
            if name in ("keywords", "keyword"):
                return "; ".join(row[_KEYWORDS])
            if name == "number":
                issue: str = row[_AT["issue"]]
                return issue
            if name in ("journal", "booktitle"):
                container: str = row[_AT["container"]]
                return container
            return self.record().get(name)  # the authors' names
        for k, v in row[_EXTRA]:
            if k == name:
                found: str = v
                return found
        return ""


def titles_by_key(corpus: Corpus) -> dict[str, str]:
    """Every record's title by key, in the corpus's order: from the cache's rows when the records
    are not built yet (the made-on check needs the titles alone, and building 100k records with
    their names and provenances for them costs ~1 s), else from the records."""
    _count, _records_in, rows = corpus.record_slices()
    if rows is not None:
        key, title = _AT["key"], _AT["title"]
        return {row[key]: row[title] or "" for row in rows}
    return {r.key: r.title or "" for r in corpus.records}


def _records_from_rows(rows: Sequence[tuple[Any, ...]]) -> tuple[Record, ...]:
    names: dict[tuple[Any, ...], Name] = {}

    def name(parts: tuple[Any, ...]) -> Name:
        found = names.get(parts)
        if found is None:
            found = names[parts] = Name(*parts)
        return found

    new = object.__new__

    def provenance(parts: tuple[Any, ...]) -> Provenance:
        found = new(Provenance)
        found.__dict__.update(zip(_PROV_FIELDS, parts, strict=True))
        return found

    records = []
    for row in rows:
        # the values came from records built by Record's own constructor when the cache was
        # written; filling the instance directly skips re-running it for every field
        rec = new(Record)
        values = rec.__dict__
        values.update(zip(_FIELDS, row, strict=True))
        values["authors"] = tuple(map(name, row[_AUTHORS]))
        values["provenance"] = tuple(map(provenance, row[_PROVENANCE]))
        records.append(rec)
    return tuple(records)


def save_corpus(
    path: Path,
    records: Iterable[Record],
    change: Change | None = None,
    display: str | None = None,
    previous: Corpus | None = None,
    old_entries: Mapping[str, FileSpan | bytes] | None = None,
    bodies: Mapping[str, tuple[bytes, bool]] | None = None,
) -> str:
    """Write the corpus (now, or as part of ``change`` when other files must change with it),
    and leave the cache holding what reading it back gives. Returns the SHA-256 of the text
    written (the digest its cache is kept under).

    The command after a write (``screen`` after ``dedupe``) then starts from the cache instead
    of parsing the file again. The cache holds what parsing the text just written gives, not
    ``records``: a record does not always read back as it was given (an import's @book with a
    journal and a publisher reads back with the publisher as its container), and the cache must
    hold exactly what a fresh read gives. Only entries whose record cannot be shown to read back
    as itself (``reads_back_unchanged``) are parsed. ``display`` is
    the path as the commands show it (default: relative to the review's root).

    ``previous`` is the corpus as loaded from ``path`` before this change (its records the
    parse of the file now there). A record of it passed back unchanged (the same object) keeps
    the very text it was read from, so it reads back as itself: only the other entries are
    formatted and parsed again (after a dedupe that merged a few hundred of 100k records, a
    few hundred), and the git diff shows only the entries that changed. ``litreview check
    --fix`` rewrites every entry in the canonical layout. ``old_entries``: what
    :func:`entries_as_read` gave for ``previous``, when the caller needed it too. ``bodies``:
    by the key each record was given since, the entries an import made where it read them,
    less their first line (``entry_body``), and whether each reads back as its record; they
    are not made again.
    """
    from litreview.files.fsutil import iter_bytes, open_temp
    from litreview.io.bibtex import entry_with_key, format_entry, reads_back_unchanged
    from litreview.workers import split_batches

    if change is None:  # a change of this one file: written in full, then renamed into place
        folder = path.parent
        with Change(folder, Project(folder.parent).rel(folder)) as own:
            return save_corpus(path, records, own, display, previous, old_entries, bodies)
    ordered = sorted(records, key=lambda r: r.key)
    old_text = (
        old_entries
        if old_entries is not None
        else entries_as_read(path, previous)
        if previous is not None
        else None
    )
    before = (
        {r.key: r for r in previous.records}
        if old_text is not None and previous is not None
        else {}
    )
    kept = old_text or {}
    n = len(ordered)
    #: the record's own entry of the file it was read from, written back as it is
    reused = [before.get(r.key) is r and r.key in kept for r in ordered]
    ahead = bodies or {}
    vouched = [False] * n
    newlines = [0] * n
    fresh: dict[int, bytes] = {}  # new entries that must be parsed back for the cache
    header = CORPUS_HEADER.encode("utf-8")
    digest = hashlib.sha256()
    out, tmp = open_temp(path)
    handed = False
    try:
        with out, paused_gc():
            # the file is written as it is made, a batch of entries at a time, and hashed as it
            # is written: it is never all in memory (1.7 GB at 1M), nor are its new entries but
            # those an import made as it read (``bodies``: up to _MADE_AHEAD_BYTES of them)
            todo = [i for i in range(n) if not reused[i] and ordered[i].key not in ahead]

            def part(start: int, stop: int) -> list[tuple[bytes, bool]]:
                # formatting, and whether the entry will read back as its record, is per-record
                # work (~5 s at 100k): split over the cores (see litreview.workers)
                return [
                    (format_entry(ordered[i]).encode("utf-8"), reads_back_unchanged(ordered[i]))
                    for i in todo[start:stop]
                ]

            # forking a process that holds 100k records costs ~1 s of copied pages: worth it for
            # a whole import's entries, not for the ~35k a dedupe of 100k rewrites
            batches = split_batches(part, len(todo), _WRITE_BATCH, min_per_worker=25_000)
            formatted = itertools.chain.from_iterable(batches)
            pieces: list[FileSpan | bytes] = [header] if header else []
            # where each entry goes, kept with the cache when every entry is one the scan of
            # _old_entries would cut out as it is (so the next write need not scan)
            starts, sizes = array("q"), array("q")
            at, plain = len(header), True

            def flush() -> None:
                for chunk in iter_bytes(_runs_joined(pieces)):
                    out.write(chunk)
                    digest.update(chunk)
                pieces.clear()

            def write_entries() -> None:
                nonlocal at, plain
                for i in range(n):
                    if header or i:
                        pieces.append(b"\n")
                        at += 1
                    if reused[i]:
                        span = kept[ordered[i].key]
                        pieces.append(span)
                        if isinstance(span, FileSpan):
                            newlines[i], size = span.newlines, span.stop - span.start
                        else:
                            newlines[i], size = span.count(b"\n"), len(span)
                            plain = plain and _stands_alone(span, ordered[i].key)
                    else:
                        rec = ordered[i]
                        body = ahead.get(rec.key)
                        if body is not None:
                            entry, vouched[i] = entry_with_key(rec.entry_type, rec.key, *body)
                        else:
                            entry, vouched[i] = next(formatted)
                        pieces.append(entry)
                        newlines[i], size = entry.count(b"\n"), len(entry)
                        plain = plain and _stands_alone(entry, ordered[i].key)
                        if not vouched[i]:
                            fresh[i] = entry
                    starts.append(at)
                    sizes.append(size)
                    at += size
                    if len(pieces) >= 20_000:
                        flush()
                if next(formatted, None) is not None:
                    raise AssertionError("more entries formatted than records to write")

            try:
                write_entries()
            finally:
                batches.close()  # the workers go, also when the writing stopped half way
            if not n and header:
                pieces.append(b"\n")
            flush()
        hexdigest = digest.hexdigest()
        if display is None:
            display = Project(path.parent.parent).rel(path)
        seeded = _seeded(ordered, reused, vouched, fresh, newlines, hexdigest, display)
        if seeded is not None and previous is not None:
            seeded.rows = _rows_reused(seeded.records, previous)
        # the new file as written (before it replaces anything)
        cached = seeded if seeded is not None else _parse(tmp.read_bytes(), hexdigest, display)
        if plain and n and cached.keys == tuple(r.key for r in ordered):
            cached.places = (starts, sizes, array("q", newlines))
        # only now: the parse above may fork over the cores, and a process must not fork while
        # the change's threads work; flushing the file to disk overlaps the cache's sealing below
        change.adopt(path, tmp, hexdigest)
        handed = True
    except BaseException as exc:
        if not handed:  # the change, once it has the file, removes it if it is dropped
            with contextlib.suppress(OSError):
                tmp.unlink()
        if isinstance(exc, OSError) and not handed:
            shown = display or Project(path.parent.parent).rel(path)
            raise nothing_written(shown, exc) from None
        raise
    # what the write needed goes before the cache is sealed (the spans alone: ~130 MB at 1M)
    kept, old_text = {}, None
    fresh.clear()
    _store(_cache_path(path, hexdigest), cached)
    return hexdigest


#: how many entries :func:`save_corpus` formats before it writes them
_WRITE_BATCH = 100_000


def _runs_joined(pieces: Sequence[FileSpan | bytes]) -> Iterable[FileSpan | bytes]:
    """``pieces`` with each run of bytes between spans joined into one: an import writes 100k
    new entries and the line breaks between them, and a write and a hash update for each of
    those 200k pieces cost more than copying them into a few large ones (20k pieces at most)."""
    run: list[bytes] = []
    for piece in pieces:
        if isinstance(piece, FileSpan):
            if run:
                yield b"".join(run)
                run.clear()
            yield piece
        else:
            run.append(piece)
    if run:
        yield b"".join(run)


def _rows_reused(records: Sequence[Record], previous: Corpus) -> list[tuple[Any, ...]] | None:
    """The cache rows of ``records``: a record of ``previous`` (read from the cache with
    ``keep_rows``) passed back unchanged, the same object, is cached as the row it was built
    from. After a dedupe that is ~75k of 100k records; taking them apart again cost ~0.7 s."""
    if previous.rows is None or previous._records is None:
        return None
    old = {id(r): row for r, row in zip(previous._records, previous.rows, strict=True)}
    return [old.get(id(r)) or _row(r) for r in records]


def entries_as_read(path: Path, corpus: Corpus) -> dict[str, FileSpan | bytes] | None:
    """Each record's entry in the file ``corpus`` was read from, as its place in that file (or
    its mended bytes; see :func:`_old_entries`), None when the file is not one clean entry per
    record. A record passed on unchanged is written again as those bytes: into the corpus by
    :func:`save_corpus`, and into ``absorbed.bib`` when a dedupe absorbs it, instead of being
    formatted anew."""
    if not _reusable(corpus):
        return None
    placed = _placed_entries(path, corpus)
    return placed if placed is not None else _old_entries(path, corpus)


def _stands_alone(entry: bytes, key: str) -> bool:
    """An entry :func:`_old_entries` would cut out of the file as it is, under ``key``."""
    brace, comma = entry.find(b"{"), entry.find(b",")
    return (
        entry[:1] == b"@"
        and entry.endswith(b"}\n")
        and b"\n@" not in entry
        and 0 <= brace < comma
        and entry[brace + 1 : comma] == key.encode("utf-8")
    )


def _placed_entries(path: Path, corpus: Corpus) -> dict[str, FileSpan | bytes] | None:
    """:func:`_old_entries` without reading the file, for a corpus whose cache says where
    litreview wrote each entry: the places hold while the file stands as it did when its digest
    found that cache (same file, size and modification time). Scanning the 1.7 GB file of 1M
    records took ~9 s of every write after the first."""
    places, stamp = corpus.places, corpus.stamp
    if places is None or stamp is None:
        return None
    try:
        with path.open("rb") as fh:
            if file_stamp(fh) != stamp:
                return None  # changed since it was loaded (an editor saved it): nothing is reused
    except OSError:
        return None
    starts, sizes, breaks = places
    keys = corpus.keys
    if not len(starts) == len(sizes) == len(breaks) == len(keys):
        return None
    return {
        key: FileSpan(path, start, start + size, count, stamp)
        for key, start, size, count in zip(keys, starts, sizes, breaks, strict=True)
    }


def _reusable(corpus: Corpus) -> bool:
    """A corpus whose records are one clean parse per key of the file it was read from."""
    keys = corpus.keys
    return (
        bool(corpus.digest)
        and not corpus.problems
        and not corpus.rejects
        and len(set(keys)) == len(keys)
    )


def _old_entries(path: Path, previous: Corpus) -> dict[str, FileSpan | bytes] | None:
    """Where each entry of the corpus file now on disk lies in it, by key, ending in one line
    break; None unless the file is our header and one entry per record of ``previous`` and
    nothing else (an @string, a comment between entries: then each entry does not stand alone).
    The unchanged entries are copied from the file as they are when the new one is written, so
    the 170 MB file of 100k records is never decoded, nor held in memory (1.5 GB at 1M records,
    which a dedupe would otherwise hold on top of its records); an entry that must be mended
    (it does not end in one line break) is given as its mended bytes.

    The file is read here in blocks, and what is read must be the file ``previous`` was parsed
    from (its digest): an entry written back unchanged is taken to be its record's text."""
    header = CORPUS_HEADER.encode("utf-8")
    out: dict[str, FileSpan | bytes] = {}
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            stamp = file_stamp(fh)
            buf, base, eof = b"", 0, False

            def more(keep: int) -> bytes:
                nonlocal base, eof
                block = fh.read(_SCAN_BLOCK)
                eof = not block
                digest.update(block)
                base += keep
                return buf[keep:] + block

            # the header: everything before the first line that starts with "@"
            start = -1
            while not eof:
                buf = more(0)
                start = buf.find(b"\n@")
                if start >= 0:
                    break
            head = buf if start < 0 else buf[:start]
            if head != header.rstrip(b"\n") + b"\n" and head != header:
                return None
            while start >= 0:
                first = start + 1
                nxt = buf.find(b"\n@", start + 2)
                while nxt < 0 and not eof:
                    buf = more(start)
                    first -= start
                    start = 0
                    nxt = buf.find(b"\n@", 2)
                end = len(buf) if nxt < 0 else nxt
                brace, comma = buf.find(b"{", first, end), buf.find(b",", first, end)
                try:
                    key = buf[brace + 1 : comma].decode("utf-8")
                except UnicodeDecodeError:
                    return None
                if buf.endswith(b"}\n", first, end) and brace >= 0 and comma > brace:
                    if key in out:
                        return None
                    # the usual ending
                    out[key] = FileSpan(
                        path, base + first, base + end, buf.count(b"\n", first, end), stamp
                    )
                else:
                    entry = buf[first:end]
                    if (
                        brace < 0
                        or comma < brace
                        or key in out
                        or not entry.rstrip().endswith(b"}")
                    ):
                        return None
                    out[key] = entry.rstrip(b"\n") + b"\n"
                start = nxt
            while not eof:  # the digest covers the whole file
                buf = more(len(buf))
    except OSError:
        return None
    if digest.hexdigest() != previous.digest:
        return None  # changed since it was loaded (an editor saved it): nothing is reused
    keys = previous.keys
    if len(out) != len(keys) or not all(k in out for k in keys):
        return None
    return out


#: how much of the corpus file :func:`_old_entries` reads at a time
_SCAN_BLOCK = 1 << 22


def _seeded(
    ordered: Sequence[Record],
    reused: Sequence[bool],
    vouched: Sequence[bool],
    fresh: Mapping[int, bytes],
    newlines: Sequence[int],
    digest: str,
    shown: str,
) -> Corpus | None:
    """What parsing the new file gives, parsing only the entries that are neither a previous
    record written back with its own text (``reused``) nor a record that reads back as itself
    (``vouched``: most of a fresh import, see ``reads_back_unchanged``); None when that cannot
    be shown (then the file is parsed). ``fresh``: the text of each entry to parse;
    ``newlines``: how many line breaks each entry holds."""
    from litreview.io.bibtex import read_bibtex

    out: list[Record | None] = []
    changed: list[int] = []
    for i, rec in enumerate(ordered):
        if reused[i] or vouched[i]:
            out.append(rec)
        else:
            out.append(None)
            changed.append(i)
    if any(borrows_fields(r) for r in ordered):
        return None  # an entry that borrows another's fields reads differently without it
    if changed:
        with paused_gc():
            text = b"\n".join(fresh[i] for i in changed).decode("utf-8")
            result = read_bibtex(text, shown, source="corpus")
        if result.problems or result.rejects or len(result.records) != len(changed):
            return None
        for i, rec in zip(changed, result.records, strict=True):
            if rec.key != ordered[i].key:
                return None
            out[i] = rec
    lines: dict[str, int] = {}
    line = 1 + CORPUS_HEADER.count("\n") + (1 if CORPUS_HEADER else 0)
    for rec, count in zip(ordered, newlines, strict=True):
        lines.setdefault(rec.key, line)
        line += count + 1
    records = tuple(r for r in out if r is not None)
    if len(records) != len(ordered) or len({r.key for r in records}) != len(records):
        return None
    return Corpus(path=shown, records=records, lines=lines, digest=digest)


# --- citation keys ----------------------------------------------------------------------------


def base_key(record: Record) -> str:
    """First author's surname (or organisation's significant words) and the year: ``Davies2003``."""
    name = ""
    if record.authors:
        a = record.authors[0]
        if a.corporate:
            words = [
                ascii_name(w) for w in re.split(r"[\s/\-]+", a.last) if w.lower() not in _CORP_STOP
            ]
            name = "".join(w[:1].upper() + w[1:] for w in words if w)[:24]
        else:
            name = ascii_name(a.full_last)
    if not name:
        words = [ascii_name(w) for w in record.title.split()]
        # the first word that starts with a letter: a key never starts with a digit ("100nd")
        words = [
            w for w in words if w and w[0].isalpha() and w.lower() not in _CORP_STOP | {"a", "an"}
        ]
        name = (words[0][:1].upper() + words[0][1:]) if words else "Anon"
    if not name[0].isalpha():
        name = "Anon" + name
    # no year: "-nd" keeps it readable ("Bridging-nd", not "Bridgingnd" with suffix "Bridgingnda")
    year = str(record.year) if record.year is not None else "-nd"
    return f"{name}{year}"


def assign_keys(
    new: Sequence[Record], taken: Iterable[str], bases: Sequence[str | None] = ()
) -> list[Record]:
    """Give each new record a unique key, never touching the keys already taken.

    A BibTeX key that already has our shape for this record (``Davies2003b`` for a Davies 2003
    paper) and is free is kept, so a team's existing keys survive. Otherwise records of one
    batch that share a base get a, b, c in input order (as author–date reference lists do),
    and a base already used in the corpus continues from its last letter. ``bases``: the
    records' :func:`base_key` where the caller has it (an import's readers work it out).
    """
    taken_set = set(taken)
    out = list(new)
    known = list(bases) if bases else [None] * len(new)
    base = [b if b is not None else base_key(r) for r, b in zip(new, known, strict=True)]
    pending: list[int] = []
    for i, rec in enumerate(new):
        own = rec.provenance[0].original_id if rec.provenance else None
        if (
            own
            and own not in taken_set
            and KEY_SHAPE.match(own)
            and _FAMILY.sub("", own) == base[i]
        ):
            out[i] = _rekeyed(rec, own)
            taken_set.add(own)
        else:
            pending.append(i)
    families = {_FAMILY.sub("", k) for k in taken_set}
    groups: dict[str, list[int]] = {}
    for i in pending:
        groups.setdefault(base[i], []).append(i)
    for family, idxs in groups.items():
        if family not in families and len(idxs) == 1:
            out[idxs[0]] = _rekeyed(new[idxs[0]], family)
            taken_set.add(family)
            continue
        pos = 0  # suffixes are tried in order once per family, not once per record
        for i in idxs:
            while pos < len(SUFFIXES) and family + SUFFIXES[pos] in taken_set:
                pos += 1
            if pos == len(SUFFIXES):
                raise InputError.at(
                    Location(new[i].provenance[0].path if new[i].provenance else "<import>"),
                    f"more than {len(SUFFIXES)} records share the citation key base {family!r}",
                    hint="these records need authors or years to be told apart",
                )
            candidate = family + SUFFIXES[pos]
            out[i] = _rekeyed(new[i], candidate)
            taken_set.add(candidate)
    return out


def _rekeyed(rec: Record, key: str) -> Record:
    """``replace(rec, key=key)`` without re-running the constructor for every field: Record has
    no ``__post_init__``, so a copy of its values with the new key is the same record (100k
    keys: ~1 s less on import)."""
    out = object.__new__(Record)
    out.__dict__.update(rec.__dict__)
    out.__dict__["key"] = key
    return out


_FAMILY = re.compile(r"(?<=\d|d)[a-z]{1,3}$")


def _suffixes() -> tuple[str, ...]:
    """a … z, aa … zz, aaa … zzz: the letters author–date styles append to a repeated base."""
    letters = string.ascii_lowercase
    two = [a + b for a in letters for b in letters]
    three = [ab + c for ab in two for c in letters]
    return (*letters, *two, *three)


SUFFIXES = _suffixes()


# --- import -----------------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did, per file and in total; ``read == added + already + rejected``."""

    files: list[ReadResult] = field(default_factory=list)
    added: list[Record] = field(default_factory=list)
    already: int = 0
    problems: list[Problem] = field(default_factory=list)
    #: one rejects file per input file that had rejected entries
    rejects_paths: list[str] = field(default_factory=list)

    @property
    def read(self) -> int:
        return sum(f.entries for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(len(f.rejects) for f in self.files)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def as_dict(self) -> dict[str, object]:
        return {
            "version": 1,
            "read": self.read,
            "added": len(self.added),
            "already_in_corpus": self.already,
            "rejected": self.rejected,
            "rejects_files": list(self.rejects_paths),
            "files": [
                {
                    "path": f.path,
                    "format": f.format,
                    "encoding": f.encoding,
                    "entries": f.entries,
                    "records": len(f.records),
                    "rejected": len(f.rejects),
                }
                for f in self.files
            ],
            "problems": [p.as_dict() for p in self.problems],
        }


def import_files(
    paths: Sequence[Path],
    source: str,
    corpus_path: Path,
    root: Path | None = None,
    dry_run: bool = False,
    fmt: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read exports and add their records to the corpus.

    A record whose provenance (source, file name, original id) is already in the corpus is not
    added again, so importing the same file twice changes nothing; two records of one export
    that share an original id are both kept. Rejected entries go verbatim
    to ``corpus/rejects/<source>/<file>.txt`` with their reasons.
    """
    project = Project(root or corpus_path.parent.parent)
    _refuse_corpus_target(project, corpus_path)
    report = ImportReport()
    for p in paths:
        if p.is_dir():
            inside = sorted(
                f.name for f in p.iterdir() if f.is_file() and not f.name.startswith(".")
            )
            shown = ", ".join(inside[:5]) + (", …" if len(inside) > 5 else "")
            raise InputError.at(
                Location(p.as_posix()),
                "is a folder, not an export file",
                hint=f"it holds {shown}; name the files, e.g. {(p / '*').as_posix()}"
                if inside
                else "the folder holds no files; name the export files themselves",
            )
        if not p.is_file():
            raise InputError.at(Location(p.as_posix()), "no such file", hint="check the path")
    report.problems.extend(_unlisted_source(project, source))
    _read_exports(paths, source, corpus_path, project, fmt, progress, report, dry_run)
    locked = corpus_lock(corpus_path.parent) if not dry_run else contextlib.nullcontext()
    with locked, paused_gc():
        corpus = load_corpus(corpus_path, project.rel(corpus_path))
        if corpus.rejects:
            raise InputError(
                [
                    Problem(r.location, r.reason, Severity.ERROR, "corpus-unreadable")
                    for r in corpus.rejects
                ]
            )
        shared = shared_keys(corpus)
        if shared:  # a write would keep both entries and give new records keys beside them
            raise InputError(shared)
        # how many appearances of each (source, file, original id) the corpus already holds: an
        # export may carry one id twice (two records with one accession number), and each is a
        # record to keep (dedupe then counts it as a duplicate); only as many as an earlier import
        # brought in are "already in the corpus", so importing the same file again adds nothing
        known = Counter(p.identity for r in corpus.records for p in r.provenance)
        _refuse_a_second_source(corpus, known, report, source)
        copies = _copies_of_earlier_exports(paths, report, corpus, project, known)
        if copies:
            raise InputError(copies)
        fresh: list[Record] = []
        ahead: list[_Ahead | None] = []  # what was worked out for each where it was read
        earlier = _EarlierAppearances(
            corpus, known, {f.path.rsplit("/", 1)[-1] for f in report.files}
        )
        for result in report.files:
            for i, rec in enumerate(result.records):
                if earlier.take(rec):
                    report.already += 1
                    continue
                fresh.append(rec)
                ahead.append(result.made[i] if result.made is not None else None)
            result.made = None
        # the dedupe log is read only when there is something to key (a re-import usually has nothing)
        keyed = (
            assign_keys(
                fresh,
                [*(r.key for r in corpus.records), *_absorbed_keys(corpus_path, project)],
                [a[2] if a is not None else None for a in ahead],
            )
            if fresh
            else []
        )
        report.added = keyed
        if not dry_run:
            # the corpus and the rejects files change together or not at all (an exception
            # before the end of the block changes nothing and leaves no temporary file)
            with Change(corpus_path.parent, project.rel(corpus_path.parent)) as change:
                if keyed:
                    bodies = {
                        r.key: (a[0], a[1])
                        for r, a in zip(keyed, ahead, strict=True)
                        if a is not None
                    }
                    ahead.clear()
                    save_corpus(
                        corpus_path,
                        list(corpus.records) + keyed,
                        change,
                        previous=corpus,
                        bodies=bodies,
                    )
                for path, result in zip(paths, report.files, strict=True):
                    # one file per source and input file: a later import of another export of
                    # the same source must not replace what this one rejected
                    rpath = rejects_file(corpus_path.parent, source, path)
                    if result.rejects:
                        change.write(rpath, format_rejects(result.rejects))
                        report.rejects_paths.append(project.rel(rpath))
                    elif rpath.exists():
                        change.delete(
                            rpath
                        )  # the file now reads cleanly: its earlier rejects are in the corpus
    return report


class _EarlierAppearances:
    """Which records of the exports being imported the corpus holds already, each taken once.

    An appearance with an original id is known by it. One without (a table with no id column)
    is known by its line, which says nothing once the export is saved again under its name with
    its rows moved: a new record at an old line would count as already there (and be lost) and an
    old one at a new line as new. So a line is taken for a record whose title key is that of the
    record holding the appearance (a record merged from several appearances has several titles
    and is not checked); else the record is looked for at the file's other lines by its title
    key (its row moved); else its line is still taken when the titles agree at a ratio of 80
    (a title a person corrected in the corpus)."""

    def __init__(
        self, corpus: Corpus, known: Counter[tuple[str, str, str]], names: set[str]
    ) -> None:
        self.known = known
        self.used: Counter[tuple[str, str, str]] = Counter()
        #: a line appearance of these files -> its holder's title key (None when merged: unchecked)
        self.titles: dict[tuple[str, str, str], str | None] = {}
        self.by_title: defaultdict[tuple[str, str, str], list[tuple[str, str, str]]] = defaultdict(
            list
        )
        for r in corpus.records:
            for p in r.provenance:
                if p.original_id or p.path.rsplit("/", 1)[-1] not in names:
                    continue
                identity = p.identity
                if len(r.provenance) > 1:
                    self.titles[identity] = None
                    continue
                tk = title_key(r.title)
                self.titles[identity] = tk
                self.by_title[(identity[0], identity[1], tk)].append(identity)

    def _left(self, identity: tuple[str, str, str]) -> bool:
        return self.used[identity] < self.known[identity]

    def take(self, rec: Record) -> bool:
        prov = rec.provenance[0]
        identity = prov.identity
        if prov.original_id and self._left(identity):
            self.used[identity] += 1
            return True
        taken = _id_before_its_reader_knew(rec)
        if taken is not None and self._left(taken):
            self.used[taken] += 1
            return True
        # by its line: its own (no id), or the one it had before its reader read its id
        by_line = identity if not prov.original_id else _identity_before_its_id(prov)
        if by_line is None or (not self.by_title and by_line not in self.titles):
            return False  # (no line appearance of these files: nothing to look for)
        tk = title_key(rec.title)
        held = self.titles.get(by_line, "")
        if by_line in self.titles and self._left(by_line) and (held is None or held == tk):
            self.used[by_line] += 1
            return True
        for other in self.by_title.get((by_line[0], by_line[1], tk), ()):
            if self._left(other):  # the same title at another line: the row moved
                self.used[other] += 1
                return True
        if self._left(by_line) and held and _titles_agree(held, tk):
            self.used[by_line] += 1  # its title corrected in the corpus since
            return True
        return False


def _titles_agree(a: str, b: str) -> bool:
    """Two title keys of one record: equal, or one corrected by hand (ratio 80)."""
    if a == b:
        return True
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b) >= 80


def _id_before_its_reader_knew(rec: Record) -> tuple[str, str, str] | None:
    """The identity a Web of Science tab-delimited record had when its reader took the table's
    ``ID`` column (Keywords Plus) for its id, before the reader took its ``UT``: a corpus imported
    then holds that identity, and importing the same export again must know the record by it.
    None for any other record."""
    prov = rec.provenance[0]
    if not (prov.original_id or "").startswith("WOS:"):
        return None
    earlier = dict(rec.extra).get("id")
    if not earlier:
        return None
    return (prov.source, prov.path.rsplit("/", 1)[-1], earlier)


def _identity_before_its_id(prov: Provenance) -> tuple[str, str, str] | None:
    """The identity an appearance with an original id had when its export's reader found no id
    in it (its line, see :attr:`Provenance.identity`): what a corpus imported by an earlier
    version holds for it, before the reader learnt to read the export's ids (Embase's PUI, an
    EBSCO accession number). Without it, importing that export again after an upgrade added
    every record a second time. None for an appearance without an id."""
    if not prov.original_id:
        return None
    return (prov.source, prov.path.rsplit("/", 1)[-1], f"line {prov.line}")


def _copies_of_earlier_exports(
    paths: Sequence[Path],
    report: ImportReport,
    corpus: Corpus,
    project: Project,
    known: Mapping[tuple[str, str, str], int],
) -> list[Problem]:
    """An error for each export that would add records although it holds the same bytes as an
    export imported before (or named earlier in the same command) under another name or
    source: its records would be counted twice in PRISMA's "identified", and dedupe would then
    remove them again as duplicates of themselves. Only files still where their provenance
    says are compared, and only those of the same size, so the check costs a stat per
    earlier export."""
    import filecmp
    import os

    earlier: dict[str, str] = {}  # where an earlier export is (as provenance writes it) -> source
    for r in corpus.records:
        for prov in r.provenance:
            earlier.setdefault(prov.path, prov.source)
    out: list[Problem] = []
    here: list[tuple[Path, str]] = []
    for p, result in zip(paths, report.files, strict=True):
        adds = any(
            known.get(rec.provenance[0].identity, 0) == 0
            and known.get(_identity_before_its_id(rec.provenance[0]) or ("", "", ""), 0) == 0
            for rec in result.records
        )
        name = result.path.rsplit("/", 1)[-1]  # what a provenance's identity keeps of a path
        candidates = [
            (project.root / q if not Path(q).is_absolute() else Path(q), q, src)
            for q, src in sorted(earlier.items())
            if q != result.path
        ] + [(h, shown, "") for h, shown in here]
        here.append((p, result.path))
        if not adds:
            continue
        size = _size(p)
        for other, shown, src in candidates:
            try:
                if other.stat().st_size != size:
                    continue
                if os.path.samefile(other, p):
                    # the file itself: named again in this command, or reached through a link
                    # under another name (its records would be new); under its own name it is
                    # a re-import, which adds only what is new
                    same = not src or shown.rsplit("/", 1)[-1] != name
                else:
                    same = filecmp.cmp(other, p, shallow=False)
            except OSError:
                continue
            if same:
                out.append(
                    Problem(
                        Location(result.path),
                        f"holds the same bytes as {shown}"
                        + (f", imported under source '{src}'" if src else ", named before it")
                        + f": its {len(result.records)} records would be counted twice in"
                        " PRISMA's identified records",
                        Severity.ERROR,
                        "same-export-twice",
                        hint="import each export once, under the source it was saved from;"
                        " nothing was written",
                    )
                )
                break
    return out


#: export text whose entries an import makes as it reads (see import_files): a 100k-record
#: export (~160 MB) fits; the 400 MB parts of a million records are made at the write
_MADE_AHEAD_BYTES = 256 * 1024 * 1024


def _read_exports(
    paths: Sequence[Path],
    source: str,
    corpus_path: Path,
    project: Project,
    fmt: str | None,
    progress: Progress | None,
    report: ImportReport,
    dry_run: bool,
) -> None:
    """Read each export into ``report``, with the fields each record misses as warnings.

    An export read in parts (one per core) has each record's entry and key base worked out
    there (:func:`_made_ahead`), unless the corpus may hold records of it already (a file
    imported again adds few records or none: making all its entries would be work thrown
    away). The entries are held until the write, up to a budget of export text (~the
    entries' size); past it, the write makes them a batch at a time."""
    from litreview.workers import TEXT_PART_CHARS

    budget = _MADE_AHEAD_BYTES
    for p in track(paths, progress, f"import {source}"):
        size = _size(p)
        # a file too small to be read in parts gets no entries made (see read_text)
        ahead = (
            not dry_run
            and 2 * TEXT_PART_CHARS <= size <= budget
            and not _may_hold_export(corpus_path, p.name)
        )
        result = read_path(p, source, project.rel(p), fmt, progress, _made_ahead if ahead else None)
        if result.made is not None:
            budget -= size
        report.files.append(result)
        report.problems.extend(result.problems)
        for rec in result.records:
            gaps = missing_fields(rec)
            if gaps:
                prov = rec.provenance[0]
                report.problems.append(
                    Problem(
                        Location(prov.path, prov.line, prov.original_id),
                        f"missing {', '.join(gaps)} for @{rec.entry_type}",
                        Severity.WARNING,
                        "missing-field",
                    )
                )


def _may_hold_export(corpus_path: Path, name: str) -> bool:
    """Whether the corpus file may hold a record imported from an export of this file name
    (what a provenance's identity keeps of its path): a search of the file's bytes for the
    name as a provenance writes it, never a parse. It may say True for a corpus that holds
    none (the name elsewhere in the text); then the import only makes its entries later."""
    import mmap

    written = Provenance("", name).encode().split("|")[1].encode("utf-8")
    try:
        with corpus_path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            return mm.find(b"|" + written + b"|") >= 0 or mm.find(b"/" + written + b"|") >= 0
    except (OSError, ValueError):  # no corpus yet (or an empty file, which mmap refuses)
        return corpus_path.exists() and corpus_path.stat().st_size > 0


#: What an import works out for a record where it reads it (see :func:`_made_ahead`): its
#: corpus entry after the first line (``entry_body``), whether that entry reads back as the
#: record but for its key, and its key's base (``base_key``). A plain tuple, not a named one:
#: 45k of them travel back from a worker, and a plain tuple unpickles in a fifth of the time.
_Ahead = tuple[bytes, bool, str]


def _made_ahead(record: Record) -> _Ahead:
    """What an import works out for each record where it reads it (on every core, see
    :func:`litreview.io.read_text`): its corpus entry without the key and its key's base."""
    from litreview.io.bibtex import entry_body

    body, vouched = entry_body(record)
    return body, vouched, base_key(record)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # read_path reports it


def _refuse_a_second_source(
    corpus: Corpus,
    known: Mapping[tuple[str, str, str], int],
    report: ImportReport,
    source: str,
) -> None:
    """An export the corpus holds records of under another source is not imported again under
    this one: its records would be added a second time (dedupe then merges each with itself)
    and PRISMA would count the export twice, once per source. It happens when a source is
    renamed in review.yaml after its export was imported."""
    names = {f.path.rsplit("/", 1)[-1] for f in report.files}
    if not any(i[0] != source and i[1] in names for i in known):
        return  # the usual case, found without a second pass over the records
    paths = {f.path for f in report.files}
    found: dict[tuple[str, str], int] = {}
    held: dict[tuple[str, str], set[str]] = {}  # the titles of the records each holds
    for r in corpus.records:
        for p in r.provenance:
            if p.path in paths and p.source != source:
                found[(p.path, p.source)] = found.get((p.path, p.source), 0) + 1
                held.setdefault((p.path, p.source), set()).add(_named_by(r))
    # the same export moved to another folder: a file of that name whose every record carries
    # an id (an accession number, a PMID) that an import under another source brought in
    for f in report.files:
        name = f.path.rsplit("/", 1)[-1]
        ids = {rec.provenance[0].original_id for rec in f.records}
        if not ids or None in ids or "" in ids or any(q == f.path for q, _o in found):
            continue
        by_source: dict[str, set[str | None]] = {}
        for other, n, oid in known:
            if other != source and n == name:
                by_source.setdefault(other, set()).add(oid)
        for other, theirs in sorted(by_source.items()):
            if ids == theirs:  # the whole export, not a search whose records an earlier one found
                found[(f.path, other)] = len(f.records)
                break
    if found:
        reading = {f.path: {_named_by(rec) for rec in f.records} for f in report.files}
        raise InputError(
            [
                _another_source(path, other, n, source, held.get((path, other)), reading[path])
                for (path, other), n in sorted(found.items())
            ]
        )


def _named_by(record: Record) -> str:
    """What a record of an export is recognised by in another reading of it."""
    return title_key(record.title) or record.doi or record.pmid


def _another_source(
    path: str, other: str, n: int, source: str, held: set[str] | None, reading: set[str]
) -> Problem:
    """The refusal of :func:`_refuse_a_second_source`. When not one title of the file read now
    (or DOI) is among those the corpus holds from a file of that path, the file was replaced:
    databases save their exports under one default name (``export.ris``, ``savedrecs.txt``), and
    the fix is a name of its own, not the other source."""
    replaced = held is not None and not (held & reading) - {""}
    if replaced:
        return Problem(
            Location(path),
            f"a file of this name was imported under source {other!r} ({n} records), and not "
            "one of this file's titles is among them: another export saved under the same name?",
            Severity.ERROR,
            "imported-under-another-source",
            "give this export a name of its own (e.g. the database's, "
            f"{source}{PurePosixPath(path).suffix}) and import that; the corpus names each "
            "record's file, so one name must stay one export",
        )
    return Problem(
        Location(path),
        f"was imported under source {other!r} ({n} records); importing it under "
        f"{source!r} too would add its records again and count them twice",
        Severity.ERROR,
        "imported-under-another-source",
        f"import it under {other!r}: a source's id names its records in "
        "corpus/records.bib, so keep that id in review.yaml (its `name:` is what "
        "the outputs show)",
    )


def _unlisted_source(project: Project, source: str) -> list[Problem]:
    """A warning when the protocol lists its sources and ``source`` is not one of them (a typo
    would put the records under a source PRISMA then counts apart)."""
    if not project.protocol.exists():
        return []
    from litreview.errors import LitreviewError
    from litreview.files.yamlio import suggest

    try:
        listed = [s.id for s in Review.of(project).protocol.sources]
    except LitreviewError:
        return []  # an unreadable protocol is reported by the commands that need it
    if not listed or source in listed:
        return []
    return [
        Problem(
            Location(project.rel(project.protocol)),
            f"source {source!r} is not among review.yaml's sources ({', '.join(listed)})",
            Severity.WARNING,
            "unknown-source",
            suggest(source, listed)
            or "add it to review.yaml's sources, or import under a listed id",
        )
    ]


def _refuse_corpus_target(project: Project, corpus_path: Path) -> None:
    """The corpus is a ``.bib`` file and never one of the review's other stored files: an
    import ``--into review.yaml`` would replace the protocol with BibTeX."""
    from litreview.dedupe.store import absorbed_path

    others = [
        project.protocol,
        project.themes,
        project.duplicates,
        absorbed_path(project.duplicates),
        project.screening,
        project.theme_overrides,
        project.extraction,
        project.rule_audit,
        project.fulltext,
        project.corrections,
    ]
    target = corpus_path.resolve()
    if target.suffix.lower() != ".bib" or any(target == o.resolve() for o in others):
        raise InputError.at(
            Location(corpus_path.as_posix()),
            "is not a corpus file: an import would overwrite it with BibTeX",
            code="import-target",
            hint="--into names the corpus, a .bib file (default: corpus/records.bib)",
        )


def rejects_file(corpus_dir: Path, source: str, export: Path) -> Path:
    """``corpus/rejects/SOURCE/FILE.txt``; names made safe, with a short digest of the original
    when making them safe lost characters, so two different names never share a file."""
    parts = []
    for name in (source, export.name):
        safe = _safe(name)
        if safe != name:
            safe += "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        parts.append(safe)
    return corpus_dir / "rejects" / parts[0] / f"{parts[1]}.txt"


def _absorbed_keys(corpus_path: Path, project: Project) -> list[str]:
    """Keys that merges took out of the corpus: still taken, since decisions may name them."""
    dup_path = corpus_path.parent / "duplicates.yaml"
    if not dup_path.exists():
        return []
    from litreview.dedupe.store import load_duplicates

    return sorted(load_duplicates(dup_path, project.rel(dup_path)).aliases())


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-") or "source"


#: an entry's line in a rejects file, after the path the file's first entry line gives: its
#: line and key, if any, then the reason (see :func:`format_rejects`)
_REJECT_AFTER_PATH = re.compile(r"(?::\d+)?(?: \[[^\n]*?\])?: ")
_FIRST_REJECT = re.compile(r"\A# (.+?)(?::\d+)?(?: \[[^\n]*?\])?: ")


def rejects_files(corpus_dir: Path) -> list[tuple[Path, int]]:
    """Each rejects file under ``corpus_dir/rejects/`` with the number of entries it holds, in
    path order: what imports set aside and no corpus count includes. An entry is a line
    ``# PATH[:LINE][ [KEY]]: REASON`` after a blank line (as :func:`format_rejects` writes
    them; one export's entries share the path); a file read as no entries counts as one, since
    only an import that rejected something writes one."""
    folder = corpus_dir / "rejects"
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(p for p in folder.glob("*/*.txt") if p.is_file()):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            out.append((path, 1))
            continue
        lines = text.split("\n")
        first = next((i for i, line in enumerate(lines) if i and line.startswith("# ")), None)
        found = _FIRST_REJECT.match(lines[first]) if first is not None else None
        if first is None or found is None:
            out.append((path, 1))
            continue
        head = "# " + found.group(1)
        count = sum(
            1
            for i, line in enumerate(lines)
            if i >= first
            and (i == first or not lines[i - 1])
            and line.startswith(head)
            and _REJECT_AFTER_PATH.match(line, len(head))
        )
        out.append((path, max(count, 1)))
    return out


def format_rejects(rejects: Iterable[Reject]) -> str:
    parts = [
        "# Entries litreview could not read, verbatim, each after a line saying where and why.\n"
    ]
    for r in sorted(rejects, key=lambda r: (r.location.path, r.location.line or 0)):
        parts.append(f"# {r.location}: {r.reason}\n{r.text.rstrip()}\n")
    return "\n".join(parts)
