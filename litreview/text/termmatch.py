"""Term lists compiled once into one regular expression: word boundaries, variants, synonyms.

A protocol's term list (``doctor-manager``, ``clinical director``, ``ethnograph*``) becomes a
single pattern built from a trie of the terms, so that matching 100k abstracts tries one
character class per position instead of every term in turn.

Rules for a term:

- matched on folded text (:func:`litreview.text.normalize.fold`: lower case, accents removed), so case
  and accents never matter;
- whole words only: ``manager`` does not match inside ``managerialism``;
- a space, hyphen, en dash or slash between words matches any run of them, so
  ``doctor-manager`` matches ``doctor–manager``, ``doctor manager`` and ``doctor/manager``;
- each word also matches its plural (``manager`` → ``managers``, ``policy`` → ``policies``)
  unless plurals are turned off;
- a trailing ``*`` truncates: ``ethnograph*`` matches ``ethnography`` and ``ethnographic``;
- synonyms: ``{doctor: [physician, clinician]}`` makes every term with the word (or phrase)
  ``doctor`` also match it with ``physician`` or ``clinician`` in its place.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from litreview.text.normalize import fold

#: what separates words of a phrase in folded text (fold turns en and em dashes into ``-``)
SEP = r"[\s\-/]+"
_SPLIT = re.compile(r"[\s\-/–—]+")
_END = ""
_MAX_EXPANSIONS = 4096
_Trie = dict[str, "_Trie"]


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def prepare(text: str) -> str:
    """The text terms are matched against: :func:`fold`, with a fast path for ASCII.

    For ASCII text the result has the same length as the input, so a match's span can be used
    to cut the original phrase out for evidence.
    """
    return text.lower() if text.isascii() else fold(text)


def term_words(term: str) -> list[str]:
    """A term's words, folded; empty when the term has no letters or digits."""
    return [w for w in _SPLIT.split(fold(term).strip()) if w]


#: A term is a phrase, not a paragraph; each word nests a group in the compiled pattern, and
#: Python's regex compiler recurses once per level (about 150 words exhaust its stack).
MAX_TERM_WORDS = 32


def term_problem(term: str) -> str | None:
    """Why a term cannot be used, or None."""
    words = term_words(term)
    if not words:
        return "an empty term"
    if len(words) > MAX_TERM_WORDS:
        return f"a term of {len(words)} words; a term has at most {MAX_TERM_WORDS} (split it into shorter phrases)"
    for w in words:
        stem = w[:-1] if w.endswith("*") else w
        if "*" in stem:
            return f"'*' may only end a word ({term!r})"
        if not stem:
            return f"a lone '*' matches everything ({term!r})"
    return None


#: British and American spellings of one word: organisation / organization, realise / realize
_ISE = re.compile(r"i[sz](e|es|ed|ing|ation|ations|ational|er|ers)$")


def _word_atoms(word: str, plurals: bool) -> list[str]:
    """One folded word of a term as regex atoms (one per letter, so tries share prefixes): the
    one rule for screening's and tagging's terms. A trailing ``*`` matches any ending; -ise and
    -ize are one spelling; with ``plurals``, a word matches its plural and, when it is written as
    a plural, its singular (``leaders`` finds "leader"); short words and numbers match as written."""
    if word.endswith("*"):
        return [re.escape(c) for c in word[:-1]] + ["[a-z0-9]*"]
    atoms = [re.escape(c) for c in word]
    if word.isdigit() or len(word) < 3:
        return atoms
    m = _ISE.search(word)
    if m:
        at = m.start()
        atoms = atoms[:at] + ["i", "[sz]"] + [re.escape(c) for c in m.group(1)]
        return atoms + (["s?"] if plurals and not m.group(1).endswith("s") else [])
    if not plurals:
        return atoms
    if word.endswith("ies") and len(word) > 4:
        return [*atoms[:-3], "(?:y|ies)"]
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return [*atoms[:-1], "(?:y|ies)"]
    if word.endswith(("ss", "us", "is")) or word[-1].isdigit():
        return [*atoms, "(?:es)?"]
    if word.endswith("s") and len(word) > 4:
        return [*atoms[:-1], "(?:s|es)?"]
    if word.endswith(("x", "ch", "sh")):
        return [*atoms, "(?:es)?"]
    return [*atoms, "s?"]


def word_pattern(word: str, plurals: bool = True) -> str:
    """The regex for one folded word of a term (see :func:`_word_atoms`)."""
    return "".join(_word_atoms(word, plurals))


