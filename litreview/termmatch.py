"""Term lists compiled once into one regular expression: word boundaries, variants, synonyms.

A protocol's term list (``doctor-manager``, ``clinical director``, ``ethnograph*``) becomes a
single pattern built from a trie of the terms, so that matching 100k abstracts tries one
character class per position instead of every term in turn.

Rules for a term:

- matched on folded text (:func:`litreview.normalize.fold`: lower case, accents removed), so case
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

from litreview.normalize import fold

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


def term_problem(term: str) -> str | None:
    """Why a term cannot be used, or None."""
    words = term_words(term)
    if not words:
        return "an empty term"
    for w in words:
        stem = w[:-1] if w.endswith("*") else w
        if "*" in stem:
            return f"'*' may only end a word ({term!r})"
        if not stem:
            return f"a lone '*' matches everything ({term!r})"
    return None


def _word_atoms(word: str, plurals: bool) -> list[str]:
    if word.endswith("*"):
        return [re.escape(c) for c in word[:-1]] + [r"\w*"]
    atoms = [re.escape(c) for c in word]
    if plurals and word[-1:].isalpha():
        if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
            atoms[-1] = "(?:y|ies)"
        elif not word.endswith("s"):
            atoms.append("(?:e?s)?")
    return atoms


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
    trie: _Trie = {}
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

    __slots__ = ("phrases", "regex", "terms")

    def __init__(self, terms: Iterable[str], synonyms: Mapping[str, Sequence[str]] | None = None,
                 plurals: bool = True) -> None:
        self.terms = tuple(terms)
        self.phrases = expand(self.terms, synonyms)
        body = _trie_regex(self.phrases, plurals)
        # The pattern starts with the trie's first letters and not with a look-behind, so that
        # the regex engine skips positions whose letter starts no term (about twice as fast);
        # the word boundary before a match is checked in :meth:`search` instead.
        # When the terms start with many different letters, almost every position is a
        # candidate and a leading \b is the cheaper filter.
        firsts = {words[0][0] for words in self.phrases}
        lead = r"\b" if len(firsts) > 8 else ""
        self.regex = re.compile(rf"{lead}(?:{body})(?!\w)" if body else r"(?!x)x")

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def search(self, prepared: str, pos: int = 0) -> re.Match[str] | None:
        """The first whole-word match at or after ``pos``."""
        rx = self.regex
        while True:
            m = rx.search(prepared, pos)
            if m is None:
                return None
            start = m.start()
            if start == 0 or not _word_char(prepared[start - 1]):
                return m
            pos = start + 1

    def finditer(self, prepared: str) -> Iterator[re.Match[str]]:
        """Every whole-word match, left to right, not overlapping."""
        pos = 0
        while True:
            m = self.search(prepared, pos)
            if m is None:
                return
            yield m
            pos = max(m.end(), m.start() + 1)

    def phrases_in(self, text: str, limit: int = 5) -> list[str]:
        """The distinct phrases of ``text`` the terms match, as written when the text is ASCII."""
        prepared = prepare(text)
        same = len(prepared) == len(text)
        seen: dict[str, None] = {}
        for m in self.regex.finditer(prepared):
            phrase = text[m.start() : m.end()] if same else m.group(0)
            if phrase.lower() not in {s.lower() for s in seen}:
                seen[phrase] = None
            if len(seen) >= limit:
                break
        return list(seen)


class LabelledTerms:
    """Several term lists (say ``include`` and ``exclude``) searched in one pass over a text.

    The first match of each label, per text: a union pattern finds candidates; each candidate
    is classified by the labels' own patterns (on the short matched phrase only).
    """

    __slots__ = ("labels", "matchers", "union")

    def __init__(self, lists: Mapping[str, Iterable[str]], synonyms: Mapping[str, Sequence[str]] | None = None,
                 plurals: bool = True) -> None:
        self.matchers = {label: TermMatcher(terms, synonyms, plurals) for label, terms in lists.items()}
        self.labels = tuple(label for label, m in self.matchers.items() if m)
        self.union = TermMatcher(
            [t for label in self.labels for t in self.matchers[label].terms], synonyms, plurals)

    def first(self, prepared: str) -> dict[str, re.Match[str]]:
        """Label → its first match in ``prepared`` (labels that do not occur are absent)."""
        found: dict[str, re.Match[str]] = {}
        if len(self.labels) == 1:
            m = self.matchers[self.labels[0]].search(prepared)
            return {self.labels[0]: m} if m else found
        for m in self.union.finditer(prepared):
            phrase = m.group(0)
            for label in self.labels:
                if label not in found and self.matchers[label].regex.fullmatch(phrase):
                    found[label] = m
            if len(found) == len(self.labels):
                break
        return found
