"""Whole commands as a person runs them, on generated corpora with abstracts (issue 16).

Generates 10k and 100k records (1M too with ``LITREVIEW_BENCH_1M=1``) with
``../shared/bench/gen_records.py``, imports each into a fresh review that uses the shipped
review.yaml and themes.yaml, then times each command as a separate process: ``cold`` is the
first run after the corpus was written, ``warm`` the same command again on unchanged files.
Prints wall time, user+sys CPU time (the figure to compare on a loaded machine) and peak memory,
and the issue's targets as MET / NOT MET. Skips with a message when the generator is absent.

``LITREVIEW_BENCH_SIZES=10000,50000`` picks other sizes; ``LITREVIEW_BENCH_DIR`` keeps the
generated files there between runs (they take a while to write at 1M).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT.parent / "shared" / "bench" / "gen_records.py"

#: (command, phase) -> wall-clock seconds the issue asks for at 100k records
TARGETS = {
    ("import", "cold"): 8.0,
    ("dedupe", "cold"): 5.0,
    ("screen", "cold"): 4.0,
    ("screen", "warm"): 1.5,
    ("tag", "warm"): 1.5,
    ("status", "warm"): 1.5,
}
COMMANDS = [("import",), ("dedupe",), ("screen",), ("tag",), ("render",), ("status",), ("check",)]


@dataclass
class Timing:
    command: str
    phase: str
    wall: float
    cpu: float
    rss_mb: float
    code: int


def litreview() -> list[str]:
    script = Path(sys.executable).parent / "litreview"
    return [str(script)] if script.exists() else [sys.executable, "-m", "litreview"]


def timed(args: list[str], cwd: Path, command: str, phase: str) -> Timing:
    """One process: wall time, and its own user+sys time and peak memory from ``wait4``."""
    with tempfile.TemporaryFile() as errors:  # a pipe would fill and stop a talkative command
        start = time.perf_counter()
        proc = subprocess.Popen(
            [*litreview(), "-q", *args],
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            stderr=errors,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        err = errors.read().decode(errors="replace")
    if proc.returncode not in (0, 1):
        print(f"  {' '.join(args)} exited {proc.returncode}: {err.strip()[:300]}", file=sys.stderr)
    return Timing(
        command,
        phase,
        wall,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        proc.returncode,
    )


#: an export larger than this is written as several files, as a database's export of a million
#: records would be (litreview refuses a single file over 1 GB)
PART_BYTES = 400_000_000


def generate(n: int, folder: Path) -> list[Path]:
    """The generator's export of ``n`` records, cut at entry boundaries into files of
    just over ``PART_BYTES`` (at 1M: four files of ~400 MB)."""
    out = folder / f"syn{n}"
    bib = out.with_suffix(".bib")
    parts = sorted(folder.glob(f"syn{n}-part*.bib"))
    if parts:
        return parts
    if not bib.exists():
        print(f"  generating {n} records …", flush=True)
        subprocess.run(
            [sys.executable, str(GENERATOR), str(n), str(out), "--formats", "bib"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    if bib.stat().st_size <= PART_BYTES:
        return [bib]
    data = bib.read_bytes()
    start, number = 0, 0
    while start < len(data):
        cut = data.find(b"\n@", start + PART_BYTES) if start + PART_BYTES < len(data) else -1
        stop = len(data) if cut < 0 else cut + 1
        part = folder / f"syn{n}-part{number}.bib"
        part.write_bytes(data[start:stop])
        parts.append(part)
        start, number = stop, number + 1
    bib.unlink()
    return parts


def run_size(n: int, data: Path) -> list[Timing]:
    files = generate(n, data)
    rows: list[Timing] = []
    with tempfile.TemporaryDirectory(prefix=f"lr-bench-{n}-") as tmp:
        review = Path(tmp)
        for name in ("review.yaml", "themes.yaml"):
            shutil.copy(ROOT / name, review / name)
        (review / "corpus").mkdir()
        rows.append(
            timed(
                ["import", *map(str, files), "--source", "database-search"],
                review,
                "import",
                "cold",
            )
        )
        for (command,) in COMMANDS[1:]:
            for phase in ("cold", "warm"):
                rows.append(timed([command], review, command, phase))
        if n <= 100_000:
            rows += _one_decision(review)
            rows += _screened_review(review)
        else:  # the ranked queue's features take ~2.7 GB at 100k: tens of GB at 1M
            print(f"  {n:,}: the screen next / decide rows are measured up to 100k only")
    return rows


def _one_decision(review: Path) -> list[Timing]:
    """What a person waits for at each record: the queue's next record, the decision, and the
    screening after it (the ranked queue's features are built by the first ``next``: cold)."""
    rows = [timed(["screen", "next", "--reviewer", "bench"], review, "screen next", "cold")]
    shown = subprocess.run(
        [*litreview(), "screen", "next", "--reviewer", "bench"],
        cwd=review,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    ).stdout
    key = next(
        (
            line.split("screen decide ", 1)[1].split()[0]
            for line in shown.splitlines()
            if "screen decide " in line
        ),
        None,
    )
    if key is None:
        print("  screen next offered no record: the decision rows are skipped", file=sys.stderr)
        return rows
    rows.append(
        timed(
            ["screen", "decide", key, "include", "--reviewer", "bench"],
            review,
            "screen decide",
            "warm",
        )
    )
    rows.append(timed(["screen"], review, "screen", "after a decision"))
    rows.append(
        timed(["screen", "next", "--reviewer", "bench"], review, "screen next", "after a decision")
    )
    return rows


def write_two_reviewers(review: Path) -> tuple[int, str]:
    """Two reviewers' title-abstract decisions on every record (a tenth included, and those
    decided at full text too), each with its record's title, as a review whose first screening
    is done holds them: two decisions files of ~15 MB at 100k records. Returns how many decisions each holds, and
    the first record's key."""
    import random

    from litreview.corpus.madeon import shorten
    from litreview.project import find_project
    from litreview.review import Review
    from litreview.screen.decisions import format_decisions
    from litreview.screen.engine import Decision

    project = find_project(review)
    records = sorted(Review.of(project).corpus().records, key=lambda r: r.key)
    keys = [r.key for r in records]
    made_on = {r.key: shorten(r.title) for r in records}  # as every decide writes it
    reasons = ("out-of-period", "not-uk", "not-empirical")
    count = 0
    for who in ("alice", "bob"):
        rnd = random.Random(16)  # the two agree: no conflicts, every full-text decision counts
        made = []
        for key in keys:
            if rnd.random() < 0.1:
                made.append(Decision(key, "title-abstract", "include", who, "2026-11-02"))
                out = rnd.random() < 0.5
                made.append(
                    Decision(
                        key,
                        "full-text",
                        "exclude" if out else "include",
                        who,
                        "2026-11-20",
                        "not-uk" if out else None,
                    )
                )
            else:
                made.append(
                    Decision(
                        key, "title-abstract", "exclude", who, "2026-11-02", rnd.choice(reasons)
                    )
                )
        made = [replace(d, title=made_on[d.key]) for d in made]
        project.screening_dir.mkdir(parents=True, exist_ok=True)
        project.reviewer_file(who).write_text(
            format_decisions(made, Review.of(project).protocol), encoding="utf-8"
        )
        count = len(made)
    return count, keys[0]


def _screened_review(review: Path) -> list[Timing]:
    """The same review once two people have screened every record: what a decision, the
    screening after it and check cost when the decisions files are large."""
    each, key = write_two_reviewers(review)
    print(f"  two reviewers' decisions written ({each:,} each)", flush=True)
    phase = "two reviewers' decisions"
    rows = [timed(["screen"], review, "screen", f"{phase}: cold")]
    rows.append(
        timed(
            [
                "screen",
                "decide",
                key,
                "include",
                "--reviewer",
                "alice",
                "--stage",
                "title-abstract",
            ],
            review,
            "screen decide",
            phase,
        )
    )
    rows.append(timed(["screen"], review, "screen", f"{phase}: after a decision"))
    rows.append(timed(["status"], review, "status", f"{phase}: after a decision"))
    rows.append(timed(["status"], review, "status", f"{phase}: again (warm)"))
    rows.append(timed(["screen"], review, "screen", f"{phase}: again (warm)"))
    rows.append(timed(["check"], review, "check", phase))
    return rows


def verdict(n: int, r: Timing) -> str:
    """The issue's target for this row at this size (wall time; 1M: ≤ 80 s and ≤ 4 GB each)."""
    if n == 1_000_000:
        ok = r.wall <= 80 and r.rss_mb <= 4096
        return f"≤ 80 s, ≤ 4 GB: {'MET' if ok else 'NOT MET'}"
    target = TARGETS.get((r.command, r.phase))
    if target is None:
        return ""
    if n != 100_000:
        return f"(≤ {target:g} s at 100k)"
    return f"≤ {target:g} s: {'MET' if r.wall <= target else 'NOT MET'}"


def table(n: int, rows: list[Timing]) -> str:
    lines = [
        f"### {n:,} records",
        "",
        "| command | run | wall s | user+sys s | peak MB | exit | target |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        verdict_ = verdict(n, r)
        lines.append(
            f"| {r.command} | {r.phase} | {r.wall:.2f} | {r.cpu:.2f} | {r.rss_mb:.0f} | {r.code} | {verdict_} |"
        )
    return "\n".join(lines)


def main() -> int:
    if not GENERATOR.is_file():
        print(f"skipped: {GENERATOR} is absent (the generated corpora come from ../shared/bench)")
        return 0
    sizes = [
        int(s)
        for s in os.environ.get("LITREVIEW_BENCH_SIZES", "10000,100000").split(",")
        if s.strip()
    ]
    if os.environ.get("LITREVIEW_BENCH_1M") == "1" and 1_000_000 not in sizes:
        sizes.append(1_000_000)
    keep = os.environ.get("LITREVIEW_BENCH_DIR")
    with tempfile.TemporaryDirectory(prefix="lr-bench-data-") as scratch:
        data = Path(keep) if keep else Path(scratch)
        data.mkdir(parents=True, exist_ok=True)
        load = os.getloadavg()
        print(
            f"whole-process timings; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on "
            f"{os.cpu_count()} cores; targets are the issue's, for 100k records"
        )
        for n in sizes:
            rows = run_size(n, data)
            print(table(n, rows), flush=True)
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
