"""Which candidate pairs are worth comparing field by field: pass 1's filter (issue 16).

A candidate pair is compared when its title keys reach :data:`TITLE_PREFILTER` by
``rapidfuzz.fuzz.ratio``, or whatever its titles when it is *excepted*: the two share a DOI or
PMID, a title has another reading (a bracketed original title), one title key starts or ends
with the other (of :data:`TRUNCATED_CHARS` characters or more), or the two share year, volume
and a page range.

:func:`plain` asks this of one pair at a time. At 100k records that is ~840k pairs of which
~3 % pass, and the Python loop round each pair, more than the title ratio itself, was ~20 % of
the matcher's time. :func:`vectorised` asks it of every pair at once with numpy and gives the
same pairs, in the same order, with the same title scores:

* **The title.** ``ratio`` is ``100 * (1 - d / (len(a) + len(b)))``, ``d`` the indel distance,
  and ``d`` is at least the L1 distance between the two keys' character counts (a character
  one key has more of than the other must be inserted or deleted). Counting characters in
  buckets, and capping the counts, only lowers that distance, so it stays a lower bound. A
  pair whose bound puts ``ratio`` a whole character below the cutoff cannot reach it (its
  ``ratio`` with the cutoff is 0.0, as :func:`plain` would get); ``ratio`` itself, the same
  call :func:`plain` makes, scores the rest (~6 % of the pairs at 100k).
* **The exceptions.** Pairs whose records have equal hashes of a DOI, a PMID, pages (with a
  year), or a title key's first or last :data:`TRUNCATED_CHARS` characters (a key that starts
  or ends with a shorter one of that length shares them), or whose title has other readings,
  are asked exactly, by the function :func:`plain` uses; no other pair can be excepted.

numpy is imported only when :func:`vectorised` runs, so commands that never match (and
``litreview --help``) do not load it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from litreview.model import Record
from litreview.text.normalize import first_page

from .rules import page_span

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

#: A pair whose title keys are less similar than this is distinct without further scoring,
#: unless it shares a DOI or PMID, one title is a truncation of the other, a title has another
#: reading (a bracketed original title), or the two share year, volume and page range (or
#: first page).
TITLE_PREFILTER = 85
#: A title key held at the start or end of another is at least this long.
TRUNCATED_CHARS = 25
#: Candidate pairs from which :func:`worth_comparing` asks numpy (below it the plain loop is
#: as quick as loading numpy and making the arrays).
VECTORISE_PAIRS = 20_000
#: Pairs filtered at once, and title keys counted at once (bounds the temporary arrays).
PAIR_CHUNK = 1 << 16
KEY_CHUNK = 20_000

#: A pair worth comparing: the two records' indices and the title prefilter's score (0.0 below
#: the cutoff or when a title key is empty).
Worth = tuple[int, int, float]


def worth_comparing(
    recs: Sequence[Record],
    tkeys: Sequence[str],
    alts: Mapping[int, object],
    codes: Sequence[int],
    places: Sequence[str] | None = None,
) -> list[Worth]:
    """The pairs of ``codes`` (``i * n + j``, ``n = len(recs)``) worth comparing, in the order
    of ``codes``. ``tkeys``: the records' title keys; ``alts``: the records whose title has other
    readings (their indices are its keys); ``places``: the records' :func:`place_key`, when the
    caller has them already."""
    if len(codes) >= VECTORISE_PAIRS:
        return vectorised(recs, tkeys, alts, codes, places)
    return plain(recs, tkeys, alts, codes)


def plain(
    recs: Sequence[Record],
    tkeys: Sequence[str],
    alts: Mapping[int, object],
    codes: Sequence[int],
) -> list[Worth]:
    """:func:`worth_comparing`, one pair at a time."""
    n = len(recs)
    ratio = fuzz.ratio
    out: list[Worth] = []
    for code in codes:
        i, j = divmod(code, n)
        ta, tb = tkeys[i], tkeys[j]
        ts = ratio(ta, tb, score_cutoff=TITLE_PREFILTER) if ta and tb else 0.0
        if ts or excepted(recs, tkeys, alts, i, j):
            out.append((i, j, ts))
    return out


def excepted(
    recs: Sequence[Record], tkeys: Sequence[str], alts: Mapping[int, object], i: int, j: int
) -> bool:
    """Whether records ``i`` and ``j`` are compared however unlike their titles are."""
    ra, rb = recs[i], recs[j]
    if (ra.doi and ra.doi == rb.doi) or (ra.pmid and ra.pmid == rb.pmid) or i in alts or j in alts:
        return True
    ta, tb = tkeys[i], tkeys[j]
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if len(short) >= TRUNCATED_CHARS and (long_.startswith(short) or long_.endswith(short)):
        return True
    return bool(
        ra.pages
        and ra.pages == rb.pages
        and ra.volume == rb.volume
        and ra.year == rb.year
        and ra.year is not None
        and page_span(ra.pages)
    ) or bool(place_key(ra) and place_key(ra) == place_key(rb))


def place_key(r: Record) -> str:
    """Year, volume and first page, when a record has all three: a title that lost its
    subtitle is compared with its full form there (blank otherwise)."""
    page = first_page(r.pages) if r.pages else ""
    return f"{r.year}|{r.volume}|{page}" if r.year is not None and r.volume and page else ""


def vectorised(
    recs: Sequence[Record],
    tkeys: Sequence[str],
    alts: Mapping[int, object],
    codes: Sequence[int],
    places: Sequence[str] | None = None,
) -> list[Worth]:
    """:func:`worth_comparing` with numpy: the same pairs, order and scores as :func:`plain`."""
    import numpy as np

    n = len(recs)
    first, second = np.divmod(np.fromiter(codes, dtype=np.int64, count=len(codes)), n)
    lengths = np.fromiter(map(len, tkeys), dtype=np.int64, count=n)
    counts = _char_counts(tkeys, lengths)
    # what may make a pair excepted, per record: equal hashes of a DOI, a PMID, pages (with a
    # year) or a title key's first or last characters, where they are there; other readings
    long_enough = lengths >= TRUNCATED_CHARS
    shared = [
        _hashed([r.doi for r in recs]),
        _hashed([r.pmid for r in recs]),
        _hashed([r.pages if r.year is not None else "" for r in recs]),
        _hashed(places if places is not None else [place_key(r) for r in recs]),
        (_hashes([t[:TRUNCATED_CHARS] for t in tkeys]), long_enough),
        (_hashes([t[-TRUNCATED_CHARS:] for t in tkeys]), long_enough),
    ]
    has_alts = np.zeros(n, dtype=bool)
    has_alts[[i for i in alts if 0 <= i < n]] = True

    ratio = fuzz.ratio
    out: list[Worth] = []
    for start in range(0, len(first), PAIR_CHUNK):
        a, b = first[start : start + PAIR_CHUNK], second[start : start + PAIR_CHUNK]
        # the title: the pairs whose ratio may reach the cutoff, then ratio itself for those.
        # ratio >= cutoff needs d <= (1 - cutoff / 100) * (la + lb), and d >= apart: a pair
        # is left out only when apart is over that by a whole character (no rounding matters)
        la, lb = lengths[a], lengths[b]
        apart = np.abs(counts[a] - counts[b]).sum(axis=1, dtype=np.int64)
        close = (la > 0) & (lb > 0) & (100 * apart < (100 - TITLE_PREFILTER) * (la + lb) + 100)
        scores = np.zeros(len(a), dtype=np.float64)
        at = np.flatnonzero(close)
        scores[at] = [
            ratio(tkeys[i], tkeys[j], score_cutoff=TITLE_PREFILTER)
            for i, j in zip(a[at].tolist(), b[at].tolist(), strict=True)
        ]
        keep = scores > 0
        # the exceptions: every pair that may be excepted, then each of those asked exactly
        maybe = has_alts[a] | has_alts[b]
        for hashes, present in shared:
            maybe |= (hashes[a] == hashes[b]) & present[a] & present[b]
        at = np.flatnonzero(maybe & ~keep)
        keep[at] = [
            excepted(recs, tkeys, alts, i, j)
            for i, j in zip(a[at].tolist(), b[at].tolist(), strict=True)
        ]
        at = np.flatnonzero(keep)
        out.extend(zip(a[at].tolist(), b[at].tolist(), scores[at].tolist(), strict=True))
    return out


def _hashes(values: Sequence[str]) -> NDArray[np.int64]:
    import numpy as np

    return np.fromiter(map(hash, values), dtype=np.int64, count=len(values))


def _hashed(values: Sequence[str]) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Each value's hash (equal values, equal hashes), and whether it is there (not blank)."""
    import numpy as np

    return _hashes(values), np.fromiter(map(bool, values), dtype=bool, count=len(values))


