"""ERIC's export: PubMed's tagged layout with no PMID line, links instead of ``value [kind]``
identifiers, ERIC's own publication types, editors marked in the author lines and ``ISSN-``
prefixes. The records below are invented; they reproduce the layout of a real ERIC export
(a file that `import` refused as "format not recognised" before)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from litreview.cli import cli
from litreview.io import read_text, sniff
from litreview.model import Record

ARTICLE = """OWN - ERIC
TI  - Practice Quizzes and Calmer Exams in a First-Year Statistics Course
AU  - Oduya, Grace M.
AU  - Lindqvist, Per
OT  - Test Anxiety
OT  - Adaptive Testing
JT  - Journal of Invented Teaching Studies
SO  - v7 n2 p33-48 2019
OID - EJ9990001
VI  - 7
IP  - 2
PG  - 33-48
DP  - 2019
LID - http://eric.ed.gov/?id=EJ9990001
AID - http://dx.doi.org/10.5555/jits.2019.0007
AB  - Students who took weekly practice quizzes reported less anxiety before the final exam.
ISSN - EISSN-1234-5679
LA  - English
PT  - Journal Articles
PT  - Reports - Research
"""

REPORT = """OWN - ERIC
TI  - Scoring Timed Responses in Classroom Tests. Research Report No. 4.
AU  - Brandt, Ilse
OID - ED9990002
DP  - 1981
LID - http://eric.ed.gov/?id=ED9990002
AB  - A report on how long pupils take to answer, and what that says about what they know.
PT  - Reports - Research
"""

PROCEEDINGS = """OWN - ERIC
TI  - Proceedings of the Third Invented Meeting on Learning Data (3rd, York, 2015)
AU  - Hale, Maria, Ed.
AU  - Osei, Kwame, Ed.
JT  - Invented Society for Learning Data
OID - ED9990003
DP  - 2015
LID - http://eric.ed.gov/?id=ED9990003
ISBN - 978-0-00-000000-2
PT  - Collected Works - Proceedings
"""

THESIS = """OWN - ERIC
TI  - Item Review in Computer-Delivered Tests
AU  - Nakamura, Ren
OID - ED9990004
DP  - 2017
LID - http://eric.ed.gov/?id=ED9990004
AID - http://gateway.example.org/openurl?dissertation=9990004
PT  - Dissertations/Theses - Doctoral Dissertations
"""

EXPORT = "\r\n" + "\r\n".join([ARTICLE, REPORT, PROCEEDINGS, THESIS]).replace("\n", "\r\n")


def _records() -> dict[str | None, Record]:
    result = read_text(EXPORT.replace("\r\n", "\n"), "eric.nbib", "database-search")
    return {r.provenance[0].original_id: r for r in result.records}


def test_an_eric_export_without_pmid_lines_is_read_as_medline() -> None:
    assert sniff(EXPORT.replace("\r\n", "\n")) == "medline"


def test_a_ris_file_stays_ris_and_a_pubmed_file_medline() -> None:
    assert sniff("TY  - JOUR\nTI  - x\nDP  - Ovid\nAU  - A\nER  - \n") == "ris"
    assert sniff("PMID- 1\nOWN - NLM\nTI  - x\n") == "medline"
    # two of MEDLINE's tags are not enough to call a file MEDLINE
    assert sniff("TI  - x\nAU  - y\nSO  - z\nPT  - w\n") is None


def test_every_record_is_kept_with_eric_s_accession_as_its_original_id() -> None:
    result = read_text(EXPORT.replace("\r\n", "\n"), "eric.nbib", "database-search")
    assert [r.provenance[0].original_id for r in result.records] == [
        "EJ9990001",
        "ED9990002",
        "ED9990003",
        "ED9990004",
    ]
    assert not result.rejects


def test_a_doi_given_as_its_resolver_address_is_the_doi_and_the_page_the_url() -> None:
    article = _records()["EJ9990001"]
    assert article.doi == "10.5555/jits.2019.0007"  # was lost: only "... [doi]" was read
    assert article.url == "http://eric.ed.gov/?id=EJ9990001"
    assert article.get("issn") == "1234-5679"
    assert (article.entry_type, article.container) == (
        "article",
        "Journal of Invented Teaching Studies",
    )


def test_eric_publication_types_give_entry_types_and_a_journal_article_wins() -> None:
    found = {k: r.entry_type for k, r in _records().items()}
    assert found == {
        "EJ9990001": "article",
        "ED9990002": "techreport",
        "ED9990003": "proceedings",
        "ED9990004": "phdthesis",
    }


def test_editors_marked_in_author_lines_become_editors() -> None:
    volume = _records()["ED9990003"]
    assert volume.authors == ()
    assert volume.get("editor") == "Hale, Maria and Osei, Kwame"
    assert volume.get("isbn") == "978-0-00-000000-2"


def test_every_link_is_kept() -> None:
    thesis = _records()["ED9990004"]
    assert thesis.url == "http://eric.ed.gov/?id=ED9990004"
    assert thesis.get("medline_url") == ("http://gateway.example.org/openurl?dissertation=9990004")


def test_import_takes_the_file_without_format_flag_and_warns_of_no_missing_journal(
    tmp_path: Path,
) -> None:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "review.yaml").write_text(
        Path(__file__).resolve().parent.parent.joinpath("review.yaml").read_text()
    )
    export = tmp_path / "eric.nbib"
    export.write_bytes(EXPORT.encode())
    result = CliRunner().invoke(
        cli,
        ["--project", str(tmp_path), "import", str(export), "--source", "database-search"],
    )
    assert result.exit_code == 0, result.output
    assert "read 4 = added 4 + already in corpus 0 + rejected 0" in result.output
    assert "missing journal" not in result.output
    again = CliRunner().invoke(
        cli,
        ["--project", str(tmp_path), "import", str(export), "--source", "database-search"],
    )
    assert "read 4 = added 0 + already in corpus 4 + rejected 0" in again.output
