"""Records and verdicts for the deduplication tests: each test file keeps its own base record
(its own invented study) and builds its pairs from it with :func:`record`."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from litreview.dedupe import DUPLICATE, Decision, compare, features, find_duplicates
from litreview.model import Provenance, Record


def record(key: str, base: Mapping[str, object], **kw: object) -> Record:
    """``base`` with the fields in ``kw`` changed, from an export file named after the key."""
    fields: dict[str, object] = dict(base)
    fields.setdefault("provenance", (Provenance("src", f"{key}.ris", 1, key),))
    fields.update(kw)
    return Record(key=key, **fields)  # type: ignore[arg-type]


def verdict(a: Record, b: Record) -> str:
    return compare(features(a), features(b)).outcome


def rule(a: Record, b: Record) -> str:
    return compare(features(a), features(b)).rule


def groups(records: list[Record], decisions: tuple[Decision, ...] = ()) -> set[frozenset[str]]:
    """The records ``find_duplicates`` puts together, as sets of keys."""
    result = find_duplicates(records, decisions)
    return {frozenset([m.survivor, *(r.key for r in m.absorbed)]) for m in result.merges}


def queued(records: list[Record]) -> set[frozenset[str]]:
    """The pairs ``find_duplicates`` sends to a person, as sets of keys."""
    return {frozenset((p.a, p.b)) for p in find_duplicates(records).unsure}


def _shown(a: Record, b: Record) -> tuple[object, ...]:
    """What an assertion on a pair shows when it fails: the fields a reader tells two works by."""
    return (a.title, b.title, a.authors, b.authors, a.container, b.container)


def not_merged(a: Record, b: Record) -> None:
    """Neither record is called a duplicate of the other, either way round, nor merged."""
    assert verdict(a, b) != DUPLICATE, _shown(a, b)
    assert verdict(b, a) != DUPLICATE, _shown(a, b)
    assert groups([a, b]) == set(), _shown(a, b)


def for_a_person(a: Record, b: Record) -> None:
    """Not merged, and the pair is in the queue: a person decides."""
    not_merged(a, b)
    assert queued([a, b]) == {frozenset({a.key, b.key})}, _shown(a, b)


def merged(a: Record, b: Record) -> None:
    """The two are called duplicates and end in one record."""
    assert verdict(a, b) == DUPLICATE, _shown(a, b)
    assert groups([a, b]) == {frozenset({a.key, b.key})}, _shown(a, b)


def kept_apart(
    make: Callable[..., Record],
    one: str,
    two: str,
    placed: Mapping[str, object],
    **kw: object,
) -> None:
    """Neither merged nor called duplicate: titles ``one`` and ``two`` on records ``make``
    builds, both sparse, and then the first with the fields of ``placed`` (a volume, issue,
    pages) against the second still sparse."""
    for a, b in (
        (make("A", title=one, **kw), make("B", title=two, **kw)),
        (make("A", title=one, **placed, **kw), make("B", title=two, **kw)),
    ):
        assert verdict(a, b) != DUPLICATE, (one, two)
        assert verdict(b, a) != DUPLICATE, (one, two)
        assert not find_duplicates([a, b]).merges, (one, two)


def one_work(
    make: Callable[..., Record],
    one: str,
    two: str,
    placed: Mapping[str, object],
    **kw: object,
) -> None:
    """Merged: one record as two databases export it, the second without the place."""
    a = make("A", title=one, **placed, **kw)
    b = make("B", title=two, **kw)
    assert verdict(a, b) == DUPLICATE, (one, two)
    assert find_duplicates([a, b]).merges, (one, two)
