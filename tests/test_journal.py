"""Changes to several stored files are all-or-nothing: real writers are killed at every step.

``LITREVIEW_TEST_KILL_AT=N`` makes a litreview process SIGKILL itself at the Nth step of its
journalled changes (each temporary file written, the journal written, each rename, the journal
removed). After every kill the next command must find either the whole old state or the whole
new state of ``corpus/`` (for ``run``, the state after one of its steps), never a mixture: no
absorbed record lost, ``check`` never worse than on a whole state. ``make fuzz`` runs each writing
command a hundred times, killed at every step and then at random moments from outside.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from litreview.cli import cli
from litreview.files.journal import JOURNAL_NAME

from .conftest import FIXTURES, ROOT

PY = sys.executable
posix_only = pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals")
SLOW = bool(os.environ.get("LITREVIEW_SLOW"))

_DB = """\
@article{db1, author={Davies, Huw and Powell, Martin}, title={Doctors and managers in UK hospitals: a survey},
  journal={BMJ}, year=2005, volume=330, pages={10--12}, doi={10.1000/dm.1}}
@article{db2, author={Kirkpatrick, Ian}, title={Clinical directors and the management of hospitals},
  journal={Public Administration}, year=2009, volume=87, pages={1--20}}
@article{db3, author={Ham, Chris}, title={Doctor-manager relationships in the NHS: interviews},
  journal={Health Policy}, year=2010, doi={10.1000/dm.3}}
