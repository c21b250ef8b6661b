"""Benchmark deduplication: speed, memory, precision and recall (a plain script, not a test).

    python benchmarks/bench_dedupe.py            # synthetic 10k and 100k, real set, bib-dedupe
    python benchmarks/bench_dedupe.py --full     # also 1M synthetic records
    python benchmarks/bench_dedupe.py --sizes 10000 --no-peer

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
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from litreview.dedupe import DedupeResult, find_duplicates  # noqa: E402
from litreview.io.bibtex import fields_to_record  # noqa: E402
from litreview.model import Name, Record  # noqa: E402

REAL = ROOT.parent / "shared" / "data" / "dedup-wagner2021-digitalwork"

# --- synthetic data ----------------------------------------------------------------------------

_SYL = ["ba", "ko", "ri", "ta", "ne", "mu", "sa", "lo", "vi", "de", "ga", "pe", "zu", "hi", "fo",
        "ra", "mi", "to", "le", "na", "qu", "ex", "an", "or", "is", "um", "el", "ar", "in", "on"]
_ACCENTED = ["Müller", "Gómez", "Dvořák", "Sørensen", "Łukasz", "Ångström", "Pérez", "Nuñez", "Çelik", "Öztürk"]
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
        authors = tuple(Name(rng.choice(self.surnames), f"{rng.choice(self.firsts)} {rng.choice('ABCDEFGHJKLMNPRST')}.")
                        for _ in range(rng.randint(1, 5)))
        journal = rng.choice(self.journals)[0]
        start = rng.randint(1, 900)
        doi = f"10.{rng.randint(1000, 9999)}/s{i:08d}" if rng.random() < 0.8 else ""
        return Record(key=f"w{i:08d}", entry_type="article", title=title, authors=authors,
                      year=rng.randint(1990, 2024), container=journal, volume=str(rng.randint(1, 60)),
                      issue=str(rng.randint(1, 12)), pages=f"{start}-{start + rng.randint(5, 30)}", doi=doi)

    def duplicate(self, r: Record, key: str, kinds: Sequence[str]) -> Record:
        from dataclasses import replace

        d = replace(r, key=key)
        for kind in kinds:
            if kind == "case":
                d = replace(d, title=d.title.upper() if self.rng.random() < 0.5 else d.title.lower())
            elif kind == "punctuation":
                d = replace(d, title=d.title.replace(":", " -").replace(" ", "  ", 1) + ".")
            elif kind == "diacritics":
                import unicodedata

                strip = "".join(c for c in unicodedata.normalize("NFKD", d.title) if not unicodedata.combining(c))
                d = replace(d, title=strip, authors=tuple(
                    replace(a, last="".join(c for c in unicodedata.normalize("NFKD", a.last) if not unicodedata.combining(c)))
                    for a in d.authors))
            elif kind == "truncated":
                words = d.title.split()
                d = replace(d, title=" ".join(words[: max(5, int(len(words) * 0.7))]))
            elif kind == "initials":
                d = replace(d, authors=tuple(replace(a, first=" ".join(w[0] + "." for w in a.first.split())) for a in d.authors))
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
            return replace(r, key=key, entry_type="inproceedings", container="Proceedings of the Conference on " + _word(self.rng),
                           doi="", volume="", issue="", pages="")
        if kind == "erratum":
            return replace(r, key=key, title="Erratum: " + r.title, doi="", pages="1")
        if kind == "part":
            return replace(r, key=key, title=r.title + ", part 2", doi="")
        if kind == "series":
            return replace(r, key=key, year=(r.year or 2000) + 2, doi="", volume=str(int(r.volume or 1) + 2), pages="1-20")
        if kind == "preprint":
            return replace(r, key=key, entry_type="misc", container="arXiv", doi=f"10.48550/arxiv.{key}", volume="", pages="")
        raise ValueError(kind)


DUP_KINDS = ["case", "punctuation", "diacritics", "truncated", "initials", "missing_doi", "year", "abbreviated"]
LOOKALIKES = ["conference", "erratum", "part", "series", "preprint"]


def synthetic(n: int, seed: int = 7, dup_rate: float = 0.1, lookalike_rate: float = 0.01) -> tuple[list[Record], dict[str, int]]:
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


def run_synthetic(n: int) -> None:
    t0 = time.perf_counter()
    records, gold = synthetic(n)
    gen = time.perf_counter() - t0
    gc.collect()
    t1 = time.perf_counter()
    result = find_duplicates(records)
    took = time.perf_counter() - t1
    ev = evaluate(result, gold, (r.key for r in records))
    print(f"synthetic {n:>8,}: dedupe {took:6.2f} s (generate {gen:.1f} s), maxrss {maxrss_mb():,.0f} MB, "
          f"candidate pairs {result.candidate_pairs:,}, scored {result.scored_pairs:,}, "
          f"merged {result.merged:,}; precision {ev['precision']:.4f}, false merges {ev['false_merges']}, "
          f"recall {ev['recall']:.4f} (with unsure queue {ev['recall_with_queue']:.4f}), unsure {ev['unsure']:,}",
          flush=True)


# --- the real set ------------------------------------------------------------------------------

def load_real() -> tuple[list[Record], dict[str, int]]:
    records: list[Record] = []
    with (REAL / "records_pre_merged.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            fields = {k: v for k, v in row.items() if k not in ("ID", "ENTRYTYPE", "ID_old") and v and v != "UNKNOWN"}
            records.append(fields_to_record(row["ENTRYTYPE"].lower(), row["ID"], fields, None))
    gold = {r.key: i for i, r in enumerate(records)}
    with (REAL / "merged_record_ids.csv").open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            for k in row["merged_ids"].split(";"):
                gold[k.strip()] = 10**7 + n
    return records, gold


def run_real() -> None:
    if not REAL.is_dir():
        print(f"real set: skipped, {REAL} is absent")
        return
    records, gold = load_real()
    t = time.perf_counter()
    result = find_duplicates(records)
    took = time.perf_counter() - t
    ev = evaluate(result, gold, (r.key for r in records))
    print(f"real wagner2021 {len(records):,} records: {took:.2f} s; false merges {ev['false_merges']}, "
          f"precision {ev['precision']:.4f}, recall of removable duplicates {ev['recall']:.4f} "
          f"({ev['removable']} removable; with unsure queue {ev['recall_with_queue']:.4f}), unsure queue {ev['unsure']}")
    if os.environ.get("BENCH_VERBOSE"):
        by_key = {r.key: r for r in records}
        group = groups_of(result)
        for m in result.merges:
            ks = [m.survivor, *[r.key for r in m.absorbed]]
            if len({gold[k] for k in ks}) > 1:
                print("FALSE MERGE", m.reason)
                for k in ks:
                    r = by_key[k]
                    print("   ", k, r.entry_type, r.year, r.doi, "|", r.title[:90], "|", r.container[:40])
        by_gold: defaultdict[int, list[str]] = defaultdict(list)
        for k in by_key:
            by_gold[gold[k]].append(k)
        for members in by_gold.values():
            if len(members) > 1 and len({group.get(k, k) for k in members}) > 1:
                print("MISSED")
                for k in sorted(members):
                    r = by_key[k]
                    print("   ", k, group.get(k, "-"), r.entry_type, r.year, r.doi, r.volume, r.pages, "|",
                          r.title[:80], "|", r.container[:40], "|", r.first_author)


# --- bib-dedupe --------------------------------------------------------------------------------

PEER_SCRIPT = r"""
import sys, time, json
import pandas as pd
from bib_dedupe.bib_dedupe import prep, block, match, cluster
df = pd.read_csv(sys.argv[1], dtype=str).fillna("")
t = time.perf_counter()
records_df = prep(df)
blocked = block(records_df)
matched = match(blocked)
dups = cluster(matched.get("duplicate_label", matched) if isinstance(matched, dict) else matched)
took = time.perf_counter() - t
print(json.dumps({"seconds": took, "clusters": [sorted(map(str, c)) for c in dups]}))
"""


def write_peer_csv(records: Sequence[Record], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["ID", "ENTRYTYPE", "title", "author", "year", "journal", "booktitle", "volume", "number", "pages", "doi", "abstract"])
        for r in records:
            w.writerow([r.key, r.entry_type, r.title, " and ".join(a.bibtex() for a in r.authors),
                        "" if r.year is None else r.year, r.container if r.entry_type == "article" else "",
                        r.container if r.entry_type != "article" else "", r.volume, r.issue, r.pages, r.doi, ""])


def run_peer(n: int) -> None:
    venv = Path(tempfile.gettempdir()) / "litreview-bench-bibdedupe"
    py = venv / "bin" / "python"
    if not py.exists():
        print(f"bib-dedupe: creating a separate venv in {venv} (not the project venv) ...", flush=True)
        made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
        if made.returncode != 0:
            print(f"bib-dedupe: skipped, cannot create a venv: {made.stderr.strip()[-300:]}")
            return
        inst = subprocess.run([str(py), "-m", "pip", "install", "--quiet", "bib-dedupe"], capture_output=True, text=True,
                              timeout=900)
        if inst.returncode != 0:
            print(f"bib-dedupe: skipped, pip install failed: {inst.stderr.strip()[-500:]}")
            shutil.rmtree(venv, ignore_errors=True)
            return
    records, gold = synthetic(n)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "records.csv"
        write_peer_csv(records, data)
        script = Path(tmp) / "peer.py"
        script.write_text(PEER_SCRIPT)
        t = time.perf_counter()
        try:
            proc = subprocess.run([str(py), str(script), str(data)], capture_output=True, text=True, timeout=900)
        except subprocess.TimeoutExpired:
            print("bib-dedupe: did not finish in 15 minutes")
            return
        wall = time.perf_counter() - t
    if proc.returncode != 0:
        print(f"bib-dedupe: failed to run: {proc.stderr.strip()[-800:]}")
        return
    import json

    out = json.loads(proc.stdout.strip().splitlines()[-1])
    t0 = time.perf_counter()
    ours = find_duplicates(records)
    our_time = time.perf_counter() - t0
    # score bib-dedupe's clusters with the same evaluation
    from litreview.dedupe import Merge

    merges = []
    by_key = {r.key: r for r in records}
    for c in out["clusters"]:
        if len(c) > 1:
            members = sorted(c)
            merges.append(Merge(members[0], by_key[members[0]], tuple(by_key[k] for k in members[1:]), by_key[members[0]], ()))
    peer = DedupeResult((), tuple(merges), (), len(records), 0, 0)
    ev_p = evaluate(peer, gold, by_key)
    ev_o = evaluate(ours, gold, by_key)
    print(f"bib-dedupe on synthetic {n:,}: {out['seconds']:.1f} s (wall {wall:.1f} s), precision {ev_p['precision']:.4f}, "
          f"false merges {ev_p['false_merges']}, recall {ev_p['recall']:.4f}")
    print(f"litreview on the same:   {our_time:.2f} s, precision {ev_o['precision']:.4f}, "
          f"false merges {ev_o['false_merges']}, recall {ev_o['recall']:.4f}; speed ratio {out['seconds'] / our_time:.0f}x")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="also run 1M records")
    ap.add_argument("--sizes", type=int, nargs="*", default=None, help="synthetic sizes (default 10k 100k)")
    ap.add_argument("--no-peer", action="store_true", help="skip bib-dedupe")
    ap.add_argument("--no-real", action="store_true", help="skip the real set")
    ap.add_argument("--peer-size", type=int, default=5000)
    args = ap.parse_args(argv)
    sizes = args.sizes if args.sizes is not None else [10_000, 100_000] + ([1_000_000] if args.full else [])
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus")
    if not args.no_real:
        run_real()
    for n in sizes:
        run_synthetic(n)
    if not args.no_peer:
        run_peer(args.peer_size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
