"""What a person's decision was made on: the title of its record, kept beside the key.

Every file people write names records by citation key, and a key is not a work: two branches
can each import a different work as ``Zeta2010``, and after the merge of records.bib one of them
becomes ``Zeta2010a`` while the other branch's decisions on ``Zeta2010`` now stand on a work
nobody decided. A key deleted and imported again for another work does the same. So a command
that writes a decision writes the record's title with it (``title:``, shortened to
:data:`LIMIT` characters at a word), and :func:`changed_records` compares what each decision
was made on with the record its key names now.

The rule (:func:`same_work`) forgives what a title goes through while it stays one work: case,
punctuation, accents, a misspelt word corrected, a word put in or taken out, a subtitle added or
dropped; it does not forgive other words or another number ("Part 2"). The year, pages and
journal are not compared: correcting them never makes another work. A record a dedupe merge
absorbed is the same work as its survivor, so a decision matches any record of the merge
(the survivor as it is now or was before, and every record merged into it: absorbed.bib keeps
them). A decision written before litreview kept titles (no ``title:``) is not compared.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litreview.model import LazyMapping, Location, Problem, Severity

if TYPE_CHECKING:
    from litreview.corpus.store import Corpus
    from litreview.project import Project
    from litreview.screen.engine import Decision

#: the field a decision keeps its record's title in (``a_title`` and ``b_title`` for a pair)
FIELD = "title"
#: the longest title kept, in characters; a longer one is cut at a word and ends with ELLIPSIS
LIMIT = 72
ELLIPSIS = "…"
#: the share of words two titles must have alike (a misspelt word counts as alike)
ALIKE = 0.8
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"^\d+$")


def shorten(title: str) -> str:
    """``title`` as a decision keeps it: one line, braces gone, at most :data:`LIMIT` characters
    (cut at a word, ending with an ellipsis)."""
    text = " ".join(title.replace("{", "").replace("}", "").split())
    if len(text) <= LIMIT:
        return text
    cut = text.rfind(" ", 0, LIMIT)
    if cut < LIMIT // 2:
        cut = LIMIT - 1
    return text[:cut].rstrip(" ,;:.-–—/") + ELLIPSIS


def words(text: str) -> list[str]:
    """The words of ``text`` as compared: case, accents and punctuation left out."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return _WORD.findall(text)


def _alike(a: str, b: str) -> bool:
    """One word, perhaps misspelt in one of the two (never two different numbers)."""
    if a == b:
        return True
    if _DIGITS.match(a) or _DIGITS.match(b) or min(len(a), len(b)) < 3:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.7


def same_work(recorded: str, title: str) -> bool:
    """Whether a decision made on a record titled ``recorded`` (as :func:`shorten` kept it) still
    stands on a record titled ``title``. Either one empty: nothing to compare, so yes."""
    if recorded == title or recorded == shorten(title):
        return True  # most decisions, at once: a screened 100k review has ~200,000
    mine, now = words(recorded), words(title)
    if not mine or not now:
        return True
    if recorded.rstrip().endswith((ELLIPSIS, "...")):
        now = now[: len(mine)]  # the title was cut: compare as much of it as was kept
    matcher = SequenceMatcher(None, mine, now, autojunk=False)
    matched = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            matched += i2 - i1
        elif op == "replace":
            matched += sum(1 for a, b in zip(mine[i1:i2], now[j1:j2], strict=False) if _alike(a, b))
    if sorted(w for w in mine if _DIGITS.match(w)) != sorted(w for w in now if _DIGITS.match(w)):
        return False  # "Part 1" and "Part 2", "Trial 2005" and "Trial 2007": other works
    shorter = min(len(mine), len(now))
    if matched == shorter and shorter >= 4:
        # every word of the shorter alike, in order: a subtitle added or dropped
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        if blocks and blocks[0].a == 0 and blocks[0].b == 0:
            return True
    return matched >= ALIKE * max(len(mine), len(now))


def title_of(record: Any) -> str:
    """What a decision on ``record`` keeps: its shortened title ("" without one)."""
    return shorten(getattr(record, "title", "") or "")


