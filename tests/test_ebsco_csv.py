"""EBSCOhost's CSV export (CINAHL, ...): its JSON record flattened, a row a record, each column
named by a JSON path (``artinfo/tig/atl``, ``artinfo/aug/au/0``, ...). The export below is
invented; its layout is that of a real CINAHL export, which was read as an ordinary table with no
column known by name (168 records gave 168 rejects, "nothing identifies the work")."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from litreview.io import read_text, sniff

from .conftest import import_one_export

HEADER = [
    "bkinfo",
    "dissinfo",
    "jinfo/jtl",
    "jinfo/issn",
    "pubinfo/dt/_year",
    "pubinfo/dt/_month",
    "pubinfo/dt/_day",
    "pubinfo/dt/__text",
    "artinfo/ui/0/_type",
    "artinfo/ui/0/__text",
    "artinfo/ppf",
    "artinfo/ppct",
    "artinfo/formats",
    "artinfo/tig/atl",
    "artinfo/aug/au/0",
    "artinfo/aug/au/1",
    "artinfo/aug/affil",
    "artinfo/sug/subj/0/_type",
    "artinfo/sug/subj/0/__text",
    "artinfo/sug/subj/1/_type",
    "artinfo/sug/subj/1/__text",
    "artinfo/ab/0",
    "artinfo/pubtype",
    "artinfo/doctype/0",
    "language",
    "header/_longDbName",
    "header/_uiTerm",
    "pubinfo/vid",
    "pubinfo/iid",
    "artinfo/ui/1/_type",
    "artinfo/ui/1/__text",
    # the export adds a column when a later record needs it: a third author's comes last
    "artinfo/aug/au/2",
    "artinfo/ab/1",
]

ROWS = [
    {  # lines 2-3: its abstract holds a line break
        "jinfo/jtl": "Invented Journal of Ward Audiology",
        "jinfo/issn": "99990001",
        "pubinfo/dt/_year": "2021",
        "pubinfo/dt/_month": "3",
        "pubinfo/dt/_day": "15",
        "pubinfo/dt/__text": "Mar2021",
        "artinfo/ui/0/_type": "doi",
        "artinfo/ui/0/__text": "10.5555/ijwa.2021.114",
        "artinfo/ppf": "114",
        "artinfo/ppct": "9",
        "artinfo/tig/atl": "Sleep quality after cochlear implantation in older adults",
        "artinfo/aug/au/0": "Halvorsen, Ingrid M.",
        "artinfo/aug/au/1": "Tomas Okonkwo",
        "artinfo/aug/au/2": "Delacroix, Amélie",
        "artinfo/aug/affil": "Invented University Hospital, Department of Audiology",
        "artinfo/sug/subj/0/_type": "major",
        "artinfo/sug/subj/0/__text": "Cochlear Implants",
        "artinfo/sug/subj/1/_type": "minor",
        "artinfo/sug/subj/1/__text": "Aged, 80 and Over",
        "artinfo/ab/0": 'Older adults rated their "sleep"\nbefore and after implantation.',
        "artinfo/pubtype": "Academic Journal",
        "artinfo/doctype/0": "research",
        "language": "English",
        "header/_longDbName": "CINAHL Plus",
        "header/_uiTerm": "199000001",
        "pubinfo/vid": "12",
        "pubinfo/iid": "3",
        "artinfo/ui/1/_type": "pmid",
        "artinfo/ui/1/__text": "NLM99000011",
    },
    {  # line 4: no DOI, a PMID first, the year only in the date's text, no pages
        "jinfo/jtl": "Invented Neonatal Nursing Review",
        "pubinfo/dt/__text": "Jul/Aug2019",
        "artinfo/ui/0/_type": "pmid",
        "artinfo/ui/0/__text": "NLM99000012",
        "artinfo/ppct": "1",
        "artinfo/tig/atl": "Noise exposure in neonatal units: a survey",
        "artinfo/aug/au/0": "Brennan, Siobhan",
        "header/_uiTerm": "199000002",
    },
    {  # line 5: a journal and a year, but nothing that names a work
        "jinfo/jtl": "Invented Neonatal Nursing Review",
        "pubinfo/dt/_year": "2019",
        "header/_uiTerm": "199000003",
    },
    {  # line 6: a supplement's page, a second language's abstract, a group as author
        "jinfo/jtl": "Invented Journal of Ward Audiology",
        "pubinfo/dt/_year": "2022",
        "artinfo/ui/0/_type": "doi",
        "artinfo/ui/0/__text": "10.5555/ijwa.2022.s12",
        "artinfo/ppf": "S12",
        "artinfo/ppct": "1",
        "artinfo/tig/atl": "Hearing screening on a geriatric ward",
        "artinfo/aug/au/0": "Nordic Group for Hearing and Balance Research",
        "artinfo/sug/subj/0/_type": "minor",
        "artinfo/sug/subj/0/__text": "Aged, 80 and Over",
        "artinfo/ab/0": "Patients were screened on admission.",
        "artinfo/ab/1": "Les patients ont été dépistés à l'admission.",
        "header/_uiTerm": "199000004",
    },
]


def _export(header: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return out.getvalue()


EXPORT = _export(HEADER, ROWS)


def test_an_ebsco_export_is_read_a_record_a_row() -> None:
    assert sniff(EXPORT) == "csv"
    result = read_text(EXPORT, "cinahl.csv", "database-search")
    first, second, third = result.records
    assert first.title == "Sleep quality after cochlear implantation in older adults"
    assert [(n.last, n.first) for n in first.authors] == [
        ("Halvorsen", "Ingrid M."),
        ("Okonkwo", "Tomas"),
        ("Delacroix", "Amélie"),
    ]
    assert (first.container, first.year, first.volume, first.issue) == (
        "Invented Journal of Ward Audiology",
        2021,
        "12",
        "3",
    )
    # the first page alone: ppct is a page count, kept under its own name
    assert first.pages == "114" and first.get("page_count") == "9"
    assert first.doi == "10.5555/ijwa.2021.114" and first.pmid == "99000011"
    assert first.abstract == 'Older adults rated their "sleep" before and after implantation.'
    assert first.keywords == ("Cochlear Implants", "Aged, 80 and Over")
    assert first.provenance[0].line == 3 and first.provenance[0].original_id == "199000001"
    assert first.entry_type == "article" and first.language == "English"
    # every other cell kept under a readable name
    assert first.get("issn") == "99990001"
    assert first.get("date_of_publication") == "Mar2021" and first.get("month") == "3"
    assert first.get("affiliation").startswith("Invented University Hospital")
    assert first.get("subjects_major") == "Cochlear Implants"
    assert first.get("subjects_minor") == "Aged, 80 and Over"
    assert first.get("publication_type") == "Academic Journal"
    assert first.get("document_type") == "research"
    assert first.get("database_name") == "CINAHL Plus"

    assert second.doi == "" and second.pmid == "99000012" and second.year == 2019
    assert second.pages == "" and second.get("page_count") == "1"
    assert second.provenance[0].line == 4

    assert third.pages == "S12" and third.doi == "10.5555/ijwa.2022.s12"
    assert len(third.authors) == 1  # one cell, one author: never cut at "and"
    assert third.keywords == ("Aged, 80 and Over",)  # never cut at its comma
    assert third.abstract == "Patients were screened on admission."
    assert third.get("abstract_2") == "Les patients ont été dépistés à l'admission."
    assert [p.code for p in result.problems] == ["rejected"]  # no "no title column found"


def test_a_row_that_names_no_work_is_set_aside_at_its_line() -> None:
    result = read_text(EXPORT, "cinahl.csv", "database-search")
    assert len(result.records) == 3
    (reject,) = result.rejects
    assert reject.location.line == 5 and "nothing identifies the work" in reject.reason
    assert "199000003" in reject.text


def test_authors_follow_their_numbers_not_their_columns() -> None:
    header = ["artinfo/tig/atl", "jinfo/jtl", "artinfo/aug/au/10", "artinfo/aug/au/2"]
    header += ["artinfo/aug/au/1", "artinfo/aug/au/0"]
    row = {
        "artinfo/tig/atl": "Twelve authors, four given",
        "jinfo/jtl": "Invented Journal",
        "artinfo/aug/au/0": "Ahn, Ji-woo",
        "artinfo/aug/au/1": "Berg, Lena",
        "artinfo/aug/au/2": "Costa, Rui",
        "artinfo/aug/au/10": "Dahl, Maja",
    }
    (record,) = read_text(_export(header, [row]), "cinahl.csv", "s").records
    assert [n.last for n in record.authors] == ["Ahn", "Berg", "Costa", "Dahl"]


def test_a_table_with_a_path_like_column_is_still_read_as_a_table() -> None:
    table = 'Title,Authors,notes/comments,DOI\nA study of paths,"Lund, P.",see a/b,10.5555/p\n'
    assert sniff(table) == "csv"
    result = read_text(table, "t.csv", "s")
    (record,) = result.records
    assert record.title == "A study of paths" and record.doi == "10.5555/p"
    assert record.get("notescomments") == "see a/b"
    # three paths but none an article's or a journal's: a table still
    table = "title,a/b,c/d,e/f\nA table,1,2,3\n"
    (record,) = read_text(table, "t.csv", "s").records
    assert record.title == "A table"


def test_import_keeps_every_row_of_an_ebsco_export(tmp_path: Path) -> None:
    output, corpus = import_one_export(tmp_path, "cinahl.csv", EXPORT)
    assert "read 4 = added 3 + already in corpus 0 + rejected 1" in output, output
    assert "Sleep quality after cochlear implantation" in corpus
    assert "Noise exposure in neonatal units" in corpus
    assert "Hearing screening on a geriatric ward" in corpus
    assert "artinfo" not in corpus
