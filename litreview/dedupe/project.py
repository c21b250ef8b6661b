"""Deduplication of a review repository: the I/O edge around :func:`find_duplicates`.

Every write holds the corpus lock and changes ``records.bib``, ``duplicates.yaml`` and
``absorbed.bib`` together as one journalled change (:mod:`litreview.files.journal`); a file is written
only when its content changes.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from litreview.corpus.store import (
    Corpus,
    borrows_fields,
    entries_as_read,
    load_corpus,
    placed_in_file,
    save_corpus,
    seal_corpus,
)
from litreview.errors import ConfigError, InputError
from litreview.files.fsutil import FileSpan, SpanReader, corpus_lock, digests_kept, lock_held
from litreview.files.journal import Change
from litreview.model import Location, Problem, Record, Severity
from litreview.progress import Progress
from litreview.project import Project
from litreview.review import shared_keys

from .engine import DedupeResult, Keyed, find_duplicates
from .model import Thresholds, from_yaml, to_yaml
from .pairs import DIFFERENT, SAME, Decision, Merge
from .rules import DUPLICATE, Verdict
from .store import (
    DuplicatesFile,
    StoredMerge,
    absorbed_path,
    holds_a_mark,
    load_absorbed,
    load_duplicates,
    parse_entry,
    save_duplicates,
    unknown_decision_keys,
    unsure_entries,
)


def _load(project: Project) -> tuple[tuple[Record, ...], DuplicatesFile]:
    corpus, dup = _load_both(project)
    return corpus.records, dup


def _load_both(
    project: Project, seal: bool = True, keep_rows: bool = False
) -> tuple[Corpus, DuplicatesFile]:
    """The corpus as read (so a write can reuse what is unchanged; ``keep_rows`` for a caller
    that will write it) and the dedupe log."""
    corpus = load_corpus(
        project.records, project.rel(project.records), seal=seal, keep_rows=keep_rows
    )
    if corpus.rejects:
        raise InputError(
            [
                Problem(r.location, r.reason, Severity.ERROR, "corpus-unreadable")
                for r in corpus.rejects
            ]
        )
    shared = shared_keys(corpus)
    if shared:  # at their lines in records.bib, as every other command says it
        raise InputError(shared)
    # from the derived-results cache when a reader of this log left it there (a dedupe after
    # `status` and a new import), else parsed, and not kept: a dedupe that merges replaces it
    from litreview.files.derived import duplicates as read_log

    dup = read_log(project, keep=False)
    unknown = unknown_decision_keys(
        dup, {r.key for r in corpus.records}, project.rel(project.duplicates)
    )
    if unknown:  # a hand-edited verdict the engine would pass over without a word
        raise ConfigError(unknown)
    return corpus, dup


class Originals(Mapping[str, tuple[Record, ...]]):
    """Survivor -> the records it was made of, from the merge log. absorbed.bib is read only
    when the matcher first asks, and then from the cache when the log and absorbed.bib are as
    the last dedupe left them (it keeps what it wrote, see :func:`dedupe_project`). Only a
    reader holding the corpus lock keeps what it parsed: ``check`` and a dry run only read."""

    def __init__(self, project: Project, dup: DuplicatesFile) -> None:
        self._project, self._dup = project, dup
        self._survivors = frozenset(m.survivor for m in dup.merges)
        self._loaded: dict[str, tuple[Record, ...]] | None = None

    @property
    def known(self) -> dict[str, tuple[Record, ...]] | None:
        """What has been read (empty for a log without merges), or None when nothing asked."""
        return {} if not self._survivors else self._loaded

    def _load(self) -> dict[str, tuple[Record, ...]]:
        if self._loaded is None:
            from litreview.files.derived import peek

            project = self._project
            legacy = self._dup.legacy  # a version 1 log: rewritten as version 2 by the next write
            digest = "" if legacy else originals_digest(project)
            kept = peek(project, "dedupe-originals", digest) if digest else None
            # the files' records serve this log only if they are of its survivors: a reader
            # without the corpus lock may hold a log a merge or an undo has since replaced
            if isinstance(kept, dict) and kept.keys() == self._survivors:
                self._loaded = kept
            else:
                self._loaded = self.parse()
                # kept only by a reader that holds the corpus lock (a dedupe about to write),
                # and only when the files are still those the digest is of: `check` and a dry
                # run read without it, and a dedupe elsewhere (or a `git pull`) may change
                # duplicates.yaml and absorbed.bib between their reading the log and
                # absorbed.bib; the old log's records kept under the new files' digest would be
                # read by the next dedupe as the new log's
                if digest and lock_held(project.corpus_dir) and originals_digest(project) == digest:
                    _remember(project, digest, self._loaded)
        return self._loaded

    def parse(self) -> dict[str, tuple[Record, ...]]:
        """What each survivor was made of, read from the log's stored entries (no cache)."""
        project = self._project
        dup = (
            self._dup
            if self._dup.legacy
            else load_absorbed(project.duplicates, self._dup, project.rel(project.duplicates))
        )
        shown = (
            project.rel(absorbed_path(project.duplicates))
            if not dup.legacy
            else project.rel(project.duplicates)
        )
        out: dict[str, tuple[Record, ...]] = {}
        for m in dup.merges:
            parts = [parse_entry(e, f"{shown} [{k}]") for k, e in m.absorbed]
            first = out.get(m.survivor) or (parse_entry(m.before, f"{shown} [{m.survivor}]"),)
            out[m.survivor] = (*first, *parts)
        return out

    def __contains__(self, key: object) -> bool:
        return key in self._survivors

    def __getitem__(self, key: str) -> tuple[Record, ...]:
        if key not in self._survivors:
            raise KeyError(key)
        return self._load()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._survivors))

    def __len__(self) -> int:
        return len(self._survivors)


