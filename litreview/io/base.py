"""What every reader returns, and helpers the readers share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from litreview.model import Location, Problem, Record, Reject, Severity


@dataclass
class ReadResult:
    """Records read from one file, the entries that could not be read, and what was noticed.

    ``entries`` counts every entry seen, so that ``entries == len(records) + len(rejects)``
    always holds: the reconciliation the import prints.
    """

    path: str
    format: str
    records: list[Record] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    encoding: str = "utf-8"
    lines: dict[str, int] = field(default_factory=dict)  # entry key -> line it starts on (BibTeX)
    #: ``prepare(record)`` of each record, in order (see :func:`litreview.io.read_text`)
    made: list[Any] | None = None

    @property
    def entries(self) -> int:
        return len(self.records) + len(self.rejects)

    def __getstate__(self) -> dict[str, Any]:
        """What is pickled, as when a worker that read a part of an export sends it back: the
        records as the corpus cache's rows, plain tuples that pickle and load in about two
        thirds of the time the record objects take (45k records of a 100k export travel)."""
        from litreview.corpus.store import _row

        state = dict(self.__dict__)
        state["records"] = [_row(r) for r in self.records]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        from litreview.corpus.store import _records_from_rows

        self.__dict__.update(state)
        self.records = list(_records_from_rows(state["records"]))

    def warn(
        self, line: int | None, message: str, key: str | None = None, code: str = "warning"
    ) -> None:
        self.problems.append(
            Problem(Location(self.path, line, key), message, Severity.WARNING, code=code)
        )

    def reject(self, line: int | None, reason: str, text: str, key: str | None = None) -> None:
        loc = Location(self.path, line, key)
        self.rejects.append(Reject(loc, reason, text))
        self.problems.append(Problem(loc, reason, Severity.ERROR, code="rejected"))


def identifiable(record: Record) -> bool:
    """A record worth keeping: something a person or the dedupe step can recognise it by."""
    return bool(record.title or record.authors or record.doi or record.pmid)


def warn_not_a_doi(
    result: ReadResult, line: int | None, key: str | None, where: str, value: str, field: str
) -> None:
    """The warning for a DOI field's value that is not a DOI (a PMID, another site's link, a
    note; see :func:`litreview.text.normalize.placed_doi`): kept as ``field``, the record has no
    DOI from it, and a person sees why."""
    result.warn(
        line,
        f"{where} holds {value!r}, which is not a DOI: kept as the field {field}, "
        "not as the record's DOI",
        key,
        "not-a-doi",
    )
