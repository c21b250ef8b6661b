"""Where database CSV exports keep a record's place (volume, issue, pages) and its authors when
no column of the usual names holds them. Every row below is invented; the layouts are those of
real exports: PubMed's CSV (the place only inside ``Citation``, authors apart by commas),
Scopus's and IEEE Xplore's first- and last-page columns, Ovid's Embase CSV (the place only in
``SO``) and Embase.com's table (``Medline PMID``, ``PUI``). Read as they were before, such
records reached dedupe with no pages and PubMed's with no journal, and most PubMed author lists
as one person."""

from __future__ import annotations

import csv
import io

from litreview.io import read_text
from litreview.model import Record


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _read(rows: list[list[str]], name: str = "export.csv") -> list[Record]:
    result = read_text(_csv(rows), name, "database-search")
    assert not result.rejects
    return result.records


PUBMED_HEADER = [
    "PMID",
    "Title",
    "Authors",
    "Citation",
    "First Author",
    "Journal/Book",
    "Publication Year",
    "Create Date",
    "PMCID",
    "NIHMS ID",
    "DOI",
]


def _pubmed(pmid: str, title: str, authors: str, citation: str, journal: str) -> list[str]:
    first = authors.split(",")[0]
    return [pmid, title, authors, citation, first, journal, "2019", "2019/05/01", "", "", ""]


def test_a_pubmed_csv_row_takes_its_journal_volume_issue_and_pages_from_the_citation() -> None:
    records = _read(
        [
            PUBMED_HEADER,
            _pubmed(
                "99000101",
                "Noise at night on the children's ward",
                "Okafor N, Lund P, Vestergaard LA.",
                "Invented Ward J. 2019 Jul/Aug;40(4):918-26. doi: 10.5555/iwj.40.918. "
                "Epub 2019 May 2.",
                "Invented Ward J",
            ),
            _pubmed(
                "99000102",
                "Hearing checks after discharge",
                "Moreau C.",
                "Invented Audiol Rep. 2016 Aug 8;17:394. doi: 10.5555/iar.17.394.",
                "Invented Audiol Rep",
            ),
            _pubmed(
                "99000103",
                "Ear drops in a supplement",
                "Berg P.",
                "Invented Otol. 2018;38 Suppl 1:S12-S20.",
                "Invented Otol",
            ),
            _pubmed(
                "99000104",
                "Online before its issue",
                "Lund P.",
                "Invented Ward J. 2023 Jun 12:1-19. doi: 10.5555/iwj.ahead. Online ahead of print.",
                "Invented Ward J",
            ),
            _pubmed(
                "99000107",
                "Nerves and their decompression",
                "Berg P.",
                "Invented Neurosurg. 2004 Feb;54(2):381-9; discussion 388-90.",
                "Invented Neurosurg",
            ),
            _pubmed(
                "99000108",
                "A supplement with no volume",
                "Berg P.",
                "Invented ENT. 2013;Suppl 21:3-8.",
                "Invented ENT",
            ),
            _pubmed(
                "99000105",
                "A report in two runs of pages",
                "Okafor N.",
                "Invented Ward J. 2003 Aug;82(8):576-80, 582-4.",
                "Invented Ward J",
            ),
        ]
    )
    placed = [(r.container, r.volume, r.issue, r.pages) for r in records]
    assert placed == [
        ("Invented Ward J", "40", "4", "918-926"),
        ("Invented Audiol Rep", "17", "", "394"),
        ("Invented Otol", "38", "Suppl 1", "S12-S20"),
        ("Invented Ward J", "", "", ""),  # no place yet: the 1-19 are not its pages
        ("Invented Neurosurg", "54", "2", "381-389"),  # the discussion's pages are not its place
        ("Invented ENT", "", "Suppl 21", "3-8"),
        ("Invented Ward J", "82", "8", "576-80, 582-4"),
    ]
    # the citation itself stays in the record
    assert records[0].get("citation").startswith("Invented Ward J. 2019 Jul/Aug;40(4)")


def test_a_pubmed_csv_author_list_is_one_name_a_comma_and_groups_after_a_semicolon() -> None:
    (record,) = _read(
        [
            PUBMED_HEADER,
            _pubmed(
                "99000106",
                "A trial of shorter courses",
                "Zainul Abidin FN, McCracken GH Jr, Hook EW 3rd, et al; Invented Trials Group"
                " of Hearing and Balance.",
                "Invented Ward J. 2019;1(1):1-2.",
                "Invented Ward J",
            ),
        ]
    )
    assert [(n.last, n.first, n.jr, n.corporate) for n in record.authors] == [
        ("Zainul Abidin", "F. N.", "", False),
        ("McCracken", "G. H.", "Jr", False),
        ("Hook", "E. W.", "3rd", False),
        ("Invented Trials Group of Hearing and Balance", "", "", True),
    ]


