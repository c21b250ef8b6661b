"""The cache of derived results: unchanged inputs cost a cache read; a changed input file recomputes
exactly the results that depend on it, and the result follows the change."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from litreview.cli import cli
from litreview.files import derived
from litreview.project import Project
from litreview.workflow.pipeline import ReviewState, load_state

from .conftest import copy_of_shipped_review


@pytest.fixture
def review(tmp_path: Path) -> Project:
    return Project(copy_of_shipped_review(tmp_path / "reference"))


def _computed(project: Project, **kw: bool) -> tuple[Counter[str], ReviewState]:
    """What one command's load_state computes: a new Project value, as each command makes, so the
    files one command read (its Review) are not shared with the next."""
    before = Counter(derived.COMPUTED)
    state = load_state(Project(project.root), **kw)
    after = Counter(derived.COMPUTED)
    after.subtract(before)
    return +after, state


def _tags(state: ReviewState) -> dict[str, tuple[str, ...]]:
    assert state.tags is not None
    return {k: r.ids for k, r in state.tags.records.items()}


def _warm(project: Project) -> ReviewState:
    first, state = _computed(project)
    assert first == Counter(
        {"screen-rules": 1, "screening": 1, "tags": 1, "duplicates": 1, "aliases": 1}
    )
    again, same = _computed(project)
    assert again == Counter(), "an unchanged review must be a cache read"
    assert (
        same.screening == state.screening
        and same.prisma == state.prisma
        and _tags(same) == _tags(state)
    )
    return state


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _one_study_passed_by_rules(project: Project) -> None:
    """Every shipped included study has a person's title-abstract decision, so give one back to the
    rules: the 2002 survey (Davies 2003a), which the rules pass and the shipped review excludes by a
    person's decision at title and abstract, is instead included by a person at full text."""
    _edit(
        project.screening,
        "- key: Davies2003a\n  stage: title-abstract\n  decision: exclude\n  reason: out-of-period\n",
        "- key: Davies2003a\n  stage: full-text\n  decision: include\n",
    )


def test_a_cached_result_equals_a_fresh_computation(review: Project) -> None:
    state = _warm(review)
    shutil.rmtree(review.root / ".litreview-cache")
    fresh = load_state(review)
    assert (
        fresh.screening == state.screening
        and fresh.prisma == state.prisma
        and _tags(fresh) == _tags(state)
    )


def test_changing_the_corpus_recomputes_screening_and_tags(review: Project) -> None:
    _one_study_passed_by_rules(review)
    state = _warm(review)
    # an included study that the rules (not a person) passed at title and abstract
    key = next(k for k in state.included if state.outcome(k).stages[0].override is None)
    text = review.records.read_text(encoding="utf-8")
    start = text.index(f"{{{key},")
    entry_end = text.index("\n}", start)
    entry = text[start:entry_end]
    review.records.write_text(
        text[:start] + re.sub(r"year = \{\d{4}\}", "year = {1990}", entry) + text[entry_end:],
        encoding="utf-8",
    )
    counts, after = _computed(review)
    assert counts == Counter({"screen-rules": 1, "screening": 1, "tags": 1})
    assert key in state.included and key not in after.included
    assert after.outcome(key).reason == "out-of-period"
    assert key not in after.tags.records if after.tags else False


def _evaluated(project: Project) -> tuple[int, ReviewState]:
    """How many records one command's screening matched against the rules (not from the memo)."""
    from litreview.screen import engine

    before = engine.EVALUATED
    _counts, state = _computed(project)
    return engine.EVALUATED - before, state


