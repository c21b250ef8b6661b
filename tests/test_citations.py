"""Author–date citations and reference entries in the style of Powell and Davies (2016)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litreview.model import Name, Record
from litreview.report.citations import (
    assign_citations,
    base_citation,
    format_reference,
    initials,
    reference_list,
    suffix_letters,
)


def rec(key: str, *lasts: str, year: int | None = 2014, title: str = "T", **kw: object) -> Record:
    return Record(
        key=key,
        authors=tuple(Name(last=n, first="A. B.") for n in lasts),
        year=year,
        title=title,
        **kw,
    )  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        (("Snow",), "Snow, 2014"),
        (("Hallier", "Forbes"), "Hallier and Forbes, 2014"),
        (("Harvey", "Smith", "Jones"), "Harvey and others, 2014"),
        ((), "Anonymous, 2014"),
    ],
)
def test_citation_names_one_two_or_first_and_others(
    authors: tuple[str, ...], expected: str
) -> None:
    assert base_citation(rec("k", *authors)) == expected


def test_corporate_author_is_cited_by_its_name() -> None:
    r = Record(
        key="BMA", authors=(Name(last="British Medical Association", corporate=True),), year=2012
    )
    assert base_citation(r) == "British Medical Association, 2012"


def test_missing_year_reads_n_d() -> None:
    assert base_citation(rec("k", "Snow", year=None)) == "Snow, n.d."


def test_von_part_stays_with_the_surname() -> None:
    r = Record(key="k", authors=(Name(last="Grand", von="le", first="J."),), year=2004)
    assert base_citation(r) == "le Grand, 2004"


def test_same_citation_for_different_studies_gets_letters_in_title_order() -> None:
    views = rec("D1", "Davies", "Hodges", "Rundall", year=2003, title="Views of doctors")
    consensus = rec(
        "D2", "Davies", "Hodges", "Rundall", year=2003, title="Consensus and contention"
    )
    other = rec("S", "Snow", year=2003)
    assert assign_citations([views, consensus, other]) == {
        "D1": "Davies and others, 2003b",
        "D2": "Davies and others, 2003a",
        "S": "Snow, 2003",
    }


def test_letters_go_past_z() -> None:
    assert [suffix_letters(i) for i in (0, 25, 26, 27)] == ["a", "z", "aa", "ab"]


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        ("Huw T. O.", "HTO"),
        ("Carrie-Louise", "C-L"),
        ("H. T. O.", "HTO"),
        ("Thomas G.", "TG"),
        ("", ""),
    ],
)
def test_initials_without_dots(first: str, expected: str) -> None:
    assert initials(Name(last="X", first=first)) == expected


def test_article_reference_matches_the_review() -> None:
    r = Record(
        key="D",
        entry_type="article",
        title="Views of doctors and managers on the doctor–manager relationship in the NHS",
        authors=(
            Name("Davies", "Huw T. O."),
            Name("Hodges", "Carrie-Louise"),
            Name("Rundall", "Thomas G."),
        ),
        year=2003,
        container="BMJ",
        volume="326",
        pages="626-628",
    )
    assert format_reference(r, "b", "md") == (
        "Davies HTO, Hodges C-L and Rundall TG (2003b) Views of doctors and managers on the doctor–manager "
        "relationship in the NHS. *BMJ* 326: 626–628."
    )


def test_title_ending_in_a_question_mark_gets_no_extra_full_stop() -> None:
    r = Record(
        key="C",
        entry_type="article",
        title="Does the Emperor have any clothes?",
        authors=(Name("Checkland", "C."),),
        year=2014,
        container="J",
        volume="19",
        pages="253--256",
    )
    assert (
        format_reference(r, fmt="text")
        == "Checkland C (2014) Does the Emperor have any clothes? J 19: 253–256."
    )


def test_report_reference_italicises_the_title_and_names_the_publisher() -> None:
    r = Record(
        key="B",
        entry_type="techreport",
        title="Medical engagement",
        authors=(Name("Clark", "John"),),
        year=2012,
        extra=(("address", "London"), ("institution", "The King's Fund")),
    )
    assert (
        format_reference(r, "a", "html")
        == "Clark J (2012a) <em>Medical engagement</em>. The King's Fund, London."
    )


def test_reference_list_sorts_author_by_author_shorter_lists_first() -> None:
    recs = [
        rec("a", "Degeling", "Maxwell", "Kennedy", year=2003),
        rec("b", "Degeling", "Maxwell", year=2004),
        rec("c", "Degeling", "Kennedy", "Hill", year=2001),
        rec("d", "Currie", year=2009),
    ]
    assert [k for k, _ in reference_list(recs)] == ["d", "c", "b", "a"]


def test_markdown_reference_escapes_markup_in_titles() -> None:
    r = rec("k", "Evil", title="<script>x</script> *bold* [l](javascript:x) @cite")
    out = format_reference(r, fmt="md")
    assert "<script>" not in out and "\\*bold\\*" in out and "\\[l\\]" in out and "\\@cite" in out


def test_citations_write_markdown_without_importing_render() -> None:
    """render imports citations; citations' Markdown escaping comes from litreview.report._escaping, so
    the two no longer import each other."""
    import subprocess
    import sys

    code = (
        "import sys; from litreview.report.citations import _md_runs; "
        "out = _md_runs([(True, 'A*b'), (False, ' c_d')]); "
        "assert 'litreview.report.render' not in sys.modules, 'render imported'; print(out)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "*A\\*b* c\\_d\n", "")


_WORD = st.from_regex(r"[A-Za-z]{1,6}\.?(-[A-Za-z]{1,6}\.?){0,2}", fullmatch=True)


@given(st.lists(_WORD, min_size=1, max_size=4).map(" ".join))
def test_plain_first_names_get_the_initials_pybtex_gives_them(first: str) -> None:
    from pybtex.database import Person

    from litreview.report.citations import _initials_of

    person = Person(first=first)
    by_pybtex = "".join(
        str(w.abbreviate()).replace(".", "").replace(" ", "")
        for w in (*person.rich_first_names, *person.rich_middle_names)
    )
    assert _initials_of(first) == by_pybtex