def titles_now(project: Project, keys: Iterable[str], aliases: Mapping[str, str]) -> dict[str, str]:
    """The shortened title of each of ``keys``'s records as records.bib holds it now (a key a
    merge absorbed: its survivor's); a key with no record, or a record with no title, is left out.
    What a command that writes decisions writes beside each key."""
    from litreview.corpus.mergemap import MergeMap
    from litreview.review import Review

    corpus = Review.of(project).corpus()
    known = set(corpus.keys)
    merged = MergeMap(aliases)
    where = {k: merged.resolve(k, known) for k in keys}
    kept = _kept_titles_map(project, corpus)  # read by the last status or check: no record read
    if kept is not None:
        found = {k: shorten(kept.get(w, "")) for k, w in where.items() if w is not None}
    else:
        records = corpus.records_of({w for w in where.values() if w is not None})
        found = {k: title_of(records[w]) for k, w in where.items() if w in records}
    return {k: t for k, t in found.items() if t}


# --- which stored files keep titles, and checking them -------------------------------------------


@dataclass(frozen=True)
class Kept:
    """One title a stored file keeps: the key it stands beside, where, and how to mend it."""

    path: str
    line: int | None
    key: str
    title: str
    field: str
    item: Mapping[str, Any]
    kind: str  # screening | fulltext | duplicates | consensus | override | appraisal


def _listed(data: Any, name: str) -> list[Mapping[str, Any]]:
    if not isinstance(data, Mapping):
        return []
    items = data.get(name)
    return [i for i in items if isinstance(i, Mapping)] if isinstance(items, list) else []


def kept_titles(project: Project, decisions: Sequence[Decision] | None = None) -> Iterator[Kept]:
    """Every title kept beside a key in the files litreview writes decisions to. A file that does
    not parse gives none (its own check reports it). ``decisions``: the screening decisions as
    the command already read them (each at its item's line), so their files are not read again."""
    from litreview.files.yamlio import MISSING, line_of, load_optional_yaml

    def items(path: Path, name: str) -> list[Mapping[str, Any]]:
        try:
            if _needle(project, path) not in path.read_bytes():
                return []  # none kept (a file written before titles were): nothing to parse
        except OSError:
            return []  # absent; unreadable: its own check says so
        data, problems = load_optional_yaml(path, project.rel(path), fast=True)
        if data is MISSING or any(p.is_error for p in problems):
            return []
        return _listed(data, name)

    def one(path: Path, item: Mapping[str, Any], key: str, field: str, kind: str) -> Kept | None:
        k, t = item.get(key), item.get(field)
        if isinstance(k, str) and isinstance(t, str) and k.strip() and t.strip():
            return Kept(project.rel(path), line_of(item), k.strip(), t.strip(), field, item, kind)
        return None

    found: list[Kept | None] = []
    if decisions is None:
        for path in project.decision_files():
            found += [one(path, i, "key", FIELD, "screening") for i in items(path, "decisions")]
    else:
        found += [
            # the item is made only when a problem quotes it
            Kept(
                d.path,
                d.line,
                d.alias or d.key,
                d.title,
                FIELD,
                LazyMapping(d.as_item),
                "screening",
            )
            for d in decisions
            if d.title
        ]
    found += [
        one(project.fulltext, i, "key", FIELD, "fulltext") for i in items(project.fulltext, "items")
    ]
    for i in items(project.duplicates, "decisions"):
        found += [one(project.duplicates, i, s, f"{s}_{FIELD}", "duplicates") for s in ("a", "b")]
    consensus = project.corpus_dir / "appraisal-consensus.yaml"
    found += [one(consensus, i, "key", FIELD, "consensus") for i in items(consensus, "resolved")]
    # files people write by hand: a title they keep there is held against the record too
    overrides = project.theme_overrides
    found += [one(overrides, i, "key", FIELD, "override") for i in items(overrides, "overrides")]
    for path in _appraisal_files(project):
        found += [one(path, i, "key", FIELD, "appraisal") for i in items(path, "appraisals")]
    yield from (k for k in found if k is not None)


class _Group:
    """The titles a key's work has had: every record of its merges, the survivor as it was
    before and each record absorbed into it or into a record since absorbed
    (:class:`~litreview.dedupe.project.Originals`, which dedupe itself reads; asked only when a
    title differs from the record's present one)."""

    def __init__(self, project: Project, aliases: Mapping[str, str]) -> None:
        self.project = project
        self.aliases = aliases
        self._originals: Mapping[str, tuple[Any, ...]] | None = None

    def originals(self) -> Mapping[str, tuple[Any, ...]]:
        if self._originals is None:
            from litreview.dedupe.project import Originals
            from litreview.errors import LitreviewError
            from litreview.review import Review

            try:
                found = Originals(self.project, Review.of(self.project).duplicates())
                self._originals = {s: found[s] for s in found}
            except LitreviewError:  # a log or absorbed.bib that does not read: check says so
                self._originals = {}
        return self._originals

    def of(self, survivor: str, known: Collection[str]) -> list[str]:
        from litreview.corpus.mergemap import MergeMap

        merged = MergeMap(self.aliases)
        return [
            r.title or ""
            for s, records in self.originals().items()
            if s == survivor or merged.resolve(s, known) == survivor
            for r in records
        ]


