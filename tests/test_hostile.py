"""Hostile and broken inputs: nothing crashes, nothing is lost, nothing runs.

Real processes are killed mid-write and made to fight over the corpus lock; every YAML loader
is fuzzed with arbitrary text, mutations of this repository's own files, alias bombs and
Python tags; huge and deeply nested exports are read in a child process whose peak memory is
measured; odd encodings are decoded or refused with a reason; and no key or name from the data
can make litreview write outside its folders. ``make fuzz`` runs the hypothesis tests here with
many more examples (their names contain "arbitrary" or "mutated").
"""

from __future__ import annotations

import codecs
import functools
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litreview.errors import ConfigError, LitreviewError
from litreview.model import Problem

from .conftest import ROOT

PY = sys.executable
posix_only = pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals and flock")


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def _litreview(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PY, "-m", "litreview", *args],
        cwd=cwd,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- YAML: every loader, any text ----------------------------------------------------------------


def _shipped(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


@functools.cache
def _loaders() -> dict[str, Callable[[Path], object]]:
    """Each loader of a YAML file litreview reads, with the context the shipped review gives it."""
    from litreview.dedupe.store import load_duplicates
    from litreview.extract.extraction import load_extraction
    from litreview.files.yamlio import load_optional_yaml, load_yaml
    from litreview.protocol import load_protocol
    from litreview.screen.decisions import load_decisions
    from litreview.tag.engine import load_overrides
    from litreview.tag.themes import load_themes

    protocol = load_protocol(ROOT / "review.yaml")
    themes = load_themes(ROOT / "themes.yaml")
    from litreview.corpus.store import load_corpus

    keys = [r.key for r in load_corpus(ROOT / "corpus" / "records.bib", use_cache=False).records]
    return {
        "yaml": lambda p: load_yaml(p, "f.yaml"),
        "optional": lambda p: load_optional_yaml(p, "f.yaml"),
        "review.yaml": lambda p: load_protocol(p, "f.yaml"),
        "themes.yaml": lambda p: load_themes(p, "f.yaml"),
        "corpus/screening.yaml": lambda p: load_decisions(p, keys, protocol, "f.yaml"),
        "corpus/theme-overrides.yaml": lambda p: load_overrides(p, keys, themes, "f.yaml"),
        "corpus/extraction.yaml": lambda p: load_extraction(
            p, known_keys=set(keys), display="f.yaml"
        ),
        "corpus/duplicates.yaml": lambda p: load_duplicates(p, "f.yaml"),
    }


LOADERS = (
    "yaml",
    "optional",
    "review.yaml",
    "themes.yaml",
    "corpus/screening.yaml",
    "corpus/theme-overrides.yaml",
    "corpus/extraction.yaml",
    "corpus/duplicates.yaml",
)


def _problems_of(outcome: object) -> list[Problem]:
    """Problems a loader returned, wherever in its result it keeps them."""
    found: list[Problem] = []
    items = outcome if isinstance(outcome, tuple) else (outcome,)
    for item in items:
        if isinstance(item, list) and all(isinstance(p, Problem) for p in item):
            found.extend(item)
        problems = getattr(item, "problems", None)
        if isinstance(problems, (list, tuple)):
            found.extend(p for p in problems if isinstance(p, Problem))
    return found


def _load_must_not_crash(name: str, text: str) -> list[Problem]:
    """Run one loader on ``text``: it returns or raises a LitreviewError, and every problem it
    reports names the file, and a line inside it when it gives one."""
    path = Path("f.yaml")
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        problems = _problems_of(_loaders()[name](path))
    except LitreviewError as exc:
        problems = list(exc.problems)
        assert problems, f"{name}: an error without problems"
    lines = text.count("\n") + 2
    for p in problems:
        assert p.location.path == "f.yaml", (name, str(p))
        assert p.location.line is None or 1 <= p.location.line <= lines, (name, str(p))
        assert p.message, (name, str(p))
    return problems


@given(st.text(max_size=300))
def test_yaml_loaders_never_raise_on_arbitrary_text(text: str) -> None:
    for name in LOADERS:
        _load_must_not_crash(name, text)


_YAML_TOKENS = [
    ": ",
    "- ",
    "  ",
    "\n",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!python/object/apply:os.system ['true']",
    "!!int ",
    "!!float ",
    "!!binary ",
    "!!set ",
    "!!timestamp ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "'",
    '"',
    "? ",
    "|\n",
    ">\n",
    "~",
    "null",
    "yes",
    ".nan",
    "-.inf",
    "1e999",
    "0x1F",
    "12345678901234567890",
    "\t",
    "#",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "key",
    "2026-11-23",
    "[1, 2]",
    "{a: 1}",
    "include",
    "exclude",
    "R1",
    "Davies2003b",
]
_SHIPPED = list(LOADERS[2:])


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[str, str]:
    """A loader's name and the first lines of its shipped file, mutated line by line."""
    name = draw(st.sampled_from(_SHIPPED))
    lines = _shipped(name).splitlines(keepends=True)[: draw(st.integers(5, 45))]
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(
            st.sampled_from(
                ["insert", "replace", "delete", "duplicate", "indent", "dedent", "swap"]
            )
        )
        if op in ("insert", "replace"):
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            cut = at if op == "insert" else min(len(line), at + draw(st.integers(1, 8)))
            lines[i] = line[:at] + draw(st.sampled_from(_YAML_TOKENS)) + line[cut:]
        elif op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i].lstrip()
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    return name, "".join(lines)