def originals_digest(project: Project) -> str:
    """What the records each survivor was made of depend on: the dedupe log and absorbed.bib
    ("" when derived results are not cached here)."""
    from litreview.files.derived import corpus_cache_ok, files_digest

    if not corpus_cache_ok(project):
        return ""
    return files_digest(
        project, (project.duplicates, absorbed_path(project.duplicates)), "dedupe-originals"
    )


def _remember(project: Project, digest: str, originals: dict[str, tuple[Record, ...]]) -> None:
    """Keep the records each survivor was made of for the files ``digest`` is of: a dedupe
    after a dedupe that merged (a new search imported, or the same command again) reads them
    from the cache in ~0.8 s instead of parsing ~25,000 stored entries (~3.5 s at 100k)."""
    from litreview.files.derived import remember

    remember(project, "dedupe-originals", digest, originals)


def _originals_after(
    earlier: Mapping[str, tuple[Record, ...]],
    merges: Sequence[Merge],
    stored: Sequence[StoredMerge],
    exact: set[int],
    shown: str,
) -> dict[str, tuple[Record, ...]]:
    """The originals :class:`Originals` reads from the log after these merges were appended to
    it: ``earlier``'s, then each merge's records as its stored entries read back, which is the
    record itself when its entry is known to read back as it (``exact`` holds its ``id``) and a
    parse of the entry otherwise."""
    out = dict(earlier)
    for m, sm in zip(merges, stored, strict=True):
        e = sm._entries()
        before = (
            m.before if id(m.before) in exact else parse_entry(e.before, f"{shown} [{m.survivor}]")
        )
        parts = tuple(
            r if id(r) in exact else parse_entry(text, f"{shown} [{k}]")
            for r, (k, text) in zip(m.absorbed, e.absorbed, strict=True)
        )
        out[m.survivor] = (*out.get(m.survivor, (before,)), *parts)
    return out


def records_digest(keys: Iterable[str], aliases: Mapping[str, str]) -> str:
    """Which records a model was fitted on: every key read, whether it survives or was absorbed.
    Merging does not change it, so a second run reuses the first run's weights and changes
    nothing; a new import changes it, and the weights are fitted again."""
    digest = hashlib.sha256("\n".join(sorted({*keys, *aliases})).encode("utf-8")).hexdigest()
    return "keys-" + digest[:16]


