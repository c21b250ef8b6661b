"""Derived results (screening, PRISMA counts, theme tags) kept in the sealed cache.

Screening 100k records takes seconds; reading back the result of the last run takes a fraction
of that. Each result is stored under ``.litreview-cache/`` keyed by a digest of exactly what it
was computed from: the corpus's content hash, the bytes of each stored file it reads (protocol,
every reviewer's decisions file, themes, overrides, the dedupe log for absorbed keys), the scope asked for, and the
installed litreview (its version and its own source files, so an edited rule never reuses an
old answer). Change any of them and the next command computes afresh; change none and it is a
cache read. Like the corpus cache, these files are sealed (:func:`litreview.files.fsutil.seal`): one
this user's litreview did not write is ignored, never unpickled. Deleting them loses nothing.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from litreview.corpus.store import Corpus
from litreview.files.bulk import paused_gc
from litreview.files.fsutil import SealedWriter, kept_sha256, note_taken_digest, taken, unseal
from litreview.model import Problem
from litreview.progress import Progress
from litreview.project import Project

if TYPE_CHECKING:
    from litreview.dedupe.store import DuplicatesFile
    from litreview.protocol import Protocol
    from litreview.report.prisma import PrismaCounts
    from litreview.screen.agreement import ConflictCounts
    from litreview.screen.engine import Decision, ScreeningResult
    from litreview.screen.fulltext import FulltextFile
    from litreview.tag.engine import Override, TagResult
    from litreview.tag.themes import Themes

T = TypeVar("T")

_FORMAT = 1
#: How often each result was computed rather than read from the cache in this process; tests
#: read it to prove that an unchanged input costs a cache read and a changed one a recomputation.
COMPUTED: Counter[str] = Counter()

_code_digest: str | None = None


def code_digest() -> str:
    """The installed litreview: its version and the size and time of each of its source files."""
    global _code_digest
    if _code_digest is None:
        import litreview

        root = Path(litreview.__file__).parent
        h = hashlib.sha256(f"{litreview.__version__}/{_FORMAT}".encode())
        for path in sorted(root.rglob("*.py")):
            try:
                st = path.stat()
            except OSError:
                continue
            h.update(
                f"{path.relative_to(root).as_posix()}:{st.st_size}:{st.st_mtime_ns}\n".encode()
            )
        _code_digest = h.hexdigest()
    return _code_digest


class Digest(str):
    """A digest of a result's inputs that knows what it hashed of each input file: ``files``,
    (absolute path, SHA-256 of its bytes or "" for absent). :func:`cached` stores a result under
    it only when this process last took each of those files to hold exactly those bytes
    (:func:`litreview.files.fsutil.taken`): a file changed between its hashing and its parsing
    (or parsed before and hashed after a change) never has one content's answer kept under the
    other's digest, to be served if the file ever holds those bytes again (``screen undo``)."""

    files: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, text: str, files: Iterable[tuple[str, str]]) -> Digest:
        made = cls(text)
        made.files = tuple(files)
        return made


def _consistent(digest: str) -> bool:
    """Whether every input file ``digest`` hashed was last taken to hold what it hashed."""
    for key, sha in getattr(digest, "files", ()):
        seen = taken(key)
        if seen is not None and seen != sha:
            return False
    return True


def _took(digest: str) -> None:
    """A result cached for ``digest`` is in use: its files were taken to hold what it hashed.
    Followed for the files litreview parses through :func:`~litreview.files.yamlio.load_yaml`
    (every YAML input, which notes each parse): a decision served with a cached screening and
    counted later is of these bytes, whatever the file holds by then. A file only ever hashed
    (absorbed.bib, a template) is followed only once parsed: nothing would note its next state."""
    for key, sha in getattr(digest, "files", ()):
        if key.endswith((".yaml", ".yml")) or taken(key) is not None:
            note_taken_digest(key, sha)


def inputs_digest(project: Project, corpus: Corpus, files: Iterable[Path], *extra: str) -> str:
    """A digest of the corpus, each file's bytes (or its absence) and ``extra`` (e.g. the scope)."""
    return files_digest(project, files, *extra, corpus_digest=corpus.digest)


