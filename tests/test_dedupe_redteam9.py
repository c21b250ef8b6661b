"""Deduplication, the ninth red-team round: false merges. Two different works that the matcher put
in one record: a title ending in a word another title's compound word starts with, a gene's
symbol in lower case read as a footnote's mark, a letter or notice on an article under an
opening the rules did not know, words put before a title, another report of a study (an
update, an executive summary, an interim analysis), a shared identifier given to a companion
paper, a word of three letters joined on with ``and``, a meeting's abstract in a supplement
beside the paper online first, a letter its database typed as one under the article's title,
and two teams whose first authors share a common surname.

Every record here is invented. Each class of two works sits next to the one work exported
twice that its rule was written for, which must still merge (or, where the evidence is
one-sided, wait for a person).
"""

from __future__ import annotations

from litreview.dedupe import DUPLICATE
from litreview.model import Name, Record

from .dedupe_helpers import groups, queued, record, verdict

PEOPLE = (Name("Achterberg", "Liesbeth"), Name("Mwangi", "Joseph"), Name("Silva", "Renata"))

BASE: dict[str, object] = dict(
    entry_type="article",
    title="Home-based cardiac rehabilitation after myocardial infarction in older adults",
    authors=PEOPLE,
    year=2020,
    container="Invented Journal of Cardiac Rehabilitation",
    volume="31",
    issue="2",
    pages="101-110",
)

#: how one record of the pair may be exported: without pages, without its place in an issue
#: (the same journal and year), or with no place at all beside a record with none
SPARSE: tuple[tuple[dict[str, object], dict[str, object]], ...] = (
    ({}, {"volume": "", "issue": "", "pages": ""}),
    ({"volume": "", "issue": "", "pages": ""}, {"volume": "", "issue": "", "pages": ""}),
)


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


def _apart(one: str, two: str, one_kw: dict[str, object], two_kw: dict[str, object]) -> None:
    """Not merged, nor called duplicates, in either order and however sparse the records."""
    for kw_a, kw_b in SPARSE:
        a = art("A", title=one, **kw_a, **one_kw)
        b = art("B", title=two, **kw_b, **two_kw)
        assert verdict(a, b) != DUPLICATE, (one, two, kw_b)
        assert verdict(b, a) != DUPLICATE, (one, two, kw_b)
        assert groups([a, b]) == set(), (one, two, kw_b)


# --- 1. a title ending in the first word of the other's compound word -----------------------------

HEAD = "Prevalence of bullying in English secondary schools as reported by the head"


def test_a_title_ending_in_a_word_a_compound_starts_with_is_its_own() -> None:
    # "... reported by the head" and "... reported by the headteacher survey (and ...)": a
    # team's two papers in one journal and year. The shorter title ends on a whole word that
    # the longer one's compound word starts with; read as the longer title cut at a length
    # inside its word, the pair merged on the year and journal alone (far apart in length),
    # or on its letters (close in length)
    for two in (
        f"{HEAD}teacher survey",
        f"{HEAD}teacher survey and by the pupils themselves in a national sample",
    ):
        _apart(HEAD, two, {}, {})
    a = art("A", title=HEAD)
    b = art("B", title=f"{HEAD}teacher survey", volume="", issue="", pages="")
    assert queued([a, b]) == {frozenset({"A", "B"})}


def test_a_last_word_ended_differently_at_the_titles_end_still_merges() -> None:
    # the longer title goes on no further than the word: one title, its last word written
    # two ways by two exports, and no compound word with more title after it
    title = "Staff attitudes on acute psychiatric wards and the quality of nurse-patient relations"
    a = art("A", title=title)
    b = art("B", title=f"{title[:-1]}ships", volume="", issue="", pages="")
    assert verdict(a, b) == DUPLICATE
    assert groups([a, b]) == {frozenset({"A", "B"})}