def match(
    project: Project,
    records: Sequence[Record],
    dup: DuplicatesFile,
    progress: Progress | None = None,
    thresholds: Thresholds | None = None,
    originals: Originals | None = None,
    keyed: Callable[[], Mapping[str, Keyed] | None] | None = None,
    keep_keyed: Callable[[Mapping[str, Keyed]], None] | None = None,
) -> tuple[DedupeResult, dict[str, Any] | None]:
    """The matcher as ``dedupe`` and ``check`` both run it: the weights kept in the dedupe log
    while the records are the ones they were fitted on (else fitted anew), the thresholds kept
    there (or given), and each survivor's original records. Returns the result and the
    ``model`` section the log should hold afterwards. ``keyed``, ``keep_keyed``: read and
    keep the records' blocking keys (:func:`find_duplicates`)."""
    aliases = dup.aliases()
    fitted_on = records_digest([r.key for r in records], aliases)
    stored = dict(dup.model or {})
    if thresholds is None:
        thresholds = thresholds_from(stored)
    kept = from_yaml(stored) if stored.get("fitted_on") == fitted_on else None
    result = find_duplicates(
        records,
        dup.decisions,
        aliases,
        progress,
        thresholds,
        model=kept,
        originals=originals if originals is not None else Originals(project, dup),
        screened=screened_by_reviewer(project, [r.key for r in records], aliases),
        keyed=keyed,
        keep_keyed=keep_keyed,
        pending=[(str(u["a"]), str(u["b"])) for u in dup.unsure if "a" in u and "b" in u],
    )
    section = (
        stored if kept is not None else (to_yaml(result.model, fitted_on) if result.model else None)
    )
    if section is not None:
        section = {**section, "merge_at": thresholds.merge_at, "queue_at": thresholds.queue_at}
    return result, section


def screened_by_reviewer(
    project: Project, keys: Sequence[str] | None, aliases: Mapping[str, str]
) -> dict[str, dict[tuple[str, str], str]]:
    """Each record's screening decisions: key -> (reviewer, stage) -> the decision (and its
    reason), for the matcher to keep apart what one reviewer screened differently
    (:func:`find_duplicates`). Empty when nobody decided anything yet; also when review.yaml
    cannot be read, which every screening command reports (dedupe needs none of it)."""
    if not any(p.is_file() for p in project.decision_files()):
        return {}
    from litreview.errors import LitreviewError
    from litreview.review import Review
    from litreview.screen.reviewers import load_all_decisions

    try:
        protocol = Review.of(project).protocol
        decisions, _problems = load_all_decisions(project, keys, protocol, aliases)
    except LitreviewError:
        return {}
    out: dict[str, dict[tuple[str, str], str]] = {}
    for d in decisions:
        said = f"{d.decision}: {d.reason}" if d.reason else str(d.decision)
        # a person's resolutions are refused twice on one record as their decisions are
        who = f"{d.reviewer} (resolving)" if d.resolves else d.reviewer
        out.setdefault(d.key, {})[(who, d.stage)] = said
    return out


def current_thresholds(project: Project) -> Thresholds:
    """The thresholds the dedupe log keeps (defaults when it keeps none)."""
    return thresholds_from(
        load_duplicates(project.duplicates, project.rel(project.duplicates)).model or {}
    )


def thresholds_from(section: Mapping[str, Any]) -> Thresholds:
    """The thresholds a person set in the dedupe log's ``model`` section (defaults otherwise)."""
    default = Thresholds()
    values = []
    for name in ("merge_at", "queue_at"):
        v = section.get(name, getattr(default, name))
        values.append(
            float(v)
            if isinstance(v, int | float) and 0.0 < float(v) < 1.0
            else getattr(default, name)
        )
    merge_at, queue_at = values
    return Thresholds(merge_at, min(queue_at, merge_at))


