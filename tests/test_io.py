"""Readers: each fixture reproduces a quirk of a real database export."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litreview.io import read_path, read_text, sniff
from litreview.io.text import decode_bytes
from litreview.model import Record

from .conftest import FIXTURES

IMPORT = FIXTURES / "import"


@pytest.mark.parametrize(
    ("name", "fmt", "records", "rejects"),
    [
        ("scopus_bom_crlf.ris", "ris", 2, 0),
        ("ovid.ris", "ris", 3, 1),
        ("pubmed.nbib", "medline", 2, 0),
        ("wos.ciw", "wos", 2, 0),
        ("scopus.bib", "bibtex", 3, 1),
        ("table.csv", "csv", 3, 1),
        ("table.tsv", "csv", 1, 0),
    ],
)
def test_fixture_gives_expected_counts(name: str, fmt: str, records: int, rejects: int) -> None:
    result = read_path(IMPORT / name, "src")
    assert (result.format, len(result.records), len(result.rejects)) == (fmt, records, rejects)


def test_format_is_sniffed_from_content_not_extension(tmp_path: Path) -> None:
    target = tmp_path / "export.txt"
    target.write_bytes((IMPORT / "wos.ciw").read_bytes())
    assert read_path(target, "wos").format == "wos"


def test_ris_bom_before_ty_is_read() -> None:
    rec = read_path(IMPORT / "scopus_bom_crlf.ris", "scopus").records[0]
    assert rec.title.startswith("The quality of interaction")
    assert rec.year == 2011 and rec.pages == "43-50" and rec.keywords == ("trust", "NHS")


def test_ris_corporate_author_stays_one_organisation() -> None:
    rec = read_path(IMPORT / "scopus_bom_crlf.ris", "scopus").records[1]
    assert rec.authors[0].corporate and rec.authors[0].last == "British Medical Association"


def test_ovid_numbered_lines_untagged_text_and_url_encoded_doi() -> None:
    recs = read_path(IMPORT / "ovid.ris", "ovid").records
    first = recs[0]
    assert (
        first.title
        == "Consensus and contention: doctors' and managers' perceptions of the doctor-manager relationship"
    )
    assert (
        first.abstract
        == "A national survey of medical directors and clinical directors in English trusts."
    )
    assert first.doi == "10.12968/bjhc.2003.9.6.202"
    assert first.provenance[0].original_id == "10443"


def _one_ris(*lines: str) -> Record:
    text = "TY  - JOUR\nTI  - Bedside handover on a stroke unit\nAU  - Okafor, C.\n"
    return read_text(text + "".join(f"{x}\n" for x in lines) + "ER  - \n", "x.ris", "s").records[0]


def test_ris_journal_in_jf_wins_over_a_t2_holding_the_title_in_its_own_language() -> None:
    # Ovid MEDLINE: JF is the journal, T2 the title as first published (here in German)
    rec = _one_ris("T2  - Ubergabe am Krankenbett auf einer Stroke Unit", "JF  - Pflege Aktuell")
    assert rec.container == "Pflege Aktuell"
    assert dict(rec.extra)["ris_t2"] == "Ubergabe am Krankenbett auf einer Stroke Unit"


def test_ris_t2_that_repeats_the_title_is_not_the_journal() -> None:
    # Ovid's Cochrane CENTRAL records: T2 repeats the title, JA alone names the journal
    rec = _one_ris("T2  - Bedside handover on a stroke unit.", "JA  - Nursing times")
    assert rec.container == "Nursing times"
    assert "ris_t2" not in dict(rec.extra)


def test_ris_t2_stays_the_journal_where_the_export_names_it_nowhere_else() -> None:
    # Scopus, Web of Science, Zotero: T2 is the journal, J2 its abbreviation
    rec = _one_ris("T2  - Journal of Advanced Nursing", "J2  - J Adv Nurs")
    assert rec.container == "Journal of Advanced Nursing"
    same = _one_ris("T2  - Journal of Advanced Nursing", "JF  - Journal of Advanced Nursing")
    assert same.container == "Journal of Advanced Nursing" and "ris_t2" not in dict(same.extra)


def test_ovid_medline_accession_number_is_the_pmid_and_embase_s_is_not() -> None:
    link = "L2  - http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D={}&NEWS=N&AN={}"
    medline = _one_ris("ID  - 30123456", link.format("med15", "30123456"))
    assert medline.pmid == "30123456"
    ahead_of_print = _one_ris("ID  - 31234567", link.format("prem", "31234567"))
    assert ahead_of_print.pmid == "31234567"
    embase = _one_ris("ID  - 625343484", link.format("emed18", "625343484"))
    assert embase.pmid == "" and embase.provenance[0].original_id == "625343484"
    # an accession number with no Ovid link says nothing of where it comes from
    assert _one_ris("ID  - 30123456").pmid == ""


def test_ris_year_range_takes_the_first_year() -> None:
    assert read_path(IMPORT / "ovid.ris", "ovid").records[1].year == 1975


def test_ris_tags_after_er_start_a_new_record_with_a_warning() -> None:
    result = read_path(IMPORT / "ovid.ris", "ovid")
    assert result.records[2].title == "Orphan record written after an ER line"
    assert any(p.code == "ris-orphan-tag" and p.location.line == 25 for p in result.problems)


def test_record_without_title_is_rejected_with_line_and_verbatim_text() -> None:
    result = read_path(IMPORT / "ovid.ris", "ovid")
    (reject,) = result.rejects
    assert reject.location.line == 30
    assert "VL  - 9" in reject.text
    assert "no title" in reject.reason


def test_medline_continuation_lines_and_repeated_tags() -> None:
    first = read_path(IMPORT / "pubmed.nbib", "pubmed").records[0]
    assert (
        first.title == "Views of doctors and managers on the doctor-manager relationship in the NHS"
    )
    assert first.pmid == "12649237" and first.doi == "10.1136/bmj.326.7390.626"
    assert first.pages == "626-628"
    assert first.authors[0].last == "Davies" and first.authors[0].first == "Huw T O"
    assert (
        dict(first.extra)["publication_type"] == "Journal Article; Research Support, Non-U.S. Gov't"
    )


def test_wos_multiline_authors_and_title() -> None:
    first = read_path(IMPORT / "wos.ciw", "wos").records[0]
    assert [a.last for a in first.authors] == ["Currie", "Suhomlinova"]
    assert first.title.endswith("the triumph of professional power and the inconsistency of policy")
    assert first.provenance[0].original_id == "WOS:000235960300001"


def test_bibtex_repeated_field_keeps_first_and_warns() -> None:
    result = read_path(IMPORT / "scopus.bib", "scopus")
    assert dict(result.records[0].extra)["funding_details"] == "None"
    assert any(p.code == "repeated-field" and p.location.line == 1 for p in result.problems)


def test_bibtex_repeated_fields_are_each_named_once_with_how_many_times() -> None:
    """A field given three times was named twice ("field(s) repeated: year year"); each
    repeated field is named once, with how many times the entry gives it."""
    text = (
        "@article{a,\n  title = {One},\n  year = {2001},\n  year = {2002},\n"
        "  title = {Two},\n  year = {2003},\n  author = {Ode, K.}\n}\n"
        "@article{b,\n  title = {Three},\n  note = {x},\n  note = {y}\n}\n"
    )
    result = read_text(text, "x.bib", "s")
    assert [(r.title, r.year) for r in result.records] == [("One", 2001), ("Three", None)]
    assert [(p.location.line, p.message) for p in result.problems] == [
        (1, "fields repeated, first value kept: year (3 times), title (2 times)"),
        (9, "field repeated, first value kept: note (2 times)"),
    ]


def test_bibtex_malformed_entry_is_rejected_and_the_next_one_kept() -> None:
    result = read_path(IMPORT / "scopus.bib", "scopus")
    assert result.rejects[0].location.line == 26
    assert [r.provenance[0].original_id for r in result.records] == [
        "Forbes2006",
        "Hallier2004",
        "Eeckloo2007",
    ]


def test_csv_column_aliases() -> None:
    recs = read_path(IMPORT / "table.csv", "csv").records
    assert recs[2].doi == "10.1111/j.1467-8551.2010.00708.x"
    assert [a.last for a in recs[2].authors] == ["Cascon-Pereira", "Hallier"]
    tsv = read_path(IMPORT / "table.tsv", "tsv").records[0]
    assert (tsv.title, tsv.year, tsv.container) == (
        "Leadership needs of medical directors and clinical directors",
        2010,
        "King's Fund",
    )


def test_latin1_file_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin1.bib"
    path.write_bytes(
        "@article{k, title = {Güven-Uslu and the NHS}, year = 2006}\n".encode("latin-1")
    )
    result = read_path(path, "x")
    assert result.records[0].title == "Güven-Uslu and the NHS"
    assert any(p.code == "encoding" for p in result.problems)


@pytest.mark.parametrize("bom", [True, False])
def test_utf16_export_is_decoded(tmp_path: Path, bom: bool) -> None:
    text = "TY  - JOUR\r\nTI  - Doctors and managers\r\nER  - \r\n"
    data = (codecs.BOM_UTF16_LE if bom else b"") + text.encode("utf-16-le")
    path = tmp_path / "endnote.ris"
    path.write_bytes(data)
    assert read_path(path, "endnote").records[0].title == "Doctors and managers"


def test_bare_cr_line_ends() -> None:
    decoded = decode_bytes(b"TY  - JOUR\rTI  - Bare CR\rER  - \r")
    assert read_text(decoded.text, "cr.ris", "x").records[0].title == "Bare CR"


def test_nul_bytes_are_removed_with_a_warning() -> None:
    decoded = decode_bytes(b"TY  - JOUR\nTI  - A\x00B\nER  - \n")
    assert "AB" in decoded.text and decoded.warnings


def test_unrecognised_text_is_an_input_error() -> None:
    from litreview.errors import InputError

    with pytest.raises(InputError) as info:
        read_text("just some words\nand more\n", "notes.txt", "x")
    assert "format not recognised" in str(info.value)


def test_sniff_recognises_each_format() -> None:
    assert sniff("@article{a, title={x}}") == "bibtex"
    assert sniff("TY  - JOUR\nER  - \n") == "ris"
    assert sniff("PMID- 1\nTI  - x\n") == "medline"
    assert sniff("FN Clarivate\nVR 1.0\nPT J\nTI x\nER\n") == "wos"
    assert sniff("title,year\nx,2001\n") == "csv"


@given(st.text(max_size=400))
def test_no_reader_raises_on_arbitrary_text(text: str) -> None:
    for fmt in ("bibtex", "ris", "medline", "wos", "csv", "cochrane", "endnote"):
        result = read_text(text, "fuzz.txt", "fuzz", fmt)
        assert all(r.reason and r.location.path == "fuzz.txt" for r in result.rejects)
        assert all(r.provenance and r.provenance[0].path == "fuzz.txt" for r in result.records)


@given(
    st.lists(
        st.sampled_from(
            [
                "@article{",
                "}",
                "{",
                "title = ",
                '"',
                ",",
                "#",
                "@string{",
                "x",
                "\n",
                "=",
                "2003",
                "@comment",
                "(",
                ")",
                "\\'e",
            ]
        ),
        max_size=60,
    )
)
def test_bibtex_reader_survives_mutated_structure(parts: list[str]) -> None:
    result = read_text("".join(parts), "m.bib", "fuzz", "bibtex")
    assert all(r.reason and r.location.line for r in result.rejects)


def test_ovid_tags_after_er_belong_to_the_record_before_them_and_reject_nothing() -> None:
    from litreview.io import read_text

    text = (
        "TY  - JOUR\nTI  - Ward rounds led by nurses\nAU  - Okafor, C.\nER  - \nNL  - 4\n\n"
        "TY  - JOUR\nTI  - Discharge letters by junior doctors\nAU  - Lindqvist, M.\nER  - \nNL  - 5\n"
        "L2  - http://example.org/record/5\n"
    )
    result = read_text(text, "ovid.ris", "embase")
    assert [r.title for r in result.records] == [
        "Ward rounds led by nurses",
        "Discharge letters by junior doctors",
    ]
    assert not result.rejects
    assert not [p for p in result.problems if p.code == "ris-orphan-tag"]
    assert result.records[1].url == "http://example.org/record/5"


def test_a_quote_inside_an_unquoted_csv_cell_is_not_taken_for_one_never_closed() -> None:
    from litreview.io import read_text

    # three quotes from the last row's start, all in their place: a quoted title over two
    # lines, then a quote that is a character (inches) in a cell that does not start with one
    text = 'title,author,year\n"Ward rounds\nled by nurses",Okafor C 5" tall,2018\n'
    result = read_text(text, "table.csv", "sheet")
    assert [r.title for r in result.records] == ["Ward rounds led by nurses"]
    assert not result.rejects


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('key,note\nA1,"opened\nB2,x\nC3,y\n', 2),
        ('key,note\nA1,fine\nB2,"opened on the last line\n', 3),
    ],
)
def test_read_table_names_the_line_where_a_quote_never_closed_opened(text: str, line: int) -> None:
    from litreview.io.csvrows import read_table

    table = read_table(text, "d.csv")
    (error,) = table.errors
    assert (error.location.line, error.code) == (line, "csv-open-quote")
    assert [n for n, _ in table.rows] == list(range(2, line))


def test_a_csv_quote_never_closed_sets_its_line_aside_and_keeps_the_rows_after_it() -> None:
    from litreview.io import read_text

    text = (
        'title,author,year\n"Ward rounds led by nurses,Okafor C,2018\nDischarge letters,Lindqvist M,2017\n'
        '"Audits, and what they miss",Brandt J,2016\n'
    )
    result = read_text(text, "table.csv", "sheet")
    assert [(r.title, r.provenance[0].line) for r in result.records] == [
        ("Discharge letters", 3),
        ("Audits, and what they miss", 4),
    ]
    (reject,) = result.rejects
    assert reject.location.line == 2 and "never closed" in reject.reason
    assert reject.text == '"Ward rounds led by nurses,Okafor C,2018'
    # a quoted cell that spans lines and is closed is no such thing
    fine = read_text('title,abstract\n"A title","two\nlines"\n"Another",x\n', "t.csv", "s")
    assert [r.title for r in fine.records] == ["A title", "Another"] and not fine.rejects


def test_a_csv_header_whose_quote_never_closes_sets_every_row_aside_with_the_reason() -> None:
    from litreview.io import read_text

    # the csv module reads every row into the header: they must land in the rejects, not vanish
    text = '"title,year\nWard rounds,2018\nDischarge letters,2017\n'
    result = read_text(text, "table.csv", "sheet")
    assert not result.records
    (reject,) = result.rejects
    assert reject.location.line == 1 and "header is never closed" in reject.reason
    assert "Discharge letters,2017" in reject.text


def test_a_csv_last_line_whose_quote_never_closes_is_set_aside() -> None:
    from litreview.io import read_text

    text = 'title,author,year\nWard rounds,Okafor C,2018\nDischarge letters,"Lindqvist M,2017\n'
    result = read_text(text, "table.csv", "sheet")
    assert [r.title for r in result.records] == ["Ward rounds"]
    (reject,) = result.rejects
    assert reject.location.line == 3 and "never closed" in reject.reason


def test_a_csv_quote_that_swallows_the_rest_of_its_own_row_is_warned_about() -> None:
    from litreview.io import read_text

    # line 2 opens a quote that the inches on line 3 close: the two rows become one record
    text = (
        'title,author,year,doi\n"Ward rounds led by nurses,Okafor C,2018,10.1/a\n'
        'A 5" screen for discharge letters,Lindqvist M,2017,10.1/b\n'
    )
    result = read_text(text, "table.csv", "sheet")
    assert [
        (p.location.line, p.code) for p in result.problems if p.code == "csv-swallowed-rows"
    ] == [(2, "csv-swallowed-rows")]


def test_read_table_takes_a_last_line_the_csv_module_reads_as_one_cell() -> None:
    from litreview.io.csvrows import read_table

    # a quoted start then more text: lenient CSV, but nothing after it can have been swallowed
    table = read_table('key,decision,note\nBode2014,include,"see" the 5" disk\n', "d.csv")
    assert not table.errors and [n for n, _ in table.rows] == [2]


def test_editors_and_organisations_write_bibtex_that_a_strict_client_reads() -> None:
    from dataclasses import replace

    import pybtex.database

    from litreview.io import read_text
    from litreview.io.bibtex import format_entry, read_bibtex

    text = (
        "TY  - JOUR\nTI  - Ward rounds led by nurses\nAU  - Okafor, C.\nAU  - Hospital Audit Collaborative\n"
        "A2  - Lindqvist, Maja\nA2  - Brandt, J.\nA2  - Regional Trials Group\nPY  - 2018\nER  -\n"
    )
    (record,) = read_text(text, "a.ris", "s").records
    entry = format_entry(replace(record, key="Okafor2018"))
    parsed = pybtex.database.parse_string(entry, "bibtex")  # strict: "Too many commas" before
    (item,) = parsed.entries.values()
    assert [str(p) for p in item.persons["editor"]] == [
        "Lindqvist, Maja",
        "Brandt, J.",
        "{Regional Trials Group}",
    ]
    assert len(item.persons["author"]) == 2
    # the corpus reads it back as it was written
    (again,) = read_bibtex(entry, "corpus/records.bib", source="corpus").records
    assert format_entry(again) == entry
    # an editor field an export ran together with ";" is written as a name list
    joined = replace(record, key="X2018", extra=(("editor", "Smith, J.; Jones, K.; Lee, M."),))
    (item,) = pybtex.database.parse_string(format_entry(joined), "bibtex").entries.values()
    assert [str(p) for p in item.persons["editor"]] == ["Smith, J.", "Jones, K.", "Lee, M."]


def test_a_second_csv_column_for_one_field_is_kept_not_dropped() -> None:
    from litreview.io import read_text

    text = "Title,DOI 1,DOI 2\nWard rounds led by nurses,10.1000/first,10.1000/second\n"
    (record,) = read_text(text, "t.csv", "s").records
    assert record.doi == "10.1000/first"
    assert dict(record.extra)["doi2"] == "10.1000/second"


def test_a_quoted_cell_that_swallows_lines_shaped_like_rows_is_warned_about() -> None:
    from litreview.io import read_text

    text = (
        'title,author,year\n"Ward rounds led by nurses,Okafor C,2018\nDischarge letters,Lindqvist M,2017\n'
        '"Audits,Brandt J,2016\nLast row,Lee K,2015\n'
    )
    result = read_text(text, "t.csv", "s")
    warned = [p for p in result.problems if p.code == "csv-swallowed-rows"]
    assert [p.location.line for p in warned] == [2]
    assert "quote" in warned[0].message


# --- a large RIS file read in parts (issue 16) -------------------------------------------------

_RIS_RECORD = st.builds(
    lambda n, title, extra, end: (
        f"TY  - JOUR\nAU  - Okafor, Chidi\nTI  - {title} {n}\n{extra}"
        f"PY  - 20{n % 20:02d}\nAB  - Words of the abstract\n{end}"
    ),
    st.integers(0, 999),
    st.sampled_from(["Handover audit", "Ward rounds", "Sepsis bundles"]),
    st.sampled_from(
        ["", "  wrapped text that continues the title\n", "1.\n", "KW  - a\nKW  - b\n"]
    ),
    st.sampled_from(
        ["ER  - \n", "ER  -\n\n", "ER  - \nN1  - a note after ER\n", "", "ER  - \n\n\n"]
    ),
)


def _ris_outcome(text: str) -> tuple[object, ...]:
    r = read_text(text, "searches/db.ris", "db", "ris")
    return (r.records, [p.as_dict() for p in r.problems], r.rejects)


@given(
    st.lists(_RIS_RECORD, min_size=2, max_size=12), st.integers(2, 4), st.text("\n ", max_size=3)
)
def test_a_ris_file_read_in_parts_reads_as_it_does_whole(
    records: list[str], parts: int, head: str
) -> None:
    from unittest import mock

    from litreview import workers

    text = head + "".join(records)
    whole = _ris_outcome(text)
    with mock.patch.object(workers, "worker_count", lambda *a, **k: parts):
        assert _ris_outcome(text) == whole


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="forked on Linux")
def test_a_large_ris_file_is_cut_after_er_lines_and_gives_the_same_records() -> None:
    from unittest import mock

    from litreview import workers
    from litreview.io import _tagged

    text = "".join(
        f"TY  - JOUR\nAU  - Ames, Anna\nTI  - Study {i}\nPY  - 2010\nAB  - {'words ' * 30}\n"
        + ("ER  - \n\n" if i % 7 else "ER  - \nN1  - held after ER\n\n")
        for i in range(600)
    )
    whole = _ris_outcome(text)
    parts = _tagged._parts(text, "ris", 3)
    assert len(parts) == 3 and parts[0][2] == 1 and parts[1][2] > 1000
    for start, _stop, _line in parts[1:]:
        assert (
            text[start:].startswith("TY  -") and _tagged._line_before(text, start - 1) == "ER  - "
        )
    with (
        mock.patch.object(workers, "worker_count", lambda *a, **k: 3),
        mock.patch.object(_tagged, "_read_records", wraps=_tagged._read_records) as reads,
    ):
        assert _ris_outcome(text) == whole
    # read in parts, not whole: this process read the last part (the others were forked)
    assert reads.call_count == 1 and reads.call_args.args[-1] == parts[-1][2] > 1
    assert len(whole[0]) == 600


_MEDLINE_RECORD = st.builds(
    lambda n, extra, gap: (
        f"PMID- {1000 + n}\nTI  - Ward rounds {n}\n{extra}FAU - Okafor, Chidi\nDP  - 2015\n"
        f"AB  - Words of the abstract\n{gap}"
    ),
    st.integers(0, 999),
    st.sampled_from(["", "      continued title words\n", "odd line\n"]),
    st.sampled_from(["\n", "\n\n", "   \n", ""]),
)
_WOS_RECORD = st.builds(
    lambda n, extra, end: (
        f"PT J\nAU Okafor, C\nTI Ward rounds {n}\n{extra}PY 2015\nAB Words of the abstract\n{end}"
    ),
    st.integers(0, 999),
    st.sampled_from(["", "   continued title words\n", "odd line\n"]),
    st.sampled_from(["ER\n\n", "ER\n", "", "ER\nAU Stray, S\n"]),
)


@given(
    st.sampled_from(["medline", "wos"]).flatmap(
        lambda fmt: st.tuples(
            st.just(fmt),
            st.lists(_MEDLINE_RECORD if fmt == "medline" else _WOS_RECORD, min_size=2, max_size=12),
        )
    ),
    st.integers(2, 4),
)
def test_a_medline_or_wos_file_read_in_parts_reads_as_it_does_whole(
    case: tuple[str, list[str]], parts: int
) -> None:
    from unittest import mock

    from litreview import workers

    fmt, records = case
    text = ("FN Clarivate\nVR 1.0\n" if fmt == "wos" else "") + "".join(records)

    def outcome() -> tuple[object, ...]:
        r = read_text(text, "searches/db.txt", "db", fmt)
        return (r.records, [p.as_dict() for p in r.problems], r.rejects)

    whole = outcome()
    with mock.patch.object(workers, "worker_count", lambda *a, **k: parts):
        assert outcome() == whole


def _same_whole_and_in_parts(text: str, fmt: str, parts: int = 2) -> None:
    from unittest import mock

    from litreview import workers
    from litreview.io import _tagged

    def outcome() -> tuple[object, ...]:
        r = read_text(text, "searches/db.txt", "db", fmt)
        return (r.records, [p.as_dict() for p in r.problems], r.rejects)

    whole = outcome()
    assert _tagged._parts(text, fmt, parts), "the text should be cut"
    with mock.patch.object(workers, "worker_count", lambda *a, **k: parts):
        assert outcome() == whole


def test_a_ris_ty_line_the_reader_does_not_take_as_a_tag_is_no_place_to_cut() -> None:
    # "TY  -JOUR" (no space after the dash) is an untagged line to the reader: the tags after it
    # join the record before, so a part starting there would read differently
    long = "TY  - JOUR\nTI  - Alpha\nAU  - Ames, A\nAB  - " + "words " * 100 + "\nER  - \n"
    odd = "TY  -JOUR\nTI  - Beta\nAU  - Berg, B\nTY  - JOUR\nTI  - Gamma\nER  - \n"
    good = "TY  - JOUR\nTI  - Delta\nAU  - Cole, C\nER  - \n"
    text = long + odd + good * 2
    # the first line after the middle that starts with "TY" is the odd one, right after an ER
    assert text.find("\nTY", len(text) * 9 // 20) + 1 == len(long)
    from litreview.io import _tagged

    assert _tagged._parts(text, "ris", 2)[1][0] == len(long) + len(odd)  # cut at Delta instead
    _same_whole_and_in_parts(text, "ris")


@pytest.mark.parametrize(
    ("fmt", "rejected", "good", "odd"),
    [
        (
            "ris",
            "TY  - JOUR\nPY  - 2010\nER  - \n\n",
            "TY  - JOUR\nTI  - T{n}\nER  - \n\n",
            "TY  - JOUR\nTI  - Last\n",  # no ER: warned about
        ),
        (
            "medline",
            "PMID- \nDP  - 2015\n\n",
            "PMID- 1{n}\nTI  - T{n}\n\n",
            "PMID- 9\nTI  - T\nodd line\n",
        ),
        ("wos", "PT J\nPY 2015\nER\n\n", "PT J\nTI T{n}\nER\n\n", "PT J\nTI T\nodd line\nER\n"),
    ],
)
def test_problems_of_a_file_read_in_parts_come_in_the_whole_reads_order(
    fmt: str, rejected: str, good: str, odd: str
) -> None:
    # a whole read reports what splitting noticed first, then the records it rejected
    text = rejected + "".join(good.format(n=n) for n in range(6)) + odd
    _same_whole_and_in_parts(text, fmt)


def _container_names() -> tuple[str, ...]:
    from litreview.io.bibtex import _CONTAINER_FIELDS

    # the fields a container may come from, and the names format_entry gives it
    return (*_CONTAINER_FIELDS, "x-container", *(f"x-{f}" for f in _CONTAINER_FIELDS))


_WORDS = st.from_regex(r"[A-Z][a-z]{2,8}( [A-Z][a-z]{2,8}){0,2}", fullmatch=True)


@given(
    kind=st.sampled_from(
        ["article", "book", "misc", "online", "techreport", "inproceedings", "phdthesis", "dataset"]
    ),
    container=st.one_of(st.just(""), _WORDS),
    extras=st.dictionaries(st.sampled_from(_container_names()), _WORDS, max_size=3),
)
def test_a_written_record_keeps_its_container_whatever_container_like_fields_it_also_has(
    kind: str, container: str, extras: dict[str, str]
) -> None:
    # Lens records (a misc with a journal and a publisher; an article with a publisher and no
    # journal) came back from records.bib with the publisher as their container, so dedupe
    # compared publishers
    from hypothesis import assume

    from litreview.io.bibtex import format_entry, read_bibtex
    from litreview.model import Name, Record

    # biblatex's journaltitle naming the same journal is read as that journal's other name
    assume(extras.get("journaltitle") != container)
    record = Record(
        key="Okafor2018",
        entry_type=kind,
        title="Ward rounds led by nurses",
        authors=(Name("Okafor", "C."),),
        year=2018,
        container=container,
        extra=tuple(sorted(extras.items())),
    )
    result = read_bibtex(format_entry(record), "corpus/records.bib", source="corpus")
    (again,) = result.records
    assert again.container == container
    assert dict(again.extra) == extras
    assert not result.problems


def test_an_extra_field_named_like_a_container_marker_stays_an_extra_field() -> None:
    # a foreign file's x-journal kept on a misc that a merge then made an article: it was
    # written twice (one value lost) and the cache vouched for the record all the same
    from litreview.io.bibtex import format_entry, read_bibtex, reads_back_unchanged
    from litreview.model import Name, Provenance, Record

    record = Record(
        key="Okafor2018",
        entry_type="article",
        title="Ward rounds led by nurses",
        authors=(Name("Okafor", "Chidi"),),
        year=2018,
        container="Journal of Nursing",
        extra=(("x-journal", "Preprint Mirror"),),
        provenance=(Provenance("db", "a.bib", 1, "m1"),),
    )
    text = format_entry(record)
    assert "x-x-journal = {Preprint Mirror}" in text
    result = read_bibtex(text, "corpus/records.bib", source="corpus")
    assert result.records == [record] and not result.problems
    assert not reads_back_unchanged(record)  # parsed back, never vouched for
    bare = Record(key="B2018", title="Ward rounds", extra=(("x-journal", "Preprint Mirror"),))
    (again,) = read_bibtex(format_entry(bare), "corpus/records.bib", source="corpus").records
    assert (again.container, again.extra) == ("", bare.extra)


def test_a_crossref_child_does_not_inherit_its_parents_container_marker() -> None:
    from litreview.io.bibtex import read_bibtex

    text = (
        "@article{Smith2018, title={Parent}, author={Smith, A.}, x-journal={}, publisher={Pub}}\n"
        "@article{Jones2019, title={Child}, author={Jones, B.}, journal={Real Journal},"
        " crossref={Smith2018}}\n"
    )
    records = {r.key: r for r in read_bibtex(text, "refs.bib", source="s").records}
    assert records["Jones2019"].container == "Real Journal"
    assert records["Smith2018"].container == ""


def test_a_misc_entry_reads_its_container_from_howpublished_before_a_publisher() -> None:
    from litreview.io.bibtex import read_bibtex

    text = (
        "@misc{a, title={Open-file report on river flow}, publisher={Survey Office},"
        " howpublished={Open-File Report Series}}\n"
        "@misc{b, title={Tables}, howpublished={Field notes}, x-howpublished={Data Series}}\n"
        "@dataset{c, title={Counts}, publisher={Archive}, x-container={Data Journal}}\n"
    )
    a, b, c = read_bibtex(text, "corpus/records.bib", source="corpus").records
    assert (a.container, dict(a.extra)) == (
        "Open-File Report Series",
        {"publisher": "Survey Office"},
    )
    # the names format_entry gives a container when an extra field holds the type's own name
    assert (b.container, dict(b.extra)) == ("Data Series", {"howpublished": "Field notes"})
    assert (c.container, dict(c.extra)) == ("Data Journal", {"publisher": "Archive"})
    # an empty one says there is no container, though a publisher is there
    (d,) = read_bibtex(
        "@article{d, title={Counts}, publisher={Archive}, x-journal={}}",
        "corpus/records.bib",
        source="corpus",
    ).records
    assert (d.container, dict(d.extra)) == ("", {"publisher": "Archive"})


@pytest.mark.parametrize(
    ("pages", "written"),
    [
        ("101-112", "101--112"),
        ("e12-e19", "e12--e19"),
        ("I-XXXII", "I-XXXII"),
        ("iii-xiv", "iii-xiv"),
    ],
)
def test_page_ranges_read_back_as_they_were_written(pages: str, written: str) -> None:
    # a range of roman numerals was written with BibTeX's double dash, which the reader keeps
    # for anything but digits: the corpus's pages changed on its first write
    from litreview.io.bibtex import format_entry, read_bibtex
    from litreview.model import Record

    entry = format_entry(Record(key="K2000", title="Front matter", year=2000, pages=pages))
    assert f"pages = {{{written}}}," in entry
    (again,) = read_bibtex(entry, "corpus/records.bib", source="corpus").records
    assert again.pages == pages


def test_embase_style_surname_initials_and_scopus_author_lists_keep_every_surname() -> None:
    """``Dunne E.`` names the surname first; a Scopus CSV cell lists all authors with commas.
    Read by BibTeX's rules, the first gave the surname "E." and the second one author."""
    ris = (
        "TY  - JOUR\nTI  - Falls in older inpatients after a ward move\nAU  - Dunne E.\n"
        "AU  - Okafor C.N.\nPY  - 2014\nER  - \n"
    )
    rec = read_text(ris, "embase.ris", "embase").records[0]
    assert [(a.last, a.first) for a in rec.authors] == [("Dunne", "E."), ("Okafor", "C. N.")]
    csv_text = (
        "Authors,Title,Year,Source title\n"
        '"Akiyama E., Sugiyama S., Matsubara J.",Heart failure clinics in rural areas,2015,Circ J\n'
    )
    row = read_text(csv_text, "scopus.csv", "scopus").records[0]
    assert [a.last for a in row.authors] == ["Akiyama", "Sugiyama", "Matsubara"]