def expand(terms: Iterable[str], synonyms: Mapping[str, Sequence[str]] | None = None) -> list[tuple[str, ...]]:
    """Every term as a tuple of folded words, with synonyms put in place of the words they stand for."""
    syn: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for head, alts in (synonyms or {}).items():
        key = tuple(term_words(head))
        if key:
            syn.setdefault(key, [key])
            syn[key].extend(tuple(term_words(a)) for a in alts if term_words(a))
    out: dict[tuple[str, ...], None] = {}
    longest = max((len(k) for k in syn), default=0)
    for term in terms:
        words = tuple(term_words(term))
        if not words:
            continue
        # split the term into pieces: a synonym head (longest first) or a single word
        pieces: list[list[tuple[str, ...]]] = []
        i = 0
        while i < len(words):
            for size in range(min(longest, len(words) - i), 0, -1):
                chunk = words[i : i + size]
                if chunk in syn:
                    pieces.append(syn[chunk])
                    i += size
                    break
            else:
                pieces.append([(words[i],)])
                i += 1
        for combo in itertools.islice(itertools.product(*pieces), _MAX_EXPANSIONS):
            out[tuple(w for part in combo for w in part)] = None
    return list(out)


def _trie_regex(phrases: Iterable[tuple[str, ...]], plurals: bool) -> str:
    return _merged_trie_regex([(phrases, plurals)])


def _merged_trie_regex(groups: Iterable[tuple[Iterable[tuple[str, ...]], bool]]) -> str:
    """One trie regex for several phrase lists, each with its own plurals setting."""
    trie: _Trie = {}
    for phrases, plurals in groups:
        for words in phrases:
            node = trie
            atoms: list[str] = []
            for i, w in enumerate(words):
                if i:
                    atoms.append(SEP)
                atoms.extend(_word_atoms(w, plurals))
            for a in atoms:
                node = node.setdefault(a, {})
            node[_END] = {}
    return _node_regex(trie)


def _node_regex(node: _Trie) -> str:
    alts = [atom + _node_regex(child) for atom, child in sorted(node.items()) if atom != _END]
    if not alts:
        return ""
    optional = _END in node
    if len(alts) == 1 and not optional:
        return alts[0]
    body = "(?:" + "|".join(alts) + ")"
    return body + "?" if optional else body