@given(_mutated())
def test_yaml_loaders_survive_mutated_shipped_files(case: tuple[str, str]) -> None:
    name, text = case
    _load_must_not_crash(name, text)
    _load_must_not_crash("yaml", text)


def test_every_shipped_yaml_file_loads_cleanly_through_the_bounded_loader() -> None:
    for name in _SHIPPED:
        problems = _load_must_not_crash(name, _shipped(name))
        assert not [p for p in problems if p.is_error], (name, [str(p) for p in problems])


def _bomb(levels: int, width: int = 10) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", list(LOADERS))
def test_alias_bomb_is_refused_with_the_limit_named(name: str) -> None:
    from litreview.files.yamlio import MAX_ALIAS_EXPANSION

    problems = _load_must_not_crash(name, _bomb(9))  # 10**9 values if expanded
    assert any(
        f"more than {MAX_ALIAS_EXPANSION}" in p.message and p.location.line == 2 for p in problems
    ), [str(p) for p in problems]


def test_modest_aliases_and_merge_keys_still_load() -> None:
    from litreview.files.yamlio import load_yaml_text

    data = load_yaml_text(_bomb(3) + "base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n", "f.yaml")
    assert len(data["a2"]) == 10 and data["a2"][0][0] == ["lol"] * 10
    assert dict(data["use"]) == {"x": 1, "y": 2}


def test_an_alias_inside_itself_is_refused() -> None:
    from litreview.files.yamlio import load_yaml_text

    with pytest.raises(ConfigError) as info:
        load_yaml_text("a: &x [1, *x]\n", "f.yaml")
    assert "refers to a list or mapping that contains it" in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['touch pwned']\n",
        "a: !!python/object/new:os.system [touch pwned]\n",
        "a: !!python/name:os.system\n",
        "!!python/object:subprocess.Popen {args: [touch, pwned]}\n",
        "a: !!binary dG91Y2ggcHduZWQ=\n",
        "a: !!set {touch: null}\n",
        "a: !custom pwned\n",
    ],
)
@pytest.mark.parametrize("name", list(LOADERS))
def test_python_and_unknown_tags_are_refused_as_data_and_never_run(name: str, text: str) -> None:
    problems = _load_must_not_crash(name, text)
    assert any("is not allowed" in p.message and p.location.line == 1 for p in problems), [
        str(p) for p in problems
    ]
    assert not Path("pwned").exists()


@pytest.mark.parametrize(
    "text", ["[" * 5000 + "]" * 5000, "".join(" " * i + f"k{i}:\n" for i in range(300))]
)
def test_deep_nesting_is_refused_with_the_limit_named(text: str) -> None:
    from litreview.files.yamlio import MAX_YAML_DEPTH, load_yaml_text

    with pytest.raises(ConfigError) as info:
        load_yaml_text(text, "f.yaml")
    assert f"more than {MAX_YAML_DEPTH} deep" in str(info.value)


@pytest.mark.parametrize(
    "text",
    ["a: !!int abc\n", "a: !!float x\n", "a: 1" + "0" * 5000 + "\n", "a: !!int\n", "!!int : x\n"],
)
def test_scalars_that_do_not_fit_their_tag_are_errors_with_a_line(text: str) -> None:
    from litreview.files.yamlio import load_yaml_text

    with pytest.raises(ConfigError) as info:
        load_yaml_text(text, "f.yaml")
    assert info.value.problems[0].location.line == 1
    assert "cannot read" in info.value.problems[0].message


# --- readers: mutations of real-looking exports, through the whole import -------------------------

_EXPORTS = sorted((ROOT / "tests" / "fixtures" / "import").iterdir())
_EXPORT_TOKENS = [
    b"\n",
    b"\r\n",
    b"\r",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3",
    b"\xe9",
    b"{",
    b"}",
    b"(",
    b")",
    b'"',
    b",",
    b";",
    b"\t",
    b"@",
    b"@comment{",
    b"@string{x = ",
    b"#",
    b"=",
    b"%",
    b"TY  - ",
    b"ER  - ",
    b"PMID- ",
    b"AU  - ",
    b"PT J\n",
    b"ER\n",
    b"   ",
    b"\\",
    b"\\'{e}",
    b"10.1136/x",
    b"2003",
    b"and",
    b"<script>",
    b"<record>",
    b"</record>",
    b"<style>",
    b"&#xD;",
    b"&bogus;",
    b"../../x",
    "\u2028".encode(),
]


@st.composite
def _mutated_export(draw: st.DrawFn) -> tuple[str, bytes]:
    path = draw(st.sampled_from(_EXPORTS))
    data = bytearray(path.read_bytes())
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate", "truncate"]))
        if op == "insert":
            data[at:at] = draw(st.sampled_from(_EXPORT_TOKENS))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "replace":
            data[at : at + 1] = bytes([draw(st.integers(0, 255))])
        elif op == "duplicate":
            end = min(len(data), at + draw(st.integers(1, 200)))
            data[at:at] = data[at:end]
        else:
            del data[at:]
    return path.name, bytes(data)


