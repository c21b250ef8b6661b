"""Deduplication: guarding the thirteenth round's recall changes (branch ``recall13``) against the
false merges they open. Each loosening there reads two exports of one work as one; here each is
asked what pair of *different* works the new reading also makes look like one, and every pair
below was kept apart or queued for a person before the branch and merged on it.

* An abstract's number before its title (``OP45 Title``) is now cut off as a break is. But the
  number is also what says the record is a meeting abstract: an Embase-style record of the
  abstract that gives the journal and year but no supplement issue or page then merged with the
  full paper of the same title in a regular issue of that journal. Before, the number made the
  title one that goes on in plain words, and the pair waited for a person. The abstract and its
  paper are two reports a review keeps (and a person may link).
* ``Lv`` and ``Lyu`` are now read as ``Lu`` (pinyin ``ü``). ``Lu`` (卢, 陆, 鲁, 路) and ``Lü``
  (吕) are different surnames, and ``Lyu`` is also a Korean spelling of 류. Two teams whose
  first authors are Lu Wei and Lv Wei, sharing no other author, under one of the generic
  titles Chinese clinical journals print again and again, merged; before, the pair waited.

Every record here is invented. Each class sits beside the one-work case its loosening was
written for, which must still merge.
"""

from __future__ import annotations

from litreview.dedupe import DUPLICATE, find_duplicates
from litreview.model import Name, Record

from .dedupe_helpers import groups, record, verdict

PEOPLE = (Name("Abiodun", "Folake"), Name("Sørensen", "Mikkel"), Name("Quispe", "Rosa"))

BASE: dict[str, object] = dict(
    entry_type="article",
    title="Intracoronary adenosine before stenting and microvascular obstruction in older adults",
    authors=PEOPLE,
    year=2021,
    container="Invented Journal of Interventional Cardiology",
    volume="33",
    issue="7",
    pages="812-821",
)


def art(key: str, **kw: object) -> Record:
    return record(key, BASE, **kw)


#: a background library: other studies by other teams in other journals and years, so that
#: the model's weights are fitted on a corpus rather than left at their defaults
_TOPICS = (
    "Home blood pressure telemonitoring",
    "Nurse-led discharge planning",
    "Vitamin D supplementation",
    "Group exercise classes",
    "Text message reminders",
    "Pharmacist medication review",
    "Mindfulness training",
    "Peer support visits",
)
_GROUPS = (
    "after hip fracture",
    "in chronic kidney disease",
    "for heart failure",
    "in type 2 diabetes",
    "after stroke",
)
BACKGROUND = [
    art(
        f"K{n:02d}",
        title=f"{topic} {group}: a randomised trial in {2005 + n % 15}",
        authors=(Name(f"Author{n}", "Q."), Name(f"Coauthor{n}", "R.")),
        year=2005 + n % 15,
        container=f"Invented Journal of Trials {n % 6}",
        volume=str(10 + n),
        issue=str(1 + n % 4),
        pages=f"{20 * n + 1}-{20 * n + 9}",
        doi=f"10.99999/background.{n}" if n % 3 else "",
    )
    for n, (topic, group) in enumerate((t, g) for t in _TOPICS for g in _GROUPS)
]


def _in_library(*records: Record) -> list[Record]:
    return [*records, *BACKGROUND]


def _queued(records: list[Record]) -> set[frozenset[str]]:
    return {frozenset((p.a, p.b)) for p in find_duplicates(records).unsure}


def _not_merged(a: Record, b: Record) -> None:
    assert verdict(a, b) != DUPLICATE, (a.title, b.title)
    assert verdict(b, a) != DUPLICATE, (a.title, b.title)
    for records in ([a, b], _in_library(a, b)):
        assert not any({a.key, b.key} <= g for g in groups(records)), (a.title, b.title)


def _merged(a: Record, b: Record) -> None:
    for records in ([a, b], _in_library(a, b)):
        assert frozenset({a.key, b.key}) in groups(records), (a.title, b.title)


# --- 1. a meeting abstract's number before the title, against the full paper ----------------------

CODES = ("OP45", "P-123", "LBA12", "MON-123", "#412")

#: the abstract's record as a database gives it: typed an article in the journal, the
#: congress's year, no supplement issue and no page (or the volume alone)
ABSTRACT_PLACES: tuple[dict[str, object], ...] = (
    dict(volume="", issue="", pages=""),
    dict(issue="", pages=""),
)


def test_a_meeting_abstracts_number_does_not_join_it_to_the_full_paper() -> None:
    # the paper in a regular issue of the journal (volume, issue, pages), and the congress's
    # abstract of it with its programme number before the title: recall13 cuts the number off
    # as a break and the two merged; the number is what says the record is an abstract
    paper = art("P")
    for code in CODES:
        for place in ABSTRACT_PLACES:
            abstract = art("A", title=f"{code} {BASE['title']}", **place)
            _not_merged(abstract, paper)
            assert _queued([abstract, paper]) == {frozenset({"A", "P"})}, (code, place)


def test_a_meeting_abstracts_number_still_joins_the_supplements_record() -> None:
    # the case the cut was written for: the abstract in the journal's supplement (its page
    # there) and the meeting's record of it with the number and no page
    printed = art("W", issue="Suppl 2", pages="S412")
    for code in CODES:
        meeting = art(
            "E", entry_type="inproceedings", title=f"{code} {BASE['title']}", issue="", pages=""
        )
        assert verdict(meeting, printed) == DUPLICATE, code
        _merged(meeting, printed)


# --- 2. Lu and Lv / Lyu, two teams -----------------------------------------------------------------

GENERIC = (
    "Clinical observation of acupuncture combined with herbal medicine for post-stroke dysphagia"
)

CHINESE: dict[str, object] = dict(
    entry_type="article",
    title=GENERIC,
    year=2018,
    container="Invented Chinese Journal of Integrative Medicine",
    volume="24",
    issue="3",
    pages="",
)

LU_TEAM = (Name("Lu", "Wei"), Name("Zhang", "Min"), Name("Li", "Na"))


def test_lu_and_lv_heading_two_teams_are_two_works() -> None:
    # first authors Lu Wei and Lv Wei (or Lyu Wei), no other author in common: two teams. One
    # record without its volume and issue
    lu = record("A", CHINESE, authors=LU_TEAM)
    for surname in ("Lv", "Lyu"):
        other = record(
            "B",
            CHINESE,
            authors=(Name(surname, "Wei"), Name("Chen", "Hong"), Name("Wang", "Fang")),
            volume="",
            issue="",
        )
        _not_merged(lu, other)
        assert _queued([lu, other]) == {frozenset({"A", "B"})}, surname


def test_lv_for_lu_with_a_coauthor_in_common_still_merges() -> None:
    # one list exported twice, the first author's ü written v or yu in one export
    lu = record("A", CHINESE, authors=LU_TEAM)
    for surname in ("Lv", "Lyu"):
        other = record(
            "B",
            CHINESE,
            authors=(Name(surname, "W."), Name("Zhang", "M."), Name("Li", "N.")),
            volume="",
            issue="",
        )
        assert verdict(lu, other) == DUPLICATE, surname
        _merged(lu, other)
