"""A failure class read on the session-29 tune library (a review's PubMed and Embase exports,
kept outside the project): a foreign article that MEDLINE lists under its own English
translation of the title, in square brackets, and Embase under another English title, the two
records sharing the PMID and the year but neither pages nor authors, because the Embase export
carried only the title, the year and the PMID. Every record here is invented; only the shapes
are the exports'.
"""

from __future__ import annotations

from litreview.model import Name, Record

from .dedupe_helpers import for_a_person, merged, not_merged, record

_PUBMED: dict[str, object] = dict(
    entry_type="article",
    title="[Short-course versus standard antibiotic therapy for mastoiditis in toddlers].",
    authors=(Name("Wendtland", "Ilse"), Name("Korhonen", "Aarni"), Name("Bessette", "Lucie")),
    year=1996,
    container="Klin Padiatr",
    volume="208",
    issue="3",
    pages="141-146",
    pmid="8722094",
)
#: what the Embase export holds of the same article: its own English title, the year, the PMID
_EMBASE: dict[str, object] = dict(
    entry_type="article",
    title="Antibiotic treatment of acute mastoiditis in small children: short or standard course",
    year=1996,
    pmid="8722094",
)


def pubmed(key: str = "A", **kw: object) -> Record:
    return record(key, _PUBMED, **kw)


def embase(key: str = "B", **kw: object) -> Record:
    return record(key, _EMBASE, **kw)


def test_medlines_bracketed_translation_and_a_sparse_embase_title_under_one_pmid_merge() -> None:
    # the brackets say MEDLINE translated the title; Embase translated it its own way. One
    # PMID and one year: one article, though the Embase record has nothing else to compare
    merged(pubmed(), embase())
    # which record is which makes no difference, nor a title without the full stop
    merged(embase("A"), pubmed("B", title=str(_PUBMED["title"]).rstrip(".")))


def test_two_translations_that_reuse_most_words_merge_under_one_pmid() -> None:
    # titles alike but for a word each has (``efficacy`` / ``effectiveness``), which two
    # translators choose as they like: not two topics when MEDLINE marks its title translated
    merged(
        pubmed(title="[Comparative study of the effectiveness of two cephalosporins in otitis]."),
        embase(title="Comparative study of the efficacy of two cephalosporins in otitis"),
    )


def test_without_medlines_brackets_two_english_titles_under_one_pmid_are_not_merged() -> None:
    # nothing says either title is a translation: a PMID a reference manager looked up for the
    # wrong record is as likely, and the two stay apart or wait for a person
    not_merged(
        pubmed(title="Short-course versus standard antibiotic therapy for mastoiditis in toddlers"),
        embase(),
    )
    for_a_person(
        pubmed(title="Comparative study of the effectiveness of two cephalosporins in otitis"),
        embase(title="Comparative study of the efficacy of two cephalosporins in otitis"),
    )


def test_a_bracketed_translation_needs_the_same_pmid_and_year() -> None:
    # another PMID: two citations
    not_merged(pubmed(), embase(pmid="8722095"))
    # no PMID at all (an export without identifiers): the titles alone say nothing
    not_merged(pubmed(pmid=""), embase(pmid=""))
    # the same PMID a year apart: the data disagree
    not_merged(pubmed(), embase(year=1997))


def test_a_bracketed_translation_with_a_conflicting_place_still_waits() -> None:
    # the Embase record with pages of its own that disagree: a trusted field conflicts
    not_merged(
        pubmed(),
        embase(container="Klinische Padiatrie", volume="208", issue="3", pages="152-158"),
    )
