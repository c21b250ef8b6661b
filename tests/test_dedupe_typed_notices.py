"""A notice the database typed as one: an erratum or a retraction notice exported under the
plain title of the article it corrects (MEDLINE's publication type ``Published Erratum``,
Embase's ``M3 Erratum``), with nothing in its title to say so (issue 15).

Every record here is invented. Each notice sits next to the article it is about, which it must
never join, and next to its own record from a second database, which it still joins.
"""

from __future__ import annotations

from litreview.dedupe import DUPLICATE
from litreview.model import Name, Record

from .dedupe_helpers import groups, record, verdict

TITLE = "Early mobilisation after hip fracture surgery in frail older adults: a cohort study"

BASE: dict[str, object] = dict(
    entry_type="article",
    title=TITLE,
    authors=(Name("Achterberg", "Ilse"), Name("Mensah", "Kojo")),
    year=2019,
    container="Invented Journal of Orthogeriatrics",
    volume="8",
)


def rec(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


ARTICLE = rec("Article", issue="2", pages="101-109", doi="10.5555/ijo.2019.0101")


def erratum(key: str, typed: tuple[str, str]) -> Record:
    """The correction, printed in a later issue under the article's title, typed by its
    database's own field."""
    return rec(key, issue="4", pages="311", doi="10.5555/ijo.2019.0311", extra=(typed,))


MEDLINE_ERRATUM = erratum(
    "MedlineErratum", ("publication_type", "Journal Article; Published Erratum")
)
#: the same correction in Embase, typed by its M3
EMBASE_ERRATUM = erratum("EmbaseErratum", ("ris_m3", "Erratum"))


def test_an_erratum_typed_by_its_database_never_joins_the_article_it_corrects() -> None:
    for erratum in (MEDLINE_ERRATUM, EMBASE_ERRATUM):
        # no DOI on the notice, its page not given: only its type tells it from the article
        bare = record(erratum.key, BASE, extra=erratum.extra)
        for notice in (erratum, bare):
            assert verdict(ARTICLE, notice) != DUPLICATE, notice
            assert groups([ARTICLE, notice]) == set()


def test_one_typed_erratum_from_two_databases_still_merges() -> None:
    assert groups([ARTICLE, MEDLINE_ERRATUM, EMBASE_ERRATUM]) == {
        frozenset({"MedlineErratum", "EmbaseErratum"})
    }


def test_an_article_typed_as_retracted_is_still_the_article() -> None:
    # MEDLINE types the retracted article itself "Retracted Publication", the notice of its
    # retraction "Retraction of Publication": only the second is a notice
    retracted = rec(
        "Retracted",
        issue="2",
        pages="101-109",
        doi="10.5555/ijo.2019.0101",
        extra=(("publication_type", "Journal Article; Retracted Publication"),),
    )
    assert groups([ARTICLE, retracted]) == {frozenset({"Article", "Retracted"})}
    notice = rec(
        "Notice",
        issue="6",
        pages="500",
        extra=(("publication_type", "Retraction of Publication"),),
    )
    assert groups([ARTICLE, notice]) == set()
