"""Turn the reference review's judgements into the corpus's decision files (run once, by hand).

`corpus/review-judgements.yaml` holds, per reference of Powell and Davies (2016), our reading
of the review: direct / related / exclude with a reason, a note on what in the review supports
it, the theme sections that discuss it and, for included studies, extraction data. This script
writes the files litreview reads, adding a person's decision only where the protocol's rules do
not already reach the same outcome, so the shipped corpus shows rules first and people on top:

- corpus/screening.yaml        title-abstract and full-text decisions (reviewer R1), plus the
                               decisions already there on records drawn for the rule audit
                               (corpus/rule-audit.yaml), which are kept as they are
- corpus/extraction.yaml       per included study
- corpus/theme-overrides.yaml  themes the review discusses a study under that tagging missed
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from litreview.corpus.store import load_corpus  # noqa: E402
from litreview.files.fsutil import atomic_write  # noqa: E402
from litreview.files.yamlio import dump_yaml, load_yaml  # noqa: E402
from litreview.protocol import load_protocol  # noqa: E402
from litreview.screen.decisions import format_decisions, parse_decisions  # noqa: E402
from litreview.screen.engine import screen_records  # noqa: E402

DATE = "2026-11-23"
REVIEWER = "R1"
EVIDENT = {"out-of-period", "not-uk", "not-empirical", "not-secondary-care"}


def main() -> None:
    judgements = load_yaml(ROOT / "corpus" / "review-judgements.yaml")
    corpus = load_corpus(ROOT / "corpus" / "records.bib", use_cache=False)
    keys = {r.key for r in corpus.records}
    protocol = load_protocol(ROOT / "review.yaml")
    rules = {r.key: r for r in screen_records(corpus.records, protocol, ()).records}
    decisions = []
    extraction = []
    for item in judgements:
        key = item["key"]
        if key not in keys:
            raise SystemExit(f"{key}: not in the corpus")
        ta = rules[key].stages[0]
        note = " ".join(str(item.get("note", "")).split())
        verdict = item["judgement"]
        if verdict in ("direct", "related"):
            if ta.rule_outcome != "include":
                decisions.append(_d(key, "title-abstract", "include", None, note))
            decisions.append(_d(key, "full-text", "include", None, note))
            ext = dict(item.get("extraction") or {})
            evidence = ext.pop("evidence", None)  # field -> [{line, quote}], copied as it is
            entry = {
                "key": key,
                "relevance": verdict,
                **{k: " ".join(str(v).split()) for k, v in ext.items()},
            }
            if evidence:
                entry["evidence"] = evidence
            extraction.append(entry)
            continue
        reason = item["reason"]
        if ta.rule_outcome == "exclude":
            continue  # the rules already exclude it; their reason stands
        if reason in EVIDENT:
            decisions.append(_d(key, "title-abstract", "exclude", reason, note))
        else:
            decisions.append(
                _d(
                    key,
                    "title-abstract",
                    "include",
                    None,
                    "Needs the full text to judge its topic.",
                )
            )
            decisions.append(_d(key, "full-text", "exclude", reason, note))
    screening = ROOT / "corpus" / "screening.yaml"
    decided = {(d["key"], d["stage"]) for d in decisions}
    drawn = _audit_keys()
    if screening.exists():  # a person's audit decisions are theirs, not derived from the judgements
        decisions += [
            d
            for d in load_yaml(screening)["decisions"]
            if d["key"] in drawn and (d["key"], d["stage"]) not in decided
        ]
    parsed, problems = parse_decisions(
        {"version": 1, "decisions": decisions}, "screening.yaml", keys, protocol
    )
    if any(p.is_error for p in problems):
        raise SystemExit("\n".join(str(p) for p in problems if p.is_error))
    # the same bytes `litreview screen decide` writes, so a later decision changes only its lines
    atomic_write(screening, format_decisions(parsed, protocol))
    extraction.sort(key=lambda e: e["key"])
    head = (
        "# Extraction for each included study, in our own words from how the review describes it.\n"
        "# evidence: the review's line numbers (shared/seeds/000_90c4772a8beff3bf.txt) and quotes of\n"
        "# at most 12 words that each value rests on; 'not reported in the review' cites nothing.\n"
    )
    atomic_write(
        ROOT / "corpus" / "extraction.yaml", head + dump_yaml({"version": 1, "studies": extraction})
    )
    write_overrides(judgements, corpus, protocol, decisions)
    print(f"{len(decisions)} decisions, {len(extraction)} extraction entries")


def _audit_keys() -> set[str]:
    path = ROOT / "corpus" / "rule-audit.yaml"
    if not path.exists():
        return set()
    return {k for audit in load_yaml(path).get("audits") or [] for k in audit.get("keys") or []}


def write_overrides(judgements: list, corpus: object, protocol: object, decisions: list) -> None:  # type: ignore[type-arg]
    from litreview.screen.decisions import load_decisions
    from litreview.tag.engine import tag_records
    from litreview.tag.themes import load_themes

    records = corpus.records  # type: ignore[attr-defined]
    people, _ = load_decisions(
        ROOT / "corpus" / "screening.yaml", [r.key for r in records], protocol
    )
    screening = screen_records(records, protocol, people)  # type: ignore[arg-type]
    included = {r.key for r in screening.records if r.outcome == "included"}
    themes = load_themes(ROOT / "themes.yaml")
    tags = tag_records(records, themes, (), keys=sorted(included))
    overrides = []
    for item in judgements:
        if item["key"] not in included:
            continue
        placed = [t for t in item.get("themes") or [] if t not in tags.themes_of(item["key"])]
        if placed:
            overrides.append(
                {
                    "key": item["key"],
                    "add": placed,
                    "remove": [],
                    "reviewer": REVIEWER,
                    "note": "The review discusses this study under these themes.",
                }
            )
    head = "# Themes the review discusses a study under that term matching did not find.\n"
    atomic_write(
        ROOT / "corpus" / "theme-overrides.yaml",
        head + dump_yaml({"version": 1, "overrides": overrides}),
    )
    print(f"{len(overrides)} theme overrides")


def _d(key: str, stage: str, decision: str, reason: str | None, note: str) -> dict[str, object]:
    out: dict[str, object] = {"key": key, "stage": stage, "decision": decision}
    if reason:
        out["reason"] = reason
    out.update({"reviewer": REVIEWER, "date": DATE, "note": note})
    return out


if __name__ == "__main__":
    main()