def files_digest(
    project: Project, files: Iterable[Path], *extra: str, corpus_digest: str | None = None
) -> str:
    """A digest of litreview's code, each file's path and bytes (or its absence) and ``extra``:
    what a result computed from those files alone depends on."""
    h = hashlib.sha256(code_digest().encode())
    if corpus_digest is not None:
        h.update(f"corpus:{corpus_digest}\n".encode())
    hashed: list[tuple[str, str]] = []
    for path in files:
        h.update(f"{project.rel(path)}:".encode())
        try:
            with path.open("rb") as fh:
                sha = kept_sha256(fh)
            h.update(bytes.fromhex(sha))
        except FileNotFoundError:
            sha = ""
            h.update(b"-absent-\n")
        except OSError:  # unreadable: its loader reports it; this digest matches no cache file
            h.update(os.urandom(16))
            continue
        hashed.append((os.path.abspath(path), sha))
    for part in extra:
        h.update(f"\n{part}".encode())
    return Digest.of(h.hexdigest(), hashed)


def cached(
    project: Project,
    name: str,
    digest: str,
    compute: Callable[[], T],
    use_cache: bool = True,
    force: bool = False,
    tree: bool = False,
) -> T:
    """``compute()``'s value, read from ``.litreview-cache/<name>-<digest>`` when that holds it.

    One file per ``name`` is kept: writing a new one removes the others of that name (they were
    for inputs that have since changed). A damaged, foreign or unwritable cache only costs a
    recomputation. The value is pickled straight into the file, never held as bytes as well
    (the records a 100k dedupe keeps are ~40 MB pickled, twice that with the seal's copy, at
    the run's peak). ``tree``: the value is tuples, lists and dicts of plain values with no
    object in two places, pickled without the pickler's memo (quicker, and ~70 bytes less
    memory per object).
    """
    folder = project.root / ".litreview-cache"
    path = folder / f"{name}-{digest[:40]}.pickle"
    if use_cache and not force and corpus_cache_ok(project):
        try:
            payload = unseal(path.read_bytes())
            if payload is not None:
                with paused_gc(freeze=True):
                    found: T = pickle.loads(payload)
                _took(digest)
                return found
        except Exception:  # absent, damaged or from another version: compute it
            pass
    if not force:
        COMPUTED[name] += 1
    value = compute()
    # not kept when an input file changed while it was computed (or since the value's inputs
    # were read): the value may be the new content's, the digest the old's
    if use_cache and corpus_cache_ok(project) and _consistent(digest):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob(f"{name}-*"):
                # only this name's files: "check-*" must not take "check-duplicates-*" with it
                if len(old.stem) == len(path.stem):
                    old.unlink(missing_ok=True)
            tmp = path.with_suffix(".tmp")
            with tmp.open("wb") as fh, paused_gc():
                sealed = SealedWriter(fh)
                pickler = pickle.Pickler(sealed, protocol=pickle.HIGHEST_PROTOCOL)
                pickler.fast = tree
                pickler.dump(value)
                sealed.close()
            tmp.replace(path)
        except Exception:  # an unwritable or unpicklable cache only costs the next run
            pass
    return value


def peek(project: Project, name: str, digest: str) -> object | None:
    """The value :func:`remember` (or :func:`cached`) kept for ``name`` and exactly these inputs,
    or None: for a command that shows another's last result and must not compute it itself."""
    path = project.root / ".litreview-cache" / f"{name}-{digest[:40]}.pickle"
    try:
        payload = unseal(path.read_bytes())
        if payload is None:
            return None
        found: object = pickle.loads(payload)
    except Exception:  # absent, damaged, foreign or from another version
        return None
    _took(digest)
    return found


def remember(project: Project, name: str, digest: str, value: object, tree: bool = False) -> None:
    """Keep ``value`` as ``name``'s result for these inputs (see :func:`cached`, also for
    ``tree``)."""
    cached(project, name, digest, lambda: value, use_cache=True, force=True, tree=tree)


def corpus_cache_ok(project: Project) -> bool:
    """Derived results are cached only for a review whose corpus folder exists (not a bare file)."""
    return project.corpus_dir.is_dir()