@given(
    _mutated_export(),
    st.sampled_from([None, "bibtex", "ris", "medline", "wos", "csv", "cochrane", "endnote"]),
)
def test_import_of_mutated_exports_reconciles_and_never_crashes(
    case: tuple[str, bytes], fmt: str | None
) -> None:
    from litreview.corpus.store import import_files
    from litreview.errors import InputError

    name, data = case
    path = Path(name)
    path.write_bytes(data)
    try:
        report = import_files(
            [path], "fuzz", Path("corpus/records.bib"), root=Path.cwd(), dry_run=True, fmt=fmt
        )
    except InputError as exc:
        assert all(p.location.path == name for p in exc.problems), [str(p) for p in exc.problems]
        assert "format not recognised" in str(exc)
        return
    assert report.read == len(report.added) + report.already + report.rejected
    for result in report.files:
        assert result.entries == len(result.records) + len(result.rejects)
    lines = data.count(b"\n") + data.count(b"\r") + 2
    for p in report.problems:
        assert p.location.path == name and (
            p.location.line is None or 1 <= p.location.line <= lines
        ), str(p)


_ID_TEXT = st.text(
    alphabet=st.sampled_from(list("ab1;|%{}\\~-– \t\"'#@,=")), min_size=1, max_size=12
)


@given(st.lists(st.tuples(_ID_TEXT, _ID_TEXT), min_size=1, max_size=4), _ID_TEXT)
def test_reimporting_exports_with_arbitrary_ids_and_names_adds_nothing(
    ids: list[tuple[str, str]], source: str
) -> None:
    """Provenance (source, file, original id) survives the corpus round trip whatever it holds, so
    importing the same export again never duplicates a record."""
    from litreview.corpus.store import import_files, load_corpus

    corpus = Path("corpus/records.bib")
    if corpus.exists():
        corpus.unlink()
    path = Path("export;1|x.ris")
    path.write_text(
        "".join(
            f"TY  - JOUR\nTI  - Study {i}\nAU  - Smith, A\nPY  - 2001\nAN  - {a.strip() or 'x'}\n"
            f"ID  - {b}\nER  - \n"
            for i, (a, b) in enumerate(ids)
        ),
        encoding="utf-8",
    )
    source = source.strip() or "s"  # a source name is a word; surrounding blanks are not kept
    first = import_files([path], source, corpus, root=Path.cwd())
    second = import_files([path], source, corpus, root=Path.cwd())
    assert (len(second.added), second.already) == (0, len(first.added) + first.already), [
        r.provenance for r in first.added
    ]
    stored = load_corpus(corpus, use_cache=False)
    assert sorted(p for r in stored.records for p in r.provenance) == sorted(
        p for r in first.added for p in r.provenance
    )


# --- atomic writes: SIGKILL at random points ------------------------------------------------------


def _records(n: int, abstract: str = "") -> list[Any]:
    from litreview.model import Name, Provenance, Record

    return [
        Record(
            key=f"Smith{1900 + i % 100}{_suffix(i)}",
            title=f"Study number {i} of doctors and managers",
            authors=(Name(last="Smith", first="A."),),
            year=1900 + i % 100,
            abstract=abstract,
            provenance=(Provenance("db", "searches/s.bib", i + 1, None),),
        )
        for i in range(n)
    ]


