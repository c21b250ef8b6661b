"""Deduplication of a review repository: the I/O edge around :func:`find_duplicates`.

Every write holds the corpus lock and changes ``records.bib``, ``duplicates.yaml`` and
``absorbed.bib`` together as one journalled change (:mod:`litreview.journal`); a file is written
only when its content changes.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, replace

from litreview.corpus import load_corpus, save_corpus
from litreview.errors import ConfigError, InputError
from litreview.fsutil import corpus_lock
from litreview.journal import Change
from litreview.model import Location, Problem, Record, Severity
from litreview.progress import Progress
from litreview.project import Project

from .engine import DIFFERENT, SAME, Decision, DedupeResult, find_duplicates
from .store import (
    DuplicatesFile,
    StoredMerge,
    absorbed_path,
    load_absorbed,
    load_duplicates,
    parse_entry,
    save_duplicates,
    unknown_decision_keys,
    unsure_entries,
)


def _load(project: Project) -> tuple[tuple[Record, ...], DuplicatesFile]:
    corpus = load_corpus(project.records, project.rel(project.records))
    if corpus.rejects:
        raise InputError([Problem(r.location, r.reason, Severity.ERROR, "corpus-unreadable") for r in corpus.rejects])
    dup = load_duplicates(project.duplicates, project.rel(project.duplicates))
    unknown = unknown_decision_keys(dup, {r.key for r in corpus.records}, project.rel(project.duplicates))
    if unknown:  # a hand-edited verdict the engine would pass over without a word
        raise ConfigError(unknown)
    return corpus.records, dup


def dedupe_project(project: Project, dry_run: bool = False, progress: Progress | None = None) -> DedupeResult:
    """Deduplicate the corpus, honouring every decision in ``duplicates.yaml``.

    Merges are appended to the file (the absorbed records verbatim to absorbed.bib); the unsure queue is
    replaced by this run's. Records imported since the last run are compared with the whole
    corpus; merges and decisions made earlier stay as they are.
    """
    with corpus_lock(project.corpus_dir) if not dry_run else contextlib.nullcontext():
        records, dup = _load(project)
        result = find_duplicates(records, dup.decisions, dup.aliases(), progress)
        if not dry_run:
            change = Change(project.corpus_dir, project.rel(project.corpus_dir))
            if result.merges:
                save_corpus(project.records, result.records, change)
            merges = dup.merges + tuple(StoredMerge.from_merge(m) for m in result.merges)
            save_duplicates(project.duplicates,
                            DuplicatesFile(dup.decisions, merges, unsure_entries(result.unsure), dup.legacy), change)
            change.commit()
    return result


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
        out.append(PairView(a, b, float(u.get("score") or 0.0), str(u.get("reason") or ""),
                            {str(k): float(v) for k, v in scores.items()}))
    return tuple(out)


def decide(project: Project, key1: str, key2: str, decision: str, reviewer: str = "", note: str = "",
           date: str | None = None) -> Decision:
    """Record a person's verdict on a pair; the next ``dedupe`` run applies it."""
    return decide_many(project, [(key1, key2, decision)], reviewer, note, date)[0]


def decide_many(project: Project, verdicts: Sequence[tuple[str, str, str]], reviewer: str = "", note: str = "",
                date: str | None = None) -> list[Decision]:
    """Record several ``(key1, key2, same|different)`` verdicts with one read and one write of the
    corpus and the dedupe log (``dedupe review`` saves a whole session this way)."""
    for key1, key2, decision in verdicts:
        if decision not in (SAME, DIFFERENT):
            raise InputError.at(Location(project.rel(project.duplicates)),
                                f"decision must be 'same' or 'different', not {decision!r}", code="bad-decision")
        if key1 == key2:
            raise InputError.at(Location(project.rel(project.duplicates), key=key1), "a pair needs two different keys",
                                code="bad-decision")
    if not verdicts:
        return []
    with corpus_lock(project.corpus_dir):
        records, dup = _load(project)
        known = {r.key for r in records} | set(dup.aliases())
        missing = list(dict.fromkeys(k for key1, key2, _ in verdicts for k in (key1, key2) if k not in known))
        if missing:
            from litreview.yamlio import suggest

            raise InputError([Problem(Location(project.rel(project.records), key=k), f"no record with key {k!r}",
                                      Severity.ERROR, "unknown-key", suggest(k, sorted(known))) for k in missing])
        day = date or datetime.date.today().isoformat()
        made = [Decision(key1, key2, decision, reviewer, day, note) for key1, key2, decision in verdicts]
        for d in made:
            dup = dup.with_decision(d)
        save_duplicates(project.duplicates, dup)
    return made


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
        records, dup = _load(project)
        dup = load_absorbed(project.duplicates, dup, shown)
        merges = list(dup.merges)
        target = next((i for i in range(len(merges) - 1, -1, -1) if key in merges[i].absorbed_keys), None)
        if target is not None:
            survivor = merges[target].survivor
            undo_idx = [i for i in range(target, len(merges)) if merges[i].survivor == survivor]
            marked = [key]
        else:
            survivor = key
            undo_idx = [i for i, m in enumerate(merges) if m.survivor == key]
            if not undo_idx:
                raise InputError.at(Location(shown, key=key), f"no merge involves {key!r}", code="unknown-merge",
                                    hint="`litreview dedupe` lists merges with --json")
            marked = [k for i in undo_idx for k in merges[i].absorbed_keys]
        by_key = {r.key: r for r in records}
        if survivor not in by_key:
            alias = dup.aliases().get(survivor)
            raise InputError.at(Location(shown, key=survivor), f"{survivor!r} is no longer in the corpus",
                                code="undo-order", hint=f"undo the merge into {alias!r} first" if alias else None)
        stored = project.rel(absorbed_path(project.duplicates)) if not dup.legacy else shown
        restored: list[Record] = []
        for i in undo_idx:
            for k, entry in merges[i].absorbed:
                restored.append(parse_entry(entry, f"{stored} [{k}]"))
        clash = [r.key for r in restored if r.key in by_key]
        if clash:
            raise InputError([Problem(Location(shown, key=k), f"cannot restore {k!r}: the key is in use again",
                                      Severity.ERROR, "undo-clash") for k in clash])
        by_key[survivor] = parse_entry(merges[undo_idx[0]].before, f"{stored} [{survivor}]")
        for r in restored:
            by_key[r.key] = r
        today = date or datetime.date.today().isoformat()
        made = tuple(Decision(survivor, k, DIFFERENT, reviewer, today, "merge undone") for k in marked)
        data = dup
        for d in made:
            data = data.with_decision(d)
        remaining = tuple(m for i, m in enumerate(merges) if i not in set(undo_idx))
        data = replace(data, merges=remaining)
        change = Change(project.corpus_dir, project.rel(project.corpus_dir))
        save_corpus(project.records, by_key.values(), change)
        save_duplicates(project.duplicates, data, change)
        change.commit()
    return UndoResult(survivor, tuple(sorted(r.key for r in restored)), len(undo_idx), made)