def test_a_changed_corpus_rescreens_only_the_records_that_changed(review: Project) -> None:
    # the rules' verdicts are kept per record (by a digest of all its values) for the protocol
    # and code they were made under: an edit to one record matches that record again, and the
    # result is what screening everything afresh gives
    _warm(review)
    text = review.records.read_text(encoding="utf-8")
    key = "Davies2003a"
    start = text.index(f"{{{key},")
    end = text.index("\n}", start)
    entry = re.sub(r"year = \{\d{4}\}", "year = {1990}", text[start:end])
    review.records.write_text(text[:start] + entry + text[end:], encoding="utf-8")
    evaluated, after = _evaluated(review)
    assert evaluated == 1
    assert after.outcome(key).reason == "out-of-period"
    shutil.rmtree(review.root / ".litreview-cache")
    evaluated_all, fresh = _evaluated(review)
    assert evaluated_all == len(fresh.corpus.records) > 100
    assert fresh.screening == after.screening and fresh.prisma == after.prisma


def test_a_changed_protocol_rescreens_every_record(review: Project) -> None:
    # the memo's inputs are review.yaml and the code: a protocol edit leaves no verdict standing
    state = _warm(review)
    _edit(review.protocol, "label: Published 2002–2015", "label: Published from 2002 to 2015")
    evaluated, _after = _evaluated(review)
    assert evaluated == len(state.corpus.records)


def test_changing_the_protocol_recomputes_screening_and_only_what_the_included_set_moves(
    review: Project,
) -> None:
    _one_study_passed_by_rules(review)
    state = _warm(review)
    _edit(review.protocol, "label: Published 2002–2015", "label: Published from 2002 to 2015")
    counts, after = _computed(review)
    assert counts == Counter({"screen-rules": 1, "screening": 1}), (
        "same included studies: the tags are still valid"
    )
    assert after.included == state.included
    assert after.screening != state.screening  # the criterion's label is part of each result
    # the latest included study that the rules (not a person) passed at title and abstract
    by_key = state.corpus.by_key()
    key = max(
        (k for k in state.included if state.outcome(k).stages[0].override is None),
        key=lambda k: by_key[k].year or 0,
    )
    _edit(review.protocol, "max: 2015", f"max: {(by_key[key].year or 0) - 1}")
    counts, after = _computed(review)
    assert counts == Counter({"screen-rules": 1, "screening": 1, "tags": 1})
    assert key not in after.included and set(after.included) < set(state.included)
    assert set(_tags(after)) == set(after.included)


def test_changing_the_decisions_recomputes_screening_but_not_the_rules_verdicts(
    review: Project,
) -> None:
    state = _warm(review)
    assert "Atkinson2011" in state.included
    _edit(
        review.screening,
        "- key: Atkinson2011\n  stage: full-text\n  decision: include\n",
        "- key: Atkinson2011\n  stage: full-text\n  decision: exclude\n  reason: off-topic\n",
    )
    counts, after = _computed(review)
    assert counts == Counter({"screening": 1, "tags": 1})
    assert (
        "Atkinson2011" not in after.included and after.outcome("Atkinson2011").reason == "off-topic"
    )
    assert "Atkinson2011" not in _tags(after)


def test_changing_the_themes_recomputes_tags_only(review: Project) -> None:
    state = _warm(review)
    _edit(review.themes, "threshold: 2.0", "threshold: 200.0")
    counts, after = _computed(review)
    assert counts == Counter({"tags": 1})
    assert after.screening == state.screening
    assert after.tags is not None
    assert all(t.source == "override" for r in after.tags.records.values() for t in r.themes)
    assert (
        any(t.source == "rule" for r in state.tags.records.values() for t in r.themes)
        if state.tags
        else False
    )


def test_changing_the_theme_overrides_recomputes_tags_only(review: Project) -> None:
    state = _warm(review)
    assert "doctor-managers" in _tags(state)["Buchanan2013"]
    _edit(
        review.theme_overrides,
        "- key: Buchanan2013\n  add:\n  - doctor-managers\n  - policy-context\n",
        "- key: Buchanan2013\n  add:\n  - policy-context\n",
    )
    counts, after = _computed(review)
    assert counts == Counter({"tags": 1})
    assert after.screening == state.screening
    assert _tags(after)["Buchanan2013"] != _tags(state)["Buchanan2013"]


