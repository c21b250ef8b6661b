"""Exports written by R (a team's combined, deduplicated RIS or CSV saved from R): ``NA`` in
every field that had no value, and characters R could not write escaped as their UTF-8 bytes
(``<c3><bc>``) or code points (``<U+00FC>``). The records below are invented; the layout is
that of a real R-written RIS file, whose records came in with the journal ``NA``, the abstract
``NA``, an editor ``NA`` and authors named ``Br<c3><bc>ggemann``."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from litreview.io import read_text
from litreview.text.normalize import repair_r_escapes

RIS = """TY  - JOUR
AU  - Br<c3><bc>ggemann, Tove
AU  - Sj<U+00F6>berg, Anna
ED  - NA
PY  - 2022
TI  - Reading on screens and on paper: a classroom trial
JO  - NA
VL  - NA
AB  - NA
KW  - NA
LA  - NA
N1  - NA
ID  - Br<c3><bc>ggemann2022
ER  -
"""


def test_na_is_no_value_and_escaped_characters_are_read_back() -> None:
    (record,) = read_text(RIS, "combined.ris", "database-search").records
    assert [a.last for a in record.authors] == ["Brüggemann", "Sjöberg"]
    assert (record.container, record.volume, record.abstract, record.language) == ("", "", "", "")
    assert record.get("editor") == "" and record.get("note") == ""
    assert record.provenance[0].original_id == "Brüggemann2022"
    # a keyword may be the word NA (sodium, say): kept
    assert record.keywords == ("NA",)


def test_a_csv_from_r_reads_na_as_no_value() -> None:
    text = "Title,Authors,Journal,Year,Abstract\nA trial,Br<c3><bc>ggemann T,NA,2021,NA\n"
    (record,) = read_text(text, "combined.csv", "database-search").records
    assert (record.container, record.abstract, record.year) == ("", "", 2021)
    assert record.authors[0].last == "Brüggemann"


def test_na_inside_a_value_and_marks_that_are_not_one_character_stay_as_written() -> None:
    assert repair_r_escapes("a <b> tag, 5 <c3> and <zz>") == "a <b> tag, 5 <c3> and <zz>"
    assert repair_r_escapes("<c3><28>") == "<c3><28>"  # not a UTF-8 character
    assert repair_r_escapes("<e2><80><93>") == "\u2013"
    text = "TY  - JOUR\nTI  - NA and NAFLD in <i>mice</i>\nER  - \n"
    (record,) = read_text(text, "x.ris", "s").records
    assert record.title == "NA and NAFLD in mice"


@given(st.text())
def test_text_without_r_s_marks_comes_back_unchanged(text: str) -> None:
    assume(not any(mark in text for mark in ("<c", "<d", "<e", "<f", "<U+")))
    assert repair_r_escapes(text) == text


@given(st.text(min_size=1, max_size=20))
def test_every_character_r_escaped_byte_by_byte_is_read_back(text: str) -> None:
    assume("<" not in text)
    escaped = "".join(
        c if c.isascii() else "".join(f"<{b:02x}>" for b in c.encode("utf-8"))
        for c in text
        if not 0xD800 <= ord(c) <= 0xDFFF
    )
    plain = "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF)
    assert repair_r_escapes(escaped) == plain
