"""Benchmark deduplication: speed, memory, precision and recall (a plain script, not a test).

    python benchmarks/bench_dedupe.py            # real set, synthetic 10k and 100k, bib-dedupe
    python benchmarks/bench_dedupe.py --full     # also 1M synthetic records, writing duplicates.yaml
    python benchmarks/bench_dedupe.py --sizes 10000 --no-peer

Each target is printed as MET or NOT MET; the exit status is 0 whenever the benchmark ran
(non-zero only on a crash), so ``make bench`` goes on to the next benchmark. bib-dedupe is
compared only when it is importable (``.venv/bin/pip install bib-dedupe``; it is not a
litreview dependency).

Synthetic corpora carry injected duplicates of known kinds (case, punctuation, diacritics,
truncated titles, initials vs full names, missing DOI, year +-1, abbreviated journals) and
injected look-alikes that must stay apart (conference vs journal version, erratum, part 2,
same title next year, preprint). The real set is ``../shared/data/dedup-wagner2021-digitalwork``
when it exists. Figures are reported in docs/benchmarks-dedupe.md.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from litreview.dedupe import DedupeResult, find_duplicates  # noqa: E402
from litreview.io.bibtex import fields_to_record  # noqa: E402
from litreview.model import Name, Record  # noqa: E402

REAL = ROOT.parent / "shared" / "data" / "dedup-wagner2021-digitalwork"

# --- synthetic data ----------------------------------------------------------------------------

_SYL = [
    "ba",
    "ko",
    "ri",
    "ta",
    "ne",
    "mu",
    "sa",
    "lo",
    "vi",
    "de",
    "ga",
    "pe",
    "zu",
    "hi",
    "fo",
    "ra",
    "mi",
    "to",
    "le",
    "na",
    "qu",
    "ex",
    "an",
    "or",
    "is",
    "um",
    "el",
    "ar",
    "in",
    "on",
]
_ACCENTED = [
    "Müller",
    "Gómez",
    "Dvořák",
    "Sørensen",
    "Łukasz",
    "Ångström",
    "Pérez",
    "Nuñez",
    "Çelik",
    "Öztürk",
]
_TITLE_ACCENTED = ["café", "naïve", "über", "résumé", "façade", "rôle", "coöperation", "élite"]


def _word(rng: random.Random, lo: int = 2, hi: int = 4) -> str:
    return "".join(rng.choice(_SYL) for _ in range(rng.randint(lo, hi)))


class Synth:
    def __init__(self, seed: int) -> None:
        self.rng = rng = random.Random(seed)
        self.vocab = sorted({_word(rng) for _ in range(20000)})
        self.surnames = sorted({_word(rng, 2, 3).capitalize() for _ in range(30000)}) + _ACCENTED
        self.firsts = sorted({_word(rng, 2, 3).capitalize() for _ in range(3000)})
        self.journals: list[tuple[str, str]] = []
        for _ in range(800):
            words = [_word(rng, 3, 4).capitalize() for _ in range(rng.randint(2, 4))]
            full = "Journal of " + " ".join(words)
            abbr = "J. " + " ".join(w[:4] + "." for w in words)
            self.journals.append((full, abbr))

    def work(self, i: int) -> Record:
        rng = self.rng
        words = [rng.choice(self.vocab) for _ in range(rng.randint(6, 14))]
        if rng.random() < 0.1:
            words[rng.randrange(len(words))] = rng.choice(_TITLE_ACCENTED)
        title = " ".join(words).capitalize()
        if rng.random() < 0.3:
            cut = rng.randint(3, len(words) - 2)
            title = " ".join(words[:cut]).capitalize() + ": " + " ".join(words[cut:])
        authors = tuple(
            Name(
                rng.choice(self.surnames),
                f"{rng.choice(self.firsts)} {rng.choice('ABCDEFGHJKLMNPRST')}.",
            )
            for _ in range(rng.randint(1, 5))
        )
        journal = rng.choice(self.journals)[0]
        start = rng.randint(1, 900)
        doi = f"10.{rng.randint(1000, 9999)}/s{i:08d}" if rng.random() < 0.8 else ""
        return Record(
            key=f"w{i:08d}",
            entry_type="article",
            title=title,
            authors=authors,
            year=rng.randint(1990, 2024),
            container=journal,
            volume=str(rng.randint(1, 60)),
            issue=str(rng.randint(1, 12)),
            pages=f"{start}-{start + rng.randint(5, 30)}",
            doi=doi,
        )

    def duplicate(self, r: Record, key: str, kinds: Sequence[str]) -> Record:
        from dataclasses import replace

        d = replace(r, key=key)
        for kind in kinds:
            if kind == "case":
                d = replace(
                    d, title=d.title.upper() if self.rng.random() < 0.5 else d.title.lower()
                )
            elif kind == "punctuation":
                d = replace(d, title=d.title.replace(":", " -").replace(" ", "  ", 1) + ".")
            elif kind == "diacritics":
                import unicodedata

                strip = "".join(
                    c
                    for c in unicodedata.normalize("NFKD", d.title)
                    if not unicodedata.combining(c)
                )
                d = replace(
                    d,
                    title=strip,
                    authors=tuple(
                        replace(
                            a,
                            last="".join(
                                c
                                for c in unicodedata.normalize("NFKD", a.last)
                                if not unicodedata.combining(c)
                            ),
                        )
                        for a in d.authors
                    ),
                )
            elif kind == "truncated":
                words = d.title.split()
                d = replace(d, title=" ".join(words[: max(5, int(len(words) * 0.7))]))
            elif kind == "initials":
                d = replace(
                    d,
                    authors=tuple(
                        replace(a, first=" ".join(w[0] + "." for w in a.first.split()))
                        for a in d.authors
                    ),
                )
            elif kind == "missing_doi":
                d = replace(d, doi="")
            elif kind == "year":
                d = replace(d, year=(d.year or 2000) + self.rng.choice((-1, 1)))
            elif kind == "abbreviated":
                full = d.container
                abbr = next((a for f, a in self.journals if f == full), full)
                d = replace(d, container=abbr)
        return d

    def lookalike(self, r: Record, key: str, kind: str) -> Record:
        from dataclasses import replace

        if kind == "conference":
            return replace(
                r,
                key=key,
                entry_type="inproceedings",
                container="Proceedings of the Conference on " + _word(self.rng),
                doi="",
                volume="",
                issue="",
                pages="",
            )
        if kind == "erratum":
            return replace(r, key=key, title="Erratum: " + r.title, doi="", pages="1")
        if kind == "part":
            return replace(r, key=key, title=r.title + ", part 2", doi="")
        if kind == "series":
            return replace(
                r,
                key=key,
                year=(r.year or 2000) + 2,
                doi="",
                volume=str(int(r.volume or 1) + 2),
                pages="1-20",
            )
        if kind == "preprint":
            return replace(
                r,
                key=key,
                entry_type="misc",
                container="arXiv",
                doi=f"10.48550/arxiv.{key}",
                volume="",
                pages="",
            )
        raise ValueError(kind)


DUP_KINDS = [
    "case",
    "punctuation",
    "diacritics",
    "truncated",
    "initials",
    "missing_doi",
    "year",
    "abbreviated",
]
LOOKALIKES = ["conference", "erratum", "part", "series", "preprint"]


def synthetic(
    n: int, seed: int = 7, dup_rate: float = 0.1, lookalike_rate: float = 0.01
) -> tuple[list[Record], dict[str, int]]:
    """``n`` records: works, their injected duplicates, and look-alikes; gold cluster per key."""
    s = Synth(seed)
    rng = s.rng
    records: list[Record] = []
    gold: dict[str, int] = {}
    i = 0
    while len(records) < n:
        w = s.work(i)
        records.append(w)
        gold[w.key] = i
        if rng.random() < dup_rate and len(records) < n:
            kinds = rng.sample(DUP_KINDS, rng.choice((1, 1, 2)))
            if "year" in kinds and "missing_doi" not in kinds:
                kinds.append("missing_doi")
            d = s.duplicate(w, f"d{i:08d}", kinds)
            records.append(d)
            gold[d.key] = i
        if rng.random() < lookalike_rate and len(records) < n:
            la = s.lookalike(w, f"l{i:08d}", rng.choice(LOOKALIKES))
            records.append(la)
            gold[la.key] = -1 - i  # its own work
        i += 1
    rng.shuffle(records)
    return records, gold


# --- scoring against gold ----------------------------------------------------------------------


def groups_of(result: DedupeResult) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in result.merges:
        out[m.survivor] = m.survivor
        for r in m.absorbed:
            out[r.key] = m.survivor
    return out


def evaluate(result: DedupeResult, gold: dict[str, int], keys: Iterable[str]) -> dict[str, float]:
    """Pair precision, false merges, and recall of removable duplicates."""
    group = groups_of(result)
    by_gold: defaultdict[int, list[str]] = defaultdict(list)
    for k in keys:
        by_gold[gold[k]].append(k)
    removable = sum(len(v) - 1 for v in by_gold.values())
    removed_ok = 0
    unsure_pairs = {(p.a, p.b) for p in result.unsure}
    in_queue = 0
    for members in by_gold.values():
        if len(members) < 2:
            continue
        found = {group.get(k, k) for k in members}
        removed_ok += len(members) - len(found)
        reps = sorted(found)
        for x in range(len(reps)):
            for y in range(x + 1, len(reps)):
                if (reps[x], reps[y]) in unsure_pairs:
                    in_queue += 1
    by_group: defaultdict[str, list[str]] = defaultdict(list)
    for k, g in group.items():
        by_group[g].append(k)
    merged_pairs = false_pairs = 0
    for members in by_group.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                merged_pairs += 1
                if gold[members[x]] != gold[members[y]]:
                    false_pairs += 1
    return {
        "removable": removable,
        "recall": removed_ok / removable if removable else 1.0,
        "recall_with_queue": (removed_ok + in_queue) / removable if removable else 1.0,
        "precision": (merged_pairs - false_pairs) / merged_pairs if merged_pairs else 1.0,
        "false_merges": false_pairs,
        "unsure": len(result.unsure),
    }


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


class Targets:
    """Each target checked: printed as MET / NOT MET at the end; the exit status stays 0."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, bool]] = []

    def check(self, name: str, measured: str, ok: bool) -> None:
        self.rows.append((name, measured, ok))
        print(f"  target {name}: {measured} -> {'MET' if ok else 'NOT MET'}", flush=True)

    def summary(self) -> None:
        if not self.rows:
            return
        print("\ntargets:")
        for name, measured, ok in self.rows:
            print(f"  {'MET    ' if ok else 'NOT MET'}  {name}: {measured}")


