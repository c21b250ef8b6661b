"""``litreview screen simulate``: replay a labelled set through the ranked queue and measure it.

Why: a ranking is only worth its order; replaying known labels (as ASReview's ``simulate``
does) shows how much screening it would have saved (WSS@95) and how many includes the rules
would have lost before any person saw them.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litreview.errors import InputError
from litreview.model import Location, Problem, Record
from litreview.outcomes import Outcome
from litreview.protocol import Protocol


def read_labels(path: Path, display: str, records: Sequence[Record]) -> dict[str, int]:
    """``id,label`` rows → key → 0/1. An id is a citation key or the id a record was imported
    with (kept in its provenance). Every bad row is reported with its line (InputError)."""
    from litreview.files.yamlio import suggest

    by_id = _keys_by_id(records)
    keys = {r.key for r in records}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError.at(
            Location(display, None),
            f"not UTF-8 text ({exc.reason})",
            hint="save the labels as UTF-8 CSV",
        ) from None
    from litreview.io.csvrows import read_table

    # the shared reader: a quote never closed would otherwise swallow every later row unseen
    table = read_table(text, display)
    if table.errors and not table.header:
        raise InputError(table.errors)
    problems: list[Problem] = list(table.errors)
    cols = [c.strip().lower() for c in table.header]
    if "id" not in cols or "label" not in cols:
        raise InputError.at(
            Location(display, 1),
            "the labels file needs the columns 'id' and 'label'",
            hint="first line: id,label — then one row per record, label 1 (include) or 0 (exclude)",
        )
    i_id, i_label = cols.index("id"), cols.index("label")
    labels: dict[str, int] = {}
    first_line: dict[str, int] = {}
    line = 1
    for line, row in table.rows:
        rid = row[i_id].strip() if i_id < len(row) else ""
        raw = row[i_label].strip() if i_label < len(row) else ""
        key = rid if rid in keys else by_id.get(rid)
        if key is None:
            problems.append(
                Problem(
                    Location(display, line, rid or None),
                    f"unknown id {rid!r}: no record has this citation key or imported id",
                    hint=suggest(rid, sorted(keys))
                    or "ids are citation keys (litreview export) "
                    "or the id column of the CSV the records were imported from; a record the "
                    "import rejected (corpus/rejects/) has no id here: remove its label",
                )
            )
            continue
        if raw not in ("0", "1"):
            problems.append(
                Problem(
                    Location(display, line, rid),
                    f"label {raw!r} is not 0 or 1",
                    hint="label 1 means included, 0 excluded",
                )
            )
            continue
        if key in labels and labels[key] != int(raw):
            problems.append(
                Problem(
                    Location(display, line, rid),
                    f"{rid!r} ({key}) is labelled {raw} here but {labels[key]} at line {first_line[key]}",
                    hint="a record merged from duplicates carries each one's id: give them one label",
                )
            )
            continue
        labels[key] = int(raw)
        first_line.setdefault(key, line)
    if problems:
        raise InputError(problems)
    if not labels:
        raise InputError.at(
            Location(display, line), "no labelled rows", hint="one row per record: id,label"
        )
    return labels


def _keys_by_id(records: Sequence[Record]) -> dict[str, str]:
    """Each imported id (kept in a provenance) → the key of the record that carries it."""
    by_id: dict[str, str] = {}
    for r in records:
        for p in r.provenance:
            if p.original_id:
                by_id.setdefault(p.original_id, r.key)
    return by_id


def prior_keys(ids: Sequence[str], records: Sequence[Record], option: str) -> dict[str, str]:
    """``--prior`` ids (citation keys or imported ids, as in the labels file) → key: the id it
    was given as, in the order given, once each; an id no record carries is an error naming
    the option."""
    from litreview.files.yamlio import suggest

    by_id = _keys_by_id(records)
    keys = {r.key for r in records}
    found: dict[str, str] = {}
    problems = []
    for rid in ids:
        key = rid if rid in keys else by_id.get(rid)
        if key is None:
            problems.append(
                Problem(
                    Location(option, None, rid),
                    f"unknown id {rid!r}: no record has this citation key or imported id",
                    hint=suggest(rid, sorted(keys)) or "give ids as in the labels file",
                )
            )
        else:
            found.setdefault(key, rid)
    if problems:
        raise InputError(problems)
    return found


@dataclass(frozen=True)
class Simulation:
    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return self.data


def simulate(
    records: Sequence[Record],
    protocol: Protocol,
    labels: Mapping[str, int],
    rules: bool = True,
    prior_included: int = 1,
    prior_excluded: int = 1,
    seed: int = 0,
    display: str = "labels",
    prior: Mapping[str, str] | Sequence[str] | None = None,
) -> Simulation:
    """Replay ``labels`` through the ranked queue; see docs/screening.md for every figure.

    ``prior``: the keys known before the first ranking (or key → the id the person gave, for
    the messages), instead of drawing ``prior_included`` and ``prior_excluded`` by ``seed``, so
    that a replay can start from the very records another tool was given (a comparison is only
    fair from the same start); the result's ``seed`` is then None."""
    from litreview.screen.engine import screen_records
    from litreview.screen.rank import build_features, recall_curve, replay, stop_rule, wss

    labelled = [r for r in records if r.key in labels]
    lost: list[str] = []
    ruled_out: list[str] = []
    if rules:
        result = screen_records(labelled, protocol)
        ruled_out = sorted(r.key for r in result.records if r.outcome == Outcome.EXCLUDED)
        lost = [k for k in ruled_out if labels[k]]
    out = set(ruled_out)
    pool = sorted(r.key for r in labelled if r.key not in out)
    truth = {k: labels[k] for k in pool}
    inc = [k for k in pool if truth[k]]
    exc = [k for k in pool if not truth[k]]
    given = dict(prior) if isinstance(prior, Mapping) else {k: k for k in prior or ()}
    if prior is not None:
        wrong = [k for k in given if k not in truth]
        if wrong:
            raise InputError(
                [
                    Problem(
                        Location("--prior", None, given[k]),
                        ("" if given[k] == k else f"{k}: ")
                        + "not a record to screen: "
                        + ("it has no label" if k not in labels else "the rules excluded it"),
                        hint=f"give --prior records labelled in {display}"
                        + ("" if k not in labels or not rules else ", or add --no-rules"),
                    )
                    for k in wrong
                ]
            )
    elif prior_included > len(inc) or prior_excluded > len(exc):
        raise InputError.at(
            Location(display, None),
            f"asked for {prior_included} prior includes and {prior_excluded} prior excludes, but "
            f"the records left to screen hold {len(inc)} includes and {len(exc)} excludes",
            hint="lower --prior-included / --prior-excluded"
            + ("" if not rules else ", or add --no-rules if the rules excluded them"),
        )
    if prior is None:
        rng = random.Random(seed)
        first = rng.sample(inc, prior_included) + rng.sample(exc, prior_excluded)
    else:
        first = list(given)
    features = build_features(r for r in labelled if r.key not in out)
    done = replay(features, truth, pool, first, protocol)
    order = list(done.order)
    curve = recall_curve(order, truth)
    n_inc = len(inc)
    data: dict[str, Any] = {
        "version": 1,
        "records": len(pool),
        "includes": n_inc,
        "not_labelled": len(records) - len(labelled),
        "prior": first,
        "seed": seed if prior is None else None,
        "order": order,
        "wss95": _round(wss(order, truth, 0.95)),
        "wss100": _round(wss(order, truth, 1.0)),
        "screened_for_95": _first_at(curve, n_inc, 0.95),
        "recall_curve": [round(f / n_inc, 4) if n_inc else None for f in curve],
        "retrainings": done.retrainings,
        "estimates": [
            {"screened": s, "estimated_remaining": round(e, 1), "remaining": t}
            for s, e, t in done.estimates
        ],
        "rules": {
            "applied": rules,
            "excluded": len(ruled_out),
            "labelled_includes_lost": len(lost),
            "lost": lost,
        },
    }
    rule = stop_rule(protocol)
    if rule is not None:
        at = rule.first_stop([truth[k] for k in order], len(order))
        data["stopping"] = {
            "consecutive_excludes": rule.consecutive_excludes,
            "min_screened_share": rule.min_screened_share,
            "stopped_at": at,
            "recall_at_stop": None if at is None or not n_inc else round(curve[at - 1] / n_inc, 4),
        }
    return Simulation(data)


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _first_at(curve: Sequence[int], total: int, recall: float) -> int | None:
    import math

    need = math.ceil(recall * total - 1e-9)
    return next((n for n, f in enumerate(curve, 1) if total and f >= need), None)
