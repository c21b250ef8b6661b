"""Screening speed: 100k generated records with abstracts against the shipped review.yaml.

Plain script (`make bench`): prints wall and CPU time, records per second, the load average, and
MET or NOT MET against the target (100k records in 5 s of CPU time). It exits 0 whenever it ran,
so that one missed target does not stop the other benchmarks; only a crash exits non-zero.

    .venv/bin/python benchmarks/bench_screen.py [--records N]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from litreview.model import Name, Provenance, Record  # noqa: E402
from litreview.protocol import load_protocol  # noqa: E402
from litreview.screen.engine import screen_records  # noqa: E402

N = 100_000
TARGET_SECONDS = 5.0

WORDS = [
    "the",
    "study",
    "explored",
    "how",
    "staff",
    "in",
    "the",
    "organisation",
    "described",
    "change",
    "over",
    "time",
    "with",
    "attention",
    "to",
    "roles",
    "teams",
    "performance",
    "quality",
    "safety",
    "finance",
    "governance",
    "culture",
    "leadership",
    "board",
    "services",
    "patients",
    "outcomes",
    "policy",
    "reform",
    "pressures",
    "workload",
    "training",
    "careers",
    "evidence",
]
PLACES = (
    "NHS acute trusts",
    "English hospitals",
    "Dutch hospitals",
    "Swedish health care",
    "Scottish health boards",
    "Canadian hospitals",
    "a UK foundation trust",
    "general practices",
)
TOPICS = (
    "doctors and managers",
    "clinical directors",
    "medical leadership",
    "nurse staffing",
    "hospital finance",
    "physician-manager relations",
    "patient experience",
)
METHODS = (
    "We interviewed",
    "A survey of",
    "An ethnographic study of",
    "This commentary discusses",
    "A literature review of",
    "We observed",
)
ANNOTATIONS = (
    (),
    (("country", "UK"), ("design", "interviews"), ("setting", "secondary care")),
    (("country", "Netherlands"),),
    (("design", "commentary"),),
)


def make_records(n: int, seed: int = 7) -> list[Record]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        filler = " ".join(rng.choice(WORDS) for _ in range(140))
        abstract = (
            f"{rng.choice(METHODS)} {rng.choice(TOPICS)} in {rng.choice(PLACES)}. {filler}. "
            f"Findings concern {rng.choice(TOPICS)}."
        )
        out.append(
            Record(
                key=f"Author{i}",
                entry_type="article",
                title=f"{rng.choice(TOPICS).capitalize()} in {rng.choice(PLACES)}",
                authors=(Name("Author", "A"),),
                year=rng.randint(1995, 2020),
                abstract=abstract,
                keywords=("management", rng.choice(TOPICS)),
                provenance=(Provenance("database-search", "x.bib", i),),
                extra=rng.choice(ANNOTATIONS),
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=N)
    n = parser.parse_args(argv).records
    protocol = load_protocol(ROOT / "review.yaml")
    records = make_records(n)
    chars = sum(len(r.abstract) for r in records)
    load = os.getloadavg()[0]
    start, cpu = time.perf_counter(), time.process_time()
    result = screen_records(records, protocol)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    # CPU time is what the code costs; wall time also counts the other processes on the machine
    counts = result.counts()["outcomes"]
    print(
        f"screened {n} records ({chars / 1e6:.1f} M characters of abstracts): {wall:.2f} s wall, "
        f"{cpu:.2f} s CPU, {n / cpu:,.0f} records/s (CPU); load average {load:.2f}; {counts}"
    )
    scaled = cpu * N / max(1, n)
    verdict = "MET" if scaled <= TARGET_SECONDS else "NOT MET"
    print(
        f"target: {N // 1000}k records in <= {TARGET_SECONDS:.0f} s CPU; measured {scaled:.2f} s: {verdict}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
