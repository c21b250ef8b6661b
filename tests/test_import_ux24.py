"""Exports whose oddities an import read without a word, or read wrongly (leftovers24)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from litreview.io import read_text
from tests.conftest import invoke

_TWO_SMITHS = (
    "@article{smith2020,\n  title = {Porters at night},\n  author = {Smith, John},\n"
    "  year = {2020},\n  journal = {BMJ}\n}\n\n"
    "@article{Smith2020,\n  title = {Cleaners by day},\n  author = {Smith, Jane},\n"
    "  year = {2021},\n  journal = {Lancet}\n}\n"
)


def test_bibtex_key_used_twice_is_warned_at_each_entry_and_both_are_kept(
    tmp_path: Path,
) -> None:
    """Two entries of one export with the same citation key (BibTeX ignores case) were both
    imported without a word about the key; each entry now gets a warning naming the other's
    line, and both records are still imported."""
    (tmp_path / "corpus").mkdir()
    export = tmp_path / "two.bib"
    export.write_text(_TWO_SMITHS, encoding="utf-8")
    code, out, err = invoke(tmp_path, "import", str(export), "--source", "db", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["added"] == 2
    repeated = [p for p in data["problems"] if p["code"] == "repeated-key"]
    assert [(p["line"], p["key"], p["severity"]) for p in repeated] == [
        (1, "smith2020", "warning"),
        (8, "Smith2020", "warning"),
    ]
    assert "also line 8" in repeated[0]["message"] and "also line 1" in repeated[1]["message"]
    assert all(p["path"].endswith("two.bib") for p in repeated)
    text = (tmp_path / "corpus" / "records.bib").read_text(encoding="utf-8")
    assert "Porters at night" in text and "Cleaners by day" in text


def test_a_pmid_or_ris_id_given_twice_in_one_export_is_warned_and_both_records_are_kept() -> None:
    """Two PubMed exports joined into one file: the PMID given twice was read without a word
    (only BibTeX keys were looked at); each entry is warned of, naming the other's line."""
    entry = "PMID- {}\nTI  - {}\nAU  - Ode K\nDP  - 2011\n\n"
    nbib = entry.format(111, "Porters at night") + entry.format(222, "Cleaners by day")
    read = read_text(nbib + entry.format(111, "Porters at night"), "joined.nbib", "pubmed")
    assert len(read.records) == 3
    repeated = [p for p in read.problems if p.code == "repeated-key"]
    assert [(p.location.line, p.location.key) for p in repeated] == [(1, "111"), (11, "111")]
    assert repeated[0].message.startswith("PMID '111' is used by 2 entries")
    ris = "TY  - JOUR\nID  - {}\nTI  - {}\nER  - \n\n"
    read = read_text(ris.format("7", "Porters") + ris.format("7", "Cleaners"), "x.ris", "db")
    assert len(read.records) == 2
    assert [p.location.line for p in read.problems if p.code == "repeated-key"] == [1, 6]
    once = read_text(ris.format("7", "Porters") + ris.format("8", "Cleaners"), "y.ris", "db")
    assert not [p for p in once.problems if p.code == "repeated-key"]


