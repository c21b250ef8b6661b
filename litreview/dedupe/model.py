"""How much each field's agreement says, learnt from the corpus being deduplicated.

A Fellegi–Sunter model: every compared field falls into an agreement *level* (title exact,
close, ...; missing when either record lacks the field). For each level the model holds

* ``m``: how often two records of one work reach that level, and
* ``u``: how often two records of different works do,

and a pair's **match weight** is the sum over its fields of ``log2(m / u)`` plus the prior
odds of a random pair being a duplicate. A field that is noise in this library (an issue
column filled with database accession numbers) disagrees as often within true pairs as
between random ones, so its weight falls to about zero and it stops counting.

``u`` comes from a deterministic sample of random record pairs (nearly all of which are
different works). ``m`` and the share of duplicates among the candidate pairs come from EM on
the counts of distinct agreement patterns among the candidate pairs (not on the pairs
themselves, so it costs next to nothing at a million records). Both start from, and are pulled
towards, default values by a prior worth :data:`PRIOR_PAIRS` pairs, so a small corpus (the
shipped review has six duplicates) gets sensible weights and a large one gets its own. Where
enough candidate pairs share an identifier, their agreement on volume, issue and pages is a
floor for ``m`` (:func:`anchored_m`), and a column's pairs teach EM nothing about those fields
(:data:`RECURRING`): with few identifiers, EM took a column's issues for duplicates that
disagree on the issue.

The weights only rank and score; the never-merge rules in :mod:`.rules` still hold records
apart whatever the score says.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

#: The compared fields and their levels, best agreement first. Level -1 is "missing".
FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # exact; exact but carried by more than two records (Editorial, Editor's comments); >= 95;
    # >= 90; >= 85; below
    ("title", ("exact", "exact, common", "near-exact", "close", "similar", "different")),
    ("authors", ("all", "most", "some", "none")),
    ("year", ("same", "one apart", "different")),
    ("container", ("same", "similar", "different")),
    ("volume", ("same", "different")),
    ("issue", ("same", "different")),
    ("pages", ("same", "different")),
    ("id", ("same", "different")),  # DOI or PMID
)
FIELD_NAMES = tuple(name for name, _ in FIELDS)
MISSING = -1
#: The last element of an EM pattern: whether the pair is known to be one work (1), known to
#: be two (0: a never-merge rule or a person said so), or unknown (-1); :data:`ANCHOR` (2) is
#: a pair that shares an identifier (a DOI that names no container, or a PMID): one work, and
#: one whose fields tell how often two records of one work agree (see :func:`estimate`).
UNKNOWN = -1
ANCHOR = 2
#: An unknown pair of a title some export lists more than once or the library holds in two
#: places of one volume (a journal's column): EM weighs it as unknown, but it teaches nothing
#: about the :data:`PLACE_FIELDS`, the only fields that tell such records apart (learning from
#: it that duplicates disagree on them would be circular).
RECURRING = 3
PLACE_FIELDS = ("volume", "issue", "pages")
#: The fields whose ``m`` the identifier-sharing pairs measure, as a floor for EM's, when there
#: are enough of them: the place fields, whose disagreement keeps two works apart.
ANCHORED_FIELDS = PLACE_FIELDS
#: How many identifier-sharing pairs that both have a field measure a floor for its ``m``.
ANCHOR_MIN = 50

#: Starting ``m`` (duplicates) per field level, and the ``u`` EM starts from for the
#: candidate pairs that are not duplicates (similar titles, so agreement is common there).
_DEFAULT_M: dict[str, tuple[float, ...]] = {
    "title": (0.68, 0.02, 0.18, 0.06, 0.03, 0.03),
    "authors": (0.85, 0.08, 0.04, 0.03),
    "year": (0.90, 0.07, 0.03),
    "container": (0.85, 0.10, 0.05),
    "volume": (0.95, 0.05),
    "issue": (0.93, 0.07),
    "pages": (0.93, 0.07),
    "id": (0.98, 0.02),
}
_DEFAULT_U_CANDIDATES: dict[str, tuple[float, ...]] = {
    "title": (0.04, 0.01, 0.10, 0.15, 0.20, 0.50),
    "authors": (0.05, 0.05, 0.10, 0.80),
    "year": (0.30, 0.20, 0.50),
    "container": (0.30, 0.20, 0.50),
    "volume": (0.20, 0.80),
    "issue": (0.30, 0.70),
    "pages": (0.05, 0.95),
    "id": (0.01, 0.99),
}
#: How many pairs the defaults are worth against the corpus's own evidence.
PRIOR_PAIRS = 30.0
#: Random pairs sampled to estimate ``u``, and among how many records.
U_SAMPLE = 20_000
U_RECORDS = 2_000
EM_ITERATIONS = 60
#: No single field may say more than this many bits either way.
MAX_BITS = 16.0


@dataclass(frozen=True)
class Model:
    """The weights of one run: bits per field level, and the prior in bits."""

    weights: Mapping[str, tuple[float, ...]]
    m: Mapping[str, tuple[float, ...]]
    u: Mapping[str, tuple[float, ...]]
    prior_bits: float
    duplicate_share: float  # estimated share of duplicates among the candidate pairs
    candidate_pairs: int
    sampled_pairs: int

    def contributions(self, levels: Sequence[int]) -> dict[str, float | None]:
        """Bits each field adds to the match weight (None when the field is missing)."""
        out: dict[str, float | None] = {}
        for (name, _), level in zip(FIELDS, levels, strict=True):
            out[name] = None if level == MISSING else round(self.weights[name][level], 2)
        return out

    def bits(self, levels: Sequence[int]) -> float:
        """The match weight: the prior plus every field's bits."""
        total = self.prior_bits
        for (name, _), level in zip(FIELDS, levels, strict=True):
            if level != MISSING:
                total += self.weights[name][level]
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "prior_bits": round(self.prior_bits, 2),
            "duplicate_share_of_candidates": round(self.duplicate_share, 4),
            "candidate_pairs": self.candidate_pairs,
            "sampled_pairs": self.sampled_pairs,
            "fields": {
                name: {
                    lvl: {
                        "bits": round(self.weights[name][i], 2),
                        "m": round(self.m[name][i], 4),
                        "u": round(self.u[name][i], 6),
                    }
                    for i, lvl in enumerate(levels)
                }
                for name, levels in FIELDS
            },
        }


