"""What leaves litreview and comes back: identifiers, authors and a title's characters survive
each export (RIS, BibTeX, references.bib) and the readers that take them back."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from litreview.export import records as ex
from litreview.io import read_path, read_text
from litreview.io.bibtex import format_entry
from litreview.model import Name, Record

#: a title with every character LaTeX gives a meaning to that real titles carry
SPECIAL_TITLE = "Doctors & managers: 50% of trusts, the #1 cost_centre, $5m budgets and 10^6 beds"


def _article(**kw: object) -> Record:
    base: dict[str, object] = dict(
        key="Okafor2015",
        entry_type="article",
        title="Doctors and managers in English hospitals",
        authors=(Name("Okafor", "Chidi"),),
        year=2015,
        container="Journal of Health Organization & Management",
        doi="10.1108/jhom_2015_001",
        url="https://example.org/a%20b_c#x",
    )
    base.update(kw)
    return Record(**base)  # type: ignore[arg-type]


# --- RIS: the PMID -----------------------------------------------------------------------------


def test_ris_export_keeps_the_pmid_and_the_key_when_read_back() -> None:
    rec = _article(pmid="25678901")
    text = ex.to_ris([ex.ExportItem(rec, "included")])
    assert {"AN  - 25678901", "DB  - PubMed"} <= set(text.splitlines())  # as EndNote writes it
    back = read_text(text, "x.ris", "x").records[0]
    assert back.pmid == "25678901"
    assert back.provenance[0].original_id == "Okafor2015"  # so the key is kept on re-import


def test_ris_accession_number_is_a_pmid_only_when_the_database_is_pubmed() -> None:
    def ris(*tags: str) -> str:
        return "\n".join(["TY  - JOUR", "TI  - A title of some length", *tags, "ER  - ", ""])

    endnote = read_text(ris("AN  - 26946935", "DB  - PubMed"), "x.ris", "x").records[0]
    assert endnote.pmid == "26946935"
    cinahl = read_text(ris("AN  - 104567890", "DB  - CINAHL"), "x.ris", "x").records[0]
    assert cinahl.pmid == ""
    bare = read_text(ris("AN  - 26946935"), "x.ris", "x").records[0]
    assert bare.pmid == "" and bare.provenance[0].original_id == "26946935"


def test_ris_export_without_a_pmid_writes_no_accession_number() -> None:
    text = ex.to_ris([ex.ExportItem(_article(), "included")])
    assert not any(line.startswith(("AN ", "DB ")) for line in text.splitlines())


# --- RIS: ISBN and ISSN ------------------------------------------------------------------------


def test_ris_isbn_of_a_chapter_reads_back_as_an_isbn() -> None:
    rec = _article(
        key="Brown2012",
        entry_type="incollection",
        container="Trust Matters in Health Care",
        extra=(("isbn", "978-0-335-24479-9"), ("publisher", "Open University Press")),
    )
    back = read_text(ex.to_ris([ex.ExportItem(rec, "included")]), "x.ris", "x").records[0]
    assert back.get("isbn") == "978-0-335-24479-9" and back.get("issn") == ""


def test_ris_issn_of_an_article_stays_an_issn() -> None:
    rec = _article(extra=(("issn", "1477-7266"),))
    back = read_text(ex.to_ris([ex.ExportItem(rec, "included")]), "x.ris", "x").records[0]
    assert back.get("issn") == "1477-7266" and back.get("isbn") == ""


# --- MEDLINE: a group author -------------------------------------------------------------------


def test_medline_group_author_is_kept_after_the_named_authors() -> None:
    text = "\n".join(
        [
            "PMID- 25678901",
            "TI  - Doctors and managers: a survey of medical directors.",
            "FAU - D'Arcy, Séamus",
            "AU  - D'Arcy S",
            "CN  - NHS Leadership Study Group",
            "DP  - 2015",
            "JT  - BMJ",
            "",
        ]
    )
    rec = read_text(text, "x.nbib", "x").records[0]
    assert rec.authors == (
        Name("D'Arcy", "Séamus"),
        Name("NHS Leadership Study Group", corporate=True),
    )


# --- BibTeX for LaTeX and pandoc ---------------------------------------------------------------


def test_bibtex_export_escapes_what_latex_reads_as_commands_and_reads_back() -> None:
    rec = _article(title=SPECIAL_TITLE)
    text = ex.to_bibtex([ex.ExportItem(rec, "included")])
    title = next(line for line in text.splitlines() if line.lstrip().startswith("title"))
    assert r"50\% of trusts" in title and r"\#1" in title and r"cost\_centre" in title
    assert r"Doctors \& managers" in title and r"\$5m" in title
    assert r"10\textasciicircum{}6" in title
    assert "journal = {Journal of Health Organization \\& Management}" in text
    # a DOI and a URL are read verbatim by biblatex and pandoc: left as they are
    assert "doi = {10.1108/jhom_2015_001}" in text
    assert "url = {https://example.org/a%20b_c#x}" in text
    back = read_text(text, "x.bib", "x").records[0]
    assert (back.title, back.container, back.doi, back.url) == (
        rec.title,
        rec.container,
        rec.doi,
        rec.url,
    )


def test_bibtex_escaping_does_not_double_an_escape_already_there() -> None:
    rec = _article(extra=(("editor", r"Procter \& Gamble and D{\"u}rr, K. and B{\^o}le, M."),))
    text = format_entry(rec, for_latex=True)
    assert r"editor = {Procter \& Gamble and D{\"u}rr, K. and B{\^o}le, M.}" in text


def test_corpus_layout_is_unchanged_by_latex_escaping() -> None:
    rec = _article(title=SPECIAL_TITLE)
    assert f"title = {{{SPECIAL_TITLE}}}" in format_entry(rec)


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc not installed")
def test_pandoc_reads_the_whole_title_of_a_bibtex_export() -> None:
    import json

    rec = _article(title=SPECIAL_TITLE)
    text = ex.to_bibtex([ex.ExportItem(rec, "included")])
    out = subprocess.run(
        ["pandoc", "-f", "bibtex", "-t", "csljson"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    item = json.loads(out)[0]
    assert item["title"].lower() == SPECIAL_TITLE.lower()
    assert item["container-title"] == rec.container


# --- CSV: the corpus's other fields ------------------------------------------------------------


def test_csv_export_reads_back_with_the_other_fields_under_their_own_names() -> None:
    rec = _article(
        pmid="25678901",
        extra=(("publication_type", "Journal Article"), ("medline_own", "NLM"), ("country", "UK")),
    )
    text = ex.to_csv([ex.ExportItem(rec, "included")], ())
    back = read_text(text, "x.csv", "x").records[0]
    assert back.pmid == "25678901"
    assert (back.get("publication_type"), back.get("medline_own"), back.get("country")) == (
        "Journal Article",
        "NLM",
        "UK",
    )


def test_ris_m3_a_ris_import_brought_is_written_back() -> None:
    rec = _article(
        key="Kowalski2014",
        entry_type="phdthesis",
        container="University of Manchester",
        extra=(("ris_m3", "PhD thesis"),),
    )
    text = ex.to_ris([ex.ExportItem(rec, "included")])
    assert "M3  - PhD thesis" in text.splitlines()
    assert read_text(text, "x.ris", "x").records[0].get("ris_m3") == "PhD thesis"


# --- CSV for spreadsheets: Excel's encoding ----------------------------------------------------


def test_spreadsheet_csvs_start_with_a_utf8_bom_and_asreview_does_not(tmp_path: Path) -> None:
    """Excel opens a CSV without a byte-order mark as the machine's code page (Müller as
    MÃ¼ller); the spreadsheet CSVs carry one, ASReview's CSV (read by pandas) does not."""
    import csv
    import io

    rec = _article(authors=(Name("Müller", "Jörg"),), pmid="1")
    full = ex.to_csv([ex.ExportItem(rec, "included")], ())
    assert full.startswith("\ufeffkey,")
    assert not ex.to_asreview([ex.ExportItem(rec, "included")]).startswith("\ufeff")
    path = tmp_path / "export.csv"
    path.write_text(full, encoding="utf-8")
    back = read_path(path, "x").records[0]  # litreview import reads the file with its BOM
    assert back.provenance[0].original_id == "Okafor2015"
    assert back.authors == rec.authors and back.pmid == "1"
    # a script reads it with utf-8-sig, as Python's docs say for files from Excel
    row = next(csv.DictReader(io.StringIO(full.encode("utf-8").decode("utf-8-sig"))))
    assert row["key"] == "Okafor2015"


