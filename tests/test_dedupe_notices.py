"""Deduplication: notices about a work (corrections, withdrawals, comments, replies, summaries)
and meeting abstracts are never merged with the work; the exports' own variants still are."""

from __future__ import annotations

from dataclasses import replace

import pytest

from litreview.dedupe import DISTINCT, DUPLICATE, features
from litreview.dedupe.rules import never_merge
from litreview.model import Name, Record

from .dedupe_helpers import groups, record, verdict

AUTHORS = (Name("Haugland", "Ingrid"), Name("Mbeki", "Thabo"), Name("Ortiz", "Lucia"))
TITLE = "Bowel flora patterns during sustained remission on biologic therapy"


BASE: dict[str, object] = dict(
    entry_type="article",
    title=TITLE,
    authors=AUTHORS,
    year=2021,
    container="Journal of Digestive Medicine",
    volume="18",
    issue="4",
    pages="233-241",
)


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


def sparse(key: str, **kw: object) -> Record:
    """A record as a second database may give it: no volume, issue or pages."""
    return art(key, volume="", issue="", pages="", **kw)


# --- notice formats ----------------------------------------------------------------------------

NOTICE_TITLES = [
    f"Author Correction: {TITLE}",
    f"Publisher Correction: {TITLE}",
    f"Publisher's Correction: {TITLE}",
    f"Editorial Expression of Concern: {TITLE}",
    f"WITHDRAWN: {TITLE}",
    f"Withdrawal notice: {TITLE}",
    f"Re: {TITLE}",
    f"Letter: {TITLE}",
    f"Invited commentary: {TITLE}",
    f"Plain language summary: {TITLE}",
    f"Answer to quiz page: {TITLE}",
    f"Answers to the case challenge: {TITLE}",
    f"{TITLE}: authors' response",
    f"{TITLE}: authors\u2019 response",
    f"{TITLE}. The authors respond",
    f"{TITLE}: editorial comment",
    f"{TITLE} (continued)",
]


@pytest.mark.parametrize("title", NOTICE_TITLES)
def test_a_notice_format_is_read_as_a_notice_and_kept_apart(title: str) -> None:
    article = sparse("A")
    notice = sparse("B", title=title)
    assert features(notice).notice, title
    rule = never_merge(features(article), features(notice))
    assert rule is not None and rule[0].startswith("notice-vs-article"), title
    assert verdict(article, notice) == DISTINCT
    assert groups([article, notice]) == set()
    # placed in the journal on one side only, as the red-team probe had it
    assert groups([art("A"), notice]) == set()


@pytest.mark.parametrize(
    "title",
    [
        "Re-evaluation of bowel flora patterns during sustained remission",
        "Re-operation after failed sphincter repair in older adults",
        "Withdrawn patients and missing outcomes in bowel disease trials",
        "Letter writing as therapy in chronic bowel disease",
        "Plain language in patient information leaflets on bowel disease",
        "Answers to patients' questions on bowel disease: a survey",
        "Corrective surgery for bowel strictures: a cohort",
    ],
)
def test_ordinary_words_at_the_start_are_not_notices(title: str) -> None:
    assert features(art("A", title=title)).notice == ""


def test_one_notice_written_in_two_styles_still_merges() -> None:
    bracket = sparse("A", title=f"{TITLE} [Erratum]")
    prefix = art("B", title=f"Erratum: {TITLE}", pages="242")
    assert features(bracket).notice == features(prefix).notice == "erratum"
    assert verdict(bracket, prefix) == DUPLICATE
    assert groups([bracket, prefix]) == {frozenset({"A", "B"})}
    # "Author Correction" and "Correction" are one kind of notice
    author = art("C", title=f"Author Correction: {TITLE}", pages="242")
    assert features(author).notice == "erratum"


def test_a_withdrawn_review_is_another_record_than_the_review() -> None:
    review = art(
        "A",
        title="Pelvic floor training for faecal incontinence in adults",
        container="Cochrane Database of Systematic Reviews",
        volume="",
        issue="6",
        pages="CD004110",
    )
    withdrawn = replace(
        review, key="B", title="WITHDRAWN: Pelvic floor training for faecal incontinence in adults"
    )
    assert verdict(review, withdrawn) != DUPLICATE
    assert groups([review, withdrawn]) == set()
    # two exports of the withdrawal notice are one record
    again = replace(withdrawn, key="C", title=withdrawn.title.upper())
    assert groups([withdrawn, again]) == {frozenset({"B", "C"})}