def test_changing_the_dedupe_log_recomputes_what_reads_absorbed_keys(review: Project) -> None:
    # a decision written on a key a merge absorbed applies to the survivor, through the dedupe log
    with review.screening.open("a", encoding="utf-8") as fh:
        fh.write(
            "- key: Harvey2014x\n  stage: full-text\n  decision: include\n  reviewer: R9\n"
            "  date: '2026-12-01'\n"
        )
    state = _warm(review)
    assert any("R9" in o.reviewers for o in state.outcome("Harvey2014").overrides)
    text = review.duplicates.read_text(encoding="utf-8")
    review.duplicates.write_text(text[: text.index("merges:")] + "merges: []\n", encoding="utf-8")
    before = Counter(derived.COMPUTED)
    with pytest.raises(Exception, match="Harvey2014x"):
        load_state(review)  # the key is unknown now that no merge absorbed it
    assert derived.COMPUTED - before == Counter({"screening": 1, "duplicates": 1, "aliases": 1})


def test_a_damaged_or_foreign_cache_file_is_ignored(review: Project) -> None:
    state = _warm(review)
    for path in (review.root / ".litreview-cache").glob("screening-*"):
        path.write_bytes(b"\x00" * 32 + b"cos\nsystem\n(S'echo planted'\ntR.")
    counts, after = _computed(review)
    assert counts == Counter({"screening": 1})
    assert after.screening == state.screening


def test_another_litreview_build_does_not_reuse_the_cache(
    review: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    _warm(review)
    monkeypatch.setattr(derived, "_code_digest", "another build")
    counts, _ = _computed(review)
    assert counts == Counter(
        {"screen-rules": 1, "screening": 1, "tags": 1, "duplicates": 1, "aliases": 1}
    )


def test_commands_after_an_unchanged_review_read_the_cache(review: Project) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["-C", str(review.root), "status", "--json"])
    assert first.exit_code == 0, first.output
    before = Counter(derived.COMPUTED)
    outputs = []
    for args in (
        ["status", "--json"],
        ["tag", "--json"],
        ["screen", "--json"],
        ["screen", "prisma", "--json"],
        ["themes", "--json"],
    ):
        result = runner.invoke(cli, ["-C", str(review.root), *args])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    assert before == derived.COMPUTED
    assert outputs[0] == first.output


