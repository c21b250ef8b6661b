"""Rule audits: how many studies the screening rules may be losing, estimated from a sample.

Rules exclude records that nobody reads. To know what that costs, a person checks a simple random
sample of the records the rules exclude at a stage. The share of the sample the person would have
kept, scaled to all rule exclusions, estimates the studies lost, with an exact (Clopper–Pearson)
95% interval. The samples are kept in ``corpus/rule-audit.yaml`` (which keys, drawn from how many,
with which seed) so that the estimate counts exactly the drawn records: a person's decisions on
other rule-excluded records were not drawn at random and would bias it. People's decisions on the
drawn records are ordinary screening decisions (``litreview screen decide``); including one brings
that record back into the review.
"""

from __future__ import annotations

import datetime as _dt
import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litreview.errors import ConfigError
from litreview.files.schema import FileSchema, listed_items
from litreview.files.yamlio import MISSING, dump_yaml, line_of, load_optional_yaml, suggest
from litreview.model import Location, Problem, Severity
from litreview.protocol import Protocol
from litreview.screen.engine import EXCLUDE, INCLUDE, Decision, ScreeningResult

AUDIT_VERSION = 1
_SCHEMA = FileSchema(
    "the rule-audit file",
    ("version", "audits"),
    AUDIT_VERSION,
    "the rule-audit file must be a mapping with 'version' and 'audits'",
)
CONFIDENCE = 0.95
_ITEM_KEYS = ("stage", "seed", "date", "population", "keys")
_HEADER = (
    "# Rule audits: random samples of the records the screening rules excluded, drawn by\n"
    "# `litreview screen audit --sample N` for a person to check. Decide the drawn records with\n"
    "# `litreview screen decide`; `litreview screen audit` estimates what the rules lose.\n"
)


@dataclass(frozen=True)
class Draw:
    """One sample drawn for a person to check: from which stage's rule exclusions, and how."""

    stage: str
    seed: int
    date: str
    population: int  # rule exclusions at the stage when the sample was drawn
    keys: tuple[str, ...]
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "seed": self.seed,
            "date": self.date,
            "population": self.population,
            "keys": list(self.keys),
        }


@dataclass(frozen=True)
class AuditEstimate:
    """What the drawn records say about one stage's rule exclusions."""

    stage: str
    excluded_by_rules: int  # records the rules exclude at this stage now (N)
    drawn: int  # drawn records the rules still exclude (the sample)
    checked: int  # of those, the ones a person decided (n)
    kept: tuple[str, ...]  # drawn records a person included: the rules were wrong (k)
    waiting: tuple[str, ...]  # drawn records no person has decided yet
    stale: tuple[
        str, ...
    ]  # drawn keys the rules no longer exclude here (corpus or protocol changed)
    passed: int  # records the stage passed on that the rules did not exclude
    share: tuple[float, float, float] | None  # estimated share wrongly excluded, and its interval
    lost: tuple[float, float, float] | None  # estimated studies lost among the unchecked exclusions
    recall: tuple[float, float, float] | None  # the rules' recall at this stage, and its interval
    #: of ``waiting``, the records some reviewers decided but fewer than the stage needs
    #: (``reviewers:``), with who decided: each waits for another reviewer, not for a first look
    short: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: of ``waiting``, the records whose reviewers disagree and nobody has settled it
    in_conflict: tuple[str, ...] = ()
    reviewers_needed: int = 1  # the stage's ``reviewers:``

    @property
    def undecided(self) -> tuple[str, ...]:
        """Drawn records nobody has decided yet."""
        other = {k for k, _ in self.short} | set(self.in_conflict)
        return tuple(k for k in self.waiting if k not in other)

    def as_dict(self) -> dict[str, Any]:
        def triple(t: tuple[float, float, float] | None) -> dict[str, float] | None:
            return (
                None
                if t is None
                else {"estimate": round(t[0], 4), "low": round(t[1], 4), "high": round(t[2], 4)}
            )

        return {
            "stage": self.stage,
            "excluded_by_rules": self.excluded_by_rules,
            "drawn": self.drawn,
            "checked": self.checked,
            "wrongly_excluded": list(self.kept),
            "waiting": list(self.waiting),
            "stale": list(self.stale),
            "passed": self.passed,
            "confidence": CONFIDENCE,
            "share_wrongly_excluded": triple(self.share),
            "studies_lost": triple(self.lost),
            "recall": triple(self.recall),
            "reviewers_needed": self.reviewers_needed,
            "waiting_for_another_reviewer": {k: list(who) for k, who in self.short},
            "in_conflict": list(self.in_conflict),
        }


