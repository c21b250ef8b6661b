"""WSS@95 of litreview's ranked queue against ASReview's default model on public labelled sets.

The data are not in the repository: point ``LITREVIEW_SCREEN_SETS`` at a folder of CSV files
with ``record_id``, ``title``, ``abstract`` and ``label_included`` columns (ASReview's older
benchmark collection, github.com/asreview/systematic-review-datasets, ``datasets/*/output``
has this shape). Files under a ``heldback/`` subfolder are kept for independent evaluation and
are only read with ``--heldback`` (once, at the end; never to tune or choose a model). Files
under ``extra/`` are more tuning sets, named ``extra/NAME`` in ``--sets``; ``--sets all`` runs
every tuning set found.

For each set and seed both tools start from the same prior records (one include and one
exclude drawn by ``random.Random(seed)`` from the set's records in key order), see title and
abstract only, and screen until 95% of the includes are found (ASReview stops there; litreview
replays every record); WSS@95 is computed from each tool's
order by the same function (:func:`litreview.screen.rank.wss`). litreview's side is the
``screen simulate`` command a user runs (the set imported as a CSV of id, title and abstract
into a new review, then ``--no-rules --prior ID --prior ID --json``); ``--engine`` runs the
same replay inside this process instead, quicker for trying a change. ASReview runs its default model
(``get_ai_config()``: ELAS u4 in 3.x) retraining after every label, as its ``simulate`` does;
litreview retrains in growing batches (:func:`litreview.screen.rank.batch_size`).

Skips (exit 0 with a message) when the folder or asreview is missing.

    LITREVIEW_SCREEN_SETS=/work/evaldata/screening python benchmarks/bench_rank.py
    python benchmarks/bench_rank.py --sets Cohen_NSAIDS,Cohen_Estrogens --seeds 0,1,2
    python benchmarks/bench_rank.py --heldback        # only the held-back sets, once
    python benchmarks/bench_rank.py --asreview-cache /tmp/asr.json   # reuse ASReview's orders
    python benchmarks/bench_rank.py --engine          # the replay engine, not the command
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from litreview.model import Record  # noqa: E402
from litreview.screen.rank import build_features, replay, wss  # noqa: E402

#: the smaller sets by default so that `make bench` stays minutes, not hours
DEFAULT_SETS = (
    "Cohen_Antihistamines",
    "Cohen_UrinaryIncontinence",
    "Cohen_Estrogens",
    "Cohen_NSAIDS",
    "Cohen_OralHypoglycemics",
    "Cohen_Triptans",
)
HELD_BACK = (
    "Nagtegaal_2019",
    "Bannach-Brown_2019",
    "Kitchenham_2010",
    "Donners_2021",
    "Cohen_ADHD",
)


def load_set(path: Path) -> tuple[list[Record], dict[str, int], int]:
    """Records (title and abstract only) keyed ``r<record_id>`` zero-padded, their labels, and
    how many rows were left out for having no title: litreview's import rejects such a row
    (nothing would identify the work; it goes to the rejects file), so neither tool is given it
    and both screen the same records."""
    csv.field_size_limit(10**8)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    width = len(str(len(rows)))
    records, labels = [], {}
    untitled = 0
    for i, row in enumerate(rows):
        if not (row.get("title") or "").strip():
            untitled += 1
            continue
        rid = (row.get("record_id") or str(i)).strip()
        key = f"r{rid.zfill(width)}"
        records.append(
            Record(key=key, title=row.get("title") or "", abstract=row.get("abstract") or "")
        )
        labels[key] = 1 if (row.get("label_included") or "0").strip() in ("1", "1.0") else 0
    return records, labels, untitled


def priors(labels: dict[str, int], seed: int) -> list[str]:
    rng = random.Random(seed)
    keys = sorted(labels)
    inc = [k for k in keys if labels[k]]
    exc = [k for k in keys if not labels[k]]
    return [rng.choice(inc), rng.choice(exc)]


def run_ours(
    records: list[Record], labels: dict[str, int], prior: list[str]
) -> tuple[list[str], float]:
    t = time.perf_counter()
    features = build_features(records)
    done = replay(features, labels, sorted(labels), prior)
    return list(done.order), time.perf_counter() - t


def run_command(
    records: list[Record], labels: dict[str, int], prior: list[str]
) -> tuple[float | None, float, int]:
    """``litreview screen simulate`` itself, as a user runs it: the set imported as a CSV of
    id, title and abstract into a new review, then the replay from the same prior records
    (``--prior``, by the ids the CSV was imported with). Returns WSS@95, the wall seconds of the
    simulate process, and how many records it replayed (every one of the set, or a record was
    lost on the way)."""
    import json
    import shutil
    import subprocess
    import tempfile

    from bench_commands import litreview  # this folder's script: how to run the installed CLI

    cli = litreview()
    with tempfile.TemporaryDirectory(prefix="bench-rank-review-") as tmp:
        review = Path(tmp)
        shutil.copy(ROOT / "review.yaml", review / "review.yaml")
        (review / "corpus").mkdir()
        with (review / "set.csv").open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(["id", "title", "abstract"])
            out.writerows([r.key, r.title, r.abstract] for r in records)
        with (review / "labels.csv").open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(["id", "label"])
            out.writerows(sorted(labels.items()))
        imported = subprocess.run(
            [*cli, "-q", "import", "set.csv", "--source", "bench"],
            cwd=review,
            capture_output=True,
            text=True,
            check=False,
        )
        if imported.returncode not in (0, 1):  # 1 only warns (records without a year or authors)
            raise SystemExit(f"import failed ({imported.returncode}):\n{imported.stderr}")
        priors_args = [a for k in prior for a in ("--prior", k)]
        t = time.perf_counter()
        done = subprocess.run(
            [
                *cli,
                "screen",
                "simulate",
                "--labels",
                "labels.csv",
                "--no-rules",
                "--json",
                *priors_args,
            ],
            cwd=review,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - t
        if done.returncode != 0:
            raise SystemExit(f"screen simulate failed ({done.returncode}):\n{done.stderr}")
        data = json.loads(done.stdout)
    return data["wss95"], seconds, data["records"]


def run_asreview(
    records: list[Record], labels: dict[str, int], prior: list[str]
) -> tuple[list[str], float]:
    import pandas as pd
    from asreview import ActiveLearningCycle
    from asreview.models.models import get_ai_config
    from asreview.models.queriers import TopDown
    from asreview.models.stoppers import IsFittable
    from asreview.simulation.simulate import Simulate

    t = time.perf_counter()
    keys = [r.key for r in records]
    df = pd.DataFrame(
        {"title": [r.title for r in records], "abstract": [r.abstract for r in records]}
    )
    y = [labels[k] for k in keys]
    cycles = [
        ActiveLearningCycle(querier=TopDown(), stopper=IsFittable()),
        ActiveLearningCycle.from_meta(get_ai_config()["value"]),
    ]
    sim = Simulate(df, y, cycles, print_progress=False, stopper=_AtRecall(0.95))
    where = {k: i for i, k in enumerate(keys)}
    sim.label([where[k] for k in prior])
    sim.review()
    order = [keys[int(i)] for i in sim._results["record_id"]]
    seen = set(order)
    order += [
        k for k in keys if k not in seen
    ]  # stopped at 95% of the includes: the rest in any order (WSS@95 is read before them)
    return order, time.perf_counter() - t


class _AtRecall:
    """Stops ASReview's replay once ``recall`` of the includes are found: WSS@95 needs no more,
    and the last includes of a large set can take ASReview most of an hour to reach."""

    def __init__(self, recall: float) -> None:
        self.recall = recall

    def stop(self, results: Any, data: Any) -> bool:
        found, total = int(sum(results["label"])), int(sum(data))
        return len(results) >= len(data) or found >= math.ceil(self.recall * total - 1e-9)


def asreview_cached(
    cache: Path | None,
    name: str,
    path: Path,
    version: str,
    seed: int,
    records: list[Record],
    labels: dict[str, int],
    prior: list[str],
    untitled: int = 0,
) -> tuple[list[str], float]:
    """ASReview's order, from ``cache`` when it holds this set (by content), version and seed:
    its figures do not depend on litreview's model, so tuning runs need not recompute them.
    ``untitled``: rows :func:`load_set` left out (then the records are not the file's)."""
    import hashlib
    import json

    tag = f"{name}:{hashlib.sha256(path.read_bytes()).hexdigest()[:16]}:{version}:{seed}"
    if untitled:
        tag += f":without-{untitled}-untitled"
    store: dict[str, Any] = json.loads(cache.read_text()) if cache and cache.exists() else {}
    if tag in store:
        return list(store[tag]["order"]), float(store[tag]["seconds"])
    order, seconds = run_asreview(records, labels, prior)
    if cache:
        store = json.loads(cache.read_text()) if cache.exists() else {}
        store[tag] = {"order": order, "seconds": seconds}
        cache.write_text(json.dumps(store))
    return order, seconds


def speed(n: int) -> None:
    """Time the ranking of ``n`` synthetic records (titles and ~150-word abstracts drawn from a
    20,000-word vocabulary) with 100 labels: features once, then one retraining and scoring."""
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(20000)]
    weights = [1.0 / (i + 1) for i in range(len(vocab))]  # Zipf-like, as words in text are

    def text(k: int) -> str:
        return " ".join(rng.choices(vocab, weights, k=k))

    records = [Record(key=f"k{i:06d}", title=text(12), abstract=text(150)) for i in range(n)]
    t = time.perf_counter()
    features = build_features(records)
    t_feat = time.perf_counter() - t
    labels = {r.key: int(i % 10 == 0) for i, r in enumerate(records[:100])}
    t = time.perf_counter()
    from litreview.screen.rank import rank

    ranking = rank(features, labels, [r.key for r in records[100:]])
    t_rank = time.perf_counter() - t
    print(
        f"speed: {n} records, vocabulary {len(features.vocabulary)}: features {t_feat:.1f} s, "
        f"fit on 100 labels + rank {len(ranking.order)} records {t_rank:.1f} s (shared machine)"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--sets", default=",".join(DEFAULT_SETS), help="comma-separated set names (file stems)"
    )
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument(
        "--heldback", action="store_true", help="run the held-back sets (once, at the end)"
    )
    ap.add_argument("--no-asreview", action="store_true", help="only litreview's figures")
    ap.add_argument(
        "--engine",
        action="store_true",
        help="litreview's figures from the replay engine inside this process (quicker, for "
        "trying a change) instead of the screen simulate command",
    )
    ap.add_argument(
        "--asreview-cache",
        type=Path,
        metavar="FILE",
        help="keep ASReview's orders in FILE (JSON) and reuse them (by set content, version, seed)",
    )
    ap.add_argument(
        "--speed", type=int, default=0, metavar="N", help="only time ranking N synthetic records"
    )
    args = ap.parse_args(argv)
    if args.speed:
        speed(args.speed)
        return 0
    folder = os.environ.get("LITREVIEW_SCREEN_SETS")
    if not folder or not Path(folder).is_dir():
        print(
            "skipped: set LITREVIEW_SCREEN_SETS to a folder of labelled CSV sets (see the docstring)"
        )
        return 0
    base = Path(folder) / "heldback" if args.heldback else Path(folder)
    if args.heldback:
        names = [p.stem for p in sorted(base.glob("*.csv"))]
    elif args.sets == "all":
        found = [*sorted(base.glob("*.csv")), *sorted(base.glob("extra/*.csv"))]
        names = [p.relative_to(base).with_suffix("").as_posix() for p in found]
    else:
        names = args.sets.split(",")
    if not args.heldback and any(n in HELD_BACK for n in names):
        print(
            f"refused: {', '.join(n for n in names if n in HELD_BACK)} are held back; run them with --heldback"
        )
        return 0
    asr_version: str | None = None
    cache = args.asreview_cache.resolve() if args.asreview_cache else None
    if not args.no_asreview:
        import tempfile

        os.chdir(
            tempfile.mkdtemp(prefix="bench-rank-")
        )  # asreview drops a cache file in the working folder
        try:
            import asreview

            asr_version = asreview.__version__
        except ImportError:
            print("asreview is not installed (pip install -e '.[bench]'): litreview's figures only")
    seeds = [int(s) for s in args.seeds.split(",")]
    print(
        "litreview: "
        + (
            "the replay engine in this process"
            if args.engine
            else "`litreview screen simulate --no-rules --prior …` on the set imported as CSV"
        )
    )
    print(
        f"litreview ranked queue v ASReview {asr_version or '(not run)'} default model; "
        f"seeds {seeds}; {'HELD-BACK sets, run once' if args.heldback else 'tuning sets'}"
    )
    print("times are wall seconds on a shared 2-core machine (other jobs were running)")
    print(
        f"{'set':32} {'n':>5} {'incl':>4} {'seed':>4} {'ours':>7} {'asreview':>8} {'t ours':>7} {'t asr':>7}"
    )
    rows: list[dict[str, Any]] = []
    for name in names:
        path = base / f"{name}.csv"
        if not path.exists():
            print(f"{name}: skipped, {path} not found")
            continue
        records, labels, untitled = load_set(path)
        if untitled:
            print(f"{name}: {untitled} row(s) without a title left out (import rejects them)")
        for seed in seeds:
            prior = priors(labels, seed)
            if args.engine:
                order, t_ours = run_ours(records, labels, prior)
                ours = wss(order, labels)
            else:
                ours, t_ours, replayed = run_command(records, labels, prior)
                if replayed != len(records):
                    print(f"{name}: screen simulate replayed {replayed} of {len(records)} records")
            theirs = t_theirs = None
            if asr_version:
                a_order, t_theirs = asreview_cached(
                    cache, name, path, asr_version, seed, records, labels, prior, untitled
                )
                theirs = wss(a_order, labels)
            rows.append({"set": name, "seed": seed, "ours": ours, "asreview": theirs})
            print(
                f"{name:32} {len(records):5} {sum(labels.values()):4} {seed:4} {ours or 0:7.3f} "
                f"{'-' if theirs is None else f'{theirs:.3f}':>8} {t_ours:7.1f} "
                f"{'-' if t_theirs is None else f'{t_theirs:.1f}':>7}",
                flush=True,
            )
    for name in dict.fromkeys(r["set"] for r in rows):
        mine = [r for r in rows if r["set"] == name]
        o = sum(r["ours"] or 0 for r in mine) / len(mine)
        a = [r["asreview"] for r in mine if r["asreview"] is not None]
        print(f"mean {name:27} ours {o:.3f}" + (f"  asreview {sum(a) / len(a):.3f}" if a else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
