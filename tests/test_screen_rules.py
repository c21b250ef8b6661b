"""Screening rules per kind, the gazetteer, stages, overrides, kappa and PRISMA counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litreview.errors import ConfigError
from litreview.files.yamlio import load_yaml_text
from litreview.model import Provenance, Record
from litreview.protocol import Protocol, load_protocol_text
from litreview.report.prisma import prisma_counts
from litreview.screen.agreement import agreement, cohen_kappa, find_conflicts
from litreview.screen.criteria import evaluate
from litreview.screen.decisions import load_decisions, parse_decisions
from litreview.screen.engine import Decision, resolve, screen_records
from litreview.text import gazetteer
from litreview.text.termmatch import LabelledTerms, Scanner, TermMatcher, prepare

from .conftest import FIXTURES

PROTOCOL_TEXT = (FIXTURES / "screen" / "project" / "review.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def protocol() -> Protocol:
    return load_protocol_text(PROTOCOL_TEXT)


def _with(criteria: str) -> Protocol:
    head = PROTOCOL_TEXT.split("criteria:")[0]
    return load_protocol_text(head + "criteria:\n" + criteria)


def _status(protocol: Protocol, record: Record, criterion: str) -> str:
    return next(r.status for r in evaluate(record, protocol) if r.criterion == criterion)


# --- term lists -----------------------------------------------------------------------------


def test_terms_match_whole_words_only() -> None:
    m = TermMatcher(["manager"])
    assert m.phrases_in("Managers and managerialism") == ["Managers"]


def test_terms_match_hyphen_dash_and_space_variants() -> None:
    m = TermMatcher(["doctor-manager"])
    for text in ("doctor–manager relations", "doctor manager", "Doctor/manager", "doctor-managers"):
        assert m.phrases_in(text), text


def test_terms_synonyms_and_truncation() -> None:
    m = TermMatcher(["doctor and manager", "ethnograph*"], {"doctor": ["physician", "clinician"]})
    assert m.phrases_in("physicians and managers") == ["physicians and managers"]
    assert m.phrases_in("an ethnographic account") == ["ethnographic"]
    assert not m.phrases_in("nurses and managers")


def test_terms_fold_accents_and_plural_y() -> None:
    m = TermMatcher(["policy", "resume"])
    assert m.phrases_in("Two POLICIES") == ["POLICIES"]
    assert m.phrases_in("le résumé")


def test_a_letter_outside_ascii_is_part_of_the_word_but_a_symbol_is_not() -> None:
    m = TermMatcher(["manager"])
    assert m.phrases_in("Ωmanager") == [] and m.phrases_in("Ω manager") == ["manager"]
    assert m.phrases_in("«manager»") == ["manager"]


def test_matches_are_left_to_right_and_never_overlap() -> None:
    m = TermMatcher(["english hospital", "hospital"])
    text = prepare("Hospitals: English hospitals, and hospitals")
    assert [h.group(0) for h in m.finditer(text)] == ["hospitals", "english hospitals", "hospitals"]
    assert m.search(text, 1).group(0) == "english hospitals"  # type: ignore[union-attr]


_WORDS = st.text(alphabet="abé", min_size=1, max_size=4)


@given(
    st.lists(st.lists(_WORDS, min_size=1, max_size=2).map(" ".join), min_size=1, max_size=4),
    st.lists(_WORDS.map(lambda w: w + "*"), max_size=1),
    st.text(alphabet="abéΩ -/.", max_size=40),
)
def test_one_scan_for_several_lists_finds_what_each_list_finds_alone(
    terms: list[str], wild: list[str], text: str
) -> None:
    lists = LabelledTerms({"include": terms, "exclude": wild or ["ba"]})
    others = TermMatcher([*terms[:1], "ab ba"], plurals=False)
    prepared = prepare(text)
    starts = Scanner([*lists.all_matchers, others]).starts(prepared)
    for m in (*lists.all_matchers, others):
        assert [h.span() for h in m.finditer_at(prepared, starts)] == [
            h.span() for h in m.finditer(prepared)
        ]
        first_at, first_alone = m.search_at(prepared, starts), m.search(prepared)
        assert (first_at and first_at.span()) == (first_alone and first_alone.span())
    assert {k: v.span() for k, v in lists.first(prepared, starts).items()} == {
        k: v.span() for k, v in lists.first(prepared).items()
    }


@given(st.text(alphabet="abc -", max_size=30))
def test_a_term_never_matches_inside_a_longer_word(prefix: str) -> None:
    m = TermMatcher(["manager"])
    for hit in m.finditer(prefix + "xmanager"):
        assert hit.start() == 0 or not (prefix + "xmanager")[hit.start() - 1].isalnum()


def test_terms_criterion_met_not_met_unclear() -> None:
    p = _with("""- id: t
  kind: terms
  stage: title-abstract
  reason: off-topic
  include_terms: [clinical director]
  exclude_terms: [nurse]