def test_a_csv_that_is_not_pubmeds_keeps_its_author_list_as_written() -> None:
    (record,) = _read([["Title", "Authors", "Citation"], ["A title", "Smith, John", "Notes"]])
    assert [(n.last, n.first) for n in record.authors] == [("Smith", "John")]
    assert record.volume == "" and record.pages == ""


def test_first_and_last_page_columns_give_the_pages_and_an_article_number_stands_in() -> None:
    scopus = _read(
        [
            ["Authors", "Title", "Year", "Source title", "Volume", "Issue", "Art. No.",
             "Page start", "Page end", "Page count"],
            ["Okafor N.", "Quiet wards", "2021", "Invented Ward J", "13", "11", "1606", "", "", ""],
            ["Lund P.", "Loud wards", "2023", "Invented Ward J", "306", "", "", "305", "310", "6"],
            ["Berg P.", "One page", "2020", "Invented Ward J", "2", "", "", "7", "7", "1"],
        ]
    )  # fmt: skip
    assert [r.pages for r in scopus] == ["1606", "305-310", "7"]
    assert scopus[1].get("pagecount") == "6"  # a count is never read as pages
    ieee = _read(
        [
            ["Document Title", "Authors", "Publication Title", "Publication Year", "Volume",
             "Issue", "Start Page", "End Page"],
            ["Hearing aids that listen", "Lund P.", "Invented Trans", "2022", "9", "", "110592",
             "110600"],
        ]
    )  # fmt: skip
    assert ieee[0].pages == "110592-110600"


def test_an_ovid_embase_source_citation_gives_volume_issue_and_pages() -> None:
    header = ["ORN", "VN", "DB", "UI", "TI", "SO", "AU"]
    records = _read(
        [
            header,
            ["1", "Ovid Technologies", "Embase", "2099000011", "Sleep on a ward",
             "Invented Imaging and Behavior. 16(4) (pp 1873-1883), 2022. Date of Publication: "
             "August 2022.", "Okafor N."],
            ["2", "Ovid Technologies", "Embase", "2099000012", "Noise in theatres",
             "Invented Studies in Informatics. 306(pp 305-310), 2023. Date of Publication: 2023.",
             "Lund P."],
            ["3", "Ovid Technologies", "Embase", "2099000013", "Hearing in the clinic",
             "Invented Frontiers. 14(no pagination), 2020. Article Number: 541. Date of "
             "Publication: 27 May 2020.", "Berg P."],
        ]
    )  # fmt: skip
    assert [(r.container, r.year, r.volume, r.issue, r.pages) for r in records] == [
        ("Invented Imaging and Behavior", 2022, "16", "4", "1873-1883"),
        ("Invented Studies in Informatics", 2023, "306", "", "305-310"),
        ("Invented Frontiers", 2020, "14", "", "541"),
    ]


def test_embase_coms_table_gives_the_pmid_and_keeps_the_pui_as_the_original_id() -> None:
    (record,) = _read(
        [["Title", "Medline PMID", "PUI"], ["Shorter courses for ear infections", "99000201",
                                            "L2099000201"]]
    )  # fmt: skip
    assert record.pmid == "99000201"
    assert record.provenance[0].original_id == "L2099000201"


def test_ris_tags_as_columns_give_pages_but_web_of_sciences_sp_is_a_sponsor() -> None:
    (r_written,) = _read(
        [["TY", "AU", "year", "TI", "JO", "SP", "EP", "VL"],
         ["JOUR", "Lund, Petra", "2019", "Mapping evidence", "Invented Evidence", "22", "30", "8"]]
    )  # fmt: skip
    assert r_written.pages == "22-30"
    (wos,) = _read(
        [["PT", "AU", "TI", "SO", "PY", "SP", "BP", "EP", "AR"],
         ["J", "Lund, P", "Mapping evidence", "Invented Evidence", "2019", "Invented Society",
          "", "", ""]],
        "savedrecs.txt",
    )  # fmt: skip
    assert wos.pages == ""


def test_a_capital_and_parts_names_unless_the_whole_cell_is_in_capitals() -> None:
    records = _read(
        [
            ["title", "author", "year"],
            ["Gene panels for hearing loss", "Luo, Xiaomei AND Li, Fengmei AND Wu, Hao", "2021"],
            ["Gene panels again", "Xiaomei Luo AND Hao Wu", "2021"],
            ["A report", "DEPARTMENT OF HEALTH AND SOCIAL CARE", "2020"],
        ]
    )
    assert [[n.last for n in r.authors] for r in records] == [
        ["Luo", "Li", "Wu"],
        ["Luo", "Wu"],
        ["DEPARTMENT OF HEALTH AND SOCIAL CARE"],
    ]