def dedupe_project(
    project: Project,
    dry_run: bool = False,
    progress: Progress | None = None,
    thresholds: Thresholds | None = None,
) -> DedupeResult:
    """Deduplicate the corpus, honouring every decision in ``duplicates.yaml``.

    Merges are appended to the file (the absorbed records verbatim to absorbed.bib); the unsure queue is
    replaced by this run's. Records imported since the last run are compared with the whole
    corpus; merges and decisions made earlier stay as they are.
    """
    with (
        corpus_lock(project.corpus_dir) if not dry_run else contextlib.nullcontext(),
        digests_kept(),  # each file hashed once per state, not once per question about it
    ):
        # the last run over exactly these files merged nothing: a run now would find what it found
        if not dry_run:
            started = time.perf_counter()
            known = settled_result(project, thresholds)
            if known is not None:
                return replace(known, seconds=time.perf_counter() - started)
        # a corpus parsed here is cached only if this run does not rewrite it (save_corpus
        # caches what it writes): sealing 100k records for nothing costs seconds
        corpus, dup = _load_both(project, seal=False, keep_rows=not dry_run)
        originals = Originals(project, dup)
        keyed = _KeptKeyed(project, corpus.digest, keep=not dry_run)
        result, model = match(
            project, corpus.records, dup, progress, thresholds, originals, keyed.read, keyed.keep
        )
        if dry_run or not result.merges:
            seal_corpus(project.records, corpus)
        if not dry_run:
            written_digest = ""
            passed_on: tuple[str, ...] = ()
            with (
                Change(project.corpus_dir, project.rel(project.corpus_dir)) as change,
                SpanReader() as spans,
            ):
                as_read = entries_as_read(project.records, corpus) if result.merges else None
                if result.merges:
                    written_digest = save_corpus(
                        project.records,
                        result.records,
                        change,
                        previous=corpus,
                        old_entries=as_read,
                    )
                    passed_on = _written_as_read(result, as_read)
                exact: set[int] = set()  # ids of records whose stored entry reads back as them
                entry_of = _entry_as_read(corpus, as_read, exact, spans)
                added = tuple(StoredMerge.from_merge(m, entry_of) for m in result.merges)
                merges = dup.merges + added
                written = DuplicatesFile(
                    dup.decisions, merges, unsure_entries(result.unsure), model, dup.legacy
                )
                save_duplicates(project.duplicates, written, change)
                # the corpus as read is not needed past here: its records' cache rows alone are
                # ~0.75 GB at 1M records
                del as_read, entry_of, corpus
            from litreview.files.derived import remember_aliases

            remember_aliases(project, written)  # the next command need not parse the log again
            if result.merges and passed_on:
                keyed.link(written_digest, passed_on)
            earlier = originals.known
            if result.merges and earlier is not None and not dup.legacy:
                shown = project.rel(absorbed_path(project.duplicates))
                digest = originals_digest(project)  # of the files as this change left them
                if digest:
                    _remember(
                        project,
                        digest,
                        _originals_after(earlier, result.merges, added, exact, shown),
                    )
            if not result.merges:
                # a run that merged nothing is a fixed point (a second run changes nothing, which the
                # tests pin): remember what it found for exactly the files it leaves
                after = _settled_digest(project, thresholds)
                if after:
                    from litreview.files.derived import remember

                    watched = result.screening_watched
                    kept = replace(
                        result,
                        records=(),
                        judge=None,
                        records_after=len(result.records),
                        log=None,
                        passed_on=(),
                    )
                    decisions = _watched_digest(project, watched) if watched else ""
                    remember(project, "dedupe-settled", after, _Settled(kept, watched, decisions))
            return replace(result, log=written)
    return replace(result, log=dup)


def _keyed_digest(project: Project, corpus_digest: str) -> str:
    """What the blocking keys kept for a corpus file depend on: litreview's code and the file's
    bytes ("" when derived results are not cached here)."""
    from litreview.files.derived import corpus_cache_ok, files_digest

    if not corpus_digest or not corpus_cache_ok(project):
        return ""
    return files_digest(project, (), "dedupe-keyed", corpus_digest=corpus_digest)