# --- statistics --------------------------------------------------------------------------------


def _log_pmf(i: int, n: int, p: float) -> float:
    if p <= 0.0:
        return 0.0 if i == 0 else -math.inf
    if p >= 1.0:
        return 0.0 if i == n else -math.inf
    return (
        math.lgamma(n + 1)
        - math.lgamma(i + 1)
        - math.lgamma(n - i + 1)
        + i * math.log(p)
        + (n - i) * math.log1p(-p)
    )


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X ≤ k) for X ~ Binomial(n, p), summed in log space so that large n cannot overflow."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return min(1.0, sum(math.exp(_log_pmf(i, n, p)) for i in range(k + 1)))


def _solve(f: Any, target: float) -> float:
    """The p in [0, 1] where the monotone ``f`` crosses ``target`` (bisection: exact enough, simple)."""
    lo, hi = 0.0, 1.0
    rising = f(1.0) > f(0.0)
    for _ in range(60):
        mid = (lo + hi) / 2
        if (f(mid) < target) == rising:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def clopper_pearson(k: int, n: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The exact binomial interval for k successes in n trials.

    Exact rather than Wilson or Wald because audit samples are small and the count found is
    often 0, where the normal approximations claim a certainty (an interval of width 0) that a
    sample of 20 cannot give.
    """
    if n <= 0:
        return 0.0, 1.0
    tail = (1 - confidence) / 2
    low = 0.0 if k == 0 else _solve(lambda p: 1 - binomial_cdf(k - 1, n, p), tail)
    high = 1.0 if k >= n else _solve(lambda p: binomial_cdf(k, n, p), tail)
    return low, high


# --- sampling and estimating --------------------------------------------------------------------


def rule_excluded(result: ScreeningResult, stage: str) -> list[str]:
    """Keys of the records the rules exclude at ``stage`` (whatever a person later decided)."""
    out = []
    for r in result.records:
        for s in r.stages:
            if s.stage == stage and s.rule_outcome == EXCLUDE:
                out.append(r.key)
    return sorted(out)


def draw_sample(
    result: ScreeningResult,
    stage: str,
    size: int,
    seed: int,
    taken: Iterable[str] = (),
    date: str | None = None,
) -> Draw:
    """A simple random sample of ``size`` rule exclusions not drawn before; the same for the same seed.

    A string seed is hashed by :mod:`random` with SHA-512, so the draw is the same on every
    machine and Python version that keeps that seeding (every CPython since 3.2).
    """
    population = rule_excluded(result, stage)
    before = set(taken)
    remaining = [k for k in population if k not in before]
    rng = random.Random(f"litreview-audit/{stage}/{seed}")
    keys = sorted(rng.sample(remaining, min(size, len(remaining))))
    return Draw(stage, seed, date or _dt.date.today().isoformat(), len(population), tuple(keys))


def estimate(
    result: ScreeningResult,
    draws: Sequence[Draw],
    stage: str,
    confidence: float = CONFIDENCE,
    decisions: Iterable[Decision] = (),
    reviewers_needed: int = 1,
) -> AuditEstimate:
    """What the drawn records' decisions say about the rules at ``stage``.

    A drawn record counts as checked once people's decision there is settled: at a stage that
    needs two reviewers, one reviewer's decision leaves it waiting for the other (``decisions``
    say who has decided, so the report can say so).

    Recall is that of the rules against the records this stage passes on: the records the stage
    passed that the rules did not exclude, over those plus the estimated eligible records among
    the rule exclusions. Records the stage passed are taken as eligible at this stage, so a
    stage that passes ineligible records makes the recall look better than it is; it is an
    estimate from a sample and is shown with its interval.
    """
    population = set(rule_excluded(result, stage))
    drawn: list[str] = []
    stale: list[str] = []
    for d in draws:
        if d.stage != stage:
            continue
        for key in d.keys:
            (drawn if key in population else stale).append(key)
    drawn = sorted(set(drawn))
    by_key = result.by_key()
    kept: list[str] = []
    waiting: list[str] = []
    checked = 0
    passed = 0
    for r in result.records:
        for s in r.stages:
            if s.stage == stage and s.outcome == INCLUDE and s.rule_outcome != EXCLUDE:
                passed += 1
    wanted = set(drawn)
    deciders: dict[str, set[str]] = {}
    for made in decisions:
        if made.stage == stage and made.key in wanted and not made.resolves:
            deciders.setdefault(made.key, set()).add(made.reviewer)
    short: list[tuple[str, tuple[str, ...]]] = []
    in_conflict: list[str] = []
    for key in drawn:
        sr = next(s for s in by_key[key].stages if s.stage == stage)
        if sr.override is None:
            waiting.append(key)
            if sr.conflict:
                in_conflict.append(key)
            elif key in deciders:
                short.append((key, tuple(sorted(deciders[key]))))
            continue
        checked += 1
        if sr.override.decision == INCLUDE:
            kept.append(key)
    total = len(population)
    share = lost = recall = None
    if checked:
        k = len(kept)
        low, high = clopper_pearson(k, checked, confidence)
        p = k / checked
        share = (p, low, high)
        unchecked = total - checked
        lost = (p * unchecked, low * unchecked, high * unchecked)

        def rec(q: float) -> float:
            return passed / (passed + q * total) if passed + q * total else 1.0

        recall = (rec(p), rec(high), rec(low))
    return AuditEstimate(
        stage,
        total,
        len(drawn),
        checked,
        tuple(kept),
        tuple(waiting),
        tuple(sorted(set(stale))),
        passed,
        share,
        lost,
        recall,
        tuple(short),
        tuple(in_conflict),
        reviewers_needed,
    )


def estimates(
    result: ScreeningResult,
    protocol: Protocol,
    draws: Sequence[Draw],
    decisions: Sequence[Decision] = (),
) -> tuple[AuditEstimate, ...]:
    """One estimate for each stage where the rules exclude anything, in protocol order."""
    out = []
    for stage in protocol.stages:
        est = estimate(result, draws, stage.id, CONFIDENCE, decisions, stage.reviewers)
        if est.excluded_by_rules or est.drawn or est.stale:
            out.append(est)
    return tuple(out)


# --- corpus/rule-audit.yaml -------------------------------------------------------------------


def parse_audits(
    data: Any, path: str, protocol: Protocol
) -> tuple[tuple[Draw, ...], list[Problem]]:
    """The draws in a loaded rule-audit file, and every problem found (nothing raises)."""
    problems: list[Problem] = []

    def err(node: Any, key: str | None, message: str, code: str, hint: str | None = None) -> None:
        problems.append(
            Problem(Location(path, line_of(node, key)), message, Severity.ERROR, code, hint)
        )

    if data is None:
        return (), problems
    items, shape = listed_items(data, path, _SCHEMA, "audits")
    problems.extend(shape)
    if items is None:
        return (), problems
    stages = list(protocol.stage_ids)
    draws: list[Draw] = []
    for item in items:
        if not isinstance(item, Mapping):
            err(
                item,
                None,
                "each audit must be a mapping with stage, seed, date, population and keys",
                "type",
            )
            continue
        bad = False
        for key in item:
            if key not in _ITEM_KEYS:
                err(
                    item,
                    str(key),
                    f"unknown key {key!r}",
                    "unknown-key",
                    suggest(str(key), list(_ITEM_KEYS)),
                )
                bad = True
        stage = str(item.get("stage", ""))
        if stage not in stages:
            err(
                item,
                "stage",
                f"unknown stage {stage!r}",
                "audit-stage",
                suggest(stage, stages) or f"the protocol's stages are {', '.join(stages)}",
            )
            bad = True
        seed, population = item.get("seed"), item.get("population")
        for name, value in (("seed", seed), ("population", population)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                err(item, name, f"{name!r} must be a whole number ≥ 0", "audit-type")
                bad = True
        keys = item.get("keys")
        if not isinstance(keys, list) or not all(isinstance(k, str) and k for k in keys):
            err(item, "keys", "'keys' must be a list of citation keys", "audit-type")
            bad = True
        if not bad:
            assert isinstance(seed, int) and isinstance(population, int) and isinstance(keys, list)
            draws.append(
                Draw(stage, seed, str(item.get("date", "")), population, tuple(keys), line_of(item))
            )
    return tuple(draws), problems


def load_audits(
    path: Path, display: str, protocol: Protocol
) -> tuple[tuple[Draw, ...], list[Problem]]:
    """The draws kept in ``path`` (none when it is absent) and the problems found in it."""
    data, problems = load_optional_yaml(path, display)
    if data is MISSING:
        return (), problems
    draws, found = parse_audits(data, display, protocol)
    return draws, problems + found


def unknown_keys(
    draws: Sequence[Draw], known: Iterable[str], aliases: Mapping[str, str], path: str
) -> list[Problem]:
    """A warning for each drawn key that is neither in the corpus nor absorbed by a merge."""
    present = set(known)
    out = []
    for d in draws:
        for key in d.keys:
            if key not in present and key not in aliases:
                out.append(
                    Problem(
                        Location(path, d.line, key),
                        f"drawn record {key} is not in the corpus; it is not counted in the audit",
                        Severity.WARNING,
                        "audit-unknown-record",
                        missing=key,
                    )
                )
    return out


def format_audits(draws: Sequence[Draw]) -> str:
    return _HEADER + dump_yaml({"version": AUDIT_VERSION, "audits": [d.as_dict() for d in draws]})


def add_draw(
    path: Path,
    display: str,
    protocol: Protocol,
    result: ScreeningResult,
    stage: str,
    size: int,
    seed: int,
    date: str | None = None,
) -> Draw:
    """Draw a new sample and append it to ``path`` under the corpus lock, in one atomic write.

    Records drawn before are never drawn again, so successive draws together stay one simple
    random sample of the stage's rule exclusions (as long as the corpus and protocol do not change
    in between). Raises :class:`ConfigError` when the file is invalid (and writes nothing).
    """
    from litreview.files.fsutil import corpus_lock
    from litreview.files.journal import Change

    if stage not in protocol.stage_ids:
        raise ConfigError(
            [
                Problem(
                    Location("--stage"),
                    f"unknown stage {stage!r}",
                    Severity.ERROR,
                    "audit-stage",
                    suggest(stage, list(protocol.stage_ids)),
                )
            ]
        )
    with corpus_lock(path.parent):
        draws, problems = load_audits(path, display, protocol)
        errors = [p for p in problems if p.is_error]
        if errors:
            raise ConfigError(errors)
        taken = [k for d in draws if d.stage == stage for k in d.keys]
        new = draw_sample(result, stage, size, seed, taken, date)
        if new.keys:
            with Change(path.parent) as change:
                change.write(path, format_audits([*draws, new]))
    return new
