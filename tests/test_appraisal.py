"""Quality appraisal: a declared tool, two reviewers' files, consensus, and the evidence table.

The last test is issue 21's whole case: a fresh `litreview init` review with two sources and
their searches, a correction, a full-text table and a two-reviewer appraisal renders all of it,
and the step its scaffolded CI runs passes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner, Result

from litreview.cli import cli
from litreview.extract.appraisal import (
    TOOLS,
    Appraisal,
    AppraisalSpec,
    Resolution,
    parse_spec,
    settle,
)

from .test_tutorial import EXAMPLES, PROTOCOL_EDITS, _yaml_block_after

MMAT = AppraisalSpec(TOOLS["mmat"], reviewers=2)
ALL_YES = {
    "category": "qualitative",
    "s1": "yes",
    "s2": "yes",
    "c1": "yes",
    "c2": "yes",
    "c3": "yes",
    "c4": "yes",
    "c5": "yes",
}


def test_the_protocol_names_a_shipped_tool_or_declares_its_own() -> None:
    spec, problems = parse_spec({"tool": "mmat", "reviewers": 2}, "review.yaml", 40)
    assert problems == [] and spec is not None and spec.tool.id == "mmat" and spec.reviewers == 2
    _, problems = parse_spec({"tool": "mmta"}, "review.yaml", 40)
    assert [(p.code, p.hint) for p in problems] == [("appraisal", "did you mean 'mmat'?")]
    _, problems = parse_spec({"tool": "rob2", "reviewers": 3}, "review.yaml", 40)
    assert [p.code for p in problems] == ["type"]
    custom, problems = parse_spec(
        {
            "tool": "custom",
            "name": "Ward checklist",
            "overall": "q2",
            "questions": [
                {"id": "q1", "text": "aims clear", "answers": ["yes", "no"]},
                {"id": "q2", "text": "overall", "answers": ["good", "poor"]},
            ],
        },
        "review.yaml",
        40,
    )
    assert problems == [] and custom is not None and custom.tool.overall == "q2"


def test_two_reviewers_who_agree_settle_a_study_and_a_disagreement_waits_for_consensus() -> None:
    r1 = Appraisal("A", "R1", ALL_YES)
    r2 = Appraisal("A", "R2", {**ALL_YES, "c3": "no"})
    found = settle(MMAT, [r1, r2], [], ["A", "B"])
    assert found["A"].state == "conflict" and found["A"].conflicts == ("c3",)
    assert found["B"].state == "pending" and found["B"].reviewers == ()
    # one reviewer of the two needed is not enough
    assert settle(MMAT, [r1], [], ["A"])["A"].state == "pending"
    # the consensus answer settles the question they differ on
    done = settle(MMAT, [r1, r2], [Resolution("A", "c3", "no", "R3")], ["A"])["A"]
    assert done.state == "settled" and done.answers["c3"] == "no"
    assert done.summary(MMAT.tool) == "qualitative; 6 of 7 criteria met"
    rob = AppraisalSpec(TOOLS["rob2"], 1)
    answers = {q.id: "low" for q in rob.tool.questions}
    assert (
        settle(rob, [Appraisal("T", "R1", answers)], [], ["T"])["T"].summary(rob.tool)
        == "RoB 2: overall low"
    )


def _run(review: Path, *args: str, codes: tuple[int, ...] = (0,)) -> Result:
    result = CliRunner().invoke(cli, ["-C", str(review), *args])
    assert result.exit_code in codes, result.output
    assert "Traceback" not in result.output
    return result


def test_a_wrong_answer_or_question_is_reported_at_its_line(tmp_path: Path) -> None:
    review = _tutorial_review(tmp_path)
    folder = review / "corpus" / "appraisal"
    folder.mkdir()
    (folder / "R1.yaml").write_text(
        "version: 1\nappraisals:\n- key: Ham2011\n  answers:\n    s1: maybe\n"
        "    c9: 'yes'\n- key: Hamm2011\n  answers: {s1: 'yes'}\n",
        encoding="utf-8",
    )
    out = _run(review, "check", codes=(1,)).output
    assert "corpus/appraisal/R1.yaml:5 [Ham2011]: error: 'maybe' is not an answer to s1" in out
    assert (
        "corpus/appraisal/R1.yaml:6 [Ham2011]: error: Mixed Methods Appraisal Tool (MMAT) has no question 'c9'"
        in out
    )
    assert "corpus/appraisal/R1.yaml:7" in out and "'Hamm2011' is not a record in the corpus" in out
    assert _run(review, "appraise", "status", codes=(2,)).exit_code == 2


def _tutorial_review(tmp_path: Path) -> Path:
    """docs/tutorial.md's review after its steps: two sources, five included studies."""
    review = tmp_path / "review"
    _run(tmp_path, "init", str(review))
    for name in ("scopus.ris", "pubmed.nbib"):
        shutil.copy(EXAMPLES / name, review / "corpus" / "searches" / name)
    protocol = (review / "review.yaml").read_text(encoding="utf-8")
    for old, new in PROTOCOL_EDITS:
        protocol = protocol.replace(old, new)
    # each source's search, as the team ran it (10 and 11 records: what the exports hold)
    protocol = protocol.replace(
        "  files: [corpus/searches/scopus.ris]\n",
        "  files: [corpus/searches/scopus.ris]\n  searches:\n  - {database: Scopus, platform: Elsevier, "
        "date: '2026-01-15', records: 10, query: 'TITLE-ABS-KEY(doctor* AND manager*)', limits: English}\n",
    )
    protocol = protocol.replace(
        "  files: [corpus/searches/pubmed.nbib]\n",
        "  files: [corpus/searches/pubmed.nbib]\n  searches:\n  - {database: MEDLINE, platform: PubMed, "
        "date: '2026-01-15', records: 11, query: 'doctor*[tiab] AND manager*[tiab]'}\n",
    )
    protocol += "\nappraisal: {tool: mmat, reviewers: 2}\n"
    (review / "review.yaml").write_text(protocol, encoding="utf-8")
    (review / "themes.yaml").write_text(
        _yaml_block_after("Replace `themes.yaml`"), encoding="utf-8"
    )
    _run(review, "run", codes=(1,))
    for key in ("Degeling2003", "Mannion2009"):
        _run(
            review,
            "screen",
            "decide",
            key,
            "include",
            "--stage",
            "title-abstract",
            "--reviewer",
            "R1",
        )
    for key in ("Davies2003a", "Davies2003b", "Reasbeck2008", "Ham2011", "Mannion2009"):
        _run(review, "screen", "decide", key, "include", "--stage", "full-text", "--reviewer", "R1")
    return review