def write_duplicates_file(result: DedupeResult, folder: Path) -> tuple[float, float, int, str]:
    """Write ``duplicates.yaml`` and ``absorbed.bib`` for this result as ``dedupe_project`` does;
    (wall, CPU, bytes of both, split)."""
    from litreview.dedupe import DuplicatesFile, StoredMerge, format_duplicates
    from litreview.dedupe.store import absorbed_path, format_absorbed, unsure_entries
    from litreview.files.journal import Change

    t, c = time.perf_counter(), time.process_time()
    data = DuplicatesFile(
        (), tuple(StoredMerge.from_merge(m) for m in result.merges), unsure_entries(result.unsure)
    )
    t1 = time.perf_counter()
    path = folder / "duplicates.yaml"
    change = Change(folder)  # what save_duplicates writes, as one journalled change
    change.write(path, format_duplicates(data))
    change.write(absorbed_path(path), format_absorbed(data.merges))
    t2 = time.perf_counter()
    change.commit()
    t3 = time.perf_counter()
    split = (
        f"entries as BibTeX {t1 - t:.2f} s, texts {t2 - t1:.2f} s, journalled write {t3 - t2:.2f} s"
    )
    return (
        t3 - t,
        time.process_time() - c,
        path.stat().st_size + absorbed_path(path).stat().st_size,
        split,
    )


