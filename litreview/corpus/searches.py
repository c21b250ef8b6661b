"""The searches a protocol records, held against what their exports gave, and PRISMA-S.

A database reports how many records a search found; the export a person saved from it may hold
fewer (a platform caps an export, a person exports in parts and forgets one) or more (a second
search saved into the same file). Neither is an error of the review's files, so a difference is
a warning at the search's ``records:`` line: the person checks the export, and either fixes it or
says why in the search's ``note``.

The PRISMA-S checklist (Rethlefsen et al., 2021) is written from the protocol alone: for each of
its 16 items, what review.yaml records or "not recorded", so the gaps show before a reader finds
them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from litreview.model import Location, Problem, Severity
from litreview.project import Project
from litreview.protocol import Protocol, Search, Source

if TYPE_CHECKING:
    from litreview.report.render import Search as ViewSearch
    from litreview.report.render import Source as ViewSource

NOT_RECORDED = "not recorded"
#: a query that says it is not known ("not reported") is shown as such, not as a query to look up
_UNSTATED = re.compile(r"^(|not (reported|recorded|known|stated)\.?)$", re.I)


def search_file(source: Source, search: Search) -> str:
    """The export holding ``search``'s results: its ``file``, or the source's only file when the
    source has one search and one file (the common case needs no ``file:``)."""
    if search.file:
        return search.file
    if len(source.searches) == 1 and len(source.files) == 1:
        return source.files[0]
    return ""


def count_problems(protocol: Protocol, source_id: str, read: Mapping[str, int]) -> list[Problem]:
    """A warning for each export of ``source_id`` whose records read (``read``: file as named in
    review.yaml -> entries read) differ from the records its searches reported.

    Several searches saved into one export are added up; searches without ``records`` are not
    checked, nor is a file none of them names.
    """
    source = next((s for s in protocol.sources if s.id == source_id), None)
    if source is None:
        return []
    reported: dict[str, list[Search]] = defaultdict(list)
    for search in source.searches:
        f = search_file(source, search)
        if f and search.records is not None:
            reported[f].append(search)
    out = []
    for f, searches in reported.items():
        if f not in read:
            continue
        expected = sum(s.records or 0 for s in searches)
        got = read[f]
        if got == expected:
            continue
        which = (
            f"{searches[0].database or 'the search'} reported"
            if len(searches) == 1
            else f"its {len(searches)} searches reported"
        )
        out.append(
            Problem(
                Location(protocol.path, searches[0].records_line or searches[0].line, "records"),
                f"{f} holds {got} record{'s' if got != 1 else ''} but {which} {expected} (source {source_id!r})",
                Severity.WARNING,
                "search-count",
                "check that the export is complete (platforms cap exports; parts are easy to miss); "
                "when the difference is expected, say why in the search's 'note'",
            )
        )
    return out


# --- PRISMA-S ---------------------------------------------------------------------------------

#: (item number, short name, what it asks, in our words)
PRISMA_S_ITEMS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "Database name",
        "Each database searched, with the platform or interface it was searched on.",
    ),
    (
        2,
        "Multi-database searching",
        "Where one platform searched several databases at once, that platform.",
    ),
    (3, "Study registries", "Each trial or study register searched."),
    (
        4,
        "Online resources and browsing",
        "Websites, tables of contents, proceedings and other sources "
        "searched or browsed on purpose.",
    ),
    (5, "Citation searching", "Whether reference lists or citing articles were followed, and how."),
    (
        6,
        "Contacts",
        "Whether authors, experts or organisations were asked for further studies or data.",
    ),
    (7, "Other methods", "Any further source or way of finding studies."),
    (
        8,
        "Full search strategies",
        "Each search exactly as it was run, for every database and source.",
    ),
    (
        9,
        "Limits and restrictions",
        "Limits applied to each search (dates, languages, types), or that there were none.",
    ),
    (10, "Search filters", "Published search filters used, with their source."),
    (11, "Prior work", "Searches reused or adapted from earlier reviews."),
    (12, "Updates", "How the searches were updated, and when."),
    (13, "Dates of searches", "For each search, when it was last run."),
    (14, "Peer review", "How the searches were peer reviewed, if at all."),
    (15, "Total records", "The records each database and source gave."),
    (16, "Deduplication", "How duplicate records were found and removed, and with what software."),
)

#: source kinds that answer items 3 to 7
_KIND_ITEMS = {
    3: ("register",),
    4: ("website", "hand-search", "grey-literature"),
    5: ("citation-tracing",),
    6: ("expert",),
    7: ("other",),
}


@dataclass(frozen=True)
class ChecklistItem:
    number: int
    name: str
    asks: str
    recorded: tuple[str, ...]  # what the protocol records; empty: not recorded


def _where(search: ViewSearch) -> str:
    db = search.database or "database not recorded"
    return f"{db} ({search.platform})" if search.platform else db


def prisma_s(sources: Sequence[ViewSource], duplicates_removed: int) -> tuple[ChecklistItem, ...]:
    """The 16 items with what the protocol (as the render view model carries it) records for each.

    Items the protocol has no place for (filters, prior work, updates, peer review) stay "not
    recorded": a review that has them says so in its methods text.
    """
    searches = [(src, s) for src in sources for s in src.searches]
    answers: dict[int, list[str]] = defaultdict(list)
    platforms: dict[str, set[str]] = defaultdict(set)
    for src, s in searches:
        if s.database or s.platform:
            answers[1].append(f"{src.name}: {_where(s)}")
        if s.platform and s.database:
            platforms[s.platform].add(s.database)
    for platform, dbs in sorted(platforms.items()):
        if len(dbs) > 1:
            answers[2].append(f"{platform}: {', '.join(sorted(dbs))}")
    for item, kinds in _KIND_ITEMS.items():
        for src in sources:
            if src.kind in kinds:
                answers[item].append(src.name)
    for src, s in searches:
        label = f"{src.name}, {_where(s)}" if s.database or s.platform else src.name
        query = (
            s.query if _UNSTATED.match(s.query) else "the query is in the appendix's search table"
        )
        answers[8].append(f"{label}: {query or NOT_RECORDED}")
        answers[9].append(f"{label}: {s.limits or NOT_RECORDED}")
        answers[13].append(f"{label}: {s.date or NOT_RECORDED}")
        answers[15].append(
            f"{label}: {NOT_RECORDED if s.records is None else s.records} reported by the database"
            + ("" if s.imported is None else f", {s.imported} imported")
        )
    for src in sources:
        if not src.searches and src.searched:
            answers[13].append(f"{src.name}: {src.searched}")
        answers[15].append(
            f"{src.name}: {src.identified} records identified (before duplicates were removed)"
        )
    if sources:
        answers[16].append(
            f"litreview dedupe (a record-linkage model with never-merge rules; people's decisions on "
            f"pairs in corpus/duplicates.yaml): {duplicates_removed} duplicate record"
            f"{'s' if duplicates_removed != 1 else ''} removed"
        )
    return tuple(
        ChecklistItem(n, name, asks, tuple(dict.fromkeys(answers.get(n, ()))))
        for n, name, asks in PRISMA_S_ITEMS
    )


def import_warnings(project: Project, source_id: str, read: Mapping[str, int]) -> list[Problem]:
    """:func:`count_problems` for an import into ``project``: ``read`` maps each file read (as
    ``Project.rel`` shows it) to its entries. A protocol that does not load says nothing here (its
    own problems are reported by every command that needs it)."""
    from litreview.errors import LitreviewError
    from litreview.review import Review

    if not project.protocol.is_file():
        return []
    try:
        protocol = Review.of(project).protocol
    except LitreviewError:
        return []
    source = next((s for s in protocol.sources if s.id == source_id), None)
    if source is None:
        return []
    # a file named `./corpus/x.bib` in review.yaml is the file read as `corpus/x.bib`
    named = {
        project.rel(project.root / f): f
        for s in source.searches
        for f in (search_file(source, s),)
        if f
    }
    return count_problems(protocol, source_id, {named[p]: n for p, n in read.items() if p in named})
