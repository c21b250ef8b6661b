"""Reading a large export reports how far it has got, so the import bar moves within one file."""

from __future__ import annotations

import pytest

from litreview.io import read_text
from litreview.progress import ticker


def _bib(n: int) -> str:
    return "".join(
        f"@article{{k{i},\n  title = {{Paper number {i} on hospital boards}},\n  year = {{2005}},\n}}\n"
        for i in range(n)
    )


def _ris(n: int) -> str:
    return "".join(
        f"TY  - JOUR\nTI  - Paper number {i} on hospital boards\nPY  - 2005\nER  - \n"
        for i in range(n)
    )


def _csv(n: int) -> str:
    return "Title,Year\n" + "".join(f"Paper number {i} on hospital boards,2005\n" for i in range(n))


@pytest.mark.parametrize(
    "text, fmt", [(_bib(3000), "bibtex"), (_ris(3000), "ris"), (_csv(3000), "csv")]
)
def test_reading_reports_from_zero_to_the_total_in_order_about_a_hundred_times(
    text: str, fmt: str
) -> None:
    calls: list[tuple[str, int, int]] = []
    result = read_text(
        text, "exports/big.txt", "scopus", fmt, progress=lambda s, d, t: calls.append((s, d, t))
    )
    assert len(result.records) == 3000
    assert {s for s, _, _ in calls} == {"read exports/big.txt"}
    total = calls[0][2]
    assert calls[0][1] == 0 and calls[-1][1:] == (total, total)
    done = [d for _, d, _ in calls]
    assert done == sorted(done)
    assert 50 <= len(calls) <= 103
    assert all(t == total for _, _, t in calls)


def test_reading_without_a_listener_gives_the_same_records() -> None:
    text = _bib(50)
    quiet = read_text(text, "a.bib", "s", "bibtex")
    heard = read_text(text, "a.bib", "s", "bibtex", progress=lambda *_: None)
    assert quiet.records == heard.records


def test_ticker_reports_nothing_for_nobody_and_never_the_total_itself() -> None:
    assert ticker(None, "x", 10) is None
    calls: list[int] = []
    tick = ticker(lambda s, d, t: calls.append(d), "x", 10)
    assert tick is not None
    for i in range(11):
        tick(i)
    assert calls == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]  # the caller reports 10 when the step ends