@given(
    st.text(alphabet="aAbB1 <i>&;:\\{}αé-", max_size=12),
    st.text(alphabet="aAbB1 <i>&;:\\{}αé-", max_size=12),
)
def test_the_ris_readers_title_check_is_title_key_equality(a: str, b: str) -> None:
    from litreview.io._tagged import _same_title
    from litreview.text.normalize import title_key

    assert _same_title(a, b) == (title_key(a) == title_key(b))


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        (
            "bibtex",
            "@article{a,\n  title = {Waiting times},\n"
            "  url = {https://doi.org/10.1136/BMJ.326.7390.626}\n}\n"
            "@article{b,\n  title = {Bed days},\n  url = {https://example.org/10.5/x}\n}\n",
        ),
        (
            "csv",
            "title,url\nWaiting times,http://dx.doi.org/10.1136/BMJ.326.7390.626\n"
            "Bed days,https://example.org/10.5/x\n",
        ),
    ],
)
def test_a_doi_only_the_url_gives_is_the_records_doi_and_the_url_stays(fmt: str, text: str) -> None:
    """Reference managers often export a DOI as its resolver's URL; RIS's UR was read so already."""
    first, second = read_text(text, f"x.{fmt}", "s").records
    assert (first.doi, first.url.endswith("BMJ.326.7390.626")) == ("10.1136/bmj.326.7390.626", True)
    assert (second.doi, second.url) == ("", "https://example.org/10.5/x")  # not a DOI's URL


