"""``litreview dedupe`` as a whole process (issue 16): what it reads, writes and works out once.

At 100k records a dedupe spent seconds beside the matching: reading back the dedupe log it had
just written (for a check whose answer it held), and the like. Each test here pins one such
saving, and that the answer stays the one a fresh read gives.
"""

from __future__ import annotations

import os
import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litreview import workers
from litreview.dedupe import engine, model, store
from litreview.dedupe import project as dedupe_project
from litreview.dedupe.engine import find_duplicates
from litreview.files.fsutil import FileSpan, SpanReader, file_stamp, read_span
from litreview.project import Project

from .conftest import imported_review
from .conftest import invoke as run
from .test_dedupe_vectorised import tricky_records

ENTRIES = """
@article{k1,
  title = {Night-shift length and medication errors on surgical wards},
  author = {Halvorsen, Ingrid and Oduya, Kemi},
  journal = {Invented Journal of Ward Practice},
  year = {2015}, volume = {7}, pages = {40--49},
  doi = {10.9999/ijwp.2015.040}
}
@article{k2,
  title = {Night-shift length and medication errors on surgical wards.},
  author = {Halvorsen, I. and Oduya, K.},
  journal = {Invented Journal of Ward Practice},
  year = {2015}, volume = {7}, pages = {40-9},
  doi = {10.9999/IJWP.2015.040}
}
@article{m1,
  title = {Volunteer drivers and missed outpatient appointments in rural districts},
  author = {Tembo, Grace},
  journal = {Invented Rural Health Letters},
  year = {2019}, volume = {3}, number = {1}, pages = {5--12},
  doi = {10.9999/irhl.2019.005}
}
"""

#: a second search that finds the volunteer-driver study again
UPDATE = """
@article{m2,
  title = {Volunteer drivers and missed outpatient appointments in rural districts},
  author = {Tembo, G.},
  journal = {Invented Rural Health Letters},
  year = {2019}, volume = {3}, number = {1}, pages = {5-12},
  doi = {10.9999/irhl.2019.005}
}
"""


def _review(tmp_path: Path) -> Project:
    return Project(imported_review(tmp_path, ENTRIES))


def _import_update(project: Project, tmp_path: Path) -> None:
    export = tmp_path / "update.bib"
    export.write_text(UPDATE, encoding="utf-8")
    code, _out, err = run(project.root, "import", str(export), "--source", "embase")
    assert code == 0, err


def _count_log_parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every parse of an existing dedupe log, by its path."""
    parsed: list[Path] = []
    real = store.load_duplicates

    def counting(path: Path, display: str | None = None) -> Any:
        if path.exists():
            parsed.append(path)
        return real(path, display)

    monkeypatch.setattr(store, "load_duplicates", counting)
    monkeypatch.setattr(dedupe_project, "load_duplicates", counting)
    return parsed


def test_a_dedupe_that_merges_does_not_read_back_the_log_it_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _review(tmp_path)
    code, _out, err = run(project.root, "dedupe")
    assert code in (0, 1), err
    _import_update(project, tmp_path)
    before = project.duplicates.read_bytes()
    parsed = _count_log_parses(monkeypatch)
    code, out, err = run(project.root, "dedupe")
    assert code in (0, 1), err
    assert "merged Tembo2019a into Tembo2019" in out, out
    assert project.duplicates.read_bytes() != before  # the log was rewritten
    # the log as it stood before the run, once; never the log the run itself wrote
    assert len(parsed) == 1, parsed


def test_a_dedupe_that_merges_nothing_reads_the_log_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _review(tmp_path)
    code, _out, err = run(project.root, "dedupe")
    assert code in (0, 1), err
    # the derived-results cache of the log gone: the run below must parse the file itself
    for cached in (project.root / ".litreview-cache").glob("*"):
        cached.unlink()
    parsed = _count_log_parses(monkeypatch)
    code, _out, err = run(project.root, "dedupe")
    assert code in (0, 1), err
    assert len(parsed) == 1, parsed  # the matcher's read and the check after it share it


def test_a_merge_against_a_persons_different_is_still_reported_at_its_line(
    tmp_path: Path,
) -> None:
    """The check after a merging run works on the log it holds; when that finds a merge a
    person decided against, the warning still names the decision's line in the file."""
    project = _review(tmp_path)
    code, _out, err = run(project.root, "dedupe")
    assert code in (0, 1), err
    _import_update(project, tmp_path)
    log = project.duplicates
    text = log.read_text(encoding="utf-8")
    decision = (
        "decisions:\n- a: Halvorsen2015a\n  b: Halvorsen2015b\n  decision: different\n  reviewer: R2\n"
        "  date: '2026-12-07'\n  note: two editions\n"
    )
    assert "decisions: []\n" in text
    log.write_text(text.replace("decisions: []\n", decision, 1), encoding="utf-8")
    code, out, err = run(project.root, "dedupe")
    assert code == 1, out + err
    assert "merged Tembo2019a into Tembo2019" in out, out
    line = log.read_text(encoding="utf-8").splitlines().index("- a: Halvorsen2015a") + 1
    assert (
        f"corpus/duplicates.yaml:{line}: warning: Halvorsen2015a and Halvorsen2015b were decided "
        "different works, but a dedupe merge joined them into Halvorsen2015a"
    ) in err, err


