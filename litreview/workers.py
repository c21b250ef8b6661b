"""Work split over the machine's cores, for the few loops that touch every record.

Screening 100k records, or reading a 160 MB export, is pure Python work per record: one core
does it at one speed whatever we write, so a second core is the largest saving left. Workers
are forked (Linux), so they see the parent's records and compiled rules without pickling them;
only each slice's results travel back. Where forking is not the platform's way (Windows, macOS)
or the input is small, the same function runs in this process: the answer never depends on
how it was computed, which the tests pin by comparing both paths.

``LITREVIEW_WORKERS=1`` turns it off (and ``=N`` caps it).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Generator, Sequence
from itertools import pairwise
from typing import Any, TypeVar

T = TypeVar("T")

#: below this many items per worker, forking costs more than it saves
MIN_PER_WORKER = 5_000

#: a part of an export's text read on its own is at least this long (~5k records with abstracts)
TEXT_PART_CHARS = 8_000_000

#: the job the forked workers run (set just before forking, cleared after)
_JOB: Callable[[int, int], Any] | None = None


def worker_count(items: int, min_per_worker: int | None = None) -> int:
    """How many processes to split ``items`` over: 1 where forking is unavailable or not worth
    it, else up to the cores this process may use."""
    if min_per_worker is None:
        min_per_worker = MIN_PER_WORKER
    if not sys.platform.startswith("linux") or items < 2 * min_per_worker:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - Linux always has it
        cores = os.cpu_count() or 1
    wanted = os.environ.get("LITREVIEW_WORKERS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        cores = min(cores, int(wanted))
    count = max(1, min(cores, items // min_per_worker))
    if count > 1 and not _room_for_copies(count - 1):
        return 1
    return count


def _room_for_copies(children: int) -> bool:
    """Whether ``children`` forked copies fit in the memory the system has free. A forked
    worker shares the parent's pages only until it touches them, and reading a Python object
    writes its reference count, so a worker may end up copying much of what it reads: at a
    million records that could be gigabytes. Assume the worst (each copies all of this
    process) and stay in one process when that would not fit."""
    try:
        with open("/proc/self/statm") as fh:
            resident = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        with open("/proc/meminfo") as fh:
            free = next(
                int(line.split()[1]) * 1024 for line in fh if line.startswith("MemAvailable:")
            )
    except (OSError, ValueError, IndexError, StopIteration):
        return False
    return resident * children < free


def text_parts(text: str, cuts: Sequence[int]) -> list[tuple[int, int, int]]:
    """``(start, stop, first line)`` of the parts of ``text`` that start at ``cuts`` (the first
    is 0), the last running to its end: what a reader of one part needs to number its lines."""
    bounds = [*cuts, len(text)]
    out, line = [], 1
    for start, stop in pairwise(bounds):
        out.append((start, stop, line))
        line += text.count("\n", start, stop)
    return out


def spans(items: int, parts: int) -> list[tuple[int, int]]:
    """``[start, stop)`` slices of ``range(items)``, as even as they can be, in order."""
    size, extra = divmod(items, parts)
    out, start = [], 0
    for i in range(parts):
        stop = start + size + (1 if i < extra else 0)
        out.append((start, stop))
        start = stop
    return out


def _run(span: tuple[int, int]) -> Any:
    assert _JOB is not None
    return _JOB(*span)


def split_map(
    job: Callable[[int, int], Sequence[T]],
    items: int,
    min_per_worker: int | None = None,
    workers: int | None = None,
) -> list[T]:
    """``job(0, items)`` as one list, computed as ``job(start, stop)`` over slices in forked
    workers when that is worth it. ``job`` must be pure: it reads what the parent holds and
    returns the slice's results (picklable), in order."""
    count = worker_count(items, min_per_worker) if workers is None else workers
    if count <= 1:
        return list(job(0, items))
    out: list[T] = []
    for part in split_batches(job, items, max(items, 1), workers=count):  # one batch of them all
        out.extend(part)
    return out


def split_batches(
    job: Callable[[int, int], Sequence[T]],
    items: int,
    batch: int,
    min_per_worker: int | None = None,
    workers: int | None = None,
) -> Generator[list[T], None, None]:
    """``job(low, high)`` for each batch ``[low, high)`` of ``batch`` items, in order, each
    computed as :func:`split_map` would: for a caller that writes each batch's results before
    the next is made (the entries of 1M records are 1.7 GB). The workers are forked once, at
    the first batch, and serve every batch: forking a process of several gigabytes per batch
    cost seconds of copied page tables and pages. ``job`` must be pure and its results
    picklable; what it reads must be in place before the first batch. ``workers``: how many
    processes, when the caller has decided (else :func:`worker_count`'s answer)."""
    count = worker_count(items, min_per_worker) if workers is None else workers
    if count <= 1:
        for low in range(0, items, batch):
            yield list(job(low, min(items, low + batch)))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _JOB
    _JOB = job
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=count - 1, mp_context=context) as pool:
            for low in range(0, items, batch):
                high = min(items, low + batch)
                *theirs, mine = [(low + a, low + b) for a, b in spans(high - low, count)]
                try:
                    pending = [pool.submit(_run, span) for span in theirs]
                except BrokenProcessPool:  # a worker was killed in an earlier batch
                    pending = []
                last = job(*mine)  # this process takes a slice too, rather than wait idle
                out: list[T] = []
                for i, span in enumerate(theirs):
                    # a worker killed (out of memory, say): its slice is done here instead
                    try:
                        got = pending[i].result() if i < len(pending) else job(*span)
                    except BrokenProcessPool:
                        got = job(*span)
                    out.extend(got)
                out.extend(last)
                yield out
    finally:
        _JOB = None