class _KeptKeyed:
    """The records' blocking keys (:func:`~litreview.dedupe.engine.find_duplicates`'s
    ``keyed``) kept in the cache, for the corpus file whose digest is ``corpus_digest``: every
    record's as a dedupe over that file made them ("dedupe-keyed"), or, for a file a dedupe
    wrote, a link to the file it read and the keys of the records it wrote back as the very
    text they were read from ("dedupe-keyed-for"), whose keys are those of the file it read.
    A run after a dedupe that merged (the same command again) then makes them for the merged
    records alone, not for 100k records (~2 s)."""

    def __init__(self, project: Project, corpus_digest: str, keep: bool) -> None:
        self.project, self.corpus_digest, self.keeps = project, corpus_digest, keep
        self.digest = _keyed_digest(project, corpus_digest)
        self.whole = False  # whether the cache holds this file's records' keys as they are

    def read(self) -> dict[str, Keyed] | None:
        from litreview.files.derived import peek

        if not self.digest:
            return None
        found = peek(self.project, "dedupe-keyed", self.digest)
        if isinstance(found, dict):
            self.whole = True
            return found
        link = peek(self.project, "dedupe-keyed-for", self.digest)
        if not (isinstance(link, tuple) and len(link) == 2):
            return None
        read_from, keys = link
        earlier = peek(self.project, "dedupe-keyed", _keyed_digest(self.project, read_from))
        if not isinstance(earlier, dict):
            return None
        return {k: earlier[k] for k in keys if k in earlier}

    def keep(self, keyed: Mapping[str, Keyed]) -> None:
        """Keep every record's keys for this file (unless the cache holds them already)."""
        from litreview.files.derived import remember

        if self.keeps and self.digest and not self.whole:
            remember(self.project, "dedupe-keyed", self.digest, dict(keyed), tree=True)

    def link(self, written_digest: str, passed_on: Sequence[str]) -> None:
        """For the file just written (``written_digest``): the keys of its records that are
        this file's records, written back as read."""
        from litreview.files.derived import remember

        digest = _keyed_digest(self.project, written_digest)
        if self.keeps and self.digest and digest:
            value = (self.corpus_digest, tuple(passed_on))
            remember(self.project, "dedupe-keyed-for", digest, value, tree=True)


def _written_as_read(
    result: DedupeResult, as_read: Mapping[str, FileSpan | bytes] | None
) -> tuple[str, ...]:
    """The keys of the records ``save_corpus`` writes back as the very text they were read from
    (so that reading the new file gives each the record it was made of); none when an entry
    borrows another's fields (``crossref``), whose reading depends on that other entry, which
    may be merged."""
    if not as_read or any(borrows_fields(r) for r in result.records):
        return ()
    return tuple(k for k in result.passed_on if k in as_read)


def _entry_as_read(
    corpus: Corpus,
    as_read: Mapping[str, FileSpan | bytes] | None,
    exact: set[int],
    spans: SpanReader,
) -> Callable[[Record], str] | None:
    """A record's entry for absorbed.bib: the text the corpus file holds for it when the record
    is the one read from that text (the same object) and that text, read alone from
    absorbed.bib, gives the same record: its provenance is its own, not made from its place in
    records.bib, it borrows no fields through crossref, and no line of it looks like one of
    absorbed.bib's block marks. Otherwise the entry is formatted anew.

    The ``id`` of each record whose entry is known to read back as the record goes to
    ``exact``: one kept as read (:func:`entries_as_read` gives no text for a file with anything
    but entries in it, a macro an entry read alone would miss among them), or one formatted
    anew that :func:`reads_back_unchanged` vouches for."""
    if not as_read:
        return None
    from litreview.io.bibtex import format_entry, reads_back_unchanged

    read = {r.key: r for r in corpus.records}

    def entry_of(record: Record) -> str:
        raw = as_read.get(record.key)
        if (
            raw is not None
            and read.get(record.key) is record
            and not placed_in_file(record, corpus.path)
            and not borrows_fields(record)
        ):
            text = (spans.read(raw) if isinstance(raw, FileSpan) else raw).decode("utf-8")
            if not holds_a_mark(text):
                exact.add(id(record))
                return text
        if reads_back_unchanged(record):
            exact.add(id(record))
        return format_entry(record)

    return entry_of


@dataclass(frozen=True)
class _Settled:
    """What a dedupe run that merged nothing found, for a run over the same files: its result,
    the records whose screening decisions shaped it
    (:attr:`DedupeResult.screening_watched`), and a digest
    of those decisions then. A person's screening elsewhere cannot change what such a run
    finds (decisions only keep apart what would merge, and nothing did), so it does not make
    the next dedupe compare everything again."""

    result: DedupeResult
    watched: tuple[str, ...]
    decisions: str


def settled_result(project: Project, thresholds: Thresholds | None = None) -> DedupeResult | None:
    """What a dedupe run over exactly these files found, when the last run over them merged
    nothing (a fixed point: a run now would find the same), else None. Its records are left
    out; ``records_after`` counts them."""
    from litreview.files.derived import peek

    key = _settled_digest(project, thresholds)
    known = peek(project, "dedupe-settled", key) if key else None
    if isinstance(known, _Settled) and (
        not known.watched or _watched_digest(project, known.watched) == known.decisions
    ):
        return known.result
    return None