# --- screening --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Screened:
    """People's decisions as read, their problems, the screening result and the PRISMA counts."""

    decisions: tuple[Decision, ...]
    problems: tuple[Problem, ...]
    result: ScreeningResult
    prisma: PrismaCounts
    #: corpus/fulltext.yaml as read, its problems including those against the screening; None
    #: when the review keeps no such file
    fulltext: FulltextFile | None = None
    #: the errors of corpus/duplicates.yaml when it does not load and the screening needed its
    #: merges (a decision or a full-text item on an absorbed key would be read as unknown)
    log_problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class RuleVerdicts:
    """The rules' verdict on every record (in the corpus's order) and the record counts PRISMA
    takes from the records themselves: what screening needs of 100k records' text."""

    results: tuple[tuple[Any, ...], ...]
    counted: tuple[dict[str, int], int]


def _rules_digest(project: Project, corpus: Corpus, protocol: Protocol) -> str:
    return inputs_digest(project, corpus, (project.protocol,), "rules", protocol.fingerprint)


def known_rule_verdicts(
    project: Project, corpus: Corpus, protocol: Protocol
) -> RuleVerdicts | None:
    """The rules' verdicts if an earlier command cached them for exactly these records and this
    protocol (None otherwise): ``screen decide`` needs a few records' verdicts, not 100k parsed."""
    if not corpus.digest or not corpus_cache_ok(project):
        return None
    found = peek(project, "screen-rules", _rules_digest(project, corpus, protocol))
    return found if isinstance(found, RuleVerdicts) else None


def rule_verdicts(
    project: Project,
    corpus: Corpus,
    protocol: Protocol,
    progress: Progress | None = None,
    use_cache: bool = True,
) -> RuleVerdicts:
    """:func:`~litreview.screen.engine.rule_results` through the cache. Inputs: the corpus and review.yaml."""

    def compute() -> RuleVerdicts:
        from litreview.corpus.store import row_sources
        from litreview.report.prisma import counts_of_sources, provenance_counts
        from litreview.screen.engine import rule_results_known

        # the verdicts of the last run under this protocol and code, by record: a record the
        # corpus still holds unchanged keeps its verdict (the inputs of the memo are the
        # protocol and the code; the record itself is its key)
        memo_digest = files_digest(project, (project.protocol,), "rules-memo", protocol.fingerprint)
        memo = peek(project, "screen-memo", memo_digest) if use_cache else None
        known = memo if isinstance(memo, dict) else {}
        count, records_in, rows = corpus.record_slices()
        rows_in = None if rows is None else (lambda a, b: rows[a:b])
        results, prints = rule_results_known(count, records_in, protocol, known, rows_in, progress)
        if use_cache and corpus_cache_ok(project):
            remember(project, "screen-memo", memo_digest, dict(zip(prints, results, strict=True)))
        if rows is not None:  # the records were built only where they were screened
            return RuleVerdicts(results, counts_of_sources(map(row_sources, rows)))
        return RuleVerdicts(results, provenance_counts(corpus.records))

    return cached(
        project,
        "screen-rules",
        _rules_digest(project, corpus, protocol),
        compute,
        use_cache and bool(corpus.digest),
    )