CUT = (
    "Effect of supervised exercise on fatigue, sleep quality and return to work in women"
    " treated for early breast cancer: a multicentre randomised trial"
)


def test_a_title_cut_inside_a_word_merges_when_one_issue_holds_both() -> None:
    # the case the cut rule was written for: a database's cut at a length inside a word, and
    # the records agree on the volume and issue, or on the year and first page
    whole = art("A", title=CUT)
    for n in (73, 106, 127):
        assert CUT[n - 1].isalpha() and CUT[n].isalpha(), n
        for cut in (
            art("B", title=CUT[:n], pages=""),
            art("B", title=CUT[:n], volume="", issue=""),
        ):
            assert verdict(whole, cut) == DUPLICATE, CUT[:n]
            assert groups([whole, cut]) == {frozenset({"A", "B"})}, CUT[:n]
    # nothing but the journal and year: the letters before the cut may be a word of a title
    # of its own, and a person decides
    cut = art("B", title=CUT[:73], volume="", issue="", pages="")
    assert groups([whole, cut]) == set()
    assert queued([whole, cut]) == {frozenset({"A", "B"})}


# --- 2. a gene's symbol in lower case at a title's end ---------------------------------------------

BRCA = "Uptake of risk-reducing salpingo-oophorectomy among carriers of pathogenic variants in {}"


def test_a_lower_case_gene_symbol_is_no_footnote() -> None:
    # ``brca1`` in a title an export wrote in lower case throughout, or ``cdk4`` (letters no
    # English word starts with): the digit names the gene, and a title on the genes in general
    # (``brca``) is another paper. Read as a footnote's mark, the digit was left out and the
    # two merged
    for one, two in (
        (BRCA.format("brca1").lower(), BRCA.format("brca").lower()),
        (
            "Palbociclib resistance in breast cancer cell lines with amplified cdk4",
            "Palbociclib resistance in breast cancer cell lines with amplified cdk",
        ),
    ):
        _apart(one, two, {}, {})


def test_a_footnote_mark_after_a_word_still_merges() -> None:
    # the footnote's digit the eighth round's rule was written for, on a word, in a title
    # that keeps its capitals
    title = "Social defeat stress and hippocampal neurogenesis in adolescent mice"
    a = art("A", title=title)
    b = art("B", title=f"{title}1", issue="", pages="")
    assert verdict(a, b) == DUPLICATE
    assert groups([a, b]) == {frozenset({"A", "B"})}
    # a gene in lower case at the end of both records of one paper is one paper
    both = art("B", title=BRCA.format("brca1").lower(), issue="", pages="")
    assert groups([art("A", title=BRCA.format("brca1").lower()), both]) == {frozenset({"A", "B"})}


# --- 3. a letter or a notice under an opening the rules did not know --------------------------------

X = BASE["title"]
LETTERS = (
    f'Regarding "{X}"',
    f"Letter by Brennan regarding article, '{X}'",
    f"In reference to {X}",
    f"Concerns about '{X}'",
    f"Discussion of: {X}",
    f"Editor's note: {X}",
    f"{X}: a commentary",
    f"{X} [Retraction notice]",
    f"{X}: notice of retraction",
    f"Partial retraction: {X}",
    f"Notice of duplicate publication: {X}",
)


def test_a_letter_or_notice_on_an_article_is_not_the_article() -> None:
    # a letter quoting the article's title, an editor's note, a notice in the same journal
    # and year, exported without authors as notices often are: read as the article's title
    # with words before it, or with a subtitle one export dropped, the two merged
    for notice in LETTERS:
        _apart(notice, X, {"authors": ()}, {})
        _apart(notice, X, {"authors": (Name("Brennan", "Cathal"),)}, {})


