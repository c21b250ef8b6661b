"""How long `litreview check` takes on a 100k-record review (issue 8: <= 10 s).

Builds a review repository in a temporary folder: the shipped protocol, themes and search
exports, and a corpus of synthetic records imported with ``litreview import`` so that the file
is exactly what litreview writes. Two corpora, because the duplicate check's cost depends on
how varied the titles are:

- ``varied``: bench_dedupe's generator (titles, authors and journals from a 20,000-word
  vocabulary, as real titles are varied) plus a ~1 KB abstract; the target is judged here;
- ``29-words``: bench_import's generator, whose titles repeat 29 words: blocking then yields
  about a million candidate pairs, the worst case we know, printed for comparison.

Then it times ``check_project``

- cold: no ``.litreview-cache``, so the corpus is parsed;
- warm: the cache from the cold run is used;

and the CLI once (``litreview check --format json`` in a subprocess, warm), printing wall and
CPU time, records/s and MET / NOT MET against the target. It exits 0 whenever it ran: the
figures are for reading, not a gate.

    python benchmarks/bench_check.py              # 100k records
    python benchmarks/bench_check.py --size 10000
    python benchmarks/bench_check.py --profile    # cProfile of the warm run, top 25 by own time
    python benchmarks/bench_check.py --keep DIR   # build the repository in DIR (reused if present)
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import as_bibtex, fake  # noqa: E402

TARGET_S = 10.0
T = TypeVar("T")


def _varied_export(n: int) -> str:
    from dataclasses import replace

    from bench_dedupe import Synth

    from litreview.io.bibtex import format_entry

    synth = Synth(11)
    rng = random.Random(11)
    parts = []
    for i in range(n):
        work = synth.work(i)
        abstract = " ".join(rng.choice(synth.vocab) for _ in range(150))
        parts.append(format_entry(replace(work, abstract=abstract.capitalize() + ".")))
    return "\n".join(parts)


def build_review(folder: Path, n: int, kind: str = "varied") -> Path:
    """A review repository with ``n`` synthetic records; reused when ``folder`` already holds one."""
    from litreview.corpus.store import import_files

    corpus = folder / "corpus" / "records.bib"
    marker = folder / f".bench-{kind}-{n}"
    if marker.exists() and corpus.exists():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in ("review.yaml", "themes.yaml"):
        shutil.copy(ROOT / name, folder / name)
    shutil.copytree(ROOT / "corpus" / "searches", folder / "corpus" / "searches")
    rnd = random.Random(7)
    export = folder / "bench-export.bib"
    text = (
        _varied_export(n)
        if kind == "varied"
        else "".join(as_bibtex(fake(i, rnd)) for i in range(n))
    )
    export.write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    report = import_files([export], "bench", corpus, root=folder)
    export.unlink()
    assert len(report.added) == n, len(report.added)
    print(
        f"built a {n:,}-record {kind} corpus ({corpus.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s"
    )
    marker.touch()
    return folder


def timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w0, time.process_time() - c0


def verdict(n: int, wall: float, cpu: float, kind: str = "varied") -> str:
    """MET / NOT MET against the 100k target (judged on the smaller of wall and CPU time: on a
    shared machine wall time includes waiting for a core, CPU time is the work itself)."""
    if n < 100_000:
        return "n/a (the target is for 100,000 records)"
    if kind != "varied":
        return f"{min(wall, cpu):.1f} s (for comparison; the target is judged on the varied corpus)"
    return "MET" if min(wall, cpu) <= TARGET_S else "NOT MET"


def _time_checks(project: Any, folder: Path, n: int, kind: str) -> None:
    from litreview.check.checks import check_project

    print(
        f"{kind} corpus, load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}"
    )
    shutil.rmtree(folder / ".litreview-cache", ignore_errors=True)
    for label in ("cold", "warm"):
        report, wall, cpu = timed(lambda: check_project(project))
        errors = sum(1 for p in report.problems if p.is_error)
        print(
            f"check_project {label:4s} {n:>7,} records  wall {wall:6.2f} s  CPU {cpu:6.2f} s  "
            f"{n / wall:>8,.0f} records/s  ({errors} errors, {len(report.problems) - errors} warnings)  "
            f"target <= {TARGET_S:.0f} s: {verdict(n, wall, cpu, kind)}"
        )
    cli = [sys.executable, "-m", "litreview", "-C", str(folder), "check", "--format", "json"]
    w0 = time.perf_counter()
    r0 = os.times()
    proc = subprocess.run(cli, capture_output=True, text=True, check=False)
    r1 = os.times()
    wall = time.perf_counter() - w0
    cpu = (r1.children_user - r0.children_user) + (r1.children_system - r0.children_system)
    print(
        f"litreview check (CLI, warm) {n:>7,} records  wall {wall:6.2f} s  CPU {cpu:6.2f} s  "
        f"{n / wall:>8,.0f} records/s  exit {proc.returncode}  target: {verdict(n, wall, cpu, kind)}"
    )
    if proc.returncode not in (0, 1):
        print(proc.stderr[-2000:], file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--keep", type=Path, help="build (or reuse) the repository in this folder")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()

    from litreview.check.checks import check_project
    from litreview.project import Project

    tmp = None
    if args.keep:
        folder = args.keep.resolve()
    else:
        tmp = tempfile.TemporaryDirectory()
        folder = Path(tmp.name) / "review"
    try:
        n = args.size
        for kind in ("varied", "29-words"):
            where = folder / kind
            build_review(where, n, kind)
            _time_checks(Project(where), where, n, kind)
        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.enable()
            check_project(Project(folder / "varied"))
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(25)
            pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()