def test_two_exports_of_one_reply_still_merge() -> None:
    one = sparse("A", title=f"{TITLE}: authors' response")
    two = art("B", title=f"{TITLE}: authors\u2019 response", pages="242-243")
    assert groups([one, two]) == {frozenset({"A", "B"})}


# --- "response to" inside running words --------------------------------------------------------

ARTICLE = "Predictors of response to methotrexate in newly diagnosed psoriatic arthritis"


@pytest.mark.parametrize(
    "reply",
    [f"{ARTICLE}\u2014Reply", f"{ARTICLE} - Reply", f"In reply: {ARTICLE}"],
)
def test_response_to_in_running_words_is_not_a_reply(reply: str) -> None:
    article = sparse("A", title=ARTICLE)
    answer = sparse("B", title=reply)
    assert features(article).notice == ""
    assert features(answer).notice == "reply"
    assert verdict(article, answer) == DISTINCT
    assert groups([article, answer]) == set()
    assert groups([art("A", title=ARTICLE), answer]) == set()


@pytest.mark.parametrize(
    "title",
    [
        "Tumour response to neoadjuvant chemotherapy in older women",
        "Patients' response to a text message reminder service",
        "Comment on the response to treatment: why trials disagree",
        "A note on correction to the standard error of a pooled estimate",
    ],
)
def test_phrases_inside_running_words_are_ordinary_wording(title: str) -> None:
    if title.startswith("Comment"):  # opening the title it is still a comment
        assert features(art("A", title=title)).notice == "comment"
    else:
        assert features(art("A", title=title)).notice == ""


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Measuring adherence in the clinic - a response to Larsen and Abdi", "reply"),
        ("Adherence is not compliance: a commentary on Larsen and Abdi", "comment"),
        ("Adherence is not compliance? A reply to Larsen and Abdi (2019)", "reply"),
        ("Adherence scores [comment on: Measuring adherence in the clinic]", "comment"),
        ("Adherence measurement, discussion/reply to: Larsen and Abdi", "reply"),
    ],
)
def test_a_phrase_after_a_break_is_still_a_notice(title: str, kind: str) -> None:
    assert features(art("A", title=title)).notice == kind


def test_a_title_with_response_to_still_merges_with_its_other_export() -> None:
    one = art("A", title=ARTICLE)
    two = sparse("B", title=ARTICLE.upper() + ".")
    assert verdict(one, two) == DUPLICATE
    assert groups([one, two]) == {frozenset({"A", "B"})}


# --- meeting abstract vs full paper in one journal volume ---------------------------------------

ONCOLOGY = "Journal of Clinical Oncology"
STUDY = "Adding an EGFR antibody to a KRAS inhibitor in pretreated bowel cancer: a phase 2 trial"


def full_paper(key: str = "F", **kw: object) -> Record:
    return art(
        key, title=STUDY, container=ONCOLOGY, volume="41", issue="30", pages="4560-4570", **kw
    )


def meeting_abstract(key: str = "M", **kw: object) -> Record:
    fields: dict[str, object] = dict(
        entry_type="inproceedings",
        title=STUDY,
        container=f"{ONCOLOGY}. Conference: Gastrointestinal Cancers Symposium",
        volume="41",
        issue="",
        pages="",
    )
    fields.update(kw)
    return art(key, **fields)


def test_a_meeting_abstract_is_not_the_full_paper_in_a_regular_issue_of_that_volume() -> None:
    abstract, paper = meeting_abstract(), full_paper()
    rule = never_merge(features(abstract), features(paper))
    assert rule is not None and rule[0] == "conference-vs-journal"
    assert verdict(abstract, paper) == DISTINCT
    assert groups([abstract, paper]) == set()


@pytest.mark.parametrize(
    "paged",
    [
        # the abstract in the volume's supplement, as another database places it
        dict(issue="Suppl 4", pages="4560"),
        dict(issue="15_suppl", pages="4560-4561"),
        # the abstract's number as its page, in no issue or in the issue that printed it
        dict(issue="", pages="4560"),
        dict(issue="", pages="4560-4561"),
        dict(issue="30", pages="4560"),
        dict(issue="", pages="S4560"),
        # a meeting's abstract printed on two pages of a regular issue: no full paper's length
        dict(issue="30", pages="4560-4561"),
    ],
)
def test_a_meeting_abstract_typed_two_ways_still_merges(paged: dict[str, object]) -> None:
    abstract = meeting_abstract()
    article = art("A", title=STUDY, container=ONCOLOGY, volume="41", **paged)
    assert verdict(abstract, article) == DUPLICATE, paged
    assert groups([abstract, article]) == {frozenset({"M", "A"})}, paged