def run_synthetic(n: int, targets: Targets, write_file: bool = False) -> None:
    t0 = time.perf_counter()
    records, gold = synthetic(n)
    gen = time.perf_counter() - t0
    gc.collect()
    load = load_average()
    t1, c1 = time.perf_counter(), time.process_time()
    result = find_duplicates(records)
    took, cpu = time.perf_counter() - t1, time.process_time() - c1
    ev = evaluate(result, gold, (r.key for r in records))
    print(
        f"synthetic {n:>9,}: dedupe {took:6.2f} s wall, {cpu:6.2f} s CPU (generate {gen:.1f} s; load average {load}), "
        f"maxrss {maxrss_mb():,.0f} MB, candidate pairs {result.candidate_pairs:,}, scored {result.scored_pairs:,}, "
        f"merged {result.merged:,}; precision {ev['precision']:.4f}, false merges {ev['false_merges']}, "
        f"recall {ev['recall']:.4f} (with unsure queue {ev['recall_with_queue']:.4f}), unsure {ev['unsure']:,}",
        flush=True,
    )
    total, total_cpu = took, cpu
    if write_file:
        with tempfile.TemporaryDirectory() as tmp:
            w, wc, size, split = write_duplicates_file(result, Path(tmp))
        total, total_cpu = took + w, cpu + wc
        print(
            f"    + writing duplicates.yaml and absorbed.bib ({len(result.merges):,} merges, {size / 1e6:,.1f} MB): {w:.2f} s wall, "
            f"{wc:.2f} s CPU ({split}); dedupe + file {total:.2f} s wall, {total_cpu:.2f} s CPU; maxrss {maxrss_mb():,.0f} MB",
            flush=True,
        )
    targets.check(
        f"synthetic {n:,}: zero false merges", str(ev["false_merges"]), ev["false_merges"] == 0
    )
    targets.check(f"synthetic {n:,}: recall >= 0.99", f"{ev['recall']:.4f}", ev["recall"] >= 0.99)
    limit = {100_000: 5.0, 1_000_000: 60.0}.get(n)
    if limit is not None:
        what = "dedupe + duplicates.yaml" if write_file else "dedupe"
        targets.check(
            f"synthetic {n:,}: {what} <= {limit:.0f} s",
            f"{total:.2f} s wall, {total_cpu:.2f} s CPU (load average {load})",
            total <= limit,
        )
    if n >= 1_000_000:
        targets.check(
            f"synthetic {n:,}: memory <= 4 GB", f"maxrss {maxrss_mb():,.0f} MB", maxrss_mb() <= 4096
        )