def test_a_fresh_review_with_searches_a_correction_full_texts_and_a_two_reviewer_appraisal_renders_it_all(
    tmp_path: Path,
) -> None:
    review = _tutorial_review(tmp_path)
    corpus = review / "corpus"
    # a correction, a full-text table
    (corpus / "corrections.yaml").write_text(
        "version: 1\ncorrections:\n- key: Ham2011\n  set: {country: UK}\n  why: the article names English trusts\n"
        "  reviewer: R1\n  date: '2026-12-05'\n",
        encoding="utf-8",
    )
    _run(review, "fulltext", "set", "Ham2011", "retrieved", "--path", "fulltexts/ham2011.pdf")
    _run(review, "fulltext", "set", "Brown2011", "not-retrieved", "--reason", "no library holds it")
    included = json.loads(_run(review, "run", "--json", codes=(1,)).stdout)["prisma"]["included"]
    assert included == 5
    # two reviewers appraise every included study blind; they differ once
    keys = ["Davies2003a", "Davies2003b", "Ham2011", "Mannion2009", "Reasbeck2008"]
    (corpus / "appraisal").mkdir()
    for reviewer, change in (("R1", {}), ("R2", {"Ham2011": {"c3": "no"}})):
        items = [{"key": k, "answers": {**ALL_YES, **change.get(k, {})}} for k in keys]
        (corpus / "appraisal" / f"{reviewer}.yaml").write_text(
            yaml.safe_dump({"version": 1, "appraisals": items}), encoding="utf-8"
        )
    waiting = json.loads(_run(review, "appraise", "status", "--json", codes=(1,)).stdout)
    assert waiting["counts"] == {"settled": 4, "conflict": 1, "pending": 0}
    c3 = next(a for a in waiting["agreement"] if a["question"] == "c3")
    assert (c3["studies"], c3["agreement"]) == (5, 0.8)
    status = json.loads(_run(review, "status", "--json", codes=(1,)).stdout)
    assert any(
        t["what"] == "appraisals where the reviewers disagree"
        and t["keys"] == ["Ham2011"]
        and t["waits"]
        for t in status["todo"]
    )
    resolved = _run(
        review,
        "appraise",
        "resolve",
        "Ham2011",
        "c3",
        "no",
        "--reviewer",
        "R3",
        "--note",
        "agreed at the meeting",
        "--json",
    )
    assert json.loads(resolved.stdout) == {
        "version": 1,
        "key": "Ham2011",
        "question": "c3",
        "answer": "no",
        "reviewer": "R3",
        "note": "agreed at the meeting",
        "file": "corpus/appraisal-consensus.yaml",
    }
    assert json.loads(_run(review, "appraise", "status", "--json").stdout)["counts"]["settled"] == 5

    _run(review, "render", codes=(0,))
    build = review / "build"
    appendix = (build / "appendix.md").read_text(encoding="utf-8")
    # the searches, PRISMA with the retrieval boxes, PRISMA-S, the declared columns
    assert "### Searches" in appendix and "TITLE-ABS-KEY(doctor\\* AND manager\\*)" in appendix
    assert (
        "- Reports sought for retrieval:" in appendix and "- Reports not retrieved: 1" in appendix
    )
    assert "Reports not retrieved (n = 1)" in (build / "prisma.svg").read_text(encoding="utf-8")
    assert (build / "prisma-s.md").exists()
    table = (build / "evidence-table.md").read_text(encoding="utf-8")
    header = next(line for line in table.splitlines() if line.startswith("| Study |"))
    assert header.endswith("| Quality appraisal (Mixed Methods Appraisal Tool (MMAT)) |")
    ham = next(line for line in table.splitlines() if line.startswith("| Ham and others, 2011"))
    assert ham.endswith("| qualitative; 6 of 7 criteria met |")
    assert "| UK |" in ham  # the correction's country
    # the step the scaffolded CI workflow runs after installing litreview
    workflow = yaml.safe_load(
        next((review / ".github" / "workflows").glob("*.yml")).read_text(encoding="utf-8")
    )
    steps = [
        s["run"]
        for s in workflow["jobs"]["check"]["steps"]
        if "run" in s and s["run"].startswith("litreview")
    ]
    assert steps == ["litreview check --format github"]
    _run(review, *steps[0].split()[1:])


