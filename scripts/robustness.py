"""Import every real export in ../shared/data and report records, rejects and crashes per file.

For BibTeX files it also compares our records with pybtex's where pybtex can read the file:
every field of every record both read, rebuilt from pybtex's parse through the same conversion. Skips with a message when ../shared is absent.
Run with `make robustness`; the table goes to docs/robustness.md.
"""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


def pybtex_compare(path: Path, records: list) -> str:
    """Rebuild each record from pybtex's parse of the same file and compare every field.

    Both sides go through the same field conversion (``fields_to_record``), so a difference can
    only come from how the entries were split, values delimited, macros expanded or names split:
    exactly what our scanner replaces pybtex for.
    """
    import contextlib
    import io
    from dataclasses import fields, replace

    try:
        from pybtex.database import parse_string
        from pybtex.errors import set_strict_mode

        set_strict_mode(False)
        text = path.read_bytes().decode("utf-8", errors="replace")
        with contextlib.redirect_stderr(io.StringIO()):
            db = parse_string(text, "bibtex")
    except Exception as exc:  # pybtex gives up on the file
        return f"pybtex fails ({type(exc).__name__})"
    from litreview.io.bibtex import fields_to_record

    ours = {r.provenance[0].original_id.lower(): r for r in records if r.provenance[0].original_id}
    theirs = {k.lower(): e for k, e in db.entries.items()}
    common = sorted(set(ours) & set(theirs))
    differing: dict[str, int] = {}
    for k in common:
        entry = theirs[k]
        raw = {name.lower(): value for name, value in entry.fields.items()}
        for role, people in entry.persons.items():
            raw[role.lower()] = " and ".join(str(p) for p in people)
        mine = replace(ours[k], provenance=())
        rebuilt = fields_to_record(entry.type.lower(), ours[k].key, raw, None)
        if "crossref" in raw or "xref" in raw:
            continue  # we inherit the parent's fields at read time; pybtex only on access
        for f in fields(mine):
            if f.name == "provenance":
                continue
            a, b = getattr(mine, f.name), getattr(rebuilt, f.name)
            if f.name == "authors":
                a, b = [n.full_last for n in a], [n.full_last for n in b]
            if f.name == "extra":
                a, b = _comparable_extra(a), _comparable_extra(b)
            if a != b:
                differing[f.name] = differing.get(f.name, 0) + 1
    only_theirs = len(set(theirs) - set(ours))
    diff = ", ".join(f"{n} {c}" for n, c in sorted(differing.items())) or "none"
    return f"pybtex {len(theirs)}; common {len(common)}; fields differing: {diff}; only pybtex {only_theirs}"


def _comparable_extra(extra: tuple[tuple[str, str], ...]) -> dict[str, object]:
    """Undo two differences of form, not of content, before comparing.

    pybtex expands ``jan`` to ``January`` where we keep ``Jan``; and it hands editors back as
    person objects, which print as ``Last, First`` whatever order the file used.
    """
    from litreview.text.names import parse_bibtex_names

    out: dict[str, object] = dict(extra)
    if isinstance(out.get("month"), str):
        out["month"] = str(out["month"])[:3].lower()
    for role in ("editor", "translator", "bookauthor"):
        if isinstance(out.get(role), str):
            out[role] = [n.full_last for n in parse_bibtex_names(str(out[role]))]
    return out


def main() -> int:
    if not DATA.exists():
        print(f"skipped: {DATA} is absent (only developers with ../shared have it)")
        return 0
    sys.path.insert(0, str(ROOT))
    from litreview.errors import LitreviewError
    from litreview.io import read_path

    rows = []
    crashes = 0
    total_records = total_rejects = 0
    t0 = time.perf_counter()
    for path in sorted(DATA.rglob("*")):
        if not path.is_file() or path.name in ("SOURCE.md", "LICENSE", "README.md"):
            continue
        if path.suffix.lower() in (".md",) or "dedup-wagner" in str(path):
            continue
        rel = path.relative_to(DATA).as_posix()
        try:
            result = read_path(path, "robustness", rel)
        except LitreviewError as exc:
            rows.append((rel, "-", 0, 0, f"refused: {exc.problems[0].message}"))
            continue
        except Exception:
            crashes += 1
            rows.append((rel, "CRASH", 0, 0, traceback.format_exc(limit=1).splitlines()[-1]))
            continue
        note = ""
        if result.format == "bibtex":
            note = pybtex_compare(path, result.records)
        total_records += len(result.records)
        total_rejects += len(result.rejects)
        rows.append((rel, result.format, len(result.records), len(result.rejects), note))
    elapsed = time.perf_counter() - t0
    print("| file | format | records | rejects | note |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} |")
    print(
        f"\n{len(rows)} files, {total_records} records, {total_rejects} rejects, {crashes} crashes, {elapsed:.1f} s"
    )
    differ = read_in_parts() + tagged_in_parts()
    return 1 if crashes or differ else 0