def test_two_exports_of_one_letter_and_ordinary_openings_still_merge() -> None:
    for title in (LETTERS[0], LETTERS[5]):
        a = art("A", title=title, authors=())
        b = art("B", title=title, authors=(), pages="")
        assert groups([a, b]) == {frozenset({"A", "B"})}, title
    # without a quote or a colon, ``Concerns about`` and ``Regarding`` open ordinary titles
    for title in (
        "Concerns about vaccine safety among parents of infants in rural clinics",
        "Regarding the older patient as a partner in cardiac rehabilitation",
    ):
        a = art("A", title=title)
        b = art("B", title=title, volume="", issue="", pages="")
        assert verdict(a, b) == DUPLICATE, title
        assert groups([a, b]) == {frozenset({"A", "B"})}, title


# --- 4. words put before a title, in plain words ----------------------------------------------------


def test_words_before_a_title_are_no_cut_at_a_length() -> None:
    # "Further thoughts on X" (a letter, an editorial) beside X in one journal and year: the
    # year and journal stand for a place only for a title cut at its end, as a database cuts
    # one at a length; words put before the title are another work's, for a person to see
    one, two = f"Further thoughts on {X.lower()}", X
    _apart(one, two, {}, {})
    a, b = art("A", title=one), art("B", title=two, volume="", issue="", pages="")
    assert queued([a, b]) == {frozenset({"A", "B"})}
    # the title cut at its end, or an article one export put before it, in the same journal
    # and year, still merges
    for longer in (f"{X} with heart failure and reduced ejection fraction", f"The {X.lower()}"):
        a = art("A", title=longer)
        b = art("B", title=X, volume="", issue="", pages="")
        assert groups([a, b]) == {frozenset({"A", "B"})}, longer


# --- 5. another report of the study: an update, an executive summary, an interim analysis ---------

GUIDE = "Guideline for the management of hypertensive disorders of pregnancy"


def test_another_report_named_by_its_words_waits_for_a_person() -> None:
    # a guideline and its executive summary (same journal, year and writers), a review and
    # its update, an interim and a final analysis, the main results and the long-term ones
    for one, two in (
        (f"{GUIDE}: executive summary", GUIDE),
        (f"{GUIDE}: an update", GUIDE),
        (f"Updated {GUIDE.lower()}", GUIDE),
        (f"{X}: interim results", f"{X}: final results"),
        (f"{X}: preliminary results", X),
        (f"{X}: long-term outcomes", X),
    ):
        _apart(one, two, {}, {})
        a, b = art("A", title=one), art("B", title=two, volume="", issue="", pages="")
        assert queued([a, b]) == {frozenset({"A", "B"})}, one


def test_a_design_label_dropped_or_one_report_twice_still_merges() -> None:
    for one, two in (
        (f"{X}: a randomised controlled trial", X),
        (f"{GUIDE}: executive summary", f"{GUIDE}: executive summary"),
        (f"{X}: interim results", f"{X}: interim results"),
    ):
        a, b = art("A", title=one), art("B", title=two, volume="", issue="", pages="")
        assert verdict(a, b) == DUPLICATE, one
        assert groups([a, b]) == {frozenset({"A", "B"})}, one


# --- 6. a shared identifier on two titles a word apart ----------------------------------------------


def test_a_shared_identifier_does_not_outweigh_a_word_each_title_lacks() -> None:
    # a companion paper's DOI or PMID given to a record (a reference manager's look-up): the
    # titles differ in a word each has, which no export of one article changes. The shared
    # identifier merged them; now a person decides
    for one, two in (
        (f"Five-year outcomes of {X.lower()}", f"Ten-year outcomes of {X.lower()}"),
        (X, X.replace("older", "younger")),
    ):
        for ident in ({"doi": "10.5555/hcr.2020.101"}, {"pmid": "31415926"}):
            a = art("A", title=one, **ident)
            b = art("B", title=two, **ident, volume="", issue="", pages="")
            assert verdict(a, b) != DUPLICATE, (one, ident)
            assert groups([a, b]) == set(), (one, ident)
            assert queued([a, b]) == {frozenset({"A", "B"})}, (one, ident)