def _files(project: Project) -> list[Path]:
    """What :func:`changed_records` reads besides records.bib."""
    from litreview.dedupe.store import absorbed_path

    return [
        project.protocol,  # which decisions validate, when they come as read
        *project.decision_files(),
        project.fulltext,
        project.duplicates,
        absorbed_path(project.duplicates),
        project.corpus_dir / "appraisal-consensus.yaml",
        project.theme_overrides,
        *_appraisal_files(project),
    ]


def _appraisal_files(project: Project) -> list[Path]:
    """Each reviewer's appraisal file (the consensus file is apart: its list is ``resolved``)."""
    return [p for p in project.appraisal_files() if p.name != "appraisal-consensus.yaml"]


def changed_records(
    project: Project,
    corpus: Corpus,
    aliases: Mapping[str, str],
    decisions: Sequence[Decision] | None = None,
    severity: Severity = Severity.ERROR,
) -> list[Problem]:
    """Each decision whose key names a record that is not the work the decision was made on
    (its kept title and the record's differ, by :func:`same_work`), at its item's line: the
    key, both titles, the key whose record is that work when there is one, and how to mend it.
    Kept in the derived-results cache for the files it reads (``status`` and ``render`` ask on
    every run, and unchanged files need not be parsed again). ``decisions``: the screening
    decisions as read (see :func:`kept_titles`)."""

    def compute() -> list[Problem]:
        return _changed_records(project, corpus, aliases, decisions, severity)

    if not _any_kept(project, decisions):
        return []  # files written before titles were kept: nothing to compare, nothing cached
    if not corpus.digest:
        return compute()
    from litreview.files.derived import cached, inputs_digest

    given = "read" if decisions is not None else "files"
    digest = inputs_digest(project, corpus, _files(project), "made-on", severity.value, given)
    return cached(project, "made-on", digest, compute)


def _any_kept(project: Project, decisions: Sequence[Decision] | None) -> bool:
    """Whether any file may keep a title (its bytes hold ``title:``; screening decisions as read
    hold one), without parsing anything."""
    from litreview.dedupe.store import absorbed_path

    if decisions is not None:
        # a screening's decisions not yet unpickled know whether any keeps a title
        titled = getattr(decisions, "titled", None)
        if titled if titled is not None else any(d.title for d in decisions):
            return True
    skip = {absorbed_path(project.duplicates), project.protocol}
    if decisions is not None:
        skip.update(project.decision_files())
    for path in _files(project):
        if path in skip:
            continue
        try:
            if _needle(project, path) in path.read_bytes():
                return True
        except OSError:
            continue
    return False


def _needle(project: Project, path: Path) -> bytes:
    """What a file that keeps a title holds: ``title:``, or ``_title:`` in the dedupe log (its
    unsure pairs' scores have a ``title:`` of their own)."""
    return f"_{FIELD}:".encode() if path == project.duplicates else f"{FIELD}:".encode()


def _kept_titles_map(project: Project, corpus: Corpus) -> Mapping[str, str] | None:
    """:func:`_titles` when the cache holds it for this corpus, else None (nothing computed)."""
    if not corpus.digest:
        return None
    from litreview.files.derived import inputs_digest, peek

    found = peek(project, "titles", inputs_digest(project, corpus, (), "titles"))
    return found if isinstance(found, dict) else None


def _titles(project: Project, corpus: Corpus) -> Mapping[str, str]:
    """Every record's title by key, kept in the derived-results cache for this corpus: a decision
    written changes a decisions file, not the corpus, and the records need not be read again."""
    from litreview.corpus.store import titles_by_key

    if not corpus.digest:
        return titles_by_key(corpus)
    from litreview.files.derived import cached, inputs_digest

    digest = inputs_digest(project, corpus, (), "titles")
    return cached(project, "titles", digest, lambda: titles_by_key(corpus))


