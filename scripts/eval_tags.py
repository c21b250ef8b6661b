"""How far automatic tagging agrees with where the review itself discusses each study.

Compares the themes the terms assign (before any override) with the placement in a judgements
file (items with ``key``, ``judgement`` direct|related|exclude and ``themes: [...]``), for the
included studies (direct or related), and prints precision and recall per theme.

    .venv/bin/python scripts/eval_tags.py [--judgements corpus/review-judgements.yaml]
        [--project .] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from litreview.corpus.store import load_corpus
from litreview.files.yamlio import load_yaml
from litreview.model import Record
from litreview.project import Project
from litreview.tag.engine import tag_records
from litreview.tag.themes import Themes, load_themes

INCLUDED = ("direct", "related")


def placements(judgements: Any) -> dict[str, tuple[str, ...]]:
    """Included key -> the themes the review discusses it under, from the judgements file."""
    items = judgements.get("judgements", judgements) if isinstance(judgements, dict) else judgements
    out: dict[str, tuple[str, ...]] = {}
    for item in items or ():
        if (
            isinstance(item, dict)
            and item.get("judgement") in INCLUDED
            and isinstance(item.get("key"), str)
        ):
            out[item["key"]] = tuple(item.get("themes") or ())
    return out


def _ratio(a: int, b: int) -> float | None:
    return None if b == 0 else round(a / b, 3)


def evaluate(
    records: Iterable[Record], themes: Themes, placed: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """Per theme: true and false positives, false negatives, precision and recall (tags before overrides)."""
    result = tag_records(records, themes, overrides=None, keys=placed)
    missing = sorted(k for k in placed if k not in result.records)
    rows = []
    tot_tp = tot_fp = tot_fn = 0
    for tid in themes.ids:
        tp = fp = fn = 0
        for key, truth in placed.items():
            if key not in result.records:
                continue
            tagged = tid in result.records[key].rule_ids
            actual = tid in truth
            tp += tagged and actual
            fp += tagged and not actual
            fn += actual and not tagged
        tot_tp, tot_fp, tot_fn = tot_tp + tp, tot_fp + fp, tot_fn + fn
        rows.append(
            {
                "theme": tid,
                "placed": tp + fn,
                "tagged": tp + fp,
                "tp": tp,
                "fp": fp,
                "fn": fn,
                "precision": _ratio(tp, tp + fp),
                "recall": _ratio(tp, tp + fn),
            }
        )
    untagged = sum(1 for k in placed if k in result.records and not result.records[k].rule_ids)
    return {
        "version": 1,
        "studies": len(placed) - len(missing),
        "studies_with_placement": sum(1 for k, v in placed.items() if v and k not in missing),
        "studies_untagged_by_terms": untagged,
        "missing_from_corpus": missing,
        "themes": rows,
        "overall": {
            "tp": tot_tp,
            "fp": tot_fp,
            "fn": tot_fn,
            "precision": _ratio(tot_tp, tot_tp + tot_fp),
            "recall": _ratio(tot_tp, tot_tp + tot_fn),
        },
    }


def markdown(report: Mapping[str, Any]) -> str:
    def pct(v: float | None) -> str:
        return "–" if v is None else f"{v:.2f}"

    lines = [
        "| theme | placed by the review | tagged by terms | both | precision | recall |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in report["themes"]:
        lines.append(
            f"| {r['theme']} | {r['placed']} | {r['tagged']} | {r['tp']} | {pct(r['precision'])} | {pct(r['recall'])} |"
        )
    o = report["overall"]
    lines.append(
        f"| **all themes** | {o['tp'] + o['fn']} | {o['tp'] + o['fp']} | {o['tp']} | "
        f"{pct(o['precision'])} | {pct(o['recall'])} |"
    )
    lines.append("")
    lines.append(
        f"{report['studies']} included studies; {report['studies_with_placement']} placed under at least "
        f"one theme by the review; {report['studies_untagged_by_terms']} with no theme from the terms."
    )
    if report["missing_from_corpus"]:
        lines.append("Not in the corpus: " + ", ".join(report["missing_from_corpus"]))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--project", type=Path, default=Path("."))
    parser.add_argument(
        "--judgements",
        type=Path,
        default=None,
        help="default: corpus/review-judgements.yaml of the project "
        "(or corpus/_staging/judgements.yaml where it still is)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    project = Project(args.project.resolve())
    path = args.judgements or next(
        (
            p
            for p in (
                project.corpus_dir / "review-judgements.yaml",
                project.corpus_dir / "_staging" / "judgements.yaml",
            )
            if p.exists()
        ),
        project.corpus_dir / "review-judgements.yaml",
    )
    if not path.exists():
        print(f"{path}: no judgements file", file=sys.stderr)
        return 2
    themes = load_themes(project.themes, project.rel(project.themes))
    corpus = load_corpus(project.records, project.rel(project.records))
    report = evaluate(corpus.records, themes, placements(load_yaml(path)))
    print(
        json.dumps(report, indent=2, sort_keys=True) if args.json else markdown(report),
        end="" if not args.json else "\n",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
