"""Deduplication on every labelled library we can read, for litreview and bib-dedupe in one run.

    python benchmarks/bench_dedupe_sets.py                  # every set found
    python benchmarks/bench_dedupe_sets.py --sets stroke,wagner2021 --json
    LITREVIEW_DEDUPE_SETS=/path/to/labelled-sets python benchmarks/bench_dedupe_sets.py

Per set: records, gold duplicate pairs (every pair inside a gold cluster), false-merge pairs
(pairs we put in one record that the gold keeps apart), pair recall (gold pairs that end in
one record; the unsure queue does not count), the unsure queue (and its share of the records)
and seconds, for litreview and for bib-dedupe when it is installed (`make bench` installs it).

Where the sets come from (none is copied into the project):
* tune: ``../shared/data/dedup-wagner2021-digitalwork``; ``../shared/data/raw-revtools-restoration``
  (three real database exports of one search; gold = a shared DOI, and the DOIs and PMIDs are
  removed before matching, so the pairs must be found from the other fields); synthetic records
  from ``../shared/bench/gen_records.py``; three of CiteSource's vignette searches (below).
* test: the other three CiteSource searches. ``LITREVIEW_CITESOURCE`` (default
  ``../evaldata/citesource``) is a clone's ``vignettes`` folder of
  github.com/ESHackathon/CiteSource (its ``*_data/`` folders of RIS files); gold = the shared
  DOI, which is removed before matching.
* a review's own export files (``LITREVIEW_RAW_EXPORTS``, folders joined by ``:``, each folder one
  review's files as its team saved them from the databases): read by litreview's own readers,
  gold = a shared PMID or DOI (see :func:`load_raw_exports`), grouped by the folder's name as
  below (``abx_duration`` tune, ...); reported as ``<folder>_exports``. With ``--process`` the
  files themselves are imported: what a team gets, readers and matcher together.
* held back (judged on, never tuned on): any folder of ``LITREVIEW_DEDUPE_SETS`` holding
  ``records_pre_merged.csv`` (or ``_part1``/``_part2``) and ``merged_record_ids.csv``, the layout
  of bib-dedupe's labelled libraries (its repository's ``data/`` folder before it moved out).
  The nine health-science libraries named in the issue are reported as "held back"; the
  Systematic Review Accelerator's libraries and five reviews' own exports by :data:`SET_GROUPS`
  (``sra_tafenoquine*``, ``psilocybin_ovid*``, ``snhl_phenotyping*``, ``abx_duration*`` tune;
  ``sra_copper*``, ``qol_cardiac_arrest*``, ``cat_queries*``, ``msm_syndemic*``,
  ``upstate_pubs*``, ``rossi_meta*``, ``vr_eeg_interiors*`` test); any other folder there as
  "other" (DBLP-ACM, Cora and DBLP-Scholar,
  converted to that layout by ``scripts/convert_linkage_sets.py``; sources in
  docs/benchmarks.md). Several folders may be given, joined by ``:``.
Absent sets are skipped with a message; the script exits 0 whenever it ran.

Two modes measure litreview. The default (engine) calls :func:`litreview.dedupe.find_duplicates`
in this process on the records the loaders built. ``--process`` measures what a user gets from
the commands: each set's records are written as RIS exports (one file per database the set's
records came from, each record's key in its ``ID`` tag) into a new review, ``litreview import``
and ``litreview dedupe`` run as processes, and each record of the corpus afterwards is mapped
back to the input records it holds by its provenance (the original ids its appearances keep).
Records the import rejects end in no corpus record: they count as not merged and are reported.
Its seconds are the wall time of the two processes; the queue is the unsure pairs ``dedupe``
reports.

    python benchmarks/bench_dedupe_sets.py --process --sets wagner2021,revtools --no-peer
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_commands import litreview as litreview_cli  # noqa: E402  (this folder's script)

from litreview.dedupe import find_duplicates  # noqa: E402
from litreview.io.bibtex import fields_to_record  # noqa: E402
from litreview.model import Record  # noqa: E402

SHARED = ROOT.parent / "shared"
HELD_BACK = frozenset(
    {
        "cardiac",
        "cytology_screening",
        "depression",
        "diabetes",
        "haematology",
        "neuroimaging",
        "respiratory",
        "srsr",
        "stroke",
    }
)
#: Other labelled libraries of ``LITREVIEW_DEDUPE_SETS`` whose split is decided: the Systematic
#: Review Accelerator's two libraries (github IEBH/dedupe-sweep, converted outside the project;
#: docs/benchmarks.md). Both arrived as test sets on 2026-12-07; the same day tafenoquine's misses
#: were read and fixed (a tune set since), while copper is still judged on, never looked into.
#: Any other folder there is "other".
SET_GROUPS = {
    "sra_tafenoquine": "tune",
    "sra_tafenoquine_noid": "tune",
    "sra_copper": "test",
    "sra_copper_noid": "test",
    # five reviews' own multi-database exports found on 2026-12-07, gold by shared DOI or PMID
    # (docs/benchmarks.md); split before any was run: two read and tuned on, three only scored
    **dict.fromkeys(
        ("psilocybin_ovid", "psilocybin_ovid_noid", "snhl_phenotyping", "snhl_phenotyping_noid"),
        "tune",
    ),
    **dict.fromkeys(
        (
            "qol_cardiac_arrest",
            "qol_cardiac_arrest_noid",
            "cat_queries",
            "cat_queries_noid",
            "msm_syndemic",
            "msm_syndemic_noid",
        ),
        "test",
    ),
    # four more libraries of exports found on 2026-12-07 (session 29, docs/benchmarks.md); split
    # before any was run: the one holding three quarters of the records read, three only scored
    **dict.fromkeys(("abx_duration", "abx_duration_noid"), "tune"),
    **dict.fromkeys(
        (
            "upstate_pubs",
            "upstate_pubs_noid",
            "rossi_meta",
            "rossi_meta_noid",
            "vr_eeg_interiors",
            "vr_eeg_interiors_noid",
        ),
        "test",
    ),
    # three more reviews' own export folders (session 30, for ``LITREVIEW_RAW_EXPORTS``: Cochrane
    # Library, Web of Science and Scopus files of one search each, public GitHub repositories;
    # their readers' gaps were fixed from them, their deduplication never looked at): test sets,
    # decided before any run; and the Systematic Review Accelerator's two EndNote XML libraries
    # as files, in their libraries' groups
    **dict.fromkeys(("estrogen_immunomodulation", "merge_sr", "umbrella_review"), "test"),
    "sra_tafenoquine_endnote": "tune",
    "sra_copper_endnote": "test",
}


def group_of(folder_name: str) -> str:
    """The group a library of ``LITREVIEW_DEDUPE_SETS`` is reported in."""
    if folder_name in HELD_BACK:
        return "held back"
    return SET_GROUPS.get(folder_name, "other")


@dataclass
class LabelledSet:
    name: str
    group: str  # "tune", "held back" or "other"
    records: list[Record]
    gold: dict[str, str | None]  # key -> gold cluster id (None: unjudged)
    peer_csv: Path | None = None  # the file bib-dedupe reads, when it has one
    #: a review's own database export files, imported as they are by ``--process`` (the records
    #: above are what litreview's readers make of them, keyed by file and line)
    exports: list[Path] | None = None


# --- metrics -------------------------------------------------------------------------------------


def pairs_of(groups: Iterable[Sequence[str]]) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for members in groups:
        ms = sorted(members)
        out.update((ms[i], ms[j]) for i in range(len(ms)) for j in range(i + 1, len(ms)))
    return out


def score(
    keys: Iterable[str], gold: Mapping[str, str | None], clusters: Iterable[Sequence[str]]
) -> dict[str, int]:
    """Gold pairs, found pairs and false-merge pairs of ``clusters`` (the records merged into one).

    A record whose gold is ``None`` is unjudged (a set labelled by DOI cannot say what a record
    without one is): pairs with it count neither as found nor as false.
    """
    keys = list(keys)
    by_gold: defaultdict[str, list[str]] = defaultdict(list)
    for k in keys:
        label = gold.get(k, k)
        if label is not None:
            by_gold[label].append(k)
    gold_pairs = pairs_of(by_gold.values())
    ours = {
        p
        for p in pairs_of([c for c in clusters if len(c) > 1])
        if gold.get(p[0], p[0]) is not None and gold.get(p[1], p[1]) is not None
    }
    return {
        "gold_pairs": len(gold_pairs),
        "found": len(gold_pairs & ours),
        "false_merge_pairs": len(ours - gold_pairs),
    }


# --- sets ----------------------------------------------------------------------------------------


def _read_rows(paths: Sequence[Path]) -> list[dict[str, str]]:
    csv.field_size_limit(2**31 - 1)
    rows: list[dict[str, str]] = []
    for p in paths:
        with p.open(encoding="utf-8", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


def load_bib_dedupe_layout(folder: Path, group: str) -> LabelledSet | None:
    """A folder with records_pre_merged.csv (or parts) and merged_record_ids.csv."""
    parts = sorted(folder.glob("records_pre_merged*.csv"))
    gold_file = folder / "merged_record_ids.csv"
    if not parts or not gold_file.exists():
        return None
    records = []
    for row in _read_rows(parts):
        fields = {
            k.lower(): v
            for k, v in row.items()
            if k and k not in ("ID", "ENTRYTYPE", "ID_old") and v
        }
        records.append(
            fields_to_record((row.get("ENTRYTYPE") or "article").lower(), row["ID"], fields, None)
        )
    gold = {r.key: r.key for r in records}
    for n, row in enumerate(_read_rows([gold_file])):
        for k in (row.get("merged_ids") or "").split(";"):
            if k.strip():
                gold[k.strip()] = f"gold{n}"
    return LabelledSet(folder.name, group, records, gold, parts[0] if len(parts) == 1 else None)


def load_revtools() -> LabelledSet | None:
    from litreview.io import read_path

    folder = SHARED / "data" / "raw-revtools-restoration"
    files = ["restoration_pubmed.nbib", "restoration_WoS.ciw", "restoration_scopus.ris"]
    if not all((folder / f).exists() for f in files):
        return None
    records: list[Record] = []
    gold: dict[str, str] = {}
    for i, f in enumerate(files):
        for j, r in enumerate(read_path(folder / f, f"s{i}").records):
            key = f"R{i}x{j:04d}"
            gold[key] = ("doi:" + r.doi) if r.doi else key
            records.append(replace(r, key=key, doi="", pmid=""))
    return LabelledSet("revtools-restoration (no DOI/PMID)", "tune", records, gold)


CITESOURCE = Path(
    os.environ.get("LITREVIEW_CITESOURCE", str(ROOT.parent / "evaldata" / "citesource"))
)
# One search run in several databases per folder (CiteSource's vignette data, exported by its
# authors). Split once, before any change was judged on them: tune on the first three, judge on
# the last three. On 2026-12-06 the misses of new_stage_data and working_example_data were read
# and fixed (docs/benchmarks.md): they are tune sets since; the held-back libraries judge.
CITESOURCE_SETS = {
    "topic_data": "tune",
    "valid_data": "tune",
    "benchmark_data": "tune",
    "new_stage_data": "tune",
    "working_example_data": "tune",
    "new_benchmark_data": "test",
}
_DOI_IN_URL = re.compile(r"(?:doi\.org/|doi:)", re.I)


def load_citesource(folder: Path, group: str) -> LabelledSet | None:
    """Real exports of one search from several databases; gold = the shared DOI.

    The DOI, PMID and any URL that spells the DOI are removed before matching, so pairs must be
    found from the other fields. A record without a DOI is unjudged.
    """
    from litreview.io import read_path

    files = sorted(folder.glob("*.ris"))
    if not files:
        return None
    records: list[Record] = []
    gold: dict[str, str | None] = {}
    for i, f in enumerate(files):
        for j, r in enumerate(read_path(f, f"s{i}").records):
            key = f"C{i:02d}x{j:05d}"
            gold[key] = ("doi:" + re.sub(r"^(10\.\d+)//", r"\1/", r.doi.lower())) if r.doi else None
            url = "" if _DOI_IN_URL.search(r.url or "") else r.url
            extra = tuple(
                (k, v) for k, v in r.extra if "doi" not in k.lower() and not _DOI_IN_URL.search(v)
            )
            records.append(replace(r, key=key, doi="", pmid="", url=url, extra=extra))
    # a DOI on records with different titles is a book's or a supplement's, not one work's:
    # those records are unjudged rather than counted as one work
    from rapidfuzz import fuzz

    from litreview.text.normalize import title_key

    titles: defaultdict[str, list[str]] = defaultdict(list)
    for r in records:
        if gold[r.key] is not None:
            titles[gold[r.key]].append(title_key(r.title))
    shared = {
        d for d, ts in titles.items() if any(fuzz.token_set_ratio(ts[0], t) < 60 for t in ts[1:])
    }
    gold = {k: (None if g in shared else g) for k, g in gold.items()}
    return LabelledSet(f"citesource {folder.name}", group, records, gold)


def export_key(number: int, line: int, nth: int = 0) -> str:
    """The key of the record that starts at ``line`` of a set's ``number``-th export file (the
    ``nth`` on that line after the first: an EndNote XML export is one line)."""
    return f"x{number:02d}L{line}" + (f"n{nth}" if nth else "")


def export_place(key: str) -> tuple[int, int]:
    """The file number and line an :func:`export_key` names."""
    number, line = key[1:].split("n")[0].split("L")
    return int(number), int(line)


def load_raw_exports(folder: Path, group: str) -> LabelledSet | None:
    """A folder of one review's own database export files (any format litreview reads), as a
    team imports them. The records are what litreview's readers make of them; a record's gold is
    what it shares with the others: a PMID, or a DOI (a DOI carried by titles that differ is a
    supplement's or a book's and links only records of one title). A record with neither is
    unjudged. Titles are alike when their title keys' words agree (token set ratio 70 or more: a
    translation or a subtitle added still agrees). The gold comes
    from the readers under test, so a reader that misses an id shrinks
    the gold rather than failing it: the number of judged records is part of the result."""
    from rapidfuzz import fuzz

    from litreview.io import read_path
    from litreview.text.normalize import title_key

    files = sorted(
        p for p in folder.iterdir() if p.is_file() and not p.name.startswith(("README", "."))
    )
    records: list[Record] = []
    on_line: Counter[tuple[int, int]] = Counter()
    for number, path in enumerate(files):
        for r in read_path(path, PROCESS_SOURCE, path.name).records:
            line = r.provenance[0].line
            on_line[(number, line)] += 1
            records.append(replace(r, key=export_key(number, line, on_line[(number, line)] - 1)))
    if not records:
        return None
    parent = {r.key: r.key for r in records}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    def join(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    by_pmid: defaultdict[str, list[Record]] = defaultdict(list)
    by_doi: defaultdict[str, list[Record]] = defaultdict(list)
    for r in records:
        if r.pmid:
            by_pmid[r.pmid].append(r)
        if r.doi:
            by_doi[r.doi.lower()].append(r)
    for group_ in by_pmid.values():
        for r in group_[1:]:
            join(r.key, group_[0].key)
    for group_ in by_doi.values():
        first = title_key(group_[0].title)
        alike = all(fuzz.token_set_ratio(title_key(r.title), first) >= 70 for r in group_[1:])
        first_of: dict[str, str] = {}
        for r in group_:
            tk = "" if alike else title_key(r.title)
            if tk in first_of:
                join(r.key, first_of[tk])
            else:
                first_of[tk] = r.key
    gold: dict[str, str | None] = {
        r.key: (find(r.key) if r.doi or r.pmid else None) for r in records
    }
    return LabelledSet(f"{folder.name}_exports", group, records, gold, exports=files)


def load_synthetic(n: int) -> LabelledSet | None:
    gen = SHARED / "bench" / "gen_records.py"
    if not gen.exists():
        return None
    import pickle

    from litreview.io import read_path

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "syn"
        subprocess.run(
            [sys.executable, str(gen), str(n), str(out), "--formats", "bib,pkl"],
            check=True,
            capture_output=True,
            # the generator picks each record's variations by iterating a set of strings: with
            # the hash seed fixed, the same n gives the same records in every run (and mode)
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        with (out.with_suffix(".pkl")).open("rb") as fh:
            truth = {
                d["id"]: str(d["cluster"]) for d in pickle.load(fh)
            }  # our own generator's output
        records = list(read_path(out.with_suffix(".bib"), "syn").records)
    gold = {r.key: truth[r.provenance[0].original_id] for r in records}
    return LabelledSet(f"synthetic {n:,} (gen_records)", "tune", records, gold)


def find_sets(wanted: set[str] | None, synthetic: int) -> tuple[list[LabelledSet], list[str]]:
    found: list[LabelledSet] = []
    notes: list[str] = []

    def want(name: str) -> bool:
        return wanted is None or any(w in name for w in wanted)

    wagner = SHARED / "data" / "dedup-wagner2021-digitalwork"
    if want("wagner2021"):
        s = load_bib_dedupe_layout(wagner, "tune") if wagner.is_dir() else None
        if s:
            s.name = "wagner2021"
            found.append(s)
        else:
            notes.append(f"wagner2021: skipped, {wagner} is absent")
    if want("revtools"):
        s = load_revtools()
        found.append(s) if s else notes.append(
            "revtools-restoration: skipped, ../shared/data is absent"
        )
    if synthetic and want("synthetic"):
        s = load_synthetic(synthetic)
        found.append(s) if s else notes.append(
            "synthetic: skipped, ../shared/bench/gen_records.py is absent"
        )
    for name, group in CITESOURCE_SETS.items():
        if want("citesource") or want(name):
            folder = CITESOURCE / name
            s = load_citesource(folder, group) if folder.is_dir() else None
            found.append(s) if s else notes.append(
                f"citesource {name}: skipped, {folder} is absent"
            )
    env = os.environ.get("LITREVIEW_DEDUPE_SETS")
    # one folder of libraries, or several joined by the path separator (``:``)
    roots = [Path(p) for p in (env or "").split(os.pathsep) if p and Path(p).is_dir()]
    if roots:
        for folder in sorted(p for root in roots for p in root.iterdir() if p.is_dir()):
            if folder.name in ("digital_work",) or not want(folder.name):
                continue  # digital_work is wagner2021, read from shared/ above
            s = load_bib_dedupe_layout(folder, group_of(folder.name))
            if s:
                found.append(s)
            else:
                notes.append(
                    f"{folder.name}: skipped, no records_pre_merged.csv and merged_record_ids.csv"
                )
    else:
        notes.append(
            "held-back libraries: skipped; set LITREVIEW_DEDUPE_SETS to a folder of labelled libraries "
            "in bib-dedupe's layout (the data/ folder of its repository's history)"
        )
    exported = os.environ.get("LITREVIEW_RAW_EXPORTS")
    for folder in sorted(
        p
        for root in (exported or "").split(os.pathsep)
        if root and Path(root).is_dir()
        for p in Path(root).iterdir()
        if p.is_dir() and want(f"{p.name}_exports")
    ):
        s = load_raw_exports(folder, group_of(folder.name))
        found.append(s) if s else notes.append(f"{folder.name}: skipped, no export litreview reads")
    return found, notes


# --- runs ----------------------------------------------------------------------------------------


def run_ours(s: LabelledSet) -> dict[str, Any]:
    t = time.perf_counter()
    result = find_duplicates(s.records)
    seconds = time.perf_counter() - t
    clusters = [[m.survivor, *(r.key for r in m.absorbed)] for m in result.merges]
    return {
        **score((r.key for r in s.records), s.gold, clusters),
        "queue": len(result.unsure),
        "seconds": round(seconds, 2),
    }


# --- the commands (--process) -------------------------------------------------------------------

#: the source the exports are imported under: the shipped review.yaml lists it
PROCESS_SOURCE = "database-search"
#: the lines the RIS exporter adds to say what the review decided (there is no review yet)
_DECISION_LINES = ("KW  - litreview:", "N1  - litreview:")


def write_exports(
    records: Sequence[Record], folder: Path
) -> tuple[list[Path], dict[tuple[str, int], str]]:
    """The records as RIS exports, one file per source they were read from (a set read from
    three databases' exports arrives as three files), each record's key in its ``ID`` tag.
    Written by litreview's RIS exporter, without the lines it adds for the review's decisions.
    Also where each record starts, ``(file name, line) -> key``: import keeps the ``ID`` as the
    original id of a record's provenance, but a record with a PMID has it as ``AN``, which
    import keeps instead, so a record is found by its place."""
    from litreview.export.records import ExportItem, ris_entry

    by_source: defaultdict[str, list[Record]] = defaultdict(list)
    for r in records:
        by_source[r.provenance[0].source if r.provenance else "set"].append(r)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    places: dict[tuple[str, int], str] = {}
    for n, (source, recs) in enumerate(sorted(by_source.items())):
        path = folder / f"{n:02d}-{re.sub(r'[^A-Za-z0-9_-]+', '_', source)}.ris"
        line = 1
        with path.open("w", encoding="utf-8", newline="\n") as fh:
            for r in recs:
                entry = ris_entry(ExportItem(r, outcome=""))
                text = (
                    "".join(
                        part
                        for part in entry.splitlines(keepends=True)
                        if not part.startswith(_DECISION_LINES)
                    )
                    + "\n"
                )
                places[(path.name, line)] = r.key
                line += text.count("\n")
                fh.write(text)
        paths.append(path)
    return paths, places


@dataclass
class ReadBack:
    """The corpus after ``dedupe``, as the input records each corpus record holds."""

    clusters: list[list[str]]  # input keys per corpus record
    missing: list[str]  # input keys in no corpus record (rejected by the import, or lost)
    repeated: list[str]  # input keys in more than one corpus record
    unknown: list[str]  # corpus keys with an appearance that names no input record


def read_back(
    corpus: Iterable[Record],
    keys: Iterable[str],
    places: Mapping[tuple[Any, ...], str] | None = None,
) -> ReadBack:
    """Map each corpus record back to the input records it holds: a merged record keeps every
    appearance (provenance) of the records it absorbed, each with the input's original id, or
    its file and line (``places``, from :func:`write_exports`) where the id is another."""
    wanted = set(keys)
    clusters: list[list[str]] = []
    seen: defaultdict[str, int] = defaultdict(int)
    unknown: list[str] = []
    places = places or {}

    def key_of(p: Any) -> str | None:
        if p.original_id in wanted:
            return str(p.original_id)
        name = Path(p.path).name
        return places.get((name, p.line, p.original_id)) or places.get((name, p.line))

    for rec in corpus:
        ids = sorted({k for k in map(key_of, rec.provenance) if k is not None})
        if len(ids) < len(rec.provenance) or not ids:
            unknown.append(rec.key)
        for k in ids:
            seen[k] += 1
        clusters.append(ids)
    return ReadBack(
        clusters=clusters,
        missing=sorted(wanted - set(seen)),
        repeated=sorted(k for k, c in seen.items() if c > 1),
        unknown=unknown,
    )


def _command(args: list[str], cwd: Path) -> tuple[dict[str, Any], float]:
    """One litreview command with ``--json``: its output and its wall seconds. Exit 1 is a
    finding (rejected entries, unsure pairs), not a failure."""
    t = time.perf_counter()
    done = subprocess.run(
        [*litreview_cli(), "-q", *args, "--json"],
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    seconds = time.perf_counter() - t
    if done.returncode not in (0, 1):
        raise RuntimeError(f"litreview {args[0]} exited {done.returncode}: {done.stderr[-500:]}")
    return json.loads(done.stdout), seconds


def run_process(s: LabelledSet) -> dict[str, Any]:
    """``litreview import`` and ``litreview dedupe`` in a new review, scored as :func:`run_ours`
    scores the matcher."""
    from litreview.project import Project
    from litreview.review import Review

    keys = [r.key for r in s.records]
    with tempfile.TemporaryDirectory(prefix="bench-dedupe-review-") as tmp:
        root = Path(tmp)
        for name in ("review.yaml", "themes.yaml"):
            shutil.copy(ROOT / name, root / name)
        (root / "corpus").mkdir()
        if s.exports is None:
            files, places = write_exports(s.records, root / "exports")
        else:  # the review's own files, as a team imports them
            (root / "exports").mkdir()
            files = [Path(shutil.copy(f, root / "exports" / f.name)) for f in s.exports]
            # by file and line, and where records share a line (EndNote's XML) by their ids too
            places = {}
            for r in s.records:
                number, line = export_place(r.key)
                name = s.exports[number].name
                places[(name, line, r.provenance[0].original_id)] = r.key
                places.setdefault((name, line), r.key)
        imported, import_s = _command(
            [
                "import",
                *(f.relative_to(root).as_posix() for f in files),
                "--source",
                PROCESS_SOURCE,
            ],
            root,
        )
        deduped, dedupe_s = _command(["dedupe"], root)
        project = Project(root)
        back = read_back(Review.of(project).sound_corpus().records, keys, places)
    rejected = int(imported["rejected"])
    return {
        **score(keys, s.gold, back.clusters),
        "queue": int(deduped["unsure"]),
        "seconds": round(import_s + dedupe_s, 2),
        "import_seconds": round(import_s, 2),
        "dedupe_seconds": round(dedupe_s, 2),
        "imported": int(imported["added"]),
        "rejected": rejected,
        # records in no corpus record beyond those the import rejected, in more than one, or
        # corpus records with an appearance that is none of the input's: each a fault to report
        "lost": max(len(back.missing) - rejected, 0),
        "missing_keys": back.missing[:20],
        "repeated": len(back.repeated),
        "unknown": len(back.unknown),
    }


def run_peer(s: LabelledSet) -> dict[str, Any] | None:
    try:
        import bib_dedupe  # noqa: F401
    except ImportError:
        return None
    import pandas as pd

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_dedupe import peer_frame, run_bib_dedupe

    frame = pd.read_csv(s.peer_csv, dtype=str).fillna("") if s.peer_csv else peer_frame(s.records)
    try:
        clusters, maybe, wall, _cpu = run_bib_dedupe(frame)
    except Exception as exc:  # the peer's own failure is a result to report, not a crash of ours
        return {"error": f"{type(exc).__name__}: {exc}"[:200]}
    return {
        **score((r.key for r in s.records), s.gold, clusters),
        "queue": maybe,
        "seconds": round(wall, 2),
    }


def _row(name: str, n: int, r: Mapping[str, Any]) -> str:
    if "error" in r:
        return f"  {name:<12} could not run: {r['error']}"
    recall = r["found"] / r["gold_pairs"] if r["gold_pairs"] else 1.0
    line = (
        f"  {name:<12} false-merge pairs {r['false_merge_pairs']:4d}  pair recall {recall:.4f} "
        f"({r['found']}/{r['gold_pairs']})  queue {r['queue']:5d} ({r['queue'] / max(n, 1):.1%})  {r['seconds']:.2f} s"
    )
    if "import_seconds" in r:  # --process: the two commands, and what the import left out
        line += (
            f" (import {r['import_seconds']:.2f} + dedupe {r['dedupe_seconds']:.2f})\n"
            f"  {'':<12} imported {r['imported']:,}, rejected by the import {r['rejected']}"
        )
        faults = [f"{r[k]} {k}" for k in ("lost", "repeated", "unknown") if r[k]]
        if faults:
            line += "; MAPPING FAULTS: " + ", ".join(faults)
            if r["lost"]:
                line += f" (missing: {', '.join(r['missing_keys'])})"
    return line


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument(
        "--sets", default="", help="comma-separated names (substrings) to run; default all"
    )
    ap.add_argument("--synthetic", type=int, default=20000, help="synthetic records (0: none)")
    ap.add_argument("--no-peer", action="store_true", help="skip bib-dedupe")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument(
        "--process",
        action="store_true",
        help="measure litreview through `litreview import` and `litreview dedupe` run as "
        "processes on RIS exports of each set, not the matcher in this process",
    )
    args = ap.parse_args(argv)
    mode = "process" if args.process else "engine"
    run = run_process if args.process else run_ours
    wanted = {w for w in args.sets.split(",") if w} or None
    sets, notes = find_sets(wanted, args.synthetic)
    for note in notes:
        print(note, file=sys.stderr)
    if not args.json:
        print(
            "litreview in process mode: `litreview import` of each set's exports (RIS written from "
            "its records, or a review's own files), then `litreview dedupe`, as processes in a "
            "new review"
            if args.process
            else "litreview in engine mode: find_duplicates in this process",
            flush=True,
        )
    results: list[dict[str, Any]] = []
    pooled: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for s in sets:
        entry: dict[str, Any] = {
            "set": s.name,
            "group": s.group,
            "records": len(s.records),
            "mode": mode,
            "litreview": run(s),
        }
        peer = None if args.no_peer else run_peer(s)
        if peer is not None:
            entry["bib-dedupe"] = peer
        results.append(entry)
        for tool in ("litreview", "bib-dedupe"):
            r = entry.get(tool)
            if r and "error" not in r:
                for k in ("gold_pairs", "found", "false_merge_pairs", "queue", "rejected"):
                    if k in r:
                        pooled[(s.group, tool)][k] += r[k]
                pooled[(s.group, tool)]["records"] += len(s.records)
        if not args.json:
            print(f"{s.name} [{s.group}], {len(s.records):,} records:", flush=True)
            for tool in ("litreview", "bib-dedupe"):
                if tool in entry:
                    print(_row(tool, len(s.records), entry[tool]), flush=True)
    summary = {
        f"{group} / {tool}": {k: int(v) for k, v in p.items()}
        for (group, tool), p in sorted(pooled.items())
    }
    if args.json:
        print(
            json.dumps({"version": 1, "mode": mode, "sets": results, "pooled": summary}, indent=2)
        )
        return 0
    print(f"pooled (litreview: {mode} mode):")
    for name, p in summary.items():
        recall = p["found"] / p["gold_pairs"] if p["gold_pairs"] else 1.0
        print(
            f"  {name:<26} false-merge pairs {p['false_merge_pairs']:4d}  pair recall {recall:.4f}  "
            f"queue {p['queue']} ({p['queue'] / max(p['records'], 1):.1%} of {p['records']:,} records)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
