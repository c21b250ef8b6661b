"""Tagging speed: 100k synthetic records with abstracts, against the shipped six themes and a
20 themes × 20 terms file. Prints wall and CPU time, records/s and the load average, then MET or
NOT MET against the target (100k records in 10 s of CPU time, the slower of the two runs). Exits
0 whenever it ran, so that `make bench` goes on to the next benchmark; only a crash exits non-zero.

    .venv/bin/python benchmarks/bench_tag.py [--records N]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

from litreview.model import Record
from litreview.tag.engine import matcher_for, tag_records
from litreview.tag.themes import Settings, Term, Theme, Themes, load_themes

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10.0

_FILLER = [
    "the",
    "of",
    "and",
    "in",
    "to",
    "a",
    "study",
    "was",
    "were",
    "with",
    "for",
    "on",
    "as",
    "by",
    "this",
    "that",
    "from",
    "hospital",
    "health",
    "care",
    "service",
    "patients",
    "staff",
    "data",
    "results",
    "methods",
    "findings",
    "analysis",
    "sample",
    "interviews",
    "survey",
    "qualitative",
    "quantitative",
    "across",
    "between",
    "within",
    "evidence",
    "practice",
    "outcomes",
    "organisation",
    "national",
    "local",
    "trust",
    "board",
    "senior",
    "junior",
    "clinical",
    "medical",
    "nursing",
    "primary",
    "secondary",
    "acute",
]
#: words of the synthetic 20 × 20 themes: abstracts carry a few, as real ones carry a few terms
_DOMAIN = sorted(
    {
        a + b
        for a in (
            "cli",
            "man",
            "pol",
            "res",
            "aut",
            "hyb",
            "cul",
            "tru",
            "ref",
            "org",
            "gov",
            "lea",
            "per",
            "ide",
            "val",
            "str",
        )
        for b in (
            "nical",
            "agerial",
            "icy",
            "istance",
            "onomy",
            "ridity",
            "ture",
            "stee",
            "ormist",
            "anic",
            "ernance",
            "dership",
        )
    }
)
_SIGNAL = [
    "doctor–manager relationships",
    "clinical directors",
    "mistrust",
    "New Public Management",
    "resistance to change",
    "hybrid roles",
    "stereotypes",
    "reorganisations",
    "clinical autonomy",
    "managerial strategies",
    "professional culture",
    "médecins gestionnaires",
    "organization",
]


def synthetic_records(n: int, seed: int = 7) -> list[Record]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        words = [rnd.choice(_FILLER) for _ in range(220)]
        for _ in range(rnd.randint(0, 4)):
            words.insert(rnd.randrange(len(words)), rnd.choice(_SIGNAL))
        for _ in range(rnd.randint(0, 8)):
            words.insert(rnd.randrange(len(words)), rnd.choice(_DOMAIN))
        abstract = " ".join(words).capitalize() + "."
        title = " ".join(rnd.choice(_FILLER) for _ in range(10)).capitalize()
        if rnd.random() < 0.3:
            title += ": " + rnd.choice(_SIGNAL)
        out.append(
            Record(
                key=f"Rec{i:06d}",
                title=title,
                abstract=abstract,
                year=2000 + i % 20,
                keywords=(rnd.choice(_FILLER), rnd.choice(_FILLER)),
            )
        )
    return out


def wide_themes(n_themes: int = 20, n_terms: int = 20, seed: int = 11) -> Themes:
    rnd = random.Random(seed)
    vocab = _DOMAIN
    themes = []
    for t in range(n_themes):
        terms = []
        for x in range(n_terms):
            k = rnd.choice((1, 1, 1, 2))
            words = [rnd.choice(vocab) for _ in range(k)]
            if k > 1 and rnd.random() < 0.5:  # a phrase with an everyday word in it
                words[rnd.randrange(k)] = rnd.choice(_FILLER)
            if x % 7 == 0:
                words[-1] = words[-1][:5] + "*" if len(words[-1]) > 5 else words[-1]
            terms.append(Term(" ".join(words), weight=rnd.choice((0.5, 1.0, 2.0))))
        themes.append(Theme(id=f"theme-{t:02d}", label=f"Theme {t}", terms=tuple(terms)))
    return Themes(path="<synthetic>", themes=tuple(themes), settings=Settings(threshold=3.0))


def run(label: str, records: list[Record], themes: Themes) -> float:
    """Tag ``records``; print the figures; return the CPU time (what the code costs, whatever else
    runs on the machine)."""
    t0 = time.perf_counter()
    matcher_for(themes)
    compiled = time.perf_counter() - t0
    load = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    result = tag_records(records, themes)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    tagged = sum(1 for r in result.records.values() if r.themes)
    print(
        f"{label}: {len(records)} records in {wall:.2f} s wall, {cpu:.2f} s CPU = "
        f"{len(records) / cpu:,.0f} records/s (CPU); load average {load:.2f} "
        f"(compile {compiled * 1000:.0f} ms; {tagged} records with a theme)"
    )
    return cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    records = synthetic_records(args.records)
    mb = sum(len(r.abstract) + len(r.title) for r in records) / 1e6
    print(
        f"generated {len(records)} records ({mb:.0f} MB of text) in {time.perf_counter() - t0:.1f} s"
    )
    six = load_themes(ROOT / "themes.yaml")
    worst = run("6 themes (themes.yaml)", records, six)
    worst = max(worst, run("20 themes x 20 terms", records, wide_themes()))
    scaled = worst * 100_000 / max(1, args.records)
    verdict = "MET" if scaled <= TARGET_SECONDS else "NOT MET"
    print(
        f"target: 100k records in <= {TARGET_SECONDS:.0f} s CPU; slowest run scaled to 100k: "
        f"{scaled:.2f} s: {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