def _suffix(i: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    j = i // 100
    return letters[j // 26 % 26] + letters[j % 26] + letters[j // 676 % 26]


_WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from litreview.files.fsutil import atomic_write
    text = Path(sys.argv[2]).read_text(encoding="utf-8")
    print("writing", flush=True)
    atomic_write(Path(sys.argv[1]), text)
    print("done", flush=True)
""")

_SAVER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from litreview.corpus.store import save_corpus
    from litreview.model import Name, Provenance, Record
    records = [Record(key=f"Jones{i:07d}x", title=f"Work {i}", authors=(Name(last="Jones"),), year=2000,
                      abstract="words " * 150, provenance=(Provenance("db", "x.bib", i + 1, None),))
               for i in range(int(sys.argv[2]))]
    print("writing", flush=True)
    save_corpus(Path(sys.argv[1]), records)
    print("done", flush=True)
""")


def _kill_during(args: list[str], delay: float) -> tuple[bool, int]:
    """Start a writer, SIGKILL it ``delay`` seconds after it says it is writing; (finished, pid)."""
    proc = subprocess.Popen([PY, "-c", *args], stdout=subprocess.PIPE, text=True, env=_env())
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out = proc.communicate(timeout=60)[0]
    return "done" in out, proc.pid


@posix_only
def test_sigkill_during_a_large_write_leaves_the_previous_corpus_intact(tmp_path: Path) -> None:
    from litreview.corpus.store import load_corpus, save_corpus
    from litreview.files.fsutil import atomic_write, temp_files

    corpus = tmp_path / "corpus" / "records.bib"
    old = _records(300)
    save_corpus(corpus, old)
    old_bytes = corpus.read_bytes()
    new = _records(20_000, abstract="managers and doctors " * 50)  # ~22 MB of BibTeX
    from litreview.corpus.store import CORPUS_HEADER
    from litreview.io.bibtex import format_corpus

    source = tmp_path / "new.bib"
    text = format_corpus(new, CORPUS_HEADER)
    source.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    atomic_write(tmp_path / "probe" / "records.bib", text)  # how long one write of it takes here
    write_time = time.perf_counter() - started

    rng = random.Random(9)
    interrupted = 0
    killed: list[int] = []
    for _round in range(5):
        finished, pid = _kill_during(
            [_WRITER, str(corpus), str(source)], rng.uniform(0, 0.6 * write_time)
        )
        killed.append(pid)
        data = corpus.read_bytes()
        if finished or data != old_bytes:
            # the rename happened before the kill: the new corpus is whole, then put the old one back
            assert data == source.read_bytes()
            corpus.write_bytes(old_bytes)
            continue
        interrupted += 1
        loaded = load_corpus(corpus, use_cache=False)
        assert len(loaded.records) == len(old) and not loaded.rejects and not loaded.problems
        # a killed writer's temporary file, never the corpus: this round's, or an earlier round's
        # when this writer was killed before its first step swept it away
        for leftover in temp_files(corpus):
            assert leftover.name.endswith(".tmp")
            assert any(leftover.name.startswith(f".records.bib.{k}.") for k in killed)
    assert interrupted >= 1, "every kill came after the rename: nothing was tested"

    # a kill anywhere inside save_corpus itself (building, formatting, writing)
    for delay in (rng.uniform(0, 0.3), rng.uniform(0.3, 1.0)):
        finished, _pid = _kill_during([_SAVER, str(corpus), "5000"], delay)
        loaded = load_corpus(corpus, use_cache=False)
        assert len(loaded.records) in ((5000,) if finished else (len(old), 5000))
        assert not loaded.rejects
        if len(loaded.records) != len(old):
            corpus.write_bytes(old_bytes)

    # the next write sweeps temporary files whose writer is dead
    save_corpus(corpus, old)
    assert corpus.read_bytes() == old_bytes
    assert temp_files(corpus) == []


def test_a_temporary_file_of_a_live_writer_is_left_alone(tmp_path: Path) -> None:
    from litreview.files.fsutil import atomic_write, temp_files

    target = tmp_path / "records.bib"
    live = tmp_path / f".records.bib.{os.getppid()}.abc.tmp"  # our parent is alive
    live.write_text("half")
    atomic_write(target, "whole\n")
    assert target.read_text() == "whole\n" and temp_files(target) == [live]


# --- locking: real processes ---------------------------------------------------------------------

_HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from litreview.files.fsutil import corpus_lock
    with corpus_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        time.sleep(float(sys.argv[2]))
    print("released", flush=True)
""")


def _project(tmp_path: Path) -> Path:
    (tmp_path / "corpus").mkdir()
    (tmp_path / "a.ris").write_text(
        "TY  - JOUR\nTI  - Doctors and managers\nAU  - Davies, H\nPY  - 2003\nAN  - a1\nER  - \n",
        encoding="utf-8",
    )
    (tmp_path / "b.ris").write_text(
        "TY  - JOUR\nTI  - Managers and doctors\nAU  - Powell, M\nPY  - 2016\nAN  - b1\nER  - \n",
        encoding="utf-8",
    )
    return tmp_path


def _hold_lock(folder: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [PY, "-c", _HOLDER, str(folder), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


@posix_only
@pytest.mark.parametrize("command", [["import", "a.ris", "--source", "db"], ["dedupe"]])
def test_second_writer_waits_then_fails_clearly_with_exit_2(
    tmp_path: Path, command: list[str]
) -> None:
    root = _project(tmp_path)
    if command == ["dedupe"]:
        assert _litreview("import", "b.ris", "--source", "db", cwd=root).returncode == 0
    before = (root / "corpus" / "records.bib").read_bytes() if command == ["dedupe"] else None
    holder = _hold_lock(root / "corpus", 30)
    try:
        started = time.monotonic()
        result = _litreview(*command, cwd=root, LITREVIEW_LOCK_WAIT="0.5")
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.communicate(timeout=30)
    assert result.returncode == 2, result.stderr
    assert (
        f"corpus/.litreview.lock: error: another litreview process (pid {holder.pid}) is writing this corpus; "
        "gave up after waiting 0.5 s" in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert waited >= 0.5
    after = root / "corpus" / "records.bib"
    assert (after.read_bytes() if after.exists() else None) == before


@posix_only
def test_a_writer_that_waits_long_enough_gets_the_lock(tmp_path: Path) -> None:
    root = _project(tmp_path)
    holder = _hold_lock(root / "corpus", 0.5)
    result = _litreview("import", "a.ris", "--source", "db", cwd=root, LITREVIEW_LOCK_WAIT="30")
    assert holder.communicate(timeout=30)[0].strip() == "released"
    assert result.returncode == 0, result.stderr
    assert "added 1" in result.stdout


@posix_only
def test_a_lock_holder_killed_with_sigkill_leaves_no_stale_lock(tmp_path: Path) -> None:
    root = _project(tmp_path)
    holder = _hold_lock(root / "corpus", 30)
    holder.kill()
    holder.communicate(timeout=30)
    result = _litreview("import", "a.ris", "--source", "db", cwd=root, LITREVIEW_LOCK_WAIT="0")
    assert result.returncode == 0, result.stderr


def test_two_writers_one_after_the_other_both_succeed(tmp_path: Path) -> None:
    root = _project(tmp_path)
    first = _litreview("import", "a.ris", "--source", "db", cwd=root)
    second = _litreview("import", "b.ris", "--source", "db", cwd=root)
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    from litreview.corpus.store import load_corpus

    titles = sorted(
        r.title for r in load_corpus(root / "corpus" / "records.bib", use_cache=False).records
    )
    assert titles == ["Doctors and managers", "Managers and doctors"]
    assert not (root / "corpus" / ".litreview.lock").exists()


@posix_only
def test_writers_started_together_never_lose_each_others_records(tmp_path: Path) -> None:
    from litreview.corpus.store import load_corpus

    root = _project(tmp_path)
    files = []
    for i in range(4):
        f = root / f"s{i}.ris"
        f.write_text(
            "".join(
                f"TY  - JOUR\nTI  - Study {i}-{j}\nAU  - Author{i}, A\nPY  - 2001\nAN  - {i}-{j}\nER  - \n"
                for j in range(200)
            ),
            encoding="utf-8",
        )
        files.append(f)
    procs = [
        subprocess.Popen(
            [PY, "-m", "litreview", "import", f.name, "--source", f"s{i}"],
            cwd=root,
            env=_env(LITREVIEW_LOCK_WAIT="60"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, f in enumerate(files)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, outputs
    loaded = load_corpus(root / "corpus" / "records.bib", use_cache=False)
    assert len(loaded.records) == 800 and not loaded.rejects
    assert len({r.key for r in loaded.records}) == 800


# --- size: huge files, fields, nesting and lines, read in a child whose peak memory is measured ---

MB = 1 << 20

_MEASURE = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from litreview.errors import LitreviewError
    from litreview.io import read_path
    try:
        r = read_path(Path(sys.argv[1]), "x")
        out = {"format": r.format, "records": len(r.records), "rejects": len(r.rejects),
               "longest": max((len(x.title) + len(x.abstract) for x in r.records), default=0),
               "problems": [str(p)[:300] for p in r.problems]}
    except LitreviewError as exc:
        out = {"error": str(exc)[:300]}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    out["grew_mb"] = (peak - base) * scale / 2**20
    print(json.dumps(out))
""")


