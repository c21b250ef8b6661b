"""Exports as reference managers and screening tools write them (ux20): fields that were lost."""

from __future__ import annotations

from litreview.io import read_text


def test_covidence_published_year_column_is_the_year() -> None:
    """Covidence's CSV names the year ``Published Year``: it was kept as a field of its own
    and the record had no year (keyed ``-nd``, and a year criterion could not judge it)."""
    text = (
        "Title,Authors,Published Year,Journal,DOI,Covidence #\n"
        'Rota gaps on a night ward,"Achterberg, L.; Quint, R.",2019,J Inv,10.9/cv1,#12\n'
    )
    (record,) = read_text(text, "included.csv", "covidence").records
    assert record.year == 2019
    assert "publishedyear" not in dict(record.extra)


def test_ris_every_url_line_is_kept() -> None:
    """A record with two UR lines (EndNote writes one per link) kept the first and dropped the
    second without a word."""
    text = (
        "TY  - JOUR\nTI  - Porters and the night shift\nAU  - Vasquez, Ines\nPY  - 2014\n"
        "UR  - https://example.org/first\nUR  - https://example.org/second\nER  - \n"
    )
    (record,) = read_text(text, "x.ris", "s").records
    assert record.url == "https://example.org/first"
    assert "https://example.org/second" in dict(record.extra).get("ris_ur", "")


def test_ris_a_second_different_title_is_kept() -> None:
    """Two TI lines (a translated title): the second was dropped without a word."""
    text = (
        "TY  - JOUR\nTI  - Porters and the night shift\nTI  - Les brancardiers de nuit\n"
        "AU  - Vasquez, Ines\nPY  - 2014\nER  - \n"
    )
    (record,) = read_text(text, "x.ris", "s").records
    assert record.title == "Porters and the night shift"
    assert dict(record.extra).get("ris_ti") == "Les brancardiers de nuit"


def test_a_file_with_text_but_no_records_is_said() -> None:
    """A CSV export of a search that found nothing is its header row alone; a file read with a
    --format its text does not follow (a list of titles as RIS) gives nothing either. Both read
    as 0 records without a word, where an empty file is warned of."""
    for text, fmt in (
        ("Title,Authors,Year,DOI\r\n", None),
        ("Porters at night\nVasquez, Ines\n", "ris"),
    ):
        result = read_text(text, "x.txt", "s", fmt)
        assert result.records == [] and result.rejects == []
        assert [p.code for p in result.problems] == ["no-records"], text


def test_excel_sep_line_before_the_header() -> None:
    """Excel's CSV may start with ``sep=;``, the line that names its delimiter: the file was
    "format not recognised" (exit 2). The header is the line after it; lines stay the file's."""
    text = "sep=;\nTitle;Authors;Year\nPorters, at night;Vasquez, I.;2014\nCleaners;Ode, K.;2015\n"
    result = read_text(text, "x.csv", "s")
    assert result.format == "csv"
    assert [(r.title, r.year) for r in result.records] == [
        ("Porters, at night", 2014),
        ("Cleaners", 2015),
    ]
    assert [r.provenance[0].line for r in result.records] == [3, 4]
    assert not result.problems


def test_csv_header_row_again_is_not_a_record() -> None:
    """Two CSV exports joined into one file (``cat``, or pasted in a spreadsheet) hold the
    header row twice: the second was a record titled "Title" by "Authors" with DOI "doi"."""
    text = (
        "Title,Authors,Year,DOI\n"
        'Porters at night,"Vasquez, I.",2014,10.9/p1\n'
        "Title,Authors,Year,DOI\n"
        'Cleaners by day,"Ode, K.",2015,10.9/p2\n'
    )
    result = read_text(text, "joined.csv", "s")
    assert [r.title for r in result.records] == ["Porters at night", "Cleaners by day"]
    assert [r.provenance[0].line for r in result.records] == [2, 4]
    assert [(p.location.line, p.code) for p in result.problems] == [(3, "csv-header-again")]


def test_medline_continuation_line_indented_with_a_tab() -> None:
    """A MEDLINE file an editor saved with its six-space indents turned into a tab: the
    continued title was cut at its first line (the rest only in a warning)."""
    text = "PMID- 201\nTI  - Porters and the night\n\tshift on a stroke unit.\nAU  - Ng A\nDP  - 2019\n"
    (record,) = read_text(text, "x.nbib", "s").records
    assert record.title == "Porters and the night shift on a stroke unit"


def test_ris_an_n2_that_differs_from_the_ab_is_kept() -> None:
    """An AB and an N2 that say different things: the N2 was dropped without a word."""
    text = (
        "TY  - JOUR\nTI  - Porters and the night shift\nAU  - Vasquez, Ines\nPY  - 2014\n"
        "AB  - The short summary.\nN2  - A longer abstract in other words.\nER  - \n"
    )
    (record,) = read_text(text, "x.ris", "s").records
    assert record.abstract == "The short summary."
    assert dict(record.extra).get("ris_n2") == "A longer abstract in other words."