def probability(bits: float) -> float:
    """Posterior probability of a duplicate from a match weight in bits."""
    if bits > 60:
        return 1.0
    if bits < -60:
        return 0.0
    return 1.0 / (1.0 + math.pow(2.0, -bits))


def sample_pairs(n: int, count: int = U_SAMPLE, seed: int = 20261205) -> list[tuple[int, int]]:
    """Deterministic random pairs ``i < j`` of ``n`` records (all pairs when there are few).

    The pairs are drawn among at most :data:`U_RECORDS` records, so that only those records'
    features are computed: 20,000 pairs of 2,000 records tell ``u`` as well as pairs of all.
    """
    total = n * (n - 1) // 2
    if total <= count:
        return [(i, j) for i in range(n) for j in range(i + 1, n)]
    rng = random.Random(seed)
    pool = sorted(rng.sample(range(n), min(n, U_RECORDS)))
    k = len(pool)
    out: list[tuple[int, int]] = []
    for _ in range(count):
        x = rng.randrange(k)
        y = rng.randrange(k - 1)
        if y >= x:
            y += 1
        i, j = pool[x], pool[y]
        out.append((i, j) if i < j else (j, i))
    return out


def _normalise(counts: Sequence[float]) -> tuple[float, ...]:
    total = sum(counts)
    return tuple(c / total for c in counts)


#: How many random pairs the default ``u`` is worth: a small corpus leans on it.
PRIOR_U_PAIRS = 2_000.0


def count_levels(sampled: Iterable[Sequence[int]]) -> dict[str, list[float]]:
    """How many of the sampled pairs reach each field level (``sampled``: each pair's levels)."""
    counts = {name: [0.0] * len(levels) for name, levels in FIELDS}
    for pattern in sampled:
        for (name, _), level in zip(FIELDS, pattern, strict=True):
            if level != MISSING:
                counts[name][level] += 1
    return counts