def test_a_dedupe_takes_the_log_a_reader_left_in_the_cache_without_parsing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _review(tmp_path)
    code, _out, err = run(project.root, "dedupe")
    assert code in (0, 1), err
    code, _out, err = run(project.root, "status")  # reads the log, and keeps it in the cache
    assert code in (0, 1), err
    _import_update(project, tmp_path)
    parsed = _count_log_parses(monkeypatch)
    code, out, err = run(project.root, "dedupe")
    assert code in (0, 1), err
    assert "merged Tembo2019a into Tembo2019" in out, out
    assert parsed == []


def test_a_log_changed_since_it_was_cached_is_parsed_again(tmp_path: Path) -> None:
    """The cached log is the one of the file's bytes: a hand edit after ``status`` is read."""
    project = _review(tmp_path)
    code, _out, err = run(project.root, "dedupe")
    assert code in (0, 1), err
    code, _out, err = run(project.root, "status")
    assert code in (0, 1), err
    log = project.duplicates
    text = log.read_text(encoding="utf-8")
    decision = (
        "decisions:\n- a: Halvorsen2015a\n  b: Tembo2019\n  decision: same\n  reviewer: R2\n"
        "  date: '2026-12-07'\n"
    )
    log.write_text(text.replace("decisions: []\n", decision, 1), encoding="utf-8")
    code, _out, err = run(project.root, "dedupe", "--dry-run", "--json")
    assert code in (0, 1), err
    assert '"Tembo2019"' in _out and '"survivor": "Halvorsen2015a"' in _out, _out


# --- pass 1 split over processes by records ----------------------------------------------------


def _shares_hold(
    pairs: list[tuple[int, int]], sample: list[tuple[int, int]], parts: int
) -> list[tuple[list[int], bool]]:
    shares = engine.split_by_records(pairs, sample, parts)
    assert len(shares) == parts
    placed = sorted(at for positions, _ in shares for at in positions)
    assert placed == list(range(len(pairs)))  # every pair once
    for positions, _ in shares:
        assert positions == sorted(positions)
    assert sum(took for _, took in shares) == (1 if sample else 0)
    return shares


def _records_of(
    share: tuple[list[int], bool], pairs: list[tuple[int, int]], sample: list[tuple[int, int]]
) -> set[int]:
    positions, took = share
    held = {x for at in positions for x in pairs[at]}
    return held | ({x for pair in sample for x in pair} if took else set())


def test_pass_one_shares_hold_no_record_twice() -> None:
    """Split by position (the old way), the two halves of a 100k run's pairs held ~3,600
    records in common, whose features both processes made; groups of pairs joined through
    their records are kept together instead."""
    rng = random.Random(16)
    pairs = []
    for g in range(400):  # groups of two to five records, each pair of a group once
        members = [g * 10 + k for k in range(rng.randint(2, 5))]
        pairs += [(a, b) for x, a in enumerate(members) for b in members[x + 1 :]]
    rng.shuffle(pairs)  # the set of candidate pairs iterates in no order of records
    sample = [(5000 + rng.randrange(50), 5050 + rng.randrange(50)) for _ in range(300)]
    sample.append((10, 5001))  # a random pair holding a record of a group
    for parts in (2, 3):
        shares = _shares_hold(pairs, sample, parts)
        held = [_records_of(s, pairs, sample) for s in shares]
        for x in range(parts):
            for y in range(x + 1, parts):
                assert not held[x] & held[y]
        sizes = [len(positions) for positions, _ in shares]
        assert max(sizes) < 2 * min(sizes)  # about even


def test_a_group_of_pairs_larger_than_a_share_is_cut() -> None:
    """One chain of look-alike records (a column's title in every issue) must not leave one
    process with all the work."""
    pairs = [(k, k + 1) for k in range(1000)]
    shares = _shares_hold(pairs, [], 2)
    assert all(len(positions) >= 400 for positions, _ in shares)