def test_a_shared_identifier_still_merges_spellings_and_lost_subscripts() -> None:
    # a British and an American spelling, a subscript an export lost (``CO2`` as ``CO``)
    co = "End-tidal {} monitoring in older adults after cardiac surgery"
    for one, two in (
        (f"{X}: a randomised trial", f"{X}: a randomized trial"),
        (co.format("CO2"), co.format("CO")),
    ):
        a = art("A", title=one, doi="10.5555/hcr.2020.101")
        b = art("B", title=two, doi="10.5555/hcr.2020.101", volume="", issue="", pages="")
        assert verdict(a, b) == DUPLICATE, one
        assert groups([a, b]) == {frozenset({"A", "B"})}, one


# --- 7. a short word joined on with ``and`` ------------------------------------------------------

STROKE = "Barriers to physical activity in the first year after stroke in {}: a qualitative study"


def test_a_short_word_joined_on_with_and_is_another_population() -> None:
    # "... in women" and "... in men and women": the whole cohort and its women, one team's
    # two papers. A word of three letters inside a title was read as too short to count (a
    # synonym after a slash, ``HER2/neu``), and the two merged
    for one, two in (("women", "men and women"), ("girls", "boys and girls")):
        _apart(STROKE.format(one), STROKE.format(two), {}, {})


def test_a_word_joined_on_with_and_on_both_records_still_merges() -> None:
    a = art("A", title=STROKE.format("men and women"))
    b = art("B", title=STROKE.format("men and women"), volume="", issue="", pages="")
    assert verdict(a, b) == DUPLICATE
    assert groups([a, b]) == {frozenset({"A", "B"})}


# --- 8. a meeting's abstract in a supplement and the paper online first --------------------------

SUPPLEMENT: dict[str, object] = dict(volume="142", issue="Suppl 3", pages="A123")


def test_a_supplements_abstract_and_the_paper_online_first_wait_for_a_person() -> None:
    # the abstract a journal printed in its meeting supplement (typed as an article or as the
    # meeting's) and the full paper under the same title in that journal and year, online
    # before its issue (no volume, issue or page): the unplaced record was read as the
    # abstract's other record and the two merged
    for abstract in (
        art("A", **SUPPLEMENT),
        art("A", entry_type="inproceedings", **SUPPLEMENT),
        art("A", volume="142", issue="", pages="S123"),
    ):
        paper = art("B", volume="", issue="", pages="")
        assert verdict(abstract, paper) != DUPLICATE, abstract.entry_type
        assert groups([abstract, paper]) == set(), abstract.entry_type
        assert queued([abstract, paper]) == {frozenset({"A", "B"})}, abstract.entry_type


def test_the_meetings_own_record_of_a_supplements_abstract_still_merges() -> None:
    # the case the eighth round wrote its rule for: the meeting's record (Embase's conference
    # abstract, naming the journal, with no volume or page) and the supplement's record
    meeting = art("E", entry_type="inproceedings", volume="", issue="", pages="")
    printed = art("W", **SUPPLEMENT)
    assert verdict(meeting, printed) == DUPLICATE
    assert groups([meeting, printed]) == {frozenset({"E", "W"})}
    # and the same DOI on the abstract and an unplaced record of it
    doi = "10.5555/circ.142.suppl3.a123"
    assert groups(
        [art("A", doi=doi, **SUPPLEMENT), art("B", doi=doi, volume="", issue="", pages="")]
    ) == {frozenset({"A", "B"})}


# --- 9. a letter titled after the article it answers, typed a letter by its database -------------

LETTER = (("publication_type", "Letter; Comment"),)
EMBASE_LETTER = (("ris_m3", "Letter"),)