def test_bibtex_key_used_twice_is_warned_when_the_file_is_read_in_parts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large export is read in parts, one per core: a key repeated across two parts is
    warned of as it is when the file is read whole."""
    from litreview import workers

    monkeypatch.setenv("LITREVIEW_WORKERS", "2")
    monkeypatch.setattr(workers, "TEXT_PART_CHARS", 2_000)
    filler = "".join(
        f"@article{{k{i},\n  title = {{Study number {i}}},\n  author = {{Ode, K.}},\n"
        f"  year = {{2001}}\n}}\n\n"
        for i in range(60)
    )
    text = (
        "@article{twice,\n  title = {First}\n}\n\n"
        + filler
        + "@article{twice,\n  title = {Last}\n}\n"
    )
    result = read_text(text, "x.bib", "s")
    assert len(result.records) == 62
    assert [(p.location.line, p.code) for p in result.problems if p.code == "repeated-key"] == [
        (1, "repeated-key"),
        (text.count("\n", 0, text.rindex("@article{twice")) + 1, "repeated-key"),
    ]


def test_bibtex_distinct_keys_give_no_repeated_key_warning() -> None:
    result = read_text(_TWO_SMITHS.replace("{Smith2020", "{smith2021"), "x.bib", "s")
    assert not [p for p in result.problems if p.code == "repeated-key"]


def test_csv_doi_column_value_that_is_not_a_doi_is_kept_apart_and_warned() -> None:
    """A DOI column holding a PMID, another site's link or free text became the record's DOI
    without a word. It is kept as the field ``csv_doi`` with a warning at its line; a doi.org
    link or a ``doi:`` prefix still gives the DOI."""
    text = (
        "Title,Authors,Year,DOI\n"
        "Porters at night,Smith J,2020,12345678\n"
        "Cleaners by day,Jones K,2021,https://example.com/paper\n"
        "Night shifts,Brown A,2019,https://doi.org/10.1000/ABC.123\n"
        "Ward rounds,Green B,2018,doi:10.1000/xyz\n"
        "Rota gaps,White C,2017,see the publisher's page\n"
    )
    result = read_text(text, "x.csv", "s")
    got = [(r.title, r.doi, dict(r.extra).get("csv_doi")) for r in result.records]
    assert got == [
        ("Porters at night", "", "12345678"),
        ("Cleaners by day", "", "https://example.com/paper"),
        ("Night shifts", "10.1000/abc.123", None),
        ("Ward rounds", "10.1000/xyz", None),
        ("Rota gaps", "", "see the publisher's page"),
    ]
    warned = [(p.location.path, p.location.line) for p in result.problems if p.code == "not-a-doi"]
    assert warned == [("x.csv", 2), ("x.csv", 3), ("x.csv", 6)]
    assert all(not p.is_error for p in result.problems)


def test_ris_and_wos_doi_line_that_is_not_a_doi_is_kept_apart_and_warned() -> None:
    """The same for the tagged formats: a RIS ``DO`` that is not a DOI was dropped without a
    word, and a Web of Science ``DI`` became a DOI of its first word ('pmid'). Both are kept
    under a field of their own (``ris_do``, ``wos_di``) with a warning; a second, different DOI
    on a DO line is kept too, without one."""
    ris = (
        "TY  - JOUR\nTI  - Porters at night\nAU  - Smith, J\nPY  - 2020\nDO  - 12345678\n"
        "ER  - \n\nTY  - JOUR\nTI  - Cleaners\nAU  - Ode, K\nPY  - 2021\n"
        "DO  - 10.1000/a\nDO  - https://doi.org/10.1000/B\nER  - \n"
    )
    result = read_text(ris, "x.ris", "s")
    got = [(r.doi, dict(r.extra).get("ris_do")) for r in result.records]
    assert got == [("", "12345678"), ("10.1000/a", "https://doi.org/10.1000/B")]
    assert [(p.location.line, p.code) for p in result.problems] == [(1, "not-a-doi")]
    wos = "FN Clarivate\nVR 1.0\nPT J\nAU Smith, J\nTI Porters at night\nPY 2020\nDI PMID 12345\nER\n\nEF\n"
    result = read_text(wos, "x.txt", "s")
    (record,) = result.records
    assert (record.doi, dict(record.extra).get("wos_di")) == ("", "PMID 12345")
    assert [(p.location.line, p.code) for p in result.problems] == [(3, "not-a-doi")]


_LOWER_RIS = (
    "ty  - JOUR\nti  - Porters at night\nau  - Vasquez, Ines\npy  - 2014\njo  - BMJ\n"
    "do  - 10.1000/lc.1\ner  - \n\nty  - BOOK\nti  - Cleaners by day\nau  - Ode, K.\n"
    "py  - 2015\ner  - \n"
)


def test_ris_with_lower_case_tags_is_read(tmp_path: Path) -> None:
    """RIS written with lower-case tags (``ty  - JOUR``, from some tools) was refused without
    --format ("format not recognised", exit 2) and read as no records with it. Its records are
    read as an upper-case file's are."""
    (tmp_path / "corpus").mkdir()
    export = tmp_path / "lower.ris"
    export.write_text(_LOWER_RIS, encoding="utf-8")
    code, out, err = invoke(tmp_path, "import", str(export), "--source", "db", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["read"], data["added"], data["rejected"]) == (2, 2, 0)
    tags_upper = re.sub(
        r"^([a-z]{2})  -", lambda m: m.group(1).upper() + "  -", _LOWER_RIS, flags=re.M
    )
    lower = read_text(_LOWER_RIS, "x.ris", "s")
    assert lower.records == read_text(tags_upper, "x.ris", "s").records
    assert [(r.title, r.container, r.doi) for r in lower.records] == [
        ("Porters at night", "BMJ", "10.1000/lc.1"),
        ("Cleaners by day", "", ""),
    ]
    assert read_text(_LOWER_RIS, "x.ris", "s", "ris").records == lower.records


def test_ris_lower_case_tag_like_line_in_an_upper_case_file_stays_text() -> None:
    """Tags are read in any case only in a file with no upper-case TY: in an ordinary export a
    wrapped abstract line that happens to look like a tag is still the abstract's text."""
    text = (
        "TY  - JOUR\nTI  - Porters at night\nAB  - Night work is hard, the cost\n"
        "of  - the rota is high\nER  - \n"
    )
    (record,) = read_text(text, "x.ris", "s").records
    assert record.abstract == "Night work is hard, the cost of - the rota is high"
    assert "ris_of" not in dict(record.extra)
