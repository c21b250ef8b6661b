"""The per-record and per-pair readings dedupe keeps or skips to save time (session 28) read
exactly what they read before: a name's keys are kept per name (every field of it), given
names' initials and first words per written form, and a note at a title's end that only a
bracketed part can be is looked for only where the text searched has a bracket."""

from __future__ import annotations

import re

import pytest

from litreview.dedupe.rules import (
    _all_initials,
    _given_word,
    _name_keys,
    _read_name_keys,
    _word_for_word,
    author_keys,
    features,
)
from litreview.model import Name, Record
from litreview.text.names import given_initials, initials
from litreview.text.normalize import fold


@pytest.mark.parametrize(
    "first",
    ["J.", "J.-P.", "Jean-Pierre", "A. B.", "ÅSA K", "  Mary  Ann ", "", "Ł.", "W X", "J..R"],
)
def test_initials_are_those_of_the_given_names_as_written(first: str) -> None:
    expected = "".join(w[0] for w in re.split(r"[\s.\-]+", fold(first)) if w)
    assert initials(Name("Smith", first)) == expected == given_initials(first)
    assert initials(Name("Other", first, "van", "Jr")) == expected


def test_a_names_keys_depend_on_every_field_of_the_name_not_on_what_was_asked_before() -> None:
    person, group = Name("Smith J"), Name("Smith J", corporate=True)
    assert person == Name("Smith J") and person != group
    # asked in both orders: a memo keyed on the text alone would give the second the first's
    for names in ((person, group), (group, person)):
        _name_keys.cache_clear()
        got = [_name_keys(n) for n in names]
        assert got == [tuple(_read_name_keys(n)) for n in names]
    assert _name_keys(person) == (("smith", "J"),)
    assert _name_keys(group) == (("smithj", ""),)
    assert author_keys((person, group, person)) == (("smith", "J"), ("smithj", ""), ("smith", "J"))


def test_given_words_and_initials_of_a_written_form_do_not_depend_on_the_surname() -> None:
    assert _given_word("Jean-Pierre") == "jean"
    assert _given_word("É. Marie") == "e"
    assert _given_word("") == ""
    assert _all_initials("WX") == "wx"
    assert _all_initials("Wei Xiang") == "wx" == _all_initials("W. X.")


def _record(title: str, entry_type: str = "article") -> Record:
    return Record("Smith2021", entry_type, title, (Name("Smith", "J"),), 2021, "J Surg")


@pytest.mark.parametrize(
    ("title", "field", "expected"),
    [
        ("Outcomes of surgery (vol 30, pg 100, 2021)", "notice", "erratum"),
        # a full-width bracket is a bracket once folded: the correction is read from the folded text
        ("Outcomes of surgery （vol 30, pg 100, 2021）", "notice", "erratum"),
        ("Outcomes of surgery", "notice", ""),
        ("Outcomes of surgery [Preprint]", "preprint", True),
        ("Outcomes of surgery (preprint version 2).", "preprint", True),
        ("Outcomes of surgery preprint", "preprint", False),
        ("Outcomes of surgery (Doctoral thesis)", "thesis", True),
        ("Outcomes of surgery [MSc dissertation]", "thesis", True),
        ("Outcomes of surgery: a thesis", "thesis", False),
    ],
)
def test_notes_at_a_titles_end_are_read_whatever_the_bracket(
    title: str, field: str, expected: object
) -> None:
    assert getattr(features(_record(title)), field) == expected


@pytest.mark.parametrize(
    ("short", "long_", "expected"),
    [
        (("prog", "neuropsychopharmacol"), ("progress", "neuro", "psychopharmacology"), True),
        (("neuro", "endocrinol", "lett"), ("neuroendocrinology", "letters"), True),
        (("j", "bone", "joint", "surg"), ("journal", "bone", "joint", "surgery"), True),
        (("j", "bone", "joint", "surg"), ("journal", "bone", "surgery"), False),
        (("ann", "surg"), ("annals", "surgery", "oncology"), False),
    ],
)
def test_abbreviated_journal_names_are_matched_word_for_word(
    short: tuple[str, ...], long_: tuple[str, ...], expected: bool
) -> None:
    assert _word_for_word(short, long_) is expected