LEGACY_PUBMED_HEADER = [
    "Title",
    "URL",
    "Description",
    "Details",
    "ShortDetails",
    "Resource",
    "Type",
    "Identifiers",
    "Db",
    "EntrezUID",
    "Properties",
]


def _legacy(pmid: str, title: str, authors: str, details: str, short: str) -> list[str]:
    first = authors.split(",")[0]
    return [
        title,
        f"/pubmed/{pmid}",
        authors,
        details,
        short,
        "PubMed",
        "citation",
        f"PMID:{pmid}",
        "pubmed",
        pmid,
        f"create date:2019/07/29 | first author:{first}",
    ]


def test_a_legacy_pubmed_csv_row_gives_authors_journal_year_place_doi_and_pmid() -> None:
    """PubMed's CSV before 2020 (Title, URL, Description, Details, ShortDetails, ...): a real
    export's 12,312 rows had been read with a title and nothing else."""
    records = _read(
        [
            LEGACY_PUBMED_HEADER,
            _legacy(
                "99000201",
                "Quiet hours on a surgical ward.",
                "Okafor N, Lund P, Vestergaard LA.",
                "Invented Ward J. 2018 Sep;15(3):194-205. doi: 10.5555/iwj.15.194. "
                "Epub 2018 Sep 28. Review.",
                "Invented Ward J.  2018",
            ),
            _legacy(
                "99000202",
                "Hearing checks before discharge.",
                "Moreau C.",
                "Invented Audiol Rep. 2019 Jul 22:e3114. doi: 10.5555/iar.e3114. "
                "[Epub ahead of print] Review.",
                "Invented Audiol Rep.  2019",
            ),
            _legacy(
                "99000203",
                "Ear drops in a supplement.",
                "[No authors listed]",
                "Invented Otol. 2017 Spring;38 Suppl 1:S12-S20.",
                "Invented Otol.  Spri",
            ),
        ]
    )
    got = [(r.container, r.year, r.volume, r.issue, r.pages, r.doi, r.pmid) for r in records]
    assert got == [
        ("Invented Ward J", 2018, "15", "3", "194-205", "10.5555/iwj.15.194", "99000201"),
        ("Invented Audiol Rep", 2019, "", "", "", "10.5555/iar.e3114", "99000202"),
        ("Invented Otol", 2017, "38", "Suppl 1", "S12-S20", "", "99000203"),
    ]
    assert [(n.last, n.first) for n in records[0].authors] == [
        ("Okafor", "N."),
        ("Lund", "P."),
        ("Vestergaard", "L. A."),
    ]
    assert records[2].authors == ()
    # the cells the fields came from stay in the record, and the link is whole
    assert records[0].get("details").startswith("Invented Ward J. 2018 Sep;15(3)")
    assert records[0].get("shortdetails") == "Invented Ward J. 2018"
    assert records[0].url == "https://www.ncbi.nlm.nih.gov/pubmed/99000201"


PUBLISH_OR_PERISH_HEADER = [
    "Cites", "Authors", "Title", "Year", "Source", "Publisher", "ArticleURL", "CitesURL",
    "GSRank", "QueryDate", "Type", "DOI", "ISSN", "CitationURL", "Volume", "Issue", "StartPage",
    "EndPage", "ECC", "CitesPerYear", "CitesPerAuthor", "AuthorCount", "Age", "Abstract",
]  # fmt: skip


def _pop(authors: str, title: str, count: str, doi: str = "") -> list[str]:
    row = dict.fromkeys(PUBLISH_OR_PERISH_HEADER, "")
    row.update(
        Cites="12",
        Authors=authors,
        Title=title,
        Year="2016",
        Source="Invented Journal of …",
        Publisher="Invented Press",
        ArticleURL="https://example.org/a",
        CitesURL="https://scholar.example.org/cites=1",
        DOI=doi,
        StartPage="5" if doi else "",
        EndPage="9" if doi else "",
        AuthorCount=count,
    )
    return list(row.values())


def test_a_publish_or_perish_author_list_is_one_name_a_comma() -> None:
    """Publish or Perish lists its authors given name first, apart by commas, and cuts Google
    Scholar's long lists with ``...``: three real exports (2,409 records) had every list read as
    one person (``Kun-Rodrigues, C``, given names ``J Salmona, A Besolo, ...``)."""
    records = _read(
        [
            PUBLISH_OR_PERISH_HEADER,
            _pop("C Okafor‐Lund, J Moreau, A Berg, ...", "Quiet wards at night", "4"),
            _pop("Nadia Vestergaard, Paul van der Lund", "Loud wards by day", "2", "10.5555/w.1"),
            _pop("KC Moreau", "One ward alone", "1"),
            _pop("JL Berg, A de la Cruz…", "A title cut by Scholar …", "3"),
        ]
    )
    got = [[(n.last, n.first, n.von) for n in r.authors] for r in records]
    assert got == [
        [("Okafor‐Lund", "C", ""), ("Moreau", "J", ""), ("Berg", "A", "")],
        [("Vestergaard", "Nadia", ""), ("Lund", "Paul", "van der")],
        [("Moreau", "KC", "")],
        [("Berg", "JL", ""), ("Cruz", "A", "de la")],
    ]
    # a list cut short keeps its cell as written; a whole one needs nothing kept
    assert records[0].get("authors_listed") == "C Okafor‐Lund, J Moreau, A Berg, ..."
    assert records[1].get("authors_listed") == ""
    assert records[1].doi == "10.5555/w.1" and records[1].pages == "5-9"


