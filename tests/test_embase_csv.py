"""Embase.com's CSV export: a record is a block of lines, each a field's name and its values,
blocks apart by a blank line. The export below is invented; its layout is that of real ones,
which were read as a table whose header was the first line (91 records gave 1,089 rows titled
``AUTHOR NAMES``, ``SOURCE``, ...)."""

from __future__ import annotations

from pathlib import Path

from litreview.io import read_text, sniff

from .conftest import import_one_export

EXPORT = """\
"TITLE","Listening effort in quiet and in noise: a cohort study"
"AUTHOR NAMES","Okafor N.","Vestergaard L.A.","van der Berg P."
"SOURCE","Invented Hearing Journal (2021) 43:2 (112-119). Date of Publication: 1 Apr 2021"
"SOURCE TITLE","Invented Hearing Journal"
"PUBLICATION YEAR","2021"
"VOLUME","43"
"ISSUE","2"
"DATE OF PUBLICATION","1 Apr 2021"
"PUBLICATION TYPE","Article"
"ABSTRACT","Adults rated the ""effort"" of listening
in two settings."
"AUTHOR KEYWORDS","listening effort","hearing loss"
"MEDLINE PMID","99000001","http://www.ncbi.nlm.nih.gov/pubmed/99000001"
"PUI","L2099000001"
"DOI","10.5555/ihj.2021.43.112"

"TITLE","Hearing aid use at night"
"AUTHOR NAMES","Lund P."
"SOURCE","Invented Audiology Reports (2023) 12 Article Number: 100172. Date of Publication: 1 Feb 2023"
"SOURCE TITLE","Invented Audiology Reports"
"PUBLICATION YEAR","2023"
"PUBLICATION TYPE","Conference Abstract"
"EMBASE CLASSIFICATIONS","Otorhinolaryngology (11)","Rehabilitation (19)"
"PUI","L2099000002"

"EMBASE CLASSIFICATIONS","Otorhinolaryngology (11)"
"PUI","L2099000003"
"""


def test_an_embase_block_export_is_read_a_record_a_block() -> None:
    result = read_text(EXPORT, "embase.csv", "database-search")
    first, second = result.records
    assert first.title == "Listening effort in quiet and in noise: a cohort study"
    assert [(n.last, n.first, n.von) for n in first.authors] == [
        ("Okafor", "N.", ""),
        ("Vestergaard", "L. A.", ""),
        ("Berg", "P.", "van der"),
    ]
    assert (first.container, first.year, first.volume, first.issue, first.pages) == (
        "Invented Hearing Journal",
        2021,
        "43",
        "2",
        "112-119",
    )
    assert first.pmid == "99000001" and first.doi == "10.5555/ihj.2021.43.112"
    assert first.abstract == 'Adults rated the "effort" of listening in two settings.'
    assert first.keywords == ("listening effort", "hearing loss")
    assert first.provenance[0].line == 1 and first.provenance[0].original_id == "L2099000001"
    # the article number stands for the pages; the database's type is kept for dedupe to read
    assert second.pages == "100172" and second.provenance[0].line == 17
    assert second.get("publication_type") == "Conference Abstract"
    assert second.get("embase_classifications") == "Otorhinolaryngology (11); Rehabilitation (19)"


def test_a_block_that_names_no_work_is_set_aside_at_its_line() -> None:
    result = read_text(EXPORT, "embase.csv", "database-search")
    assert len(result.records) == 2
    assert [r.location.line for r in result.rejects] == [26]
    assert "nothing identifies the work" in result.rejects[0].reason


def test_a_table_whose_header_is_in_capitals_is_still_read_as_a_table() -> None:
    table = '"TITLE","AUTHOR NAMES","DOI"\n"SOURCE OF ERROR","Lund P.","10.5555/x"\n'
    assert sniff(table) == "csv"
    (record,) = read_text(table, "t.csv", "s").records
    assert record.title == "SOURCE OF ERROR" and record.doi == "10.5555/x"


def test_import_keeps_every_block_of_an_embase_export(tmp_path: Path) -> None:
    output, corpus = import_one_export(tmp_path, "embase.csv", EXPORT)
    assert "read 3 = added 2 + already in corpus 0 + rejected 1" in output, output
    assert "Listening effort in quiet and in noise" in corpus
    assert "Hearing aid use at night" in corpus
    assert "AUTHOR NAMES" not in corpus


def test_a_quote_left_open_sets_its_block_aside_and_the_next_blocks_are_read() -> None:
    broken = EXPORT.replace('"Hearing aid use at night"', '"Hearing aid use at night', 1)
    result = read_text(broken, "embase.csv", "database-search")
    assert [r.title for r in result.records] == [
        "Listening effort in quiet and in noise: a cohort study"
    ]
    quote, unnamed = result.rejects
    assert quote.location.line == 17 and "not closed" in quote.reason
    assert "Hearing aid use at night" in quote.text and "L2099000002" in quote.text
    assert unnamed.location.line == 26 and "nothing identifies" in unnamed.reason


def test_a_quote_never_closed_sets_the_rest_of_the_file_aside() -> None:
    broken = EXPORT.replace('"PUI","L2099000003"', '"PUI","L2099000003', 1)
    broken = broken.replace('"EMBASE CLASSIFICATIONS","Otorhinolaryngology (11)"\n"PUI"', '"PUI"')
    result = read_text(broken + '"TITLE","A last study"\n', "embase.csv", "database-search")
    assert len(result.records) == 2
    (reject,) = result.rejects
    assert "never closed" in reject.reason and "A last study" in reject.text


def test_first_and_last_page_fields_give_the_pages_when_the_source_names_none() -> None:
    export = (
        '"TITLE","Noise at the bedside"\n'
        '"AUTHOR NAMES","Lund P."\n'
        '"SOURCE","Invented Ward Journal (2019) 7:1. Date of Publication: 1 Jan 2019"\n'
        '"PUBLICATION YEAR","2019"\n'
        '"FIRST PAGE","45"\n'
        '"LAST PAGE","52"\n'
        "\n"
        '"TITLE","Quiet hours on a surgical ward"\n'
        '"AUTHOR NAMES","Okafor N."\n'
        '"PUBLICATION YEAR","2020"\n'
        '"FIRST PAGE","e101"\n'
        "\n"
        '"TITLE","Alarm fatigue revisited"\n'
        '"AUTHOR NAMES","Berg P."\n'
        '"SOURCE","Invented Ward Journal (2021) 9:2 (10-18). Date of Publication: 2021"\n'
        '"FIRST PAGE","10"\n'
        '"LAST PAGE","19"\n'
        "\n"
        '"TITLE","A last page with no first"\n'
        '"AUTHOR NAMES","Lund P."\n'
        '"LAST PAGE","30"\n'
    )
    records = read_text(export, "embase.csv", "database-search").records
    assert [r.pages for r in records] == ["45-52", "e101", "10-18", ""]
    # the fields themselves are kept as the export gave them
    assert records[0].get("first_page") == "45" and records[0].get("last_page") == "52"