def _settled_digest(project: Project, thresholds: Thresholds | None) -> str:
    """What the outcome of a dedupe run that merged nothing depends on besides the watched
    decisions (:class:`_Settled`): litreview's code, the thresholds asked for and the bytes of
    records.bib, duplicates.yaml and absorbed.bib ("" when there is no corpus yet)."""
    from litreview.files.derived import corpus_cache_ok, files_digest

    if not project.records.exists() or not corpus_cache_ok(project):
        return ""
    return files_digest(
        project,
        (project.records, project.duplicates, absorbed_path(project.duplicates)),
        "dedupe-settled",
        repr(thresholds),
    )


def _watched_digest(project: Project, watched: Sequence[str]) -> str:
    """A digest of the screening decisions on the ``watched`` records, as the matcher reads
    them (:func:`screened_by_reviewer`)."""
    from litreview.review import Review

    screened = screened_by_reviewer(project, None, Review.of(project).aliases)
    text = repr([(k, sorted(screened.get(k, {}).items())) for k in watched])
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class PairView:
    """An unsure pair with both records, for listing and review."""

    a: Record
    b: Record
    score: float
    reason: str
    scores: dict[str, float]


def list_unsure(project: Project) -> tuple[PairView, ...]:
    """The unsure pairs stored by the last run whose records are still in the corpus."""
    records, dup = _load(project)
    by_key = {r.key: r for r in records}
    decided = {d.pair for d in dup.decisions}
    out = []
    for u in dup.unsure:
        a, b = by_key.get(u["a"]), by_key.get(u["b"])
        if a is None or b is None or tuple(sorted((a.key, b.key))) in decided:
            continue
        scores = u.get("scores") or {}
        out.append(
            PairView(
                a,
                b,
                float(u.get("score") or 0.0),
                str(u.get("reason") or ""),
                {str(k): float(v) for k, v in scores.items()},
            )
        )
    return tuple(out)


def decide(
    project: Project,
    key1: str,
    key2: str,
    decision: str,
    reviewer: str = "",
    note: str = "",
    date: str | None = None,
    keep: str = "",
) -> Decision:
    """Record a person's verdict on a pair; the next ``dedupe`` run applies it. ``keep``: for
    ``same``, the record that survives (default: a published version over a preprint, then
    the key that sorts first)."""
    if keep and keep not in (key1, key2):
        raise InputError.at(
            Location(project.rel(project.duplicates), key=keep),
            f"--keep {keep!r} is neither {key1!r} nor {key2!r}",
            code="bad-decision",
        )
    if keep and decision != SAME:
        raise InputError.at(
            Location(project.rel(project.duplicates), key=keep),
            "--keep only goes with 'same'",
            code="bad-decision",
        )
    return decide_many(project, [(key1, key2, decision)], reviewer, note, date, keep)[0]


def decide_many(
    project: Project,
    verdicts: Sequence[tuple[str, str, str]],
    reviewer: str = "",
    note: str = "",
    date: str | None = None,
    keep: str = "",
) -> list[Decision]:
    """Record several ``(key1, key2, same|different)`` verdicts with one read and one write of the
    corpus and the dedupe log (``dedupe review`` saves a whole session this way)."""
    for key1, key2, decision in verdicts:
        if decision not in (SAME, DIFFERENT):
            raise InputError.at(
                Location(project.rel(project.duplicates)),
                f"decision must be 'same' or 'different', not {decision!r}",
                code="bad-decision",
            )
        if key1 == key2:
            raise InputError.at(
                Location(project.rel(project.duplicates), key=key1),
                "a pair needs two different keys",
                code="bad-decision",
            )
    if not verdicts:
        return []
    with corpus_lock(project.corpus_dir):
        records, dup = _load(project)
        known = {r.key for r in records} | set(dup.aliases())
        missing = list(
            dict.fromkeys(k for key1, key2, _ in verdicts for k in (key1, key2) if k not in known)
        )
        if missing:
            raise _no_such_keys(project, missing, known)
        _refuse_different_for_a_merge(project, dup, verdicts)
        day = date or datetime.date.today().isoformat()
        # each key keeps the title of its record now (a key a merge absorbed: its survivor's),
        # so that `check` sees a key that later names another work (litreview.corpus.madeon)
        from litreview.corpus.madeon import title_of
        from litreview.corpus.mergemap import MergeMap

        by_key = {r.key: r for r in records}
        merged = MergeMap(dup.aliases())

        def title(key: str) -> str:
            found = merged.resolve(key, by_key)
            return title_of(by_key[found]) if found is not None else ""

        made = [
            Decision(
                key1,
                key2,
                decision,
                reviewer,
                day,
                note,
                keep if keep in (key1, key2) else "",
                title(key1),
                title(key2),
            )
            for key1, key2, decision in verdicts
        ]
        for d in made:
            dup = dup.with_decision(d)
        save_duplicates(project.duplicates, dup)
    return made