def test_a_table_without_publish_or_perishs_columns_keeps_a_comma_in_a_name() -> None:
    (record,) = _read([["Title", "Authors", "Cites"], ["A title", "Smith, John", "3"]])
    assert [(n.last, n.first) for n in record.authors] == [("Smith", "John")]


def test_the_lens_issue_number_column_is_the_issue() -> None:
    """The Lens's CSV names the issue ``Issue Number``: two real exports (2,038 records, 990
    of them with an issue) had had no issue at all."""
    (record,) = _read(
        [
            ["Lens ID", "Title", "Publication Year", "Source Title", "Author/s", "Volume",
             "Issue Number", "Start Page", "End Page", "DOI"],
            ["000-000-000-000-001", "Quiet wards", "2021", "Invented Ward J",
             "Nneka Okafor; Paul Lund", "13", "1-2", "5", "9", "10.5555/iwj.13.5"],
        ]
    )  # fmt: skip
    assert (record.volume, record.issue, record.pages) == ("13", "1-2", "5-9")


def test_a_conference_paper_without_a_proceedings_title_takes_its_conference_name() -> None:
    """Zotero's CSV leaves ``Publication Title`` empty for many conference papers and names the
    conference in ``Conference Name``: 118 of two real exports' 564 records had no container."""
    header = ["Key", "Item Type", "Publication Year", "Author", "Title", "Publication Title",
              "DOI", "Pages", "Conference Name"]  # fmt: skip
    with_title, without = _read(
        [
            header,
            ["AAAA1111", "conferencePaper", "2025", "Okafor, Nneka", "Quiet wards",
             "Proceedings of ICWD 2025", "10.5555/icwd.1", "1-6", "Invented Conference on Wards"],
            ["AAAA2222", "conferencePaper", "2026", "Lund, Paul", "Loud wards", "",
             "10.5555/icwd.2", "7-9", "Invented Conference on Wards"],
        ]
    )  # fmt: skip
    assert with_title.container == "Proceedings of ICWD 2025"
    assert without.container == "Invented Conference on Wards"
    assert without.get("conferencename") == "Invented Conference on Wards"
    (bare,) = _read([["Title", "Conference Name"], ["Wards at night", "Invented Ward Meeting"]])
    assert (bare.container, bare.entry_type) == ("Invented Ward Meeting", "inproceedings")


def test_a_dimensions_export_is_read_below_its_note_on_the_export() -> None:
    """Dimensions writes a note (``"About the data: Exported on ...",,,``) above its CSV's
    header: a real 508-record export was "format not recognised"."""
    from litreview.io import sniff

    note = (
        '"About the data: Exported on Sep 04, 2026. Criteria: \'(""ward"" OR ""noise"")\' in '
        'full data. Parts of this work may be protected.",,,,,,,,\n'
    )
    rows = _csv(
        [
            ["Rank", "Publication ID", "DOI", "PMID", "Title", "Source title", "PubYear",
             "Volume", "Issue", "Pagination", "Authors"],
            ["1", "pub.0000000001", "10.5555/iwj.49.1", "99000701", "Quiet wards",
             "Invented Ward J", "2020", "49", "D1", "D92-D96", "Okafor, Nneka; Lund, Paul"],
            ["2", "pub.0000000002", "10.5555/iwj.49.2", "", "Loud wards",
             "Invented Ward J", "2021", "49", "", "gkaa1023-", "Berg, Per"],
        ]
    )  # fmt: skip
    assert sniff(note + rows) == "csv"
    result = read_text(note + rows, "Dimensions-Publication-2026-09-04.csv", "dimensions")
    assert not result.rejects
    first, second = result.records
    assert (first.year, first.volume, first.issue, first.pages, first.pmid) == (
        2020,
        "49",
        "D1",
        "D92-D96",
        "99000701",
    )
    assert [(n.last, n.first) for n in first.authors] == [("Okafor", "Nneka"), ("Lund", "Paul")]
    assert first.provenance[0].line == 3  # the note and the header above it
    assert second.pages == "gkaa1023"