def _changed_records(
    project: Project,
    corpus: Corpus,
    aliases: Mapping[str, str],
    decisions: Sequence[Decision] | None,
    severity: Severity,
) -> list[Problem]:
    from litreview.corpus.mergemap import MergeMap

    titles = _titles(project, corpus)
    merged = MergeMap(aliases)
    if decisions is not None:
        # most screening decisions keep their record's title as it is: settled here, before a
        # Kept is made for each (~200,000 objects in a screened 100k review)
        def stands(d: Decision) -> bool:
            survivor = merged.resolve(d.alias or d.key, titles)
            return survivor is None or same_work(d.title, titles[survivor])

        decisions = [d for d in decisions if d.title and not stands(d)]
    kept = list(kept_titles(project, decisions))
    if not kept:
        return []
    group = _Group(project, aliases)
    out: list[Problem] = []
    by_title: Callable[[str], str | None] | None = None
    for k in kept:
        survivor = merged.resolve(k.key, titles)
        if survivor is None:
            continue  # a key that names no record: the file's own check says so
        now = titles[survivor]
        if same_work(k.title, now):
            continue
        if any(same_work(k.title, t) for t in group.of(survivor, titles)):
            continue  # made on a record merged with this one: the same work
        if by_title is None:
            by_title = _finder(titles)
        elsewhere = by_title(k.title)
        out.append(
            Problem(
                Location(k.path, k.line, k.key),
                f"{_what(k)} {k.key} was made on “{k.title}”, but {k.key} is now "
                f"“{shorten(now)}”"
                + (f"; “{k.title}” is {elsewhere}" if elsewhere and elsewhere != survivor else ""),
                severity,
                "record-changed",
                _mend(k, elsewhere if elsewhere != survivor else None),
            )
        )
    return out


def _finder(titles: Mapping[str, str]) -> Callable[[str], str | None]:
    """The key of the one record whose title is ``recorded``'s work (None: none, or several)."""
    split = [(key, title, set(words(title))) for key, title in titles.items()]

    def find(recorded: str) -> str | None:
        mine = set(words(recorded))
        found = [
            key
            for key, title, its in split
            if len(mine & its) >= ALIKE * len(mine) - 1 and same_work(recorded, title)
        ]
        return found[0] if len(found) == 1 else None

    return find


def _what(k: Kept) -> str:
    if k.kind == "screening":
        who = k.item.get("reviewer") or Path(k.path).stem
        return f"{who}'s {'resolution' if k.item.get('resolves') is True else 'decision'} on"
    return {
        "fulltext": "the full-text item for",
        "duplicates": "the duplicate decision on",
        "consensus": "the consensus answer for",
        "override": "the theme override for",
        "appraisal": f"{Path(k.path).stem}'s appraisal of",
    }[k.kind]


def _mend(k: Kept, elsewhere: str | None) -> str:
    """How to mend one: move the decision to its work's key, or say it holds for this record."""
    move = (
        f"if it was meant for {elsewhere}, change {k.key} to {elsewhere} in this item"
        if elsewhere
        else "if it was meant for another record, change the key to that record's"
    )
    item = k.item
    if k.kind == "screening":
        args = [k.key, str(item.get("decision", "DECISION"))]
        if item.get("reason"):
            args += ["--reason", str(item["reason"])]
        args += ["--stage", str(item.get("stage", "STAGE"))]
        who = item.get("reviewer") or Path(k.path).stem
        args += ["--reviewer", str(who)]
        verb = "resolve" if item.get("resolves") is True else "decide"
        again = f"`litreview screen {verb} {' '.join(args)}`"
    elif k.kind == "fulltext":
        again = f"`litreview fulltext set {k.key} {item.get('status', 'STATUS')} ...`"
    elif k.kind == "duplicates":
        again = (
            f"`litreview dedupe decide {item.get('a')} {item.get('b')} "
            f"{item.get('decision', 'same|different')} --reviewer ID`"
        )
    elif k.kind == "consensus":
        again = f"`litreview appraise resolve {k.key} QUESTION ANSWER --reviewer ID`"
    else:  # a file written by hand
        return (
            f"{move}; if it holds for {k.key} as it is now, write its present title in `{k.field}:`"
        )
    return (
        f"{move}; if it holds for {k.key} as it is now, {again} records it again with the "
        f"present title (or write that title in `{k.field}:` by hand)"
    )
