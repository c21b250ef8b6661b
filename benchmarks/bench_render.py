"""Render every output for 10,000 included studies; the target is 5 seconds or less.

Plain script: ``python benchmarks/bench_render.py [N]``. Figures go into docs/benchmarks-render.md.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from litreview.model import Name, Record
from litreview.render import PrismaCounts, RenderInput, Source, Study, Theme, render_all

SURNAMES = ["Davies", "Hallier", "Forbes", "Harvey", "Snow", "Kaissi", "Clark", "Currie", "Degeling", "Smith",
            "Jones", "Lee", "Nath", "Spurgeon", "Bohmer", "Edwards", "Francis", "Ham", "Walshe", "Dickinson"]
DESIGNS = ["Survey", "Qualitative", "Mixed methods", "Case study", "Review", "Trial", "Ethnography", "Cohort"]
COUNTRIES = ["UK", "USA", "Australia", "Netherlands", "Norway", "Canada", "Denmark", "Sweden"]


def make_input(n: int, seed: int = 1) -> RenderInput:
    rnd = random.Random(seed)
    themes = tuple(Theme(f"t{i}", f"Theme number {i}", f"Question {i}?") for i in range(8))
    studies = []
    for i in range(n):
        authors = tuple(Name(rnd.choice(SURNAMES), rnd.choice(["A. B.", "Carrie-Louise", "T."]))
                        for _ in range(rnd.randint(1, 4)))
        rec = Record(key=f"S{i:05d}", entry_type="article", title=f"Study {i} of doctors & managers",
                     authors=authors, year=rnd.randint(1995, 2024), container="Journal of Health Services",
                     volume=str(rnd.randint(1, 60)), pages=f"{i % 900}-{i % 900 + 12}")
        studies.append(Study(key=rec.key, record=rec, country=rnd.choice(COUNTRIES), setting="Hospitals",
                             design=rnd.choice(DESIGNS), methods="Interviews", participants="Doctors",
                             themes=tuple(sorted({rnd.choice(themes).id for _ in range(rnd.randint(0, 3))})),
                             key_findings="Findings " * 20, relevance=rnd.choice(["direct", "related"])))
    return RenderInput(
        title="Benchmark review", question="How fast?",
        sources=(Source("a", "Scopus", searched="2025-01-01", identified=3 * n),),
        reasons={"r": "Wrong design"},
        prisma=PrismaCounts(identified_by_source={"a": 3 * n}, duplicates_removed=n, screened=2 * n,
                            excluded_title_abstract={"r": n // 2}, assessed_full_text=2 * n - n // 2,
                            excluded_full_text={"r": n - n // 2}, included=n),
        studies=tuple(studies), themes=themes)


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    data = make_input(n)
    with tempfile.TemporaryDirectory() as tmp:
        start, cpu = time.perf_counter(), time.process_time()
        written = render_all(data, Path(tmp))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        size = sum(p.stat().st_size for p in written)
    print(f"render_all: {n} included studies, {len(written)} files, {size / 1e6:.1f} MB in {elapsed:.2f} s "
          f"wall, {cpu:.2f} s CPU (target <= 5 s)")
    return 0 if elapsed <= 5.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