""")
    assert _status(p, Record("a", title="Clinical directors speak"), "t") == "met"
    assert _status(p, Record("a", title="Nurse staffing"), "t") == "not-met"
    assert _status(p, Record("a", title="Clinical directors and nurses"), "t") == "unclear"
    assert _status(p, Record("a", title="Something else"), "t") == "unclear"
    r = evaluate(Record("a", title="x", abstract="The clinical director said"), p)[0]
    assert [(e.field, e.phrase) for e in r.evidence] == [("abstract", "clinical director")]


def test_terms_no_match_not_met_if_abstract() -> None:
    p = _with("""- id: t
  kind: terms
  stage: title-abstract
  reason: off-topic
  include_terms: [clinical director]
  no_match: not-met-if-abstract
""")
    assert _status(p, Record("a", title="x", abstract="about nurses"), "t") == "not-met"
    assert _status(p, Record("a", title="x"), "t") == "unclear"


def test_a_terms_verdict_on_a_record_with_no_text_says_so_in_words() -> None:
    """The detail read "no term found in none of the fields has text"."""
    p = _with("""- id: t
  kind: terms
  stage: title-abstract
  reason: off-topic
  fields: [title, abstract]
  include_terms: [clinical director]
""")
    (r,) = evaluate(Record("a", doi="10.1000/x"), p)
    assert (r.status, r.detail) == ("unclear", "no term found: title, abstract have no text")
    (r,) = evaluate(Record("a", title="Something else"), p)
    assert r.detail == "no term found in title"


# --- other kinds ----------------------------------------------------------------------------


def test_year_range(protocol: Protocol) -> None:
    assert _status(protocol, Record("a", year=2002), "period") == "met"
    assert _status(protocol, Record("a", year=2015), "period") == "met"
    assert _status(protocol, Record("a", year=2001), "period") == "not-met"
    assert _status(protocol, Record("a", year=2016), "period") == "not-met"
    assert _status(protocol, Record("a"), "period") == "unclear"


def test_field_equals_met_not_met_absent_is_unclear(protocol: Protocol) -> None:
    assert _status(protocol, Record("a", extra=(("design", "interviews"),)), "empirical") == "met"
    assert (
        _status(protocol, Record("a", extra=(("design", "commentary"),)), "empirical") == "not-met"
    )
    assert _status(protocol, Record("a", extra=(("design", "book"),)), "empirical") == "unclear"
    assert _status(protocol, Record("a"), "empirical") == "unclear"


def test_field_equals_falls_back_to_terms() -> None:
    p = _with("""- id: s
  kind: field-equals
  stage: title-abstract
  reason: not-secondary-care
  field: setting
  values: [secondary care]
  fallback:
    include_terms: [hospital]
    exclude_terms: [general practice]
""")
    assert _status(p, Record("a", title="In English hospitals"), "s") == "met"
    assert _status(p, Record("a", title="In general practice"), "s") == "not-met"
    assert (
        _status(p, Record("a", title="x", extra=(("setting", "primary care"),)), "s") == "not-met"
    )


def test_language_and_entry_type() -> None:
    p = _with("""- id: lang
  kind: language
  stage: title-abstract
  reason: off-topic
  languages: [English]
