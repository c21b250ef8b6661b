"""A generation written after a name (``Jr.``, ``Sr``, ``III``) in the author lines of RIS,
MEDLINE, Web of Science and CSV exports. Read as it was written, it became part of the given
names (``King, {Martin Luther, Jr.}``) or, in MEDLINE's ``King ML Jr``, the surname itself: the
record's citation read ``Jr (1963)``, its key started ``Jr``, and dedupe compared the surname
``Jr``. The names below are invented or public figures' written the ways exports write them."""

from __future__ import annotations

import pytest

from litreview.io import read_text
from litreview.io.bibtex import format_names
from litreview.model import Name
from litreview.text.names import parse_tagged_name

KING = Name(last="King", first="Martin Luther", jr="Jr.")


@pytest.mark.parametrize(
    "written",
    [
        "King, Martin Luther, Jr.",  # EndNote's and most RIS exports'
        "King, Jr., Martin Luther",  # BibTeX's order
        "King Jr., Martin Luther",
        "King, Martin Luther Jr.",  # MEDLINE's FAU
    ],
)
def test_a_generation_after_a_name_is_its_jr_part(written: str) -> None:
    assert parse_tagged_name(written) == KING


def test_medline_s_short_form_keeps_the_surname() -> None:
    assert parse_tagged_name("King ML Jr") == Name(last="King", first="M. L.", jr="Jr")
    assert parse_tagged_name("Okafor, C. N., Sr") == Name(last="Okafor", first="C. N.", jr="Sr")


def test_roman_numerals_count_only_when_commas_set_them_apart() -> None:
    assert parse_tagged_name("Smith, John, III") == Name(last="Smith", first="John", jr="III")
    # MEDLINE's initials I. V., not a fourth generation
    assert parse_tagged_name("Smith IV") == Name(last="Smith", first="I. V.")
    # a surname or given name that is a generation's word on its own stays a name
    assert parse_tagged_name("Jr, Alan") == Name(last="Jr", first="Alan")


def test_the_generation_is_written_where_bibtex_reads_it() -> None:
    assert format_names([KING]) == "King, Jr., Martin Luther"


def test_a_ris_and_a_medline_author_with_a_generation_keep_their_surname() -> None:
    text = (
        "TY  - JOUR\nAU  - King, Martin Luther, Jr.\nAU  - Abernathy, Ralph\n"
        "TI  - Letters on a ward\nPY  - 1963\nER  -\n"
    )
    (record,) = read_text(text, "x.ris", "s").records
    assert record.authors[0] == KING
    medline = "PMID- 1\nTI  - Letters on a ward\nAU  - King ML Jr\nDP  - 1963\n"
    (other,) = read_text(medline, "x.nbib", "s").records
    assert (other.authors[0].last, other.authors[0].jr) == ("King", "Jr")