# --- the real set ------------------------------------------------------------------------------


def load_real() -> tuple[list[Record], dict[str, int]]:
    records: list[Record] = []
    with (REAL / "records_pre_merged.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            fields = {
                k: v
                for k, v in row.items()
                if k not in ("ID", "ENTRYTYPE", "ID_old") and v and v != "UNKNOWN"
            }
            records.append(fields_to_record(row["ENTRYTYPE"].lower(), row["ID"], fields, None))
    gold = {r.key: i for i, r in enumerate(records)}
    with (REAL / "merged_record_ids.csv").open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            for k in row["merged_ids"].split(";"):
                gold[k.strip()] = 10**7 + n
    return records, gold


def run_real(targets: Targets) -> tuple[float, dict[str, float]] | None:
    if not REAL.is_dir():
        print(f"real set: skipped, {REAL} is absent")
        return None
    records, gold = load_real()
    t, c = time.perf_counter(), time.process_time()
    result = find_duplicates(records)
    took, cpu = time.perf_counter() - t, time.process_time() - c
    ev = evaluate(result, gold, (r.key for r in records))
    print(
        f"real wagner2021 {len(records):,} records: {took:.2f} s wall, {cpu:.2f} s CPU; false merges {ev['false_merges']}, "
        f"precision {ev['precision']:.4f}, recall of removable duplicates {ev['recall']:.4f} "
        f"({ev['removable']} removable; with unsure queue {ev['recall_with_queue']:.4f}), unsure queue {ev['unsure']}",
        flush=True,
    )
    targets.check("real set: zero false merges", str(ev["false_merges"]), ev["false_merges"] == 0)
    targets.check("real set: recall >= 0.97", f"{ev['recall']:.4f}", ev["recall"] >= 0.97)
    if os.environ.get("BENCH_VERBOSE"):
        by_key = {r.key: r for r in records}
        group = groups_of(result)
        for m in result.merges:
            ks = [m.survivor, *[r.key for r in m.absorbed]]
            if len({gold[k] for k in ks}) > 1:
                print("FALSE MERGE", m.reason)
                for k in ks:
                    r = by_key[k]
                    print(
                        "   ",
                        k,
                        r.entry_type,
                        r.year,
                        r.doi,
                        "|",
                        r.title[:90],
                        "|",
                        r.container[:40],
                    )
        by_gold: defaultdict[int, list[str]] = defaultdict(list)
        for k in by_key:
            by_gold[gold[k]].append(k)
        for members in by_gold.values():
            if len(members) > 1 and len({group.get(k, k) for k in members}) > 1:
                print("MISSED")
                for k in sorted(members):
                    r = by_key[k]
                    print(
                        "   ",
                        k,
                        group.get(k, "-"),
                        r.entry_type,
                        r.year,
                        r.doi,
                        r.volume,
                        r.pages,
                        "|",
                        r.title[:80],
                        "|",
                        r.container[:40],
                        "|",
                        r.first_author,
                    )
    return took, ev


