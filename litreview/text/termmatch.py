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
from dataclasses import dataclass, field

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
    """A term's words, folded: what separates words in text (spaces, hyphens, dashes, slashes)
    separates them in a term; empty when the term has no words."""
    return [w for w in _SPLIT.split(fold(term).strip()) if w]


#: A term is a phrase, not a paragraph; each word nests a group in the compiled pattern, and
#: Python's regex compiler recurses once per level (about 150 words exhaust its stack).
MAX_TERM_WORDS = 32
#: letters a word ending in ``*`` needs before it: ``ab*`` would match most of a text
MIN_STEM = 3


def term_problem(term: str) -> str | None:
    """Why a phrase cannot be a term, or None: the one rule for review.yaml's and themes.yaml's terms."""
    words = term_words(term)
    if len(words) > MAX_TERM_WORDS:
        return f"has {len(words)} words; a term has at most {MAX_TERM_WORDS} (split it into shorter phrases)"
    for w in words:
        stem = w[:-1] if w.endswith("*") else w
        if "*" in stem:
            return "'*' may only end a word"
        if not stem:
            return "a lone '*' matches everything"
        if w.endswith("*") and len(stem) < MIN_STEM:
            return f"a word ending in '*' needs at least {MIN_STEM} letters before it"
    if not any(c.isalnum() for w in words for c in w):
        return "has no letters or digits"
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


def expand(
    terms: Iterable[str], synonyms: Mapping[str, Sequence[str]] | None = None
) -> list[tuple[str, ...]]:
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

    def __init__(
        self,
        terms: Iterable[str],
        synonyms: Mapping[str, Sequence[str]] | None = None,
        plurals: bool = True,
    ) -> None:
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
            out += [
                p
                for p in (m.end() for m in self._scan.finditer(prepared))
                if not _word_char(prepared[p - 1])
            ]
        return out


class LabelledTerms:
    """Several term lists (say ``include`` and ``exclude``) searched in one pass over a text.

    The first match of each label, per text: a union pattern finds candidates; each candidate
    is classified by the labels' own patterns (on the short matched phrase only).
    """

    __slots__ = ("_kinds", "labels", "matchers", "union")

    def __init__(
        self,
        lists: Mapping[str, Iterable[str]],
        synonyms: Mapping[str, Sequence[str]] | None = None,
        plurals: bool = True,
    ) -> None:
        self.matchers = {
            label: TermMatcher(terms, synonyms, plurals) for label, terms in lists.items()
        }
        self.labels = tuple(label for label, m in self.matchers.items() if m)
        self.union = TermMatcher(
            [t for label in self.labels for t in self.matchers[label].terms], synonyms, plurals
        )
        #: matched phrase -> the labels whose terms match all of it (phrases recur across texts)
        self._kinds: dict[str, tuple[str, ...]] = {}

    def _labels_of(self, phrase: str) -> tuple[str, ...]:
        kinds = self._kinds.get(phrase)
        if kinds is None:
            kinds = tuple(
                label for label in self.labels if self.matchers[label].regex.fullmatch(phrase)
            )
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
        hits = (
            self.union.finditer(prepared)
            if starts is None
            else self.union.finditer_at(prepared, starts)
        )
        for m in hits:
            for label in self._labels_of(m.group(0)):
                if label not in found:
                    found[label] = m
            if len(found) == wanted:
                break
        return found


# --- many terms, each match naming its terms ------------------------------------------------------

_MARKER = re.compile(r"\(\?P<n\d+>\)")
_NON_ASCII = re.compile(r"([^\x00-\x7f]+)")
#: after each word of a term: the word ends there
_WORD_END = r"(?!\w)"


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    ends: list[int] = field(default_factory=list)
    name: str = ""


