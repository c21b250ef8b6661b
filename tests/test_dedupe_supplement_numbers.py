"""A journal's numbered supplement series (``Acta ... Suppl``): MEDLINE gives the supplement's
number as the volume and names the series ``... Suppl``; Scopus gives the journal's own volume
and the supplement's number in the issue (``S520``). One article, however the two place it. The
records are invented."""

from __future__ import annotations

from litreview.dedupe import DUPLICATE
from litreview.model import Name

from .dedupe_helpers import record, verdict

ARTICLE = {
    "entry_type": "article",
    "title": "Computer assisted records of balance disorders in a hospital clinic",
    "authors": (Name("Lindqvist", "Maria"), Name("Okafor", "Chidi"), Name("Berg", "Pia")),
    "year": 1995,
    "pages": "205-206",
}


def test_a_supplement_number_as_medlines_volume_is_the_issue_scopus_numbers_it_by() -> None:
    medline = record(
        "medline", ARTICLE, container="Acta Invented Otol Suppl", volume="520", issue="Pt 1"
    )
    scopus = record(
        "scopus", ARTICLE, container="Acta Invented Otologica", volume="115", issue="S520"
    )
    assert verdict(medline, scopus) == DUPLICATE


def test_a_volume_that_is_no_supplement_number_of_the_other_still_differs() -> None:
    medline = record(
        "medline", ARTICLE, container="Acta Invented Otol Suppl", volume="521", issue="Pt 1"
    )
    scopus = record(
        "scopus", ARTICLE, container="Acta Invented Otologica", volume="115", issue="S520"
    )
    assert verdict(medline, scopus) != DUPLICATE
    plain = record("plain", ARTICLE, container="Acta Invented Otologica", volume="520", issue="3")
    other = record("other", ARTICLE, container="Acta Invented Otologica", volume="115", issue="3")
    assert verdict(plain, other) != DUPLICATE
