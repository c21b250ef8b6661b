"""How the core tells a caller how far a long step has got, without printing anything.

A step that can take more than a second accepts ``progress: Progress | None = None`` and calls
``progress(step, done, total)``: first with ``done == 0``, last with ``done == total`` (one
call when there is nothing to do). The core
never prints; the CLI turns the calls into a bar (``cli/_common.progress_bar``), tests collect
them. With ``None`` nothing is called and nothing is spent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

#: ``progress(step, done, total)``: ``step`` names what is being done ("screen", "import x.ris").
Progress = Callable[[str, int, int], None]

T = TypeVar("T")

#: at most this many calls per step, so a 100k-record loop does not spend its time reporting
UPDATES = 100


#: ``tick(done)``: a long loop that is not over a list reports its position (a character offset,
#: a line number) and the ticker turns it into about a hundred ``progress`` calls.
Tick = Callable[[int], None]


def ticker(progress: Progress | None, step: str, total: int) -> Tick | None:
    """A :data:`Tick` for a step whose size is known up front (None when nobody listens).

    It reports 0 at once; the caller reports ``total`` when the step ends, as :func:`track` does.
    """
    if progress is None:
        return None
    every = max(1, -(-total // UPDATES))
    due = every
    progress(step, 0, total)

    def tick(done: int) -> None:
        nonlocal due
        if done >= due and done < total:
            progress(step, done, total)
            due = done + every

    return tick


def track(items: Iterable[T], progress: Progress | None, step: str) -> Iterable[T]:
    """``items`` unchanged, reporting every ~1% of them to ``progress`` when one is given."""
    if progress is None:
        return items
    seq = items if isinstance(items, Sequence) else list(items)
    return _tracked(seq, progress, step)


def _tracked(seq: Sequence[T], progress: Progress, step: str) -> Iterator[T]:
    total = len(seq)
    tick = ticker(progress, step, total)  # reports 0 at once
    assert tick is not None
    if not total:
        return
    for done, item in enumerate(seq, start=1):
        yield item
        tick(done)
    progress(step, total, total)