def estimate(
    patterns: Mapping[tuple[int, ...], int],
    sample_counts: Mapping[str, Sequence[float]],
    sample_size: int,
    n_records: int,
    expected_duplicates: float | None = None,
) -> Model:
    """Fit ``m`` and the duplicate share by EM on the candidate pairs' pattern counts (each
    pattern's levels followed by its label: :data:`UNKNOWN`, 0 or 1), then
    ``u`` from the random sample less the duplicates the sample is expected to hold (in a
    small corpus the sample is every pair, duplicates included)."""
    items = sorted(patterns.items())
    total_pairs = sum(c for _, c in items)
    m = {name: list(_DEFAULT_M[name]) for name in FIELD_NAMES}
    # how often two records of one work agree, measured where that is known: the pairs that
    # share an identifier. Without enough of them EM infers it from every candidate pair, and
    # where few records carry an identifier, pairs that differ only in their place (a
    # journal's column in each issue, by one editor) teach it that the place is noise. The
    # measure is a floor: a field is trusted at least as much as those pairs show (EM's own
    # estimate stands when it trusts the field more; a field is noise only when both say so)
    anchored = anchored_m(items)
    m = {name: _trusting(m[name], anchored.get(name)) for name in FIELD_NAMES}
    uc = {name: list(_DEFAULT_U_CANDIDATES[name]) for name in FIELD_NAMES}
    share = 0.3 if items else 0.0
    dup_level_counts: dict[str, list[float]] = {}
    for _ in range(EM_ITERATIONS if items else 0):
        m_counts = {name: [PRIOR_PAIRS * p for p in _DEFAULT_M[name]] for name in FIELD_NAMES}
        u_counts = {
            name: [PRIOR_PAIRS * p for p in _DEFAULT_U_CANDIDATES[name]] for name in FIELD_NAMES
        }
        dup_total = 0.0
        for key, count in items:
            pattern, label = key[:-1], key[-1]
            if label in (UNKNOWN, RECURRING):
                lm, lu = math.log(share), math.log(1.0 - share)
                for (name, _), level in zip(FIELDS, pattern, strict=True):
                    if level != MISSING:
                        lm += math.log(m[name][level])
                        lu += math.log(uc[name][level])
                top = max(lm, lu)
                w = math.exp(lm - top) / (math.exp(lm - top) + math.exp(lu - top))
            else:
                w = 1.0 if label == ANCHOR else float(label)
            dup_total += w * count
            for (name, _), level in zip(FIELDS, pattern, strict=True):
                if level != MISSING and not (label == RECURRING and name in PLACE_FIELDS):
                    m_counts[name][level] += w * count
                    u_counts[name][level] += (1.0 - w) * count
        dup_level_counts = {
            name: [c - PRIOR_PAIRS * _DEFAULT_M[name][k] for k, c in enumerate(cs)]
            for name, cs in m_counts.items()
        }
        m = {
            name: _trusting(list(_normalise(c)), anchored.get(name)) for name, c in m_counts.items()
        }
        uc = {name: list(_normalise(c)) for name, c in u_counts.items()}
        share = min(max(dup_total / total_pairs, 1e-6), 1 - 1e-6)
    all_pairs = max(n_records * (n_records - 1) / 2, 1.0)
    in_sample = min(sample_size / all_pairs, 1.0)
    u_random: dict[str, tuple[float, ...]] = {}
    for name in FIELD_NAMES:
        counts = list(sample_counts.get(name, [0.0] * len(_DEFAULT_M[name])))
        dup = dup_level_counts.get(name) if items else None
        adjusted = [
            max(c - (dup[k] * in_sample if dup else 0.0), 0.0)
            + PRIOR_U_PAIRS * _DEFAULT_U_RANDOM[name][k]
            for k, c in enumerate(counts)
        ]
        u_random[name] = _normalise(adjusted)
    if expected_duplicates is None:
        expected_duplicates = max(share * total_pairs, 1.0)
    lam = min(expected_duplicates / all_pairs, 0.5)
    return build(
        {k: tuple(v) for k, v in m.items()},
        u_random,
        math.log2(lam / (1 - lam)),
        share,
        total_pairs,
        sample_size,
    )


def _trusting(m: Sequence[float], anchored: Sequence[float] | None) -> list[float]:
    """``m`` of a field, or the identifier-sharing pairs' ``anchored`` when they show two
    records of one work agreeing on it more often (level 0)."""
    if anchored is not None and anchored[0] > m[0]:
        return list(anchored)
    return list(m)


