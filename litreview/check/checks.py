"""``litreview check``: every stored file validated on its own and against the others, for CI.

Each check is a small function returning problems; :func:`check_project` runs them all and
never stops at the first. A file that parses but is wrong is a finding (exit 1); a review that
cannot be checked at all (no review here, no corpus folder, a stored file that cannot be read)
raises :class:`~litreview.errors.InputError` (exit 2). Fixes (``--fix``) are limited to changes
that cannot lose information.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litreview.corpus.store import Corpus, load_corpus
from litreview.errors import InputError, LitreviewError, os_problem
from litreview.model import (
    BIBTEX_TYPES,
    KEY_SHAPE,
    Location,
    Name,
    Problem,
    Severity,
    missing_fields,
    misspelt_field,
)
from litreview.project import Project
from litreview.text.names import is_initial
from litreview.text.normalize import doi_is_wellformed

if TYPE_CHECKING:
    from litreview.check._crosscheck import Inputs


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def errors(self, strict: bool = False) -> list[Problem]:
        return [p for p in self.problems if p.is_error or strict]

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "checked": self.checked,
            "errors": sum(1 for p in self.problems if p.is_error),
            "warnings": sum(1 for p in self.problems if not p.is_error),
            "fixed": self.fixed,
            "problems": [p.as_dict() for p in self.problems],
        }


def _err(
    path: str, line: int | None, key: str | None, message: str, code: str, hint: str | None = None
) -> Problem:
    return Problem(Location(path, line, key), message, Severity.ERROR, code, hint)


def _warn(
    path: str, line: int | None, key: str | None, message: str, code: str, hint: str | None = None
) -> Problem:
    return Problem(Location(path, line, key), message, Severity.WARNING, code, hint)


@functools.lru_cache(maxsize=4096)
def _near_field(name: str) -> str | None:
    """:func:`misspelt_field`, once per field name (a large corpus repeats a few names)."""
    return misspelt_field(name)


def _entry_lines(text: str, keys: set[str]) -> dict[str, list[int]]:
    """The line of every entry whose key is in ``keys``, in file order (a key may start several)."""
    out: dict[str, list[int]] = {}
    for m in _ENTRY_START.finditer(text):
        if m.group(1) in keys:
            out.setdefault(m.group(1), []).append(text.count("\n", 0, m.start()) + 1)
    return out


_ENTRY_START = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(][ \t]*([^\s,{}()]+)[ \t]*,", re.M)


def check_records(
    corpus: Corpus, text: str | None = None, different: Collection[tuple[str, str]] = ()
) -> list[Problem]:
    """Checks on the corpus alone: keys, required fields, identifiers, years.

    What the databases exported (a missing author, a malformed DOI, an odd year, two records
    sharing an identifier) is reported as a warning: the team did not write it and records.bib
    is not theirs to edit, so it must not turn their CI red (``--strict`` makes it count). What
    only the team's own hand can cause (a citation key used twice) is an error. ``different``
    holds the pairs (sorted keys) a person decided are different works: their shared DOI or
    PMID is settled and not reported again.

    ``text`` is the corpus file's text: with it, a key used twice is reported at each entry's
    own line (the corpus keeps one line per key).
    """
    out: list[Problem] = list(corpus.problems)
    path = corpus.path
    this_year = _dt.date.today().year
    counts = Counter(r.key for r in corpus.records)
    twice = {k for k, n in counts.items() if n > 1}
    dup_lines = _entry_lines(text, twice) if twice and text is not None else {}
    seen_key: dict[str, int | None] = {}
    nth: Counter[str] = Counter()
    seen_doi: dict[str, str] = {}
    seen_pmid: dict[str, str] = {}
    decided = set(different)
    for rec in corpus.records:
        line = corpus.lines.get(rec.key)
        if rec.key in twice:
            # records are sorted by key keeping file order, so the n-th record with a key is its n-th entry
            own = dup_lines.get(rec.key, [])
            line = own[nth[rec.key]] if nth[rec.key] < len(own) else line
            nth[rec.key] += 1
            if rec.key in seen_key:
                first = seen_key[rec.key]
                also = f" (also line {first})" if first is not None and first != line else ""
                out.append(
                    _err(
                        path,
                        line,
                        rec.key,
                        f"citation key {rec.key!r} is used twice{also}",
                        "duplicate-key",
                        "give one of them its own key",
                    )
                )
        seen_key.setdefault(rec.key, line)
        if not KEY_SHAPE.match(rec.key):
            out.append(
                _warn(
                    path,
                    line,
                    rec.key,
                    f"citation key {rec.key!r} is not of the form Surname2003a",
                    "key-shape",
                )
            )
        near_type = _misspelt_type(rec.entry_type)
        if near_type is not None:
            out.append(
                _warn(
                    path,
                    line,
                    rec.key,
                    f"entry type @{rec.entry_type} is not a BibTeX type (did you mean "
                    f"@{near_type}?)",
                    "entry-type",
                )
            )
        gaps = missing_fields(rec)
        if gaps:
            # a hand edit that misspelt the field's name keeps the value under the wrong one
            near = [(name, _near_field(name)) for name, _ in rec.extra]
            typos = [f"a field {name!r}: did you mean {to!r}?" for name, to in near if to in gaps]
            out.append(
                _warn(
                    path,
                    line,
                    rec.key,
                    f"@{rec.entry_type} is missing {', '.join(gaps)}",
                    "missing-field",
                    f"the entry has {'; '.join(typos)}" if typos else None,
                )
            )
        if rec.doi:
            if not doi_is_wellformed(rec.doi):
                out.append(
                    _warn(
                        path,
                        line,
                        rec.key,
                        f"DOI {rec.doi!r} is not of the form 10.NNNN/…",
                        "doi-shape",
                    )
                )
            other = seen_doi.setdefault(rec.doi, rec.key)
            if other != rec.key and _pair(other, rec.key) not in decided:
                out.append(
                    _warn(
                        path,
                        line,
                        rec.key,
                        f"shares DOI {rec.doi} with {other}",
                        "shared-doi",
                        _SHARED_HINT,
                    )
                )
        if rec.pmid:
            other = seen_pmid.setdefault(rec.pmid, rec.key)
            if other != rec.key and _pair(other, rec.key) not in decided:
                out.append(
                    _warn(
                        path,
                        line,
                        rec.key,
                        f"shares PMID {rec.pmid} with {other}",
                        "shared-pmid",
                        _SHARED_HINT,
                    )
                )
        swapped = next((a for a in rec.authors if looks_swapped(a)), None)
        if swapped is not None:
            out.append(
                _warn(
                    path,
                    line,
                    rec.key,
                    f"author '{swapped.last}, {swapped.first}' reads as surname {swapped.last!r}: "
                    f"the export likely wrote '{swapped.first} {swapped.last}'",
                    "author-swapped",
                    "earlier versions of litreview read Embase's and Scopus's 'Surname I.' this "
                    "way; give the author list in corpus/corrections.yaml (importing the export "
                    "again changes nothing)",
                )
            )
        if rec.year is not None and not (1800 <= rec.year <= this_year + 1):
            out.append(_warn(path, line, rec.key, f"year {rec.year} is not plausible", "year"))
    return out


_ONE_WORD = re.compile(r"^[A-Z][a-z'’-]+$")


def looks_swapped(name: Name) -> bool:
    """``E., Dunne``: initials as the surname and one capitalised word as the given name, which
    no person's name is; what reading ``Dunne E.`` by BibTeX's rules gives."""
    return (
        name.last.endswith(".")
        and not name.corporate
        and not name.von
        and all(is_initial(w) for w in name.last.split())
        and _ONE_WORD.match(name.first) is not None
    )


_SHARED_HINT = (
    "`litreview dedupe --explain` the pair; if they are different works, say so with "
    "`litreview dedupe decide A B different`"
)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


Checker = Callable[["Inputs"], list[Problem]]


def _guard(fn: Checker) -> Checker:
    """A checker whose input file cannot be used reports that as a problem, not a crash."""

    def run(inputs: Inputs) -> list[Problem]:
        try:
            return fn(inputs)
        except LitreviewError as exc:
            return exc.problems

    return run


def extra_checkers() -> list[tuple[str, Checker]]:
    """Cross-file checks supplied by the step modules (protocol, screening, themes, …)."""
    from litreview.check import _crosscheck as crosscheck

    return [(name, _guard(fn)) for name, fn in crosscheck.CHECKERS]


def _stored_files(project: Project) -> list[Path]:
    """The files a review stores; one that exists but cannot be read stops the check (exit 2)."""
    return [
        project.records,
        project.protocol,
        project.themes,
        *project.decision_files(),
        project.duplicates,
        project.extraction,
        project.theme_overrides,
        project.rule_audit,
        project.fulltext,
        project.corrections,
        project.narrative,
        *project.appraisal_files(),
    ]


def _cannot_run(project: Project) -> list[Problem]:
    """Why the check cannot run at all: no review here, no corpus, or a stored file unreadable."""
    if not project.corpus_dir.is_dir():
        where = project.rel(project.corpus_dir) + "/"
        if not project.protocol.is_file():
            return [
                _err(
                    project.root.as_posix(),
                    None,
                    None,
                    "no review repository here (no review.yaml, no corpus/ folder)",
                    "cannot-run",
                    "run it inside a review repository, or point at one with -C DIR",
                )
            ]
        return [
            _err(
                where,
                None,
                None,
                "corpus folder not found",
                "cannot-run",
                "import an export first: litreview import FILE --source NAME",
            )
        ]
    out = []
    for path in _stored_files(project):
        if not path.exists():
            continue
        try:
            with path.open("rb") as fh:
                fh.read(1)
        except OSError as exc:
            why = os_problem(exc, project.rel(path))
            out.append(_err(why.location.path, None, None, why.message, "cannot-run", why.hint))
    return out


#: BibTeX's and BibLaTeX's entry types (with their aliases), and the types litreview's readers
#: give records: a type near one of these but none of them is a hand edit's typo
_ENTRY_TYPES = BIBTEX_TYPES | frozenset(
    [
        "online",
        "electronic",
        "www",
        "report",
        "thesis",
        "collection",
        "mvbook",
        "mvcollection",
        "mvproceedings",
        "bookinbook",
        "suppbook",
        "suppcollection",
        "suppperiodical",
        "periodical",
        "reference",
        "mvreference",
        "inreference",
        "patent",
        "dataset",
        "software",
        "set",
        "xdata",
        "artwork",
        "audio",
        "image",
        "movie",
        "music",
        "performance",
        "video",
        "standard",
        "preprint",
        "review",
        "legal",
        "legislation",
        "jurisdiction",
        "letter",
        "commentary",
    ]
)


def _misspelt_type(entry_type: str) -> str | None:
    """The entry type a hand edit meant (``artcle`` -> ``article``), or None for a known type
    and for one near none (an export's own type is its business, not a typo)."""
    import difflib

    kind = entry_type.lower()
    if kind in _ENTRY_TYPES:
        return None
    near = difflib.get_close_matches(kind, sorted(_ENTRY_TYPES), n=1, cutoff=0.8)
    return near[0] if near else None


def check_project(project: Project, fix: bool = False, use_cache: bool = True) -> CheckReport:
    """Run every check; raise :class:`InputError` when the review cannot be checked at all.

    The corpus goes through the same content-hash cache as every other command (``use_cache``):
    an unchanged corpus is not parsed again, and a changed one cannot hit a stale entry.
    """
    from litreview.check._crosscheck import Inputs

    blockers = _cannot_run(project)
    if blockers:
        raise InputError(blockers)
    report = CheckReport()
    rel = project.rel(project.records)
    if project.records.exists():
        corpus = load_corpus(project.records, rel, use_cache=use_cache, lazy=use_cache)
        if use_cache and not fix and corpus.digest:
            # the same files as the last check's: its findings, without reading 100k records
            from litreview.files.derived import peek

            known = peek(project, "check", check_digest(project, corpus))
            if isinstance(known, tuple):
                names = [name for name, _ in extra_checkers()]
                return CheckReport(problems=list(known), checked=[rel, *names])
        if fix:
            corpus = _apply_fixes(project, corpus, report)
    else:
        corpus = Corpus(path=rel, records=())
        report.problems.append(
            _warn(
                rel,
                None,
                None,
                "no records yet",
                "no-records",
                "import an export: litreview import FILE --source NAME",
            )
        )
    report.checked.append(rel)
    text = None
    if any(r.key == nxt.key for r, nxt in zip(corpus.records, corpus.records[1:], strict=False)):
        text = project.records.read_text(encoding="utf-8", errors="replace")
    inputs = Inputs(project, corpus)
    different = _decided_different(inputs)
    # records as the review reads them: a person's correction (a missing author supplied) settles
    # the finding; the corrections file's own problems are its checker's to report
    from litreview.corpus.corrections import with_corrections

    seen, _ = with_corrections(
        corpus, project.corrections, project.rel(project.corrections), lambda: inputs.aliases
    )
    report.problems.extend(check_records(seen, text, different))
    report.problems.extend(exports_imported_twice(project, corpus))
    for name, checker in extra_checkers():
        report.checked.append(name)
        report.problems.extend(checker(inputs))
    # across the files above: each decision still stands on the work it was made on
    from litreview.check._crosscheck import check_made_on

    report.problems.extend(_guard(check_made_on)(inputs))
    report.problems[:] = _unreadable_not_missing(report.problems, corpus, inputs)
    report.problems.sort(key=lambda p: (p.location.path, p.location.line or 0, p.code, p.message))
    if use_cache and not report.fixed and corpus.digest:
        from litreview.files.derived import remember

        remember(project, "check", check_digest(project, corpus), tuple(report.problems))
    return report


def _unreadable_not_missing(
    problems: list[Problem], corpus: Corpus, inputs: Inputs
) -> list[Problem]:
    """A file's reference to a record the review holds but cannot read now is not a reference
    to a missing record: an entry of records.bib that does not parse, or a key a merge absorbed
    while duplicates.yaml, which says so, does not load. The broken file's own error says what
    to mend, and "not in the corpus (did you mean ...?)" would have a person rename their
    decision to another record. Such findings become one "not checked" warning each."""
    from litreview.dedupe.store import absorbed_keys

    held: dict[str, tuple[str, str]] = {}
    for r in corpus.rejects:
        if r.location.key is not None:
            at = f"{corpus.path}:{r.location.line}" if r.location.line else corpus.path
            held.setdefault(
                r.location.key,
                (f"is an entry of {corpus.path} that does not parse", f"mend it at {at} first"),
            )
    project = inputs.project
    if project.duplicates.exists():
        try:
            inputs.duplicates  # noqa: B018  # read once, for every checker
        except LitreviewError:
            for key in absorbed_keys(project.duplicates):
                held.setdefault(key, _absorbed_while_log_unread(project))
    if not held:
        return problems
    out = []
    for p in problems:
        named = _named_missing(p, corpus.path)
        if named is None or named not in held:
            out.append(p)
            continue
        why, hint = held[named]
        out.append(
            Problem(p.location, f"not checked: {named!r} {why}", Severity.WARNING, "skipped", hint)
        )
    return out


def _absorbed_while_log_unread(project: Project) -> tuple[str, str]:
    shown = project.rel(project.duplicates)
    return f"was absorbed by a dedupe merge, and {shown} does not load", f"mend {shown} first"


def _named_missing(p: Problem, corpus_path: str) -> str | None:
    """The key an error says the corpus lacks, or None."""
    return p.missing if p.is_error and p.location.path != corpus_path else None


def absorbed_not_missing(project: Project, problems: list[Problem]) -> list[Problem]:
    """For the commands other than ``check``, which stop on errors: an error that a file names a
    record the corpus lacks, where the key is one a dedupe merge absorbed (the ``% merge`` lines
    of absorbed.bib say so) while duplicates.yaml, which maps it to its survivor, does not load
    (a merge left unfinished), says that instead of "not in the corpus (did you mean ...?)", and
    the dedupe log's own errors are added: mending the log is what to do."""
    if not project.duplicates.exists() or not any(_named_missing(p, "") for p in problems):
        return problems
    from litreview.dedupe.store import absorbed_keys
    from litreview.review import Review

    try:
        Review.of(project).duplicates()
        return problems  # it loads, so the aliases were known
    except LitreviewError as exc:
        log_problems = [p for p in exc.problems if p not in problems]
    held = set(absorbed_keys(project.duplicates))
    why, hint = _absorbed_while_log_unread(project)
    out = []
    rewritten = False
    for p in problems:
        named = _named_missing(p, "")
        if named is None or named not in held:
            out.append(p)
            continue
        rewritten = True
        out.append(Problem(p.location, f"{named!r} {why}", Severity.ERROR, "not-loaded", hint))
    return out + log_problems if rewritten else problems


def exports_imported_twice(project: Project, corpus: Corpus) -> list[Problem]:
    """An error for each export the corpus holds records of that has the same bytes as another
    it holds records of: one export imported twice under two names, which `import` refuses
    within one history but two branches can each do, and a git merge then joins (the records'
    provenance names both). PRISMA would count its records twice as identified. Only exports
    of the same size are compared, so this costs a stat per export."""
    import filecmp

    counts = _provenance_counts(project, corpus)
    by_size: dict[int, list[str]] = {}
    for shown in sorted(counts):
        try:  # an absolute provenance path stays itself under the root
            by_size.setdefault((project.root / shown).stat().st_size, []).append(shown)
        except OSError:
            continue
    out = []
    for names in by_size.values():
        for i, later in enumerate(names[1:], 1):
            for first in names[:i]:
                try:
                    same = filecmp.cmp(project.root / first, project.root / later, shallow=False)
                except OSError:
                    continue
                if same:
                    out.append(
                        Problem(
                            Location(first),
                            f"holds the same bytes as {later}, and the corpus holds records of "
                            f"both: its {counts[first]} record"
                            + (" is" if counts[first] == 1 else "s are")
                            + " counted twice in PRISMA's identified records",
                            Severity.ERROR,
                            "same-export-twice",
                            "one export imported on two branches under two names: keep one "
                            "(delete the other file and its provenance in corpus/records.bib, "
                            "or revert its import and merge again)",
                        )
                    )
                    break
    return out


def _provenance_counts(project: Project, corpus: Corpus) -> dict[str, int]:
    """How many records of the corpus each export (by its provenance path) brought in, through
    the derived-results cache: :func:`check_digest` stamps these exports wherever they are
    (``import exports/x.ris`` keeps no copy under corpus/searches/) without reading records."""

    def compute() -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in corpus.records:
            for prov in {p.path for p in r.provenance}:
                counts[prov] = counts.get(prov, 0) + 1
        return counts

    if not corpus.digest:
        return compute()
    from litreview.files.derived import cached, inputs_digest

    return cached(project, "provenance", inputs_digest(project, corpus, (), "provenance"), compute)


def _file_stamp(project: Project, path: Path) -> str:
    """A file as it stands, without reading it: size, times and inode (a rewrite changes the
    change time even when the modification time is copied over), or that it is absent."""
    try:
        st = path.stat()
    except OSError:
        return f"{project.rel(path)}:-"
    if not path.is_file():
        return f"{project.rel(path)}:not-a-file"
    return f"{project.rel(path)}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def _exports_stamp(project: Project, corpus: Corpus) -> str:
    """What :func:`exports_imported_twice` found depends on, without reading the corpus: the
    exports under corpus/searches/ and every export the corpus's records came from, wherever it
    is (path, size, times). The latter are known from the last check of this corpus (cached);
    before one, the digest says so, and a check's findings are kept under the digest it ends with."""
    out: list[str] = []
    if project.searches.is_dir():
        out.extend(
            _file_stamp(project, p) for p in sorted(project.searches.rglob("*")) if p.is_file()
        )
    if corpus.digest:
        from litreview.files.derived import inputs_digest, peek

        known = peek(project, "provenance", inputs_digest(project, corpus, (), "provenance"))
        if isinstance(known, dict):
            out.extend(_file_stamp(project, project.root / shown) for shown in sorted(known))
        else:
            out.append("provenance:unknown")
    return ";".join(out)


def check_digest(project: Project, corpus: Corpus) -> str:
    """What a check's findings depend on: the corpus, every stored file (absorbed.bib too), the
    review's and the shipped templates (and the template engine's version), whether each search
    export the protocol names is there, and the year (a record dated next year is a finding
    until then). A check on files with this digest reads the last one's findings."""
    import litreview
    from litreview.dedupe.store import absorbed_path
    from litreview.files.derived import inputs_digest
    from litreview.review import Review

    files = [*_stored_files(project)[1:], absorbed_path(project.duplicates)]
    if project.templates.is_dir():
        files += sorted(p for p in project.templates.rglob("*") if p.is_file())
    # the shipped templates too: check renders them when the review has no copy of its own
    shipped = Path(litreview.__file__).parent / "report" / "templates"
    files += sorted(p for p in shipped.rglob("*") if p.is_file())
    protocol, _ = Review.of(project).parsed("protocol")
    exports = sorted(
        f"{f}:{(project.root / f).is_file()}"
        for s in (protocol.sources if protocol else ())
        for f in s.files
    )
    year = str(_dt.date.today().year)
    from importlib.metadata import version

    engine = f"jinja2 {version('jinja2')}"  # template errors are the template engine's verdict
    return inputs_digest(
        project, corpus, files, "check", year, engine, _exports_stamp(project, corpus), *exports
    )


def last_check(project: Project, corpus: Corpus) -> tuple[Problem, ...] | None:
    """The problems the last ``litreview check`` found, if it ran on the files as they are now
    (None otherwise): ``status`` shows them without running a cold check itself."""
    from litreview.files.derived import peek

    if not corpus.digest:
        return None
    found = peek(project, "check", check_digest(project, corpus))
    return found if isinstance(found, tuple) else None


def _decided_different(inputs: Inputs) -> set[tuple[str, str]]:
    """Pairs a person decided are different works (an unreadable dedupe log: none; its own
    check reports why)."""
    if not inputs.project.duplicates.exists():
        return set()
    try:
        return {d.pair for d in inputs.duplicates.decisions if d.decision == "different"}
    except LitreviewError:
        return set()


def _apply_fixes(project: Project, corpus: Corpus, report: CheckReport) -> Corpus:
    """Safe fixes only: rewrite the corpus in canonical form.

    Reading already normalises what can be normalised without judgement (DOIs, pages, LaTeX to
    Unicode); writing puts fields in the stable order and entries in key order.
    """
    from litreview.corpus.store import CORPUS_HEADER, save_corpus
    from litreview.files.fsutil import corpus_lock
    from litreview.io.bibtex import format_corpus

    records = list(corpus.records)

    new_text = format_corpus(records, CORPUS_HEADER)
    old_text = project.records.read_text(encoding="utf-8")
    if new_text != old_text and not corpus.rejects:
        with corpus_lock(project.corpus_dir):
            save_corpus(project.records, records)  # every entry afresh: that is the fix
        report.fixed.append(
            f"{project.rel(project.records)}: rewritten in the canonical field order"
        )
        return load_corpus(project.records, corpus.path, use_cache=False)
    return corpus