# --- bib-dedupe --------------------------------------------------------------------------------
# bib-dedupe is not a dependency of litreview: install it into the venv to compare
# (`.venv/bin/pip install bib-dedupe`); without it this part is skipped with a message.


def peer_frame(records: Sequence[Record]) -> Any:
    """Our records as the pandas frame bib-dedupe reads (its documented field names)."""
    import pandas as pd

    rows = []
    for r in records:
        journal = r.container if r.entry_type == "article" else ""
        rows.append(
            {
                "ID": r.key,
                "ENTRYTYPE": r.entry_type,
                "title": r.title,
                "author": " and ".join(
                    f"{a.full_last}, {a.first}" if a.first else a.full_last for a in r.authors
                ),
                "year": "" if r.year is None else str(r.year),
                "journal": journal,
                "booktitle": "" if journal else r.container,
                "volume": r.volume,
                "number": r.issue,
                "pages": r.pages.replace("-", "--"),
                "doi": r.doi,
                "abstract": r.abstract,
            }
        )
    return pd.DataFrame(rows)


def run_bib_dedupe(frame: Any) -> tuple[list[list[str]], int, float, float]:
    """prep -> block -> match -> cluster, as bib-dedupe documents; (clusters, maybe pairs, wall, CPU)."""
    from bib_dedupe.bib_dedupe import block, cluster, match, prep

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    t, c = time.perf_counter(), time.process_time()
    prepared = prep(frame, verbosity_level=0)
    pairs = block(prepared, verbosity_level=0)
    matched = match(pairs, verbosity_level=0)
    clusters = cluster(matched, verbosity_level=0)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += (after.ru_utime + after.ru_stime) - (
        children.ru_utime + children.ru_stime
    )  # its worker processes
    maybe = int((matched["duplicate_label"] == "maybe").sum()) if len(matched) else 0
    return [sorted(map(str, c)) for c in clusters], maybe, wall, cpu


def _as_result(records: Sequence[Record], clusters: list[list[str]]) -> DedupeResult:
    from litreview.dedupe import Merge

    by_key = {r.key: r for r in records}
    merges = []
    for c in clusters:
        members = sorted(k for k in c if k in by_key)
        if len(members) > 1:
            first = by_key[members[0]]
            merges.append(
                Merge(members[0], first, tuple(by_key[k] for k in members[1:]), first, ())
            )
    return DedupeResult((), tuple(merges), (), len(records), 0, 0)