def test_a_warm_review_never_reads_the_records_themselves(
    review: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.corpus import store as corpus_module

    state = _warm(review)
    monkeypatch.setattr(
        corpus_module, "_from_cache", lambda *a: pytest.fail("records unpickled on a warm review")
    )
    monkeypatch.setattr(
        corpus_module, "_parse", lambda *a: pytest.fail("corpus parsed on a warm review")
    )
    counts, again = _computed(review)
    assert counts == Counter()
    assert again.included == state.included and again.prisma == state.prisma
    runner = CliRunner()
    for args in (["status", "--json"], ["tag", "--json"], ["screen", "--json"]):
        result = runner.invoke(cli, ["-C", str(review.root), *args])
        assert result.exit_code == 0, result.output


def test_render_of_an_unchanged_review_builds_only_the_records_it_shows(
    review: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.corpus import store as corpus_module

    runner = CliRunner()
    first = runner.invoke(
        cli, ["-C", str(review.root), "render", "--out", str(review.root / "first")]
    )
    assert first.exit_code == 0, first.output
    before = Counter(derived.COMPUTED)
    monkeypatch.setattr(
        corpus_module, "_from_cache", lambda *a: pytest.fail("every record built for a render")
    )
    again = runner.invoke(
        cli, ["-C", str(review.root), "render", "--out", str(review.root / "again")]
    )
    assert again.exit_code == 0, again.output
    assert before == derived.COMPUTED, "citations and counts should come from the cache"
    made = sorted(p.name for p in (review.root / "first").iterdir())
    assert made == sorted(p.name for p in (review.root / "again").iterdir()) and made
    for name in made:
        assert (review.root / "first" / name).read_bytes() == (
            review.root / "again" / name
        ).read_bytes(), name


def test_exporting_the_included_studies_builds_only_those_records(
    review: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.corpus import store as corpus_module

    runner = CliRunner()
    args = ["-C", str(review.root), "export", "--select", "included", "--format", "csv"]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    monkeypatch.setattr(
        corpus_module, "_from_cache", lambda *a: pytest.fail("every record built for an export")
    )
    again = runner.invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert again.stdout == first.stdout and again.stdout.count("\n") > 10


def test_changing_the_corpus_recomputes_its_citations(review: Project) -> None:
    from litreview.corpus.store import load_corpus

    def facts() -> derived.CorpusFacts:
        corpus = load_corpus(review.records, "corpus/records.bib", lazy=True)
        return derived.corpus_facts(review, corpus)

    first = facts()
    before = Counter(derived.COMPUTED)
    assert facts() == first and before == derived.COMPUTED
    key, cite = next((k, c) for k, c in sorted(first.citations.items()) if "," in c)
    text = review.records.read_text(encoding="utf-8")
    start = text.index(f"{{{key},")
    end = text.index("\n}", start)
    year = re.search(r"year = \{(\d{4})\}", text[start:end])
    assert year is not None
    review.records.write_text(
        text[:start] + text[start:end].replace(year.group(0), "year = {1901}") + text[end:],
        encoding="utf-8",
    )
    after = facts()
    assert derived.COMPUTED["corpus-facts"] == before["corpus-facts"] + 1
    assert after.citations[key] != cite and "1901" in after.citations[key]


def test_a_lazy_corpus_builds_only_the_records_asked_for(review: Project) -> None:
    from litreview.corpus.store import load_corpus

    fresh = load_corpus(review.records, "corpus/records.bib", use_cache=False).by_key()
    load_corpus(
        review.records, "corpus/records.bib"
    )  # the cache, with the summary a lazy read uses
    lazy = load_corpus(review.records, "corpus/records.bib", lazy=True)
    wanted = [*sorted(fresh)[::20], "no-such-key"]
    got = lazy.records_of(wanted)
    assert lazy._records is None, "the other records should not have been built"
    assert got == {k: fresh[k] for k in wanted if k in fresh} and len(got) == len(wanted) - 1


def test_a_lazy_corpus_reads_its_records_when_asked_even_without_their_cache_file(
    review: Project,
) -> None:
    from litreview.corpus.store import _CACHE_VERSION, load_corpus

    fresh = load_corpus(review.records, "corpus/records.bib", use_cache=False)
    load_corpus(review.records, "corpus/records.bib")  # fills the cache: records and their summary
    cache = review.root / ".litreview-cache"
    records = [p for p in cache.glob(f"corpus-{_CACHE_VERSION}-*") if "summary" not in p.name]
    assert records
    for path in records:
        path.unlink()  # the summary stays; the records must then come from the file
    lazy = load_corpus(review.records, "corpus/records.bib", lazy=True)
    assert (
        lazy.keys == fresh.keys
        and lazy.problems == fresh.problems
        and dict(lazy.lines) == dict(fresh.lines)
    )
    assert lazy.records == fresh.records


def test_a_foreign_corpus_summary_is_ignored(review: Project) -> None:
    from litreview.corpus.store import load_corpus

    fresh = load_corpus(review.records, "corpus/records.bib", use_cache=False)
    load_corpus(review.records, "corpus/records.bib")
    for path in (review.root / ".litreview-cache").glob("corpus-summary-*"):
        path.write_bytes(b"\x00" * 32 + b"not sealed by this user")
    lazy = load_corpus(review.records, "corpus/records.bib", lazy=True)
    assert lazy.keys == fresh.keys and lazy.records == fresh.records


def test_a_corpus_cache_without_a_summary_gains_one_on_its_next_read(
    review: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.corpus import store as corpus_module
    from litreview.corpus.store import load_corpus

    load_corpus(review.records, "corpus/records.bib")
    for path in (review.root / ".litreview-cache").glob("corpus-summary-*"):
        path.unlink()  # as an earlier litreview left it
    full = load_corpus(review.records, "corpus/records.bib", lazy=True)
    monkeypatch.setattr(corpus_module, "_from_cache", lambda *a: pytest.fail("records unpickled"))
    lazy = load_corpus(review.records, "corpus/records.bib", lazy=True)
    assert lazy.keys == full.keys and lazy.problems == full.problems


def test_the_dedupe_log_is_read_once_per_change(review: Project) -> None:
    first = derived.duplicates(review)
    before = Counter(derived.COMPUTED)
    assert derived.duplicates(review) == first
    assert before == derived.COMPUTED, "an unchanged dedupe log must be a cache read"
    text = review.duplicates.read_text(encoding="utf-8")
    review.duplicates.write_text(text[: text.index("merges:")] + "merges: []\n", encoding="utf-8")
    changed = derived.duplicates(review)
    assert derived.COMPUTED - before == Counter({"duplicates": 1})
    assert first.merges and not changed.merges and "Harvey2014x" not in changed.aliases()


def test_a_dedupe_log_that_does_not_validate_is_reported_every_time(review: Project) -> None:
    from litreview.errors import LitreviewError

    review.duplicates.write_text("version: 1\nmerges: 3\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(LitreviewError):
            derived.duplicates(review)


def test_check_runs_the_matcher_once_for_an_unchanged_corpus_and_dedupe_log(
    review: Project,
) -> None:
    def matched(*args: str) -> int:
        before = derived.COMPUTED["check-duplicates"]
        result = CliRunner().invoke(cli, ["-C", str(review.root), *args])
        assert result.exit_code in (0, 1), result.output
        return derived.COMPUTED["check-duplicates"] - before

    assert matched("check") == 1
    assert matched("check") == 0  # the same files: the same answer, from the cache
    first, second = "Ackroyd2007", "Arndt2007"
    assert (
        CliRunner()
        .invoke(
            cli,
            [
                "-C",
                str(review.root),
                "dedupe",
                "decide",
                first,
                second,
                "different",
                "--reviewer",
                "R1",
            ],
        )
        .exit_code
        == 0
    )
    assert matched("check") == 1  # the dedupe log changed: matched again


def test_records_asked_for_by_key_honour_macros_defined_elsewhere_in_the_file(
    tmp_path: Path,
) -> None:
    from litreview.corpus.store import CORPUS_HEADER, load_corpus

    path = tmp_path / "corpus" / "records.bib"
    path.parent.mkdir(parents=True)
    path.write_text(
        CORPUS_HEADER
        + "\n@string{nat = {Nature}}\n"
        + "@article{Ames2001,\n  title = {One},\n  journal = nat,\n  year = {2001},\n}\n",
        encoding="utf-8",
    )
    full = load_corpus(path, "corpus/records.bib", use_cache=False).by_key()
    assert full["Ames2001"].container == "Nature"
    load_corpus(path, "corpus/records.bib")  # the cache and its summary
    lazy = load_corpus(path, "corpus/records.bib", lazy=True)
    assert lazy.records_of(["Ames2001"]) == {"Ames2001": full["Ames2001"]}
    again = load_corpus(path, "corpus/records.bib", lazy=True)
    assert again.record("Ames2001") == full["Ames2001"]


def test_the_command_after_dedupe_reads_the_logs_aliases_without_parsing_it(
    review: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.dedupe import store as dedupe_store
    from litreview.review import Review

    result = CliRunner().invoke(cli, ["-C", str(review.root), "dedupe"])
    assert result.exit_code in (0, 1), result.output
    fresh = dedupe_store.load_duplicates(review.duplicates).aliases()
    assert fresh, "the shipped review has merges"
    monkeypatch.setattr(
        dedupe_store, "load_duplicates", lambda *a, **k: pytest.fail("the dedupe log parsed")
    )
    assert Review.of(Project(review.root)).aliases == fresh
    # a changed log is read afresh
    monkeypatch.undo()
    text = review.duplicates.read_text(encoding="utf-8")
    review.duplicates.write_text(text + "\n", encoding="utf-8")
    before = derived.COMPUTED["aliases"]
    assert Review.of(Project(review.root)).aliases == fresh
    assert derived.COMPUTED["aliases"] == before + 1


def _screen_output(project: Project) -> tuple[str, Counter[str]]:
    before = Counter(derived.COMPUTED)
    result = CliRunner().invoke(cli, ["-C", str(project.root), "screen"])
    assert result.exit_code in (0, 1), result.output
    after = Counter(derived.COMPUTED)
    after.subtract(before)
    return result.stdout, +after


def test_unsettled_counts_are_a_cache_read_when_unchanged_and_follow_each_decision_file(
    review: Project,
) -> None:
    # two reviewers of their own disagree on a record nobody else decided
    own = review.root / "corpus" / "screening"
    own.mkdir()
    for who, what in (("R7", "include"), ("R8", "exclude\n  reason: off-topic")):
        (own / f"{who}.yaml").write_text(
            f"version: 1\ndecisions:\n- key: Dwyer2010\n  stage: title-abstract\n"
            f"  decision: {what}\n",
            encoding="utf-8",
        )
    out, computed = _screen_output(review)
    assert "unsettled: 1 conflict, 0 reason-only" in out, out
    assert computed["conflicts"] == 1
    out, computed = _screen_output(review)
    assert "unsettled: 1 conflict, 0 reason-only" in out and computed["conflicts"] == 0
    # R7 changes their mind: both exclude, for different reasons
    _edit(own / "R7.yaml", "decision: include\n", "decision: exclude\n  reason: not-uk\n")
    out, computed = _screen_output(review)
    assert "unsettled: 0 conflicts, 1 reason-only" in out and computed["conflicts"] == 1, out
    # a third reviewer sides with R7: a reason-only disagreement waits for a resolution still
    (own / "R9.yaml").write_text(
        "version: 1\ndecisions:\n- key: Dwyer2010\n  stage: title-abstract\n"
        "  decision: exclude\n  reason: not-uk\n",
        encoding="utf-8",
    )
    out, computed = _screen_output(review)
    assert computed["conflicts"] == 1
    assert "unsettled: 0 conflicts, 1 reason-only" in out, out
    (own / "R8.yaml").unlink()
    out, computed = _screen_output(review)
    assert "unsettled" not in out and computed["conflicts"] == 1, out
    # the other inputs: the protocol (stages, reviewers needed) and the dedupe log (which key a
    # decision on an absorbed copy counts for)
    for path in (review.protocol, review.duplicates):
        with path.open("a", encoding="utf-8") as fh:
            fh.write("# edited\n")
        assert _screen_output(review)[1]["conflicts"] == 1, path


def _status(project: Project) -> tuple[dict[str, object], int]:
    """``status`` as a new command reads it, and whether it was computed (1) or read (0)."""
    from litreview.workflow.status import review_status

    before = derived.COMPUTED["status"]
    found = review_status(Project(project.root))
    return found, derived.COMPUTED["status"] - before


def _fresh_status(project: Project) -> dict[str, object]:
    from litreview.workflow.status import _review_status

    return _review_status(Project(project.root))


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text)


_REJECTS = "# one\n\n# searches/x.bib:3 [Bad1]: malformed BibTeX entry: no key\n@article{,\n}\n"

#: one edit per file `status` reads, each a change a person or a command makes
_STATUS_EDITS = {
    "records.bib": lambda r: _edit(r.records, "title = {", "title = {Revised: "),
    "review.yaml": lambda r: _append(r.protocol, "# a note\n"),
    "themes.yaml": lambda r: _append(r.themes, "# a note\n"),
    "screening.yaml": lambda r: _edit(
        r.screening,
        "- key: Atkinson2011\n  stage: full-text\n  decision: include\n",
        "- key: Atkinson2011\n  stage: full-text\n  decision: exclude\n  reason: off-topic\n",
    ),
    "a reviewer's file": lambda r: (
        (r.root / "corpus" / "screening").mkdir()
        or (r.root / "corpus" / "screening" / "R7.yaml").write_text(
            "version: 1\ndecisions:\n- key: Dwyer2010\n  stage: title-abstract\n  decision: include\n",
            encoding="utf-8",
        )
    ),
    "duplicates.yaml": lambda r: _append(r.duplicates, "# a note\n"),
    "absorbed.bib": lambda r: _append(r.root / "corpus" / "absorbed.bib", "% a note\n"),
    "extraction.yaml": lambda r: _edit(
        r.extraction, "- key: Atkinson2011\n", "- key: Atkinson2011x\n"
    ),
    "theme-overrides.yaml": lambda r: _append(r.theme_overrides, "# a note\n"),
    "rule-audit.yaml": lambda r: _append(r.rule_audit, "# a note\n"),
    "narrative.yaml": lambda r: _append(r.narrative, "# a note\n"),
    "corrections.yaml": lambda r: r.corrections.write_text(
        "version: 1\ncorrections:\n- key: Dwyer2010\n  set:\n    year: 2010\n  why: the article says\n",
        encoding="utf-8",
    ),
    "a rejects file": lambda r: (
        (r.root / "corpus" / "rejects" / "x").mkdir(parents=True)
        or (r.root / "corpus" / "rejects" / "x" / "x.bib.txt").write_text(
            _REJECTS, encoding="utf-8"
        )
    ),
    "a search export": lambda r: _append(
        r.root / "corpus" / "searches" / "database-search.bib", "\n"
    ),
    "check run": lambda r: CliRunner().invoke(cli, ["-C", str(r.root), "check"]),
}


@pytest.mark.parametrize("changed", sorted(_STATUS_EDITS))
def test_status_is_a_cache_read_when_unchanged_and_recomputed_after_any_input_changes(
    review: Project, changed: str
) -> None:
    first, computed = _status(review)
    assert computed == 1
    again, computed = _status(review)
    assert computed == 0 and again == first
    _STATUS_EDITS[changed](review)
    after, computed = _status(review)
    assert computed == 1, changed
    assert after == _fresh_status(review)
    assert _status(review) == (after, 0)


def test_titles_read_from_a_lazy_corpus_rows_are_its_records_titles_without_building_them(
    review: Project,
) -> None:
    # the made-on check's titles come from the cache's rows: no record is built for them
    from litreview.corpus.store import load_corpus, titles_by_key

    fresh = load_corpus(review.records, "corpus/records.bib", use_cache=False)
    built = {r.key: r.title or "" for r in fresh.records}
    assert titles_by_key(fresh) == built
    load_corpus(review.records, "corpus/records.bib")  # the cache
    lazy = load_corpus(review.records, "corpus/records.bib", lazy=True)
    titles = titles_by_key(lazy)
    assert lazy._records is None, "no record should have been built"
    assert titles == built and list(titles) == list(built)
    assert {r.key: r.title or "" for r in lazy.records} == built  # the records still build


def test_a_remembered_result_is_pickled_into_its_file_not_into_memory_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the records a 100k dedupe keeps are ~40 MB pickled: held as bytes (and again sealed) at
    # the end of the run, they were its peak of memory
    import pickle

    def whole(*_args: object, **_kwargs: object) -> bytes:
        raise AssertionError("pickled whole in memory")

    monkeypatch.setattr(pickle, "dumps", whole)
    project = Project(tmp_path)
    project.corpus_dir.mkdir(parents=True)
    shared = ("a title key", ("a reading",))
    value = {"k1": shared, "k2": shared, "k3": [1, 2.5, None]}
    derived.remember(project, "probe", "d1", value)
    derived.remember(project, "probe-tree", "d2", value, tree=True)
    assert derived.peek(project, "probe", "d1") == value
    assert derived.peek(project, "probe-tree", "d2") == value