def test_a_split_run_is_the_run_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    records = tricky_records()
    records += [
        replace(r, key=r.key + "x", title=r.title.upper() if k % 2 else r.title + "s")
        for k, r in enumerate(records[::3])
        if r.title
    ]
    # fewer random pairs than all pairs: the model's sample is drawn, as in a large corpus
    monkeypatch.setattr(engine, "sample_pairs", lambda n: model.sample_pairs(n, count=300))
    monkeypatch.setenv("LITREVIEW_WORKERS", "1")
    alone = find_duplicates(records)
    monkeypatch.setenv("LITREVIEW_WORKERS", "2")
    monkeypatch.setattr(engine, "PAIRS_PER_WORKER", 10)
    monkeypatch.setattr(workers, "MIN_PER_WORKER", 10)  # each record's keys and blocks too
    monkeypatch.setattr(engine, "JUDGED_PER_WORKER", 10)  # and the verdicts
    split = find_duplicates(records)
    assert alone.merges, "the corpus should have duplicates"
    assert split.scored_pairs == alone.scored_pairs
    assert split.records == alone.records
    assert split.merges == alone.merges
    assert split.unsure == alone.unsure
    assert split.model == alone.model


# --- entries kept as read, for absorbed.bib ----------------------------------------------------


def _span_of(path: Path, start: int, stop: int) -> FileSpan:
    with path.open("rb") as fh:
        stamp = file_stamp(fh)
    return FileSpan(path, start, stop, path.read_bytes()[start:stop].count(b"\n"), stamp)


def test_a_span_reader_reads_each_span_as_read_span_does(tmp_path: Path) -> None:
    path = tmp_path / "records.bib"
    path.write_bytes(b"@misc{a,\n}\n\n@misc{bb,\n}\n\n@misc{ccc,\n}\n")
    spans = [_span_of(path, 0, 11), _span_of(path, 25, 38), _span_of(path, 12, 24)]
    with SpanReader() as reader:
        assert [reader.read(s) for s in spans] == [read_span(s) for s in spans]
        assert reader.read(spans[1]) == b"@misc{ccc,\n}\n"


def test_a_span_reader_refuses_a_span_of_a_file_replaced_since(tmp_path: Path) -> None:
    path = tmp_path / "records.bib"
    path.write_bytes(b"@misc{a,\n}\n@misc{b,\n}\n")
    span = _span_of(path, 0, 11)
    fresh = tmp_path / "new.bib"
    fresh.write_bytes(b"@misc{x,\n}\n@misc{y,\n}\n")  # as long as the old one
    os.replace(fresh, path)
    with SpanReader() as reader, pytest.raises(OSError, match="changed after it was read"):
        reader.read(span)


def test_a_span_reader_refuses_a_span_past_the_end_of_its_file(tmp_path: Path) -> None:
    path = tmp_path / "records.bib"
    path.write_bytes(b"@misc{a,\n}\n")
    span = FileSpan(path, 5, 40)
    with SpanReader() as reader, pytest.raises(OSError, match="shorter"):
        reader.read(span)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "% merge A <- B",
                "% before A",
                "% absorbed B",
                "%absorbed B",
                "% absorbed",
                "  % absorbed B",
                "abstract = {45% of wards, % merge of units}",
                "title = {Ward staffing}",
                "%",
                "",
                "% note",
            ]
        ),
        max_size=6,
    )
)
def test_an_entry_holds_an_absorbed_bib_mark_exactly_when_the_pattern_finds_one(
    lines: list[str],
) -> None:
    entry = "\n".join(lines)
    assert store.holds_a_mark(entry) == (store._MARK.search(entry) is not None)


def test_each_records_blocks_split_over_processes_are_the_blocks_made_in_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The candidate pairs, down to the order the set iterates in (pass 1 keeps it), whether
    each record's title key, place and blocks were made in this process or in forked ones."""
    records = tricky_records()
    captured: list[list[int]] = []
    real = engine.candidate_pairs

    def capture(*args: Any) -> set[int]:
        pairs = real(*args)
        captured.append(list(pairs))
        return pairs

    monkeypatch.setattr(engine, "candidate_pairs", capture)
    monkeypatch.setenv("LITREVIEW_WORKERS", "1")
    alone = find_duplicates(records)
    monkeypatch.setenv("LITREVIEW_WORKERS", "2")
    monkeypatch.setattr(workers, "MIN_PER_WORKER", 10)
    assert workers.worker_count(len(records)) == 2
    split = find_duplicates(records)
    assert captured[0] == captured[1]
    assert split.merges == alone.merges and split.unsure == alone.unsure