def test_a_corpus_entry_with_a_doi_url_reads_back_as_written() -> None:
    """The corpus is read by the BibTeX reader itself, not as an export: what a person wrote
    there (a URL, no DOI) stays as written."""
    from litreview.io.bibtex import read_bibtex

    text = "@article{A2001,\n  title = {T},\n  url = {https://doi.org/10.1136/bmj.1}\n}\n"
    assert read_bibtex(text, "corpus/records.bib", "corpus").records[0].doi == ""


def test_a_csv_of_bibtex_types_containers_and_organisations_reads_as_written() -> None:
    """litreview's own CSV export, and reference managers' CSVs: a `container` column, BibTeX's
    entry types, and an author list cut at semicolons whose organisation's name holds 'and'."""
    text = (
        "key,entry_type,title,authors,year,container\n"
        "Academy2009,techreport,Clinical engagement,"
        '"Academy of Medical Royal Colleges; NHS Institute for Innovation and Improvement",'
        "2009,NHS Institute\n"
        "Smith2010,phdthesis,Doctors as managers,Smith and Jones,2010,University of Leeds\n"
    )
    first, second = read_text(text, "t.csv", "s").records
    assert (first.entry_type, first.container) == ("techreport", "NHS Institute")
    assert [a.last for a in first.authors] == [
        "Academy of Medical Royal Colleges",
        "NHS Institute for Innovation and Improvement",
    ]
    assert second.entry_type == "phdthesis"
    assert [a.last for a in second.authors] == ["Smith", "Jones"]