def read_in_parts() -> int:
    """Each real BibTeX file, and all of them joined, read whole and in 2 or 3 parts (as a large
    file is, one part per core): the same records, problems, rejects and lines, or the parts
    were refused and the file read whole. Prints a line; returns how many comparisons differ."""
    from unittest import mock

    from litreview import workers
    from litreview.io import bibtex
    from litreview.io.text import decode_bytes

    def outcome(text: str) -> tuple[object, ...]:
        r = bibtex.read_bibtex(text, "x.bib", "db")
        return (r.records, [p.as_dict() for p in r.problems], r.rejects, r.lines)

    texts = []
    for path in sorted(DATA.rglob("*.bib")):
        text = decode_bytes(path.read_bytes()).text
        texts.append(text.replace("\r\n", "\n").replace("\r", "\n"))
    texts.append("\n".join(texts))
    compared = split = differ = 0
    real = bibtex._read_part
    for text in texts:
        whole = outcome(text)
        for parts in (2, 3):
            used: list[bool] = []

            def spy(*args: object, used: list[bool] = used) -> object:
                found = real(*args)  # type: ignore[arg-type]
                used.append(found is not None)
                return found

            with (
                mock.patch.object(workers, "worker_count", lambda *a, n=parts, **k: n),
                mock.patch.object(bibtex, "_read_part", spy),
            ):
                got = outcome(text)
            compared += 1
            split += bool(used) and all(used)
            differ += got != whole
    print(
        f"read in parts: {compared} comparisons over {len(texts) - 1} BibTeX files and all of them "
        f"joined, {split} read in parts, {differ} differences"
    )
    return differ


def tagged_in_parts() -> int:
    """Each real RIS, MEDLINE and Web of Science export, and all of one format's joined, read whole
    and in 2 or 3 parts (cut where a record starts and nothing before it is carried over): the
    same records, problems and rejects. Prints a line; returns how many comparisons differ."""
    from unittest import mock

    from litreview import workers
    from litreview.io import _tagged, read_text, sniff
    from litreview.io.text import decode_bytes

    by_format: dict[str, list[str]] = {"ris": [], "medline": [], "wos": []}
    for path in sorted(DATA.rglob("*")):
        if not path.is_file() or path.suffix.lower() in (".md", ".bib", ".csv", ".tsv"):
            continue
        text = decode_bytes(path.read_bytes()).text.replace("\r\n", "\n").replace("\r", "\n")
        fmt = sniff(text)
        if fmt in by_format:
            by_format[fmt].append(text)
    compared = split = differ = files = 0
    for fmt, texts in by_format.items():
        files += len(texts)

        def outcome(text: str, fmt: str = fmt) -> tuple[object, ...]:
            r = read_text(text, "x.txt", "db", fmt)
            return (r.records, [p.as_dict() for p in r.problems], r.rejects)

        for text in [*texts, "\n".join(texts)] if texts else []:
            whole = outcome(text)
            for parts in (2, 3):
                split += bool(_tagged._parts(text, fmt, parts))
                with mock.patch.object(workers, "worker_count", lambda *a, n=parts, **k: n):
                    differ += outcome(text) != whole
                compared += 1
    print(
        f"RIS, MEDLINE and Web of Science read in parts: {compared} comparisons over {files} files "
        f"and each format's joined, {split} cut into parts, {differ} differences"
    )
    return differ


if __name__ == "__main__":
    raise SystemExit(main())