def test_evidence_table_csv_starts_with_a_utf8_bom() -> None:
    from litreview.report.render import input_from_dict, render_outputs

    data = input_from_dict(
        {
            "title": "T",
            "studies": [
                {
                    "key": "Muller2012",
                    "record": {"key": "Muller2012", "title": "A", "year": 2012},
                    "key_findings": "x",
                }
            ],
        }
    )
    assert render_outputs(data, formats=("csv",))["evidence-table.csv"].startswith("\ufeffkey,")


def test_an_endnote_record_number_in_id_does_not_replace_the_accession_number_as_its_id() -> None:
    text = "\n".join(
        [
            "TY  - JOUR",
            "TI  - Doctors and managers in Danish hospitals",
            "AN  - 26946935",
            "DB  - PubMed",
            "ID  - 412",
            "ER  - ",
            "",
        ]
    )
    rec = read_text(text, "x.ris", "x").records[0]
    assert rec.pmid == "26946935" and rec.provenance[0].original_id == "26946935"


def test_ris_sn_with_a_qualifier_is_read_by_its_shape() -> None:
    def sn(value: str) -> Record:
        text = f"TY  - BOOK\nTI  - Doctors as managers\nSN  - {value}\nER  - \n"
        return read_text(text, "x.ris", "x").records[0]

    assert sn("978-0-335-24479-9 (pbk.)").get("isbn") == "978-0-335-24479-9 (pbk.)"
    assert sn("0335244793").get("isbn") == "0335244793"
    assert sn("1477-7266 (Print)").get("issn") == "1477-7266 (Print)"