def run_peer(targets: Targets, synthetic_size: int) -> None:
    try:
        import bib_dedupe  # noqa: F401
    except ImportError:
        print(
            "bib-dedupe: skipped, not importable here (it is not a litreview dependency; "
            "`.venv/bin/pip install bib-dedupe` to compare)"
        )
        return
    from importlib.metadata import version

    import pandas as pd

    sets: list[tuple[str, list[Record], dict[str, int], Any]] = []
    if REAL.is_dir():
        records, gold = load_real()
        # bib-dedupe reads the set's own CSV, as in its own benchmark; we read the same file
        frame = pd.read_csv(REAL / "records_pre_merged.csv", dtype=str).fillna("")
        sets.append((f"real wagner2021 ({len(records):,} records)", records, gold, frame))
    else:
        print(f"bib-dedupe: real set absent ({REAL}); comparing on synthetic data only")
    if synthetic_size:
        records, gold = synthetic(synthetic_size)
        sets.append((f"synthetic {synthetic_size:,}", records, gold, peer_frame(records)))
    for name, records, gold, frame in sets:
        load = load_average()
        clusters, maybe, wall, cpu = run_bib_dedupe(frame)
        t, c = time.perf_counter(), time.process_time()
        ours = find_duplicates(records)
        our_wall, our_cpu = time.perf_counter() - t, time.process_time() - c
        ev_p = evaluate(_as_result(records, clusters), gold, (r.key for r in records))
        ev_o = evaluate(ours, gold, (r.key for r in records))
        ratio = wall / our_wall if our_wall else float("inf")
        print(f"{name}, load average {load}:")
        print(
            f"  bib-dedupe {version('bib-dedupe')}: {wall:7.2f} s wall, {cpu:7.2f} s CPU (incl. its worker processes); "
            f"precision {ev_p['precision']:.4f}, false merges {ev_p['false_merges']}, recall {ev_p['recall']:.4f}, "
            f"'maybe' pairs {maybe:,}"
        )
        print(
            f"  litreview:        {our_wall:7.2f} s wall, {our_cpu:7.2f} s CPU; "
            f"precision {ev_o['precision']:.4f}, false merges {ev_o['false_merges']}, recall {ev_o['recall']:.4f}, "
            f"unsure pairs {ev_o['unsure']:,}"
        )
        print(
            f"  speed ratio (wall) {ratio:,.0f}x; CPU ratio {cpu / our_cpu if our_cpu else float('inf'):,.0f}x",
            flush=True,
        )
        targets.check(f"{name}: >= 50x faster than bib-dedupe", f"{ratio:,.0f}x", ratio >= 50)
        targets.check(
            f"{name}: precision and recall >= bib-dedupe's",
            f"{ev_o['precision']:.4f}/{ev_o['recall']:.4f} vs {ev_p['precision']:.4f}/{ev_p['recall']:.4f}",
            ev_o["precision"] >= ev_p["precision"] and ev_o["recall"] >= ev_p["recall"],
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument(
        "--full", action="store_true", help="also run 1M records (with writing duplicates.yaml)"
    )
    ap.add_argument(
        "--sizes", type=int, nargs="*", default=None, help="synthetic sizes (default 10k 100k)"
    )
    ap.add_argument("--no-peer", action="store_true", help="skip bib-dedupe")
    ap.add_argument("--no-real", action="store_true", help="skip the real set")
    ap.add_argument(
        "--peer-size",
        type=int,
        default=0,
        help="also compare with bib-dedupe on this many synthetic records (default: real set only)",
    )
    ap.add_argument(
        "--write-file", action="store_true", help="also time writing duplicates.yaml at every size"
    )
    args = ap.parse_args(argv)
    sizes = (
        args.sizes
        if args.sizes is not None
        else [10_000, 100_000] + ([1_000_000] if args.full else [])
    )
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load average {load_average()}",
        flush=True,
    )
    targets = Targets()
    if not args.no_real:
        run_real(targets)
    for n in sizes:
        run_synthetic(n, targets, write_file=args.write_file or n >= 1_000_000)
    if not args.no_peer:
        run_peer(targets, args.peer_size)
    targets.summary()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