def screened(
    project: Project,
    corpus: Corpus,
    protocol: Protocol,
    aliases: Mapping[str, str] | Callable[[], Mapping[str, str]] | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
) -> Screened:
    """Decisions read and every record screened, through the cache.

    Inputs: the corpus, review.yaml, every decisions file (corpus/screening.yaml and each
    reviewer's corpus/screening/ID.yaml), corpus/fulltext.yaml (reports not retrieved change the
    PRISMA counts) and corpus/duplicates.yaml (a decision on an absorbed key applies to its
    survivor). ``aliases``, when given, must be the dedupe log's, so it is one of those inputs;
    when None it is read only on a recomputation.
    """
    decision_files = project.decision_files()
    digest = _screening_digest(project, corpus, protocol)

    def compute() -> Screened:
        from litreview.report.prisma import prisma_counts
        from litreview.review import Review
        from litreview.screen.engine import apply_decisions, screen_records
        from litreview.screen.fulltext import FulltextFile, conflicts, load_fulltext
        from litreview.screen.reviewers import load_all_decisions

        keys = list(corpus.keys)
        wants = any(p.exists() for p in decision_files) or project.fulltext.exists()
        known = aliases() if callable(aliases) and wants else aliases
        if known is None and wants:
            # the dedupe log's, whoever calls: the cached value must not depend on the caller
            # (a fulltext item on an absorbed key read without them was an unknown key)
            known = Review.of(project).aliases
        log_problems = unread_log(project) if wants else ()
        decisions, problems = load_all_decisions(
            project, keys, protocol, None if callable(known) else known
        )
        counted = None
        if any(p.is_error for p in problems):
            result = screen_records((), protocol, ())
        else:
            # the rules' verdicts depend on the records and the protocol only: a person's decision
            # re-applies the stages over them instead of matching every record's text again
            ruled = rule_verdicts(project, corpus, protocol, progress, use_cache)
            counted = ruled.counted
            result = apply_decisions(keys, ruled.results, protocol, decisions)
        fulltext = None
        if project.fulltext.exists():
            shown = project.rel(project.fulltext)
            read = load_fulltext(
                project.fulltext, shown, set(keys), None if callable(known) else known
            )
            fulltext = FulltextFile(
                read.entries, (*read.problems, *conflicts(result, protocol, read, shown))
            )
        prisma = prisma_counts(
            () if counted else corpus.records,
            result,
            protocol,
            not_retrieved=None if fulltext is None else fulltext.not_retrieved,
            counted=counted,
        )
        done = Screened(decisions, tuple(problems), result, prisma, fulltext, log_problems)
        if use_cache and corpus.digest:
            # beside the result, under the same digest: the next plain `screen` or `tag` reads this
            remember(project, "screening-summary", digest, ScreenedSummary.of(done))
        return done

    return cached(project, "screening", digest, compute, use_cache and bool(corpus.digest))


def _screening_digest(project: Project, corpus: Corpus, protocol: Protocol) -> str:
    """What a screening is computed from: the corpus, review.yaml (its bytes and what it says),
    every decisions file, the dedupe log and fulltext.yaml."""
    files = (
        project.protocol,
        *project.decision_files(),
        project.duplicates,
        project.fulltext,
    )
    return inputs_digest(project, corpus, files, protocol.fingerprint)


@dataclass(frozen=True)
class ScreenedSummary:
    """What ``screen`` prints and ``tag`` scopes by, taken from a :class:`Screened`: a few
    kilobytes where the whole screening of a 100k review that two people screened is ~190,000
    decisions and 100,000 records' stages to unpickle (about a second). Kept beside the whole
    result under the same digest, so it can never answer for other inputs than it was made of."""

    problems: tuple[Problem, ...]
    log_problems: tuple[Problem, ...]
    #: corpus/fulltext.yaml's problems, or None when the review keeps no such file
    fulltext_problems: tuple[Problem, ...] | None
    result_problems: tuple[Problem, ...]
    counts: dict[str, Any]
    #: whether any record waits for a person
    waiting: bool
    #: the keys screening includes, in the result's order
    included: tuple[str, ...]
    #: how many decisions were read, whether any keeps the title it was made on, and those
    #: written on a key a dedupe merge absorbed (each said on every run)
    decisions: int
    titled: bool
    aliased: tuple[Decision, ...]

    @classmethod
    def of(cls, done: Screened) -> ScreenedSummary:
        from litreview.outcomes import Outcome

        result = done.result
        return cls(
            problems=done.problems,
            log_problems=done.log_problems,
            fulltext_problems=None if done.fulltext is None else tuple(done.fulltext.problems),
            result_problems=tuple(result.problems),
            counts=result.counts(),
            waiting=bool(result.with_outcome(Outcome.NEEDS_PERSON)),
            included=tuple(r.key for r in result.included),
            decisions=len(done.decisions),
            titled=any(d.title for d in done.decisions),
            aliased=tuple(d for d in done.decisions if d.alias),
        )


class LazyDecisions(Sequence["Decision"]):
    """People's decisions as a screening read them, unpickled with the whole screening only when
    something reads one: a cached answer keyed by the same files (the conflict counts, the
    made-on check) needs their number and whether any keeps a title, not the decisions."""

    def __init__(self, summary: ScreenedSummary, load: Callable[[], Screened]) -> None:
        self._count = summary.decisions
        #: whether any decision keeps the title of the record it was made on
        self.titled = summary.titled
        self._load = load
        self._all: tuple[Decision, ...] | None = None

    def _decisions(self) -> tuple[Decision, ...]:
        if self._all is None:
            # none read: nothing to unpickle (the conflict counts of a review nobody screened yet)
            self._all = self._load().decisions if self._count else ()
        return self._all

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        return self._decisions()[index]

    def __iter__(self) -> Iterator[Decision]:
        return iter(self._decisions())


