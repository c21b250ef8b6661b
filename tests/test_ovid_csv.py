"""Ovid's CSV export: columns named by Ovid's field tags, the year and journal of an Embase
record only inside its source citation (SO), its DOI only inside the full-text link. The rows
below are invented; their layout is that of real Ovid exports (Embase and APA PsycInfo), where
every Embase record came in with no year and the whole citation as its journal."""

from __future__ import annotations

import csv
import io

from litreview.io import read_text
from litreview.model import Record

EMBASE = [
    ["ORN", "VN", "DB", "UI", "TI", "SO", "AU", "AB", "FTURL", "PM"],
    [
        "1",
        "Ovid Technologies",
        "Embase",
        "2099000001",
        "Listening effort in quiet and in noise: a cohort study",
        "Invented Hearing Journal. 430 (no pagination), 2021. Article Number: 108712. "
        "Date of Publication: April 2021.",
        "Okafor N.\n\nVestergaard L.",
        "Adults with mild hearing loss rated listening effort in two settings.",
        "https://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=fulltext&D=emexb&DO=10.5555%2fihj.2021.108712",
        "",
    ],
    [
        "2",
        "Ovid Technologies",
        "Embase",
        "2099000002",
        "A preprint on hearing aid use at night",
        "medRxiv. (no pagination), 2023. Date of Publication: 15 Feb 2023.",
        "Lund P.",
        "",
        "",
        "",
    ],
]

PSYCINFO = [
    ["ORN", "VN", "DB", "AN", "TI", "DP", "YR", "AU", "SO", "JN", "VO", "IP", "PG"],
    [
        "1",
        "Ovid Technologies",
        "APA PsycInfo",
        "2099-00001-001",
        "Dizziness and worry in older adults",
        "Mar 2019",
        "2019",
        "Moreau, Claire",
        "Invented Journal of Balance. Vol.12,(3), 2019, pp. 101-109.",
        "Invented Journal of Balance",
        "12",
        "3",
        "101-109",
    ],
]


def _read(rows: list[list[str]]) -> list[Record]:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    result = read_text(out.getvalue(), "ovid.csv", "database-search")
    assert not result.rejects
    return result.records


def test_an_embase_row_gets_its_journal_and_year_from_its_source_citation() -> None:
    first, preprint = _read(EMBASE)
    assert (first.container, first.year) == ("Invented Hearing Journal", 2021)
    assert (preprint.container, preprint.year) == ("medRxiv", 2023)
    # the citation itself is kept beside them, never replaced
    assert first.get("so").startswith("Invented Hearing Journal. 430 (no pagination), 2021.")


def test_an_embase_row_takes_the_doi_in_its_full_text_link() -> None:
    first, preprint = _read(EMBASE)
    assert first.doi == "10.5555/ihj.2021.108712"
    assert preprint.doi == ""


def test_ovid_s_accession_is_the_original_id_and_authors_split_on_blank_lines() -> None:
    first, _ = _read(EMBASE)
    assert first.provenance[0].original_id == "2099000001"
    assert [a.last for a in first.authors] == ["Okafor", "Vestergaard"]


def test_a_psycinfo_row_takes_journal_year_and_volume_from_their_own_columns() -> None:
    (record,) = _read(PSYCINFO)
    assert (record.container, record.year, record.volume, record.issue, record.pages) == (
        "Invented Journal of Balance",
        2019,
        "12",
        "3",
        "101-109",
    )
    assert record.get("so") == "Invented Journal of Balance. Vol.12,(3), 2019, pp. 101-109."
    assert record.provenance[0].original_id == "2099-00001-001"


def test_a_csv_that_is_not_ovid_s_reads_so_and_yr_as_before() -> None:
    # a source column elsewhere is the journal's name as written, and YR no column we know
    (record,) = _read([["TI", "SO", "YR"], ["A title", "Journal. 12 (3), 2001.", "2001"]])
    assert record.container == "Journal. 12 (3), 2001."
    assert record.year is None
    assert record.get("yr") == "2001"
