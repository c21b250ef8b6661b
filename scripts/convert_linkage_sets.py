"""Convert public record-linkage sets to bib-dedupe's labelled-library layout.

Output per set (a folder read by benchmarks/bench_dedupe_sets.py through LITREVIEW_DEDUPE_SETS):

* records_pre_merged.csv: ID, ENTRYTYPE, title, author (BibTeX names joined by " and "), year,
  journal or booktitle (the venue), further fields where the source has them, and
  ``provenance`` (``SOURCE|file||original id``: litreview's provenance, which names the
  database the record came from; bench's --process mode writes one export per source).
* merged_record_ids.csv: one row per gold cluster of two or more records,
  ``merged_ids`` = the IDs joined by ";".  Clusters are connected components of the gold links.

Sets:
  dblp_acm      Koepcke et al. DBLP-ACM (copy: github skogler/systemds-amls-project-data, UTF-8)
  cora          Cora citation matching (copy: github cleanzr/cora, CORA.xml + cora_gold.csv)
  dblp_scholar  Koepcke et al. DBLP-Scholar: DBLP1.csv and the perfect mapping from
                github zouzias/spark-lucenerdd (scripts/recordLinkage/DBLP-Scholar), Scholar from
                the parquet copy in github zouzias/spark-lucenerdd-examples
                (data/linkage-papers1/linkage-papers-scholar.parquet; the CSV itself is >4 MiB and
                not in any snapshot).  That copy holds Scholar's UTF-8 bytes read as Latin-1,
                with bytes 0x80-0x9F replaced by '?': repaired where the bytes are whole, a lost
                byte becomes U+FFFD ("..." for the lost ellipsis).
  dblp_scholar_sub  all DBLP records, every Scholar record in the gold mapping, and a random
                (seed 0) sample of 10,000 Scholar records not in the mapping.

Usage: python scripts/convert_linkage_sets.py RAW_DIR OUT_DIR [--sets dblp_acm,cora,dblp_scholar]
RAW_DIR holds dblp_acm/ (DBLP2.csv, ACM.csv, DBLP-ACM_perfectMapping.csv), cora/ (CORA.xml,
cora_gold.csv), dblp_scholar/ (DBLP1.csv, DBLP-Scholar_perfectMapping.csv) and scholar_parquet/
(linkage-papers-scholar.parquet/part-*.parquet), as taken from the repositories above. The Scholar
parquet needs pyarrow: install it in a venv of its own (it is no dependency of litreview). Then
``LITREVIEW_DEDUPE_SETS=OUT_DIR python benchmarks/bench_dedupe_sets.py`` reports them as "other".
"""

from __future__ import annotations

import argparse
import csv
import glob
import html
import random
import re
from collections import defaultdict
from pathlib import Path

FIELDS = [
    "ID",
    "ENTRYTYPE",
    "title",
    "author",
    "year",
    "journal",
    "booktitle",
    "volume",
    "pages",
    "publisher",
    "address",
    "institution",
    "editor",
    "note",
    "provenance",
]


# --- shared ---------------------------------------------------------------------------------


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def clusters_of(links: list[tuple[str, str]]) -> list[list[str]]:
    uf = UnionFind()
    for a, b in links:
        uf.union(a, b)
    groups: defaultdict[str, list[str]] = defaultdict(list)
    for x in list(uf.parent):
        groups[uf.find(x)].append(x)
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: g[0])


def comma_names(authors: str) -> str:
    """``A Eisenberg, J Melton`` / ``Gottfried Vossen, Mathias Weske`` -> BibTeX names."""
    parts = [p.strip() for p in (authors or "").split(",")]
    return " and ".join(p for p in parts if p)


_CONF = re.compile(
    r"\b(proc|proceedings|conf|conference|workshop|symposium|vldb|sigmod|icde|edbt|pods|"
    r"kdd|cikm|dexa|ssdbm|dasfaa|ideas|meeting|congress|colloquium)\b",
    re.I,
)
_JOURNALISH = re.compile(r"\b(journal|record|transactions|trans\.|j\.|review|letters)\b", re.I)


