"""Finding duplicates: blocking, scoring, clustering under constraints, merging. Pure: no I/O.

The result depends only on the set of records and decisions, never on their order: records
are sorted by citation key first, candidate pairs are scored independently, and merges are
made in a fixed order (people's ``same`` decisions, then pairs by score, then by keys).
"""

from __future__ import annotations

import itertools
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from litreview.corpus.mergemap import MergeMap
from litreview.errors import InputError
from litreview.files.bulk import paused_gc
from litreview.model import Location, Problem, Provenance, Record, Severity
from litreview.progress import Progress, track
from litreview.text.normalize import title_key
from litreview.workers import split_map, worker_count

from .model import (
    ANCHOR,
    FIELDS,
    MISSING,
    RECURRING,
    UNKNOWN,
    Model,
    Thresholds,
    count_levels,
    estimate,
    sample_pairs,
)
from .pairs import DIFFERENT, SAME, Decision, Merge, Pair
from .prefilter import Worth, place_key, worth_comparing
from .rules import (
    DISTINCT,
    DUPLICATE,
    TITLE_WORDING_RULES,
    UNSURE,
    Comparison,
    Features,
    Place,
    Verdict,
    author_overlap,
    compare,
    compare_fields,
    container_similarity,
    count_key,
    dedupe_title_key,
    features,
    first_author_key,
    is_preprint,
    levels,
    never_merge,
    place,
    placed_apart,
    series_heads,
    title_text,
    title_variants,
    umlauts_written_out,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

#: Characters of the space-free title key that make the title-prefix block.
PREFIX_CHARS = 24
#: Blocks larger than this are not compared all-against-all but by sorted neighbourhood.
MAX_BLOCK = 48
#: A record without a place whose links to two records placed apart weigh within this many
#: bits of each other (a factor of four in likelihood) joins neither: a person decides.
TIE_BITS = 2.0
#: Sorted-neighbourhood window (each record is compared with the next ``WINDOW - 1``).
WINDOW = 4
#: Records from which the candidate pairs are made with numpy (below it a loop is as quick).
VECTORISE_RECORDS = 5_000
#: Candidate pairs per forked worker below which pass 1 stays in one process (a 100k corpus
#: has ~840k candidate pairs; a fork that touches records all over the corpus costs ~0.5 s).
#: What is split is the work after the title filter: the ~3 % of them worth comparing, their
#: records' features, and the model's random pairs.
PAIRS_PER_WORKER = 100_000
#: Compared pairs per forked worker below which the verdicts are made in one process (~45 µs a
#: pair: 25,000 at 100k records)
JUDGED_PER_WORKER = 10_000


@dataclass(frozen=True)
class DedupeResult:
    records: tuple[Record, ...]
    merges: tuple[Merge, ...]
    unsure: tuple[Pair, ...]
    input_records: int
    candidate_pairs: int
    scored_pairs: int
    problems: tuple[Problem, ...] = ()
    seconds: float = 0.0
    model: Model | None = None
    #: compares two records exactly as this run did (its model, thresholds, container DOIs and
    #: common titles): ``dedupe --explain``
    judge: Callable[[Record, Record], Verdict] | None = field(
        default=None, compare=False, repr=False
    )
    #: records after the run, when ``records`` is not kept (a settled run read back from the cache)
    records_after: int | None = None
    #: the records whose screening decisions shaped this run: those of a pair a reviewer's
    #: differing decisions kept apart (or kept a person's 'same' from applying), and of a pair
    #: waiting as a tie, which a decision would keep apart in other words. In a run that merged
    #: nothing, every other pair the matcher would merge was kept apart by a rule, which says
    #: so before any decision is looked at (see ``blocked``): decisions on other records
    #: cannot change its result
    screening_watched: tuple[str, ...] = ()
    #: the dedupe log as this run left it (a :class:`~litreview.dedupe.store.DuplicatesFile`),
    #: for checks that would otherwise read it back; None for a result the matcher alone made
    #: or that was read back from the cache
    log: Any = field(default=None, compare=False, repr=False)
    #: the keys of the records of ``records`` that are input records passed on as they were
    #: (not merged): their blocking keys (``keep_keyed``) hold for them in the file this run
    #: writes too
    passed_on: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def originals(self) -> dict[str, tuple[Record, ...]]:
        """Survivor key -> the records it was made of (itself before the merge, and those it
        absorbed), for the next run's ``originals``."""
        out: dict[str, tuple[Record, ...]] = {}
        for m in self.merges:
            out[m.survivor] = (*out.get(m.survivor, (m.before,)), *m.absorbed)
        return out

    @property
    def same_held_back(self) -> tuple[Problem, ...]:
        """The warnings of people's 'same' decisions this run could not apply (a 'different',
        or one reviewer's two screening decisions, holds each back): no longer in the unsure
        queue, the two records still two."""
        return tuple(p for p in self.problems if p.code == "decision-conflict")

    @property
    def merged(self) -> int:
        """How many records were absorbed."""
        return sum(len(m.absorbed) for m in self.merges)

    def summary(self) -> dict[str, Any]:
        return {
            "records": self.input_records,
            "candidate_pairs": self.candidate_pairs,
            "scored_pairs": self.scored_pairs,
            "merged": self.merged,
            "merges": len(self.merges),
            "unsure": len(self.unsure),
            "records_after": len(self.records)
            if self.records_after is None
            else self.records_after,
            "seconds": round(self.seconds, 3),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            **self.summary(),
            "merge_groups": [m.as_dict() for m in self.merges],
            "unsure_pairs": [p.as_dict() for p in self.unsure],
            "problems": [p.as_dict() for p in self.problems],
            "model": None if self.model is None else self.model.as_dict(),
        }


# --- blocking ----------------------------------------------------------------------------------


def candidate_pairs(
    records: Sequence[Record],
    tkeys: Sequence[str],
    alt_tkeys: Mapping[int, tuple[str, ...]] | None = None,
    places: Sequence[str] | None = None,
    keyed: Sequence[Sequence[str]] | None = None,
) -> set[int]:
    """Pairs ``i * n + j`` (``i < j``) worth scoring: records sharing a block, or neighbours.

    Blocks: DOI, PMID, the first characters of the title key, the title's first significant
    words in alphabetical order (robust to word order and to a typo early in the title), first
    author + year, year + volume + first page, volume + first page; plus a sorted neighbourhood
    over the title keys.
    A title's other readings (``alt_tkeys``: record index -> keys) join the title-prefix blocks
    too. A block too large to compare all-against-all (``Editorial``, ``Wang 2020``) is compared
    by sorted neighbourhood instead. ``places``: the records' :func:`.prefilter.place_key`, when
    the caller has them already; ``keyed``: each record's :func:`record_blocks`, likewise.
    """
    n = len(records)
    compact = [t.replace(" ", "") for t in tkeys]
    if keyed is None:
        keyed = [
            record_blocks(r, tkeys[i], places[i] if places is not None else place_key(r))
            for i, r in enumerate(records)
        ]
    blocks: defaultdict[str, list[int]] = defaultdict(list)
    for i, names in enumerate(keyed):
        for name in names:
            blocks[name].append(i)
    for i, alts in (alt_tkeys or {}).items():
        own = {compact[i][:PREFIX_CHARS]}  # a record joins each block once
        for alt in alts:
            prefix = alt.replace(" ", "")[:PREFIX_CHARS]
            if len(prefix) >= 6 and prefix not in own and blocks.get("t" + prefix) is not None:
                blocks["t" + prefix].append(i)
                own.add(prefix)
    # one sort by title key serves the neighbourhood of every large block and of the whole set
    order = sorted(range(n), key=compact.__getitem__)  # stable: ties stay in index order
    groups = [members for members in blocks.values() if len(members) >= 2]
    if n >= VECTORISE_RECORDS:
        return _pairs_vectorised(groups, order, n)
    return _pairs_plain(groups, order, n)


#: what :func:`_keyed` gives for one record
Keyed = tuple[str, tuple[str, ...], str, tuple[str, ...]]


def _keyed(recs: Sequence[Record], start: int, stop: int) -> list[Keyed]:
    """For records ``start`` to ``stop``: the title key, the title's other readings (empty but
    for a title with a bracket), :func:`.prefilter.place_key` and :func:`record_blocks`. Made
    from the record's fields alone (a dedupe keeps them for the records it writes back as they
    were read, for the next run over that file: see :attr:`DedupeResult.passed_on`)."""
    out = []
    for r in recs[start:stop]:
        tkey = dedupe_title_key(r.title)
        readings = title_variants(title_text(r.title), tkey) if "[" in r.title else ()
        where = place_key(r)
        out.append((tkey, readings or (), where, record_blocks(r, tkey, where)))
    return out


#: how many records' :func:`_keyed` this process made (tests read it)
KEYED_MADE = 0


def _keyed_of(
    recs: Sequence[Record], keys: Sequence[str], known: Mapping[str, Keyed]
) -> list[Keyed]:
    """:func:`_keyed` of every record of ``recs`` (whose keys are ``keys``): ``known``'s where it
    has the key, made for the others."""
    global KEYED_MADE
    todo = [i for i, k in enumerate(keys) if k not in known] if known else None
    if todo is None or len(todo) == len(recs):
        KEYED_MADE += len(recs)
        return split_map(lambda start, stop: _keyed(recs, start, stop), len(recs))
    KEYED_MADE += len(todo)
    missing = [recs[i] for i in todo]
    made = iter(split_map(lambda start, stop: _keyed(missing, start, stop), len(missing)))
    return [known[k] if k in known else next(made) for k in keys]


def record_blocks(r: Record, tkey: str, where: str) -> tuple[str, ...]:
    """The blocks of :func:`candidate_pairs` that record ``r`` is in (its title key ``tkey``,
    its :func:`.prefilter.place_key` ``where``), but those of its title's other readings."""
    out = []
    if r.doi:
        out.append("d" + r.doi)
    if r.pmid:
        out.append("p" + r.pmid)
    c = tkey.replace(" ", "")
    if len(c) >= 6:
        out.append("t" + c[:PREFIX_CHARS])
        words = sorted({w for w in tkey.split() if len(w) > 3})
        if len(words) >= 3:
            out.append("s" + " ".join(words[:3]))
    if r.authors and r.year is not None:
        fa = first_author_key(r.authors)
        if fa:
            # an umlaut written out or left off (``Gruesser``, ``Grusser``) is one name
            out.append(f"a{umlauts_written_out(fa)}{r.year}")
    # the same year, volume and first page: one item whose titles share no start and no
    # words (a translated title, ``Verhaltenssucht ... = Behavioural addiction`` against
    # ``Behavioural addiction``) and whose first author is spelt two ways; pass 1 compares
    # such a pair whatever its titles. Not an article's own page 1, which every article
    # of an article-numbered journal has
    if where and not where.endswith("|1"):
        out.append("w" + where)
        # and the same volume and first page whatever the year: the online year on one
        # database's record and the print year on another's, where a typo early in the title
        # and a DOI on one record only leave no other block in common
        out.append("v" + where.split("|", 1)[1])
    return tuple(out)


def _pairs_plain(groups: Sequence[list[int]], order: list[int], n: int) -> set[int]:
    """The pairs of the blocks (``groups``, in order) and of the neighbourhood in ``order``."""
    pairs: set[int] = set()
    add = pairs.add
    rank = [0] * n
    for pos, k in enumerate(order):
        rank[k] = pos
    for members in groups:
        m = len(members)
        if m <= MAX_BLOCK:
            for x in range(m):
                i = members[x]
                for y in range(x + 1, m):
                    j = members[y]
                    add(i * n + j if i < j else j * n + i)
        else:
            _window(sorted(members, key=rank.__getitem__), n, add)
    _window(order, n, add)
    return pairs


def _window(ordered: Sequence[int], n: int, add: Any) -> None:
    m = len(ordered)
    for x in range(m):
        i = ordered[x]
        for y in range(x + 1, min(x + WINDOW, m)):
            j = ordered[y]
            add(i * n + j if i < j else j * n + i)


def _pairs_vectorised(groups: Sequence[list[int]], order: list[int], n: int) -> set[int]:
    """:func:`_pairs_plain` with numpy: the same pairs added to the set in the same sequence, so
    that the set is the same down to the order it iterates in (which pass 1 keeps), but each
    run of blocks and each neighbourhood made at once rather than a pair at a time."""
    import numpy as np

    ordered = np.array(order, dtype=np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[ordered] = np.arange(n, dtype=np.int64)
    parts = []
    small: list[list[int]] = []  # a run of small blocks, made together
    for members in groups:
        if len(members) <= MAX_BLOCK:
            small.append(members)
            continue
        if small:
            parts.append(_block_pairs(small, n))
            small = []
        block = np.array(members, dtype=np.int64)
        parts.append(_window_pairs(block[np.argsort(rank[block], kind="stable")], n))
    if small:
        parts.append(_block_pairs(small, n))
    parts.append(_window_pairs(ordered, n))
    pairs: set[int] = set()
    for part in parts:
        for start in range(0, len(part), 1 << 20):  # a list of a million at a time
            pairs.update(part[start : start + (1 << 20)].tolist())
    return pairs


def _block_pairs(blocks: Sequence[list[int]], n: int) -> NDArray[np.int64]:
    """Every pair within each block, in :func:`_pairs_plain`'s order: block by block, then
    each member with each one after it."""
    import numpy as np

    sizes = np.fromiter(map(len, blocks), dtype=np.int64, count=len(blocks))
    members = np.fromiter(
        itertools.chain.from_iterable(blocks), dtype=np.int64, count=int(sizes.sum())
    )
    position = np.arange(len(members), dtype=np.int64)
    after = np.repeat(np.cumsum(sizes), sizes) - 1 - position  # members after each in its block
    firsts = np.repeat(position, after)
    run_starts = np.cumsum(after) - after
    seconds = firsts + 1 + np.arange(len(firsts), dtype=np.int64) - np.repeat(run_starts, after)
    return _pair_codes(members[firsts], members[seconds], n)


def _window_pairs(ordered: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    """Each of ``ordered`` with the next ``WINDOW - 1``, in :func:`_window`'s order."""
    import numpy as np

    at = np.arange(len(ordered), dtype=np.int64)[:, None] + np.arange(1, WINDOW, dtype=np.int64)
    inside = at < len(ordered)
    firsts = np.broadcast_to(ordered[:, None], at.shape)[inside]
    return _pair_codes(firsts, ordered[at[inside]], n)


def _pair_codes(a: NDArray[np.int64], b: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    import numpy as np

    return np.minimum(a, b) * n + np.maximum(a, b)


# --- the whole run -----------------------------------------------------------------------------


@paused_gc()  # a million candidate pairs make short-lived tuples, none of them in cycles
def find_duplicates(
    records: Iterable[Record],
    decisions: Iterable[Decision] = (),
    aliases: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    thresholds: Thresholds | None = None,
    model: Model | None = None,
    originals: Mapping[str, Sequence[Record]] | None = None,
    screened: Mapping[str, Mapping[tuple[str, str], str]] | None = None,
    keyed: Callable[[], Mapping[str, Keyed] | None] | None = None,
    keep_keyed: Callable[[Mapping[str, Keyed]], None] | None = None,
    pending: Iterable[tuple[str, str]] = (),
) -> DedupeResult:
    """Find and merge duplicates among ``records``; pure, deterministic, order-independent.

    ``decisions`` are people's pair verdicts: ``same`` merges the pair, ``different`` keeps it
    apart (also through third records). ``aliases`` maps keys absorbed by earlier merges to
    their survivors so that a decision about an absorbed record still applies. ``model``: the
    weights to use; by default they are fitted to ``records`` (see :mod:`.model`).
    ``originals``: for a record that absorbed others in earlier runs, the records it was made
    of; a record joins it only if it would join every one of them (the merged record's fuller
    fields must not let in what its parts kept out). Given the first run's model and
    originals, a second run on its output changes nothing. ``screened``: key -> (reviewer,
    stage) -> that reviewer's decision there, as words; a machine never merges two records one
    reviewer screened differently at one stage (the merged record would hold two decisions of
    theirs, which every screening command refuses): the pair waits for a person instead.
    ``keyed``: reads, by key, :func:`_keyed` of records as they are now (the caller vouches
    that each is of the record with that key here); they are made for the others, and every
    record's are handed to ``keep_keyed`` (neither is kept past blocking: ~45 MB at 100k).
    ``pending``: the pairs (keys, absorbed ones through ``aliases``) the last run left for a
    person; each is compared again whatever the blocks say. One found through a record that run
    merged away may share no block with its partner (no DOI, a typo in the title's first word,
    the other year), and would otherwise leave the queue with nobody deciding it.
    """
    started = time.perf_counter()
    decisions = tuple(decisions)  # read three times below
    recs = sorted(records, key=lambda r: r.key)
    keys = [r.key for r in recs]
    dupes = sorted({k for k, nxt in itertools.pairwise(keys) if k == nxt})
    if dupes:
        raise InputError(
            [
                Problem(
                    Location("records", None, k),
                    "citation key used twice",
                    Severity.ERROR,
                    "duplicate-key",
                    "give each record its own key",
                )
                for k in dupes
            ]
        )
    n = len(recs)
    index = {k: i for i, k in enumerate(keys)}
    problems: list[Problem] = []
    # each record's title key, other readings of its title, place and blocks: per-record work
    # (~2 s at 100k), split over the cores (see litreview.workers), for the records the caller
    # did not have them for (a run after a dedupe that merged has them for ~85 % of them)
    keyed_all = _keyed_of(recs, keys, (keyed() if keyed is not None else None) or {})
    tkeys = [k[0] for k in keyed_all]
    alts = {i: k[1] for i, k in enumerate(keyed_all) if k[1]}
    place_keys = [k[2] for k in keyed_all]  # blocking and the prefilter both ask
    cand = candidate_pairs(recs, tkeys, alts, place_keys, [k[3] for k in keyed_all])
    if keep_keyed is not None:
        keep_keyed(dict(zip(keys, keyed_all, strict=True)))
    del keyed_all
    # which DOIs name containers and which titles are common, counted over every record read:
    # a record merged in an earlier run counts as the records it was made of, so a second run
    # sees the same counts as the first
    census, census_tk = list(recs), list(tkeys)
    if originals:
        made_of = [i for i in range(n) if keys[i] in originals]
        if made_of:
            kept = [i for i in range(n) if keys[i] not in originals]
            parts_read = [r for i in made_of for r in originals[keys[i]]]
            census = [recs[i] for i in kept] + parts_read
            census_tk = [tkeys[i] for i in kept] + [dedupe_title_key(r.title) for r in parts_read]
    container_dois = _container_dois(census, census_tk)
    # a title is counted by its reading outside brackets: ``Book reviews [Buchbesprechungen]``
    # is one more record of the column ``Book reviews``
    census_ck = [count_key(r.title, t) for r, t in zip(census, census_tk, strict=True)]
    title_count = Counter(t for t in census_ck if t)
    # how many export files carry each title: a title more records carry than that is listed
    # twice by one export (a column, an editorial), not only once by each database
    # (an export is its file only: three databases' records of one article in one file look
    # like a column's three issues, so both wait for a person unless a place settles them)
    files: defaultdict[str, set[tuple[str, str]]] = defaultdict(set)
    for r, t in zip(census, census_ck, strict=True):
        if t and title_count[t] > 2:
            files[t].update((p.source, p.path) for p in r.provenance[:1] or [Provenance("", "")])

    # titles the library holds in two places of one volume (a column in every issue, however
    # long its title): a record of one that nothing places may be any of them
    places: defaultdict[str, set[Place]] = defaultdict(set)
    for r, t in zip(census, census_ck, strict=True):
        if t and title_count[t] > 2:
            places[t].add(place(r))
    columns = frozenset(t for t, ps in places.items() if placed_apart(ps))
    # first parts of titles that go on differently in the library (a series title on topics)
    heads = series_heads((r.title, t) for r, t in zip(census, census_tk, strict=True) if t)

    def feature_of(r: Record, tkey: str | None = None) -> Features:
        tk = dedupe_title_key(r.title) if tkey is None else tkey
        ck = count_key(r.title, tk)
        return features(
            r,
            tk,
            ignore_doi=bool(r.doi) and r.doi in container_dois,
            common_title=title_count[ck] > 2,
            recurring_title=title_count[ck] > max(2, len(files.get(ck, ()))),
            column_title=ck in columns,
            series_head=tk in heads,
        )

    feats: dict[int, Features] = {}

    def feat(i: int) -> Features:
        f = feats.get(i)
        if f is None:
            f = feats[i] = feature_of(recs[i], tkeys[i])
        return f

    # pass 1: compare every candidate pair worth it, field by field
    codes = list(cand)
    worth = worth_comparing(recs, tkeys, alts, codes, place_keys)
    again = _pending_pairs(pending, aliases or {}, index)
    if again:
        have = {(i, j) for i, j, _ts in worth}
        worth.extend((i, j, 0.0) for i, j in again if (i, j) not in have)

    def pass_one(start: int, stop: int) -> list[tuple[int, int, Comparison]]:
        todo: Iterable[Worth] = worth[start:stop]
        if stop == len(worth):  # the slice this process does (all of them, unless split)
            todo = track(todo, progress, "dedupe")
        return [(i, j, compare_fields(feat(i), feat(j), ts or None)) for i, j, ts in todo]

    # the random pairs that tell the model how often different records agree by chance: needed
    # only when the weights are fitted here, and compared alongside pass 1 when that is split
    sample = sample_pairs(n) if model is None else []
    sampled: list[tuple[int, ...]] | None = None

    workers = worker_count(len(codes), PAIRS_PER_WORKER)  # decided once, used as decided
    if workers > 1 and len(worth) >= workers:
        # each process takes whole groups of pairs that share records, so that a record's
        # features are made once, by one process, and go back to this one with its pairs (the
        # verdicts need them here); one process also takes the random pairs, whose levels are
        # all the fit needs
        shares = split_by_records([(i, j) for i, j, _ts in worth], sample, workers)

        def pass_one_share(
            start: int, stop: int
        ) -> list[
            tuple[
                list[tuple[int, int, int, Comparison]],
                list[tuple[int, ...]] | None,
                dict[int, Features],
            ]
        ]:
            out = []
            for k in range(start, stop):
                positions, takes_sample = shares[k]
                todo: Iterable[int] = positions
                if k == len(shares) - 1:  # the share this process does
                    todo = track(positions, progress, "dedupe")
                placed = []
                made: dict[int, Features] = {}
                for at in todo:
                    i, j, ts = worth[at]
                    made[i], made[j] = feat(i), feat(j)
                    placed.append((at, i, j, compare_fields(made[i], made[j], ts or None)))
                levels = None
                if takes_sample:
                    levels = [chance_levels(tkeys, feat, i, j) for i, j in sample]
                    made.update((x, feat(x)) for pair in sample for x in pair)
                out.append((placed, levels, made))
            return out

        in_order: list[tuple[int, int, Comparison] | None] = [None] * len(worth)
        sampled = []
        for placed, levels, made in split_map(pass_one_share, len(shares), workers=workers):
            for x, f in made.items():
                feats.setdefault(x, f)
            for at, i, j, c in placed:
                in_order[at] = (i, j, c)
            if levels is not None:
                sampled = levels
        compared = [c for c in in_order if c is not None]
        if len(compared) != len(worth):
            raise AssertionError("a pair of pass 1 was compared by no process")
    else:
        compared = pass_one(0, len(worth))
    scored = len(compared)
    # the candidates are all compared: their sets and lists (~0.8 GB at 1M records) go now,
    # not after the merges below
    candidates = len(cand)
    for done in (cand, codes, worth):
        done.clear()

    # pass 2: the weights of this corpus, then a verdict per pair
    # people's decisions, through the aliases of records absorbed earlier
    alias = dict(aliases or {})

    def resolve(k: str) -> str:
        return follow(alias, k)

    people: dict[tuple[int, int], str] = {}
    for d in sorted(decisions, key=lambda d: (d.pair, d.decision, d.date, d.reviewer, d.note)):
        a, b = resolve(d.a), resolve(d.b)
        if a in index and b in index and a != b:
            people[tuple(sorted((index[a], index[b])))] = d.decision  # type: ignore[index]

    if model is None:
        # EM learns from what is unknown; pairs a never-merge rule or a person has settled
        # are labelled, so look-alikes that are known to differ do not teach it what a
        # duplicate looks like
        # counted as they come: a list of every pair's pattern was ~1 GB at 1M records, kept
        # to the end of the run, for a few hundred distinct patterns
        labelled: Counter[tuple[int, ...]] = Counter()
        for i, j, c in compared:
            said = people.get((i, j))
            if said is not None:
                label = 1 if said == SAME else 0
            else:
                rule = never_merge(feat(i), feat(j), c.title)
                if rule is not None and rule[1] == DISTINCT:
                    label = 0
                elif rule is None and c.levels[-1] == 0 and 0 <= c.levels[0] <= 3:
                    # a shared DOI (not a container's) or PMID, and titles that agree (>= 90)
                    label = ANCHOR
                elif any(f.recurring_title or f.column_title for f in (feat(i), feat(j))):
                    label = RECURRING
                else:
                    label = UNKNOWN
            labelled[(*c.levels, label)] += 1
        if sampled is None:
            sampled = [chance_levels(tkeys, feat, i, j) for i, j in sample]
        model = estimate(labelled, count_levels(sampled), len(sample), n)
    th = thresholds or Thresholds()

    def judge(i: int, j: int, comparison: Comparison | None = None) -> Verdict:
        return compare(feat(i), feat(j), model=model, thresholds=th, comparison=comparison)

    def judged(start: int, stop: int) -> list[tuple[int, int, Verdict]]:
        out = []
        for i, j, comparison in compared[start:stop]:
            v = judge(i, j, comparison)
            if v.outcome != DISTINCT:
                out.append((i, j, v))
        return out

    # every pair's features are here: forked workers read them where they are, and only the
    # verdicts that are not "distinct" come back
    verdicts = {
        (i, j): v for i, j, v in split_map(judged, len(compared), min_per_worker=JUDGED_PER_WORKER)
    }

    different: set[tuple[int, int]] = set()
    same_edges: list[tuple[int, int, Decision]] = []
    decided: set[tuple[int, int]] = set()
    for d in sorted(decisions, key=lambda d: (d.pair, d.decision, d.date, d.reviewer, d.note)):
        a, b = resolve(d.a), resolve(d.b)
        if a not in index or b not in index or a == b:
            continue
        i, j = sorted((index[a], index[b]))
        decided.add((i, j))
        if d.decision == DIFFERENT:
            different.add((i, j))
        elif d.decision == SAME:
            same_edges.append((i, j, d))
    same_edges = [(i, j, d) for i, j, d in same_edges if (i, j) not in different]

    # clustering: union-find whose unions respect every cannot-link between the two groups
    parent = list(range(n)) if (same_edges or verdicts) else []
    members: dict[int, list[int]] = {}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def group(x: int) -> list[int]:
        return members.get(x, [x])

    parts: dict[int, list[Features]] = {}
    # key -> the keys a person said are one work with it: a part a person's 'same' put into a
    # survivor stands with it by that person's word (a preprint merged into its published
    # version), so a newcomer that matches the survivor is not held apart by the rules that
    # the person already overrode for that part
    joined: defaultdict[str, set[str]] = defaultdict(set)
    for d in decisions:
        if d.decision == SAME:
            joined[d.a].add(d.b)
            joined[d.b].add(d.a)

    def parts_of(x: int) -> list[Features]:
        """The features of what record ``x`` was made of in earlier runs (read on first use),
        but those a person's 'same' joined to it."""
        if originals is None or keys[x] not in originals:
            return []
        if x not in parts:
            by_person = joined.get(keys[x], set())
            parts[x] = [feature_of(r) for r in originals[keys[x]] if r.key not in by_person]
        return parts[x]

    # records whose screening decisions shaped this run (see DedupeResult.screening_watched)
    watched: set[int] = set()

    def screened_across(ga: list[int], gb: list[int]) -> str:
        """Why the two groups must not become one: a reviewer screened two of their records
        differently ("" when none did)."""
        for x in ga:
            for y in gb:
                why = _screened_apart(screened or {}, keys[x], keys[y])
                if why:
                    watched.update((x, y))
                    return why
        return ""

    def blocked(ga: list[int], gb: list[int], rules: bool) -> str:
        """Why the two groups must not become one: a person's ``different`` across them, or
        (for machine merges) any pair across them that must stay apart on its own
        (:attr:`Verdict.keeps_apart`): A~B and B~C do not make A~C. Records merged in earlier
        runs count as their parts."""
        titles: list[set[str]] = []  # each side's title keys, made when first asked

        def settled_inside(v: Verdict, fa: Features, fb: Features) -> bool:
            """Whether the one doubt ``v`` raises about ``fa`` and ``fb`` is their titles'
            wording, and ``fa``'s side holds a record of ``fb``'s very title (or the other way
            round): the same wording then stood between ``fa`` and that record, and the group
            they are in took it."""
            if not (v.outcome == UNSURE and not v.conflicts and v.rule in TITLE_WORDING_RULES):
                return False
            if not titles:
                titles.extend(
                    {f.tkey for z in g for f in (feat(z), *parts_of(z)) if f.tkey} for g in (ga, gb)
                )
            return fb.tkey in titles[0] or fa.tkey in titles[1]

        for x in ga:
            for y in gb:
                p = (x, y) if x < y else (y, x)
                if p in different:
                    return "marked different by a person"
                if rules:
                    v = verdicts.get(p)
                    if v is None:
                        v = judge(*p)
                    if v.keeps_apart and not settled_inside(v, feat(x), feat(y)):
                        return v.rule or _differ(keys[x], keys[y], v.reason)
                    for fa in (feat(x), *parts_of(x)):
                        for fb in (feat(y), *parts_of(y)):
                            if fa is feat(x) and fb is feat(y):
                                continue
                            w = compare(fa, fb, model=model, thresholds=th)
                            if w.keeps_apart and not settled_inside(w, fa, fb):
                                return w.rule or _differ(fa.key, fb.key, w.reason)
        if rules and screened:
            # last: a pair a rule keeps apart says so whatever the decisions (see
            # DedupeResult.screening_watched)
            return screened_across(ga, gb)
        return ""

    links: dict[int, list[Pair]] = defaultdict(list)
    unsure: dict[tuple[int, int], Pair] = {}

    def union(i: int, j: int, pair: Pair) -> None:
        ri, rj = root(i), root(j)
        keep, gone = (ri, rj) if ri < rj else (rj, ri)
        parent[gone] = keep
        members[keep] = group(keep) + group(gone)
        members.pop(gone, None)
        links[keep] = links.pop(keep, []) + links.pop(gone, []) + [pair]

    for i, j, d in same_edges:
        ri, rj = root(i), root(j)
        if ri == rj:
            continue
        why = blocked(group(ri), group(rj), rules=False)
        if not why and screened:
            # a person's 'same' cannot settle a reviewer's two screening decisions either:
            # honoured once they agree
            why = screened_across(group(ri), group(rj))
            why = f"that {why}" if why else ""
        if why:
            problems.append(
                Problem(
                    Location("duplicates", None, f"{keys[i]} {keys[j]}"),
                    f"decision 'same' ignored: it would join records {why}",
                    Severity.WARNING,
                    "decision-conflict",
                )
            )
            continue
        note = f" ({d.note})" if d.note else ""
        who = f" by {d.reviewer}" if d.reviewer else ""
        union(
            i,
            j,
            Pair(keys[i], keys[j], DUPLICATE, 100.0, f"decided same{who}{note}", {}, "decision"),
        )

    # the strongest evidence joins first: a record that could join either of two groups kept
    # apart from each other joins the one it matches on more fields (the match weight orders
    # pairs whose probabilities both round to 100), and its other link goes to the queue
    auto = sorted(
        (
            (-v.score, -v.bits, keys[i], keys[j], i, j)
            for (i, j), v in verdicts.items()
            if v.outcome == DUPLICATE and (i, j) not in decided
        )
    )
    # each record's links to records it would merge with, to see a tie: a record that would
    # join either of two records placed apart, with about the same weight, and names no place
    # itself joins neither (a column's record without its issue; a statement printed in three
    # journals, and a record of it that names none)
    dup_links: defaultdict[int, list[tuple[float, int]]] = defaultdict(list)
    for _s, minus_bits, _ka, _kb, i, j in auto:
        dup_links[i].append((-minus_bits, j))
        dup_links[j].append((-minus_bits, i))

    def lacks(x: int, field_name: str) -> bool:
        f = feat(x)
        return not {
            "year": f.year is not None,
            "container": bool(f.container),
            "volume": bool(f.volume),
            "issue": bool(f.issue),
            "pages": bool(f.page),
            "authors": bool(f.surnames),
        }.get(field_name, True)

    def rival(x: int, other: int, bits: float) -> int | None:
        """A record ``x`` would merge with about as strongly as with ``other`` (within
        :data:`TIE_BITS`) that is placed apart from ``other`` (a trustworthy field on which
        the two conflict) where ``x`` names no place (it lacks that field), if any."""
        for weight, k in dup_links.get(x, ()):
            if k == other or weight < bits - TIE_BITS or root(k) in (root(other), root(x)):
                continue
            p = (k, other) if k < other else (other, k)
            apart = verdicts.get(p) or judge(*p)
            if apart.keeps_apart and any(lacks(x, f) for f in apart.conflicts):
                return k
        return None

    for _s, _b, _ka, _kb, i, j in auto:
        v = verdicts[(i, j)]
        pair = Pair(keys[i], keys[j], DUPLICATE, v.score, v.reason, v.scores, bits=v.bits)
        ri, rj = root(i), root(j)
        if ri == rj:
            links[ri].append(pair)
            continue
        why = blocked(group(ri), group(rj), rules=True)
        if why:
            unsure[(i, j)] = replace(
                pair, outcome=UNSURE, reason=f"would join records kept apart: {why}", rule=why
            )
            continue
        tie = next(
            ((x, k) for x, other in ((i, j), (j, i)) if (k := rival(x, other, v.bits)) is not None),
            None,
        )
        if tie is not None:
            x, k = tie
            why = f"{keys[x]} could as well be {keys[k]}, kept apart from it"
            unsure[(i, j)] = replace(pair, outcome=UNSURE, reason=why, rule="tie")
            watched.update((i, j))  # a decision would keep it apart in other words
            continue
        union(i, j, pair)
    for (i, j), v in verdicts.items():
        if v.outcome == UNSURE and (i, j) not in decided:
            unsure[(i, j)] = Pair(
                keys[i], keys[j], UNSURE, v.score, v.reason, v.scores, v.rule, v.bits
            )

    keep_keys = {
        index[resolve(d.keep)] for _i, _j, d in same_edges if d.keep and resolve(d.keep) in index
    }

    def ordered_group(group_members: list[int]) -> list[int]:
        """The survivor first: one a person chose, else a published version over a preprint,
        else the record whose key sorts first; then the others in key order."""
        ordered = sorted(group_members, key=lambda x: (x not in keep_keys, feat(x).preprint, x))
        return [ordered[0], *sorted(ordered[1:])]

    # a merge fills in fields (a DOI, a year), and the next run compares the merged record: do
    # that comparison now, until nothing more joins, so that a second run changes nothing
    as_merged: dict[int, Features] = {}

    def merged_feat(r0: int) -> Features:
        if r0 not in members:
            return feat(r0)
        f = as_merged.get(r0)
        if f is None:
            ordered = ordered_group(members[r0])
            f = as_merged[r0] = feature_of(
                merge_records(recs[ordered[0]], [recs[x] for x in ordered[1:]])
            )
        return f

    for _round in range(8 if members else 0):
        grown = False
        for i, j, _c in compared:
            ri, rj = root(i), root(j)
            if ri == rj or (ri not in members and rj not in members) or (i, j) in decided:
                continue
            v = compare(merged_feat(ri), merged_feat(rj), model=model, thresholds=th)
            if v.outcome != DUPLICATE or blocked(group(ri), group(rj), rules=True):
                continue
            as_merged.pop(ri, None)
            as_merged.pop(rj, None)
            union(
                i,
                j,
                Pair(
                    keys[i],
                    keys[j],
                    DUPLICATE,
                    v.score,
                    f"once merged: {v.reason}",
                    v.scores,
                    bits=v.bits,
                ),
            )
            grown = True
        if not grown:
            break

    # merge each group into its survivor
    out = list(recs)
    removed: set[int] = set()
    merges: list[Merge] = []
    survivor_of: dict[int, int] = {}
    for r0, group_members in sorted(members.items()):
        ordered = ordered_group(group_members)
        surv = ordered[0]
        for x in ordered:
            survivor_of[x] = surv
        others = [recs[x] for x in ordered[1:]]
        merged = merge_records(recs[surv], others)
        out[surv] = merged
        removed.update(ordered[1:])
        merges.append(
            Merge(
                keys[surv],
                recs[surv],
                tuple(others),
                merged,
                tuple(sorted(links[r0], key=lambda p: (p.a, p.b))),
            )
        )

    queue: dict[tuple[str, str], Pair] = {}
    for (i, j), p in unsure.items():
        si, sj = survivor_of.get(i, i), survivor_of.get(j, j)
        if si == sj:
            continue
        x, y = (si, sj) if si < sj else (sj, si)
        if (x, y) in decided:
            continue
        if x in survivor_of or y in survivor_of:
            # a merged record: judge the pair as the next run will see it, so that a second
            # run finds the same queue
            v = compare(feature_of(out[x]), feature_of(out[y]), model=model, thresholds=th)
            if v.outcome == DISTINCT:
                continue
            # unsure on its own: the next run queues it with the verdict's words alone; else it
            # is kept from merging as this run kept it
            reason, why = (v.reason, v.rule) if v.outcome == UNSURE else (p.reason, p.rule)
            p = Pair(keys[x], keys[y], UNSURE, v.score, reason, v.scores, why, v.bits)
        old = queue.get(p.pair)
        if old is None or (p.score, p.reason) > (old.score, old.reason):
            queue[p.pair] = p
    return DedupeResult(
        records=tuple(r for x, r in enumerate(out) if x not in removed),
        merges=tuple(merges),
        unsure=tuple(sorted(queue.values(), key=lambda p: (-p.bits, p.a, p.b))),
        input_records=n,
        candidate_pairs=candidates,
        scored_pairs=scored,
        problems=tuple(problems),
        seconds=time.perf_counter() - started,
        model=model,
        judge=lambda x, y: compare(feature_of(x), feature_of(y), model=model, thresholds=th),
        screening_watched=tuple(sorted(keys[x] for x in watched)),
        passed_on=tuple(r.key for x, r in enumerate(out) if x not in removed and r is recs[x]),
    )


def _pending_pairs(
    pending: Iterable[tuple[str, str]], aliases: Mapping[str, str], index: Mapping[str, int]
) -> list[tuple[int, int]]:
    """The record pairs (``i < j``, sorted) of ``pending``'s key pairs that still name two
    records, each key through ``aliases``."""
    out: set[tuple[int, int]] = set()
    for a, b in pending:
        i, j = index.get(follow(aliases, a)), index.get(follow(aliases, b))
        if i is not None and j is not None and i != j:
            out.add((i, j) if i < j else (j, i))
    return sorted(out)


def follow(aliases: Mapping[str, str], key: str) -> str:
    """The record a key now lives in: the end of its chain of merges (:class:`MergeMap`)."""
    return MergeMap(aliases).final(key)


def _screened_apart(screened: Mapping[str, Mapping[tuple[str, str], str]], a: str, b: str) -> str:
    """Why records ``a`` and ``b`` cannot be one record: a reviewer screened them differently
    at one stage ("" when none did)."""
    da, db = screened.get(a), screened.get(b)
    if not da or not db:
        return ""
    for (reviewer, stage), said in sorted(da.items()):
        other = db.get((reviewer, stage))
        if other is not None and other != said:
            return f"{reviewer} screened {a} ({said}) and {b} ({other}) differently at {stage}"
    return ""


def _differ(a: str, b: str, reason: str) -> str:
    """Why two records stay apart, the same words whichever side a run meets first."""
    x, y = sorted((a, b))
    return f"{x} and {y} differ ({reason})"


def _container_dois(recs: Sequence[Record], tkeys: Sequence[str]) -> frozenset[str]:
    """DOIs that name a container, not a work: carried by more than two records whose titles
    differ (a supplement's abstracts, a book's chapters). Such a DOI proves nothing."""
    by_doi: defaultdict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(recs):
        if r.doi:
            by_doi[r.doi].append(i)
    out = set()
    for doi, members in by_doi.items():
        if len(members) <= 2:
            continue
        titles = sorted({tkeys[i] for i in members if tkeys[i]})
        if any(_titles_differ(titles[0], t) for t in titles[1:]):
            out.add(doi)
    return frozenset(out)


def _titles_differ(a: str, b: str) -> bool:
    """Titles of two works, not two exports of one title: unlike as wholes, and neither is
    (close to) a piece of the other. A title cut short in one export, with a typo in
    another, is still one work's, so three exports of it do not make its DOI a container's."""
    if fuzz.ratio(a, b) >= 85:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) < 20 or fuzz.partial_ratio(short, long_) < 90


#: what making one record's features costs against comparing one pair (~0.15 ms and ~0.05 ms),
#: in :func:`split_by_records`'s weighing of the work
FEATURES_PER_PAIR = 3


def split_by_records(
    pairs: Sequence[tuple[int, int]], sample: Sequence[tuple[int, int]], parts: int
) -> list[tuple[list[int], bool]]:
    """Pass 1's ``pairs`` (records ``i``, ``j``) shared out among ``parts`` processes so that no
    record is in two shares, wherever that can be: a record's features (the dearest part of
    pass 1) are then made once, not once per process whose pairs hold it. Pairs joined through
    their records go together (the largest group first, each to the share with the least work
    so far); so do the random pairs of the model (``sample``), with every group that shares a
    record with them. A group with more work than a share is cut into runs of its pairs,
    whose records may then be made twice. Returns, per share, the positions of its pairs in
    ``pairs`` in order, and whether it takes the random pairs."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while (up := parent.get(x, x)) != x:
            parent[x] = parent.get(up, up)
            x = parent[x]
        return x

    def join(a: int, b: int) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for i, j in pairs:
        join(i, j)
    anchor = sample[0][0] if sample else None
    for i, j in sample:
        join(anchor, i)  # type: ignore[arg-type]
        join(anchor, j)  # type: ignore[arg-type]
    positions: defaultdict[int, list[int]] = defaultdict(list)
    for at, (i, _j) in enumerate(pairs):
        positions[root(i)].append(at)
    size: Counter[int] = Counter(root(x) for x in {x for pair in (*pairs, *sample) for x in pair})
    sampled_group = root(anchor) if anchor is not None else None
    weight = {
        g: FEATURES_PER_PAIR * size[g]
        + len(positions.get(g, ()))
        + (len(sample) if g == sampled_group else 0)
        for g in size
    }
    cap = max(1, sum(weight.values()) // parts)
    units: list[tuple[int, int, list[int], bool]] = []  # (weight, group, positions, sample)
    for g, w in weight.items():
        mine = positions.get(g, [])
        # cut in runs of a quarter share or less, which even the shares out
        pieces = min(len(mine), -(-4 * w // cap)) if w > cap and len(mine) > 1 else 1
        step = -(-len(mine) // pieces) if mine else 0
        for k in range(pieces):
            part = mine[k * step : (k + 1) * step]
            units.append((w // pieces, g, part, k == 0 and g == sampled_group))
    units.sort(key=lambda u: (-u[0], u[1], u[2][:1]))
    shares: list[list[int]] = [[] for _ in range(parts)]
    takes = [False] * parts
    load = [0] * parts
    for w, _g, part, with_sample in units:
        k = min(range(parts), key=lambda x: (load[x], x))
        shares[k].extend(part)
        takes[k] = takes[k] or with_sample
        load[k] += w
    return [(sorted(share), took) for share, took in zip(shares, takes, strict=True)]


def chance_levels(
    tkeys: Sequence[str], feat: Callable[[int], Features], i: int, j: int
) -> tuple[int, ...]:
    """The levels of a random pair (:func:`.model.sample_pairs`): what ``u``, how often
    different records agree by chance, is counted from."""
    ta, tb = tkeys[i], tkeys[j]
    # random pairs almost never share a title: skip the full title comparison
    ts = fuzz.ratio(ta, tb, score_cutoff=80) if ta and tb else 0.0
    return (
        compare_fields(feat(i), feat(j), ts if ts >= 100 else None).levels
        if ts
        else _levels_without_title(feat(i), feat(j))
    )


def _levels_without_title(a: Features, b: Features) -> tuple[int, ...]:
    lv = levels(a, b, 0.0, author_overlap(a, b), container_similarity(a.container, b.container))
    return ((MISSING if not a.tkey or not b.tkey else len(FIELDS[0][1]) - 1), *lv[1:])


# --- merging -----------------------------------------------------------------------------------


def _outvoted_typo(titles: Sequence[str], longest: str) -> str:
    """``longest``, unless it is one export's typo: the same words but one (``surgery`` for
    ``survey``) as a wording more of the records give, which is then the title kept (the
    first such in ``titles``)."""
    mine = title_key(longest).split()
    keys = [title_key(t) for t in titles]
    votes = Counter(keys)
    own = votes[" ".join(mine)]
    for t, k in zip(titles, keys, strict=True):
        words = k.split()
        if (
            votes[k] > own
            and len(words) == len(mine)
            and sum(a != b for a, b in zip(words, mine, strict=True)) == 1
        ):
            return t
    return longest


def merge_records(survivor: Record, others: Sequence[Record]) -> Record:
    """The survivor, keeping its key, with the most complete value of each field.

    Title, authors, container and abstract: the fullest value (the longest title key, the most
    names with the longest first names, the unabbreviated journal, the longest abstract); ties go
    to the survivor, then to key order. Identifiers, year, volume, issue, language and URL: the
    survivor's, or the first other record's in key order that has one (merged with its preprint,
    the published version's own: the preprint's URL is kept as ``relatedurl``, as its DOI as
    ``relateddoi``). Pages: a range beats a single page. Keywords and extra fields: united, the survivor's value winning a clash.
    Provenance: every appearance of every record.
    """
    group = [survivor, *sorted(others, key=lambda r: r.key)]
    # a published version's journal, year, volume, issue and pages describe the work; a
    # preprint's (its server, its posting year) do not, once the published version is here
    published = [r for r in group if not is_preprint(r)]
    located = published if published and len(published) < len(group) else group

    def best(values: list[Any], rank: Any) -> Any:
        chosen, top = values[0], rank(values[0])
        for v in values[1:]:
            rv = rank(v)
            if rv > top:
                chosen, top = v, rv
        return chosen

    def first(values: list[str]) -> str:
        return next((v for v in values if v), "")

    titles = [r.title for r in group]
    title = _outvoted_typo(
        titles, best(titles, lambda t: (len(title_key(t)) if t else -1, not t.isupper()))
    )
    authors = best([r.authors for r in group], lambda a: (len(a), sum(len(n.first) for n in a)))
    container = best([r.container for r in located], lambda c: (len(c) - 3 * c.count("."),))
    abstract = best([r.abstract for r in group], len)
    pages = best([r.pages for r in located], lambda p: (bool(p), "-" in p))
    year = next((r.year for r in located if r.year is not None), None)
    entry_type = survivor.entry_type
    if entry_type == "misc":
        entry_type = next((r.entry_type for r in group if r.entry_type != "misc"), "misc")
    keywords: dict[str, None] = {}
    for r in group:
        for k in r.keywords:
            keywords.setdefault(k, None)
    extra: dict[str, str] = {}
    for r in group:
        for k, v in r.extra:
            if v and k not in extra:
                extra[k] = v
    doi = first([r.doi for r in located])
    # another DOI of the same work (the preprint's, beside the article's) is kept, not lost
    related = sorted(
        {r.doi for r in group if r.doi and r.doi != doi}
        | set(filter(None, extra.get("relateddoi", "").split("; ")))
    )
    if related:
        extra["relateddoi"] = "; ".join(related)
    # the URL is the published version's too: a preprint server's URL on the merged record made
    # it read as a preprint (`is_preprint` looks at the URL) and sent every export to the preprint
    url = first([r.url for r in located])
    if located is not group:
        related_urls = sorted(
            {r.url for r in group if r.url and r.url != url and r not in located}
            | set(filter(None, extra.get("relatedurl", "").split("; ")))
        )
        if related_urls:
            extra["relatedurl"] = "; ".join(related_urls)
    provenance: set[Provenance] = set()
    for r in group:
        provenance.update(r.provenance)
    return replace(
        survivor,
        entry_type=entry_type,
        title=title,
        authors=authors,
        year=year,
        container=container,
        volume=first([r.volume for r in located]),
        issue=first([r.issue for r in located]),
        pages=pages,
        doi=doi,
        pmid=first([r.pmid for r in group]),
        url=url,
        abstract=abstract,
        keywords=tuple(keywords),
        language=first([r.language for r in group]),
        provenance=tuple(sorted(provenance, key=Provenance.order)),
        extra=tuple(sorted(extra.items())),
    )
