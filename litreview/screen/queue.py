"""What waits for one reviewer, and in what order: the queue ``screen next`` and ``screen serve``
show, ranked by a model trained on the decisions made so far (:mod:`litreview.screen.rank`)."""

from __future__ import annotations

from collections import abc
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from litreview.outcomes import Outcome
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
    later stages follow in key order. The features of every record in the corpus are built once
    per corpus and kept in the cache of derived results: at 100k records building them takes
    about a minute, reading them back a second or two, and deciding changes none of them."""

    def __init__(
        self, protocol: Protocol, project: Project | None = None, corpus: Corpus | None = None
    ) -> None:
        self.protocol = protocol
        self.project, self.corpus = project, corpus
        self.stage = protocol.stage_ids[0] if protocol.stages else ""
        self.features: Any = None

    def _features(self, by_key: Mapping[str, Record]) -> Any:
        from litreview.screen.rank import build_features

        project, corpus = self.project, self.corpus
        if project is None or corpus is None or not corpus.digest:
            return build_features(by_key.values())
        from litreview.files.derived import cached, corpus_cache_ok, inputs_digest

        digest = inputs_digest(project, corpus, (), "rank-features")
        return cached(
            project,
            "rank-features",
            digest,
            lambda: build_features(by_key.values()),
            corpus_cache_ok(project),
        )

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
            self.features = self._features(by_key)
        ranking = rank(self.features, labels, [r.key for r in first], self.protocol)
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