def test_the_quote_a_spreadsheet_export_puts_before_a_formula_character_is_taken_off() -> None:
    """litreview's CSVs write a title starting with '-' (a Greek letter an export lost) as
    "'-Cell mass ..." so a spreadsheet does not run it; read back, the title is the record's."""
    from litreview.export.records import ExportItem, to_csv

    record = Record(key="Gupta2018", title="-Cell mass restoration", pages="-", year=2018)
    text = to_csv([ExportItem(record, "included")], ())
    assert "'-Cell mass restoration" in text
    (back,) = read_text(text, "export.csv", "s").records
    assert back.title == "-Cell mass restoration"
    (plain,) = read_text("title,year\n'Tis the season,2001\n", "t.csv", "s").records
    assert plain.title == "'Tis the season"


def test_every_bibtex_entry_type_comes_back_from_a_csv_as_itself() -> None:
    """A record's type survives litreview's own CSV export read back: BibTeX's ``conference``
    (an alias of inproceedings that some exports use) was read as an article."""
    from litreview.model import BIBTEX_TYPES

    rows = "".join(
        f"K{i},{t},A title {i},Smith,2001,Somewhere\n" for i, t in enumerate(sorted(BIBTEX_TYPES))
    )
    records = read_text(
        "key,entry_type,title,authors,year,container\n" + rows, "t.csv", "s"
    ).records
    assert [r.entry_type for r in records] == sorted(BIBTEX_TYPES)