def _refuse_different_for_a_merge(
    project: Project, dup: DuplicatesFile, verdicts: Sequence[tuple[str, str, str]]
) -> None:
    """A 'different' for two keys a merge made one record would be stored and honoured nowhere
    (the merge stays): the person is told to undo the merge, which records them as different."""
    from litreview.corpus.mergemap import MergeMap

    aliases = dup.aliases()
    survivor = MergeMap(aliases).final
    problems = []
    for key1, key2, decision in verdicts:
        if decision != DIFFERENT or survivor(key1) != survivor(key2):
            continue
        absorbed = key1 if key1 in aliases else key2
        kept = survivor(absorbed)
        problems.append(
            Problem(
                Location(project.rel(project.duplicates), key=absorbed),
                f"{absorbed} was merged into {kept}, so a 'different' decision on {key1} and "
                f"{key2} would change nothing",
                Severity.ERROR,
                "bad-decision",
                f"`litreview dedupe undo {absorbed}` restores it and records it as different "
                f"from {kept}",
            )
        )
    if problems:
        raise InputError(problems)


@dataclass(frozen=True)
class UndoResult:
    survivor: str
    restored: tuple[str, ...]
    merges_undone: int
    decisions: tuple[Decision, ...]


def undo(project: Project, key: str, reviewer: str = "", date: str | None = None) -> UndoResult:
    """Undo merges, restoring the absorbed records exactly as they were.

    ``key`` may be a survivor (all its merges are undone, and each restored record is marked
    ``different`` from it so the next run does not merge them again) or an absorbed record
    (the merge that absorbed it and any later merges into the same survivor are undone; only
    that record is marked ``different``, the others are merged again by the next run).
    """
    shown = project.rel(project.duplicates)
    with corpus_lock(project.corpus_dir):
        corpus, dup = _load_both(project, keep_rows=True)
        records = corpus.records
        dup = load_absorbed(project.duplicates, dup, shown)
        merges = list(dup.merges)
        target = next(
            (i for i in range(len(merges) - 1, -1, -1) if key in merges[i].absorbed_keys), None
        )
        if target is not None:
            survivor = merges[target].survivor
            undo_idx = [i for i in range(target, len(merges)) if merges[i].survivor == survivor]
            marked = [key]
        else:
            survivor = key
            undo_idx = [i for i, m in enumerate(merges) if m.survivor == key]
            if not undo_idx:
                raise InputError.at(
                    Location(shown, key=key),
                    f"no merge involves {key!r}",
                    code="unknown-merge",
                    hint="`litreview dedupe` lists merges with --json",
                )
            marked = [k for i in undo_idx for k in merges[i].absorbed_keys]
        by_key = {r.key: r for r in records}
        if survivor not in by_key:
            alias = dup.aliases().get(survivor)
            raise InputError.at(
                Location(shown, key=survivor),
                f"{survivor!r} is no longer in the corpus",
                code="undo-order",
                hint=f"undo the merge into {alias!r} first" if alias else None,
            )
        stored = project.rel(absorbed_path(project.duplicates)) if not dup.legacy else shown
        restored: list[Record] = []
        for i in undo_idx:
            for k, entry in merges[i].absorbed:
                restored.append(parse_entry(entry, f"{stored} [{k}]"))
        clash = [r.key for r in restored if r.key in by_key]
        if clash:
            raise InputError(
                [
                    Problem(
                        Location(shown, key=k),
                        f"cannot restore {k!r}: the key is in use again",
                        Severity.ERROR,
                        "undo-clash",
                    )
                    for k in clash
                ]
            )
        by_key[survivor] = parse_entry(merges[undo_idx[0]].before, f"{stored} [{survivor}]")
        for r in restored:
            by_key[r.key] = r
        today = date or datetime.date.today().isoformat()
        made = tuple(
            Decision(survivor, k, DIFFERENT, reviewer, today, "merge undone") for k in marked
        )
        data = dup
        for d in made:
            data = data.with_decision(d)
        remaining = tuple(m for i, m in enumerate(merges) if i not in set(undo_idx))
        data = replace(data, merges=remaining)
        with Change(project.corpus_dir, project.rel(project.corpus_dir)) as change:
            save_corpus(project.records, by_key.values(), change, previous=corpus)
            save_duplicates(project.duplicates, data, change)
    return UndoResult(survivor, tuple(sorted(r.key for r in restored)), len(undo_idx), made)