def anchored_m(items: Iterable[tuple[tuple[int, ...], int]]) -> dict[str, tuple[float, ...]]:
    """``m`` of each of :data:`ANCHORED_FIELDS` that at least :data:`ANCHOR_MIN`
    identifier-sharing pairs (label :data:`ANCHOR`) both have, from those pairs, pulled
    towards the default by the prior's :data:`PRIOR_PAIRS`."""
    counts = {name: [0.0] * len(levels) for name, levels in FIELDS if name in ANCHORED_FIELDS}
    for key, count in items:
        if key[-1] != ANCHOR:
            continue
        for (name, _), level in zip(FIELDS, key[:-1], strict=True):
            if level != MISSING and name in counts:
                counts[name][level] += count
    return {
        name: _normalise([c + PRIOR_PAIRS * p for c, p in zip(cs, _DEFAULT_M[name], strict=True)])
        for name, cs in counts.items()
        if sum(cs) >= ANCHOR_MIN
    }


def _round(value: float) -> float:
    return float(f"{value:.6g}")


def build(
    m: Mapping[str, Sequence[float]],
    u: Mapping[str, Sequence[float]],
    prior_bits: float,
    share: float = 0.0,
    candidate_pairs: int = 0,
    sampled_pairs: int = 0,
) -> Model:
    """A model from its probabilities, rounded so that the copy kept in duplicates.yaml
    reads back as exactly the same model."""
    mr = {name: tuple(_round(x) for x in m[name]) for name in FIELD_NAMES}
    ur = {name: tuple(_round(x) for x in u[name]) for name in FIELD_NAMES}
    weights: dict[str, tuple[float, ...]] = {}
    for name in FIELD_NAMES:
        mono: list[float] = []
        for k in range(len(mr[name])):
            # agreement never counts against a pair more than a worse level does, and no
            # field decides alone beyond MAX_BITS
            w = max(-MAX_BITS, min(MAX_BITS, math.log2(mr[name][k] / ur[name][k])))
            mono.append(w if not mono else min(w, mono[-1]))
        weights[name] = tuple(mono)
    return Model(
        weights=weights,
        m=mr,
        u=ur,
        prior_bits=_round(prior_bits),
        duplicate_share=_round(share),
        candidate_pairs=candidate_pairs,
        sampled_pairs=sampled_pairs,
    )


def from_yaml(doc: Mapping[str, Any]) -> Model | None:
    """The model kept in duplicates.yaml, or None when it is not one this version wrote."""
    try:
        fields = doc["fields"]
        m = {name: tuple(float(x) for x in fields[name]["m"]) for name, _ in FIELDS}
        u = {name: tuple(float(x) for x in fields[name]["u"]) for name, _ in FIELDS}
        if any(
            len(m[name]) != len(levels) or len(u[name]) != len(levels) for name, levels in FIELDS
        ):
            return None
        if any(x <= 0 for name in FIELD_NAMES for x in (*m[name], *u[name])):
            return None
        return build(
            m,
            u,
            float(doc["prior_bits"]),
            float(doc.get("duplicate_share", 0.0)),
            int(doc.get("candidate_pairs", 0)),
            int(doc.get("sampled_pairs", 0)),
        )
    except (KeyError, TypeError, ValueError):
        return None


def to_yaml(model: Model, fitted_on: str) -> dict[str, Any]:
    return {
        "fitted_on": fitted_on,
        "prior_bits": model.prior_bits,
        "duplicate_share": model.duplicate_share,
        "candidate_pairs": model.candidate_pairs,
        "sampled_pairs": model.sampled_pairs,
        "fields": {
            name: {"m": list(model.m[name]), "u": list(model.u[name])} for name in FIELD_NAMES
        },
    }


#: ``u`` for a corpus we know nothing about (a pair compared on its own, as in tests): roughly
#: what random pairs of a few thousand records show.
_DEFAULT_U_RANDOM: dict[str, tuple[float, ...]] = {
    "title": (1e-5, 1e-4, 2e-5, 5e-5, 1e-4, 0.99982),
    "authors": (2e-4, 5e-4, 0.01, 0.9893),
    "year": (0.10, 0.15, 0.75),
    "container": (0.05, 0.05, 0.90),
    "volume": (0.05, 0.95),
    "issue": (0.15, 0.85),
    "pages": (0.005, 0.995),
    "id": (1e-5, 0.99999),
}


def default_model() -> Model:
    """The model before any data: the defaults, and the prior of a library of about 10,000
    records with 500 duplicate pairs."""
    return estimate({}, {}, 0, 10_000, expected_duplicates=500.0)


@dataclass(frozen=True)
class Thresholds:
    """Where a pair's probability of being one work sends it."""

    merge_at: float = 0.99  # merged automatically (if no never-merge rule and the title agrees)
    queue_at: float = 0.5  # waits for a person in the unsure queue; below: kept apart
