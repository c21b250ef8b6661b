"""What waits for one reviewer, and in what order: the queue ``screen next`` and ``screen serve``
show, ranked by a model trained on the decisions made so far (:mod:`litreview.screen.rank`)."""

from __future__ import annotations

from collections import abc
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from litreview.outcomes import Outcome, StageOutcome
from litreview.text.wording import counted

if TYPE_CHECKING:
    from litreview.corpus.store import Corpus
    from litreview.model import Record
    from litreview.project import Project
    from litreview.protocol import Protocol
    from litreview.screen.engine import Decision, RecordScreening, ScreeningResult


def waiting_for(
    result: ScreeningResult,
    decisions: tuple[Decision, ...],
    reviewer: str,
    stage: str | None,
    resolving: bool,
    skipped: set[str],
) -> list[RecordScreening]:
    """The records ``next`` offers ``reviewer``, in the result's order.

    Deciding: waiting for a person at their stage, not in conflict, and not yet decided by this
    reviewer there (a record needing two reviewers waits until both decided). Resolving: in
    conflict at their stage, whoever decided them.
    """
    mine = {(d.key, d.stage) for d in decisions if d.reviewer == reviewer and not d.resolves}
    out = []
    for r in result.records:
        if (
            r.outcome != Outcome.NEEDS_PERSON
            or r.key in skipped
            or (stage is not None and r.stage != stage)
        ):
            continue
        conflict = bool(r.stages) and r.stages[-1].conflict
        if conflict if resolving else not conflict and (r.key, r.stage) not in mine:
            out.append(r)
    return out


def waiting_label(
    todo: list[RecordScreening], resolving: bool = False, stage_order: Sequence[str] = ()
) -> str:
    """How many records the queue holds, by stage (in ``stage_order``) when they wait at several:
    the panel's count must say what it counts, as the model's note counts the first stage's only."""
    if resolving:
        return f"{counted(len(todo), 'conflict')} to resolve"
    stages: dict[str, int] = {}
    for r in todo:
        stages[r.stage] = stages.get(r.stage, 0) + 1
    rank = {s: i for i, s in enumerate(stage_order)}
    by = ", ".join(
        f"{n} at {s}"
        for s, n in sorted(stages.items(), key=lambda kv: (rank.get(kv[0], 99), kv[0]))
    )
    return f"{len(todo)} waiting for you" + (f" ({by})" if len(stages) > 1 else "")


class RecordsByKey(abc.Mapping[str, "Record"]):
    """The corpus's records by key, each read when first asked for: ``next`` shows one record
    at a time, and the whole corpus is loaded only if the ranked queue's features must be built."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._known = frozenset(corpus.keys)

    def __getitem__(self, key: str) -> Record:
        if key not in self._known:
            raise KeyError(key)
        return self.corpus.record(key)

    def __iter__(self) -> abc.Iterator[str]:
        return iter(self.corpus.keys)

    def __len__(self) -> int:
        return len(self._known)

    def __contains__(self, key: object) -> bool:
        return key in self._known

    def values(self) -> Any:
        return self.corpus.records


class RankedQueue:
    """The ranked queue of ``next``: records waiting at the first stage (title-abstract), ordered
    by the model trained on people's decisions there (:mod:`litreview.screen.rank`); records waiting at
    later stages follow in key order.

    The features are built over the records the first stage's rules leave to a person (what a
    person screens there, whatever they decided since), once per corpus and protocol, and kept
    in the cache of derived results: deciding changes none of them. The records the rules
    settle are never ranked, and at 100k records they were three quarters of the minute the
    features took. A person's decision on one of those (an audit) is still a label: its vector
    is made in the same vocabulary when it is needed."""

    def __init__(
        self, protocol: Protocol, project: Project | None = None, corpus: Corpus | None = None
    ) -> None:
        self.protocol = protocol
        self.project, self.corpus = project, corpus
        self.stage = protocol.stage_ids[0] if protocol.stages else ""
        self.features: Any = None

    def _features(self, by_key: Mapping[str, Record], result: ScreeningResult) -> Any:
        import hashlib

        from litreview.screen.rank import build_features

        stage = self.stage
        keys = sorted(
            r.key
            for r in result.records
            if r.stages
            and r.stages[0].stage == stage
            and r.stages[0].rule_outcome == StageOutcome.NEEDS_PERSON
        )

        def build() -> Any:
            # in one pass over the corpus: a lazy corpus parses each record it is asked for
            # by key on its own
            wanted = set(keys)
            return build_features(r for r in by_key.values() if r.key in wanted)

        project, corpus = self.project, self.corpus
        if project is None or corpus is None or not corpus.digest:
            return build()
        from litreview.files.derived import cached, corpus_cache_ok, inputs_digest

        which = hashlib.sha256("\n".join(keys).encode()).hexdigest()
        digest = inputs_digest(project, corpus, (), "rank-features", stage, which)
        return cached(project, "rank-features", digest, build, corpus_cache_ok(project))

    def _with_vectors(self, keys: Iterable[str], by_key: Mapping[str, Record]) -> Any:
        """The features, with a vector in their vocabulary for each of ``keys`` that has none
        (a record the rules settled that a person decided all the same)."""
        from dataclasses import replace

        from litreview.screen.rank import record_terms

        features = self.features
        missing = sorted({k for k in keys if k not in features.vectors and k in by_key})
        if not missing:
            return features
        vectors = dict(features.vectors)
        for k in missing:
            vectors[k] = features.vector_of_terms(record_terms(by_key[k]))
        return replace(features, vectors=vectors)

    def order(
        self,
        todo: list[RecordScreening],
        result: ScreeningResult,
        decisions: tuple[Decision, ...],
        by_key: Mapping[str, Record],
    ) -> tuple[list[RecordScreening], list[str]]:
        from litreview.screen.rank import labels_from_decisions, rank, stop_rule

        first = [r for r in todo if r.stage == self.stage]
        if not first:
            return todo, []
        labels, in_order = labels_from_decisions(decisions, self.stage)
        if self.features is None:
            self.features = self._features(by_key, result)
        pool = [r.key for r in first]
        features = self._with_vectors([*labels, *pool], by_key)
        ranking = rank(features, labels, pool, self.protocol)
        where = {k: i for i, k in enumerate(ranking.order)}
        # a record without features (none expected) goes last, in key order
        ordered = sorted(first, key=lambda r: (where.get(r.key, len(where)), r.key)) + [
            r for r in todo if r.stage != self.stage
        ]
        basis = {
            "model": f"ordered by a model trained on {counted(ranking.included, 'include')} and "
            f"{counted(ranking.excluded, 'exclude')} at {self.stage}",
            "includes": f"ordered by similarity to the {counted(ranking.included, 'included record')} "
            "(no exclude yet)",
            "protocol": "ordered by similarity to the protocol's include terms (no include yet)",
            "key": "in key order (no include yet and the protocol has no include terms)",
        }[ranking.basis]
        note = [basis]
        if ranking.estimated_remaining is not None:
            note.append(
                f"about {ranking.estimated_remaining:.0f} includes estimated to remain among the "
                f"{len(first)} waiting at {self.stage} (an estimate)"
            )
        rule = stop_rule(self.protocol)
        if rule is not None:
            note.append(rule.status(in_order, len(labels) + len(first)).describe())
        return ordered, note