def screened_summary(
    project: Project,
    corpus: Corpus,
    protocol: Protocol,
    aliases: Mapping[str, str] | Callable[[], Mapping[str, str]] | None = None,
    progress: Progress | None = None,
) -> tuple[ScreenedSummary, LazyDecisions]:
    """:class:`ScreenedSummary` of :func:`screened` for these inputs, read alone when the cache
    holds it; otherwise made from the whole screening (read or computed) and kept. With it, the
    decisions as read, loaded (with the whole screening) only when something reads them."""
    kept: list[Screened] = []

    def load() -> Screened:
        if not kept:
            kept.append(screened(project, corpus, protocol, aliases, progress))
        return kept[0]

    keep = bool(corpus.digest) and corpus_cache_ok(project)
    digest = _screening_digest(project, corpus, protocol) if keep else ""
    found = peek(project, "screening-summary", digest) if keep else None
    if not isinstance(found, ScreenedSummary):
        load()  # a screening computed here kept its summary as it was kept itself
        found = peek(project, "screening-summary", digest) if keep else None
    if not isinstance(found, ScreenedSummary):
        found = ScreenedSummary.of(load())
        if keep:
            remember(project, "screening-summary", digest, found)
    return found, LazyDecisions(found, load)


def conflict_counts(
    project: Project, corpus: Corpus, decisions: Sequence[Decision], protocol: Protocol
) -> ConflictCounts:
    """The unsettled disagreements among people's decisions, through the cache: ``screen`` and
    ``status`` count them on every run, and with two reviewers' ~100,000 decisions each the
    counting costs about as much as reading the screening result. ``decisions`` must be those
    :func:`screened` read, so its inputs (less fulltext.yaml, which changes no decision) are
    these counts' inputs."""
    from litreview.screen.agreement import count_conflicts, find_conflicts

    def compute() -> ConflictCounts:
        return count_conflicts(find_conflicts(decisions, protocol))

    if not decisions:
        return compute()
    files = (project.protocol, *project.decision_files(), project.duplicates)
    digest = inputs_digest(project, corpus, files, "conflicts", protocol.fingerprint)
    return cached(project, "conflicts", digest, compute, bool(corpus.digest))


# --- tags -------------------------------------------------------------------------------------


def tagged(
    project: Project,
    corpus: Corpus,
    themes: Themes,
    overrides: Sequence[Override],
    keys: Iterable[str] | None,
    progress: Progress | None = None,
    use_cache: bool = True,
) -> TagResult:
    """Theme tags for ``keys`` (None: every record), through the cache.

    Inputs: the corpus, themes.yaml, corpus/theme-overrides.yaml and corpus/duplicates.yaml
    (``overrides`` must be what those files give for this corpus), and the set of keys.
    """
    from litreview.tag.engine import tag_records

    scope = (
        "all" if keys is None else hashlib.sha256("\n".join(sorted(set(keys))).encode()).hexdigest()
    )
    files = (project.themes, project.theme_overrides, project.duplicates)
    digest = inputs_digest(project, corpus, files, f"keys:{scope}")
    wanted = None if keys is None else list(keys)
    return cached(
        project,
        "tags-all" if keys is None else "tags",
        digest,
        lambda: tag_records(corpus.records, themes, overrides, keys=wanted, progress=progress),
        use_cache and bool(corpus.digest),
    )


# --- the dedupe log ---------------------------------------------------------------------------