def _read_in_child(path: Path) -> dict[str, Any]:
    done = subprocess.run(
        [PY, "-c", _MEASURE, str(path)], env=_env(), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out: dict[str, Any] = json.loads(done.stdout)
    path.unlink()
    return out


def _write_chunks(path: Path, *parts: str | tuple[str, int]) -> int:
    """Write text parts, a ``(text, n)`` part being ``text`` repeated n times, without building it."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        for part in parts:
            if isinstance(part, tuple):
                chunk, n = part
                block = chunk * 4096
                for _ in range(n // 4096):
                    fh.write(block)
                fh.write(chunk * (n % 4096))
            else:
                fh.write(part)
    return path.stat().st_size


def _memory_is_bounded(out: dict[str, Any], size: int) -> None:
    # the text, one copy of it in the reader and the records: a small multiple of the file, never more
    assert out["grew_mb"] < 8 * size / MB + 150, out


@posix_only
@pytest.mark.parametrize("fmt", ["ris", "bibtex", "csv"])
def test_a_hundred_thousand_records_are_read_in_bounded_memory(tmp_path: Path, fmt: str) -> None:
    n = 100_000
    path = tmp_path / f"big.{fmt}"
    if fmt == "ris":
        body = "".join(
            f"TY  - JOUR\nTI  - Doctors and managers {i}\nAU  - Smith, A\nPY  - 2001\nER  - \n"
            for i in range(n)
        )
    elif fmt == "bibtex":
        body = "".join(
            f"@article{{k{i}, author = {{Smith, A}}, title = {{Doctors and managers {i}}}, year = 2001}}\n"
            for i in range(n)
        )
    else:
        body = "title,author,year\n" + "".join(
            f'Doctors and managers {i},"Smith, A",2001\n' for i in range(n)
        )
    size = _write_chunks(path, body)
    out = _read_in_child(path)
    assert (out["format"], out["records"], out["rejects"]) == (fmt, n, 0), out
    _memory_is_bounded(out, size)


@posix_only
@pytest.mark.skipif(
    not os.environ.get("LITREVIEW_SLOW"),
    reason="a million records take a minute: set LITREVIEW_SLOW=1",
)
@pytest.mark.slow
def test_a_million_record_import_reconciles(tmp_path: Path) -> None:
    from litreview.corpus.store import import_files, load_corpus

    n = 1_000_000
    path = tmp_path / "million.ris"
    _write_chunks(
        path,
        *(
            f"TY  - JOUR\nTI  - Doctors and managers {i}\nAU  - Smith, A\nPY  - {1950 + i % 70}\n"
            f"AN  - {i}\nER  - \n"
            for i in range(n)
        ),
    )
    report = import_files([path], "big", tmp_path / "corpus" / "records.bib", root=tmp_path)
    assert (report.read, len(report.added), report.rejected) == (n, n, 0)
    assert len(load_corpus(tmp_path / "corpus" / "records.bib", use_cache=False).records) == n


@posix_only
@pytest.mark.parametrize(
    ("fmt", "head", "tail"),
    [
        ("bibtex", "@article{k, author = {Smith, A}, title = {", "}, year = 2001}\n"),
        ("ris", "TY  - JOUR\nAU  - Smith, A\nTI  - ", "\nER  - \n"),
        ("csv", 'author,title\n"Smith, A","', '"\n'),
    ],
)
def test_a_50_mb_field_is_read_whole_in_bounded_memory(
    tmp_path: Path, fmt: str, head: str, tail: str
) -> None:
    path = tmp_path / "field.txt"
    size = _write_chunks(path, head, ("doctors ", 50 * MB // 8), tail)
    out = _read_in_child(path)
    assert (out["format"], out["records"], out["rejects"]) == (fmt, 1, 0), out
    assert out["longest"] >= 50 * MB - 1
    _memory_is_bounded(out, size)


@posix_only
@pytest.mark.parametrize(
    ("fmt", "head", "expected"),
    [
        # one 100 MB line: a BibTeX entry is read, a RIS "record" with every tag on one line has no
        # title, a CSV header cell over the cell limit is refused, each with its reason
        ("bibtex", "@article{k, author = {Smith, A}, title = {", "records"),
        ("ris", "TY  - JOUR TI  - ", "record has no title, author, DOI or PMID"),
        ("csv", "title,year,", "a cell is longer than 67108864 characters (MAX_FIELD"),
    ],
)
def test_a_100_mb_line_without_a_newline_gives_a_result_or_names_the_limit(
    tmp_path: Path, fmt: str, head: str, expected: str
) -> None:
    path = tmp_path / "line.txt"
    size = _write_chunks(path, head, ("managers", 100 * MB // 8), "}}" if fmt == "bibtex" else "")
    out = _read_in_child(path)
    assert out["format"] == fmt, out
    if expected == "records":
        assert (out["records"], out["rejects"]) == (1, 0), out
    else:
        assert out["records"] == 0 and out["rejects"] == 1, out
        assert any(expected in p for p in out["problems"]), out["problems"]
    _memory_is_bounded(out, size)


def test_ten_thousand_nested_braces_are_read_and_unbalanced_ones_rejected_with_a_reason() -> None:
    from litreview.io import read_text

    deep = "{" * 10_000 + "Doctors" + "}" * 10_000
    ok = read_text(
        f"@article{{k, author = {{Smith, A}}, title = {{{deep}}}, year = 2001}}\n", "n.bib", "x"
    )
    assert [r.title for r in ok.records] == ["Doctors"]
    broken = read_text(
        f"@article{{k, title = {{{'{' * 10_000}x}}, year = 2001}}\n"
        "@article{j, author = {Jones, B}, title = {Kept}, year = 2002}\n",
        "n.bib",
        "x",
    )
    assert [r.title for r in broken.records] == ["Kept"]
    assert broken.rejects and "unbalanced braces" in broken.rejects[0].reason
    parens = read_text(
        "@comment(" + "(" * 10_000 + ")" * 10_000 + ")\n"
        "@article{j, author = {Jones, B}, title = {After}, year = 2002}\n",
        "n.bib",
        "x",
    )
    assert [r.title for r in parens.records] == ["After"]


def test_many_parenthesised_comments_are_read_in_one_pass() -> None:
    # each @comment( used to copy the rest of the file: 30,000 of them would take minutes
    from litreview.io import read_text

    text = (
        "@comment(a note (with parentheses))\n" * 30_000
        + "@article{k, author = {Smith, A}, title = {T}, year = 2001}\n"
    )
    result = read_text(text, "c.bib", "x")
    assert [r.title for r in result.records] == ["T"] and not result.rejects


# --- encodings and line ends --------------------------------------------------------------------

_RIS = "TY  - JOUR\r\nTI  - Médecins et gestionnaires\r\nAU  - Dávies, H\nPY  - 2003\r\nER  - \n"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-8", b""),
    ],
)
def test_unicode_encodings_with_and_without_bom_are_decoded(
    tmp_path: Path, encoding: str, bom: bytes
) -> None:
    from litreview.io import read_path

    path = tmp_path / "x.ris"
    path.write_bytes(bom + _RIS.encode(encoding))
    result = read_path(path, "x")
    assert [(r.title, r.authors[0].last) for r in result.records] == [
        ("Médecins et gestionnaires", "Dávies")
    ]
    noted = [p.message for p in result.problems if p.code == "encoding"]
    assert bool(noted) == (not bom and encoding.startswith("utf-16")), noted


def test_mixed_crlf_and_lf_keep_line_numbers_right() -> None:
    from litreview.io import read_text
    from litreview.io.text import decode_bytes

    data = b"TY  - JOUR\r\nTI  - One\nER  - \r\n\r\nTY  - JOUR\nPY  - 2001\r\nER  - \n\rTY  - JOUR\rTI  - Three\rER  - \r"
    result = read_text(decode_bytes(data).text, "m.ris", "x")
    assert [r.title for r in result.records] == ["One", "Three"]
    assert [r.provenance[0].line for r in result.records] == [1, 9]
    assert [r.location.line for r in result.rejects] == [5]


def test_nul_bytes_are_removed_with_a_warning_in_every_format(tmp_path: Path) -> None:
    from litreview.io import read_path

    exports = {
        "n.bib": b"@article{k, author = {Smith, A}, title = {Doc\x00tors}, year = 2001}\n",
        "n.ris": b"TY  - JOUR\nTI  - Doc\x00tors\nER  - \n",
        "n.csv": b"title,year\nDoc\x00tors,2001\n",
    }
    for name, data in exports.items():
        (tmp_path / name).write_bytes(data)
        result = read_path(tmp_path / name, "x")
        assert [r.title for r in result.records] == ["Doctors"], name
        assert any("NUL bytes were removed" in p.message for p in result.problems), name


@pytest.mark.parametrize(
    ("data", "encoding", "title"),
    [
        (b"TY  - JOUR\nTI  - G\xfcven\nER  - \n", "cp1252", "Güven"),  # Latin-1 / cp1252 export
        (b"TY  - JOUR\nTI  - A \x81 B \xe9\nER  - \n", "latin-1", "A \x81 B é"),  # not even cp1252
        (
            b"TY  - JOUR\nTI  - Truncated \xc3\nER  - \n",
            "cp1252",
            "Truncated Ã",
        ),  # UTF-8 cut mid-character
        (
            codecs.BOM_UTF8 + b"TY  - JOUR\nTI  - Bad \xff byte\nER  - \n",
            "utf-8-sig",
            "Bad \ufffd byte",
        ),
    ],
)
def test_invalid_utf8_is_decoded_with_a_warning_naming_the_byte(
    tmp_path: Path, data: bytes, encoding: str, title: str
) -> None:
    from litreview.io import read_path

    path = tmp_path / "bad.ris"
    path.write_bytes(data)
    result = read_path(path, "x")
    assert result.encoding == encoding
    assert [r.title for r in result.records] == [title]
    named = "replaced with U+FFFD"
    if not data.startswith(codecs.BOM_UTF8):
        with pytest.raises(UnicodeDecodeError) as bad:
            data.decode("utf-8")
        named = f"not valid UTF-8 (byte {bad.value.start}); decoded as {encoding}"
    assert any(p.code == "encoding" and named in p.message for p in result.problems), [
        str(p) for p in result.problems
    ]


def test_odd_length_utf16_is_decoded_with_a_replacement_character(tmp_path: Path) -> None:
    from litreview.io import read_path

    path = tmp_path / "odd.ris"
    path.write_bytes(
        codecs.BOM_UTF16_LE + "TY  - JOUR\nTI  - Cut\nER  - \n".encode("utf-16-le") + b"\x00"
    )
    result = read_path(path, "x")
    assert [r.title for r in result.records] == ["Cut"]


def test_binary_garbage_is_refused_with_a_reason(tmp_path: Path) -> None:
    from litreview.errors import InputError
    from litreview.io import read_path

    path = tmp_path / "photo.ris"
    path.write_bytes(bytes(random.Random(1).randrange(256) for _ in range(20_000)))
    with pytest.raises(InputError) as info:
        read_path(path, "x")
    assert "format not recognised" in str(info.value)


# --- path safety --------------------------------------------------------------------------------


def _files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "source",
    ["../x", "../../escape", "/etc/x", "a/../../b", "..", ".", "C:\\x", "x\x00y", "Москва"],
)
def test_a_source_name_never_puts_the_rejects_file_outside_corpus_rejects(
    tmp_path: Path, source: str
) -> None:
    from litreview.corpus.store import import_files

    root = tmp_path / "deep" / "proj"
    (root / "corpus").mkdir(parents=True)
    export = root / "x.ris"
    export.write_text(
        "TY  - JOUR\nTI  - Kept\nER  - \nTY  - JOUR\nPY  - 2001\nER  - \n", encoding="utf-8"
    )
    before = _files_under(tmp_path)
    report = import_files([export], source, root / "corpus" / "records.bib", root=root)
    # the write also leaves the corpus cache (.litreview-cache/), which is not in question here
    new = {
        p
        for p in _files_under(tmp_path) - before
        if not p.startswith("deep/proj/.litreview-cache/")
    }
    (rejects,) = report.rejects_paths
    assert rejects.startswith("corpus/rejects/")
    assert new == {"deep/proj/corpus/records.bib", f"deep/proj/{rejects}"}
    assert (root / rejects).read_text(encoding="utf-8").count("PY  - 2001") == 1


def test_hostile_citation_keys_never_make_litreview_write_outside_its_folders(
    tmp_path: Path,
) -> None:
    """A key like ``../../../pwned<i>`` (hand-edited into the corpus, decisions and extraction)
    goes through the whole pipeline as text: every file written is under build/, corpus/ or
    the cache, and the key shows up escaped in the outputs."""
    import shutil

    root = tmp_path / "a" / "b" / "proj"
    root.mkdir(parents=True)
    for name in ("review.yaml", "themes.yaml"):
        shutil.copy(ROOT / name, root / name)
    shutil.copytree(ROOT / "corpus", root / "corpus")
    hostile = "../../../pwned<i>"
    bib = root / "corpus" / "records.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace(
            "@techreport{Atkinson2011,", f"@techreport{{{hostile},"
        ),
        encoding="utf-8",
    )
    for name in ("screening.yaml", "extraction.yaml"):
        f = root / "corpus" / name
        f.write_text(
            f.read_text(encoding="utf-8").replace("key: Atkinson2011", f"key: {hostile}"),
            encoding="utf-8",
        )
    ext = root / "corpus" / "extraction.yaml"
    ext.write_text(
        ext.read_text(encoding="utf-8") + "- key: ../../../../pwned2\n  relevance: related\n",
        encoding="utf-8",
    )
    before = _files_under(tmp_path)
    run = _litreview("run", cwd=root)
    check = _litreview("check", cwd=root)
    assert "Traceback" not in run.stderr + check.stderr, run.stderr + check.stderr
    assert run.returncode in (0, 1, 2) and check.returncode in (0, 1, 2)
    new = _files_under(tmp_path) - before
    assert new, run.stderr
    assert all(
        f.startswith(("a/b/proj/build/", "a/b/proj/corpus/", "a/b/proj/.litreview-cache/"))
        for f in new
    ), new
    assert not [p for p in tmp_path.rglob("*pwned*")]
    # the key went all the way through, as text: in the table's data and escaped in the HTML
    rows = (root / "build" / "evidence-table.csv").read_text(encoding="utf-8").splitlines()
    assert any(row.startswith(hostile + ",") for row in rows)
    appendix = (root / "build" / "appendix.html").read_text(encoding="utf-8")
    assert 'id="study-../../../pwned&lt;i&gt;"' in appendix and hostile not in appendix


def test_render_writes_only_its_fixed_file_names_whatever_the_study_keys(tmp_path: Path) -> None:
    import dataclasses

    from litreview.report.render import render_all
    from tests.render_helpers import load_case

    data = load_case("powell-davies")
    keys = ["../../../etc/x", "/abs/path", "..\\..\\win", "a/b", "%2e%2e%2fx", "con", "x\x00y"]
    studies = tuple(
        dataclasses.replace(
            s,
            key=keys[i % len(keys)] + str(i),
            record=dataclasses.replace(s.record, key=keys[i % len(keys)] + str(i)),
        )
        for i, s in enumerate(data.studies)
    )
    out = tmp_path / "out" / "build"
    written = render_all(dataclasses.replace(data, studies=studies), out)
    assert {p.parent for p in written} == {out}
    assert _files_under(tmp_path) == {f"out/build/{p.name}" for p in written}


# --- the corpus cache is never code --------------------------------------------------------------


def test_sealed_data_comes_back_and_anything_else_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.files.fsutil import seal, unseal

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    blob = seal(b"records")
    assert unseal(blob) == b"records"
    assert unseal(blob[:-1] + b"S") is None and unseal(b"records") is None and unseal(b"") is None
    assert (
        oct((tmp_path / "home-cache" / "litreview" / "cache-key").stat().st_mode & 0o777) == "0o600"
        or os.name != "posix"
    )
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    assert unseal(blob) is None  # another key: another user's (or a planted) cache is not trusted


def test_a_file_sealed_while_it_is_written_is_the_same_as_one_sealed_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litreview.files.fsutil import SealedWriter, seal, unseal

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    with (tmp_path / "cache").open("wb") as fh:
        writer = SealedWriter(fh)
        for piece in (b"rec", b"", memoryview(b"ords"), b"\x00" * 70_000):
            writer.write(piece)
        writer.close()
    blob = (tmp_path / "cache").read_bytes()
    assert blob == seal(b"records" + b"\x00" * 70_000)
    assert unseal(blob) == b"records" + b"\x00" * 70_000
    assert unseal(blob[:-1] + b"\x01") is None  # and a damaged one is still refused


class _Planted:
    """A pickle that makes a folder when loaded: what a malicious cache file could do."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (str(self.target),))


def test_a_planted_corpus_cache_file_is_not_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pickle

    from litreview.corpus.store import load_corpus, save_corpus

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    corpus = tmp_path / "corpus" / "records.bib"
    save_corpus(corpus, _records(3))
    load_corpus(corpus)  # writes the cache
    caches = [p for p in (tmp_path / ".litreview-cache").iterdir() if p.is_file()]
    assert caches
    marker = tmp_path / "pwned"
    for cache in caches:  # what a pull request adding a crafted cache file would do
        cache.write_bytes(pickle.dumps(_Planted(marker)))
    assert len(load_corpus(corpus).records) == 3
    assert not marker.exists()


def test_the_cache_this_user_sealed_is_used_without_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import litreview.io.bibtex as bibtex
    from litreview.corpus.store import load_corpus, save_corpus

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    corpus = tmp_path / "corpus" / "records.bib"
    save_corpus(corpus, _records(3))
    first = load_corpus(corpus)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed although the cache was valid")

    monkeypatch.setattr(bibtex, "read_bibtex", no_parsing)
    assert load_corpus(corpus).records == first.records