def typed(venue: str, kind: str | None = None) -> tuple[str, str, str]:
    """(ENTRYTYPE, journal, booktitle) for a venue; ``kind`` 'journal'/'conf' when the source
    says it (DBLP's keys), else guessed from the venue's words."""
    venue = (venue or "").strip()
    if kind is None:
        if not venue:
            return "misc", "", ""
        kind = (
            "journal"
            if _JOURNALISH.search(venue)
            and not re.search(r"\b(proc|proceedings|conference)\b", venue, re.I)
            else ("conf" if _CONF.search(venue) else "journal")
        )
    if kind == "conf":
        return "inproceedings", "", venue
    return "article", venue, ""


def _esc(text: str) -> str:
    return text.replace("|", "/").replace(";", ",")


def prov(source: str, path: str, oid: str) -> str:
    """litreview's provenance text: the database a record came from, its file and id."""
    return f"{_esc(source)}|{_esc(path)}||{_esc(oid)}"


def write_set(out: Path, rows: list[dict[str, str]], clusters: list[list[str]]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    fields = [f for f in FIELDS if any(r.get(f) for r in rows) or f in ("ID", "ENTRYTYPE")]
    with (out / "records_pre_merged.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, quoting=csv.QUOTE_ALL, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({f: r.get(f, "") for f in fields})
    with (out / "merged_record_ids.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_ALL)
        w.writerow(["merged_ids"])
        for c in clusters:
            w.writerow([";".join(c)])
    n_pairs = sum(len(c) * (len(c) - 1) // 2 for c in clusters)
    print(f"{out}: {len(rows)} records, {len(clusters)} gold clusters, {n_pairs} gold pairs")


def read_csv(path: Path, encoding: str) -> list[dict[str, str]]:
    """The rows, HTML character references decoded (ACM.csv writes ``&#233;``, ``&mdash;``)."""
    with path.open(encoding=encoding, newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [{k: html.unescape(v) if v and "&" in v else v for k, v in r.items()} for r in rows]


# --- DBLP-ACM ---------------------------------------------------------------------------------


def _row(r: dict[str, str], key: str, kind: str, source: str, fname: str) -> dict[str, str]:
    """One DBLP or ACM row; ``kind`` ("journal" or "conf") decides the entry type."""
    et, j, b = typed(r["venue"], kind)
    return {
        "ID": key,
        "ENTRYTYPE": et,
        "title": r["title"].strip(),
        "author": comma_names(r["authors"]),
        "year": (r.get("year") or "").strip(),
        "journal": j,
        "booktitle": b,
        "provenance": prov(source, fname, r["id"]),
    }


def dblp_row(r: dict[str, str], key: str, source: str, fname: str) -> dict[str, str]:
    kind = "journal" if r["id"].startswith("journals/") else "conf"
    return _row(r, key, kind, source, fname)


def acm_row(r: dict[str, str], key: str) -> dict[str, str]:
    journal = re.search(r"journal|record|transactions", r["venue"].strip(), re.I)
    return _row(r, key, "journal" if journal else "conf", "ACM", "ACM.csv")


def convert_dblp_acm(raw: Path, out: Path) -> None:
    d = read_csv(raw / "DBLP2.csv", "utf-8")
    a = read_csv(raw / "ACM.csv", "utf-8")
    dk = {r["id"]: f"dblp_{i + 1:05d}" for i, r in enumerate(d)}
    ak = {r["id"]: f"acm_{i + 1:05d}" for i, r in enumerate(a)}
    rows = [dblp_row(r, dk[r["id"]], "DBLP", "DBLP2.csv") for r in d]
    rows += [acm_row(r, ak[r["id"]]) for r in a]
    links = []
    with (raw / "DBLP-ACM_perfectMapping.csv").open(encoding="utf-8") as fh:
        for line in fh:
            parts = [p.strip().strip('"') for p in line.strip().split(",")]
            if len(parts) != 2 or parts[0] == "idDBLP":
                continue
            links.append((dk[parts[0]], ak[parts[1]]))
    write_set(out, rows, clusters_of(links))


# --- Cora -------------------------------------------------------------------------------------

_TAG = re.compile(r"<(\w+)>(.*?)</\1\s*>", re.S)
_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.?[\s-]*){1,4}$")


def _clean(s: str) -> str:
    s = html.unescape(s)
    s = re.sub(r"\s+", " ", s).strip()
    return s.strip(" ,;:.\"'()").strip()


def cora_names(raw: str) -> str:
    """Cora's author strings -> BibTeX names.  Two shapes: ``M. Ahlskog, J. Paloheimo, ... and
    M.R. Andersson,`` (each chunk a name) and ``Kibler, D., & Langley, P.`` / ``Fahlman, S.``
    (surname and initials alternate: told by the second chunk being initials only)."""
    s = html.unescape(re.sub(r"\s+", " ", raw)).strip(" ,.;")
    s = re.sub(r"\bet\.? al\.?", "", s)
    chunks = [c.strip() for c in re.split(r",|\band\b|&", s) if c.strip(" .")]
    names: list[str] = []
    if len(chunks) >= 2 and _INITIALS.match(chunks[1]) and not _INITIALS.match(chunks[0]):
        i = 0
        while i < len(chunks):
            if i + 1 < len(chunks) and _INITIALS.match(chunks[i + 1]):
                names.append(f"{chunks[i]}, {chunks[i + 1]}")
                i += 2
            else:
                names.append(chunks[i])
                i += 1
    else:
        names = chunks
    return " and ".join(n for n in names if n)


def convert_cora(raw: Path, out: Path) -> None:
    text = (raw / "CORA.xml").read_text(encoding="utf-8", errors="replace")
    blocks = re.findall(r'<NEWREFERENCE id="?(\d+)"?>(.*?)</NEWREFERENCE>', text, re.S)
    rows = []
    for rid, body in blocks:
        tags: dict[str, str] = {}
        for tag, val in _TAG.findall(body):
            tag = tag.lower()
            tag = {"booktile": "booktitle"}.get(tag, tag)
            tags.setdefault(tag, val)
        year = ""
        for src in (tags.get("year", ""), tags.get("date", "")):
            m = re.search(r"\b(19\d\d|20\d\d)\b", src)
            if m:
                year = m.group(1)
                break
        journal, booktitle = _clean(tags.get("journal", "")), _clean(tags.get("booktitle", ""))
        inst = _clean(tags.get("institution", ""))
        if journal:
            et = "article"
        elif booktitle:
            et = "inproceedings"
        elif "tech" in tags or inst:
            et = "techreport"
        else:
            et = "misc"
        rows.append(
            {
                "ID": f"cora_{int(rid):04d}",
                "ENTRYTYPE": et,
                "title": _clean(tags.get("title", "")),
                "author": cora_names(tags.get("author", "")),
                "year": year,
                "journal": journal,
                "booktitle": booktitle,
                "volume": _clean(tags.get("volume", "")),
                "pages": _clean(tags.get("pages", "")),
                "publisher": _clean(tags.get("publisher", "")),
                "address": _clean(tags.get("address", "")),
                "institution": inst,
                "editor": _clean(tags.get("editor", "")),
                "note": _clean(
                    " ".join(x for x in (tags.get("tech", ""), tags.get("note", "")) if x)
                ),
                # one file for every citation: the recurring-title rule then reads a title cited
                # more than twice as listed twice by one export (see docs/benchmarks.md)
                "provenance": prov("Cora", "CORA.xml", rid),
            }
        )
    links = []
    with (raw / "cora_gold.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter=";"):
            links.append((f"cora_{int(r['id1']):04d}", f"cora_{int(r['id2']):04d}"))
    write_set(out, rows, clusters_of(links))


# --- DBLP-Scholar -----------------------------------------------------------------------------


def repair(s: str | None) -> str:
    """The parquet copy's strings are Scholar's UTF-8 bytes read as Latin-1, with bytes
    0x80-0x9F written as '?'.  Decode the bytes; a sequence that lost a byte becomes U+FFFD
    (E2 ?? A6 becomes the ellipsis Scholar truncates with)."""
    if not s:
        return ""
    if all(ord(c) < 128 for c in s):
        return s
    try:
        b = s.encode("latin-1")
    except UnicodeEncodeError:
        return s
    out: list[str] = []
    i = 0
    n = len(b)
    while i < n:
        c = b[i]
        if c < 0x80:
            out.append(chr(c))
            i += 1
            continue
        need = 1 if 0xC2 <= c <= 0xDF else 2 if 0xE0 <= c <= 0xEF else 3 if 0xF0 <= c <= 0xF4 else 0
        if need == 0:  # a stray byte: it was a Latin-1 character after all
            out.append(chr(c))
            i += 1
            continue
        seq = b[i : i + 1 + need]
        if len(seq) == need + 1 and all(0x80 <= x <= 0xBF for x in seq[1:]):
            out.append(seq.decode("utf-8", errors="replace"))
        elif len(seq) == need + 1 and all((0x80 <= x <= 0xBF) or x == 0x3F for x in seq[1:]):
            # a continuation byte in 0x80-0x9F was lost to '?'
            out.append("\u2026" if c == 0xE2 and seq[-1] == 0xA6 else "\ufffd")
        else:
            out.append(chr(c))
            i += 1
            continue
        i += need + 1
    return "".join(out)


def load_parquet(folder: Path) -> list[dict]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    files = sorted(glob.glob(str(folder / "part-*.parquet")))
    return pa.concat_tables([pq.read_table(f) for f in files]).to_pylist()


def scholar_row(r: dict, key: str) -> dict[str, str]:
    venue = repair(r.get("venue")).strip().rstrip(",").strip()
    et, j, b = typed(venue)
    return {
        "ID": key,
        "ENTRYTYPE": et,
        "title": repair(r.get("title")).strip(),
        "author": comma_names(repair(r.get("authors"))),
        "year": "" if r.get("year") in (None, "") else str(r["year"]),
        "journal": j,
        "booktitle": b,
        "provenance": prov("Scholar", "Scholar.csv", r["id"]),
    }


def convert_dblp_scholar(raw: Path, pq_dir: Path, out_full: Path, out_sub: Path) -> None:
    d = read_csv(raw / "DBLP1.csv", "latin-1")
    # DBLP1.csv writes a missing author list or venue as "N/A" (218 and 211 rows)
    d = [{k: ("" if (v or "").strip() == "N/A" else v) for k, v in r.items()} for r in d]
    s = load_parquet(pq_dir / "linkage-papers-scholar.parquet")
    assert len({r["id"] for r in s}) == len(s)
    dk = {r["id"]: f"dblp_{i + 1:05d}" for i, r in enumerate(d)}
    sk = {r["id"]: f"scholar_{i + 1:05d}" for i, r in enumerate(s)}
    mapping = read_csv(raw / "DBLP-Scholar_perfectMapping.csv", "utf-8-sig")
    links = [(dk[m["idDBLP"]], sk[m["idScholar"]]) for m in mapping]
    drows = [dblp_row(r, dk[r["id"]], "DBLP", "DBLP1.csv") for r in d]
    srows = [scholar_row(r, sk[r["id"]]) for r in s]
    clusters = clusters_of(links)
    write_set(out_full, drows + srows, clusters)
    linked = {b for _, b in links}
    rest = [r for r in srows if r["ID"] not in linked]
    rng = random.Random(0)
    sample = set(r["ID"] for r in rng.sample(rest, 10000))
    sub = drows + [r for r in srows if r["ID"] in linked or r["ID"] in sample]
    write_set(out_sub, sub, clusters)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("raw", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--sets", default="dblp_acm,cora,dblp_scholar")
    a = ap.parse_args()
    sets = set(a.sets.split(","))
    if "dblp_acm" in sets:
        convert_dblp_acm(a.raw / "dblp_acm", a.out / "dblp_acm")
    if "cora" in sets:
        convert_cora(a.raw / "cora", a.out / "cora")
    if "dblp_scholar" in sets:
        convert_dblp_scholar(
            a.raw / "dblp_scholar",
            a.raw / "scholar_parquet",
            a.out / "dblp_scholar",
            a.out / "dblp_scholar_sub",
        )


if __name__ == "__main__":
    main()