@article{broken, author={Nobody}, title={An entry that never closes
"""
_CT = """\
@article{ct1, author={Davies, H. and Powell, M.}, title={Doctors and Managers in UK Hospitals - a Survey},
  journal={Br. Med. J.}, year=2005, volume=330, pages={10}, doi={10.1000/DM.1}}
@article{ct2, author={Ham, C.}, title={Doctor-manager relationships in the NHS: interviews},
  journal={Health Pol.}, year=2010}
"""
IMPORT_DB = ["import", "corpus/searches/database-search.bib", "--source", "database-search"]
IMPORT_CT = ["import", "corpus/searches/citation-tracing.bib", "--source", "citation-tracing"]


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def _cli(root: Path, *args: str) -> int:
    """A command in this process (fast), as a person would type it."""
    here = Path.cwd()
    os.chdir(root)  # paths in args are relative to the review, as when typed there
    try:
        result = CliRunner().invoke(cli, ["-C", str(root), *args])
    finally:
        os.chdir(here)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code


def _fresh(root: Path) -> Path:
    (root / "corpus" / "searches").mkdir(parents=True)
    shutil.copy(FIXTURES / "screen" / "project" / "review.yaml", root / "review.yaml")
    (root / "corpus" / "searches" / "database-search.bib").write_text(_DB, encoding="utf-8")
    (root / "corpus" / "searches" / "citation-tracing.bib").write_text(_CT, encoding="utf-8")
    return root


def _imported(root: Path) -> Path:
    _fresh(root)
    assert _cli(root, *IMPORT_DB) == 1  # one entry rejected
    assert _cli(root, *IMPORT_CT) == 0
    return root


def _deduplicated(root: Path) -> Path:
    _imported(root)
    assert _cli(root, "dedupe") == 0
    assert (root / "corpus" / "absorbed.bib").exists()
    return root


def _legacy(root: Path) -> Path:
    """A review whose duplicates.yaml is version 1 (entries inline), as litreview wrote it before."""
    _deduplicated(root)
    write_version_1(root / "corpus")
    return root


def write_version_1(corpus: Path) -> None:
    from litreview.dedupe.store import emit_yaml, load_absorbed, load_duplicates

    dup = load_absorbed(corpus / "duplicates.yaml", load_duplicates(corpus / "duplicates.yaml"))
    doc = {
        "version": 1,
        "decisions": [],
        "merges": [
            {
                "survivor": m.survivor,
                "reason": m.reason,
                "links": list(m.links),
                "before": m.before,
                "absorbed": [{"key": k, "entry": e} for k, e in m.absorbed],
            }
            for m in dup.merges
        ],
        "unsure": list(dup.unsure),
    }
    (corpus / "duplicates.yaml").write_text(emit_yaml(doc), encoding="utf-8")
    (corpus / "absorbed.bib").unlink()


def _shared_decisions(root: Path) -> Path:
    """A review whose people's decisions are in the shared corpus/screening.yaml (R1's and R2's):
    R1's first decision moves R1's items into corpus/screening/R1.yaml in the same change."""
    _deduplicated(root)
    (root / "corpus" / "screening.yaml").write_text(
        "version: 1\ndecisions:\n- key: Kirkpatrick2009\n  stage: title-abstract\n  decision: include\n"
        "  reviewer: R1\n- key: Kirkpatrick2009\n  stage: title-abstract\n  decision: include\n"
        "  reviewer: R2\n",
        encoding="utf-8",
    )
    return root


#: command -> (the state it starts from, its arguments, the steps of run whose states are whole)
COMMANDS: dict[str, tuple[Callable[[Path], Path], list[str]]] = {
    "import": (_fresh, IMPORT_DB),
    "dedupe": (_imported, ["dedupe"]),
    "dedupe decide": (
        _deduplicated,
        ["dedupe", "decide", "Davies2005", "Kirkpatrick2009", "different"],
    ),
    "dedupe decide (migrating)": (
        _legacy,
        ["dedupe", "decide", "Davies2005", "Kirkpatrick2009", "different"],
    ),
    "dedupe undo": (_deduplicated, ["dedupe", "undo", "Davies2005"]),
    "screen decide": (
        _deduplicated,
        [
            "screen",
            "decide",
            "Davies2005",
            "include",
            "--reviewer",
            "R1",
            "--stage",
            "title-abstract",
        ],
    ),
    "screen decide (migrating)": (
        _shared_decisions,
        [
            "screen",
            "decide",
            "Davies2005",
            "include",
            "--reviewer",
            "R1",
            "--stage",
            "title-abstract",
        ],
    ),
    "run": (_fresh, ["run"]),
}


def _state(root: Path) -> dict[str, bytes]:
    """The stored files of corpus/ (not the searches, the lock, the cache or temporary files)."""
    corpus = root / "corpus"
    out = {}
    for p in sorted(corpus.rglob("*")):
        rel = p.relative_to(corpus).as_posix()
        if p.is_file() and not rel.startswith("searches/") and not p.name.startswith("."):
            out[rel] = p.read_bytes()
    return out


def _whole_states(tmp_path: Path, name: str) -> list[dict[str, bytes]]:
    """The old state, and the new one an uninterrupted command leaves (for run, each step's)."""
    setup, args = COMMANDS[name]
    root = setup(tmp_path / "whole")
    states = [_state(root)]
    steps = [IMPORT_DB, IMPORT_CT, ["dedupe"]] if name == "run" else [args]
    for step in steps:
        assert _cli(root, *step) in (0, 1)
        states.append(_state(root))
    shutil.rmtree(root)
    return states


def _start(root: Path, args: list[str], **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PY, "-m", "litreview", *args],
        cwd=root,
        env=_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _assert_whole_after_recovery(root: Path, whole: list[dict[str, bytes]], what: str) -> None:
    """The next command (check) finishes or rolls back the change; the corpus is one whole state."""
    assert _cli(root, "check") in (0, 1), what
    assert not (root / "corpus" / JOURNAL_NAME).exists(), what
    state = _state(root)
    assert state in whole, f"{what}: a mixed state: {sorted(state)}"
    # and nothing a merge absorbed is gone: every imported record is in the corpus or absorbed.bib
    if "duplicates.yaml" in state:
        for key in (b"{Davies2005a,", b"{Ham2010a,"):
            # in the corpus, in absorbed.bib, or inline in a version 1 duplicates.yaml
            assert key in state["records.bib"] + state.get(
                "absorbed.bib", state["duplicates.yaml"]
            ), what
    from litreview.files.fsutil import corpus_lock

    with corpus_lock(root / "corpus"):  # the next writer sweeps what the killed one left
        pass
    assert not [p for p in (root / "corpus").rglob(".*.tmp")], f"{what}: temporary files left"


def _kill_at_steps(tmp_path: Path, name: str, steps: list[int] | None) -> tuple[int, set[int]]:
    """Kill the command at each of ``steps`` (None: every step); (steps it has, states seen)."""
    whole = _whole_states(tmp_path, name)
    setup, args = COMMANDS[name]
    seen: set[int] = set()
    n = 0
    while True:
        n += 1
        if steps is not None and n > max(steps):
            return n - 1, seen
        if steps is not None and n not in steps:
            continue
        root = setup(tmp_path / f"kill{n}")
        proc = _start(root, args, LITREVIEW_TEST_KILL_AT=str(n))
        _out, err = proc.communicate(timeout=120)
        if proc.returncode != -signal.SIGKILL:
            assert proc.returncode in (0, 1), err  # past the last step: the command finished
            assert _state(root) == whole[-1]
            return n - 1, seen
        _assert_whole_after_recovery(root, whole, f"{name} killed at step {n}")
        seen.add(whole.index(_state(root)))
        shutil.rmtree(root)


@posix_only
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_writer_killed_at_a_step_of_its_change_leaves_the_old_or_the_new_state(
    tmp_path: Path, name: str
) -> None:
    # every step of dedupe (the change that lost absorbed records); a handful of the others
    steps = None if name == "dedupe" else [1, 3, 4]
    count, seen = _kill_at_steps(tmp_path, name, steps)
    if name in (
        "dedupe",
        "dedupe undo",
        "dedupe decide (migrating)",
        "screen decide (migrating)",
        "import",
    ):
        assert seen == {0, 1}, (
            f"{name}: kills before and after the journal both tested ({count} steps)"
        )


@posix_only
@pytest.mark.skipif(
    not SLOW, reason="a hundred kills per command take minutes: set LITREVIEW_SLOW=1 (make fuzz)"
)
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_hundred_kills_of_every_writer_never_split_a_change(tmp_path: Path, name: str) -> None:
    kills = int(os.environ.get("LITREVIEW_KILLS", "100"))
    count, _seen = _kill_at_steps(tmp_path / "steps", name, None)  # every step first
    whole = _whole_states(tmp_path, name)
    setup, args = COMMANDS[name]
    probe = setup(tmp_path / "probe")
    started = time.perf_counter()
    uncut = _start(probe, args)
    uncut.communicate(timeout=120)
    assert uncut.returncode in (0, 1)
    duration = time.perf_counter() - started
    rng = random.Random(name)
    for i in range(max(0, kills - count)):  # then at random moments, from outside
        root = setup(tmp_path / f"random{i}")
        proc = _start(root, args)
        time.sleep(rng.uniform(0, duration))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=120)
        _assert_whole_after_recovery(root, whole, f"{name} killed after {i} (random)")
        shutil.rmtree(root)


# --- a write that fails: the old state stays, exit 2 ------------------------------------------------


@posix_only
@pytest.mark.parametrize("limit", ["first file", "last file"])
def test_a_write_refused_by_the_file_size_limit_changes_nothing_and_exits_2(
    tmp_path: Path, limit: str
) -> None:
    whole = _whole_states(tmp_path, "dedupe")
    old, new = whole
    assert len(new["absorbed.bib"]) > len(
        new["records.bib"]
    )  # so a limit can stop the last file only
    size = 100 if limit == "first file" else len(new["records.bib"]) + 1
    root = _imported(tmp_path / "p")

    def small_files() -> None:  # as `ulimit -f` does in a shell
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    done = subprocess.run(
        [PY, "-m", "litreview", "dedupe"],
        cwd=root,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=small_files,
    )
    assert done.returncode == 2, done.stderr
    assert "error: cannot write: File too large; nothing was changed" in done.stderr
    assert "free some disk space" in done.stderr and "Traceback" not in done.stderr
    assert _state(root) == old
    assert not [p for p in (root / "corpus").rglob(".*.tmp")]


# --- the journal itself --------------------------------------------------------------------------


def _prepared(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A committed journal whose renames did not happen yet (as a writer killed right after it)."""
    from litreview.files.journal import Change

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "records.bib").write_text("old corpus\n")
    (corpus / "duplicates.yaml").write_text("old log\n")
    change = Change(corpus)
    change.write(corpus / "records.bib", "new corpus\n")
    change.write(corpus / "duplicates.yaml", "new log\n")
    prepared = [(p, d) for p, d in change._files.items() if d is not None]
    for _p, d in prepared:
        d.wait()  # step 1, the temporary files, written by the threads write() started
    change._journal([(p, d.temp, d.digest) for p, d in prepared])
    return corpus, prepared[0][1].temp, prepared[1][1].temp  # type: ignore[return-value]


def test_a_change_left_by_an_exception_or_rewritten_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    from litreview.files.journal import Change

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "records.bib").write_text("old corpus\n")
    with pytest.raises(RuntimeError), Change(corpus) as change:
        change.write(corpus / "records.bib", "new corpus\n")
        change.write(corpus / "duplicates.yaml", "new log\n")
        raise RuntimeError("the command failed after preparing its files")
    # the threads had written temporary files; leaving the block dropped them, unapplied
    assert sorted(p.name for p in corpus.iterdir()) == ["records.bib"]
    assert (corpus / "records.bib").read_text() == "old corpus\n"
    change = Change(corpus)
    change.write(corpus / "records.bib", "first try\n")
    change.write(corpus / "records.bib", "second try\n")  # the later content wins
    change.write(corpus / "gone.txt", "never\n")
    change.delete(corpus / "gone.txt")  # a write then a delete of one file: the delete
    change.commit()
    assert sorted(p.name for p in corpus.iterdir()) == ["records.bib"]
    assert (corpus / "records.bib").read_text() == "second try\n"


def _old_a_and_b(tmp_path: Path) -> Path:
    """A corpus folder holding a.txt and b.txt with their old content."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("old a\n")
    (corpus / "b.txt").write_text("old b\n")
    return corpus


def test_a_thread_that_fails_otherwise_than_on_disk_stops_the_whole_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.files import journal

    corpus = _old_a_and_b(tmp_path)
    real = journal.parts_digest

    def failing(parts: Sequence[bytes | memoryview]) -> str:
        if b"".join(parts) == b"new a\n":
            raise MemoryError("no room to hash a")
        return real(parts)

    monkeypatch.setattr(journal, "parts_digest", failing)
    with pytest.raises(MemoryError), journal.Change(corpus) as change:
        change.write(corpus / "a.txt", "new a\n")
        change.write(corpus / "b.txt", "new b\n")
    # not "a unchanged, b written": the error comes out of commit and neither file changed
    assert (corpus / "a.txt").read_text() == "old a\n"
    assert (corpus / "b.txt").read_text() == "old b\n"
    assert sorted(p.name for p in corpus.iterdir()) == ["a.txt", "b.txt"]


def test_an_interrupt_once_the_journal_is_written_leaves_what_it_needs_to_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.files import journal

    corpus = _old_a_and_b(tmp_path)
    steps = []

    def interrupted() -> None:
        steps.append(1)
        if len(steps) == 3:  # two temporary files, then the journal: the change is decided
            raise KeyboardInterrupt

    monkeypatch.setattr(journal, "kill_point", interrupted)
    change = journal.Change(corpus)
    change.write(corpus / "a.txt", "new a\n")
    change.write(corpus / "b.txt", "new b\n")
    with pytest.raises(KeyboardInterrupt):
        change.commit()
    assert (corpus / JOURNAL_NAME).exists()
    assert journal.recover(corpus) == "finished"  # the next command completes it
    assert (corpus / "a.txt").read_text() == "new a\n"
    assert (corpus / "b.txt").read_text() == "new b\n"


def test_the_corpus_is_parsed_for_its_cache_before_the_change_starts_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from litreview import workers
    from litreview.corpus import store
    from litreview.corpus.store import load_corpus, save_corpus
    from litreview.files.journal import Change

    records = load_corpus(ROOT / "corpus" / "records.bib", use_cache=False).records
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    monkeypatch.setenv("LITREVIEW_WORKERS", "2")
    monkeypatch.setattr(workers, "TEXT_PART_CHARS", 2_000)
    monkeypatch.setattr(store, "_seeded", lambda *a: None)  # the cache must come from a parse
    threads_at_split: list[int] = []
    real_split = workers.split_map

    def noting(*args: object, **kw: object) -> object:
        threads_at_split.append(threading.active_count())
        return real_split(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(workers, "split_map", noting)
    with Change(corpus) as change:
        save_corpus(corpus / "records.bib", records, change, display="corpus/records.bib")
    # the parse was split over two processes, and no writer thread was alive when it forked
    assert threads_at_split and threads_at_split == [1] * len(threads_at_split)
    assert load_corpus(corpus / "records.bib").records == tuple(
        sorted(records, key=lambda r: r.key)
    )


def test_a_file_whose_content_is_unchanged_is_not_rewritten(tmp_path: Path) -> None:
    from litreview.files.journal import Change

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "records.bib").write_text("same\n")
    os.utime(corpus / "records.bib", (1_000_000, 1_000_000))
    with Change(corpus) as change:
        change.write(corpus / "records.bib", "same\n")
    assert (corpus / "records.bib").stat().st_mtime == 1_000_000
    assert sorted(p.name for p in corpus.iterdir()) == ["records.bib"]


def test_a_file_given_as_pieces_is_written_as_their_concatenation(tmp_path: Path) -> None:
    from litreview.files.journal import Change

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "records.bib").write_text("old\n")
    whole = b"head\n@misc{a,\n}\n\n@misc{b,\n}\n"
    pieces = [memoryview(whole)[:5], b"@misc{a,\n}\n", b"\n", memoryview(whole)[17:]]
    with Change(corpus) as change:
        change.write(corpus / "records.bib", pieces)
    assert (corpus / "records.bib").read_bytes() == whole
    # the same pieces again: compared piece by piece with the file, which is left alone
    os.utime(corpus / "records.bib", (1_000_000, 1_000_000))
    with Change(corpus) as change:
        change.write(corpus / "records.bib", pieces)
    assert (corpus / "records.bib").stat().st_mtime == 1_000_000
    # pieces that differ from the file only in their last byte are written
    with Change(corpus) as change:
        change.write(corpus / "records.bib", [*pieces[:-1], bytes(pieces[-1])[:-1] + b"!"])
    assert (corpus / "records.bib").read_bytes() == whole[:-1] + b"!"
    assert sorted(p.name for p in corpus.iterdir()) == ["records.bib"]


def test_a_reader_finishes_a_change_whose_journal_is_complete(tmp_path: Path) -> None:
    from litreview.corpus.store import load_corpus

    corpus, _t1, _t2 = _prepared(tmp_path)
    os.replace(_t1, corpus / "records.bib")  # one rename happened before the kill
    load_corpus(corpus / "records.bib")  # any reader settles the corpus first
    assert (corpus / "records.bib").read_text() == "new corpus\n"
    assert (corpus / "duplicates.yaml").read_text() == "new log\n"
    assert not (corpus / JOURNAL_NAME).exists()


@pytest.mark.parametrize("damage", ["cut short", "edited"])
def test_a_journal_that_does_not_verify_is_rolled_back(tmp_path: Path, damage: str) -> None:
    from litreview.files.journal import recover

    corpus, t1, t2 = _prepared(tmp_path)
    journal = corpus / JOURNAL_NAME
    text = journal.read_text()
    journal.write_text(
        text[: len(text) // 2]
        if damage == "cut short"
        else text.replace('"sha256": "', '"sha256": "0', 1)
    )
    assert recover(corpus) == "rolled back"
    assert (corpus / "records.bib").read_text() == "old corpus\n"
    assert (corpus / "duplicates.yaml").read_text() == "old log\n"
    assert not journal.exists()
    # the temporary files it names are deleted; those of a journal cut short are unreadable and
    # are swept by the next writer once their (killed) writer is gone
    assert not t1.exists() and not t2.exists() if damage == "edited" else t2.exists()


def test_a_planted_journal_cannot_reach_outside_the_corpus(tmp_path: Path) -> None:
    import hashlib
    import json

    from litreview.files.journal import recover

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    outside = tmp_path / "review.yaml"
    outside.write_text("mine\n")
    (corpus / ".review.yaml.1.x.tmp").write_text("planted\n")
    body = json.dumps(
        {
            "pid": 1,
            "files": [
                {
                    "target": "../review.yaml",
                    "temp": ".review.yaml.1.x.tmp",
                    "sha256": hashlib.sha256(b"planted\n").hexdigest(),
                }
            ],
        }
    )
    (corpus / JOURNAL_NAME).write_text(
        f"litreview-journal 1\n{body}\nend {hashlib.sha256(body.encode()).hexdigest()}\n"
    )
    assert recover(corpus) == "rolled back"
    assert outside.read_text() == "mine\n"


# --- duplicates.yaml version 1 (entries inline) migrates on the first write ------------------------


def test_a_version_1_duplicates_file_is_read_undone_and_migrated_by_the_first_write(
    tmp_path: Path,
) -> None:
    from litreview.dedupe.store import load_absorbed, load_duplicates

    new = _state(_deduplicated(tmp_path / "new"))
    root = _legacy(tmp_path / "old")
    corpus = root / "corpus"
    v1 = load_duplicates(corpus / "duplicates.yaml")
    assert v1.legacy and v1.aliases() == {"Davies2005a": "Davies2005", "Ham2010a": "Ham2010"}
    assert "Davies2005a" in v1.merges[0].absorbed[0][1]  # read from the file itself
    # the export of duplicates reads the entries from the version 1 file
    assert (
        _cli(root, "export", "--select", "duplicates", "--format", "bib", "--out", "dups.bib") == 0
    )
    assert "@article{Davies2005a," in (root / "dups.bib").read_text()
    # a first write (a decision) writes both files of version 2, as a dedupe run would have
    assert _cli(root, "dedupe", "decide", "Davies2005", "Kirkpatrick2009", "different") == 0
    v2 = load_duplicates(corpus / "duplicates.yaml")
    assert not v2.legacy and v2.merges[0].entries is None
    assert (corpus / "absorbed.bib").read_bytes() == new["absorbed.bib"]
    assert [m.entries for m in load_absorbed(corpus / "duplicates.yaml", v2).merges] == [
        m.entries for m in v1.merges
    ]

    # undo straight from version 1: the record comes back exactly, and the files become version 2
    again = _legacy(tmp_path / "again")
    before_dedupe = _state(_imported(tmp_path / "imported"))["records.bib"]
    assert _cli(again, "dedupe", "undo", "Davies2005") == 0
    assert _cli(again, "dedupe", "undo", "Ham2010") == 0
    assert _state(again)["records.bib"] == before_dedupe
    assert not (again / "corpus" / "absorbed.bib").exists()  # no merge left, nothing absorbed
    assert "version: 2" in (again / "corpus" / "duplicates.yaml").read_text()


def test_absorbed_bib_that_lost_a_block_is_an_error_naming_the_merge(tmp_path: Path) -> None:
    root = _deduplicated(tmp_path / "p")
    absorbed = root / "corpus" / "absorbed.bib"
    text = absorbed.read_text()
    absorbed.write_text(text[: text.index("% merge Ham2010")])
    result = CliRunner().invoke(cli, ["-C", str(root), "dedupe", "undo", "Ham2010"])
    assert result.exit_code == 2
    assert (
        "corpus/absorbed.bib" in result.output
        and "no stored entries for the merge into 'Ham2010'" in result.output
    )
    assert _state(root) == _state(_deduplicated(tmp_path / "q")) | {
        "absorbed.bib": text[: text.index("% merge Ham2010")].encode()
    }
    # check finds it from the block headers alone
    checked = CliRunner().invoke(cli, ["-C", str(root), "check"])
    assert checked.exit_code == 1
    assert (
        "corpus/absorbed.bib [Ham2010]: error: no stored entries for the merge into 'Ham2010' of Ham2010a"
        in checked.output
    )


def test_a_change_that_cannot_be_finished_stops_with_advice_and_keeps_the_journal(
    tmp_path: Path,
) -> None:
    from litreview.errors import LitreviewError
    from litreview.files.journal import recover

    corpus, t1, _t2 = _prepared(tmp_path)
    t1.write_text("someone else's bytes\n")  # neither the new content nor the renamed target
    with pytest.raises(LitreviewError) as err:
        recover(corpus, "corpus")
    text = str(err.value)
    assert (
        "corpus/.litreview-journal: error: an interrupted change cannot be finished: records.bib"
        in text
    )
    assert "restore the corpus folder from version control" in text
    assert (corpus / JOURNAL_NAME).exists() and (
        corpus / "records.bib"
    ).read_text() == "old corpus\n"


def test_an_absorbed_block_without_its_entry_names_the_line(tmp_path: Path) -> None:
    root = _deduplicated(tmp_path / "p")
    absorbed = root / "corpus" / "absorbed.bib"
    lines = absorbed.read_text().split("\n")
    at = lines.index("% before Ham2010")
    absorbed.write_text("\n".join(lines[: at + 1] + lines[at + 8 :]))  # its entry cut out
    result = CliRunner().invoke(cli, ["-C", str(root), "dedupe", "undo", "Ham2010"])
    assert result.exit_code == 2
    assert (
        f"corpus/absorbed.bib:{at + 1}: error: no BibTeX entry after '% before Ham2010'"
        in result.output
    )


def test_a_hand_edit_inside_a_merges_links_is_reported_by_check_with_its_line(
    tmp_path: Path,
) -> None:
    root = _deduplicated(tmp_path / "p")
    path = root / "corpus" / "duplicates.yaml"
    lines = path.read_text().split("\n")
    at = lines.index("      year: 100.0")
    lines[at] = "      title: 100.0"  # a key given twice: the YAML loader refuses the file
    path.write_text("\n".join(lines))
    result = CliRunner().invoke(cli, ["-C", str(root), "check"])
    assert result.exit_code == 1, result.output
    assert (
        f"corpus/duplicates.yaml:{at + 1}: error: invalid YAML: key 'title' appears twice"
        in result.output
    )