def duplicates(project: Project, use_cache: bool = True, keep: bool = True) -> DuplicatesFile:
    """``corpus/duplicates.yaml`` read and validated, through the cache (keyed by its bytes).

    At 100k records the dedupe log is tens of megabytes of YAML; ``status``, ``check`` and
    ``export`` read it on every run. A file that does not validate raises as
    :func:`~litreview.dedupe.store.load_duplicates` does, and nothing is cached for it.
    ``keep=False``: a log the cache does not hold is parsed and not kept (``dedupe``, which
    is about to replace it when it merges).
    """
    from litreview.dedupe.store import DuplicatesFile, load_duplicates

    path = project.duplicates
    shown = project.rel(path)
    if not path.exists():
        return load_duplicates(path, shown)
    try:
        data = path.read_bytes()
    except OSError:
        return load_duplicates(path, shown)  # reports the problem its own way
    if not keep:
        ok = use_cache and corpus_cache_ok(project)
        found = peek(project, "duplicates", _log_digest(project, data)) if ok else None
        return found if isinstance(found, DuplicatesFile) else load_duplicates(path, shown)
    return cached(
        project,
        "duplicates",
        _log_digest(project, data),
        lambda: load_duplicates(path, shown),
        use_cache and corpus_cache_ok(project),
    )


def _log_digest(project: Project, data: bytes, part: str = "") -> str:
    h = hashlib.sha256(code_digest().encode())
    h.update(f"{project.rel(project.duplicates)}\n{part}".encode())
    sha = hashlib.sha256(data)
    h.update(sha.digest())
    return Digest.of(h.hexdigest(), ((os.path.abspath(project.duplicates), sha.hexdigest()),))


def aliases(project: Project, parsed: Callable[[], DuplicatesFile]) -> dict[str, str]:
    """``{absorbed key: survivor}`` of the dedupe log, through the cache: what screening, tagging
    and the other readers need of it. ``dedupe`` leaves it cached for the log it writes
    (:func:`remember_aliases`), so the command after it does not parse 10k merges again.
    ``parsed`` reads the log (raising as ``load_duplicates`` does); a log that does not
    validate gives no aliases, as before."""
    from litreview.errors import LitreviewError

    path = project.duplicates
    _UNREAD.pop(os.path.abspath(path), None)
    try:
        data = path.read_bytes()
    except OSError as exc:
        from litreview.errors import os_problem

        _UNREAD[os.path.abspath(path)] = (os_problem(exc, project.rel(path)),)
        return {}

    def compute() -> dict[str, str] | tuple[Problem, ...]:
        try:
            return parsed().aliases()
        except LitreviewError as exc:  # kept with the cached answer: said by unread_log
            return tuple(p for p in exc.problems if p.is_error)

    found = cached(
        project, "aliases", _log_digest(project, data, "aliases"), compute, corpus_cache_ok(project)
    )
    if isinstance(found, tuple):
        _UNREAD[os.path.abspath(path)] = found
        return {}
    return found


#: the errors of each dedupe log :func:`aliases` last found not to load, by absolute path
_UNREAD: dict[str, tuple[Problem, ...]] = {}


def unread_log(project: Project) -> tuple[Problem, ...]:
    """Why the dedupe log did not load when :func:`aliases` last read it in this process (no
    merges were known from it then), or () when it loaded or was not read."""
    return _UNREAD.get(os.path.abspath(project.duplicates), ())


def remember_aliases(project: Project, written: DuplicatesFile) -> None:
    """Cache the aliases of the dedupe log just written as ``written``."""
    try:
        data = project.duplicates.read_bytes()
    except OSError:
        return
    if corpus_cache_ok(project):
        remember(project, "aliases", _log_digest(project, data, "aliases"), written.aliases())


# --- facts of the whole corpus the appendix needs ---------------------------------------------


@dataclass(frozen=True)
class CorpusFacts:
    """What rendering needs of every record, not only the included ones: each record's in-text
    citation (its letter depends on every record with the same author and year) and how many
    records each source's export brought in. At 100k records that is a second and a half of
    building records and citations; cached, ``render`` on unchanged files reads a few MB."""

    citations: dict[str, str]
    imported: dict[tuple[str, str], int]


def corpus_facts(project: Project, corpus: Corpus) -> CorpusFacts:
    """:class:`CorpusFacts` through the cache. Inputs: the corpus (with its corrections)."""

    def compute() -> CorpusFacts:
        from litreview.report.citations import assign_citations

        imported: Counter[tuple[str, str]] = Counter()
        for r in corpus.records:
            for p in r.provenance:
                imported[(p.source, p.path)] += 1
        return CorpusFacts(assign_citations(corpus.records), dict(imported))

    return cached(
        project,
        "corpus-facts",
        inputs_digest(project, corpus, (), "corpus-facts"),
        compute,
        bool(corpus.digest),
    )