class TermMatcher:
    """One compiled pattern for a list of terms; search it on :func:`prepare`-d text."""

    __slots__ = ("_scan", "phrases", "plurals", "regex", "terms")

    def __init__(self, terms: Iterable[str], synonyms: Mapping[str, Sequence[str]] | None = None,
                 plurals: bool = True) -> None:
        self.terms = tuple(terms)
        self.phrases = expand(self.terms, synonyms)
        self.plurals = plurals
        body = _trie_regex(self.phrases, plurals)
        #: the terms at one position (``match``, ``fullmatch``): a match always ends a word
        self.regex = re.compile(rf"(?:{body})(?!\w)" if body else r"(?!x)x")
        # The scan looks for a non-word character followed by a term. Starting with a character
        # class lets the regex engine skip the letters of a text in a tight loop and try the
        # terms only where a word starts (about twice as fast as a leading \b, which tests every
        # position). The class is ASCII, so a candidate after a non-ASCII letter is checked in
        # :meth:`search`.
        self._scan = re.compile(rf"[^a-z0-9_](?=(?:{body})(?!\w))" if body else r"(?!x)x")

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def search(self, prepared: str, pos: int = 0) -> re.Match[str] | None:
        """The first whole-word match at or after ``pos``."""
        if pos == 0 or (pos <= len(prepared) and not _word_char(prepared[pos - 1])):
            m = self.regex.match(prepared, pos)
            if m is not None:
                return m
        scan = self._scan
        while True:
            s = scan.search(prepared, pos)
            if s is None:
                return None
            start = s.end()
            if not _word_char(prepared[start - 1]):
                return self.regex.match(prepared, start)
            pos = start

    def finditer(self, prepared: str) -> Iterator[re.Match[str]]:
        """Every whole-word match, left to right, not overlapping."""
        rx = self.regex
        end = 0
        m = rx.match(prepared)
        if m is not None:
            yield m
            end = max(m.end(), 1)
        # the scan visits every word start where a term matches, also inside an earlier match
        ascii_only = prepared.isascii()
        for s in self._scan.finditer(prepared):
            start = s.end()
            if start < end or (not ascii_only and _word_char(prepared[start - 1])):
                continue
            m = rx.match(prepared, start)
            if m is not None:
                yield m
                end = max(m.end(), start + 1)

    def finditer_at(self, prepared: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
        """:meth:`finditer`, trying only the positions in ``starts`` (ascending), which must hold
        every word start where one of these terms matches: :meth:`Scanner.starts` of a scanner
        that includes this matcher."""
        match = self.regex.match
        end = 0
        for p in starts:
            if p >= end:
                m = match(prepared, p)
                if m is not None:
                    yield m
                    end = max(m.end(), p + 1)

    def search_at(self, prepared: str, starts: Iterable[int]) -> re.Match[str] | None:
        """:meth:`search` from the start, trying only the positions in ``starts`` (see :meth:`finditer_at`)."""
        match = self.regex.match
        for p in starts:
            m = match(prepared, p)
            if m is not None:
                return m
        return None

    def phrases_in(self, text: str, limit: int = 5) -> list[str]:
        """The distinct phrases of ``text`` the terms match, as written when the text is ASCII."""
        prepared = prepare(text)
        same = len(prepared) == len(text)
        seen: dict[str, None] = {}
        for m in self.finditer(prepared):
            phrase = text[m.start() : m.end()] if same else m.group(0)
            if phrase.lower() not in {s.lower() for s in seen}:
                seen[phrase] = None
            if len(seen) >= limit:
                break
        return list(seen)


class Scanner:
    """Where any of several term lists may match, found in one pass over a text.

    Screening reads each field with several lists (the gazetteer, the criteria's include and
    exclude terms). Scanning a text costs about the same for one list as for all of them merged
    into one trie, so the scanner finds, once per text, every word start where some term of some
    list matches; each list then tries its own pattern only there (:meth:`TermMatcher.finditer_at`).
    The results are exactly those of scanning with each list on its own.
    """

    __slots__ = ("_first", "_scan")

    def __init__(self, matchers: Iterable[TermMatcher]) -> None:
        groups = {(id(m)): (m.phrases, m.plurals) for m in matchers if m}
        body = _merged_trie_regex(groups.values())
        self._first = re.compile(rf"(?:{body})(?!\w)") if body else None
        self._scan = re.compile(rf"[^a-z0-9_](?=(?:{body})(?!\w))") if body else None

    def starts(self, prepared: str) -> list[int]:
        """Ascending positions of ``prepared`` where a word starts and some term matches."""
        if self._first is None or self._scan is None or not prepared:
            return []
        out = [0] if self._first.match(prepared) else []
        if prepared.isascii():
            out += [m.end() for m in self._scan.finditer(prepared)]
        else:
            out += [p for p in (m.end() for m in self._scan.finditer(prepared)) if not _word_char(prepared[p - 1])]
        return out


class LabelledTerms:
    """Several term lists (say ``include`` and ``exclude``) searched in one pass over a text.

    The first match of each label, per text: a union pattern finds candidates; each candidate
    is classified by the labels' own patterns (on the short matched phrase only).
    """

    __slots__ = ("_kinds", "labels", "matchers", "union")

    def __init__(self, lists: Mapping[str, Iterable[str]], synonyms: Mapping[str, Sequence[str]] | None = None,
                 plurals: bool = True) -> None:
        self.matchers = {label: TermMatcher(terms, synonyms, plurals) for label, terms in lists.items()}
        self.labels = tuple(label for label, m in self.matchers.items() if m)
        self.union = TermMatcher(
            [t for label in self.labels for t in self.matchers[label].terms], synonyms, plurals)
        #: matched phrase -> the labels whose terms match all of it (phrases recur across texts)
        self._kinds: dict[str, tuple[str, ...]] = {}

    def _labels_of(self, phrase: str) -> tuple[str, ...]:
        kinds = self._kinds.get(phrase)
        if kinds is None:
            kinds = tuple(label for label in self.labels if self.matchers[label].regex.fullmatch(phrase))
            if len(self._kinds) < 100_000:
                self._kinds[phrase] = kinds
        return kinds

    @property
    def all_matchers(self) -> tuple[TermMatcher, ...]:
        """Every pattern :meth:`first` may use (for a :class:`Scanner`)."""
        return (self.union, *self.matchers.values())

    def first(self, prepared: str, starts: Sequence[int] | None = None) -> dict[str, re.Match[str]]:
        """Label → its first match in ``prepared`` (labels that do not occur are absent).

        ``starts``: the positions a :class:`Scanner` that includes :attr:`all_matchers` found.
        """
        found: dict[str, re.Match[str]] = {}
        if len(self.labels) == 1:
            one = self.matchers[self.labels[0]]
            m = one.search(prepared) if starts is None else one.search_at(prepared, starts)
            return {self.labels[0]: m} if m else found
        wanted = len(self.labels)
        hits = self.union.finditer(prepared) if starts is None else self.union.finditer_at(prepared, starts)
        for m in hits:
            for label in self._labels_of(m.group(0)):
                if label not in found:
                    found[label] = m
            if len(found) == wanted:
                break
        return found
