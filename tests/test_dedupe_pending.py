"""A pair the last run left for a person stays in front of a person on the next run.

A run can find a pair through a third record: two records of one work that share no block
(one has no DOI, a typo in the title's first word, the print year where the other has the
online year) are compared because each sits beside a third copy. When that run merges the
third record into one of them and queues the other pair (it would join records kept apart),
the next run no longer has the third record to bring the two together: without the log's
queue the pair is neither merged nor queued, and leaves the queue with nobody deciding it.
Every record here is invented.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from litreview.dedupe import find_duplicates
from litreview.model import Name, Record
from litreview.project import find_project
from litreview.review import Review

from .conftest import imported_review, invoke
from .dedupe_helpers import record

PEOPLE = (Name("Quarshie", "Efua"), Name("Lindgren", "Oskar"), Name("Moreau", "Anaïs"))

BASE: dict[str, object] = dict(
    entry_type="article",
    authors=PEOPLE,
    container="Invented Journal of Dental Anxiety",
    volume="213",
    issue="6",
    pages="2127-2138",
)

# the same article twice: the online year with its DOI; the print year, no DOI, no pages, and a
# typo in the title's first word (so no title block, no author-year block and no place block is
# shared)
ONLINE = record(
    "Quarshie2019",
    BASE,
    title="Chronic orofacial pain and dental anxiety in adolescents: a qualitative study",
    year=2019,
    doi="10.9999/ijda.2019.0042",
)
PRINT = record(
    "Quarshie2020",
    BASE,
    title="Chrnoic orofacial pain and dental anxiety in adolescents: a qualitative study",
    year=2020,
    pages="",
)

# other works whose titles sort between the two, so that no neighbourhood of the sorted titles
# holds both (each by other people, in another journal)
FILLER_TITLES = (
    "Chrnx virus in mosquitoes of the lower delta",
    "Chroma keying in studio television production",
    "Chromatic aberration in low-cost microscope lenses",
    "Chromium plating and surface hardness of tool steel",
    "Chromosome counts in alpine saxifrages",
    "Chronic kidney disease and falls in care homes",
)
FILLERS = tuple(
    record(
        f"Filler{n}",
        dict(
            entry_type="article",
            title=title,
            authors=(Name(f"Author{chr(65 + n)}", "Pat"),),
            year=2000 + n,
            container=f"Invented Journal {n}",
            volume=str(n + 1),
            pages=f"{n * 10 + 1}-{n * 10 + 9}",
        ),
    )
    for n, title in enumerate(FILLER_TITLES)
)


def _together(records: list[Record], pending: tuple[tuple[str, str], ...] = ()) -> bool:
    """Whether the two copies end merged or queued."""
    result = find_duplicates(records, pending=pending)
    pair = {ONLINE.key, PRINT.key}
    merged = any(pair <= {m.survivor, *(r.key for r in m.absorbed)} for m in result.merges)
    queued = any({p.a, p.b} == pair for p in result.unsure)
    return merged or queued


def test_a_pair_sharing_no_block_is_not_compared_without_a_third_record() -> None:
    # the premise: blocking alone does not bring these two together
    assert not _together([ONLINE, PRINT, *FILLERS])


def test_a_pair_the_last_run_queued_is_compared_again_though_it_shares_no_block() -> None:
    records = [ONLINE, PRINT, *FILLERS]
    assert _together(records, pending=((ONLINE.key, PRINT.key),))
    assert _together(records, pending=((PRINT.key, ONLINE.key),))  # either way round


def test_a_pending_pair_named_by_a_key_a_merge_absorbed_is_compared_through_its_alias() -> None:
    records = [ONLINE, PRINT, *FILLERS]
    result = find_duplicates(
        records, aliases={"Quarshie2020b": PRINT.key}, pending=((ONLINE.key, "Quarshie2020b"),)
    )
    pair = {ONLINE.key, PRINT.key}
    assert any(pair <= {m.survivor, *(r.key for r in m.absorbed)} for m in result.merges) or any(
        {p.a, p.b} == pair for p in result.unsure
    )


def test_a_pending_pair_whose_record_is_gone_is_ignored() -> None:
    result = find_duplicates([ONLINE, *FILLERS], pending=((ONLINE.key, PRINT.key),))
    assert not result.unsure and not result.merges


def _entry(r: Record) -> str:
    authors = " and ".join(f"{n.last}, {n.first}" for n in r.authors)
    doi = f"  doi = {{{r.doi}}},\n" if r.doi else ""
    return (
        f"@article{{{r.key},\n  title = {{{r.title}}},\n  author = {{{authors}}},\n"
        f"  year = {{{r.year}}},\n  journal = {{{r.container}}},\n  volume = {{{r.volume}}},\n"
        f"  pages = {{{r.pages}}},\n{doi}}}\n"
    )


def test_dedupe_compares_again_the_pairs_its_log_holds_for_a_person(tmp_path: Path) -> None:
    root = imported_review(tmp_path, "\n".join(_entry(r) for r in (ONLINE, PRINT, *FILLERS)))
    invoke(root, "dedupe")
    log = root / "corpus" / "duplicates.yaml"
    doc = yaml.safe_load(log.read_text(encoding="utf-8"))
    by_title = {r.title: r.key for r in Review.of(find_project(root)).corpus().records if r.title}
    a, b = by_title[ONLINE.title], by_title[PRINT.title]
    assert not doc.get("unsure")  # blocking alone did not bring them together
    # as the run that found them through a third record (since merged away) left them
    doc["unsure"] = [{"a": a, "b": b, "score": 100.0, "reason": "left by an earlier run"}]
    log.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    invoke(root, "dedupe")
    after = yaml.safe_load(log.read_text(encoding="utf-8"))
    queued = {frozenset((u["a"], u["b"])) for u in after.get("unsure") or ()}
    merged = {frozenset((m["survivor"], *m["absorbed"])) for m in after.get("merges") or ()}
    assert frozenset((a, b)) in queued or any({a, b} <= m for m in merged), after


def test_the_same_volume_and_first_page_in_years_one_apart_are_compared_in_a_first_run() -> None:
    # the print year's record with its pages: the volume and first page bring the two together
    # whatever the year, though the title's first word, the year and the DOI all differ
    printed = record(PRINT.key, BASE, title=PRINT.title, year=2020)
    assert _together([ONLINE, printed, *FILLERS])