- id: type
  kind: entry-type
  stage: title-abstract
  reason: not-empirical
  not_types: [misc]
""")
    assert _status(p, Record("a", language="eng"), "lang") == "met"
    assert _status(p, Record("a", language="German"), "lang") == "not-met"
    assert _status(p, Record("a"), "lang") == "unclear"
    assert _status(p, Record("a", entry_type="article"), "type") == "met"
    assert _status(p, Record("a", entry_type="misc"), "type") == "not-met"


# --- gazetteer ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Managers in the NHS",
        "English hospitals and their boards",
        "Doctors in Scotland",
        "A UK acute trust",
        "Welsh health boards",
        "Northern Ireland trusts",
        "British consultants",
    ],
)
def test_gazetteer_says_uk(protocol: Protocol, title: str) -> None:
    assert _status(protocol, Record("a", title=title), "uk") == "met"


@pytest.mark.parametrize(
    "title",
    [
        "Culture gaps in Dutch hospitals",
        "Swedish health care managers",
        "A case study from Victoria, Australia",
        "Danish doctors",
        "Norwegian clinicians",
        "Canadian physicians",
        "US hospitals",
        "American physician leaders",
    ],
)
def test_gazetteer_says_not_uk(protocol: Protocol, title: str) -> None:
    assert _status(protocol, Record("a", title=title), "uk") == "not-met"


@pytest.mark.parametrize(
    "record",
    [
        Record("a", title="Comparing NHS and Dutch hospitals"),
        Record("a", title="New modes of control in European hospitals"),
        Record("a", extra=(("country", "UK; Netherlands"),)),
    ],
)
def test_multi_country_including_uk_is_unclear_not_excluded(
    protocol: Protocol, record: Record
) -> None:
    assert _status(protocol, record, "uk") == "unclear"


def test_country_annotation_is_read_before_the_text(protocol: Protocol) -> None:
    r = Record("a", title="Lessons from Dutch hospitals", extra=(("country", "England"),))
    assert _status(protocol, r, "uk") == "met"
    assert gazetteer.split_countries("England; Scotland") == ["UK"]


def test_lower_case_us_is_not_a_country() -> None:
    assert gazetteer.countries_in(["let us see"]) == {}


def test_a_line_break_inside_a_country_phrase_still_names_the_country() -> None:
    assert gazetteer.countries_in(["set in the United\nKingdom and New\tZealand"]) == {
        "UK": ["United\nKingdom"],
        "New Zealand": ["New\tZealand"],
    }


# --- stages, decisions and overrides --------------------------------------------------------

GOOD = Record(
    "Good2010",
    year=2010,
    title="Doctors and managers in English hospitals",
    extra=(("design", "interviews"),),
)
OLD = Record(
    "Old1999",
    year=1999,
    title="Doctors and managers in English hospitals",
    extra=(("design", "interviews"),),
)
VAGUE = Record("Vague2010", year=2010, title="Hospital life")


def test_first_unmet_criterion_in_protocol_order_gives_the_one_reason(protocol: Protocol) -> None:
    r = Record("Both1999", year=1999, title="Dutch hospitals", extra=(("design", "commentary"),))
    res = screen_records([r], protocol).records[0]
    assert (res.outcome, res.stage, res.reason) == ("excluded", "title-abstract", "out-of-period")


def test_all_met_passes_to_full_text_which_needs_a_person(protocol: Protocol) -> None:
    res = screen_records([GOOD], protocol).records[0]
    assert (res.outcome, res.stage) == ("needs-person", "full-text")
    assert res.stages[0].outcome == "include"


def test_person_include_at_full_text_includes(protocol: Protocol) -> None:
    d = Decision("Good2010", "full-text", "include", "R1", "2026-11-23")
    res = screen_records([GOOD], protocol, [d]).records[0]
    assert res.outcome == "included"
    assert res.overrides[0].reviewers == ("R1",) and not res.overrides[0].contradicts_rules


def test_person_overrides_rules_and_it_is_reported(protocol: Protocol) -> None:
    d = Decision(
        "Old1999", "title-abstract", "include", "R2", "2026-11-23", note="published online 2001"
    )
    res = screen_records([OLD], protocol, [d]).records[0]
    assert (res.outcome, res.stage) == ("needs-person", "full-text")
    ov = res.overrides[0]
    assert (
        ov.contradicts_rules and ov.rule_outcome == "exclude" and ov.rule_reason == "out-of-period"
    )
    assert ov.notes == ("published online 2001",)
    assert screen_records([OLD], protocol, [d]).counts()["overrides"] == 1


def test_excluded_at_title_abstract_never_reaches_full_text(protocol: Protocol) -> None:
    d = Decision("Old1999", "full-text", "include", "R1")
    result = screen_records([OLD], protocol, [d])
    res = result.records[0]
    assert res.outcome == "excluded" and [s.stage for s in res.stages] == ["title-abstract"]
    assert [p.code for p in result.problems] == ["decision-unreached"]


def test_a_decision_never_reached_is_reported_at_the_file_it_came_from(
    protocol: Protocol, tmp_path: Path
) -> None:
    path = tmp_path / "decisions.yaml"
    path.write_text(
        "version: 1\ndecisions:\n- {key: Old1999, stage: full-text, decision: include, reviewer: R1}\n",
        encoding="utf-8",
    )
    decisions, problems = load_decisions(path, {"Old1999"}, protocol, "review/decisions.yaml")
    assert problems == []
    (warning,) = screen_records([OLD], protocol, decisions).problems
    assert str(warning).startswith(
        "review/decisions.yaml:3 [Old1999]: warning: R1's full-text decision"
    )
    # a decision made in code has no file: the project's decisions file is named instead
    (warning,) = screen_records(
        [OLD], protocol, [Decision("Old1999", "full-text", "include", "R1")]
    ).problems
    assert warning.location.path == "corpus/screening.yaml"


def _decisions(
    protocol: Protocol, items: str, aliases: dict[str, str]
) -> tuple[tuple[Decision, ...], list[str]]:
    data = load_yaml_text("version: 1\ndecisions:\n" + items, "s.yaml")
    decisions, problems = parse_decisions(
        data, "s.yaml", {"Good2010", "Vague2010"}, protocol, aliases
    )
    return decisions, [str(p) for p in problems]


def test_a_decision_on_a_merged_record_applies_to_the_survivor(protocol: Protocol) -> None:
    aliases = {"Good2010x": "Good2010", "Good2010y": "Good2010x", "Lost2001": "Gone2001"}
    decisions, problems = _decisions(
        protocol,
        (
            "- {key: Good2010y, stage: title-abstract, decision: exclude, reason: not-uk, reviewer: R1}\n"
            "- {key: Lost2001, stage: title-abstract, decision: include, reviewer: R1}\n"
            "- {key: Nobody2010, stage: title-abstract, decision: include, reviewer: R1}\n"
        ),
        aliases,
    )
    (d,) = decisions
    assert (d.key, d.alias, d.line) == ("Good2010", "Good2010y", 3)  # through a chain of merges
    assert d.as_item()["key"] == "Good2010y" and d.as_dict()["written_as"] == "Good2010y"
    # a key that no merge leads to a record in the corpus stays an error with its line
    assert [p.split(": error: ")[0] for p in problems] == [
        "s.yaml:4 [Lost2001]",
        "s.yaml:5 [Nobody2010]",
    ]
    res = screen_records([GOOD], protocol, decisions).records[0]
    assert (res.outcome, res.reason, res.overrides[0].reviewers) == ("excluded", "not-uk", ("R1",))


def test_decisions_on_a_record_and_its_merged_duplicate_must_agree(protocol: Protocol) -> None:
    aliases = {"Good2010x": "Good2010"}
    same = (
        "- {key: Good2010x, stage: title-abstract, decision: include, reviewer: R1, note: old key}\n"
        "- {key: Good2010, stage: title-abstract, decision: include, reviewer: R1}\n"
    )
    decisions, problems = _decisions(protocol, same, aliases)
    assert problems == [] and [(d.key, d.alias) for d in decisions] == [("Good2010", None)]
    differ = (
        "- {key: Good2010, stage: title-abstract, decision: include, reviewer: R1}\n"
        "- {key: Good2010x, stage: title-abstract, decision: exclude, reason: not-uk, reviewer: R1}\n"
    )
    decisions, problems = _decisions(protocol, differ, aliases)
    assert problems == [
        "s.yaml:4 [Good2010x]: error: R1 decided Good2010 at title-abstract twice "
        "(Good2010x was merged into Good2010) (first at line 3; keep one, `litreview screen "
        "undo Good2010x --reviewer R1 --stage title-abstract` removes the one on Good2010x, or "
        "`litreview screen decide Good2010 ... --reviewer R1 --stage title-abstract` replaces "
        "both)"
    ]


def test_unclear_needs_a_person_and_disagreement_stays_with_a_person(protocol: Protocol) -> None:
    assert screen_records([VAGUE], protocol).records[0].outcome == "needs-person"
    ds = [
        Decision("Vague2010", "title-abstract", "include", "R1"),
        Decision("Vague2010", "title-abstract", "exclude", "R2", reason="not-uk"),
    ]
    res = screen_records([VAGUE], protocol, ds).records[0]
    assert res.outcome == "needs-person" and res.stages[0].conflict
    settled = [*ds, Decision("Vague2010", "title-abstract", "exclude", "R3", reason="not-uk")]
    res = screen_records([VAGUE], protocol, settled).records[0]
    assert (res.outcome, res.reason) == ("excluded", "not-uk")


def test_resolve_picks_majority_reason_then_protocol_order() -> None:
    ds = [
        Decision("k", "s", "exclude", "R1", reason="off-topic"),
        Decision("k", "s", "exclude", "R2", reason="not-uk"),
    ]
    assert resolve(ds, ["not-uk", "off-topic"]).reason == "not-uk"


# --- dual screening ---------------------------------------------------------------------------


def test_kappa_matches_a_hand_computed_example() -> None:
    # 10 records: both include 4, both exclude 3, R1 include/R2 exclude 2, R1 exclude/R2 include 1.
    # p_o = 7/10 = 0.7; R1 includes 6/10, R2 includes 5/10;
    # p_e = 0.6*0.5 + 0.4*0.5 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    pairs = [("i", "i")] * 4 + [("e", "e")] * 3 + [("i", "e")] * 2 + [("e", "i")]
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa([("i", "i")] * 3) is None
    assert cohen_kappa([]) is None


def test_agreement_and_conflicts_per_stage(protocol: Protocol) -> None:
    ds = [
        Decision("A", "title-abstract", "include", "R1"),
        Decision("A", "title-abstract", "include", "R2"),
        Decision("B", "title-abstract", "exclude", "R1", reason="not-uk"),
        Decision("B", "title-abstract", "include", "R2"),
        Decision("C", "title-abstract", "exclude", "R1", reason="not-uk"),
        Decision("C", "title-abstract", "exclude", "R2", reason="off-topic"),
    ]
    [a] = agreement(ds, protocol)
    assert (a.stage, a.reviewers, a.records, a.agreed) == ("title-abstract", ("R1", "R2"), 3, 2)
    assert a.percent == pytest.approx(200 / 3)
    conflicts = find_conflicts(ds, protocol)
    assert [(c.key, c.kind) for c in conflicts] == [("B", "decision"), ("C", "reason")]


# --- PRISMA -----------------------------------------------------------------------------------


def test_prisma_counts_balance(protocol: Protocol) -> None:
    prov = Provenance("database-search", "x.bib", 1)
    records = [
        Record(
            "Good2010",
            year=2010,
            title=GOOD.title,
            extra=GOOD.extra,
            provenance=(prov, Provenance("citation-tracing", "y.bib", 2)),
        ),
        Record("Old1999", year=1999, provenance=(prov,)),
        Record(
            "Vague2010",
            year=2010,
            title="Hospital life",
            provenance=(Provenance("policy-websites", "z", 1),),
        ),
    ]
    d = Decision("Good2010", "full-text", "include", "R1")
    result = screen_records(records, protocol, [d])
    counts = prisma_counts(records, result, protocol)
    data = counts.as_dict()
    assert data["version"] == 2
    assert [(s["source"], s["records"]) for s in data["identified"]] == [
        ("database-search", 2),
        ("citation-tracing", 1),
        ("policy-websites", 1),
    ]
    assert (data["identified_total"], data["duplicates_removed"], data["records"]) == (4, 1, 3)
    ta, ft = data["stages"]
    assert ta["excluded"] == [
        {"reason": "out-of-period", "label": "Outside 2002–2015", "records": 1}
    ]
    assert (ta["reached"], ta["needs_person"], ta["passed"]) == (3, 1, 1)
    assert (ft["reached"], ft["passed"]) == (1, 1)
    assert (data["included"], data["needs_person"], data["balanced"]) == (1, 1, True)
    assert prisma_counts(records, result, protocol, duplicates_removed=5).balanced is False


def test_screening_and_tagging_read_a_terms_words_by_one_rule() -> None:
    # review.yaml's terms once missed what the same term in themes.yaml found: organisation /
    # organization, and a term written as a plural finding the singular
    from litreview.files.yamlio import load_yaml_text
    from litreview.model import Record
    from litreview.tag.engine import tag_records
    from litreview.tag.themes import parse_themes

    screening = TermMatcher(["organisation", "leaders", "process"])
    assert screening.phrases_in("the organization's leader") == ["organization", "leader"]
    assert screening.phrases_in("processes") == ["processes"]
    themes, _ = parse_themes(
        load_yaml_text(
            "version: 1\nthemes:\n- id: org\n  label: Org\n  terms: [organisation]\n"
            "- id: lead\n  label: Lead\n  terms: [leaders]\n",
            "themes.yaml",
        ),
        "themes.yaml",
    )
    assert themes is not None
    tagged = tag_records([Record(key="A", title="The organization and its leader")], themes)
    assert set(tagged.records["A"].ids) == {"org", "lead"}


def test_a_new_criterion_kind_is_one_class(monkeypatch: pytest.MonkeyPatch) -> None:
    """review.yaml's checks and screening's rule both come from the kind's class: registering
    one class is all a new kind needs."""
    from litreview.screen import criteria

    class TitleLength(criteria.CriterionKind):
        name = "title-length"
        params = ("max_words",)

        def check(self, ck: Any, item: Any, where: str) -> dict[str, Any]:
            value = item.get("max_words")
            if not isinstance(value, int):
                ck.error(
                    item, "max_words", f"'max_words' of {where} must be a whole number", "type"
                )
            return {"max_words": value}

        def rule(self, params: Any, matchers: list[TermMatcher]) -> Any:
            def rule(texts: Any) -> Any:
                n = len(texts.raw("title").split())
                return (
                    (criteria.MET if n <= params["max_words"] else criteria.NOT_MET),
                    (),
                    f"{n} words",
                )

            return rule

    monkeypatch.setitem(criteria.KINDS, "title-length", TitleLength())
    text = PROTOCOL_TEXT.replace(
        "criteria:\n",
        "criteria:\n- id: short\n  kind: title-length\n  stage: "
        "title-abstract\n  reason: off-topic\n  max_words: 3\n",
        1,
    )
    protocol = load_protocol_text(text)
    [result] = [
        r
        for r in evaluate(Record("a", title="A rather long title here"), protocol)
        if r.criterion == "short"
    ]
    assert (result.status, result.detail) == ("not-met", "5 words")
    with pytest.raises(ConfigError, match="max_words"):
        load_protocol_text(text.replace("max_words: 3", "max_words: three"))