_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 "
#: buckets shared by every other character (by its code point)
_REST = 8
_BUCKETS = len(_ALPHABET) + _REST
#: an ASCII character's bucket, by its byte
_ASCII_BUCKET = bytes(
    _ALPHABET.index(chr(c)) if chr(c) in _ALPHABET else len(_ALPHABET) + c % _REST
    for c in range(256)
)


def _char_counts(tkeys: Sequence[str], lengths: NDArray[np.int64]) -> NDArray[np.int16]:
    """Per title key, how many of its characters fall in each bucket (each letter, digit and the
    space its own, the others shared), as an ``(n, buckets)`` array."""
    import numpy as np

    counts = np.empty((len(tkeys), _BUCKETS), dtype=np.int16)
    for start in range(0, len(tkeys), KEY_CHUNK):
        part = tkeys[start : start + KEY_CHUNK]
        joined = "".join(part)
        bucket: NDArray[np.integer]
        if joined.isascii():
            bucket = np.frombuffer(joined.encode("ascii").translate(_ASCII_BUCKET), dtype=np.uint8)
        else:  # one code point a unit, as len() and rapidfuzz count them
            chars = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            bucket = np.where(
                chars < 128,
                np.frombuffer(_ASCII_BUCKET, dtype=np.uint8)[np.minimum(chars, 127)],
                len(_ALPHABET) + chars % _REST,
            )
        owner = np.repeat(np.arange(len(part), dtype=np.int64), lengths[start : start + len(part)])
        found = np.bincount(owner * _BUCKETS + bucket, minlength=len(part) * _BUCKETS)
        # capped, so that a difference fits too: a capped count is still a lower bound
        counts[start : start + len(part)] = np.minimum(found, 0x7FFF).reshape(len(part), _BUCKETS)
    return counts
