"""The ranked queue (litreview.screen.rank), `screen simulate` and `screen next`'s order.

The fixture review (tests/fixtures/rank) is invented: sleep loss in night-shift workers (the
includes, ids s1-s7) among studies of soil erosion and crop yields (the excludes, e1-e6).
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litreview.model import Record
from litreview.protocol import load_protocol
from litreview.screen.engine import Decision
from litreview.screen.rank import (
    INCLUDE_WEIGHT,
    SVM_C,
    StopRule,
    build_features,
    fit,
    fit_svm,
    labels_from_decisions,
    rank,
    recall_curve,
    replay,
    wss,
)

from .conftest import FIXTURES
from .conftest import invoke as run

PROJECT = FIXTURES / "rank"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    dest = tmp_path / "review"
    shutil.copytree(PROJECT, dest)
    return dest


def _records() -> list[Record]:
    from litreview.corpus.store import load_corpus

    return list(load_corpus(PROJECT / "corpus" / "records.bib").records)


SLEEP = ["Abel2011", "Baker2012", "Chen2013", "Diaz2014", "Evans2015", "Fox2016"]
SOIL = ["Gray2011", "Hill2012", "Ives2013", "Jones2014", "King2015", "Lee2016"]


def test_model_ranks_records_like_the_includes_first() -> None:
    features = build_features(_records())
    labels = {"Abel2011": 1, "Baker2012": 1, "Gray2011": 0, "Hill2012": 0}
    ranking = rank(features, labels, SLEEP + SOIL)
    assert ranking.basis == "model" and (ranking.included, ranking.excluded) == (2, 2)
    assert set(ranking.order[:4]) == set(SLEEP[2:]) and set(ranking.order[4:]) == set(SOIL[2:])


def test_flipped_labels_flip_the_order() -> None:
    # the order follows the labels, not anything fixed in the records
    features = build_features(_records())
    ranking = rank(
        features, {"Abel2011": 0, "Baker2012": 0, "Gray2011": 1, "Hill2012": 1}, SLEEP + SOIL
    )
    assert set(ranking.order[:4]) == set(SOIL[2:])


def test_same_decisions_give_the_same_order_and_scores_twice() -> None:
    labels = {"Abel2011": 1, "Gray2011": 0, "Ives2013": 0}
    a = rank(build_features(_records()), labels, SLEEP + SOIL)
    b = rank(
        build_features(list(reversed(_records()))),
        dict(reversed(list(labels.items()))),
        list(reversed(SLEEP + SOIL)),
    )
    assert a.order == b.order and dict(a.scores) == dict(b.scores)


def test_order_is_the_same_in_another_process_with_another_hash_seed() -> None:
    code = (
        "from litreview.corpus.store import load_corpus; from litreview.screen.rank import build_features, rank;"
        f"f = build_features(load_corpus(__import__('pathlib').Path({str(PROJECT / 'corpus' / 'records.bib')!r})).records);"
        "r = rank(f, {'Abel2011': 1, 'Gray2011': 0}, [k for k in f.keys if k not in ('Abel2011', 'Gray2011')]);"
        "print(' '.join(r.order)); print(repr(sorted(r.scores.items())))"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outs) == 1 and "Baker2012" in outs.pop()


def test_ties_are_broken_by_key() -> None:
    twins = [
        Record(key=k, title="identical title words here", abstract="identical abstract words here")
        for k in ("Zed2001", "Amy2001", "Max2001")
    ]
    features = build_features(twins)
    assert rank(features, {}, ["Zed2001", "Max2001", "Amy2001"]).order == (
        "Amy2001",
        "Max2001",
        "Zed2001",
    )


def test_cold_start_uses_protocol_terms_then_the_includes() -> None:
    protocol = load_protocol(PROJECT / "review.yaml")
    features = build_features(_records())
    cold = rank(features, {}, SLEEP + SOIL, protocol)
    assert cold.basis == "protocol" and set(cold.order[:6]) == set(SLEEP)
    assert cold.estimated_remaining is None
    warm = rank(features, {"Gray2011": 1}, SLEEP + SOIL, protocol)  # one include, no exclude yet
    assert warm.basis == "includes" and set(warm.order[:5]) == set(SOIL[1:])
    assert rank(features, {}, SLEEP + SOIL).basis == "key"


def test_estimate_of_includes_remaining_falls_as_includes_are_found() -> None:
    features = build_features(_records())
    early = rank(features, {"Abel2011": 1, "Gray2011": 0}, SLEEP[1:] + SOIL[1:])
    late = rank(features, {k: 1 for k in SLEEP[:5]} | {k: 0 for k in SOIL[:5]}, [SLEEP[5], SOIL[5]])
    assert early.estimated_remaining is not None and late.estimated_remaining is not None
    assert 0 <= late.estimated_remaining < early.estimated_remaining <= 10


def test_class_balancing_makes_a_single_include_count() -> None:
    # one include among 40 excludes on other topics: weighed alike, the 40 excludes pull the model
    # towards "exclude" and the include's unseen twin gets a middling probability; balanced, the
    # one include counts as much as all the excludes and its twin is clearly an include
    topics = [
        "soil erosion terraces hillside rainfall runoff",
        "wheat yield nitrogen fertiliser plots harvest",
        "river sediment transport flood plain channel",
        "cattle grazing pasture grass weight gain",
        "orchard apple pruning fruit set blossom",
        "maize drought irrigation water stress leaf",
        "forest canopy cover bird nesting survey",
        "rice paddy methane emission flooding field",
    ]
    records = [
        Record(
            key=f"e{i:02d}",
            title=f"{topics[i % 8]} trial",
            abstract=f"{topics[i % 8]} and {topics[(i + 3) % 8]} measured over two seasons",
        )
        for i in range(40)
    ]
    records += [
        Record(
            key="s1",
            title="night shift nurses sleep loss",
            abstract="sleep duration of night shift nurses measured over two seasons",
        ),
        Record(
            key="s2",
            title="sleep loss in night shift nurses",
            abstract="sleep duration and fatigue of shift nurses",
        ),
    ]
    features = build_features(records)
    labels = {"s1": 1} | {f"e{i:02d}": 0 for i in range(40)}
    twin = features.vectors["s2"]
    balanced = 1.0 / (1.0 + math.exp(-fit(features, labels).score(twin)))
    alike = 1.0 / (1.0 + math.exp(-fit(features, labels, balanced=False).score(twin)))
    assert balanced > 0.99 and alike < 0.9


def test_the_svm_is_fitted_to_the_optimum_of_its_problem() -> None:
    # at the optimum the primal's gradient is zero: w (and the bias, a feature of value 1)
    # equals the sum of 2 C_i (1 - y_i f(x_i)) y_i x_i over the records inside the margin
    features = build_features(_records())
    labels = {k: 1 for k in SLEEP[:4]} | {k: 0 for k in SOIL[:5]}
    model = fit_svm(features, labels, tol=1e-9, passes=10_000)
    pos, neg = 4, 5
    exclude_weight = pos / (INCLUDE_WEIGHT * neg)
    norm = (pos + neg) / (pos + neg * exclude_weight)
    grad = list(model.weights)
    grad_bias = model.bias
    for key, label in labels.items():
        x, y = features.vectors[key], 1.0 if label else -1.0
        cost = SVM_C * norm * (1.0 if label else exclude_weight)
        slack = max(0.0, 1.0 - y * model.score(x))
        for i, v in zip(x.index, x.value, strict=True):
            grad[i] -= 2.0 * cost * slack * y * v
        grad_bias -= 2.0 * cost * slack * y
    assert max(abs(g) for g in [*grad, grad_bias]) < 1e-6
    assert any(model.weights)  # a real solution, not the zero vector
    # the default tolerance ranks the records as the exact solution does
    quick = fit_svm(features, labels)
    rest = SLEEP[4:] + SOIL[5:]
    assert sorted(rest, key=lambda k: -model.score(features.vectors[k])) == sorted(
        rest, key=lambda k: -quick.score(features.vectors[k])
    )


def test_includes_weigh_more_than_the_excludes_in_the_svm() -> None:
    # one include among many excludes: weighed as ASReview weighs them, its unseen twin scores
    # above every exclude; with the classes weighed alike in total, less clearly so
    features = build_features(_records())
    labels = {"Abel2011": 1} | {k: 0 for k in SOIL[:5]}
    heavy = fit_svm(features, labels)
    even = fit_svm(features, labels, include_weight=1.0)
    twin = features.vectors["Baker2012"]
    assert heavy.score(twin) > even.score(twin)
    assert heavy.score(twin) > max(heavy.score(features.vectors[k]) for k in SOIL[5:])


def test_wss_and_recall_on_a_hand_checked_order() -> None:
    # 10 records, 4 includes; 95% of 4 rounds up to all 4, found at the 5th record:
    # WSS@95 = (10 - 5) / 10 - 0.05 = 0.45; 3 includes (75%) at the 3rd: (10 - 3) / 10 - 0.25 = 0.45
    labels = {f"k{i}": int(i in (0, 1, 2, 4)) for i in range(10)}
    order = [f"k{i}" for i in range(10)]
    assert recall_curve(order, labels) == [1, 2, 3, 3, 4, 4, 4, 4, 4, 4]
    assert wss(order, labels) == pytest.approx(0.45)
    assert wss(order, labels, 0.75) == pytest.approx(0.45)
    assert wss(list(reversed(order)), labels) == pytest.approx((10 - 10) / 10 - 0.05)
    assert wss(order, {}) is None


def test_stopping_rule_counts_trailing_excludes_after_the_minimum_share() -> None:
    rule = StopRule(3, 0.5)
    assert (
        rule.first_stop([1, 0, 0, 0, 1, 0, 0, 0, 0, 0], 10) == 8
    )  # 3 in a row at 4 but only 40% screened
    status = rule.status([1, 0, 0], 10)
    assert (
        not status.met and status.run == 2 and "2 consecutive excludes so far" in status.describe()
    )
    assert rule.status([1, 0, 0, 0, 0, 0], 10).met
    assert "— 1 consecutive exclude so far" in rule.status([1, 0], 10).describe()


def test_labels_from_decisions_settle_by_majority_and_keep_the_order_made() -> None:
    ds = [
        Decision("B", "title-abstract", "include", "R1", "2026-01-02", line=5),
        Decision("A", "title-abstract", "exclude", "R1", "2026-01-01", line=9),
        Decision("C", "title-abstract", "include", "R1", "2026-01-03", line=1),
        Decision("C", "title-abstract", "exclude", "R2", "2026-01-03", line=2),
        Decision("D", "full-text", "include", "R1", "2026-01-04", line=3),
    ]
    labels, in_order = labels_from_decisions(ds, "title-abstract")
    assert labels == {"A": 0, "B": 1} and in_order == [0, 1]


def test_replay_is_deterministic_and_finds_the_includes_first() -> None:
    features = build_features(_records())
    labels = {k: 1 for k in SLEEP} | {k: 0 for k in SOIL}
    a = replay(features, labels, sorted(labels), ["Abel2011", "Gray2011"])
    b = replay(features, labels, sorted(labels), ["Abel2011", "Gray2011"])
    assert a == b and set(a.order[2:7]) == set(SLEEP[1:])


def test_simulate_json_shape_rules_and_wss(project: Path) -> None:
    code, out, err = run(
        project, "screen", "simulate", "--labels", str(project / "labels.csv"), "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    # Moss1990 (an include) is excluded by the year rule, so 12 records and 6 includes are screened
    assert data["rules"] == {
        "applied": True,
        "excluded": 1,
        "labelled_includes_lost": 1,
        "lost": ["Moss1990"],
    }
    assert data["records"] == 12 and data["includes"] == 6 and len(data["order"]) == 12
    assert sorted(data["order"]) == sorted(SLEEP + SOIL)
    found = [data["order"].index(k) + 1 for k in SLEEP]
    assert data["screened_for_95"] == max(found)
    assert data["wss95"] == pytest.approx(round((12 - max(found)) / 12 - 0.05, 4))
    assert len(data["recall_curve"]) == 12 and data["recall_curve"][-1] == 1.0
    assert (
        data["stopping"]["consecutive_excludes"] == 3 and data["stopping"]["stopped_at"] is not None
    )
    code, out2, _ = run(
        project, "screen", "simulate", "--labels", str(project / "labels.csv"), "--json"
    )
    assert out2 == out


def test_simulate_without_rules_screens_every_labelled_record(project: Path) -> None:
    code, out, _ = run(
        project,
        "screen",
        "simulate",
        "--labels",
        str(project / "labels.csv"),
        "--no-rules",
        "--prior-included",
        "2",
        "--prior-excluded",
        "0",
        "--seed",
        "4",
        "--json",
    )
    data = json.loads(out)
    assert code == 0 and data["records"] == 13 and data["rules"]["applied"] is False
    assert len(data["prior"]) == 2 and all(k in [*SLEEP, "Moss1990"] for k in data["prior"])


def test_simulate_takes_citation_keys_as_ids_too(project: Path) -> None:
    (project / "keys.csv").write_text(
        "id,label\nAbel2011,1\nBaker2012,1\nGray2011,0\nHill2012,0\n", encoding="utf-8"
    )
    code, out, _ = run(
        project, "screen", "simulate", "--labels", str(project / "keys.csv"), "--json"
    )
    data = json.loads(out)
    assert code == 0 and data["records"] == 4 and data["not_labelled"] == 9


def test_simulate_starts_from_the_prior_records_named(project: Path) -> None:
    args = ["screen", "simulate", "--labels", str(project / "labels.csv"), "--no-rules", "--json"]
    code, out, err = run(project, *args, "--prior", "Gray2011", "--prior", "Abel2011")
    assert code == 0, err
    data = json.loads(out)
    # exactly these records first, in the order given, whatever --seed would have drawn
    assert data["prior"] == ["Gray2011", "Abel2011"] and data["order"][:2] == data["prior"]
    assert data["seed"] is None  # nothing was drawn
    _, again, _ = run(project, *args, "--prior", "Gray2011", "--prior", "Abel2011")
    assert again == out
    # naming the prior records and asking to draw them cannot both be meant
    code, _, err = run(project, *args, "--prior", "Gray2011", "--seed", "9")
    assert code == 2 and "--prior names the prior records; --seed would draw them" in err


def test_simulate_prior_ids_that_are_not_to_be_screened_are_errors(project: Path) -> None:
    base = ["screen", "simulate", "--labels", str(project / "labels.csv")]
    code, _, err = run(project, *base, "--prior", "Nobody1999")
    assert code == 2 and "--prior [Nobody1999]: error: unknown id 'Nobody1999'" in err
    # Moss1990 is labelled but the year rule excludes it before anything is screened
    code, _, err = run(project, *base, "--prior", "Moss1990")
    assert code == 2 and "--prior [Moss1990]: error: not a record to screen: the rules" in err
    assert "--no-rules" in err and "Traceback" not in err
    # given by the id it was imported with, the message names that id, and the record's key
    code, _, err = run(project, *base, "--prior", "s7")
    assert code == 2 and "--prior [s7]: error: Moss1990: not a record to screen" in err


def test_simulate_unknown_id_is_an_error_at_its_line(project: Path) -> None:
    (project / "bad.csv").write_text("id,label\ns1,1\nnope,0\ne1,2\n", encoding="utf-8")
    code, _, err = run(project, "screen", "simulate", "--labels", str(project / "bad.csv"))
    assert (
        code == 2
        and "bad.csv:3 [nope]: error: unknown id 'nope'" in err
        and "bad.csv:4 [e1]: error: label '2'" in err
    )
    assert "Traceback" not in err


def test_simulate_labels_with_a_quote_never_closed_is_an_error_at_its_line(project: Path) -> None:
    # without the check, the csv module reads every row after the quote into one cell unseen
    (project / "open.csv").write_text('id,label,note\ns1,1,"fine\ne1,0,x\n', encoding="utf-8")
    code, _, err = run(project, "screen", "simulate", "--labels", str(project / "open.csv"))
    assert code == 2 and "open.csv:2: error: a quote opened on this line is never closed" in err


def test_simulate_labels_row_with_cells_past_the_header_is_an_error(project: Path) -> None:
    (project / "wide.csv").write_text("id,label\ns1,1\ne1,0,extra\n", encoding="utf-8")
    code, _, err = run(project, "screen", "simulate", "--labels", str(project / "wide.csv"))
    assert code == 2 and "wide.csv:3: error: row has 3 cells but the header has 2" in err


def test_simulate_labels_file_without_columns_or_enough_priors(project: Path) -> None:
    (project / "nohead.csv").write_text("key,decision\ns1,1\n", encoding="utf-8")
    code, _, err = run(project, "screen", "simulate", "--labels", str(project / "nohead.csv"))
    assert code == 2 and "nohead.csv:1: error:" in err and "'id' and 'label'" in err
    code, _, err = run(
        project,
        "screen",
        "simulate",
        "--labels",
        str(project / "labels.csv"),
        "--prior-included",
        "9",
    )
    assert code == 2 and "asked for 9 prior includes" in err


def _decide(project: Path, key: str, decision: str) -> None:
    args = ["screen", "decide", key, decision, "--reviewer", "R1", "--date", "2026-12-01"]
    if decision == "exclude":
        args += ["--reason", "off-topic"]
    code, _, err = run(project, *args)
    assert code == 0, err


def _offered(out: str) -> str:
    return out.split("screen decide ")[1].split()[0]


def test_next_offers_records_in_the_model_order(project: Path) -> None:
    code, out, _ = run(project, "screen", "next", "--reviewer", "R2")
    assert code == 0 and "similarity to the protocol's include terms" in out
    assert _offered(out) in SLEEP  # cold start: the protocol's terms are about sleep
    # the team decides the other way round: soil studies are what they include
    _decide(project, "Gray2011", "include")
    _decide(project, "Abel2011", "exclude")
    code, out, _ = run(project, "screen", "next", "--reviewer", "R2")
    assert code == 0 and "model trained on 1 include and 1 exclude" in out
    assert "includes estimated to remain" in out and "stopping rule (3 consecutive excludes" in out
    offered = _offered(out)
    assert offered in SOIL and offered != "Gray2011"
    features = build_features(_records())
    waiting = [k for k in SLEEP + SOIL if k not in ("Gray2011", "Abel2011")]
    assert offered == rank(features, {"Gray2011": 1, "Abel2011": 0}, waiting).order[0]


def test_protocol_ranking_settings_are_validated_with_their_line(project: Path) -> None:
    path = project / "review.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "stop_after_consecutive_excludes: 3", "stop_after_consecutive_excludes: -3"
        ).replace("min_screened_share: 0.2", "min_screened_sharе: 0.2"),
        encoding="utf-8",
    )
    code, _, err = run(project, "screen")
    line = text.splitlines().index("  stop_after_consecutive_excludes: 3") + 1
    assert code == 2 and f"review.yaml:{line}" in err and "whole number >= 1" in err
    assert "unknown key 'min_screened_sharе' in ranking" in err


def test_simulate_takes_the_ids_a_csv_was_imported_with(tmp_path: Path) -> None:
    root = tmp_path / "fresh"
    (root / "corpus" / "searches").mkdir(parents=True)
    shutil.copy(PROJECT / "review.yaml", root / "review.yaml")
    (root / "corpus" / "searches" / "db.csv").write_text(
        "record_id,title,abstract,year,authors\n"
        '101,Sleep loss in night shift nurses,Night shift nurses lost sleep.,2011,"Abel, Ann"\n'
        '102,Soil erosion on hillsides,Terraces reduce soil erosion.,2012,"Gray, Bo"\n'
        '103,Daytime sleep after night shifts,Workers slept less in the day.,2013,"Chen, Cy"\n',
        encoding="utf-8",
    )
    assert (
        run(root, "import", str(root / "corpus" / "searches" / "db.csv"), "--source", "db")[0] == 0
    )
    (root / "labels.csv").write_text("id,label\n101,1\n102,0\n103,1\n", encoding="utf-8")
    code, out, err = run(root, "screen", "simulate", "--labels", str(root / "labels.csv"), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["records"] == 3 and data["includes"] == 2 and data["not_labelled"] == 0
    assert len(data["order"]) == 3 and all(not k.isdigit() for k in data["order"])  # keys, not ids


def test_next_builds_the_corpus_features_once_and_reads_them_back_after(project: Path) -> None:
    from litreview.files import derived

    before = derived.COMPUTED["rank-features"]
    first = run(project, "screen", "next", "--reviewer", "R2")[1]
    assert derived.COMPUTED["rank-features"] == before + 1
    _decide(project, "Gray2011", "include")
    again = run(project, "screen", "next", "--reviewer", "R2")[1]
    assert (
        derived.COMPUTED["rank-features"] == before + 1
    )  # a decision changes no record's features
    assert _offered(first) and _offered(again)


def _queue_order(records: list[Record], decisions: tuple[Decision, ...] = ()) -> list[str]:
    from litreview.screen.engine import screen_records
    from litreview.screen.queue import RankedQueue, waiting_for

    protocol = load_protocol(PROJECT / "review.yaml")
    result = screen_records(records, protocol, decisions)
    todo = waiting_for(result, decisions, "R2", None, False, set())
    ordered, _note = RankedQueue(protocol).order(
        todo, result, decisions, {r.key: r for r in records}
    )
    return [r.key for r in ordered]


def _old(key: str, title: str) -> Record:
    # outside the protocol's 2000-2020: the year rule excludes it, no person screens it
    return Record(key=key, title=title, year=1990, abstract=f"{title} in a cohort {key}.")


def test_records_the_rules_settle_do_not_weigh_in_the_queues_order() -> None:
    # the features are built over what a person screens at the first stage: three hundred old
    # records full of the includes' words would otherwise change every term's weight
    records = _records()
    labels = (
        Decision("Gray2011", "title-abstract", "include", "R1"),
        Decision("Abel2011", "title-abstract", "exclude", "R1", reason="off-topic"),
    )
    old = [_old(f"Old{i:04d}", "Night shift sleep and soil erosion") for i in range(300)]
    for decisions in ((), labels):
        alone = _queue_order(records, decisions)
        assert alone and set(alone).isdisjoint(o.key for o in old)
        assert _queue_order(records + old, decisions) == alone


def test_a_persons_decision_on_a_record_the_rules_settled_still_trains_the_queue() -> None:
    # an audit: a person includes an old record the year rule excluded; it is a label all the
    # same, so the queue is ordered by similarity to it, not by the protocol's terms
    records = [*_records(), _old("Old0001", "Soil erosion and crop yields on terraced hillsides")]
    include = (Decision("Old0001", "title-abstract", "include", "R1"),)
    assert _queue_order(records, include)[0] in SOIL
    assert _queue_order(records)[0] in SLEEP  # the protocol's terms are about sleep


def test_bench_reuses_asreview_orders_only_for_the_same_set_version_and_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import bench_rank

    calls: list[list[str]] = []

    def fake(
        records: list[Record], labels: dict[str, int], prior: list[str]
    ) -> tuple[list[str], float]:
        calls.append(prior)
        return [f"r{len(calls)}"], 1.5

    monkeypatch.setattr(bench_rank, "run_asreview", fake)
    data, cache = tmp_path / "Set.csv", tmp_path / "cache.json"
    data.write_text("record_id,title,abstract,label_included\n1,a,b,1\n", encoding="utf-8")
    first = bench_rank.asreview_cached(cache, "Set", data, "3.0", 0, [], {}, ["r1"])
    again = bench_rank.asreview_cached(cache, "Set", data, "3.0", 0, [], {}, ["r1"])
    assert first == again == (["r1"], 1.5) and len(calls) == 1
    bench_rank.asreview_cached(cache, "Set", data, "3.0", 1, [], {}, ["r1"])  # another seed
    bench_rank.asreview_cached(cache, "Set", data, "3.1", 0, [], {}, ["r1"])  # another version
    data.write_text("record_id,title,abstract,label_included\n1,a,c,1\n", encoding="utf-8")
    bench_rank.asreview_cached(cache, "Set", data, "3.0", 0, [], {}, ["r1"])  # the set changed
    assert len(calls) == 4


def test_bench_leaves_out_rows_without_a_title_for_both_tools_and_caches_them_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # litreview's import rejects a row with nothing to identify the work; the bench gives
    # neither tool that row, so both screen the same records
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import bench_rank

    data = tmp_path / "Set.csv"
    data.write_text(
        "record_id,title,abstract,label_included\n1,a,b,1\n2,,only an abstract,0\n3,c,d,0\n",
        encoding="utf-8",
    )
    records, labels, untitled = bench_rank.load_set(data)
    assert [r.key for r in records] == ["r1", "r3"] and sorted(labels) == ["r1", "r3"]
    assert untitled == 1
    calls: list[int] = []
    monkeypatch.setattr(
        bench_rank,
        "run_asreview",
        lambda recs, labs, prior: (calls.append(len(recs)), (["r1"], 1.0))[1],
    )
    cache = tmp_path / "cache.json"
    bench_rank.asreview_cached(cache, "Set", data, "3.0", 0, records, labels, ["r1"], untitled)
    bench_rank.asreview_cached(cache, "Set", data, "3.0", 0, records, labels, ["r1"], 0)
    assert calls == [2, 2]  # the two record sets made from one file are not one cache entry


def test_features_weigh_each_term_by_records_holding_it_and_log_counts_in_the_record() -> None:
    records = [
        Record(key="A", title="alpha beta", abstract=" ".join(["gamma"] * 70)),
        Record(key="B", title="alpha delta", abstract="gamma"),
        Record(key="C", title="beta delta"),
    ]
    f = build_features(records)
    # every word is in two of the three records, each bigram in one ("gamma gamma" 69 times):
    # a term counts once per record holding it, and a record's own terms are kept
    assert f.vocabulary == (
        "alpha",
        "alpha beta",
        "alpha delta",
        "beta",
        "beta delta",
        "delta",
        "gamma",
        "gamma gamma",
    )
    two, one = math.log(4 / 3) + 1.0, math.log(4 / 2) + 1.0
    assert f.idf == pytest.approx((two, one, one, two, one, two, two, one))
    a = f.vectors["A"]
    # alpha, "alpha beta", beta, gamma (70 times), "gamma gamma" (69 times)
    weights = [two, one, two, (1.0 + math.log(70)) * two, (1.0 + math.log(69)) * one]
    norm = math.sqrt(sum(w * w for w in weights))
    assert list(a.index) == [0, 1, 3, 6, 7]
    assert list(a.value) == pytest.approx([w / norm for w in weights])
    c = [two, one, two]  # beta, "beta delta", delta
    assert list(f.vectors["C"].index) == [3, 4, 5]
    assert list(f.vectors["C"].value) == pytest.approx(
        [w / math.sqrt(sum(x * x for x in c)) for w in c]
    )
    # min_df 2 keeps only the terms two records share
    assert build_features(records, min_df=2).vocabulary == ("alpha", "beta", "delta", "gamma")


@given(
    df=st.dictionaries(st.text("abc", min_size=1, max_size=4), st.integers(1, 9), max_size=60),
    low=st.integers(1, 2),
    high=st.integers(2, 9),
    most=st.integers(1, 40),
)
def test_the_vocabulary_cap_keeps_the_most_frequent_terms_ties_by_the_term(
    df: dict[str, int], low: int, high: int, most: int
) -> None:
    from litreview.screen.rank import _most_frequent

    every = sorted((-k, t) for t, k in df.items() if low <= k <= high)  # the plain way
    assert sorted(_most_frequent(df, low, high, most)) == sorted(t for _, t in every[:most])


@given(
    st.text(max_size=60),
    st.text(max_size=200),
    st.lists(st.text(max_size=20), max_size=3),
)
def test_a_records_terms_are_each_fields_words_then_its_bigrams(
    title: str, abstract: str, keywords: list[str]
) -> None:
    from litreview.screen.rank import record_terms, text_terms, tokens

    record = Record(key="K", title=title, abstract=abstract, keywords=tuple(keywords))
    expected: list[str] = []
    for text in (title, abstract, *keywords):
        words = tokens(text)
        pairs = [f"{words[i]} {words[i + 1]}" for i in range(len(words) - 1)]
        assert text_terms(text) == words + pairs
        expected += text_terms(text)
    assert record_terms(record) == expected
