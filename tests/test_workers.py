"""Work split over forked workers gives exactly the answer of one process (issue 16)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from litreview import workers
from litreview.corpus.store import load_corpus
from litreview.protocol import load_protocol
from litreview.screen.engine import rule_results

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="workers are forked only on Linux"
)


def test_spans_cover_every_item_once_in_order() -> None:
    for items in (0, 1, 7, 10, 101):
        for parts in (1, 2, 3, 8):
            got = workers.spans(items, parts)
            assert [i for a, b in got for i in range(a, b)] == list(range(items))
            sizes = [b - a for a, b in got]
            assert max(sizes) - min(sizes) <= 1


def test_small_inputs_and_the_off_switch_stay_in_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert workers.worker_count(10, min_per_worker=100) == 1
    monkeypatch.setenv("LITREVIEW_WORKERS", "1")
    assert workers.worker_count(10**6, min_per_worker=1) == 1


@linux_only
def test_forked_slices_join_in_the_order_of_the_items(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITREVIEW_WORKERS", "2")
    import os

    data = list(range(1000))

    def job(start: int, stop: int) -> list[tuple[int, int]]:
        return [(x * x, os.getpid()) for x in data[start:stop]]

    out = workers.split_map(job, len(data), workers=3)
    assert [v for v, _ in out] == [x * x for x in data]
    pids = {p for _, p in out}
    assert len(pids) >= 2, "slices should have run in a forked worker as well as here"


@linux_only
@pytest.mark.parametrize("batch", [1, 7, 250, 1000, 5000])
def test_batches_come_in_order_and_join_to_what_one_split_gives(
    monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    import os

    monkeypatch.setenv("LITREVIEW_WORKERS", "2")
    data = list(range(1000))

    def job(start: int, stop: int) -> list[tuple[int, int]]:
        return [(x * x, os.getpid()) for x in data[start:stop]]

    got = list(workers.split_batches(job, len(data), batch, min_per_worker=1))
    assert [len(b) for b in got] == [
        min(batch, len(data) - low) for low in range(0, len(data), batch)
    ]
    flat = [v for b in got for v, _ in b]
    assert flat == [v for v, _ in workers.split_map(job, len(data), workers=1)]
    pids = {p for b in got for _, p in b}
    # one worker, forked once, serves every batch beside this process (a batch of one item
    # is this process's alone)
    assert len(pids) == (1 if batch == 1 else 2)


@linux_only
def test_a_worker_killed_in_one_batch_leaves_the_later_batches_to_this_process() -> None:
    import os
    import signal

    parent = os.getpid()

    def job(start: int, stop: int) -> list[int]:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return list(range(start, stop))

    got = [x for b in workers.split_batches(job, 100, 10, min_per_worker=1) for x in b]
    assert got == list(range(100))


@linux_only
def test_a_failing_worker_raises_in_the_caller() -> None:
    def job(start: int, stop: int) -> list[int]:
        if start == 0:
            raise ValueError("slice 0 broke")
        return list(range(start, stop))

    with pytest.raises(ValueError, match="slice 0 broke"):
        workers.split_map(job, 100, workers=2)


@linux_only
def test_screening_rules_split_over_workers_equal_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records = load_corpus(ROOT / "corpus" / "records.bib", use_cache=False).records
    protocol = load_protocol(ROOT / "review.yaml")
    monkeypatch.setenv("LITREVIEW_WORKERS", "1")
    alone = rule_results(records, protocol)
    monkeypatch.setenv("LITREVIEW_WORKERS", "2")
    monkeypatch.setattr(workers, "MIN_PER_WORKER", 10)
    assert workers.worker_count(len(records)) == 2
    split = rule_results(records, protocol)
    assert split == alone
    assert len(split) == len(records) > 100


@linux_only
def test_no_fork_when_copies_of_this_process_would_not_fit_in_free_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("LITREVIEW_WORKERS", raising=False)
    monkeypatch.setattr(workers.os, "sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert workers.worker_count(100_000, min_per_worker=10) == 2
    monkeypatch.setattr(workers, "_room_for_copies", lambda children: False)
    assert workers.worker_count(100_000, min_per_worker=10) == 1


@linux_only
def test_a_killed_worker_costs_time_not_the_answer() -> None:
    import os
    import signal

    parent = os.getpid()

    def job(start: int, stop: int) -> list[int]:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        return list(range(start, stop))

    assert workers.split_map(job, 100, workers=2) == list(range(100))


@linux_only
def test_screening_a_lazy_corpus_builds_each_records_slice_where_it_is_screened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.corpus.store import load_corpus
    from litreview.files import derived
    from litreview.project import Project
    from litreview.report.prisma import provenance_counts

    from .conftest import copy_of_shipped_review

    project = Project(copy_of_shipped_review(tmp_path / "reference"))
    full = load_corpus(project.records, "corpus/records.bib")  # fills the cache and its summary
    protocol = load_protocol(project.protocol)
    monkeypatch.setenv("LITREVIEW_WORKERS", "2")
    monkeypatch.setattr(workers, "MIN_PER_WORKER", 10)
    lazy = load_corpus(project.records, "corpus/records.bib", lazy=True)
    found = derived.rule_verdicts(project, lazy, protocol, use_cache=False)
    assert lazy._records is None, "the records were built in this process before screening"
    assert found.results == rule_results(full.records, protocol)
    assert found.counted == provenance_counts(full.records)
    assert lazy.records == full.records  # and they are still there when asked for


def _workers_used(monkeypatch: pytest.MonkeyPatch, module: object) -> list[int]:
    """Make ``module.split_map`` note how many processes each call splits its items over."""
    real, workers_of = workers.split_map, workers.worker_count
    used: list[int] = []

    def noting(
        job: Any, items: int, min_per_worker: int | None = None, workers: int | None = None
    ) -> list[Any]:
        used.append(workers_of(items, min_per_worker) if workers is None else workers)
        return real(job, items, min_per_worker, workers)

    monkeypatch.setattr(module, "split_map", noting)
    return used


def _alone_then_split(
    monkeypatch: pytest.MonkeyPatch,
    run: Callable[[], T],
    module: object,
    per_worker: str,
    small: int,
    calls_split_map: object,
) -> tuple[T, T, list[int]]:
    """``run()`` in one process, then again over two workers with ``module.per_worker`` made
    ``small`` so that even the shipped corpus is split; and the worker counts split_map used."""
    monkeypatch.setenv("LITREVIEW_WORKERS", "1")
    alone = run()
    monkeypatch.setenv("LITREVIEW_WORKERS", "2")
    monkeypatch.setattr(module, per_worker, small)
    used = _workers_used(monkeypatch, calls_split_map)
    return alone, run(), used


@linux_only
def test_dedupe_pairs_compared_over_workers_equal_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dataclasses import replace

    from litreview.dedupe import engine

    shipped = load_corpus(ROOT / "corpus" / "records.bib", use_cache=False).records
    # a second export of every third record: other key, title in capitals, no DOI
    copies = [
        replace(r, key=r.key + "x", title=r.title.upper(), doi="") for r in shipped[::3] if r.title
    ]
    records = [*shipped, *copies]
    alone, split, used = _alone_then_split(
        monkeypatch, lambda: engine.find_duplicates(records), engine, "PAIRS_PER_WORKER", 10, engine
    )
    # the pairs really were split (the run's other splits, each record's blocks and the
    # verdicts, have their own sizes: tests/test_dedupe_whole_process.py splits them too)
    assert used and max(used) > 1
    assert len(alone.merges) >= len(copies) // 2
    assert split.records == alone.records
    assert split.merges == alone.merges
    assert split.unsure == alone.unsure
    assert split.model == alone.model


@linux_only
def test_ranking_features_built_over_workers_equal_one_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from litreview.screen import rank

    records = load_corpus(ROOT / "corpus" / "records.bib", use_cache=False).records
    alone, split, used = _alone_then_split(
        monkeypatch, lambda: rank.build_features(records), rank, "FEATURES_PER_WORKER", 7, workers
    )
    assert len(used) == 2 and min(used) > 1  # both passes really were split
    assert split.vocabulary == alone.vocabulary and split.idf == alone.idf
    assert split.keys == alone.keys and split.vectors == alone.vectors
    assert len(alone.vocabulary) > 100  # a real vocabulary, not two empty ones compared
