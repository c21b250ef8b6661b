"""Import throughput per reader, and how fast a later command starts on an unchanged corpus.

Generates realistic corpora (titles, 1-6 authors, journal, pages, DOI, ~1 KB abstract) at
10k and 100k records in each format, times our readers, then times import into a corpus and
a cached reload. Targets (issue 2): 100k BibTeX imported in <= 15 s; a later command starts
in <= 2 s on an unchanged 100k corpus.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = [
    "doctor",
    "manager",
    "relationship",
    "hospital",
    "trust",
    "clinical",
    "leadership",
    "engagement",
    "survey",
    "quality",
    "safety",
    "governance",
    "professional",
    "identity",
    "autonomy",
    "resistance",
    "policy",
    "reform",
    "NHS",
    "acute",
    "care",
    "medical",
    "director",
    "hybrid",
    "role",
    "performance",
    "culture",
    "tension",
    "respect",
]
SURNAMES = [
    "Davies",
    "Harvey",
    "Smith",
    "Jones",
    "Brown",
    "Taylor",
    "Wilson",
    "Evans",
    "Thomas",
    "Roberts",
    "Müller",
    "Güven",
    "Forbes",
    "Hallier",
    "Currie",
    "Greener",
    "Martin",
    "Clark",
    "Nath",
    "Snow",
    "Klaber",
    "Kirkpatrick",
]


def fake(i: int, rnd: random.Random) -> dict[str, object]:
    title = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(6, 14))).capitalize()
    authors = [
        (rnd.choice(SURNAMES), f"{rnd.choice('ABCDEFGHJK')}. {rnd.choice('ABCDEFGHJK')}.")
        for _ in range(rnd.randint(1, 6))
    ]
    abstract = " ".join(rnd.choice(WORDS) for _ in range(150))
    return {
        "title": title,
        "authors": authors,
        "year": rnd.randint(1990, 2024),
        "journal": f"Journal of {rnd.choice(WORDS).capitalize()} Studies",
        "volume": rnd.randint(1, 60),
        "pages": f"{(p := rnd.randint(1, 900))}-{p + rnd.randint(5, 20)}",
        "doi": f"10.{1000 + i % 9000}/bench.{i}",
        "abstract": abstract,
        "i": i,
    }


def as_bibtex(r: dict) -> str:  # type: ignore[type-arg]
    authors = " and ".join(f"{last}, {first}" for last, first in r["authors"])
    return (
        f"@article{{bench{r['i']},\n  author = {{{authors}}},\n  title = {{{r['title']}}},\n"
        f"  journal = {{{r['journal']}}},\n  year = {{{r['year']}}},\n  volume = {{{r['volume']}}},\n"
        f"  pages = {{{r['pages']}}},\n  doi = {{{r['doi']}}},\n  abstract = {{{r['abstract']}}},\n}}\n"
    )


def as_ris(r: dict) -> str:  # type: ignore[type-arg]
    lines = ["TY  - JOUR"] + [f"AU  - {last}, {first}" for last, first in r["authors"]]
    sp, ep = str(r["pages"]).split("-")
    lines += [
        f"TI  - {r['title']}",
        f"T2  - {r['journal']}",
        f"PY  - {r['year']}",
        f"VL  - {r['volume']}",
        f"SP  - {sp}",
        f"EP  - {ep}",
        f"DO  - {r['doi']}",
        f"AB  - {r['abstract']}",
        "ER  - ",
        "",
    ]
    return "\n".join(lines) + "\n"


def as_medline(r: dict) -> str:  # type: ignore[type-arg]
    lines = [f"PMID- {r['i'] + 1}", f"TI  - {r['title']}"] + [
        f"FAU - {last}, {first}" for last, first in r["authors"]
    ]
    lines += [
        f"DP  - {r['year']} Jan",
        f"JT  - {r['journal']}",
        f"VI  - {r['volume']}",
        f"PG  - {r['pages']}",
        f"LID - {r['doi']} [doi]",
        f"AB  - {r['abstract']}",
        "",
    ]
    return "\n".join(lines) + "\n"


def as_wos(r: dict) -> str:  # type: ignore[type-arg]
    sp, ep = str(r["pages"]).split("-")
    au = [f"{last}, {first}" for last, first in r["authors"]]
    lines = ["PT J", "AU " + au[0]] + ["   " + a for a in au[1:]]
    lines += [
        f"TI {r['title']}",
        f"SO {r['journal']}",
        f"PY {r['year']}",
        f"VL {r['volume']}",
        f"BP {sp}",
        f"EP {ep}",
        f"DI {r['doi']}",
        f"AB {r['abstract']}",
        f"UT WOS:{r['i']:015d}",
        "ER",
        "",
    ]
    return "\n".join(lines) + "\n"


def as_csv_rows(rows: list[dict]) -> str:  # type: ignore[type-arg]
    import csv
    import io

    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["Title", "Authors", "Year", "Source", "DOI", "Abstract"])
    for r in rows:
        w.writerow(
            [
                r["title"],
                "; ".join(f"{a}, {b}" for a, b in r["authors"]),
                r["year"],
                r["journal"],
                r["doi"],
                r["abstract"],
            ]
        )
    return out.getvalue()


def main() -> None:
    from litreview.corpus.store import import_files, load_corpus
    from litreview.io import read_text

    sizes = [10_000, 100_000] if "--quick" not in sys.argv else [2_000]
    rnd = random.Random(7)
    for n in sizes:
        rows = [fake(i, rnd) for i in range(n)]
        texts = {
            "bibtex": "".join(as_bibtex(r) for r in rows),
            "ris": "".join(as_ris(r) for r in rows),
            "medline": "".join(as_medline(r) for r in rows),
            "wos": "FN Clarivate Analytics Web of Science\nVR 1.0\n"
            + "".join(as_wos(r) for r in rows)
            + "EF\n",
            "csv": as_csv_rows(rows),
        }
        for fmt, text in texts.items():
            t0 = time.perf_counter()
            result = read_text(text, f"bench.{fmt}", "bench", fmt)
            dt = time.perf_counter() - t0
            assert len(result.records) == n, (fmt, len(result.records), len(result.rejects))
            print(
                f"read {fmt:8s} {n:>7,} records  {dt:6.2f} s  {n / dt:>9,.0f} records/s  {len(text) / dt / 1e6:5.1f} MB/s"
            )
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "bench.bib"
            src.write_text(texts["bibtex"], encoding="utf-8")
            corpus = Path(tmp) / "corpus" / "records.bib"
            t0, c0 = time.perf_counter(), time.process_time()
            report = import_files([src], "bench", corpus, root=Path(tmp))
            dt, cpu = time.perf_counter() - t0, time.process_time() - c0
            assert len(report.added) == n
            print(
                f"import bibtex -> corpus {n:>7,} records  {dt:6.2f} s wall, {cpu:6.2f} s CPU"
                + _verdict(n, dt, 15.0, "100k import")
            )
            t0 = time.perf_counter()
            load_corpus(corpus)  # first load parses and fills the cache
            t1 = time.perf_counter()
            loaded = load_corpus(corpus)
            t2 = time.perf_counter()
            assert len(loaded.records) == n
            print(
                f"load corpus {n:>7,}: parse {t1 - t0:5.2f} s, cached {t2 - t1:5.2f} s"
                + _verdict(n, t2 - t1, 2.0, "cached start")
            )
    print(f"load average while measuring: {os.getloadavg()[0]:.2f}")


def _verdict(n: int, seconds: float, target: float, what: str) -> str:
    if n != 100_000:
        return ""
    return f"  [{what} target <= {target:g} s: {'MET' if seconds <= target else 'NOT MET'}]"


if __name__ == "__main__":
    main()
