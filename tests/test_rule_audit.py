"""Rule audits and PRISMA's automation box: what the rules exclude unseen is counted and checked.

A protocol whose rules exclude records nobody reads can lose eligible studies without anyone
noticing. These tests pin that such exclusions are counted apart from people's, that a random
sample can be drawn for a person, and that the estimate of what the rules lose follows from the
person's decisions on exactly that sample.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from litreview.screen.audit import binomial_cdf, clopper_pearson

from .conftest import copy_of_shipped_review
from .conftest import invoke as run


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    return copy_of_shipped_review(tmp_path / "shipped")


def _unaudited(root: Path) -> Path:
    """The shipped review without its rule audit: no draws, and no decisions made for one."""
    import yaml

    (root / "corpus" / "rule-audit.yaml").unlink()
    path = root / "corpus" / "screening.yaml"
    data = yaml.safe_load(path.read_text())
    data["decisions"] = [
        d for d in data["decisions"] if not str(d.get("note", "")).startswith("Rule audit")
    ]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return root


def _small_review(tmp_path: Path, dual: bool = False) -> Path:
    """The six-record screening fixture; ``dual``: two reviewers at title-abstract."""
    import shutil

    from .conftest import FIXTURES

    small = tmp_path / "small"
    shutil.copytree(FIXTURES / "screen" / "project", small)
    if dual:
        protocol = small / "review.yaml"
        protocol.write_text(
            protocol.read_text().replace(
                "  label: Title and abstract\n", "  label: Title and abstract\n  reviewers: 2\n"
            )
        )
    return small


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return _unaudited(copy_of_shipped_review(tmp_path / "review"))


# --- the interval ---------------------------------------------------------------------------------


def test_clopper_pearson_matches_the_closed_forms_at_the_edges() -> None:
    # k = 0: the upper end solves (1 - p)^n = 0.025; k = n: the lower end solves p^n = 0.025
    low, high = clopper_pearson(0, 10)
    assert low == 0.0 and high == pytest.approx(1 - 0.025 ** (1 / 10), abs=1e-9)
    low, high = clopper_pearson(10, 10)
    assert high == 1.0 and low == pytest.approx(0.025 ** (1 / 10), abs=1e-9)


def test_clopper_pearson_tails_hold_exactly_half_the_missing_confidence() -> None:
    low, high = clopper_pearson(3, 20)
    assert 1 - binomial_cdf(2, 20, low) == pytest.approx(0.025, abs=1e-9)
    assert binomial_cdf(3, 20, high) == pytest.approx(0.025, abs=1e-9)
    assert low < 3 / 20 < high


def test_binomial_cdf_does_not_overflow_for_large_samples() -> None:
    assert binomial_cdf(2500, 5000, 0.5) == pytest.approx(0.5056, abs=1e-3)


# --- PRISMA: the automation box -------------------------------------------------------------------


def test_the_shipped_review_states_its_audit_in_the_appendix(shipped: Path) -> None:
    code, out, _ = run(shipped, "screen", "audit", "--json")
    assert code == 0
    (est,) = json.loads(out)["stages"]
    # ten of the 37 rule exclusions drawn (seed 1) and checked by a person, none kept
    assert (est["excluded_by_rules"], est["drawn"], est["checked"], est["wrongly_excluded"]) == (
        37,
        10,
        10,
        [],
    )
    assert est["studies_lost"]["high"] == pytest.approx((1 - 0.025 ** (1 / 10)) * 27, abs=1e-3)
    ta = json.loads(run(shipped, "screen", "prisma", "--json")[1])["stages"][0]
    assert ta["excluded_by_rules_total"] == 27  # the ten checked were seen by a person
    assert run(shipped, "render", "--format", "md")[0] == 0
    md = (shipped / "build" / "appendix.md").read_text()
    assert "A person checked a random sample of 10 of them and would have kept 0" in md


def test_rule_exclusions_are_counted_apart_from_peoples_in_prisma(review: Path) -> None:
    code, out, _ = run(review, "screen", "prisma", "--json")
    assert code == 0
    ta = json.loads(out)["stages"][0]
    # the shipped review: 102 excluded at title and abstract, 37 of them by the rules alone
    assert ta["excluded_total"] == 102 and ta["excluded_by_rules_total"] == 37
    assert (
        ta["passed_by_rules"] == 0
    )  # the two the rules passed (Davies 2003a, b) are now excluded by a person
    code, _, _ = run(review, "render", "--format", "json,md,svg")
    assert code == 0
    prisma = json.loads((review / "build" / "prisma.json").read_text())
    assert prisma["automation_ineligible_total"] == 37
    # screened = identified − duplicates − marked ineligible by automation tools
    assert prisma["screened"] == prisma["identified"] - prisma["duplicates_removed"] - 37
    assert prisma["excluded_title_abstract_total"] == 102 - 37
    assert prisma["checks"] == []
    svg = (review / "build" / "prisma.svg").read_text()
    assert (
        ">Records marked as ineligible by<" in svg and ">automation tools (n = 37)<" in svg
    )  # wrapped
    assert "37 marked ineligible by automation tools, 121 screened" in svg  # the description
    md = (review / "build" / "appendix.md").read_text()
    assert "They were not audited, so how many eligible studies they removed is not known." in md


# --- drawing and estimating -----------------------------------------------------------------------


def test_audit_draws_a_reproducible_sample_and_never_draws_a_record_twice(
    review: Path, tmp_path: Path
) -> None:
    other = _unaudited(copy_of_shipped_review(tmp_path / "other"))
    code, out, _ = run(review, "screen", "audit", "--sample", "5", "--json")
    assert code == 1  # drawn records wait for a person
    first = json.loads(out)["drawn"]
    assert len(first["keys"]) == 5 and first["population"] == 37 and first["seed"] == 1
    code, out, _ = run(other, "screen", "audit", "--sample", "5", "--json")
    assert json.loads(out)["drawn"]["keys"] == first["keys"]  # same seed, same draw, other folder
    _, out, _ = run(review, "screen", "audit", "--sample", "40", "--json")
    second = json.loads(out)["drawn"]
    assert second["seed"] == 2 and len(second["keys"]) == 32  # the rest, nothing drawn twice
    assert not set(first["keys"]) & set(second["keys"])
    rules = json.loads(run(review, "screen", "--json")[1])
    assert rules["excluded_by_rules"]["title-abstract"] == 37


def test_audit_estimate_follows_the_persons_decisions_on_the_drawn_records(review: Path) -> None:
    _, out, _ = run(review, "screen", "audit", "--sample", "5", "--json")
    keys = json.loads(out)["drawn"]["keys"]
    before = json.loads(run(review, "screen", "prisma", "--json")[1])["stages"][0]
    passed = before["passed"]  # none of these was excluded by the rules
    # the person keeps one drawn record and agrees with the rules on the other four
    assert (
        run(
            review,
            "screen",
            "decide",
            keys[0],
            "include",
            "--stage",
            "title-abstract",
            "--reviewer",
            "R9",
        )[0]
        == 0
    )
    for key in keys[1:]:
        assert (
            run(
                review,
                "screen",
                "decide",
                key,
                "exclude",
                "--stage",
                "title-abstract",
                "--reason",
                "off-topic",
                "--reviewer",
                "R9",
            )[0]
            == 0
        )
    code, out, _ = run(review, "screen", "audit", "--json")
    assert code == 0  # nothing drawn waits any more
    (est,) = json.loads(out)["stages"]
    assert (est["excluded_by_rules"], est["drawn"], est["checked"]) == (37, 5, 5)
    assert est["wrongly_excluded"] == [keys[0]] and est["waiting"] == []
    low, high = clopper_pearson(1, 5)
    assert est["share_wrongly_excluded"] == {
        "estimate": 0.2,
        "low": round(low, 4),
        "high": round(high, 4),
    }
    assert est["studies_lost"]["estimate"] == pytest.approx(0.2 * 32, abs=1e-3)
    assert est["studies_lost"]["high"] == pytest.approx(high * 32, abs=1e-3)
    assert est["recall"]["estimate"] == pytest.approx(passed / (passed + 0.2 * 37), abs=1e-3)
    assert est["recall"]["low"] == pytest.approx(passed / (passed + high * 37), abs=1e-3)
    # the kept record is back in the review: it went on to full text
    explained = json.loads(run(review, "screen", "--explain", keys[0], "--json")[1])
    assert explained["stages"][0]["outcome"] == "include"
    # the appendix states the estimate, not "not known"
    assert run(review, "render", "--format", "md")[0] == 0
    md = (review / "build" / "appendix.md").read_text()
    assert "A person checked a random sample of 5 of them and would have kept 1" in md


def test_a_decision_on_a_record_that_was_not_drawn_does_not_count_in_the_audit(
    review: Path,
) -> None:
    from litreview.project import Project
    from litreview.screen.audit import rule_excluded
    from litreview.workflow.pipeline import load_state

    _, out, _ = run(review, "screen", "audit", "--sample", "3", "--json")
    drawn = set(json.loads(out)["drawn"]["keys"])
    population = rule_excluded(load_state(Project(review)).screening, "title-abstract")
    undrawn = next(k for k in population if k not in drawn)
    run(
        review,
        "screen",
        "decide",
        undrawn,
        "include",
        "--stage",
        "title-abstract",
        "--reviewer",
        "R9",
    )
    (est,) = json.loads(run(review, "screen", "audit", "--json")[1])["stages"]
    assert est["checked"] == 0 and est["wrongly_excluded"] == [] and len(est["waiting"]) == 3


def test_status_and_run_exit_1_while_drawn_records_wait(review: Path) -> None:
    assert run(review, "status")[0] == 0  # unaudited rules are advice, not a finding
    run(review, "screen", "audit", "--sample", "2")
    code, out, _ = run(review, "status", "--json")
    data = json.loads(out)
    assert code == 1 and data["waiting"]
    item = next(t for t in data["todo"] if t["what"].startswith("rule exclusions drawn"))
    assert item["count"] == 2 and item["waits"]
    code, out, _ = run(review, "run", "--format", "json")
    assert code == 1 and "2 drawn records wait for a person" in out


# --- the stored file ------------------------------------------------------------------------------


def test_check_reports_a_broken_rule_audit_file_with_its_lines(review: Path) -> None:
    (review / "corpus" / "rule-audit.yaml").write_text(
        "version: 1\naudits:\n- stage: title-abstrct\n  seed: 1\n  population: 3\n  keys: [Nobody1999]\n"
        "- stage: title-abstract\n  seed: -1\n  populaton: 2\n  keys: [Nobody1999]\n"
    )
    code, out, err = run(review, "check")
    assert code == 1
    text = out + err
    assert "corpus/rule-audit.yaml:3: error: unknown stage 'title-abstrct'" in text
    assert "did you mean 'title-abstract'?" in text
    assert "corpus/rule-audit.yaml:8: error: 'seed' must be a whole number" in text
    assert "corpus/rule-audit.yaml:9: error: unknown key 'populaton'" in text


def test_a_drawn_key_missing_from_the_corpus_is_a_warning_with_its_line(review: Path) -> None:
    (review / "corpus" / "rule-audit.yaml").write_text(
        "version: 1\naudits:\n- stage: title-abstract\n  seed: 1\n  date: '2026-12-05'\n  population: 37\n"
        "  keys: [Nobody1999]\n"
    )
    code, out, err = run(review, "check")
    assert code == 0  # a warning, not an error
    assert (
        "corpus/rule-audit.yaml:3 [Nobody1999]: warning: drawn record Nobody1999 is not in the corpus"
        in out + err
    )


def test_audit_refuses_an_unknown_stage_and_writes_nothing(review: Path) -> None:
    code, _, err = run(review, "screen", "audit", "--sample", "3", "--stage", "ful-text")
    assert code == 2 and "unknown stage 'ful-text'" in err
    assert not (review / "corpus" / "rule-audit.yaml").exists()


def test_audit_of_a_stage_where_the_rules_exclude_nothing_says_so_for_that_stage(
    review: Path,
) -> None:
    # the rules exclude 37 records at title-abstract and none at full-text
    code, out, err = run(review, "screen", "audit", "--sample", "3", "--stage", "full-text")
    assert code == 0
    assert "nothing to draw: the rules exclude no record at full-text" in err
    assert "drawn already" not in err  # nothing was ever drawn there
    assert out == "the rules exclude nothing at full-text: there is nothing to audit\n"
    code, out, _ = run(review, "screen", "audit", "--stage", "full-text")
    assert (
        code == 0 and out == "the rules exclude nothing at full-text: there is nothing to audit\n"
    )
    assert not (review / "corpus" / "rule-audit.yaml").exists()


def test_screen_exits_1_while_records_wait_and_0_when_none_do(review: Path) -> None:
    assert run(review, "screen")[0] == 0  # the shipped review: nothing waits
    (review / "corpus" / "screening.yaml").write_text("version: 1\ndecisions: []\n")
    code, out, _ = run(review, "screen")
    assert code == 1 and "needs a person 0" not in out


def test_a_drawn_record_one_of_two_reviewers_decided_waits_for_the_other(tmp_path: Path) -> None:
    small = _small_review(tmp_path, dual=True)
    _, out, _ = run(small, "screen", "audit", "--sample", "3", "--json")
    assert json.loads(out)["drawn"]["keys"] == ["Degeling1999", "Edwards2003", "Klopper2010"]
    ta = ("--stage", "title-abstract")
    exclude = ("exclude", "--reason", "not-uk")
    assert run(small, "screen", "decide", "Klopper2010", *exclude, "--reviewer", "R1", *ta)[0] == 0
    code, out, _ = run(small, "screen", "audit")
    assert code == 1 and "drawn 3, checked 0" in out
    # the report says Klopper2010 waits for a second reviewer, not for a first look
    assert (
        "1 drawn record waits for another reviewer (title-abstract needs 2; a record counts as "
        "checked once they have decided): Klopper2010 (R1 decided)" in out
    )
    assert "2 drawn records wait for a person" in out and "(first: Degeling1999)" in out
    (est,) = json.loads(run(small, "screen", "audit", "--json")[1])["stages"]
    assert est["waiting_for_another_reviewer"] == {"Klopper2010": ["R1"]}
    assert est["reviewers_needed"] == 2
    item = next(
        t
        for t in json.loads(run(small, "status", "--json")[1])["todo"]
        if t["what"].startswith("rule exclusions drawn")
    )
    assert item["count"] == 3 and "1 decided by fewer than the 2 reviewers" in item["what"]
    # settled by the second reviewer: checked
    assert run(small, "screen", "decide", "Klopper2010", *exclude, "--reviewer", "R2", *ta)[0] == 0
    (est,) = json.loads(run(small, "screen", "audit", "--json")[1])["stages"]
    assert est["checked"] == 1 and est["waiting_for_another_reviewer"] == {}
    # two reviewers who disagree on a drawn record: it waits for a resolution
    assert (
        run(small, "screen", "decide", "Degeling1999", "include", "--reviewer", "R1", *ta)[0] == 0
    )
    assert run(small, "screen", "decide", "Degeling1999", *exclude, "--reviewer", "R2", *ta)[0] == 0
    code, out, _ = run(small, "screen", "audit")
    assert "1 drawn record in conflict: Degeling1999; litreview screen resolve" in out
    assert "1 drawn record waits for a person" in out and "(first: Edwards2003)" in out


def test_screen_prisma_text_its_json_and_the_rendered_prisma_json_give_the_same_flow(
    tmp_path: Path,
) -> None:
    """Rule exclusions, a rule audit whose drawn records people decided (one by both reviewers
    of a dual stage, one by one of them) and dual screening with a conflict: every output says
    "screened" of one number, and the stage view, which counts every record that reached a
    stage, reconciles with it."""
    import re

    small = _small_review(tmp_path, dual=True)
    _, out, _ = run(small, "screen", "audit", "--sample", "2", "--json")
    both, one = json.loads(out)["drawn"]["keys"]
    ta = ("--stage", "title-abstract")

    def decide(key: str, reviewer: str, *decision: str) -> None:
        assert run(small, "screen", "decide", key, *decision, "--reviewer", reviewer, *ta)[0] == 0

    for reviewer in ("R1", "R2"):  # both agree with the rules: seen by people
        decide(both, reviewer, "exclude", "--reason", "not-empirical")
    decide(one, "R1", "exclude", "--reason", "not-empirical")  # one of two: still the rules'
    decide("Kuhlmann2013", "R1", "include")  # a conflict
    decide("Kuhlmann2013", "R2", "exclude", "--reason", "not-uk")
    decide("Osbourne2010", "R1", "include")  # on to full text
    decide("Osbourne2010", "R2", "include")

    _, out, _ = run(small, "screen", "prisma", "--json")
    data = json.loads(out)
    assert run(small, "render", "--format", "json")[0] == 0
    rendered = json.loads((small / "build" / "prisma.json").read_text())
    assert rendered["checks"] == [] and data["balanced"]
    boxes = (
        "automation_ineligible_total",
        "screened",
        "passed_by_rules",
        "excluded_title_abstract_total",
        "needs_person",
        "assessed_full_text",
        "excluded_full_text_total",
        "included",
    )
    assert {k: data[k] for k in boxes} == {k: rendered[k] for k in boxes}
    # 6 records: the rules exclude 3; the audit's record both reviewers decided was screened
    assert (data["records"], data["automation_ineligible_total"], data["screened"]) == (6, 2, 4)
    assert data["excluded_title_abstract_total"] == 1 and data["needs_person"] == 3
    _, text, _ = run(small, "screen", "prisma")

    def number(pattern: str) -> int:
        found = re.search(pattern, text)
        assert found, (pattern, text)
        return int(found.group(1))

    assert number(r"marked ineligible by automation tools (\d+)") == 2
    assert number(r"records screened (\d+)") == data["screened"]
    assert number(r"records excluded (\d+)") == data["excluded_title_abstract_total"]
    assert number(r"reports assessed (\d+)") == data["assessed_full_text"]
    assert number(r"included (\d+);") == data["included"]
    assert number(r"; needs a person (\d+)") == data["needs_person"]
    # the stage view counts what reached the stage, and says what the rules did unseen
    (ta_stage, _) = data["stages"]
    assert ta_stage["reached"] == data["records"]
    assert ta_stage["reached"] - ta_stage["excluded_by_rules_total"] == data["screened"]
    assert f"title-abstract: reached {ta_stage['reached']}, excluded 3 " in text
    assert "by the rules alone, unseen by a person: excluded 2, passed 1" in text
    assert "screened 6" not in text and "screened" not in text.split("by stage")[1]
    _, text, _ = run(small, "status")
    assert (
        "records 6 (identified 7, duplicates removed 1): marked ineligible by automation tools 2, screened 4"
        in text
    )


def test_exclusions_at_a_middle_stage_count_as_records_excluded_and_the_flow_adds_up(
    tmp_path: Path,
) -> None:
    """A title screen, an abstract screen, then full text: the abstract screen's exclusions are
    still records excluded before any report is sought, so PRISMA's flow balances."""
    small = _small_review(tmp_path)
    protocol = small / "review.yaml"
    text = protocol.read_text()
    assert "- id: full-text\n" in text
    protocol.write_text(
        text.replace(
            "- id: full-text\n",
            "- id: abstract\n  label: Abstract\n  requires_person: true\n- id: full-text\n",
            1,
        )
    )
    _, out, _ = run(small, "screen", "--json")
    at_abstract = sorted(r["key"] for r in json.loads(out)["results"] if r["stage"] == "abstract")
    assert at_abstract, out
    code = run(
        small,
        "screen",
        "decide",
        at_abstract[0],
        "exclude",
        "--reason",
        "not-uk",
        "--stage",
        "abstract",
        "--reviewer",
        "R1",
    )[0]
    assert code == 0
    _, out, _ = run(small, "screen", "prisma", "--json")
    data = json.loads(out)
    middle = next(s for s in data["stages"] if s["stage"] == "abstract")
    assert middle["excluded_total"] == 1
    first_people = data["stages"][0]["excluded_total"] - data["automation_ineligible_total"]
    assert data["excluded_title_abstract_total"] == first_people + 1
    assert data["balanced"]
    assert run(small, "render", "--format", "json")[0] == 0
    assert json.loads((small / "build" / "prisma.json").read_text())["checks"] == []