def test_an_appraisal_of_a_study_the_screening_now_excludes_is_a_warning(tmp_path: Path) -> None:
    # appraised while included, then excluded at full text: the outputs leave the appraisal
    # out, and the check says so at its line
    review = _tutorial_review(tmp_path)
    (review / "corpus" / "appraisal").mkdir()
    (review / "corpus" / "appraisal" / "R1.yaml").write_text(
        yaml.safe_dump(
            {
                "version": 1,
                "appraisals": [
                    {"key": "Ham2011", "answers": ALL_YES},
                    {"key": "Mannion2009", "answers": ALL_YES},
                ],
            }
        ),
        encoding="utf-8",
    )
    reason = yaml.safe_load((review / "review.yaml").read_text(encoding="utf-8"))["reasons"]
    _run(
        review,
        "screen",
        "decide",
        "Mannion2009",
        "exclude",
        "--stage",
        "full-text",
        "--reviewer",
        "R1",
        "--reason",
        next(iter(reason)),
    )
    found = json.loads(_run(review, "check", "--format", "json", codes=(0, 1)).stdout)
    warned = [p for p in found["problems"] if p["code"] == "appraisal-of-excluded"]
    lines = (review / "corpus" / "appraisal" / "R1.yaml").read_text(encoding="utf-8").splitlines()
    second = [i for i, line in enumerate(lines, 1) if line.startswith("- ")][1]
    assert [(p["key"], p["line"]) for p in warned] == [("Mannion2009", second)], warned
    assert (
        "R1's appraisal of 'Mannion2009', which is excluded (at full-text" in warned[0]["message"]
    )