class TermIndex:
    """Many terms in one pattern, where each match names the terms it is a form of.

    Tagging weighs hundreds of terms and quotes each one it finds, so it needs every match, which
    terms it belongs to and where it is in the original text; the words, separators and word
    boundaries are those of :class:`TermMatcher` (one rule for every term of a review).
    """

    def __init__(self, forms: Iterable[tuple[int, str]]) -> None:
        """``forms``: (term id, phrase) pairs; several phrases may share an id (a term's variants)."""
        root = _Node()
        self._nodes: dict[str, tuple[int, ...]] = {}
        self._seen: dict[str, tuple[int, ...]] = {}
        for rid, form in forms:
            node = root
            for word in term_words(form):
                node = node.children.setdefault(word_pattern(word), _Node())
            if rid not in node.ends:
                node.ends.append(rid)
        counter = 0

        def name_nodes(node: _Node) -> None:
            nonlocal counter
            for child in node.children.values():
                if child.ends:
                    child.name = f"n{counter}"
                    counter += 1
                    self._nodes[child.name] = tuple(child.ends)
                name_nodes(child)

        name_nodes(root)
        body = _alternation(root)
        # Every match starts at a non-word character (text gets a leading space), so the scan
        # looks only at word starts, and the regex engine can skip ahead with a character set.
        # Scanning with the empty marker groups costs four times as much as without them, so the
        # scan uses a copy without them, and the marked pattern runs only where a match starts.
        self.marked = re.compile(r"[^a-z0-9_](?:" + body + ")") if body else None
        self.pattern = re.compile(_MARKER.sub("", self.marked.pattern)) if self.marked else None

    def find(self, text: str) -> list[tuple[tuple[int, ...], int, int]]:
        """``(term ids, start, end)`` per match in ``text``, left to right, not overlapping;
        positions in the original text. A matched surface form always ends at the same trie
        node, so the node is looked up once per distinct form."""
        if self.pattern is None or not text:
            return []
        folded, offsets = fold_mapped(text)
        folded = " " + folded
        ascii_only = folded.isascii()
        out = []
        seen = self._seen
        pos = 0
        search = self.pattern.search
        while True:
            m = search(folded, pos)
            if m is None:
                break
            start, end = m.span()
            if not ascii_only and start > 0 and _word_char(folded[start]):
                pos = start + 1  # a non-ASCII letter: not a word start
                continue
            pos = end
            form = folded[start + 1 : end]
            refs = seen.get(form)
            if refs is None:
                g = self.marked.match(folded, start) if self.marked else None
                assert g is not None and g.end() == end
                refs = self._nodes[g.lastgroup or ""]
                if len(seen) < 100_000:
                    seen[form] = refs
            # the leading space shifts positions by one
            if offsets is None:
                out.append((refs, start, end - 1))
            else:
                out.append((refs, offsets[start], offsets[end - 2] + 1))
        return out


def _alternation(node: _Node) -> str:
    """The trie below ``node`` as a regex; branches are grouped by first letter, so that the
    engine rejects a word start after one comparison per letter rather than one per term."""
    groups: dict[str, list[str]] = {}
    # longer words first, so that a wildcard or a shorter word never hides a longer one
    for pat, child in sorted(node.children.items(), key=lambda kv: (-len(kv[0]), kv[0])):
        if child.children and child.ends:
            tail = f"(?:{SEP}(?:{_alternation(child)})|(?P<{child.name}>))"
        elif child.children:
            tail = f"{SEP}(?:{_alternation(child)})"
        else:
            tail = f"(?P<{child.name}>)"
        groups.setdefault(pat[0], []).append(pat[1:] + _WORD_END + tail)
    parts = []
    for first, alts in sorted(groups.items()):
        parts.append(first + (alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"))
    return "|".join(parts)


def fold_mapped(text: str) -> tuple[str, list[int] | None]:
    """:func:`fold`, and where folding changed the length, the original position of each character.

    ASCII runs only need lower-casing; only the non-ASCII characters go through ``fold`` one by
    one. The offset map is built only when a character folds to more or fewer than one (``ß``,
    ``æ``, a separate combining accent), which is rare.
    """
    if text.isascii():
        return text.lower(), None
    parts = _NON_ASCII.split(text)
    same_length = True
    for i in range(1, len(parts), 2):
        folded_chars = [fold(c) for c in parts[i]]
        if any(len(f) != 1 for f in folded_chars):
            same_length = False
            break
        parts[i] = "".join(folded_chars)
    if same_length:
        return "".join(p if i % 2 else p.lower() for i, p in enumerate(parts)), None
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        f = ch.lower() if ch.isascii() else fold(ch)
        chars.append(f)
        offsets.extend([i] * len(f))
    offsets.append(len(text))
    return "".join(chars), offsets