def explain_pair(project: Project, key1: str, key2: str) -> dict[str, Any]:
    """How the matcher sees two records: each field's agreement level and the bits it adds,
    the prior, the probability, the outcome and the rule that decided it."""
    from .engine import follow
    from .model import FIELDS, probability

    records, dup = _load(project)
    aliases = dup.aliases()
    by_key = {r.key: r for r in records}
    missing = [k for k in (key1, key2) if k not in by_key and k not in aliases]
    if missing:
        raise _no_such_keys(project, missing, by_key)
    result, section = match(project, records, dup)
    model = result.model
    assert model is not None
    thresholds = thresholds_from(section or {})

    # an absorbed key is compared as it was read (absorbed.bib keeps it), not as its survivor:
    # "why was this one merged?" is a question about the record itself
    absorbed: dict[str, Record] = {}
    if any(k in aliases for k in (key1, key2)):
        from .store import load_absorbed, parse_entry

        full = load_absorbed(project.duplicates, dup, project.rel(project.duplicates))
        for m in full.merges:
            for k, entry in m.absorbed:
                if k in (key1, key2):
                    absorbed[k] = parse_entry(entry, project.rel(absorbed_path(project.duplicates)))
    a = absorbed.get(key1) or by_key[follow(aliases, key1)]
    b = absorbed.get(key2) or by_key[follow(aliases, key2)]
    assert result.judge is not None
    v = result.judge(a, b)
    fields = []
    for (name, levels), level in zip(FIELDS, v.levels, strict=True):
        fields.append(
            {
                "field": name,
                "level": "missing" if level < 0 else levels[level],
                "bits": None if level < 0 else round(model.weights[name][level], 2),
            }
        )
    return {
        "a": a.key,
        "b": b.key,
        "held_back": _held_back(v, probability(v.bits), thresholds),
        "asked": [key1, key2],
        "absorbed": sorted(absorbed),
        "fields": fields,
        "prior_bits": round(model.prior_bits, 2),
        "bits": v.bits,
        "probability": round(probability(v.bits), 6),
        "outcome": v.outcome,
        "reason": v.reason,
        "rule": v.rule or None,
        "merge_at": thresholds.merge_at,
        "queue_at": thresholds.queue_at,
    }


def _held_back(v: Verdict, prob: float, thresholds: Thresholds) -> str:
    """Why a pair the weights alone would merge is not merged, where the reason does not say
    it outright: a probability above ``merge_at`` beside ``unsure`` reads as a contradiction."""
    if v.outcome == DUPLICATE or prob < thresholds.merge_at or v.rule:
        return ""  # merged, under the threshold, or a rule named beside the reason
    if v.conflicts:
        return (
            f"the two differ in {', '.join(v.conflicts)}, which this library's duplicates seldom"
            " differ in"
        )
    title = v.scores.get("title")
    shared_id = bool(v.levels) and v.levels[-1] == 0  # the id field: a DOI or a PMID
    if title is not None and title < 90 and not shared_id:
        return f"the titles agree at {title:g}, below 90, and no DOI or PMID is shared"
    return "the evidence the reason names is not enough on its own (see the reason)"


def _no_such_keys(project: Project, missing: Iterable[str], known: Iterable[str]) -> InputError:
    """The error for keys the corpus does not hold, each with the nearest of ``known``."""
    from litreview.files.yamlio import suggest

    choices = sorted(known)
    return InputError(
        [
            Problem(
                Location(project.rel(project.records), key=k),
                f"no record with key {k!r}",
                Severity.ERROR,
                "unknown-key",
                suggest(k, choices),
            )
            for k in missing
        ]
    )