def test_a_typed_letter_under_the_articles_title_waits_for_a_person() -> None:
    # a journal that titles its correspondence after the article: the authors' reply (the
    # article's own authors) or a letter exported without authors, printed in a later issue,
    # against the article. One record without its place, and the title, authors, journal and
    # year agreed: the two merged. The database typed the letter (MEDLINE's publication type,
    # Embase's M3), the article's record carries no such type
    for typed in (LETTER, EMBASE_LETTER):
        for letter, article in (
            (art("B", issue="8", pages="777-778", extra=typed), art("A", volume="", pages="")),
            (art("B", issue="", pages="", extra=typed), art("A")),
            (art("B", issue="8", pages="777", authors=(), extra=typed), art("A", pages="")),
        ):
            assert verdict(letter, article) != DUPLICATE, typed
            assert groups([letter, article]) == set(), typed
            assert queued([letter, article]) == {frozenset({"A", "B"})}, typed


def test_a_letters_records_typed_on_both_or_in_one_place_still_merge() -> None:
    # the letter from MEDLINE and from Embase, both typed; and a typed and an untyped record of
    # one item that the same volume and first page place together
    one = art("A", issue="8", pages="777-778", extra=LETTER)
    for other in (
        art("B", issue="8", pages="", extra=EMBASE_LETTER),
        art("B", issue="", pages="777-778"),
    ):
        assert verdict(one, other) == DUPLICATE
        assert groups([one, other]) == {frozenset({"A", "B"})}


# --- 10. two teams whose first authors share a common surname ------------------------------------

TRIAL = "Efficacy of acupuncture for chronic low back pain: a randomized controlled trial"
TEAM_ONE = (Name("Wang", "Jun"), Name("Li", "Hua"), Name("Zhang", "Wei"))
TEAM_TWO = (Name("Wang", "Xiaoming"), Name("Chen", "Lei"), Name("Liu", "Yang"))


def test_two_teams_sharing_only_a_first_surname_are_two_works() -> None:
    # one generic title, two teams' trials in one year: the first authors share a common
    # surname under two given names, and no other author is shared. The surname counted as a
    # share of the lists ("some" authors), and with one record unplaced the two merged
    for container in (BASE["container"], ""):
        a = art("A", title=TRIAL, authors=TEAM_ONE)
        b = art("B", title=TRIAL, authors=TEAM_TWO, container=container, volume="", pages="")
        assert verdict(a, b) != DUPLICATE, container
        assert groups([a, b]) == set(), container
        assert queued([a, b]) == {frozenset({"A", "B"})}, container


def test_one_team_with_a_slip_in_the_first_initial_still_merges() -> None:
    # the same list with the first author's initial written otherwise by one export: the
    # co-authors are shared
    slipped = (Name("Wang", "X."), *TEAM_ONE[1:])
    a = art("A", title=TRIAL, authors=TEAM_ONE)
    b = art("B", title=TRIAL, authors=slipped, volume="", issue="", pages="")
    assert verdict(a, b) == DUPLICATE
    assert groups([a, b]) == {frozenset({"A", "B"})}


def test_a_record_without_authors_does_not_join_two_teams() -> None:
    # the two teams' trials (one placed, one not) and a record of the title that names no
    # authors and no place: it matched both, and its two links joined the teams into one
    # record. Lists that share no one are evidence against, kept through third records
    records = [
        art("A", title=TRIAL, authors=TEAM_ONE),
        art("B", title=TRIAL, authors=TEAM_TWO, volume="", issue="", pages=""),
        art("C", title=TRIAL, authors=(), volume="", issue="", pages=""),
    ]
    assert not any({"A", "B"} <= g for g in groups(records))
    # one issue holding both lists (a garbled list in one export) still joins them
    garbled = (Name("Wang Li Zhang", "Jun H."), Name("Morales", "R."))
    placed = [
        art("A", title=TRIAL, authors=TEAM_ONE),
        art("B", title=TRIAL, authors=garbled, pages=""),
        art("C", title=TRIAL, authors=(), volume="", issue="", pages=""),
    ]
    assert groups(placed) == {frozenset({"A", "B", "C"})}
