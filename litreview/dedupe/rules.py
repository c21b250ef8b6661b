"""What a record is, for deduplication: its comparable features and the never-merge rules.

Everything here derives from the shared normalisers in :mod:`litreview.text.normalize` and
:mod:`litreview.text.names`; nothing normalises text a second way.
"""

from __future__ import annotations

import bisect
import functools
import html
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein
from rapidfuzz.process import extract
from rapidfuzz.process import extractOne as extract_one

from litreview.model import Name, Record
from litreview.text.names import (
    ROMAN_SUFFIXES,
    given_initials,
    initials,
    is_initial,
    name_key,
    run_apart,
    runs_together,
    surname_groups,
    unglue,
)
from litreview.text.normalize import (
    GREEK_NAMES,
    decode_ampersands,
    first_page,
    fold,
    title_key,
)

from .model import MISSING, Model, Thresholds, default_model, probability

# --- record features ---------------------------------------------------------------------------

_CONFERENCE_TYPES = frozenset({"inproceedings", "conference", "proceedings", "mvproceedings"})
_PREPRINT_TYPES = frozenset({"unpublished", "preprint"})
_THESIS_TYPES = frozenset({"phdthesis", "mastersthesis", "thesis"})
_CHAPTER_TYPES = frozenset({"incollection", "inbook"})
_CONFERENCE_WORDS = re.compile(
    r"\b(?:proc|proceedings|conference|conf|symposium|workshop|congress|colloquium)\b"
)
_CONFERENCE_WORDS_IN_ARTICLE = re.compile(
    r"\b(?:conference|conf|symposium|workshop|congress|colloquium)\b"
)
_PREPRINT_WORDS = re.compile(
    r"\b(?:arxiv|biorxiv|medrxiv|psyarxiv|socarxiv|chemrxiv|ssrn|preprints?|research square|osf preprints|techrxiv|eartharxiv)\b"
)
_PREPRINT_DOI = re.compile(
    r"^10\.(?:48550|2139|21203|20944|31219|31234|31235|36227|22541|26434)/|^10\.1101/\d{4}\.\d\d\.\d\d"
)

#: Title openings that make a record a notice about another work rather than the work itself.
_NOTICE_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "retraction",
        re.compile(
            r"^(?:retraction|retracted|notice of retraction|retraction note|expression of concern"
            r"|editorial expression of concern|withdrawal notice|notice of withdrawal"
            r"|partial retraction|notice of (?:duplicate|redundant) publication"
            r"|(?:duplicate|redundant) publication notice)\b"
        ),
    ),
    (
        "erratum",
        re.compile(
            r"^(?:errat(?:um|a)|corrigend(?:um|a)|correction|corrections|addendum|publisher s note"
            r"|(?:authors?|publishers?)(?: s)? corrections?)\b"
        ),
    ),
    (
        "reply",
        re.compile(
            r"^(?:reply|replies|response|responses|in reply|rejoinder|authors?(?: s)? reply"
            # (not eLife's ``Author response: ...``, its peer review's, below)
            r"|(?:authors|author s|authors s) respon(?:se|ses))\b"
        ),
    ),
    (
        "comment",
        re.compile(
            r"^(?:comment|comments|commentary|letter to the editor"
            r"|(?:invited|expert) (?:commentary|discussion)"
            r"|editorial comment(?:ary)?|editors? s note|editors note|note from the editors?"
            r"|readers? comments?|in reference to"
            # a letter on an article: ``Letter regarding ...``, a cardiology journal's ``Letter
            # by Smith regarding article, "..."``
            r"|letter (?:regarding|concerning|about|in response to)"
            r"|letter by (?:\w+ ){1,4}(?:regarding|concerning|about))\b"
        ),
    ),
    # items published beside an article under its title: its supplement (``Additional file 1
    # of ...``, figshare's), its peer review (``Decision letter: ...``, ``Author response:
    # ...``, a ``Peer review report``), each its own record with its own DOI
    (
        "supplement",
        re.compile(
            r"^(?:additional files? \d+ of|supplementa(?:ry|l) (?:materials?|data|information"
            r"|appendix|appendices|files?|tables?|figures?) (?:for|from|to)\b)"
        ),
    ),
    (
        "peer review",
        re.compile(
            r"^(?:decision letter|author response|(?:peer )?review(?:er)? report \d*\s*on)\b"
        ),
    ),
    # a review's summary for lay readers is its own record, listed beside the review
    (
        "summary",
        re.compile(
            r"^(?:plain (?:language|english) summary|lay (?:summary|abstract)"
            r"|summar(?:y|ies) for patients)\b"
        ),
    ),
    # a journal's quiz or case challenge prints its answer as another item, often pages later
    (
        "answer",
        re.compile(
            r"^(?:answers? to (?:the )?(?:quiz|question|case|image|photo|self ?assessment)"
            r"|quiz answers?)\b"
        ),
    ),
)
#: Openings that are ordinary words unless a colon follows: ``WITHDRAWN: ...`` (how the
#: Cochrane Library lists a withdrawn review, beside the review's own record), ``Re: ...`` (a
#: urology journal's comment on an article; ``Re-evaluation`` is a word) and ``Letter: ...``.
_NOTICE_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("retraction", re.compile(r"^\W*withdrawn\s*:")),
    ("comment", re.compile(r"^\W*(?:re|letter|correspondence)\s*:")),
    # a letter on an article quoting its title, ``Regarding "..."``, ``Concerns about '...'``,
    # ``Discussion of: ...``: without the quote or colon these are ordinary openings
    # ("Concerns about vaccine safety among parents")
    (
        "comment",
        re.compile(
            r"^\W*(?:regarding|concerning|concerns? (?:about|regarding|over)|(?:a )?critique of"
            r"|discussion(?: of)?|rebuttal|clarification)\s*[:\"'«]"
        ),
    ),
    # a data set deposited under the article's title (Dryad's ``Data from: ...``), its
    # supplement, its peer review, and its media (``Video abstract: ...``, ``Podcast: ...``)
    # a commentary's heading of one or two words (``Clinical commentary:``, ``Evidence-based
    # commentary:``): the piece on the article, under its title
    ("comment", re.compile(r"^\W*(?:[^\W\d_]+[\s-]+){1,2}commentary\s*:")),
    ("dataset", re.compile(r"^\W*(?:data from|replication data for|data for)\s*:")),
    ("summary", re.compile(r"^\W*summary of\s*:")),
    ("supplement", re.compile(r"^\W*supplementa(?:ry|l) (?:materials?|appendix|data)\s*:")),
    ("peer review", re.compile(r"^\W*(?:review of|peer review)\s*:")),
    (
        "media",
        re.compile(
            r"^\W*(?:video abstract|visual abstract|graphical abstract|podcast|infographic)\s*:"
        ),
    ),
)
#: a record's format in brackets at its title's end, as APA writes one for a video, a podcast, an
#: infographic, slides or a press release under the title of the work it presents (``X
#: [Video]``, ``X [Audio podcast]``, ``X [PowerPoint slides]``), or a media item's name after a
#: break (``X: infographic``, ``X - video abstract``): the item beside the article, not it
_MEDIA_AT_END = re.compile(
    r"(?:[\[(]\s*(?:audio\s+|video\s+)?(?:video|podcast|infographic|(?:powerpoint\s+)?slides"
    r"|webinar|press release|blog post)\s*[\])]"
    r"|(?:[:.]|\s-+)\s*(?:an?\s+)?(?:video abstract|visual abstract|graphical abstract"
    r"|infographic|podcast|(?:lecture |presentation |powerpoint )?slides))[\s.]*$",
    re.IGNORECASE,
)
#: entry types of a recording (BibLaTeX's ``@video``, ``@audio``, ``@movie``): a talk's or an
#: interview's record under the title of the work it presents, never the work itself
_TYPED_MEDIA = frozenset({"video", "audio", "movie"})
#: A column's heading over another writer's piece on a paper, under the paper's title
#: (``Journal club: X``, ``Research highlight: X``): read as a comment on a record that names no
#: authors (such a piece often has none in an export), so it is not cut off as a section's
#: heading and the piece merged with the paper
_PIECE_HEADING = re.compile(
    r"^\W*(?:journal club|research highlights?|highlights? from the literature"
    r"|(?:paper|article) of the month|literature (?:watch|review highlight)|book reviews?"
    r"|critical appraisal(?: of)?|critically appraised (?:topic|paper)|synopsis|abstracted from"
    r"|summary and comment)\s*[:.\-\u2013](?=\W*\w)"
    # a news item, a digest's highlight, one side of a debate or a talk under the title it
    # reports on, debates or presents (``News: X``, ``Highlights: X``, ``Pro: X`` / ``Con:
    # X``, ``Keynote: X``): only with a colon,
    # as ``Pro-inflammatory ...`` or ``Point-of-care ...`` open ordinary titles
    r"|^\W*(?:news|in the news|news (?:and|&) views|highlights?|spotlight|debate|pro|con|point"
    r"|counterpoint|keynote(?: address| lecture| talk)?|(?:invited|plenary) (?:talk|lecture))"
    r"\s*:(?=\W*\w)"
    # or named so at its end (``X (news)``, ``X [News item]``, ``X: highlights``)
    r"|.*[\[(]\s*(?:news(?: item| story| article)?|highlights?)\s*[\])][\s.]*$"
    r"|.*:\s*(?:news|in the news|highlights?)[\s.]*$"
)
_NOTICE_PHRASE = (
    r"(erratum to|correction to|corrigendum to|retraction of|reply to|response to|comment on"
    r"|comments on|commentary on)"
)
#: A phrase that makes the title a notice where it opens the title or follows a break
#: (``...: comment on ...``, ``... [reply to ...]``, ``... - a response to ...``), or where a
#: colon follows it (``... discussion/reply to: ...``). Inside running words it is ordinary
#: wording: "predictors of response to methotrexate", "in response to".
_NOTICE_INSIDE = re.compile(
    r"(?:^|[:.;?!\[\](){}]|\s-+\s)\W*(?:(?:a|an|the|our|my|their)\s+)?"
    r"(?:(?:brief|short|critical|further|final|editorial|invited|authors?'?|editors?'?)\s+)?"
    + _NOTICE_PHRASE
    + r"\b|\b"
    + _NOTICE_PHRASE
    + r"\s*:"
)
#: A notice named after the title it is about: ``"Title of the article": corrigendum``.
_NOTICE_AT_END = re.compile(
    r"(?:[:\"'\[\]()\u201d-]\s*(?:an?\s+|the\s+)?(corrigend(?:um|a)|errat(?:um|a)|corrections?"
    r"|retraction|retracted|retraction notice|notice of retraction|correction notice"
    r"|expression of concern|reply|authors?'? reply|authors?'? respon(?:se|d)|comment|commentary"
    r"|editorial comment|continued|addend(?:um|a)|(?:lay|plain language|plain english) summary)"
    # after a full stop too, the forms only a reply takes (``... in older adults. Reply``,
    # ``...: the authors reply``, ``... . Response from the authors``)
    r"|[.:]\s*(the authors? respond|in reply|reply|(?:the )?authors?'? repl(?:y|ies)"
    r"|(?:a )?(?:reply|response) from the authors?)"
    # and a commentary after a full stop (``X. Commentary``, ``X. Invited commentary``): a
    # piece on the article, often by its own authors, beside it under its title
    r"|[.:]\s*(?:an?\s+)?(?:invited\s+|editorial\s+|expert\s+)?(commentary|editorial)"
    # a response or a rejoinder after a break (``X - a response``, ``X: response``), not after
    # a hyphen inside a word (``dose-response``)
    r"|(?:[:\"'\[\]()\u201d]|\s-+)\s*(?:an?\s+|the\s+|our\s+)?(response|rejoinder))[\s.\])]*$"
)
#: a note at a title's end that says the record is a letter or an editorial (``X (letter)``,
#: ``X [Letter]``, ``X. Letter``, ``X (editorial)``), as older MEDLINE and other databases
#: mark one: a journal's correspondence on an article under its title, or another database's
#: record of that letter without the note. Read like a database's type for a letter
_LETTER_NOTE = re.compile(
    r"(?:[\[(]\s*(?:a\s+)?(?:letter(?:\s+to\s+the\s+editor)?|editorial|correspondence)\s*[\])]"
    r"|[.:]\s*(?:a\s+)?letter(?:\s+to\s+the\s+editor)?)[\s.]*$",
    re.IGNORECASE,
)


#: a note at a title's end that says the record is not the work but a data set, software or a
#: supplement deposited under its title (``X [Data set]``, as APA writes one; ``X (Computer
#: software)``; figshare's ``X - Supplementary data``; ``X: replication data``): a repository's
#: record beside the article whose title it carries, often with its authors and in its year
_DEPOSIT_AT_END = re.compile(
    r"(?:[\[(]\s*(data ?set|data|database|(?:computer )?software|computer program|source code"
    r"|supplementa(?:ry|l) (?:data|materials?|information|files?|appendix)"
    r"|(?:online |technical |web |electronic )?appendi(?:x|ces))\s*[\])]"
    r"|(?:[:.]|\s-+)\s*(data ?set|replication data|(?:computer )?software|source code"
    r"|(?:an? )?(?:online |technical |web |electronic )?appendi(?:x|ces)"
    r"|supplementa(?:ry|l) (?:data|materials?|information|files?|appendix|appendices"
    r"|tables?|figures?)"
    # a teaching case's notes for the instructor, printed beside the case under its title
    r"|teaching notes?|instructor'?s'? (?:notes?|manual|guide)))[\s.]*$",
    re.IGNORECASE,
)


#: what a title's end says of a meeting's abstract (as a reference list or a database writes
#: one: ``X [abstract]``, ``X (meeting abstract)``, ``X [Poster]``, ``X (poster presentation)``,
#: ``X: abstract P123``, ``X (Abstract No. 123)``) or its number in the meeting's programme in
#: brackets (``X (P-123)``, ``X [OP45]``). Not an extended abstract or an abstract only, which
#: other fields name a paper by
_ABSTRACT_CODE_LETTERS = (
    "LBA|LB|MON|TUE|WED|THU|FRI|SAT|SUN|ABS|PO|OP|OR|OC|PS|PP|PD|PT|PB|PE|EP|FP|FC|MP|P|O|A"
)
_ABSTRACT_AT_END = re.compile(
    r"(?:[\[(]\s*(?:(?:meeting|conference|congress|oral|poster|paper)\s+)?"
    r"(?:abstract|poster|presentation)(?:\s+(?:presentation|session))?(?:\s*(?:no\.?|number|#)?\s*[A-Z]{0,4}[- ]?\d{1,5}[A-Z]?)?\s*[\])]"
    r"|[\[(]\s*(?:" + _ABSTRACT_CODE_LETTERS + r")[- ]?\d{1,4}[A-Z]?\s*[\])]"
    # a talk's record under the title of the paper it presents (``X (keynote)``, ``X: invited
    # lecture``, ``X [Plenary talk]``, ``X: poster``): the meeting's item, not the paper
    r"|(?:[\[(]|[:.]\s|\s-+\s)\s*(?:an?\s+)?(?:keynote(?:\s+(?:address|lecture|talk|speech))?"
    r"|(?:invited|plenary|named|award)\s+(?:talk|lecture|address|presentation)|poster)\s*[\])]?"
    r"|(?:[:.]|\s-+)\s*(?:(?:meeting|conference|congress)\s+)?abstract"
    r"(?:\s*(?:no\.?|number|#)?\s*[A-Z]{0,4}[- ]?\d{1,5}[A-Z]?)?)[\s.]*$",
    re.IGNORECASE,
)


#: what a title's end says of a thesis or a preprint, as a reference list writes one (APA's
#: ``X [Doctoral dissertation, University of Y]``, ``X (Master's thesis)``, ``X [Preprint]``):
#: the record is that, whatever its type, beside the article of its title
_THESIS_AT_END = re.compile(
    r"[\[(]\s*(?:(?:doctoral|ph\.? ?d\.?|master'?s?|m\.? ?sc?\.?|md|bachelor'?s?|honou?rs)\s+)?"
    r"(?:thesis|dissertation)\b[^\[\]()]*[\])][\s.]*$",
    re.IGNORECASE,
)
_PREPRINT_AT_END = re.compile(r"[\[(]\s*preprint\b[^\[\]()]*[\])][\s.]*$", re.IGNORECASE)


#: Web of Science's correction: the corrected article's title and where it was printed,
#: ``Title of the article (vol 30, pg 100, 2021)`` or ``(vol 12, art no e123, 2020)``
_CORRECTION_OF = re.compile(
    r"\(\s*vol\.?\s*\w+\s*,[^()]*\b(?:pg|art\.?\s*no|article\s+number)\b[^()]*\)[\s.]*$"
)


#: a database's own type for a record that is a notice about another work, whatever its title
#: says: MEDLINE's publication types (``publication_type``, ``;``-separated) and Embase's
#: ``M3`` in a RIS export. MEDLINE types the retracted article itself ``Retracted
#: Publication``: the article, not a notice.
_TYPED_NOTICES = {
    "published erratum": "erratum",
    "erratum": "erratum",
    "retraction of publication": "retraction",
}
_TYPE_FIELDS = frozenset({"publication_type", "ris_m3"})
#: the types a database gives a letter or a comment on an article (MEDLINE's ``Letter`` and
#: ``Comment``, Embase's ``Letter``): a journal that titles its correspondence after the
#: article (letters and the authors' reply under the article's own title) leaves nothing else
#: to tell the two apart
_TYPED_LETTERS = frozenset({"letter", "comment"})


def _typed_notice(record: Record) -> str:
    """The notice a record's database typed it as (an erratum exported under the plain title of
    the article it corrects), or ""."""
    for name, value in record.extra:
        if name in _TYPE_FIELDS:
            for part in value.split(";"):
                kind = _TYPED_NOTICES.get(part.strip().lower())
                if kind:
                    return kind
    return ""


def _typed_letter(record: Record) -> bool:
    """Whether the record's database typed it a letter or a comment (:data:`_TYPED_LETTERS`)."""
    return any(
        part.strip().lower() in _TYPED_LETTERS
        for name, value in record.extra
        if name in _TYPE_FIELDS
        for part in value.split(";")
    )


#: entry types of a whole book (a monograph, an edited collection, in one or several volumes)
_WHOLE_BOOKS = frozenset({"book", "mvbook", "collection", "mvcollection"})

#: entry types of a work that is not a journal's article whatever its title: a patent, and a
#: report or a manual (an institution's report often precedes the paper of its title, by its
#: authors and in its year). Beside a journal's article of the title, a patent is another work;
#: a report may be the paper's earlier version, for a person to see
_TYPED_REPORTS = {
    "patent": "patent",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "standard": "report",
}


#: entry types that make a record a deposit whatever its title (BibLaTeX's ``@dataset`` and
#: ``@software``): a repository's record beside the paper of its title, authors and year
_TYPED_DEPOSITS = {"dataset": "dataset", "data": "dataset", "software": "software"}


def _deposit(title: str) -> str:
    """What a title's end says the record deposits under the work's title
    (:data:`_DEPOSIT_AT_END`): ``dataset``, ``software``, ``supplement`` or ""."""
    m = _DEPOSIT_AT_END.search(_notice_text(title))
    if not m:
        return ""
    word = next(g for g in m.groups() if g)
    if word.startswith(("supplement", "teaching", "instructor")) or "appendi" in word:
        return "supplement"
    if word.startswith(("data", "replication")):
        return "dataset"
    return "software"


def _notice_text(title: str) -> str:
    """The title folded with its dashes spaced, so that an em dash (``...arthritis—Reply``)
    reads as the break it is, as a spaced hyphen does, and a hyphen inside a word does not."""
    return fold(title.replace("\u2014", " - ").replace("\u2013", " - "))


_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
}
_ROMAN = re.compile(r"^[ivxlc]+$")
_PART = re.compile(
    r"\b(?:part|pt|teil|partie|parte|volume|vol|chapter|paper|study|phase|wave|round|series)\s+"
    r"([0-9]+|[ivxlc]+|one|two|three|four|five|six|seven|eight|nine|ten|first|second|third|fourth|fifth)\b"
)
_TRAILING_ROMAN = re.compile(r"\s(ii|iii|iv|vi|vii|viii|ix|x)$")
_DIGITS = re.compile(r"\b\d+\b")
#: a number joined to a word by an export that left out the space or hyphen: ``covid19``,
#: ``omega3`` (``covid 19``, ``omega 3``) and ``1beta`` (``IL-1beta``; ``IL-1β`` gives ``1 beta``)
_JOINED_NUMBER = re.compile(r"\b(?:[a-z]{2,}(\d+)|(\d+)(?:" + "|".join(GREEK_NAMES) + r"))\b")


#: roman numerals that are no English word: a number wherever they stand (``stage IV``,
#: ``class III``); ``i``, ``v`` and ``x`` only after a word that counts (``type I``, ``factor
#: X``), since alone they are a pronoun, ``v`` for versus, or ``X`` of an X-ray
_ROMAN_WORD = re.compile(r"\b(ii|iii|iv|vi|vii|viii|ix)\b")
_ROMAN_AFTER = re.compile(
    r"\b(type|types|stage|stages|grade|grades|class|classes|complex|phase|part|group|level"
    r"|category|factor|collagen|cranial nerve|chapter|volume|study|trial|wave|round|series"
    r"|generation|step|tier|division)\s+(i|v|x)\b"
)


#: a roman numeral with a subtype's letter after a word that counts (``stage IIIA``, ``type
#: Ib``, ``class IIa``): read as digits and the letter (``stage 3a``), a code whose letter is
#: another subtype, never a typo (``stage iiia`` / ``stage iiib`` in a title in capitals or in
#: lower case, where no capital inside marks the word as an acronym, read as one letter typed
#: wrong)
_ROMAN_SUBTYPE = re.compile(
    r"\b(type|types|stage|stages|grade|grades|class|classes|phase|group|level|category|factor"
    r"|tier)\s+(i|ii|iii|iv|v|vi|vii|viii|ix|x)([a-d])\b"
)
#: what a match of :data:`_ROMAN_AFTER` needs somewhere: a space, the numeral, a word's end
_ROMAN_AFTER_HINT = re.compile(r"\s[ivx]\b")
_ROMAN_SUBTYPE_HINT = re.compile(r"\s[ivx]+[a-d]\b")
_ANY_DIGIT = re.compile(r"\d")


@functools.lru_cache(maxsize=65536)
def roman_as_digits(tkey: str) -> str:
    """A title key with its roman numerals written as digits: exports of one record write
    ``type II`` and ``type 2``, and the two must agree as numbers."""
    if "i" not in tkey and "v" not in tkey and "x" not in tkey:
        return tkey
    # each pattern is searched only where it could match (both scan the whole title, and
    # nearly every title has an ``i``): the answer is the same, at a third of the cost
    if _ROMAN_SUBTYPE_HINT.search(tkey):
        tkey = _ROMAN_SUBTYPE.sub(
            lambda m: f"{m.group(1)} {roman_to_int(m.group(2))}{m.group(3)}", tkey
        )
    if _ROMAN_AFTER_HINT.search(tkey):
        tkey = _ROMAN_AFTER.sub(lambda m: f"{m.group(1)} {roman_to_int(m.group(2))}", tkey)
    if "ii" in tkey or "iv" in tkey or "vi" in tkey or "ix" in tkey:
        tkey = _ROMAN_WORD.sub(lambda m: str(roman_to_int(m.group(1))), tkey)
    return tkey


#: a number written in groups of three digits (``1 000``, ``1\u2009000 000``, ``1,000,000``,
#: ``10'000``): one number, whichever separator an export kept. A key splits it into its groups,
#: and as groups ``1 000`` and ``1 000 000`` held one set of numbers (``1`` and ``000``); a full
#: stop or a middle dot is a decimal's mark in an English title (``0.125``) and joins nothing,
#: nor does a number after a letter and a hyphen start one (``COVID-19 100 days``)
_GROUPED_NUMBER = re.compile(
    r"(?<![\w.,'\u00b7])(?<![^\W\d_]-)\d{1,3}(?:[ ,'\u00a0\u2007\u2009\u202f]\d{3}(?!\d))+(?!\d)"
    # two or more groups after full stops are no decimal (``1.000.000``, Europe's million)
    r"|(?<![\w.,'\u00b7])\d{1,3}(?:\.\d{3}(?!\d)){2,}(?![\d.]\d)"
)
_GROUP_SEPARATOR = re.compile(r"\d[ ,'\u00a0\u2007\u2009\u202f]\d{3}|\d\.\d{3}\.\d{3}")


def joined_numbers(written: str, tkey: str) -> str:
    """``tkey`` with each number ``written`` gives in groups of three digits (see
    :data:`_GROUPED_NUMBER`) joined into one (``1 000 000`` as ``1000000``), for the numbers
    rule: ``in 1 000 patients`` and ``in 1 000 000 patients`` are two titles, and ``1,000``,
    ``1 000`` and ``1000`` one number."""
    if _GROUP_SEPARATOR.search(written) is None:
        return tkey
    found = {
        key_of(m.group(0)): re.sub(r"\D", "", m.group(0)) for m in _GROUPED_NUMBER.finditer(written)
    }
    for spaced in sorted(found, key=len, reverse=True):
        if " " in spaced:
            tkey = re.sub(rf"(?<!\S){re.escape(spaced)}(?!\S)", found[spaced], tkey)
    return tkey


#: one group of three digits after a full stop (``1.000``, ``12.500``): a European thousand or a
#: decimal, which the title alone cannot tell (``1.250 mg``); read both ways
_DOT_THOUSANDS = re.compile(r"(?<![\w.,'\u00b7])\d{1,3}\.\d{3}(?!\d|[.,]\d)")


def thousands_read(written: str, tkey: str) -> str:
    """``tkey`` with each number ``written`` gives as one group of three digits after a full
    stop (:data:`_DOT_THOUSANDS`) read as a thousand (``1.000`` as ``1000``), or ``tkey`` itself
    when it has none: ``1.000`` in one export and ``1000`` or ``1,000`` in another are one
    number, as ``1.000.000`` and ``1000000`` are (:func:`joined_numbers`)."""
    if "." not in written:
        return tkey
    for m in _DOT_THOUSANDS.finditer(written):
        spaced = key_of(m.group(0))
        tkey = re.sub(rf"(?<!\S){re.escape(spaced)}(?!\S)", m.group(0).replace(".", ""), tkey)
    return tkey


def title_numbers(tkey: str) -> frozenset[str]:
    """The numbers a title key holds, also those an export joined to a word and roman
    numerals (``type II`` is ``type 2``). Not a number at the start of other words (``13p``,
    ``2q``: page counts and names in citation strings)."""
    tkey = roman_as_digits(tkey)
    if not _ANY_DIGIT.search(tkey):
        return frozenset()  # both patterns below need a digit
    found = set(_DIGITS.findall(tkey))
    for end, start in _JOINED_NUMBER.findall(tkey):
        found.add(end or start)
    found.update(_NUCLIDE_KEY.findall(tkey))  # a tracer's mass number: [11C] is not [18F]
    return frozenset(found)


#: a footnote's mark a publisher's title kept, glued to the title's last word as one digit
#: (``... in adolescent mice1``): written in lower case, not a code (``SCN1``, ``HER2``) nor a
#: number of two digits (``covid19``), nor a word that numbers one of a series with its
#: digit joined (``part1``, ``phase2``, ``wave3``: ``part1`` and ``part2`` are two papers)
_SERIES_WORDS = (
    "part|phase|stage|study|studies|trial|wave|cohort|type|volume|vol|issue|round|cycle|year"
    "|week|day|visit|arm|level|grade|session|experiment|series|report|paper|chapter|section"
    "|step|episode|lecture|module|unit|book|class|group|site|sample|case|patient|subject|no"
)
_FOOTNOTE = re.compile(rf"(?<![\w-])(?!(?:{_SERIES_WORDS})\d)([a-z]{{3,}})\d[\s.*†‡]*$")
_FOOTNOTE_DIGIT = re.compile(r"(?<=[a-z])\d$")
#: how an English word may start before its first vowel (``y`` counted as one): a word whose
#: first letters are none of these (``brca``, ``cdk``, ``tnf``, ``wnt``) is a code, a gene's or a
#: protein's symbol written in lower case, and its digit is part of it (``brca1``)
_ONSET_LETTERS = (
    "b c d f g h j k l m n p q r s t v w x z bl br ch cl cr dr dw fl fr gh gl gn gr kl kn kr ph"
    " pl pn pr ps pt qu rh sc sh sk sl sm sn sp st sw th tr ts tw wh wr chl chr phl phr phth sch"
    " scl scr shr sph spl spr squ str thr"
)
_ONSETS = frozenset(_ONSET_LETTERS.split())
#: the most letters of a symbol that starts with a vowel (``apoe``, ``abcb``, ``egfr``)
_SYMBOL_LETTERS = 4


def footnote_mark(written: str) -> bool:
    """Whether the digit at the end of a title as written is a footnote's mark (see
    :data:`_FOOTNOTE`) rather than part of its last word. Not in a title without capitals: an
    export that wrote the whole title in lower case lowered a gene's symbol too (``... in
    carriers of brca1``); nor after letters no English word starts with (``cdk4``, ``brca1``):
    a symbol in lower case, whose digit names which gene (``brca1`` is not ``brca``); nor after
    a short word starting with a vowel (``apoe4``), a symbol too."""
    m = _FOOTNOTE.search(written)
    if m is None or written == written.lower():
        return False
    word = m.group(1)
    onset = word[: next((i for i, c in enumerate(word) if c in "aeiouy"), len(word))]
    if not onset:
        # a word that starts with a vowel: a gene's or a protein's symbol when it is short
        # (``apoe4``, ``akt1``, ``abcb1``, ``erbb2``, ``ido1``), where the English words a
        # footnote's mark follows at a title's end are longer (``adults1``, ``outcomes1``)
        return len(word) > _SYMBOL_LETTERS
    return onset in _ONSETS


def number_order(tkey: str) -> tuple[str, ...]:
    """The numbers of :func:`title_numbers` in the order the title first gives them. A key
    splits a decimal into its digits (``0.5``, ``0·5``, ``0<middle dot>5``, ``0•5`` all give
    ``0 5``), so ``0.5`` and ``5.0`` (or ``1.5`` and ``5.1``) hold one set of numbers and
    differ only in its order, which exports of one title keep."""
    tkey = roman_as_digits(tkey)
    out: dict[str, None] = {}
    for word in tkey.split():
        if word.isdigit():
            out.setdefault(word)
        elif _ANY_DIGIT.search(word):
            m = _JOINED_NUMBER.fullmatch(word)
            if m is not None:
                out.setdefault(m.group(1) or m.group(2))
    return tuple(out)


_NUMBER = re.compile(r"\d+")
#: A bracketed part of a title: an original-language title (``English [Original]``) or a
#: section label left by an export (``The all-seeing employer - [careers]``).
_BRACKETED = re.compile(r"\[([^\[\]]*)\]")
#: MEDLINE's mark of a title it translated into English: the whole title in square brackets
#: (``[Night shifts and sleep debt among district nurses].``), a full stop after it or none
_TRANSLATED_WHOLE = re.compile(r"^\s*\[[^\[\]]+\]\s*\.?\s*$")
_PAGE_SPAN = re.compile(r"^\s*(\d+)\s*-+\s*(\d+)\s*$")
#: Values exports write where they have none: missing data, never agreement nor conflict.
_PLACEHOLDERS = frozenset(
    {
        "unknown",
        "n/a",
        "na",
        "n.a.",
        "n.a",
        "nan",
        "none",
        "null",
        "-",
        "--",
        "?",
        "0",
        "epub ahead of print",
        "ahead of print",
        "in press",
        "[epub ahead of print]",
        "epub",
        "online first",
        "not available",
        "no pagination",
        "np",
        "n.p.",
        "s.p.",
    }
)
_PLACEHOLDER_NAMES = frozenset(
    {
        "anonymous",
        "anon",
        "na",
        "n a",
        "unknown",
        "et al",
        "others",
        "and others",
        "no authorship indicated",
        "no author",
        "no authors listed",
        "author unknown",
    }
)
_PLACEHOLDER_TITLES = frozenset(
    {"", "na", "n a", "untitled", "no title", "no title available", "unknown", "title"}
)
#: A spreadsheet that read pages ``1-10`` as a date writes ``01-Oct`` or ``Oct-01``.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
_DATE_PAGES = re.compile(
    rf"^\s*(?:\d{{1,2}}\s*[-/ ]\s*{_MONTH}|{_MONTH}\s*[-/ ]\s*\d{{1,4}})\s*$", re.I
)
_DOI_LIKE = re.compile(r"^10\.\d+/\S+$")


def is_placeholder(value: str) -> bool:
    """``NA``, ``Epub ahead of print``, ``[Anonymous]``: a value that stands for no value."""
    text = fold(value).strip().strip("[]().").strip()
    return text in _PLACEHOLDERS


def _clean(value: str) -> str:
    return "" if is_placeholder(value) else value


#: EBSCO's "no pagination" (``N.PAG``, ``N.PAG-N.PAG``).
_NO_PAGINATION = re.compile(r"^\s*(?:n\.?\s*pag\.?\s*-*\s*)+$", re.I)
#: how long a work is, not where it starts (CINAHL's ``7p``; ``12 pp.``, ``9 pages``)
_PAGE_COUNT = re.compile(r"^\s*\d+\s*(?:pp?|pages?)\.?\s*$", re.I)


def clean_pages(value: str) -> str:
    """Pages, or blank when they are a placeholder, EBSCO's ``N.PAG``, a spreadsheet's date
    (``01-Oct``) or a page count: none of these places a work, so none may agree or conflict
    with another record's pages."""
    if (
        not value
        or is_placeholder(value)
        or _DATE_PAGES.match(value)
        or _NO_PAGINATION.match(value)
        or _PAGE_COUNT.match(value)
    ):
        return ""
    return value


#: initials in BibTeX's surname slot however dotted (``Smith J.P`` leaves ``J.P`` there). Looser
#: on purpose than :func:`~litreview.text.names.is_initial` (every letter dotted, or none): that
#: one also decides where lists and runs of names are cut, which a looser reading would change
_INITIALS_ONLY = re.compile(r"^(?:[A-Z]\.?-?){1,4}$")
#: a name's word: letters, and hyphens or apostrophes between them (``Smith-Jones``, ``O'Brien``)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def author_keys(authors: tuple[Name, ...]) -> tuple[tuple[str, str], ...]:
    """(surname key, given names) per real author: placeholders (``[Anonymous]``, ``et al.``)
    dropped, names run together (``Akiyama E.Sugiyama S.``) split, and ``Smith J`` read as
    surname Smith, initial J rather than the other way round."""
    return tuple(key for a in authors for key in _name_keys(a))


@functools.lru_cache(maxsize=1 << 16)
def _name_keys(a: Name) -> tuple[tuple[str, str], ...]:
    """:func:`author_keys` of one name: none for a placeholder, several for a run of names.
    Kept per name: a dedupe reads the first author of every record for its blocks and every
    author of each record it compares, and a name recurs on the records of one work (sorted
    by key, they come together) and on its author's other papers."""
    return tuple(_read_name_keys(a))


def _read_name_keys(a: Name) -> list[tuple[str, str]]:
    raw = _as_written(a)
    folded = _NOT_LETTERS_SPACE.sub(" ", fold(raw)).strip()
    if not folded or folded in _PLACEHOLDER_NAMES:
        return []
    if a.corporate:
        k = name_key(a)
        return [(k, "")] if k else []
    run = _run_of_names(raw)
    if run:
        # ``Akiyama E.Sugiyama S.Matsubara J.``, split by BibTeX's rules into one name
        out = []
        for piece in run:
            words = piece.split()
            glued = unglue(words[0])
            k = _NOT_LETTER.sub("", fold(glued[1] if glued else words[0]))
            if k:
                out.append((k, " ".join(words[1:])))
        return out
    glued = None if a.von else unglue(a.last)
    if glued:
        # ``J.Frankel``: initials written onto the surname
        k = _NOT_LETTER.sub("", fold(glued[1]))
        return [(k, f"{a.first} {glued[0]}".strip())] if k else []
    trailing = _initials_after_surname(a)
    if trailing:
        # ``Van der Berg A.``, ``de Wit S.`` read by BibTeX's rules: the initials end the
        # surname's part, and a capitalised particle went to the given names (a given
        # name there stays one: ``Efraín R. Fonseca C.``)
        lead = a.first if a.first.lower() in _PARTICLES else ""
        k = _NOT_LETTER.sub("", fold(" ".join((lead, a.von, trailing[0]))))
        return [(k, trailing[1] if lead else f"{a.first} {trailing[1]}".strip())] if k else []
    if _initials_for_surname(a):
        # the surname is among the given names: ``Smith J``; ``JA Wagner III`` (initials
        # first: the surname is last); ``Osei Kwabena T``, from an export that wrote
        # surname, given name, initial (a name first: it is the surname)
        words = a.first.split()
        if len(words) > 1 and is_initial(words[0]):
            surname, given = words[-1], words[:-1]
        else:
            # every word before the initials is the surname (``De Souza M``, ``Garcia
            # Marquez G``, and ``Osei Kwabena T`` as well): a compound surname matches
            # either half of it (:func:`_compound_any`)
            surname, given = "".join(words), []
        if a.last.strip() not in _SUFFIXES:
            given.append(a.last)
        k = _NOT_LETTER.sub("", fold(surname))
        return [(k, " ".join(given))] if k else []
    k = name_key(a)
    return [(k, a.first)] if k else []


#: a generational suffix BibTeX's rules leave in the surname's place (``JA Wagner III``, ``GE
#: SEIDEL JR``); ``JR`` only here: after a surname it is initials (``Smith JR``)
_SUFFIXES = ROMAN_SUFFIXES | {"JR"}


def _run_of_names(raw: str) -> list[str]:
    """The names in ``raw`` when it is several run together, each a surname and its initials
    (``Akiyama E.Sugiyama S.``; ``Okafor C.Lindqvist M. Brandt J.``), else nothing: a given
    name written onto initials (``K.Selçuk Candan``) is one name."""
    if not runs_together(raw):
        return []
    pieces = [g for p in run_apart(raw) for g in surname_groups(p)]
    with_initials = sum(1 for p in pieces if is_initial(p.split()[-1]))
    return pieces if len(pieces) >= 2 and with_initials >= 2 else []


#: surname particles that BibTeX's rules put among the given names when capitalised
_PARTICLES = frozenset(
    {
        "van",
        "von",
        "de",
        "der",
        "den",
        "di",
        "da",
        "del",
        "della",
        "du",
        "dos",
        "das",
        "le",
        "la",
        "al",
        "el",
        "ten",
        "ter",
        "mac",
        "st",
        "van der",
        "van den",
        "de la",
        "von der",
    }
)


def _initials_after_surname(a: Name) -> tuple[str, str] | None:
    """``Berg A.`` as (``Berg``, ``A.``): a surname part that ends in initials. Capitals
    without full stops after given names end the surname instead (``GARCIA RUIZ, J``;
    ``Department of Health UK``)."""
    words = a.last.split()
    cut = len(words)
    while cut > 0 and is_initial(words[cut - 1]) and words[cut - 1] not in _SUFFIXES:
        cut -= 1
    if cut == 0 or cut == len(words) or not _WORD.fullmatch(words[cut - 1]):
        return None
    surname, tail = " ".join(words[:cut]), " ".join(words[cut:])
    if a.first and a.first.lower() not in _PARTICLES and "." not in tail:
        return None
    return surname, tail


def _initials_for_surname(a: Name) -> bool:
    """``Smith J`` read by BibTeX's rules (surname ``J``): initials in the surname's place and
    the surname among the given names. ``A.Yu.`` and ``Å.`` are initials too. An all-capitals
    surname of three letters or more before given names of several words is in the usual order
    (``KIM, JONG HO``, ``LIMA, Ana Paula``), and so is one of two letters that is a surname of
    its own (``LI, Wei Dong``); a generational suffix never is (``JR, GE SEIDEL``)."""
    last = a.last.strip()
    if not a.first or a.von or "." in a.first:
        return False
    if not (_INITIALS_ONLY.match(last) or is_initial(last)):
        return False
    words = a.first.split()
    if not _WORD.fullmatch(words[0] if not is_initial(words[0]) else words[-1]):
        return False
    # dotted (``M.``, ``C.N.``) is initials; three undotted capitals or more may be a surname
    # (``LIMA``, ``KIM``); two are read as initials (``Le Roux JP``, ``Garcia Marquez JA``)
    # unless they spell a two-letter surname: read as initials, ``LI, Wei Dong`` and ``HU, Wei
    # Dong`` would both be a surname ``Weidong``, two people as one
    # a hyphenated or apostrophised given name before capitals is a given name too
    # (``Hee-Jung KIM``, ``O'Neil ROY``), though a surname can be hyphenated (``Smith-Jones A``)
    several = len(words) > 1 or any(c in words[0] for c in "-'’")
    if several and last in _TWO_LETTER_SURNAMES and words[0].lower() not in _PARTICLES:
        # after a particle the given names are a surname (``Van Dijk MA``, ``De Souza LI``)
        return False
    return last in _SUFFIXES or not (
        several and len(last) > 2 and "." not in last and last.isupper()
    )


#: surnames of two letters, common in Chinese, Korean and Vietnamese names, as an export writes
#: them in capitals (``LI, Wei Dong``): in the surname's place before given names of several
#: words they are the surname, not two initials
_TWO_LETTERS = (
    "AN AU BI DO DU FU GE GU HA HE HO HU IM IP JI JO KE KO LE LI LO LU LV LY MA MO NG NI OH OU"
    " QI SU VO VU WU XU YE YI YU"
)
_TWO_LETTER_SURNAMES = frozenset(_TWO_LETTERS.split())


def _as_written(a: Name) -> str:
    """A name's parts in the order they are written: the text :func:`author_keys` reads."""
    if not a.von and not a.jr:  # most names: no generator to join
        return f"{a.first} {a.last}" if a.first and a.last else a.first or a.last
    return " ".join(x for x in (a.first, a.von, a.last, a.jr) if x)


def first_author_key(authors: tuple[Name, ...]) -> str:
    """The first real author's surname key, read as :func:`author_keys` reads names (the same
    function, one name at a time), so that the first-author block and the comparison agree on
    who the first author is (``Dunne E.`` read by BibTeX's rules has the surname ``E.``: a
    block of every Embase author with that initial)."""
    for a in authors[:3]:
        keys = _name_keys(a)
        if keys:
            return keys[0][0]
    return ""


_NOT_LETTER = re.compile(r"[^a-z]")
_NOT_LETTERS_SPACE = re.compile(r"[^a-z ]+")


def roman_to_int(text: str) -> int | None:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    if not text or not _ROMAN.match(text):
        return None
    total = 0
    for i, ch in enumerate(text):
        v = values[ch]
        total += -v if i + 1 < len(text) and values[text[i + 1]] > v else v
    return total


def _part_number(word: str) -> int:
    if word.isdigit():
        return int(word)
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    return roman_to_int(word) or 0


_LANGUAGES = (
    "english spanish german french italian portuguese dutch chinese japanese russian polish"
    " turkish korean czech hungarian danish norwegian swedish finnish greek hebrew persian"
    " arabic croatian serbian slovak slovene slovenian romanian bulgarian ukrainian lithuanian"
    " latvian estonian icelandic catalan afrikaans indonesian malay thai vietnamese"
)
_LANGUAGE = "(?:" + "|".join(_LANGUAGES.split()) + ")"
#: what a database writes after a title about the record, not the work: MEDLINE's ``[Article
#: in Spanish]`` (or ``[In Spanish]``, ``[Spanish]``, ``[German, English abstract]``), ``[In
#: Process Citation]``, ``(author's transl)``. One export adds it and another does not
_TITLE_NOTE = re.compile(
    r"(?:\s*[\[(]\s*(?:(?:article\s+)?in\s+)?"
    + _LANGUAGE
    + r"(?:\s*(?:,|and|&|with)\s*(?:an?\s+)?"
    + _LANGUAGE
    + r"(?:\s+(?:abstract|summary|text))?)*(?:\s+(?:abstract|summary|text))?\s*[\])]"
    r"|\s*\[\s*in\s+process\s+citation\s*\]|\s*\(\s*authors?['’]?s?\s+transl\.?\s*\)"
    # Web of Science marks a retracted or withdrawn article's own record: ``(Retracted article.
    # See vol. 32, pg. 50, 2023)``; the record is still the article's
    r"|\s*\(\s*(?:retracted|withdrawn)\s+article\b[^()]*\))"
    r"[\s.]*$",
    re.IGNORECASE,
)


def title_text(title: str) -> str:
    """The title as deduplication reads it: without a database's note about the record at its
    end (``[Article in German]``), which one export adds and another does not."""
    if not title or (title[-1] not in ".])" and title.rstrip()[-1:] not in ".])"):
        return title
    while True:
        cut = _TITLE_NOTE.sub("", title)
        if cut == title or not cut.strip():
            return title
        title = cut


def count_key(title: str, tkey: str) -> str:
    """The key a title is counted under (how many records carry it): its reading outside
    brackets when it has one (``Book reviews [Buchbesprechungen]`` is ``book reviews``)."""
    if "[" not in title:
        return tkey
    return key_of(_BRACKETED.sub(" ", title_text(title))) or tkey


#: the radionuclides of nuclear medicine's tracers, by element and mass number, as exports
#: write them: MEDLINE ``(18)F-FDG``, Embase ``<sup>18</sup>F-FDG`` or ``[18F]FDG``, Web of
#: Science ``F-18-FDG`` (element first), technetium's ``99mTc`` / ``Tc-99m``
_NUCLIDES = (
    "18 f|11 c|15 o|13 n|68 ga|67 ga|99m tc|123 i|124 i|125 i|131 i|111 in|64 cu|89 zr"
    "|82 rb|201 tl|90 y|177 lu|223 ra|133 xe|153 sm|89 sr|81m kr|32 p|76 br|62 cu|44 sc"
)
_RADIONUCLIDES = frozenset(_NUCLIDES.split("|"))
_NUCLIDE_ELEMENTS = "|".join(sorted({n.split()[1] for n in _RADIONUCLIDES}, key=len, reverse=True))
_NUCLIDE_MASSES = "|".join(sorted({n.split()[0] for n in _RADIONUCLIDES}, key=len, reverse=True))
_NUCLIDE = re.compile(
    rf"\b(?:({_NUCLIDE_MASSES}) ?({_NUCLIDE_ELEMENTS})|({_NUCLIDE_ELEMENTS}) ({_NUCLIDE_MASSES}))\b"
)
#: a radionuclide as :func:`dedupe_title_key` writes it (``18f``, ``99mtc``): its mass number is
#: one of the title's numbers
_NUCLIDE_KEY = re.compile(rf"\b({_NUCLIDE_MASSES})(?:{_NUCLIDE_ELEMENTS})\b")


def _nuclide(m: re.Match[str]) -> str:
    mass, element = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    return f"{mass}{element}" if f"{mass} {element}" in _RADIONUCLIDES else m.group(0)


#: MRI's ``T2*`` (and the rate ``R2*``), another measure than ``T2``: the asterisk a key drops
#: is kept as ``t2star``, however an export writes it (``T2*``, ``T2 *``, ``T2(*)``, ``T2-star``)
_STAR_MEASURE = re.compile(r"\b([TtRr]2)(?:\s?\*|\(\*\)|[- ]?star\b)")


def key_of(text: str) -> str:
    """:func:`title_key` of a title or a part of one, with a radionuclide written one way
    (``F-18``, ``(18)F`` and ``18F`` are ``18f``), and markup an export escaped as text
    (``&lt;sup&gt;18&lt;/sup&gt;F``) read as the markup it is."""
    if "&lt;" in text:
        text = html.unescape(text)
    if "*" in text or "star" in text:
        text = _STAR_MEASURE.sub(r"\1star", text)
    key = title_key(text)
    return _NUCLIDE.sub(_nuclide, key) if _ANY_DIGIT.search(key) else key


def dedupe_title_key(title: str) -> str:
    """:func:`key_of` of :func:`title_text`: the key blocking and scoring use."""
    return key_of(title_text(title)) if title else ""


def title_variants(title: str, tkey: str) -> tuple[str, ...]:
    """Other readings of a title with a bracketed part: without it, and the part alone.

    ``Crowdwork: applying ... [Arbeiten in der Crowd: ...]`` is compared as its English title
    and as its original title; ``The all-seeing employer - [careers]`` also without the label.
    """
    if "[" not in title:
        return ()
    out: list[str] = []
    # not without a code, the title's only bracketed part: a meeting abstract's number
    # (``[P123] Title``, which says the record is the abstract) or a symbol (``[18F]FDG``)
    bracketed = _BRACKETED.findall(title)
    outside = key_of(_BRACKETED.sub(" ", title))
    if (
        outside
        and outside != tkey
        and not all(_CODE_HEAD.fullmatch(part) is not None for part in bracketed)
    ):
        out.append(outside)
    for m in _BRACKETED.finditer(title):
        inside = key_of(m.group(1))
        if len(inside.split()) >= 3 and inside != tkey and inside not in out:
            out.append(inside)
    return tuple(out)


def volume_key(value: str, year: int | None) -> str:
    """The volume's first number (``174 AISC`` and ``174`` agree); blank for a placeholder,
    when the value is just the year (an export that puts the year in the volume field), and
    for a number of six digits or more: no journal or series numbers its volumes so far (SPIE's
    and LNCS's have five), so it is an accession number in the wrong column or a volume and
    issue run together (PsycINFO via Ovid: ``1944266`` for volume 194, issue 4266), as
    :func:`issue_numbers` reads an issue."""
    text = fold(value).strip()
    if not text or text in _PLACEHOLDERS or _CATALOGUE_NUMBER.search(text) is not None:
        return ""
    m = _NUMBER.search(text)
    if m is None:
        return text
    number = m.group(0).lstrip("0") or "0"
    return "" if year is not None and number == str(year) else number


_ISSUE_NAME_WORD = re.compile(r"[^\W\d_]{3,}")


_CATALOGUE_NUMBER = re.compile(r"\d{6,}")


def issue_numbers(value: str) -> frozenset[str]:
    """The numbers in an issue: ``2/3`` and ``2-3`` agree; ``SI`` or ``May`` give none, nor does
    a special issue's name written where its number belongs (``14th Coastal Symposium``), nor
    a catalogue number an export wrote there (``101676033``, ``6dr, 2985151r``: NLM's
    journal ids; an issue has at most five digits, as the Lancet's)."""
    if (
        not value
        or value.strip().lower() in _PLACEHOLDERS
        or len(_ISSUE_NAME_WORD.findall(value)) >= 3
        or _CATALOGUE_NUMBER.search(value) is not None
    ):
        return frozenset()
    return frozenset(n.lstrip("0") or "0" for n in _NUMBER.findall(value))


#: a volume with its issue in brackets, as some exports write both in the volume field
_VOLUME_ISSUE = re.compile(r"^\s*\d+\s*\(\s*([^()]*\d[^()]*)\s*\)\s*$")


def _issue_in_volume(volume: str) -> str:
    """The issue an export wrote into the volume field (``24(3)``, ``12 (Suppl 2)``), when the
    issue field is empty: without it, the issue would be missing rather than disagreeing."""
    m = _VOLUME_ISSUE.match(volume)
    return m.group(1) if m else ""


def _issue_of(record: Record) -> frozenset[str]:
    """The record's issue numbers, from its issue field or else from its volume's ``24(3)``."""
    return issue_numbers(_clean(record.issue) or _issue_in_volume(_clean(record.volume)))


def _page_key(page: str) -> str:
    """A first page as exports disagree on it: ``S101``, ``e0101`` and ``101`` agree."""
    digits = page.lstrip("SsEe")
    return (digits.lstrip("0") or "0") if digits.isdigit() else page


def page_span(pages: str) -> str:
    """``start-end`` when the pages are a real range (end after start), else blank."""
    m = _PAGE_SPAN.match(pages)
    if m is None:
        return ""
    start, end = int(m.group(1)), int(m.group(2))
    return f"{start}-{end}" if end > start else ""


@dataclass(frozen=True)
class Features:
    """What scoring needs of one record, computed once per record that has a candidate pair."""

    key: str
    tkey: str
    alt_tkeys: tuple[str, ...]  # other readings of a title with a bracketed part
    words: int
    doi: str
    pmid: str
    year: int | None
    surnames: tuple[str, ...]
    firsts: tuple[str, ...]  # each author's given names as exported, aligned with surnames
    first_initial: str
    container: str
    volume: str
    issue: frozenset[str]
    page: str
    span: str  # the page range when it is one
    venue: str  # "conference", "journal", "article" (no container: either) or ""
    preprint: bool
    notice: str  # "", "erratum", "retraction", "comment", "reply", "supplement", ... (see below)
    parts: frozenset[int]
    numbers: frozenset[str]
    little_info: bool
    #: the title's numbers in the order it gives them, when it has two or more (see
    #: :func:`number_order`)
    number_order: tuple[str, ...] = ()
    #: the title's numbers with a lone ``1.000`` read as a thousand (:func:`thousands_read`),
    #: and in their order; empty when the title has no such number
    thousands: frozenset[str] = frozenset()
    thousands_order: tuple[str, ...] = ()
    common_title: bool = False  # the exact title is carried by more than two records
    #: more records carry the exact title than there are export files among them (and more than
    #: two): some export lists it twice, as a journal's recurring column ("Editorial") is listed
    recurring_title: bool = False
    #: the library holds records of the exact title in two places (volumes, issues or first
    #: pages that differ): a title that comes back issue after issue (a journal's column,
    #: ``Highlights from the current literature in ...``), however long, so a record of it that
    #: no place pins down may be any of them (see :func:`placed_apart`)
    column_title: bool = False
    #: the whole title is the first part, before a break, of two titles in the library that go
    #: on differently (``X—Climate and weather topic`` and ``X—Invasives topic``: one series
    #: title on two topics), so a record titled ``X`` alone may be either (see
    #: :func:`series_heads`)
    series_head: bool = False
    #: pages numbered from 1 within the article (``1-24``, or ``1`` alone: the PDF's own pages,
    #: written by databases for an article online before its issue) rather than its place in
    #: the issue
    local_pages: bool = False
    #: the notice is read from a phrase inside the title (``...: commentary on: ...``) rather
    #: than from its start or end, so it may be a subtitle one export kept and another dropped
    notice_inside: bool = False
    #: the title as written: where its breaks are (``:``, ``.``, ``?``, a bracket, a spaced
    #: dash), which the key has lost, is read from it when one title holds another
    title: str = ""
    #: printed in a supplement or typed as a conference item (``Suppl 1``, page ``S101``), where
    #: an export may give every abstract the supplement's DOI or its whole page range
    supplement: bool = False
    #: trial registrations the record's URL or other fields name (``NCT01234567``, upper case),
    #: as Cochrane CENTRAL and registry exports give them: see :func:`trial_ids`
    trials: frozenset[str] = frozenset()
    #: the record is a trial registry's entry (its container or URL is a registry's), not a
    #: report of the trial: see :func:`is_registry_entry`
    registry: bool = False
    #: typed as a thesis or dissertation: a paper from the thesis may share its title
    thesis: bool = False
    #: typed as a book and with no page range (a whole book, not a chapter typed as one): a
    #: review of it in a journal is often indexed under its title
    book: bool = False
    #: typed as a chapter in a book (``incollection``, ``inbook``): an author's chapter in
    #: another's book often carries the title of the author's own book
    chapter: bool = False
    #: printed in a supplement by its pages or issue (``S101``, ``Suppl 1``), whatever its type
    printed_supplement: bool = False
    #: a data set, software or supplement deposited under a work's title, as its title's end
    #: says (``X [Data set]``, :data:`_DEPOSIT_AT_END`): ``dataset``, ``software``,
    #: ``supplement`` or ""
    deposit: str = ""
    #: the surname keys of the authors that are groups, not people (``Writing Committee for
    #: the X Trial``, MEDLINE's ``CN``): one export lists the group, another its members
    groups: frozenset[str] = frozenset()
    #: typed a letter or a comment by its database (MEDLINE's publication type, Embase's
    #: ``M3``): a letter titled after the article it answers, as some journals title their
    #: correspondence, is told from the article by this alone
    typed_letter: bool = False
    #: the title's end says the record is a meeting's abstract (``X [abstract]``, ``X
    #: (P-123)``: :data:`_ABSTRACT_AT_END`)
    abstract_note: bool = False
    #: the title opens with a column's heading over a piece on a paper (``Journal club: X``,
    #: :data:`_PIECE_HEADING`) on a record that names authors: the piece, whose authors an
    #: export may give as the paper's, or the paper under a heading one export kept
    piece: bool = False
    #: typed ``misc`` (RIS ``GEN``): how some exports type a meeting's abstract
    misc: bool = False
    #: typed as a patent (``patent``) or as a report or a manual (``report``: BibTeX's
    #: ``@techreport``, ``@manual``, RIS ``RPRT``), else "": see :data:`_TYPED_REPORTS`
    typed_report: str = ""
    #: the title opens with a meeting session's name (``Poster session 3: ...``), alone or
    #: before a break: see :func:`session_heading`
    session: bool = False


#: a trial registry's identifier: ClinicalTrials.gov, ISRCTN, ANZCTR, the Chinese, German,
#: Indian, Iranian, Korean, Pan-African, Thai and Japanese registries, EudraCT, and PROSPERO's
#: reviews (``CRD42019123456``). Each starts with its registry's prefix, so two of one prefix
#: that differ are two registrations
_TRIAL_ID = re.compile(
    r"\b(NCT\d{8}|ISRCTN\d{8}|ACTRN\d{14}|ChiCTR[-A-Z]*\d{6,}|DRKS\d{8}|CTRI/\d{4}/\d+/\d+"
    r"|IRCT\d{6,}N?\d*|KCT\d{7}|PACTR\d{15}|TCTR\d{11}|UMIN\d{9}|jRCT\w?\d{10}"
    r"|EUCTR\d{4}-\d{6}-\d{2}|EudraCT\s*(?:No\.?|number)?\s*:?\s*\d{4}-\d{6}-\d{2}"
    r"|CRD\d{11})\b",
    re.IGNORECASE,
)
_TRIAL_PREFIX = re.compile(r"^[A-Z]+")
_EU_REGISTER_URL = re.compile(r"clinicaltrialsregister\.eu/\S*?(\d{4}-\d{6}-\d{2})", re.I)


def trial_ids(record: Record) -> frozenset[str]:
    """The trial registrations a record's URL and other fields name (not its abstract, where
    a report cites other trials too): what tells two registry records apart whose titles,
    the sponsor's generic wording (``A study of X in participants with advanced solid
    tumours``), agree. EudraCT numbers are written ``EUCTR`` and their number."""
    text = " ".join([record.url, *(v for _, v in record.extra)])
    out = set()
    # the EU register's URLs give the EudraCT number bare (``...?query=2018-001234-11``)
    for m in _EU_REGISTER_URL.finditer(text):
        out.add("EUCTR" + m.group(1))
    for m in _TRIAL_ID.finditer(text):
        tid = re.sub(r"\s+", "", m.group(1)).upper()
        if tid.startswith("EUDRACT"):
            tid = "EUCTR" + tid[-14:]
        out.add(tid)
    return frozenset(out)


#: trial registries by the names databases give them as a container, and by their URLs' hosts
_REGISTRY_NAMES = re.compile(
    r"\b(?:clinicaltrials ?gov|isrctn|ictrp|international clinical trials registry platform"
    r"|eu ?ctr|eu clinical trials register|clinicaltrialsregister|anzctr"
    r"|australian new zealand clinical trials registry|chinese clinical trial regist(?:er|ry)"
    r"|chictr|drks|german clinical trials register|ctri|clinical trials registry india"
    r"|trial registry|trials registry|trial register"
    # PROSPERO, the register of systematic reviews' protocols: its record of a review bears
    # the review's title, as a trial registry's does the trial's
    r"|prospero|international prospective register of systematic reviews)\b"
)
_REGISTRY_HOSTS = re.compile(
    r"(?:clinicaltrials\.gov|isrctn\.com|trialsearch\.who\.int|who\.int/trialsearch"
    r"|clinicaltrialsregister\.eu|anzctr\.org\.au|chictr\.org|drks\.de|ctri\.nic\.in"
    r"|crd\.york\.ac\.uk/prospero)",
    re.IGNORECASE,
)


def is_registry_entry(record: Record, container_key: str) -> bool:
    """A trial registry's record of a trial (ClinicalTrials.gov, ISRCTN, WHO ICTRP, ...), by its
    container or its URL: Cochrane CENTRAL lists these beside the trial's publications, and
    the registry's title is often the publication's. The two are other records of one trial,
    which a review keeps both of."""
    return _names_a_registry(container_key) or (
        bool(record.url) and _REGISTRY_HOSTS.search(record.url) is not None and not record.doi
    )


@functools.lru_cache(maxsize=1 << 16)
def _names_a_registry(container_key: str) -> bool:
    """Cached: a library holds a few thousand journals among its records, and the names of
    registries are a long alternation to search each record's container for."""
    return _REGISTRY_NAMES.search(container_key) is not None


def other_registration(a: Features, b: Features) -> bool:
    """Both records name registrations in one registry, and none the same: two trials."""
    if not (a.trials and b.trials) or a.trials & b.trials:
        return False
    prefixes = {_registry_of(t) for t in a.trials}
    return any(_registry_of(t) in prefixes for t in b.trials)


def _registry_of(trial_id: str) -> str:
    """The registry's prefix of a trial's identifier: ``NCT`` of ``NCT01234567``."""
    m = _TRIAL_PREFIX.match(trial_id)
    return "" if m is None else m.group(0)


def is_preprint(record: Record, container_key: str | None = None) -> bool:
    """A preprint server's record (by type, DOI prefix, container or URL)."""
    ckey = title_key(record.container) if container_key is None else container_key
    url = fold(record.url)
    return (
        record.entry_type.lower() in _PREPRINT_TYPES
        or bool(_PREPRINT_DOI.match(record.doi))
        or bool(_PREPRINT_WORDS.search(ckey))
        or any(
            s in url
            for s in ("arxiv.org", "biorxiv.org", "medrxiv.org", "ssrn.com", "researchsquare.com")
        )
    )


#: MEDLINE's disambiguating qualifier (``BMJ (Clinical research ed.)``, ``Addiction (Abingdon,
#: England)``) and its full titles' second half (``Journal of X / co-sponsored by ...``).
_CONTAINER_QUALIFIER = re.compile(r"\s*\([^()]*\)|\s+/\s.*$")
#: What MEDLINE's full journal title adds after `` : `` and other databases leave off: the
#: society that publishes it (``Neuropsychopharmacology : official publication of the American
#: College of ...``, ``Cephalalgia : an international journal of headache``), the journal's own
#: acronym (``Regulatory toxicology and pharmacology : RTP``), or its name in a second language
#: after `` = ``. A subtitle of any other kind stays: it may name a section (``... Part B:
#: Biological Sciences``).
_SPONSOR_SUBTITLE = re.compile(
    r"\s+:\s+(?:(?:the|an?)\s+)?(?:official\s+)?(?:(?:international\s+)?journal|publication"
    r"|organ|organe|bulletin)\b.*$"
    # the journal's description after a colon or NLM's semicolon, with or without a space
    # before it: ``Stroke; a journal of cerebral circulation``, ``BJOG: An International
    # Journal of Obstetrics and Gynaecology``, ``Allergy: European Journal of Allergy and
    # Clinical Immunology`` (a section's name, ``Circulation: Heart Failure``, says no journal)
    r"|\s*[:;]\s+(?:(?:the|an?)\s+)?(?:official\s+)?(?:[a-z]+\s+)?journal\b.*$"
    # Web of Science writes it after a hyphen: ``ARTHROSCOPY-THE JOURNAL OF ARTHROSCOPIC ...``,
    # ``... COMPUTER SYSTEMS-THE INTERNATIONAL JOURNAL OF ESCIENCE``
    r"|\s*-\s*(?:(?:the|an?)\s+)?(?:official\s+)?(?:international\s+)?journal\b.*$"
    r"|\s+:\s+[A-Z]{2,6}$"
    r"|\s+=\s.*$",
    re.IGNORECASE,
)
#: what Web of Science writes after a hyphen to tell one journal title from another: the place
#: or the publisher (``FIRE-SWITZERLAND``, ``CHILDREN-BASEL``, ``MEDICINA-LITHUANIA``,
#: ``JOURNAL OF HYDRAULIC ENGINEERING-ASCE``), which other databases leave off. A section after
#: the hyphen (``JOURNAL OF GEOPHYSICAL RESEARCH-OCEANS``) is part of the name and stays
_WOS_PLACE = re.compile(
    r"-(?:basel|switzerland|lithuania|kaunas|taiwan|india|japan|china|korea|brazil|mexico|chile"
    r"|turkey|poland|iran|egypt|germany|netherlands|england|london|oxford|baltimore|asce)\s*$",
    re.IGNORECASE,
)
_LEADING_THE = re.compile(r"^the\s+")
#: ``10.1037//0022-...``: an old DOI written with the double slash some registrants used.
_DOUBLE_SLASH = re.compile(r"^(10\.\d+)//")


@functools.lru_cache(maxsize=1 << 16)
def container_key(container: str) -> str:
    """A journal's name as databases disagree on it: MEDLINE adds a place or edition in
    parentheses, a sponsor after a slash or a colon, another database writes ``The`` before it.
    Cached: a library names a few thousand journals among its records."""
    plain = _CONTAINER_QUALIFIER.sub("", _SPONSOR_SUBTITLE.sub("", _WOS_PLACE.sub("", container)))
    while "(" in plain:  # nested, one level at a time: ``Gesundheitswesen (Bundesverband (...))``
        shorter = _CONTAINER_QUALIFIER.sub("", plain)
        if shorter == plain:
            break
        plain = shorter
    return _LEADING_THE.sub("", title_key(plain if plain.strip() else container))


def features(
    record: Record,
    tkey: str | None = None,
    ignore_doi: bool = False,
    common_title: bool = False,
    recurring_title: bool = False,
    column_title: bool = False,
    series_head: bool = False,
) -> Features:
    """``ignore_doi``: the record's DOI is a container's (a supplement or a book shared by
    several different works), which proves nothing about the work. ``common_title``: more
    than two records carry this exact title, so sharing it says less. ``recurring_title``: one
    export file lists it more than once (see :attr:`Features.recurring_title`).
    ``column_title``: the library holds it in two places (:attr:`Features.column_title`).
    ``series_head``: two titles in the library go on from it differently
    (:attr:`Features.series_head`)."""
    # ``&amp;`` read as ``&`` first: its semicolon is no break in the title (``X &amp; response
    # to Y`` was read as a reply after a break), and ``amp`` no word of it
    written = title_text(decode_ampersands(record.title))
    tk = key_of(written) if tkey is None else tkey
    if tk in _PLACEHOLDER_TITLES:
        tk = ""
    container = _clean(record.container)
    ckey = container_key(container)
    named = author_keys(record.authors)
    groups = frozenset(k for a in record.authors if _group_name(a) for k, _ in _name_keys(a))
    surnames = tuple(k for k, _ in named)
    firsts = tuple(g for _, g in named)
    first_initial = ""
    if named and named[0][1]:
        first_initial = initials(Name(named[0][0], named[0][1]))[:1]
    et = record.entry_type.lower()
    if et in _CONFERENCE_TYPES or (
        et not in ("article", "book") and _CONFERENCE_WORDS.search(ckey)
    ):
        venue = "conference"
    elif et == "article" and ckey:
        venue = "conference" if _CONFERENCE_WORDS_IN_ARTICLE.search(ckey) else "journal"
    elif et == "article":
        venue = "article"  # no journal named: perhaps a journal's, perhaps a meeting's
    else:
        venue = ""
    # the notes at a title's end that only a bracketed part can be are looked for only in a
    # title with a bracket (most have none): a search of every title cost ~10 µs a record each
    bracketed = "(" in written or "[" in written
    preprint = is_preprint(record, ckey) or (
        bracketed and _PREPRINT_AT_END.search(written) is not None
    )
    notice = ""
    for kind, rx in _NOTICE_KINDS:
        if rx.match(tk):
            notice = kind
            break
    text = _notice_text(written)
    if not notice:
        for kind, rx in _NOTICE_LABELS:
            if rx.match(text):
                notice = kind
                break
    # a column's heading over a piece on a paper: with no authors, a comment; with authors (the
    # piece's, or the paper's, which some exports give it) still a piece beside the paper
    piece = _PIECE_HEADING.match(text) is not None
    if not notice and not record.authors and piece:
        notice = "comment"
    if not notice:
        m = _NOTICE_AT_END.search(text)
        if m:  # "Title of the article": corrigendum
            word = next(g for g in m.groups() if g).split()[0]
            notice = {
                "corrigendum": "erratum",
                "corrigenda": "erratum",
                "erratum": "erratum",
                "errata": "erratum",
                "correction": "erratum",
                "corrections": "erratum",
                "retraction": "retraction",
                "retracted": "retraction",
                "expression": "retraction",
                "notice": "retraction",  # notice of retraction
                "reply": "reply",
                "authors": "reply",
                "author": "reply",
                "authors'": "reply",
                "author'": "reply",
                "the": "reply",
                "in": "reply",
                "a": "reply",
                "response": "reply",
                "rejoinder": "reply",
                # an article printed in two instalments: the second is not the first
                "continued": "continued",
                "addendum": "erratum",
                "addenda": "erratum",
                "lay": "summary",
                "plain": "summary",
            }.get(word, "comment")
    if not notice and "(" in text and _CORRECTION_OF.search(text):
        notice = "erratum"
    if not notice and (_MEDIA_AT_END.search(text) or et in _TYPED_MEDIA):
        notice = "media"
    if not notice:
        notice = _typed_notice(record)
    notice_inside = False
    if not notice:
        m = _NOTICE_INSIDE.search(text)
        if m:
            notice_inside = True
            word = (m.group(1) or m.group(2)).split()[0]
            notice = {
                "erratum": "erratum",
                "correction": "erratum",
                "corrigendum": "erratum",
                "retraction": "retraction",
                "reply": "reply",
                "response": "reply",
            }.get(word, "comment")
    parts = {_part_number(m.group(1)) for m in _PART.finditer(tk)}
    tr = _TRAILING_ROMAN.search(tk)
    if tr and (tr.group(1) != "x" or lone_numeral_apart(written)):
        # (a lone ``X`` after a plain word is that word's letter: ``Generation X``, ``factor X``)
        parts.add(roman_to_int(tr.group(1)) or 0)
    doi = (
        ""
        if ignore_doi or not _DOI_LIKE.match(record.doi)
        else _DOUBLE_SLASH.sub(r"\1/", record.doi)
    )
    pmid = record.pmid if record.pmid.isdigit() and record.pmid.strip("0") else ""
    pages = clean_pages(record.pages)
    span = page_span(pages)
    # the numbers are read without a footnote's mark glued to the last word
    nkey = _FOOTNOTE_DIGIT.sub("", tk) if footnote_mark(written) else tk
    nkey = joined_numbers(written, nkey)
    numbers = title_numbers(nkey)
    thousands_key = thousands_read(written, nkey)
    thousands = title_numbers(thousands_key) if thousands_key != nkey else frozenset()
    has_other = bool(named or record.year is not None or ckey or doi or pmid)
    printed_supplement = (
        pages[:1] in ("S", "s")
        # "15_suppl": how Crossref and Web of Science number a journal's meeting supplement
        or _SUPPLEMENT_WORDS.search(f"{record.issue} {record.volume}".lower().replace("_", " "))
        is not None
    )
    return Features(
        key=record.key,
        tkey=tk,
        alt_tkeys=title_variants(written, tk) if tk else (),
        words=len(count_key(written, tk).split()),
        doi=doi,
        pmid=pmid,
        year=record.year,
        surnames=surnames,
        firsts=firsts,
        first_initial=first_initial,
        container=ckey,
        volume=volume_key(_clean(record.volume), record.year),
        issue=_issue_of(record),
        page=_page_key(first_page(pages)),
        span=span,
        venue=venue,
        preprint=preprint,
        notice=notice,
        parts=frozenset(parts),
        numbers=numbers,
        number_order=number_order(nkey) if len(numbers) >= 2 else (),
        thousands=thousands,
        thousands_order=number_order(thousands_key) if len(thousands) >= 2 else (),
        little_info=not tk or not has_other,
        common_title=common_title,
        recurring_title=recurring_title,
        column_title=column_title,
        series_head=series_head,
        # ``1`` alone is what some databases (Cochrane CENTRAL) give an article online before
        # its issue: its own first page, not a place in the issue
        local_pages=span.startswith("1-") or (not span and first_page(pages) == "1"),
        notice_inside=notice_inside,
        title=written,
        supplement=venue == "conference" or printed_supplement,
        trials=trial_ids(record),
        registry=is_registry_entry(record, ckey),
        thesis=record.entry_type.lower() in _THESIS_TYPES
        or (bracketed and _THESIS_AT_END.search(written) is not None),
        book=et in _WHOLE_BOOKS and not span,
        chapter=record.entry_type.lower() in _CHAPTER_TYPES,
        groups=groups,
        typed_letter=_typed_letter(record) or _LETTER_NOTE.search(written) is not None,
        printed_supplement=printed_supplement,
        deposit=_deposit(written) or _TYPED_DEPOSITS.get(et, ""),
        abstract_note=_ABSTRACT_AT_END.search(written) is not None,
        piece=piece and notice != "comment",
        misc=et == "misc",
        typed_report=_TYPED_REPORTS.get(et, ""),
        session=session_heading(written),
    )


#: words that make an author with no given names a group of people: a trial's collaborators,
#: a writing committee, a society (not ``Group`` alone, which could be a surname)
_GROUP_WORDS = re.compile(
    r"\b(?:group|groups|collaborat\w*|consortium|investigators|committee|network|team"
    r"|trialists|society|association|council|institute|organi[sz]ation|working party"
    r"|study|writing|behalf|alliance|foundation|academy|college|board)\b",
    re.IGNORECASE,
)


def _group_name(a: Name) -> bool:
    """An author that is a group (an organisation, a trial's collaborators): typed corporate
    by the reader, or a name of several words without given names that says so."""
    if a.corporate:
        return True
    return not a.first and len(a.last.split()) >= 2 and _GROUP_WORDS.search(a.last) is not None


_LETTERS = re.compile(r"[a-z]+")


@functools.lru_cache(maxsize=1 << 16)
def _given_word(first: str) -> str:
    """Kept per written form: the model's random pairs ask it of both lists' given names on
    nearly every pair (their first authors differ), ~250,000 times at 100k records, for a few
    tens of thousands of forms."""
    m = _LETTERS.search(fold(first)) if first else None
    return m.group(0) if m else ""


# --- comparing two records ---------------------------------------------------------------------

DUPLICATE, UNSURE, DISTINCT = "duplicate", "unsure", "distinct"

#: the rules whose one doubt is how two titles are worded (a word each lacks, the things they
#: set against each other turned round), whatever else the records share: a group that already
#: took that wording between one record and another of the very same title has answered it (see
#: :func:`~litreview.dedupe.engine.find_duplicates`)
TITLE_WORDING_RULES = frozenset({"different-words-in-titles", "comparison-turned-round"})


@dataclass(frozen=True)
class Verdict:
    outcome: str
    reason: str
    score: float
    scores: dict[str, float | None]
    #: the never-merge rule that applied, if any: such a pair is never merged automatically,
    #: not even through a third record.
    rule: str = ""
    bits: float = 0.0  # the match weight
    levels: tuple[int, ...] = ()  # agreement level per field of .model.FIELDS
    #: trustworthy fields on which the two disagree (see :func:`compare`)
    conflicts: tuple[str, ...] = ()

    @property
    def keeps_apart(self) -> bool:
        """Whether this pair must not end in one record, even through third records: it is
        distinct, a never-merge rule holds it, or a trustworthy field conflicts. (An unsure
        pair that merely lacks evidence may join a group through records that have it.)"""
        return self.outcome == DISTINCT or (
            self.outcome != DUPLICATE and bool(self.rule or self.conflicts)
        )


#: where a title breaks into parts an export may drop: a colon, a full stop, a question or
#: exclamation mark, a semicolon, a bar, a bracket, or a dash, slash or middle dot with spaces
#: round it (not the hyphen inside ``Run-time``)
_TITLE_BREAK = re.compile(r"[:;.?!|()\[\]{}：]|\s[-–—−‐/·]+\s|[–—]")
#: breaks looked at per title: a cell that swallowed rows may hold thousands
MAX_BREAKS = 24

#: a title key cut inside a word holds at least this many characters: a database's cut at a
#: length, where a short title ending in a word's first letters (``fat``, ``fatigue``) may be
#: another work's
CUT_CHARS = 50

#: a title key this long may be a database's cut at a length wherever the cut falls, even
#: before an ``and`` (see :func:`compare`)
_LONG_TITLE = 100

#: how one title holds the other: at a break (``AT_BREAK``) or among plain words (``INSIDE``)
AT_BREAK = "at a break"
INSIDE = "inside"


def title_pieces(title: str, tkey: str) -> frozenset[str]:
    """The keys of the start and the end of ``title`` at each of its breaks (the key of
    ``Birch: an efficient method`` gives ``birch`` and ``an efficient method``)."""
    out = set()
    for m in itertools.islice(_TITLE_BREAK.finditer(title), MAX_BREAKS):
        for part in (title[: m.start()], title[m.end() :]):
            k = key_of(part)
            if k and k != tkey:
                out.add(k)
    return frozenset(out)


def title_similarity(a: str, b: str, title_a: str = "", title_b: str = "") -> tuple[float, str]:
    """Similarity of two title keys (0–100), and how one holds the other when it does:
    :data:`AT_BREAK` or :data:`INSIDE` ("" otherwise).

    A truncation keeps the start (subtitle cut off) or the end (a column heading such as
    ``How did it ...`` put before the title); the shorter must keep four words and 25 letters.
    Exports cut titles at their breaks (``title_*``: the titles as written, whose breaks
    :func:`title_pieces` finds, only when one key holds the other); a title that goes on in
    plain words (``Fast attacks on X`` / ``Attacks on X``) is as likely another work.
    """
    if not a or not b:
        return 0.0, ""
    if a == b:
        return 100.0, ""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if (
        len(short) >= 25
        and len(short.split()) >= 4
        and (long_.startswith(short + " ") or long_.endswith(" " + short))
    ):
        written = title_b if long_ is b else title_a
        if written and short in title_pieces(written, long_):
            if long_.endswith(" " + short) and code_before(written, short):
                # ``P-123: Title`` / ``Title``, ``EP300: Mutations in X`` / ``Mutations in
                # X``: what the break cut off is a code, not a column's heading
                return 96.0, INSIDE
            return 96.0, AT_BREAK
        return 96.0, INSIDE
    if ends_inside_word(short, long_):
        # cut at a length inside a word (``... and intramyocar``), as some databases and
        # spreadsheets cut a long title: a title that goes on in plain words, since the
        # letters before the cut may as well be a word of a title of its own (``... by the
        # head`` / ``... by the headteacher survey``). Too short for the letters to agree,
        # it counts as a cut title. Close enough, the letters' own score stands, and the
        # two are a cut only when the longer title goes on past that word: one that only
        # ends the last word differently (``relations`` / ``relationships``) is one title
        ratio = fuzz.ratio(a, b)
        if ratio < 85:
            return 96.0, INSIDE
        if " " in long_[len(short) :]:
            return float(ratio), INSIDE
        return float(ratio), ""
    return float(fuzz.ratio(a, b)), ""


#: a code before a title's first break: one word with a digit (an abstract's number, ``P-123``,
#: ``OP45``, ``#412``, ``[LBA12]``; a gene's or a virus's symbol, ``EP300``, ``TP53``,
#: ``COVID-19``), perhaps after the word that says what it numbers (``Abstract 123``)
_CODE_HEAD = re.compile(
    r"[\s#\[(]*(?:(?:abstract|abs|poster|oral|presentation|session|paper|no|number)\.?\s+)?"
    r"[#\w.-]*\d[#\w.-]*[\])]?\s*",
    re.IGNORECASE,
)


def code_before(written: str, short: str) -> bool:
    """Whether the title as written, cut at a break, gives the key ``short`` after the break and
    only a code before it (see :data:`_CODE_HEAD`). A meeting abstract's number before its
    title says the record is the abstract (beside the full paper of that title, another
    report); a gene's symbol is a word of the title (``EP300: mutations in X`` is not the
    panel's ``Mutations in X``); and in Title Case the two cannot be told apart. Either way
    the part cut off is no column's heading a database put before the title."""
    for m in itertools.islice(_TITLE_BREAK.finditer(written), MAX_BREAKS):
        if key_of(written[m.end() :]) == short:
            return _CODE_HEAD.fullmatch(written[: m.start()]) is not None
    return False


def cut_inside_word(short: str, long_: str) -> bool:
    """:func:`ends_inside_word`, and so much shorter that the two keys' letters do not agree
    (``ratio`` below 85)."""
    return ends_inside_word(short, long_) and fuzz.ratio(short, long_) < 85


def ends_inside_word(short: str, long_: str) -> bool:
    """``short`` is ``long_`` cut at a length inside a word (see :data:`CUT_CHARS`): a title word
    for word like the other but for a word's end (``... in Niger`` / ``... in Nigeria``) is
    another title. A country's name where the cut falls is no cut, nor a whole word that the
    other only ends differently (``sleep`` / ``sleepiness``)."""
    if not (
        len(short) >= CUT_CHARS
        and len(short) < len(long_)
        and long_[len(short)].isalpha()
        and long_.startswith(short)
        and len(short.split()) >= 6
    ):
        return False
    fragment = short.rsplit(" ", 1)[-1]
    rest = long_[len(short) :].split(" ", 1)[0]
    return not _country(fragment) and not _word_and_ending(fragment, rest)


#: what English adds to a whole word to make another (``sleep`` / ``sleepiness``, ``child`` /
#: ``children``, ``parent`` / ``parenting``): a title that ends in the word is a title of its
#: own, not the longer word's first letters cut at a length
_ENDINGS = (
    "s|es|ies|ness|iness|ing|ings|ed|er|ers|ren|hood|ity|ities|al|ally|ly|ic|ics|ical|ist|ists"
    "|ism|isms|ment|ments|ation|ations|y|less|ful|ive|ous|an|ian|ians|ence|ance|able|ibility"
    "|ship|ships|like|wide"
)
_WORD_ENDINGS = frozenset(_ENDINGS.split("|"))


def _word_and_ending(fragment: str, rest: str) -> bool:
    """``fragment`` is a whole word that ``rest`` only ends differently (see
    :data:`_WORD_ENDINGS`)."""
    return len(fragment) >= 3 and fragment.isalpha() and rest in _WORD_ENDINGS


def without_cut_word(a: str, b: str) -> tuple[str, str]:
    """The two title keys, the one cut inside a word without that word's first letters, which
    are no word of their own."""
    if cut_inside_word(a, b):
        return a.rsplit(" ", 1)[0], b
    if cut_inside_word(b, a):
        return a, b.rsplit(" ", 1)[0]
    return a, b


def best_title_similarity(a: Features, b: Features) -> tuple[float, str]:
    """:func:`title_similarity` of the titles, or of their other readings when those agree more."""
    best = title_similarity(a.tkey, b.tkey, a.title, b.title)
    if (a.alt_tkeys or b.alt_tkeys) and best[0] < 100:
        for x in (a.tkey, *a.alt_tkeys):
            for y in (b.tkey, *b.alt_tkeys):
                if x and y and (x, y) != (a.tkey, b.tkey):
                    # a reading without the bracketed part, or of that part alone, was cut
                    # at the bracket: a break
                    score, how = title_similarity(x, y)
                    best = max(
                        best,
                        (score, AT_BREAK if how else ""),
                        key=lambda t: (t[0], t[1] == AT_BREAK),
                    )
    return best


def _head_at_break(a: Features, b: Features) -> bool:
    """One title is the other's first part, before a colon, full stop, question mark or spaced
    dash, and keeps two words or more."""
    short, long_ = (a, b) if len(a.tkey) <= len(b.tkey) else (b, a)
    return (
        len(short.tkey.split()) >= 2
        and long_.tkey.startswith(short.tkey + " ")
        and short.tkey in title_pieces(long_.title, long_.tkey)
    )


#: what a citation or a search engine writes after a title about the record's state or form,
#: not its topic (as a key): ``(to appear)``, ``(extended abstract)``, ``(abstract only)``,
#: ``(poster)``, ``(Cochrane review)``, China's citation standard's type code ``[J]``
_STATUS_NOTE = re.compile(
    r"to appear(?: in\b.*)?|in press|forthcoming|(?:extended )?abstracts?(?: only)?"
    r"|preliminary version|extended version|poster(?: session| abstract| presentation)?"
    r"|short paper|draft|cochrane review|[jcam]"
)


def series_heads(titles: Iterable[tuple[str, str]]) -> frozenset[str]:
    """Among ``titles`` (each record's title field and its key), the keys of those that are the
    first part, before a break, of two others that go on with parts unlike each other (below
    85, and neither holding the other: ``Climate and weather topic`` / ``Invasives topic``,
    not ``a randomised ...`` / ``a randomized ...``). Only a first part of four words and 25
    letters or more counts: what :func:`title_similarity` takes for a cut title. A part that
    is only a note on the record (:data:`_STATUS_NOTE`: ``X (to appear)``, ``X (extended
    abstract)``) goes on to no topic: two such notes made ``X`` a series head, and its own
    records merged with none of them."""
    fields: defaultdict[str, set[str]] = defaultdict(set)
    for field_, key in titles:
        if key:
            fields[key].add(field_)
    ordered_keys = sorted(fields)
    out = set()
    for head in ordered_keys:
        if len(head) < 25 or head.count(" ") < 3:
            continue
        # the keys that go on from this one: together in sorted order, after ``head + " "``
        start = head + " "
        ends = set()
        k = bisect.bisect_left(ordered_keys, start)
        while k < len(ordered_keys) and ordered_keys[k].startswith(start):
            key = ordered_keys[k]
            tail = key[len(start) :]
            if _STATUS_NOTE.fullmatch(tail) is None and any(
                head in title_pieces(title_text(f), key) for f in fields[key]
            ):
                ends.add(tail)
            k += 1
        if len(ends) < 2:
            continue
        tails = sorted(ends)
        if any(
            fuzz.ratio(x, y) < 85
            and not (y.startswith(x) or y.endswith(x) or x.startswith(y) or x.endswith(y))
            for n, x in enumerate(tails)
            for y in tails[n + 1 :]
        ):
            out.add(head)
    return frozenset(out)


def closest_readings(a: Features, b: Features) -> tuple[str, str]:
    """The readings of the two titles (the key, or a reading of a bracketed title) that agree
    most: what the titles' words are compared on."""
    best = (fuzz.ratio(a.tkey, b.tkey), a.tkey, b.tkey)
    for x in (a.tkey, *a.alt_tkeys):
        for y in (b.tkey, *b.alt_tkeys):
            if x and y and (x, y) != (a.tkey, b.tkey):
                best = max(best, (fuzz.ratio(x, y), x, y), key=lambda t: t[0])
    return best[1], best[2]


def _swapped(sa: str, ga: str, sb: str, gb: str) -> bool:
    """One export put the given name in the family-name field: ``Andrea, C.`` is
    ``Carignani, Andrea``; ``Xiaoguang, Wang`` is ``Wang, X.``."""
    return (len(ga) >= 2 and sb == ga and bool(gb) and sa[:1] == gb[:1]) or (
        len(gb) >= 2 and sa == gb and bool(ga) and sb[:1] == ga[:1]
    )


def _givens(f: Features) -> tuple[str, ...]:
    return tuple(_given_word(x) for x in f.firsts)


def _compound_any(s: str, others: tuple[str, ...]) -> bool:
    """One export kept only part of a compound surname (``Tumer Kabadayi`` / ``Kabadayi``,
    ``Garcia Marquez`` / ``Garcia``): ``s`` against any of ``others``, in one call."""
    n = len(s)
    for t in others:
        m = len(t)
        if m > n >= 4:
            if t.startswith(s) or t.endswith(s):
                return True
        elif n > m >= 4 and (s.startswith(t) or s.endswith(t)):
            return True
    return False


def _people(f: Features) -> Features:
    """``f`` with its group authors left out (their own keys when it names only groups)."""
    keep = [i for i, s in enumerate(f.surnames) if s not in f.groups]
    if not keep or len(keep) == len(f.surnames):
        return f
    first = keep[0]
    initial = initials(Name(f.surnames[first], f.firsts[first]))[:1] if f.firsts[first] else ""
    return replace(
        f,
        surnames=tuple(f.surnames[i] for i in keep),
        firsts=tuple(f.firsts[i] for i in keep),
        first_initial=initial,
        groups=frozenset(),
    )


#: the most common surnames of China, Korea and Vietnam as exports romanise them, which many
#: authors of one field share: there a shared surname says little and the given names tell
#: the people apart (a closed list)
_COMMON_SURNAME_WORDS = (
    "wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo"
    " zheng liang xie song tang han feng deng cao peng zeng xiao tian dong pan yuan cai"
    " jiang yu du ye cheng wei su lu ding ren shen yao lv cui zhong tan fan jin shi qian"
    " kim lee park choi jung jeong kang cho jo yoon yun jang lim im oh seo shin kwon"
    " hwang ahn hong nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly"
)
_COMMON_SURNAMES = frozenset(_COMMON_SURNAME_WORDS.split())


def _initials_conflict(first_a: str, first_b: str, common: bool = False) -> bool:
    """Two people's given names, both known: first initials that differ, neither among the
    other's initials (``Wei`` / ``Li``; not ``W`` / ``Wei``, nor ``J. Robert`` / ``Robert``,
    one person's names as two exports give them). Under a common surname (``common``, see
    :data:`_COMMON_SURNAMES`) also two first given names written out in full that are other
    names (``Zhang, Wei`` / ``Zhang, Wen``; not ``Jing`` / ``Jing-Yi`` or ``Jingyi``, one name
    cut short, nor ``Mohammed`` / ``Mohammad``, a spelling). Elsewhere a given name written
    two ways is as often one person's (``Mike`` / ``Michael``, a typo)."""
    ia, ib = _all_initials(first_a), _all_initials(first_b)
    if not (ia and ib):
        return False
    if ia[0] != ib[0]:
        return ia[0] not in ib and ib[0] not in ia
    if not common:
        return False
    ga, gb = _full_given(first_a), _full_given(first_b)
    if not (ga and gb) or ga.startswith(gb) or gb.startswith(ga):
        return False
    return min(len(ga), len(gb)) < 5 or fuzz.ratio(ga, gb) < 80


_GIVEN_WORD = re.compile(r"[^\W\d_]+(?:[- ][^\W\d_]+)*")


def _full_given(first: str) -> str:
    """The first given name, folded, when it is written out (``Wei``; ``Jing-Yi`` as
    ``jingyi``, so that ``Ji-Hoon`` and ``Ji-Won`` differ): not an initial, nor a run of
    initials in capitals (``WX``, ``J-H``)."""
    m = _GIVEN_WORD.search(first)
    if m is None:
        return ""
    parts = re.split(r"[- ]", m.group(0))
    if len(parts[0]) < 2 or parts[0].isupper():
        return ""
    # a syllable after a space is read whole as after a hyphen (``Ji Hoon`` as ``jihoon``),
    # up to an initial (``Ji H``: ``ji``)
    whole = [parts[0]]
    for part in parts[1:]:
        if len(part) < 2 or part.isupper():
            break
        whole.append(part)
    return fold("".join(whole))


def _all_initials(first: str) -> str:
    """The initials of given names, each capital of a run of them one (``WX``, ``HVJ``: MEDLINE's
    initials, or a search engine's that ran several authors' initials together)."""
    if first.isupper() and first.isalpha():
        return fold(first)
    return given_initials(first)


#: an author list longer than this is looked up through a :class:`_NameIndex`, not name by name:
#: two consortium papers of a thousand authors each cost ~1e6 Python comparisons otherwise
_INDEXED_FROM = 24


@dataclass(frozen=True)
class _NameIndex:
    """One author list's surnames by where they stand, and by each start and end of four or
    more letters that is not the whole name (what :func:`_compound_any` asks of them)."""

    at: dict[str, tuple[int, ...]]
    by_affix: dict[str, tuple[int, ...]]


@functools.lru_cache(maxsize=256)
def _name_index(names: tuple[str, ...]) -> _NameIndex:
    """Kept per list: one long list is the other side of many pairs (a consortium's papers)."""
    at: defaultdict[str, list[int]] = defaultdict(list)
    by_affix: defaultdict[str, list[int]] = defaultdict(list)
    for y, t in enumerate(names):
        at[t].append(y)
        for k in range(4, len(t)):
            by_affix[t[:k]].append(y)
            if t[-k:] != t[:k]:
                by_affix[t[-k:]].append(y)
    return _NameIndex(
        {t: tuple(ys) for t, ys in at.items()}, {a: tuple(ys) for a, ys in by_affix.items()}
    )


def _compound_positions(s: str, index: _NameIndex) -> set[int]:
    """Where in the indexed list stands a surname ``s`` is a part of, or that is a part of
    ``s`` (:func:`_compound_any`'s test, name by name, as positions)."""
    out: set[int] = set()
    n = len(s)
    if n >= 4:
        out.update(index.by_affix.get(s, ()))  # longer names that start or end with s
    for k in range(4, n):  # shorter names that s starts or ends with
        out.update(index.at.get(s[:k], ()))
        out.update(index.at.get(s[-k:], ()))
    return out


def _other_person(
    s: str,
    first: str,
    sb: tuple[str, ...],
    firsts_b: tuple[str, ...],
    index: _NameIndex | None = None,
) -> bool:
    """Whether the author with surname ``s`` and given names ``first`` is no one of the other
    list: every author there whose surname is ``s`` (or alike) has given names whose initials
    conflict with theirs. Lists are compared by surname, and a common surname (``Zhang``,
    ``Wang``, ``Kim``, ``Nguyen``) in two teams' lists, ``Zhang, Wei`` in one and ``Zhang, Li``
    in the other, is two people: counted as shared, it made two teams' papers under one
    generic title agree on their authors."""
    if not first:
        return False
    # most often the same surname with the same initial: settled without the fuzzy matches
    common = s in _COMMON_SURNAMES
    if index is not None:  # a long list: the same questions through its index
        same = index.at.get(s, ())
        if any(not _initials_conflict(first, firsts_b[y], common) for y in same):
            return False
        alike_at = set(same) | _compound_positions(s, index)
        alike_at.update(
            y for _t, _score, y in extract(s, sb, scorer=fuzz.ratio, score_cutoff=85, limit=None)
        )
        return bool(alike_at) and all(
            _initials_conflict(first, firsts_b[y], common) for y in alike_at
        )
    if any(t == s and not _initials_conflict(first, firsts_b[y], common) for y, t in enumerate(sb)):
        return False
    alike = [
        y for y, t in enumerate(sb) if t == s or fuzz.ratio(s, t) >= 85 or _compound_any(s, (t,))
    ]
    return bool(alike) and all(_initials_conflict(first, firsts_b[y], common) for y in alike)


def author_overlap(a: Features, b: Features) -> tuple[float, bool] | None:
    """(share of the shorter author list found in the other, whether the first authors match).

    A group author (a trial's collaborators, a writing committee) is left out when both lists
    name people: one export lists the group beside its members, another the members alone. A
    list of groups only against a list of people that does not name them says nothing: one
    export gives the group as the author, another the people who wrote for it."""
    if not a.surnames or not b.surnames:
        return None
    if a.groups or b.groups:
        a, b = _people(a), _people(b)
        only_a = bool(a.groups) and set(a.surnames) <= a.groups
        only_b = bool(b.groups) and set(b.surnames) <= b.groups
        if only_a != only_b and not set(a.surnames) & set(b.surnames):
            return None
    sa, sb = a.surnames, b.surnames
    first_same = sa[0] == sb[0] or fuzz.ratio(sa[0], sb[0]) >= 85 or _compound_any(sa[0], (sb[0],))
    initials_differ = False
    if first_same and a.first_initial and b.first_initial and a.first_initial != b.first_initial:
        first_same = False
        initials_differ = True
    elif (
        first_same
        and sa[0] == sb[0]
        and sa[0] in _COMMON_SURNAMES
        and _initials_conflict(a.firsts[0], b.firsts[0], common=True)
    ):
        # one initial, two given names written out (``Zhang, Wei`` / ``Zhang, Wen``)
        first_same = False
    ga: tuple[str, ...] = ()
    gb: tuple[str, ...] = ()
    if not first_same:
        ga, gb = _givens(a), _givens(b)
        first_same = _swapped(sa[0], ga[0], sb[0], gb[0])
    if (
        initials_differ
        and not first_same
        and len(sa) == 1
        and len(sb) == 1
        and a.first_initial not in initials(Name(sb[0], b.firsts[0]))
        and b.first_initial not in initials(Name(sa[0], a.firsts[0]))
    ):
        # the only author of each, with one surname and two first initials (``Moreau, Claire``
        # / ``Moreau, J.``): two people, and nothing else in the lists to say otherwise. An
        # initial the other gives as a middle one (``Salum, Layla A.`` / ``A, Salum Layla``, an
        # export that put the name in the wrong order) is the same person's
        return 0.0, False
    setb = set(sb)
    index = _name_index(sb) if len(sb) > _INDEXED_FROM else None
    found = 0
    for x, s in enumerate(sa):
        if (
            s in setb
            or extract_one(s, sb, scorer=fuzz.ratio, score_cutoff=85) is not None
            or (_compound_any(s, sb) if index is None else bool(_compound_positions(s, index)))
        ) and not _other_person(s, a.firsts[x], sb, b.firsts, index):
            found += 1
            continue
        if not ga:  # given names are only needed for an author not matched by surname
            ga, gb = _givens(a), _givens(b)
        if (ga[x] in setb or s in gb) and any(
            _swapped(s, ga[x], t, gb[y]) for y, t in enumerate(sb)
        ):
            found += 1
    if (
        initials_differ
        and not first_same
        and found == 1
        and sa[0] == sb[0]
        and min(len(sa), len(sb)) >= 2
    ):
        # the first authors share a surname and not an initial (``Wang, Jun`` / ``Wang,
        # Xiaoming``) and no other author is shared: two teams whose lists have one common
        # surname in common, not one list with a slip in an initial (which keeps its
        # co-authors), nor a garbled export's name (``H, Wright Juliet``: a given name run
        # into the surname, matched as a compound)
        return 0.0, False
    return min(100.0, 100.0 * found / min(len(sa), len(sb))), first_same


_ABBREV_WORDS = frozenset(
    {"of", "the", "and", "for", "in", "on", "a", "an", "de", "la", "und", "fur", "der"}
    # the little words of other languages' journal names, which abbreviations leave out as
    # they leave out "of" (``Acta Obstet Gynecol Scand``, ``Ned Tijdschr Geneeskd``, ``Zh
    # Nevrol Psikhiatr``), and "its" (``J Diabetes Complications``)
    | {"its", "et", "voor", "den", "des", "du", "di", "del", "della", "het", "och", "og", "i"}
)
#: British spellings in journal names (``Gynaecology``, ``Haematology``, ``Anaesthesia``,
#: ``Oesophagus``), read as the American ones their abbreviations elsewhere use (not an ``oe``
#: inside a word, where it is often where a compound's two words meet: ``Neuroendocrinology``)
_BRITISH_DIGRAPH = re.compile(r"(?<=[a-z])ae|\boe(?=[a-z])")
#: place names that abbreviations give one letter a word (``Proc Natl Acad Sci U S A``, ``N Z
#: Med J``, ``Ann N Y Acad Sci``), each written as one word
_PLACE_LETTERS = (
    (re.compile(r"\b(?:u s a|united states(?: of)? america)\b"), "usa"),
    (re.compile(r"\b(?:u k|united kingdom)\b"), "uk"),
    (re.compile(r"\b(?:n z|new zealand)\b"), "newzealand"),
    (re.compile(r"\b(?:n y|new york)\b"), "newyork"),
)


def _journal_words(name: str) -> str:
    """A journal name's key as abbreviations are compared with it: one spelling, and a place
    one word however its letters are written."""
    name = _BRITISH_DIGRAPH.sub("e", name)
    for rx, word in _PLACE_LETTERS:
        if word[0] in name:
            name = rx.sub(word, name)
    return name


#: what some databases put before a conference series' name: ``Proceedings of the (31st)``,
#: ``Conference proceedings`` (title keys: lower case, no punctuation)
_PROCEEDINGS_HEAD = re.compile(
    r"^(?:conference proceedings|proceedings of(?: the)?)\s+(?:\d+(?:st|nd|rd|th)\s+)?"
)


def _series_reading(name: str) -> str:
    """A conference series' name as another database writes it: without the ``Proceedings of
    the`` some put before it, nor an acronym of its own words after it (``... Engineering in
    Medicine and Biology Society, EMBS``: an acronym's letters start words of the name, in
    order, the last the name's last word). The name itself when it has neither."""
    out = _PROCEEDINGS_HEAD.sub("", name)
    words = out.split()
    if len(words) >= 4 and len(words[-1]) >= 3 and words[-1].isalpha():
        initials = [w[0] for w in _name_words(" ".join(words[:-1]))]
        acronym = words[-1]
        if initials and acronym[-1] == initials[-1] and _initials_in_order(acronym, initials):
            out = " ".join(words[:-1])
    return out if len(out.split()) >= 3 else name


def _initials_in_order(acronym: str, initials: list[str]) -> bool:
    """Whether each letter of ``acronym`` is the initial of a word, in order (words between
    them may give none: ``embs`` in Annual International Conference ... Society)."""
    it = iter(initials)
    return all(letter in it for letter in acronym)


@functools.lru_cache(maxsize=1 << 16)
def container_similarity(a: str, b: str) -> float | None:
    """Journal names; an abbreviation (``J Strateg Inf Syst``) matches its full form. A
    conference series' name is also read without what some databases wrap it in
    (:func:`_series_reading`); that reading counts only when it makes the two names one word
    for word (95 or more): a series' name cut to a few words (``ACM SIGMOD Conference``) is
    no better evidence without its ``Proceedings of the`` than with it."""
    if not a or not b:
        return None
    if a == b:
        return 100.0
    plain = _name_similarity(a, b)
    ra, rb = _series_reading(a), _series_reading(b)
    if (ra, rb) != (a, b) and plain < 95.0:
        read = _name_similarity(ra, rb)
        if read >= 95.0:
            return read
    return plain


def _name_similarity(a: str, b: str) -> float:
    """:func:`container_similarity` of two names as they are written."""
    if a == b:
        return 100.0
    a, b = _journal_words(a), _journal_words(b)
    if a == b:
        return 100.0
    wa, wb = _name_words(a), _name_words(b)
    for own, other in ((wa, b), (wb, a)):
        if _spelt_out(own):
            # an acronym and the name it spells (``JAMA: the Journal of the American Medical
            # Association``, as MEDLINE once wrote it) stand for one journal under either name
            return max(
                container_similarity(own[0], other) or 0.0,
                container_similarity(" ".join(own[1:]), other) or 0.0,
            )
    if len(wa) == 1 and len(wb) == 1 and wa != wb:
        # two one-word names that differ are two journals (Cancer / Cancers, Child /
        # Children), however alike: similar at most
        return min(85.0, float(fuzz.ratio(a, b)))
    short, long_ = (wa, wb) if len(" ".join(wa)) <= len(" ".join(wb)) else (wb, wa)
    if short and _word_for_word(tuple(short), tuple(long_)):
        return 95.0
    if "".join(wa) == "".join(wb):
        return 100.0
    if len(wa) == len(wb) and any(
        x != y and len(x) <= 4 and len(y) <= 4 and not (_abbreviates(x, y) or _abbreviates(y, x))
        for x, y in zip(wa, wb, strict=True)
    ):
        # word for word but for two short words that are not one another's abbreviation:
        # ``Pharmacol Rep`` / ``Res``, ``J Bone Joint Surg Am`` / ``Br`` are other journals
        return min(85.0, float(fuzz.ratio(a, b)))
    # a journal and its meeting supplement as one database names it (``Blood`` and ``Blood
    # Conference: 57th Annual Meeting ...``): the same journal, named at length
    if (
        short
        and long_[: len(short)] == short
        and _SUPPLEMENT_WORDS.match(" ".join(w for w in long_[len(short) :] if not w.isdigit()))
    ):
        # the meeting's words come right after the name (a year may come first): ``Eur J
        # Cancer Care Conference ...`` is the Care journal's meeting, not the Eur J Cancer's
        return 90.0
    # one name is the other with a subtitle or conference theme added (``Pacific Asia
    # Conference on Information Systems - Opportunities and Challenges ...``): a weak match, and
    # no more than similar when a word added names a subject: ``European Journal of Cancer
    # Care`` is another journal than the European Journal of Cancer, however many letters the
    # two share (a place or an edition added is the same journal's)
    if len(short) >= 3 and f" {' '.join(short)} " in f" {' '.join(long_)} ":
        score = max(80.0, float(fuzz.ratio(a, b)))
        if any(not _place_or_meeting(w) for w in _left_over(short, long_)):
            score = min(85.0, score)
        return score
    # an acronym for the other's name (``AMCIS 2017 Proceedings``, ``Americas Conference on
    # Information Systems``; ``JAMA``)
    if _acronym_in(wa, wb) or _acronym_in(wb, wa):
        return 90.0
    # an abbreviation that leaves off the full name's last words (``Proc Natl Acad Sci`` for
    # the Proceedings ... of the United States of America): a weak match, as for a subtitle
    if (
        len(short) >= 3
        and len(short) < len(long_) <= len(short) + 3
        and all(_abbreviates(sw, lw) for sw, lw in zip(short, long_, strict=False))
        and all(w in _PLACE_WORDS for w in long_[len(short) :])
    ):
        return max(80.0, float(fuzz.ratio(a, b)))
    score = float(fuzz.ratio(a, b))
    if score > 85.0 and any(not _place_or_meeting(w) for w in _unmatched_words(wa, wb)):
        # a long name shares most of its letters with another journal's that differs in one
        # word (``Journal of Pharmaceutical Sciences`` / ``Pharmacological``, ``J Pharm Sci`` /
        # ``J Pharmacol Sci``, the Journal of the American Medical [Women's] Association): a
        # word with no counterpart makes the two similar, never the same
        score = 85.0
    return score


def _name_words(name: str) -> list[str]:
    """A journal name's words without its little words (:data:`_ABBREV_WORDS`); an ``i`` at
    the end is a section's number (``Journal of Physics I``), not another language's "and"."""
    words = name.split()
    return [
        w
        for n, w in enumerate(words, 1)
        if w not in _ABBREV_WORDS or (w == "i" and n == len(words))
    ]


def _word_for_word(short: tuple[str, ...], long_: tuple[str, ...]) -> bool:
    """Each word of ``short`` abbreviates the word of ``long_`` in its place, in order, and
    every word of both is used; a compound may be one word on one side and two on the other
    (``Prog Neuropsychopharmacol`` / ``Progress in Neuro-Psychopharmacology``, ``Neuro
    Endocrinol Lett`` / ``Neuroendocrinology Letters``, ``Cardiothorac`` / ``Cardio-thoracic``).
    A compound's first part is a whole word of at least three letters, the other side's word
    begins with it, and the rest is abbreviated as one word is."""

    # a plain dict for the memo: a functools.cache made on each call cost more than the
    # search itself on the random pairs of the model's fit (~16,000 calls at 100k records)
    known: dict[tuple[int, int], bool] = {}

    def fits(i: int, j: int) -> bool:
        found = known.get((i, j))
        if found is None:
            found = known[(i, j)] = _fits(i, j)
        return found

    def _fits(i: int, j: int) -> bool:
        if i == len(short) or j == len(long_):
            return i == len(short) and j == len(long_)
        sw, lw = short[i], long_[j]
        if _abbreviates(sw, lw) and fits(i + 1, j + 1):
            return True
        if (
            j + 1 < len(long_)
            and len(lw) >= 3
            and len(sw) > len(lw)
            and sw.startswith(lw)
            and _abbreviates(sw, lw + long_[j + 1])
            and fits(i + 1, j + 2)
        ):
            return True
        return (
            i + 1 < len(short)
            and len(sw) >= 3
            and len(lw) > len(sw)
            and lw.startswith(sw)
            and _abbreviates(sw + short[i + 1], lw)
            and fits(i + 2, j + 1)
        )

    return fits(0, 0)


def _left_over(short: list[str], long_: list[str]) -> list[str]:
    """The words of ``long_`` around the run of words that is ``short``."""
    n = len(short)
    for i in range(len(long_) - n + 1):
        if long_[i : i + n] == short:
            return long_[:i] + long_[i + n :]
    return long_


def _place_or_meeting(word: str) -> bool:
    """A word that names no other journal when added to a journal's name: a place or an
    edition (``... of the United States of America``), a meeting's word, a year."""
    return word in _PLACE_WORDS or word.isdigit() or bool(_SUPPLEMENT_WORDS.fullmatch(word))


def _unmatched_words(wa: list[str], wb: list[str]) -> list[str]:
    """The words of either name that nothing in the other name matches: not the same word,
    not its abbreviation or full form, not the same word misspelt or in another spelling
    (``Jounal``, ``Paediatrics``, ``Disease``/``Diseases``)."""

    def matched(x: str, others: list[str]) -> bool:
        return any(
            x == y or _abbreviates(x, y) or _abbreviates(y, x) or fuzz.ratio(x, y) >= 85
            for y in others
        )

    return [x for x in wa if not matched(x, wb)] + [y for y in wb if not matched(y, wa)]


#: ISO 4 contractions that are not the start of their word, and the word's start they stand
#: for: a list, not a rule, since letters in order match other journals' words too
#: (``Psychol`` is in Psychopharmacology, ``Neurology`` in Neuropsychology)
_CONTRACTIONS = {
    "natl": "national",
    "intl": "international",
    "assn": "association",
    "dept": "department",
    "govt": "government",
    "mgmt": "management",
    "hlth": "health",
    "jpn": "japan",
    "dtsch": "deutsch",
    "wkly": "weekly",
    "jt": "joint",
    "yrbk": "yearbook",
    "geneeskd": "geneeskunde",
    # one letter stands for one word only: ``J Pediatr`` is not ``JAMA Pediatr``
    "j": "journal",
    "z": "zeitschrift",
    "n": "new",
    "s": "south",
    "w": "west",
    "e": "east",
    "q": "quarterly",
}


def _abbreviates(short: str, word: str) -> bool:
    """``short`` is ``word`` or an abbreviation of it: its start (``Proc``), or one of the
    contractions ISO 4 uses (``Natl`` for National). A start shorter than the word's own
    abbreviation abbreviates another word: ``Pharm`` (Pharmaceutical, Pharmacy) is not
    ``Pharmacol`` nor Pharmacological, ``Phys`` (Physics) is not ``Physiol``, ``Int``
    (International) is not ``Intern``(al)."""
    full = _CONTRACTIONS.get(short)
    if full is not None:
        return word.startswith(full) or word == short
    if word == short:
        return True
    # a word's start, but not the word in the singular (``Cancer`` / ``Cancers``)
    if not (word.startswith(short) and len(short) > 1 and word != short + "s"):
        return False
    return len(short) >= len(_own_abbreviation(word))


#: abbreviations (ISO 4's, Web of Science's) that begin with a shorter one for another word: the
#: shorter one (``Int``, International) is no abbreviation of a word that begins with the
#: longer (``Intern``, Internal; ``Res``, Research, is not ``Resp``, Respiratory)
_LONGER_ABBREVIATION = re.compile(r"^(?:intern(?!at)|resp|reprod|comput|genet|genom)")
#: an -ology word (``Pharmacology``, ``Physiologie``) or its ISO 4 abbreviation (``Pharmacol``):
#: the abbreviation keeps the letters up to ``-ol``. (Web of Science's cut to twenty letters,
#: ``J Clin Endocr Metab``, is then only similar to ``J Clin Endocrinol Metab``: ``Endocr`` is
#: also ISO 4's Endocrine.) Not ``School`` (``Sch``) nor ``Protocol`` (``Protoc``).
_OLOGY = re.compile(r"^(?!protocol)(.{2,}?[^o]ol)(?:og[a-z]*)?$")


def _own_abbreviation(word: str) -> str:
    """The shortest start of ``word`` that abbreviates it and no other word ("" when any
    start may), as far as :data:`_OLOGY` and :data:`_LONGER_ABBREVIATION` know it."""
    m = _OLOGY.match(word)
    if m is not None:
        return m.group(1)
    m = _LONGER_ABBREVIATION.match(word)
    return "" if m is None else m.group(0)


def _acronym_in(words: list[str], other: list[str]) -> bool:
    """Whether one of ``words`` spells ``other`` (three words or more) by the start of each
    word in turn: ``amcis`` = AMericas Conference Information Systems."""
    if len(other) < 3:
        return False
    # an acronym starts with the first word's first letter: most words are out at that
    initial = other[0][:1]
    for w in words:
        if len(w) >= 3 and w[0] == initial and w.isalpha() and w not in other and _spells(w, other):
            # the acronym's other words must say nothing the name lacks: a year or a
            # "proceedings" goes with a meeting's name, but ``BMJ Open`` is not the BMJ
            rest = [x for x in words if x != w and not x.isdigit() and x not in other]
            return all(_SUPPLEMENT_WORDS.fullmatch(x) for x in rest)
    return False


def _spelt_out(words: list[str]) -> bool:
    """Whether the first of ``words`` is an acronym of the rest (three words or more)."""
    return (
        len(words) >= 4
        and len(words[0]) >= 3
        and words[0].isalpha()
        and words[0] not in words[1:]
        and words[0][0] == words[1][0]
        and _spells(words[0], words[1:])
    )


def _spells(acronym: str, words: list[str]) -> bool:
    if not words:
        return not acronym
    if not acronym:
        return False
    head = words[0]
    # each word gives one letter or more of its start, in order
    return any(
        _spells(acronym[k:], words[1:])
        for k in range(min(len(head), len(acronym)), 0, -1)
        if acronym[:k] == head[:k]
    )


#: words an abbreviated journal name may leave off the end of the full one: a country or an
#: edition (``Proc Natl Acad Sci`` / ... ``of the United States of America``), never a subject
#: (``Am J Med`` is not the American Journal of Medical Genetics)
_PLACE_WORDS = frozenset(
    {
        "united",
        "states",
        "america",
        "usa",
        "u",
        "s",
        "a",
        "uk",
        "kingdom",
        "england",
        "edition",
        "ed",
        "online",
    }
)


_SUPPLEMENT_WORDS = re.compile(
    r"\b(?:conference|meeting|congress|symposium|supplement|suppl|abstracts?|proceedings)\b"
)


def _same(a: str, b: str) -> float | None:
    if not a or not b:
        return None
    return 100.0 if a == b else 0.0


def _same_place(a: Features, b: Features) -> bool:
    """One published item, whatever the exports call it: the same year, volume and first page
    (a conference abstract printed in a journal supplement, typed ``conference`` by one
    database and ``article`` by another), the same journal, year and volume where only one
    gives a page (and that page is no full paper's range in a regular issue), or the same
    journal, year and first page where only one gives a volume. A conference paper and its
    later journal version never share these."""
    if a.year is None or b.year is None or (a.volume and b.volume and a.volume != b.volume):
        return False
    if a.year != b.year:
        # the online year and the print year: one apart, with the same volume and first page
        # (an issue that both give agreeing) placing both
        return (
            abs(a.year - b.year) == 1
            and bool(a.volume and a.page)
            and a.volume == b.volume
            and a.page == b.page
            and not (a.local_pages or b.local_pages)
            and not (a.issue and b.issue and not a.issue & b.issue)
        )
    unplaced, placed = (a, b) if not (a.volume or a.page) else (b, a)
    if not (unplaced.volume or unplaced.page) and placed.printed_supplement and placed.volume:
        # a meeting's record that gives neither volume nor page (Embase's conference abstract,
        # typed as the meeting's) and an abstract the journal printed in its supplement that
        # year (``Suppl 1``, page ``S210``): one abstract when the meeting's record names that
        # journal. A paper in a regular issue is no supplement's, so it stays the meeting's
        # later paper
        similarity = container_similarity(a.container, b.container)
        return similarity is not None and similarity >= 90
    if not (a.volume and b.volume):
        # a volume on one side at most (an export that leaves a supplement's volume out): the
        # same first page of the same journal in that year places both, both in a supplement
        # or neither (page S123 of a supplement and page 123 of an issue are two places)
        if not (a.page and a.page == b.page) or a.printed_supplement != b.printed_supplement:
            return False
        similarity = container_similarity(a.container, b.container)
        return similarity is not None and similarity >= 90
    if a.page and a.page == b.page:
        # an article's own page 1 too: one item typed two ways by two exports, one of which
        # gave its first page only (``1`` / ``1-22``); a meeting's record and a journal's
        # article in one volume of one year with one title are rarely two items
        return True
    # one database gives the abstract's number as its page, the other no page at all: the
    # same journal's volume of that year still places both (a conference paper's later
    # journal version is in another year or another journal). Not when the paged record is a
    # paper's page range in a numbered regular issue: the meeting's abstract and the full
    # paper are printed in one volume when the paper follows within the year
    if a.page and b.page:
        return False
    paged = a if a.page else b
    if (
        paged.span
        and paged.issue
        and not paged.supplement
        and _span_length(paged.span) > 2
        # the unpaged record in that very issue is the paper, not a meeting's abstract
        and not (a.issue & b.issue)
    ):
        # a meeting abstract takes a page or two, even in a regular issue
        return False
    similarity = container_similarity(a.container, b.container)
    return similarity is not None and similarity >= 90


#: Where a record is printed, as :func:`place` reads it: volume (``year 2021`` when it has a
#: year and no volume), issue numbers, first page of a page range, and whether the range is the
#: article's own (``1-24``) rather than its place in the issue.
Place = tuple[str, tuple[str, ...], str, bool]


def place(record: Record) -> Place:
    """The record's volume, issue, first page and own-pages flag, as :func:`features` reads
    them (without the rest of its features); the first page only of a page range (``524-532``,
    not a lone number a citation's ``2, pp. 524-532`` leaves)."""
    pages = clean_pages(record.pages)
    span = page_span(pages)
    volume = volume_key(_clean(record.volume), record.year)
    if not volume and record.year is not None:
        volume = f"year {record.year}"  # a newsletter's issues of one year, numbered 1 to 12
    return (
        volume,
        tuple(sorted(_issue_of(record))),
        _page_key(first_page(pages)) if span else "",
        span.startswith("1-"),
    )


def placed_apart(places: Iterable[Place]) -> bool:
    """Whether two of ``places`` (the records of one title) are two items of one volume: the
    same volume (or the same year, neither with a volume), and issues or first pages that
    differ (an article's own page numbers against its place in the issue are no difference, as
    in :func:`pages_differ`). Volumes that differ are not counted: citations of one work give
    it several."""
    by_volume: defaultdict[str, list[Place]] = defaultdict(list)
    for p in sorted(set(places), key=str):
        if p[0]:
            by_volume[p[0]].append(p)
    for same_volume in by_volume.values():
        for k, (_, ia, pa, la) in enumerate(same_volume):
            for _, ib, pb, lb in same_volume[k + 1 :]:
                if ia and ib and not set(ia) & set(ib):
                    return True
                if pa and pb and pa != pb and la == lb:
                    return True
    return False


def same_first_page(a: Features, b: Features) -> bool:
    """The same first page, as a place in the issue: not an article's own page 1 (``1-12``, or
    ``1`` alone), which every article of an article-numbered journal has, so two different
    articles of one volume "agree" on it (and every instalment of a column numbered from 1)."""
    return bool(a.page) and a.page == b.page and not (a.local_pages or b.local_pages)


def pages_differ(a: Features, b: Features) -> bool:
    """Two first pages that place the records differently. An article's own page numbers
    (``1-24``) against its place in the issue (``661-684``) or its article number (``549``)
    is no disagreement: one database indexed it before its issue, the other after."""
    return bool(a.page and b.page and a.page != b.page and a.local_pages == b.local_pages)


def _online_first(early: Features, late: Features) -> bool:
    """The earlier-year record is an article indexed online before its issue: no volume and
    no place in an issue yet, where the later one has both. An annual conference series has
    no volume on either side, so it never looks like this; a preprint has no journal."""
    if early.volume or not late.volume or (early.page and not early.local_pages):
        return False
    if "conference" in (early.venue, late.venue):
        return False
    # in the same journal: a preprint (no journal) a year before its article is not this
    similarity = container_similarity(early.container, late.container)
    return similarity is not None and similarity >= 90


def cochrane_review(f: Features) -> bool:
    """A record of the Cochrane Database of Systematic Reviews, whose versions of one review
    share its number (``CD012345``) and title."""
    return f.container.startswith("cochrane database")


def year_explained(a: Features, b: Features, title: float) -> bool:
    """Whether two years that differ are one work's online and print years, or a slip in one
    export, rather than two works: the issue pins them together."""
    if a.year is None or b.year is None or a.year == b.year:
        return False
    gap = abs(a.year - b.year)
    same_volume = bool(a.volume) and a.volume == b.volume
    same_issue = bool(a.issue & b.issue)
    if cochrane_review(a) and cochrane_review(b) and not (same_volume and same_issue):
        # every version of a Cochrane review is published in an issue of its own year, under
        # one review number: a record of another year is another version (an update), which
        # neither a missing issue nor a volume an export made up explains
        return False
    if gap == 1:
        early, late = (a, b) if a.year < b.year else (b, a)
        if _online_first(early, late):
            return True
        issues_differ = bool(a.issue and b.issue) and not same_issue
        return same_volume and not issues_differ and not pages_differ(a, b)
    # further apart (a slip in one export, or an online-first year years before the issue's):
    # only a full page range in the same volume and issue outweighs the year (an issue one
    # export leaves out does not disagree)
    issue_agrees = same_issue or not (a.issue and b.issue)
    if not (title >= 95 and same_volume and issue_agrees and a.span and a.span == b.span):
        return False
    if not same_issue:
        # an issue on one record only: the same volume and pages of another journal (or of
        # a journal one record does not name) two years apart are another article's
        similarity = container_similarity(a.container, b.container)
        if similarity is None or similarity < 90:
            return False
    if a.local_pages:
        # pages counted from 1 (``1-14``) are any article's in an article-numbered journal:
        # online first at most three years before the issue, in the same journal
        similarity = container_similarity(a.container, b.container)
        return gap <= 3 and similarity is not None and similarity >= 90
    return True


def issue_explained(a: Features, b: Features, title: float) -> bool:
    """Whether two issue numbers that differ are a slip in one export rather than two items:
    the same year, volume and whole page range (not pages counted from 1 in each item) place
    both, and the titles agree."""
    return (
        title >= 95
        and a.year is not None
        and a.year == b.year
        and bool(a.volume)
        and a.volume == b.volume
        and bool(a.span)
        and a.span == b.span
        and not a.local_pages
        # an article's length, not a column's page or two: a journal that numbers each issue
        # from 1 prints its editor's notes on pages 3-4 issue after issue
        and _span_length(a.span) >= 5
        # nor the front of an issue, where such a journal prints its editor's column or a
        # recurring feature on the same pages in every issue, whatever its length or title:
        # there the same pages in two issues place nothing (a misprinted issue further in,
        # where articles' lengths make each issue's page ranges its own, still does)
        and _span_start(a.span) > _FRONT_PAGES
        # nor a short title one export lists more than once (a column, as the recurring-title
        # rule reads it); many databases carrying one article are no reason to doubt it
        and not ((a.recurring_title or b.recurring_title) and max(a.words, b.words) <= 4)
    )


def volume_explained(a: Features, b: Features, c: Comparison) -> bool:
    """Whether a volume (and with it the issue) that differs is one export filing the item
    under another issue rather than two items: the same journal, year and whole page range
    place both, the titles agree (95) and so do the authors. An article indexed online before
    its issue and given a provisional volume and issue, then indexed again once printed, keeps
    its pages in both records; two items of one journal on the same pages of two volumes of
    one year, under one title and by the same authors, are not met with. Held to
    :func:`issue_explained`'s range (an article's length, past an issue's front pages, where a
    journal numbering each issue from 1 prints its columns), and never for a short title or one
    that comes back in the library (a column)."""
    return (
        c.title >= 95
        and a.year is not None
        and a.year == b.year
        and bool(a.volume and b.volume)
        and a.volume != b.volume
        and bool(a.span)
        and a.span == b.span
        and not (a.local_pages or b.local_pages)
        and _span_length(a.span) >= 5
        and _span_start(a.span) > _FRONT_PAGES
        and c.levels[3] == 0
        and c.levels[1] in (0, 1)
        # a research article's title, not a column's few words (``Ward rounds in X``), which
        # the library may hold too seldom to show that it comes back
        and min(a.words, b.words) >= _ARTICLE_TITLE_WORDS
        and not (a.column_title or b.column_title)
    )


#: the fewest words of a title that two volumes may share as one article (see
#: :func:`volume_explained`)
_ARTICLE_TITLE_WORDS = 8


def _span_length(span: str) -> int:
    """How many pages a :func:`page_span` covers."""
    start, _, end = span.partition("-")
    return int(end) - int(start) + 1


def _span_start(span: str) -> int:
    return int(span.partition("-")[0])


#: an issue's front pages: its first printed section of sixteen, where the contents, the
#: editor's column and the news stand in the same place issue after issue
_FRONT_PAGES = 16


def _chapter_of(part: Features, whole: Features) -> bool:
    """``part`` is printed inside ``whole``: its container is the other's title (a book and
    one of its chapters, which some exports give the book's title and DOI)."""
    return (
        bool(part.container)
        and part.container == _LEADING_THE.sub("", whole.tkey)
        and part.tkey != whole.tkey
    )


def _same_print(a: Features, b: Features) -> bool:
    """One printed item: the same year, volume and page range (a real range, not an article's
    own pages). A commentary and the article it answers are never printed on the same pages,
    so a title that reads like one in one export only (``...: Commentary on: ...``) does not
    separate them. A title that starts or ends as a notice (``Erratum: ...``, ``...: author
    reply``) stays apart whatever the pages say."""
    return (
        a.year is not None
        and a.year == b.year
        and bool(a.volume)
        and a.volume == b.volume
        and bool(a.span)
        and a.span == b.span
        and not a.local_pages
    )


_TITLE_FILLER = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "for",
        "to",
        "with",
        "by",
        "at",
        "from",
        "as",
        "is",
        "are",
        "its",
        "their",
        "vs",
        "versus",
        "study",
        "studies",
        "review",
        "analysis",
    }
)


def _prefixed(
    w: str, o: str, w_title: Counter[str], o_title: Counter[str], first_words: Collection[str] = ()
) -> bool:
    """One word is the other with letters put in front: ``female``/``male``, ``women``/``men``,
    ``nonsmokers``/``smokers``, ``atypical``/``typical``: another meaning, however alike they
    look. Not so when the letters are a word of the shorter word's title (``high dimensional``
    run together as ``highdimensional``), or hold a ligature a PDF's text lost (``e cient``).
    One letter is another word only as the privative ``a`` before a consonant
    (``asymptomatic``) or the ``n`` of an acronym's "non" (``NSTEMI``/``STEMI``), and not
    when the shorter word opens its title (``first_words``), where a lost initial letter is
    the likelier reading; otherwise one letter is a typo
    (``ypertension``) or a spelling (British ``oestrogen``, ``aetiology``)."""
    if len(w) == len(o):
        return False
    (short, short_title), (long_, _) = sorted(((w, w_title), (o, o_title)), key=lambda x: len(x[0]))
    if not long_.endswith(short):
        return False
    added = long_[: len(long_) - len(short)]
    if len(added) == 1:
        return (
            added in "an"
            and len(short) >= 4
            and (added == "n" or short[0] not in "aeiouy")
            and short[0] != added  # a doubled letter, or a space shifted: ``expressio nnursing``
            and short not in first_words
            and added not in short_title
        )
    return added not in short_title and not any(lig in added for lig in ("ff", "fi", "fl"))


#: prefixes of opposite meaning: ``preoperative``/``postoperative``, ``inpatient``/``outpatient``
_OPPOSED_PREFIXES = (
    ("pre", "post"),
    ("hyper", "hypo"),
    ("intra", "extra"),
    ("inter", "intra"),
    ("sub", "supra"),
    ("under", "over"),
    ("in", "out"),
    ("uni", "bi"),
    ("mono", "poly"),
    ("micro", "macro"),
    ("homo", "hetero"),
    ("endo", "exo"),
    ("pro", "anti"),
    # a time or place against another (``intraoperative``/``preoperative``), and the Latin
    # "away"/"towards" (``abduction``/``adduction``, ``absorption``/``adsorption``)
    ("intra", "pre"),
    ("intra", "post"),
    ("ab", "ad"),
)


def _opposed(w: str, o: str) -> bool:
    """One word with a prefix, the other with its opposite, on the same stem."""
    for p, q in _OPPOSED_PREFIXES:
        for x, y in ((w, o), (o, w)):
            if x.startswith(p) and y.startswith(q) and x[len(p) :] == y[len(q) :]:
                return len(x) - len(p) >= 3
    return False


#: Greek letters as an export without them writes them (``IL-1b``, ``TNF-a``, ``ug``)
_GREEK_LATIN = {
    "alpha": "a",
    "beta": "b",
    "gamma": "g",
    "delta": "d",
    "epsilon": "e",
    "kappa": "k",
    "lambda": "l",
    "sigma": "s",
    "mu": "u",
}
_GREEK_BY_NUMBER = re.compile(r"(?<=\d)(" + "|".join(_GREEK_LATIN) + r")$")
#: a Greek letter's name inside a code (``nfkappab``, ``tgfbeta1``, ``abeta42``, ``epsilon4``):
#: at most four other characters beside it, so that English words keep their letters. Not
#: ``mu``, which too many words hold
_GREEK_IN_CODE = re.compile(
    r"^([a-z0-9]{0,4}?)(" + "|".join(g for g in _GREEK_LATIN if g != "mu") + r")([a-z0-9]{0,4})$"
)
#: short words that name nothing: a possessive's or a contraction's remains (``Crohn's``,
#: ``don't``) and two-letter function words
_SHORT_FILLER = frozenset(
    {"s", "t", "ll", "re", "ve", "be", "it", "if", "so", "up", "we", "do", "he", "me", "my", "am"}
)
#: words that turn the rest of a title into its opposite when one title has them and the other
#: does not (``non-small-cell``/``small-cell``, ``is not associated``, ``out-of-hospital``/
#: ``in-hospital``, ``without``/``with``)
_NEGATIONS = frozenset({"non", "not", "no", "without", "out", "anti", "never"})


def _latin(w: str) -> str:
    """A word as an export without Greek letters writes it: ``beta`` is ``b``, ``1beta`` is
    ``1b``."""
    found = _GREEK_LATIN.get(w)
    if found:
        return found
    m = _GREEK_IN_CODE.match(w)
    if m is not None and len(m.group(1)) + len(m.group(3)) <= 4 and (m.group(1) or m.group(3)):
        return m.group(1) + _GREEK_LATIN[m.group(2)] + m.group(3)
    return _GREEK_BY_NUMBER.sub(lambda m: _GREEK_LATIN[m.group(1)], w)


def _identifier(w: str) -> bool:
    """Letters and digits in one word (``T2DM``, ``G12C``, ``V600E``, ``HT1A``): a name, where a
    character more or less is another thing, never a typo."""
    return not w.isalpha() and not w.isdigit()


def _token(w: str) -> bool:
    """A word of one or two characters (``B``, ``UC``, ``1b``) or an identifier: one that tells
    works apart however much it looks like another."""
    return len(w) <= 2 or _identifier(w)


def _runs(words: list[str]) -> set[str]:
    """Two to four neighbouring words run together: ``u s`` gives ``us``, ``non small`` gives
    ``nonsmall``, as another export of the title writes them; and two words around a ligature
    a PDF's text lost (``e cient`` gives ``efficient``)."""
    out = {
        "".join(words[i:j])
        for i in range(len(words))
        for j in range(i + 2, i + 5)
        if j <= len(words)
    }
    out.update(x + lig + y for x, y in itertools.pairwise(words) for lig in _LIGATURES)
    return out


_LIGATURES = ("ff", "fi", "fl", "ffi", "ffl")


_WORD_AS_WRITTEN = re.compile(r"[^\W_]+")


def acronyms(*titles: str) -> frozenset[str]:
    """The words the titles write as acronyms, in lower case: capitals after the first letter
    (``UC``, ``HFpEF``, ``ApoE``), in a title not written in capitals throughout."""
    return frozenset().union(*(_acronyms_of(t) for t in titles))


@functools.lru_cache(maxsize=65536)
def _acronyms_of(title: str) -> frozenset[str]:
    """One title's acronyms, cached: each candidate pair asks for both titles', and a title
    has many candidates (Cora's citations: hundreds)."""
    letters = [c for c in title if c.isalpha()]
    if sum(c.isupper() for c in letters) * 2 > len(letters):
        return frozenset()
    return frozenset(
        fold(w) for w in _WORD_AS_WRITTEN.findall(title) if any(c.isupper() for c in w[1:])
    )


def _one_apart(w: str, o: str) -> bool:
    """Two short words (acronyms, five characters or fewer) with one character changed:
    ``HFpEF``/``HFrEF``, ``ApoE``/``ApoB``. Exports do not change letters in acronyms."""
    return len(w) == len(o) <= 5 and sum(x != y for x, y in zip(w, o, strict=True)) == 1


def _other_start(w: str, o: str) -> bool:
    """Words that end alike and start differently: ``maternal``/``paternal``,
    ``losartan``/``valsartan``, ``sitagliptin``/``saxagliptin``. A typo rarely hits a word's
    first letters, and a spelling that does adds a letter (``haemorrhage``/``hemorrhage``,
    ``caesarean``/``cesarean``, ``foetal``/``fetal``); a typo there changes one letter after
    the first (``ststematic``) or swaps two (``rpevalence``)."""
    n = 0
    while n < min(len(w), len(o)) and w[-1 - n] == o[-1 - n]:
        n += 1
    p, q = w[: len(w) - n], o[: len(o) - n]
    if n < 4 or not p or not q or len(p) > 4 or len(q) > 4 or sorted(p) == sorted(q):
        return False
    # one letter changed, added or dropped: a typo or a spelling, unless it is the first
    edits = Levenshtein.distance(p, q)
    return edits > 1 or (p[0] != q[0] and len(p) == len(q))


#: endings of clinical and pharmacological words, each naming another thing on one stem:
#: inflammation or a condition (``nephritis``/``nephrosis``, ``endometriosis``/
#: ``endometritis``), a tumour, an operation (``gastrectomy``/``gastrostomy``), a blood count
#: (``leukaemia``/``leukopenia``), a breakdown (``thrombolysis``/``thrombosis``), a steroid
#: (``prednisone``/``prednisolone``, ``cortisol``/``cortisone``, ``estradiol``/``estriol``).
#: Longest first: a word takes the longest it ends with. ``aemia`` is ``emia`` spelt British.
_CLINICAL_ENDING_WORDS = (
    "itis osis oma ectomy ostomy otomy oscopy plasty pexy pathy penia emia aemia lysis"
    " phagia phasia plasia trophy algia uria olone isone isol adiol iol"
)
_CLINICAL_ENDINGS = tuple(sorted(_CLINICAL_ENDING_WORDS.split(), key=len, reverse=True))


def _clinical_ending(w: str) -> tuple[str, str] | None:
    """``w`` as its stem and its clinical ending (:data:`_CLINICAL_ENDINGS`), or None."""
    for e in _CLINICAL_ENDINGS:
        if w.endswith(e) and len(w) - len(e) >= 2:
            return w[: len(w) - len(e)], "emia" if e == "aemia" else e
    return None


def _other_ending(w: str, o: str) -> bool:
    """Two clinical words (:data:`_CLINICAL_ENDINGS`) that end differently (``arthritis``/
    ``arthrosis``, ``colectomy``/``colostomy``), or that end alike
    on stems that differ by more than letters added (``carcinoma``/``sarcoma``,
    ``hepatoma``/``hematoma``): the shared ending makes two other words look like a typo.
    British spellings keep the ending and add a letter or two to the stem
    (``haematoma``/``hematoma``, ``leukaemia``/``leukemia``, ``oesophagitis``)."""
    x, y = _clinical_ending(w), _clinical_ending(o)
    if x is None or y is None:
        return False
    if x[1] != y[1]:
        return True
    short, long_ = sorted((x[0], y[0]), key=len)
    if len(long_) - len(short) > 2:
        return True
    # the longer stem is the shorter with letters added (``haemat``/``hemat``), not changed
    # (``hepat``/``hemat``, ``carcin``/``sarc``)
    it = iter(long_)
    return not all(c in it for c in short)


_BREAK_BEFORE = re.compile(r"(?:[:;.?!|(\[{—–]|\s-)\s*$")


def proper_nouns(*titles: str) -> frozenset[str]:
    """The words the titles write as proper nouns, in lower case: an initial capital inside a
    title in sentence case (``Austria``, ``Iraq``, ``Kras``), not its first word nor one that
    opens a subtitle. In a title in title case or in capitals every word looks like one."""
    return frozenset().union(*(_proper_of(t) for t in titles))


@functools.lru_cache(maxsize=65536)
def _proper_of(title: str) -> frozenset[str]:
    found = []
    lower = 0
    for m in _WORD_AS_WRITTEN.finditer(title):
        w = m.group(0)
        if m.start() == 0 or _BREAK_BEFORE.search(title[: m.start()]) or not w[0].isalpha():
            continue
        if w[0].isupper() and w[1:].islower() and len(w) >= 3:
            found.append(fold(w))
        elif w.islower() and len(w) >= 4:
            lower += 1
    # sentence case: more long words in lower case than capitalised ones
    if lower <= len(found):
        return frozenset()
    return frozenset(found)


def _alike(
    w: str,
    o: str,
    own: Counter[str],
    other: Counter[str],
    first_words: set[str],
    acronyms: Collection[str] = (),
    proper: Collection[str] = (),
) -> bool:
    """Whether ``o`` may be ``w`` as another export wrote it: a typo, a spelling, a word cut.
    Not two proper nouns (``proper``) that differ inside (``Austria``/``Australia``,
    ``Iran``/``Iraq``): exports do not respell names, beyond an umlaut (``Sjoegren``)."""
    if _latin(w) == _latin(o):
        return True
    if min(len(w), len(o)) <= 2:
        return False  # a letter or a two-letter acronym is alike only itself
    if _country(w) and _country(o):
        return _country(w) == _country(o)  # ``Turkiye`` is ``Turkey``; ``Niger`` not ``Nigeria``
    if _identifier(w) or _identifier(o):
        # a code with a character more is another code, not one cut short (``H2O2`` /
        # ``H2O``, ``HbA1c`` / ``HbA1``)
        return False
    if o.startswith(w) or w.startswith(o):
        return True
    return (
        fuzz.ratio(w, o) >= 75
        and not _prefixed(w, o, own, other, first_words)
        and not _opposed(w, o)
        and not ((w in acronyms or o in acronyms) and _one_apart(w, o))
        and not _other_start(w, o)
        and not _other_ending(w, o)
        and not ((w in proper or o in proper) and umlauts_written_out(w) != umlauts_written_out(o))
        and not _other_word(w, o)
    )


#: British and American spellings, and an INN's against a USAN's (``sulph``/``sulf``,
#: ``beclometasone``/``beclomethasone``, ``ciclosporin``/``cyclosporin``), brought to one form:
#: ``(pattern, replacement)``, applied in turn to both words
_SPELLINGS = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"gramme", "gram"),  # programme, kilogramme
        (r"ae|oe", "e"),  # haemorrhage, oesophagus, anaemia, foetal
        (r"ph", "f"),  # sulphate, cephalexin
        (r"th", "t"),  # beclometasone
        (r"y", "i"),  # ciclosporin, tyre, paralyse
        (r"z", "s"),  # randomized, hospitalization
        (r"k", "c"),  # leukaemia/leucaemia, skeptic, disk
        (r"our", "or"),  # tumour, behaviour, labour
        (r"ould", "old"),  # mould
        (r"([a-z])\1", r"\1"),  # modelling, enrolment, tonsillitis
        (r"(?<=[bcdfgtv])re$", "er"),  # centre, fibre, titre, litre, manoeuvre
        (r"ogue$", "og"),  # catalogue
        (r"nce", "nse"),  # defence, licence
        (r"eing$", "ing"),  # ageing
        (r"dgement", "dgment"),  # judgement
        (r"inium", "inum"),  # aluminium
        (r"^practis", "practic"),  # practise
        (r"^artef", "artif"),  # artefact
        (r"^enquir", "inquir"),  # enquiry
        (r"^grey", "gray"),
        (r"rn", "m"),  # a scan's text reads ``rn`` as ``m`` (``pattems``)
    )
)


#: words a letter apart that name other things, however like a typo they look: anatomy
#: (``ileum``/``ilium``, ``perineal``/``peroneal``, ``humeral``/``humoral``), diseases
#: (``rubella``/``rubeola``), animals, genes written in capitals (``NRAS``/``KRAS``), and
#: adjectives (``fetal``/``fecal``, ``viral``/``vital``). Each line is one set; any two of a set
#: are other words
_CONFUSABLE_SETS = (
    "ileum ilium ileus",
    "humeral humoral",
    "perineal peroneal",
    "ureteral urethral",
    "rubella rubeola",
    "rats cats bats",
    "mice lice",
    "nras kras hras",
    "braf craf araf",
    "anterior interior inferior",
    "dermal thermal",
    "fetal fecal",
    "natal nasal",
    "viral vital",
)


@functools.lru_cache(maxsize=65536)
def _spelling(w: str) -> str:
    """``w`` with the spellings of :data:`_SPELLINGS` brought to one form."""
    for rx, r in _SPELLINGS:
        w = rx.sub(r, w)
    return w


_CONFUSABLE = {_spelling(w): n for n, line in enumerate(_CONFUSABLE_SETS) for w in line.split()}


def _shared_ends(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    """How many items ``a`` and ``b`` share at their start, then at their end (the two runs
    never overlap within the shorter)."""
    n = min(len(a), len(b))
    head = 0
    while head < n and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < n - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def _other_word(w: str, o: str) -> bool:
    """Two words that are not one word spelt two ways, nor one with a slip of the keys: a
    letter added or dropped inside a short word (``insulin``/``inulin``, ``ureteral``/
    ``urethral``), two changes or more in any word (``hypoxia``/``hypoxaemia``,
    ``dopamine``/``dobutamine``, ``palpation``/``palpitation``), or one letter changed between
    words known to be confused (:data:`_CONFUSABLE_SETS`: ``ileum``/``ilium``, ``NRAS``/
    ``KRAS``). Exports of one record do not change its letters beyond that; they spell it the
    British or the American way (:data:`_SPELLINGS`), write an umlaut out, lose a ligature
    (``signicant``) or hold a typo: one letter for another (``unban``, ``prevalance``) or two
    swapped (``wroking``), which still pass."""
    x, y = _spelling(w), _spelling(o)
    if x == y or _spelling(umlauts_written_out(w)) == _spelling(umlauts_written_out(o)):
        return False
    short, long_ = sorted((x, y), key=len)
    if (len(w) == len(o) and OSA.distance(w, o) == 1) or (
        len(x) == len(y) and OSA.distance(x, y) == 1
    ):
        # one letter for another is a slip of the keys (``urban``/``unban``, two letters
        # swapped), except between words known to be confused (:data:`_CONFUSABLE`)
        group = _CONFUSABLE.get(x)
        return group is not None and group == _CONFUSABLE.get(y)
    # a ligature (``fi``, ``ffl``) a PDF's text lost inside the word
    raw_short, raw_long = sorted((w, o), key=len)
    if any(
        raw_long[:i] + raw_long[i + len(lig) :] == raw_short
        for lig in _LIGATURES
        for i in range(len(raw_long))
        if raw_long.startswith(lig, i)
    ):
        return False
    if OSA.distance(x, y) == 1:
        return min(len(w), len(o)) <= 8  # a letter added or dropped in a short word
    # two changes or more inside the word, its start and its end alike (``dopamine``/
    # ``dobutamine``, ``hypoxia``/``hypoxemia``); not another ending on one stem, which a
    # citation's wording changes (``technology``/``technologies``, ``projected``/``projective``)
    head, tail = _shared_ends(x, y)
    if not tail or (head < 2 and tail < 4):
        return False  # (another start on a long shared end: ``carbamazepine``/``oxcarbazepine``)
    # a short form that drops three letters or more from inside a word (``miRNA``/``microRNA``)
    cut = len(long_) - len(short)
    return not (len(short) <= 5 and cut >= 3 and long_[:head] + long_[head + cut :] == short)


#: names of countries and of the nations of the United Kingdom, which differ by a letter or
#: two or by an ending (``Niger``/``Nigeria``, ``Iran``/``Iraq``, ``Austria``/``Australia``,
#: ``Mali``/``Malawi``) in any case; a name with an alias (``Turkiye``) is read as its alias
_COUNTRY_WORDS = (
    "afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan"
    " bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia"
    " botswana brazil brunei bulgaria burundi cambodia cameroon canada chad chile china"
    " colombia comoros congo croatia cuba cyprus czechia denmark djibouti dominica ecuador"
    " egypt eritrea estonia eswatini ethiopia fiji finland france gabon gambia georgia germany"
    " ghana greece grenada guatemala guinea guyana haiti honduras hungary iceland india"
    " indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya kiribati"
    " kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein"
    " lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania"
    " mauritius mexico micronesia moldova monaco mongolia montenegro morocco mozambique"
    " myanmar namibia nauru nepal netherlands nicaragua niger nigeria norway oman pakistan"
    " palau palestine panama paraguay peru philippines poland portugal qatar romania russia"
    " rwanda samoa senegal serbia seychelles singapore slovakia slovenia somalia spain sudan"
    " suriname sweden switzerland syria taiwan tajikistan tanzania thailand togo tonga"
    " tunisia turkey turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu venezuela"
    " vietnam yemen zambia zimbabwe england scotland wales"
)
_COUNTRIES = frozenset(_COUNTRY_WORDS.split())
_COUNTRY_ALIASES = {"turkiye": "turkey", "swaziland": "eswatini", "burma": "myanmar"}


def _country(w: str) -> str:
    """``w`` as the country it names (:data:`_COUNTRIES`), or ""."""
    w = _COUNTRY_ALIASES.get(w, w)
    return w if w in _COUNTRIES else ""


def _other_country(w: str, o: str) -> bool:
    """Two words that name two countries (:data:`_COUNTRIES`)."""
    x, y = _country(w), _country(o)
    return bool(x and y and x != y)


def umlauts_written_out(w: str) -> str:
    """A name with its umlauts as written without them: ``Sjoegren`` is ``Sjogren``."""
    return w.replace("ae", "a").replace("oe", "o").replace("ue", "u")


#: the words that set two things against each other in a title (``X versus Y``)
_AGAINST = frozenset({"versus", "vs", "v"})
_AGAINST_PHRASE = re.compile(r"\b(?:versus|vs|v|compared (?:with|to)|against)\b")


def sides_swapped(a: str, b: str) -> bool:
    """Two title keys with the same words that set two things against each other in turn
    (``Once-daily versus twice-daily X`` / ``Twice-daily versus once-daily X``): a trial or
    a comparison the other way round, or one title typed so; no export reorders a title."""
    if a == b or not (_AGAINST_PHRASE.search(a) and _AGAINST_PHRASE.search(b)):
        return False
    wa = ["versus" if w in _AGAINST else w for w in a.split()]
    wb = ["versus" if w in _AGAINST else w for w in b.split()]
    return wa != wb and sorted(wa) == sorted(wb)


def substituted_words(
    a: str,
    b: str,
    one_sided: bool = True,
    acronyms: Collection[str] = (),
    proper: Collection[str] = (),
) -> tuple[str, str] | None:
    """A word in each title that the other lacks, with nothing like it there: one series
    title filled in with two different topics (``... assessment: invasives topic`` and ``...
    assessment: fire topic``), drugs or places, rather than one title exported twice (a typo,
    a spelling, a word cut off or added). Returns one such word from each side.

    Letters and short acronyms count (hepatitis ``B``/``C``, ``UC``/``CD``), as do
    identifiers (``T1DM``/``T2DM``); roman numerals are read as digits (``type II`` is ``type
    2``), which the numbers rule compares. ``one_sided``: also a negation that only one title
    has (``non-small-cell``/``small-cell``), returned against ``""``; not when one title is
    the other cut at its end, where what the other goes on with was cut off (a word before
    the other title is no cut: ``Non-invasive ventilation ...``). ``acronyms``: the words
    either title writes as one (``HFpEF``, ``ApoE``), where one letter changed is another
    thing (``HFrEF``, ``ApoB``) rather than a typo; a word in lower case or in a title in
    capitals may be a typo (``unban``/``urban``). ``proper``: the words either title writes as
    proper nouns (``Austria``/``Australia``), which no export respells. Also, when
    ``one_sided``, a word that one title has inside it and the other lacks
    (:func:`inserted_word`: ``... in older adults in ...`` / ``... in adults in ...``)."""
    sa, sb = roman_as_digits(a).split(), roman_as_digits(b).split()
    wa, wb = Counter(sa), Counter(sb)
    first_words = {s[0] for s in (sa, sb) if s}

    def counts(w: str) -> bool:
        if w.isdigit() or w in _TITLE_FILLER or w in _SHORT_FILLER:
            return False
        return len(w) >= 3 or any(c.isalpha() for c in w)

    da, db = wa - wb, wb - wa
    only_a, only_b = [w for w in da if counts(w)], [w for w in db if counts(w)]
    # "a" is an article unless the other title has a letter in its place (vitamin A / D)
    if "a" in da and any(len(w) == 1 for w in only_b):
        only_a.append("a")
    if "a" in db and any(len(w) == 1 for w in only_a):
        only_b.append("a")

    def unmatched(
        words: list[str],
        others: list[str],
        own_seq: list[str],
        other_seq: list[str],
        own: Counter[str],
        other: Counter[str],
    ) -> list[str]:
        # the other title's words run together, those it has that this one lacks (``sage
        # grouse`` for ``sagegrouse``): not its shared words, whose letters hold many a short
        # word (``one`` in ``telephone``, ``liver`` in ``delivery``, ``men`` in ``treatment``)
        joined = "".join(other - own)
        runs: tuple[set[str], list[str]] | None = None  # built for the first token only
        out = []
        for w in words:
            lw = _latin(w)
            if _token(lw):
                # a letter or code the other title writes joined to a neighbour (``3-D`` as
                # ``3D``, ``IL-1 beta`` as ``IL-1b``) or split (``U.S.`` as ``US``)
                if runs is None:
                    # a run of this title's words the other title writes as one word it has
                    # more often than this title does: ``u s`` for ``us``, but not ``alpha
                    # trial`` (``a trial``) for an ``atrial`` both titles have
                    latin_other = [_latin(x) for x in other_seq]
                    latin_own = [_latin(x) for x in own_seq]
                    other_count, own_count = Counter(latin_other), Counter(latin_own)
                    runs = (
                        _runs(latin_other),
                        [r for r in _runs(latin_own) if other_count[r] > own_count[r]],
                    )
                other_runs, own_runs = runs
                present = w not in other and (lw in other_runs or any(lw in r for r in own_runs))
            else:
                # a word the other title has once less ("fire management ... fire topic"),
                # or not at all, even run together ("sage grouse" / "sagegrouse")
                present = not (
                    w in other
                    or w not in joined
                    or any(_prefixed(w, o, own, other, first_words) for o in others)
                    or any(_other_country(w, o) for o in others)
                )
            if not present and not any(
                _alike(w, o, own, other, first_words, acronyms, proper) for o in others
            ):
                out.append(w)
        return out

    if only_a and only_b:
        left = unmatched(only_a, only_b, sa, sb, wa, wb)
        right = unmatched(only_b, only_a, sb, sa, wb, wa)
        if left and right:
            return sorted(left)[0], sorted(right)[0]
    coded = _letters_in_code(sa, sb) or _subtype_letters(sa, sb) or _function_word_replaced(sa, sb)
    if coded:
        return coded
    short, long_ = sorted((a, b), key=len)
    if one_sided and not long_.startswith(short + " "):
        for own_seq, other_seq, extra in ((sa, sb, da), (sb, sa, db)):
            other_set = set(other_seq)
            for w in sorted(set(extra) & _NEGATIONS):
                # each negation the other title writes joined (``nonsmall cell``) or as a
                # number's abbreviation (``No. 3``) is explained; one more than the other title
                # has apart is another meaning (``Non-alcoholic ... non-ST`` against
                # ``Nonalcoholic ... non-ST`` has one ``non`` more, explained by the join)
                explained = 0
                for i, x in enumerate(own_seq):
                    if x != w:
                        continue
                    after = own_seq[i + 1] if i + 1 < len(own_seq) else ""
                    if (w == "no" and after[:1].isdigit()) or any(
                        "".join(own_seq[i:j]) in other_set for j in range(i + 2, i + 5)
                    ):
                        explained += 1
                if explained < extra[w]:
                    return (w, "") if own_seq is sa else ("", w)
        inserted = inserted_word(sa, sb)
        if inserted:
            return (inserted, "") if len(sa) > len(sb) else ("", inserted)
    return None


def _letters_in_code(sa: list[str], sb: list[str]) -> tuple[str, str] | None:
    """The titles word for word alike but in one place, where one has a number and the other
    a code of that number with letters (``PD-1``/``PD-L1``, ``IL-1``/``IL-1R``, ``type 2``/
    ``type 2a``): another molecule or subtype. The two codes, or None."""
    if len(sa) != len(sb):
        return None
    diff = [(i, x, y) for i, (x, y) in enumerate(zip(sa, sb, strict=True)) if x != y]
    if len(diff) != 1 or not diff[0][0]:
        return None  # not an abstract's number that opens the title (``PO123:`` / ``123.``)
    _, x, y = diff[0]
    for num, code in ((x, y), (y, x)):
        if num.isdigit() and _identifier(code) and "".join(_NUMBER.findall(code)) == num:
            return x, y
    return None


#: function words (a preposition, an article, a conjunction) that one title may have where the
#: other has a word of :data:`_RELATION_WORDS`; not ``from``, which ``after`` often stands for
#: in one paper's two titles (``recovery from`` / ``after system crashes``)
_FUNCTION_WORDS_LIST = "a an the and or of in on at for to with by"
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_LIST.split())
#: words of another time, state or side than a function word's: ``in pregnancy`` / ``after
#: pregnancy``, ``on`` / ``off treatment``, ``in`` / ``outside hospital``, ``the case for`` /
#: ``against``. A closed list: a preposition of much the same sense (``on`` / ``over``, ``in`` /
#: ``under``, ``by`` / ``through``) is one paper's wording, in two versions of its title
_RELATION_WORDS_LIST = "after before during following prior outside off against beyond until since"
_RELATION_WORDS = frozenset(_RELATION_WORDS_LIST.split())


def _function_word_replaced(sa: list[str], sb: list[str]) -> tuple[str, str] | None:
    """The titles word for word alike but in one place, where one has a function word and the
    other a word of another time, state or side (:data:`_RELATION_WORDS`): ``in pregnancy`` /
    ``after pregnancy``, ``on treatment`` / ``off treatment``, ``the case for`` / ``the case
    against``; or ``and`` where the other has ``or``. The other rules missed it because
    function words never count as a title's words. Not a typo of the function word (``of`` /
    ``off``). The two words, or None."""
    if len(sa) != len(sb):
        return None
    diff = [(x, y) for x, y in zip(sa, sb, strict=True) if x != y]
    if len(diff) != 1:
        return None
    x, y = diff[0]
    if (
        (x in _FUNCTION_WORDS and y in _RELATION_WORDS)
        or (y in _FUNCTION_WORDS and x in _RELATION_WORDS)
    ) and OSA.distance(x, y) > 1:  # (not a typo: ``of`` / ``off``)
        return x, y
    if {x, y} == {"and", "or"}:
        # both things, or either (``depression and anxiety`` / ``depression or anxiety``):
        # another question, which no export's retyping makes of the other
        return x, y
    return None


def _with_letters_joined(words: list[str]) -> tuple[list[str], set[int]]:
    """The words with each lone letter joined to the word before it (``gaba a`` as ``gabaa``),
    and the places where a letter was joined."""
    out: list[str] = []
    joined: set[int] = set()
    for w in words:
        if len(w) == 1 and w.isalpha() and out and out[-1].isalpha():
            out[-1] += w
            joined.add(len(out) - 1)
        else:
            out.append(w)
    return out, joined


def _subtype_letters(sa: list[str], sb: list[str]) -> tuple[str, str] | None:
    """The titles word for word alike but for a subtype's letter, which one export writes
    apart from its word and the other joined to it: ``GABA(A)`` (read ``gaba a``) against
    ``GABAB``, ``vitamin-A`` against ``VitaminD``. Joined on both sides, the two words differ
    in their last letter only; read word by word, one title has two words where the other has
    one, and the letter looked like a typo's. The two subtypes, or None (``GABA(A)`` against
    ``GABAA`` is one subtype written two ways)."""
    ja, at_a = _with_letters_joined(sa)
    jb, at_b = _with_letters_joined(sb)
    if len(ja) != len(jb):
        return None
    diff = [i for i, (x, y) in enumerate(zip(ja, jb, strict=True)) if x != y]
    if len(diff) != 1:
        return None
    i = diff[0]
    x, y = ja[i], jb[i]
    if (i in at_a) == (i in at_b):
        return None  # both apart (``gaba a`` / ``gaba b``) or both joined: the other rules' case
    if len(x) == len(y) >= 3 and x[:-1] == y[:-1] and x[-1].isalpha() and y[-1].isalpha():
        return x, y
    return None


def inserted_word(sa: list[str], sb: list[str]) -> str:
    """A word (one to three words) that the longer title has inside it and the shorter lacks,
    the rest word for word alike: ``... in pregnant women ...`` / ``... in women ...``,
    ``... in South Sudan: ...`` / ``... in Sudan: ...``, ``... metastatic breast cancer ...`` /
    ``... breast cancer ...``. Another population, place or stage, where an export of one
    record cuts words only at the end (or the start), never from inside. Not function words,
    numbers (which the numbers rule weighs), nor words of three letters or fewer (a synonym
    after a slash: ``HER2/neu``), not a sign in words after a number (``65 years or older``
    for ``>=65 years``), not an acronym spelt out beside it
    (``tranexamic acid TXA``), and not words naming a report (``protocol for``), which
    :func:`other_report` weighs. Returns the first such word, or ""."""
    short, long_ = sorted((sa, sb), key=len)
    extra = len(long_) - len(short)
    if not 1 <= extra <= 3:
        return ""
    p, s = _shared_ends(short, long_)
    if p + s != len(short) or not p or not s:
        return ""
    words = long_[p : p + extra]
    if report_kinds(" ".join(words)) and _other_kinds(" ".join(short), " ".join(long_)):
        # another report of the study (``protocol for``): :func:`other_report`. Not a word
        # that names a report only at a title's start or end (``summary``, ``rationale``)
        # standing inside it: ``automatic summary tables`` / ``automatic tables``
        return ""
    if words[0] in ("or", "and") and any(c.isdigit() for w in long_[max(0, p - 2) : p] for c in w):
        return ""  # a sign in words: ``aged >=65 years`` / ``aged 65 years or older``
    # a word the shorter title has elsewhere counts when ``and``/``or`` joins it on: another
    # place or group beside the first (``South Sudan and Sudan`` / ``South Sudan``)
    joined_on = any(w in ("and", "or") for w in words)
    # (joined on, a word of three letters counts too: ``in men and women`` / ``in women``)
    content = [
        w
        for w in words
        if w.isalpha()
        and len(w) >= (3 if joined_on else 4)
        and w not in _TITLE_FILLER
        and (joined_on or w not in short)
    ]
    if not content:
        return ""
    # an acronym and the words it stands for, one of them added (``tranexamic acid (TXA)``)
    for w in content:
        i = long_.index(w)
        before, after = long_[max(0, i - 6) : i], long_[i + 1 : i + 7]
        if any(_spells(w, before[k:]) for k in range(len(before) - 1)) or any(
            _spells(w, after[:k]) for k in range(2, len(after) + 1)
        ):
            return ""
    return content[0]


#: Words that say which language a title is in: one set's words are common in English titles
#: and rare in others, the other set's the reverse (German, French, Spanish, Italian,
#: Portuguese, Dutch, Scandinavian). Words both use (``de``, ``en``, ``in``, ``a``) are in neither.
_ENGLISH = (
    "the of and for with on to from by after among between during versus are its their using "
    "effect effects analysis review risk outcomes treatment children women people care health "
    "study trial"
)
#: only words no English title uses (not ``il``, ``do``, ``per``, ``la``, ``von``, ``met``, ``an``)
_OTHER = (
    "und der dem zur zum eine einer einem bei nach aus fur uber "
    "les une pour chez dans sur avec aux "
    "las del por una della delle degli nel nella uma het een bij voor och"
)
_ENGLISH_WORDS, _OTHER_WORDS = frozenset(_ENGLISH.split()), frozenset(_OTHER.split())


def title_language(tkey: str) -> str:
    """``english``, ``other`` or ``""`` (cannot tell), from a title key's function words: two
    different titles that share a DOI and a place are a translation when their languages
    differ, and two works of one container otherwise."""
    words = set(tkey.split())
    english, other = len(words & _ENGLISH_WORDS), len(words & _OTHER_WORDS)
    if english and not other:
        return "english"
    if other >= 2 and not english:
        return "other"  # two of them: one could be an abbreviation or a name
    return ""


_NUMBERED = re.compile(r"^\d+ ")


def _number_on_one_side(a: Features, b: Features) -> bool:
    """A number one title has and the other lacks (``ACE2``/``ACE``, ``SARS-CoV-2``/``SARS-CoV``,
    ``Complex III``/``Complex``): exports of one record keep its numbers, so this is as likely
    another work. Not when one title is the other cut (at a break, or at a length, which the
    rule on titles that go on in plain words weighs): the number went with the part cut off.
    Nor when the other title writes it as a word (``2-year``/``two-year``) or inside a code,
    when it only numbers a section (``21 Health effects of ...``), or when the other reading
    of a bracketed title agrees; nor when a shared DOI or PMID, or the same year, volume and
    first page, make the two one item whatever an export did to its title (a subscript lost:
    ``CO2``)."""
    if (a.doi and a.doi == b.doi) or (a.pmid and a.pmid == b.pmid):
        return False
    if a.year == b.year and a.volume and a.volume == b.volume and same_first_page(a, b):
        return False
    some, none = (a, b) if a.numbers else (b, a)
    if _NUMBERED.sub("", some.tkey) == none.tkey:
        return False
    words = set(none.tkey.split())
    # in words, or glued to a letter that title_numbers does not read (``TGF-b1``, ``1c``)
    spelt = {str(v) for k, v in _NUMBER_WORDS.items() if k in words}
    spelt.update(n for w in words if _identifier(w) for n in _NUMBER.findall(w))
    if some.numbers <= spelt:
        return False
    if any(
        title_numbers(x) == title_numbers(y)
        for x in (a.tkey, *a.alt_tkeys)
        for y in (b.tkey, *b.alt_tkeys)
    ):
        return False
    return not title_similarity(a.tkey, b.tkey, a.title, b.title)[1]


#: words that name another report of a study than its main one: the protocol, the design
#: paper, a secondary analysis, a follow-up, an extension, a pilot, an economic or a process
#: evaluation. Such a report shares the title, authors, journal and often the year of the main
#: one, and tells itself apart only by these words; a database that drops a subtitle drops a
#: design label (``a randomised controlled trial``, ``a cohort study``), which names the same
#: report and so is not listed.
_REPORT_KINDS = tuple(
    (kind, re.compile(rf"\b(?:{words})\b"))
    for kind, words in (
        ("protocol", r"protocols?"),
        (
            "design",
            r"rationale and (?:study |trial )?design|(?:study |trial )?design and rationale"
            r"|design and methods?|methods and design"
            # or a study's design or methods as the title's last words (``X: study design``,
            # ``X: trial methods``), or its rationale (``X: rationale``): the design paper
            # beside the trial's results. Not ``design`` or ``methods`` alone, the last word of
            # many a title of its own (``... physical database design``, ``N-body methods``)
            r"|(?:study|trial) (?:design|methods|methodology)$|rationale$",
        ),
        # a trial's statistical (or health economic) analysis plan, printed before its results
        # under the trial's title (``X: statistical analysis plan``)
        ("analysis plan", r"analysis plans?"),
        # a cohort's description for others to use (``Cohort profile: X``), beside its findings
        ("profile", r"cohort profile|data resource profile"),
        ("intervention development", r"intervention development"),
        ("baseline", r"baseline (?:characteristics|data|results|findings)"),
        (
            "secondary analysis",
            r"(?:secondary|post ?hoc|exploratory|subgroup|ancillary) analys[ie]s|post ?hoc"
            # a re-analysis of the trial's data, a sub-study of its participants
            r"|re ?analys[ie]s|sub ?stud(?:y|ies)",
        ),
        # a follow-up report named by its time (``X: 1-year results``, ``5-year outcomes``)
        (
            "follow-up",
            r"follow ?ups?|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve"
            r"|fifteen|twenty) (?:years?|months?|weeks?) (?:results|outcomes|findings|data)"
            # or with its time after it (``X: results at 2 years``, ``X: ten years on``)
            r"|(?:results|outcomes|findings|data) (?:at|after) (?:\d+|one|two|three|four|five"
            r"|six|seven|eight|nine|ten|twelve|fifteen|twenty) (?:years?|months?|weeks?)"
            r"|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty)"
            r" (?:years?|decades?) (?:on|later)$",
        ),
        ("extension", r"extension (?:study|studies|trial|phase|period)|open label extension"),
        ("pilot", r"pilot"),
        # a study that repeats another (``X: a replication study``): a new study, its title
        # the first's
        ("replication", r"replication (?:study|studies|trial)|a replication$|replicated$"),
        # the main report of a trial named so (``X: primary outcomes``), beside its baseline,
        # protocol or other reports under the trial's name
        (
            "primary",
            r"(?:primary|main) (?:outcomes?|results?|findings|endpoints?|analys[ie]s)",
        ),
        # an abstract of a trial still running (``Trial in progress: X``), beside its results
        ("in progress", r"trials? in progress"),
        # a protocol's amendment, printed after the protocol under its title
        ("amendment", r"amendments?"),
        # a team's companion paper under the title of its first (``X: a companion paper``,
        # ``X (second of two papers)``)
        (
            "companion",
            r"companion (?:papers?|articles?)|(?:first|second|third) of (?:two|three)"
            r" (?:papers|articles|parts|reports)",
        ),
        # a work printed again elsewhere (``Reprint of: X``, ``X [reprint]``): arguably the
        # same work, but another printing; a person decides
        ("reprint", r"reprints?|reprinted"),
        ("feasibility", r"feasibility"),
        ("process evaluation", r"process evaluations?"),
        (
            "economic evaluation",
            r"cost ?(?:effectiveness|utility)|economic (?:evaluations?|analys[ie]s)",
        ),
        # a review's or a guideline's later version, and a guideline's short version printed
        # beside it (often in the same journal and year, by the same authors): ``an update``,
        # ``updated review``, and ``update`` or ``updated`` on its own too (``X: update``, ``X
        # (2019 update)``, ``X: updated``), a revision, ``X revisited``, which merged where a
        # record without a year left the year rule nothing to weigh. Not ``updates``, a title's
        # topic more often than a report (``... for batch updates``); one export's ``file
        # update`` and the other's ``file updates`` are one title (:func:`other_report`)
        (
            "update",
            r"an update|update on|updated (?:review|guidelines?|recommendations?|evidence"
            r"|version|edition|systematic review|meta analys[ie]s|analys[ie]s)"
            r"|^updated? |update of|updated?$|\d+ update|update \d+|review update"
            r"|revised(?: (?:version|guidelines?|recommendations?))?$|revision of|revisited",
        ),
        # a later or another edition (``second edition``, ``2nd ed``, ``new edition``, a
        # journal's ``Chinese edition``): another printing of the work, for a person to see
        # (and a guideline's translation printed as its own item: ``X [Chinese version]``)
        (
            "edition",
            r"editions?|(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth|new|rev) ed$"
            r"|(?:chinese|japanese|korean|spanish|french|german|italian|portuguese|russian"
            r"|arabic|persian|turkish|polish) (?:version|translation)",
        ),
        # a guideline's or a report's short form printed beside it, often in the same journal
        # and year by the same authors: an abridged, short or pocket version, its key
        # recommendations, a quick reference guide. Not ``summary`` alone, a panel's own
        # report as often (``X (panel summary)``)
        (
            "summary",
            r"executive summary|synopsis|summary (?:version|of (?:the )?recommendations)"
            r"|(?:abridged|short|shortened|pocket|condensed) (?:version|guide|guideline|edition)s?"
            r"|pocket guide|quick reference guide|(?:key|main) recommendations$"
            # or ``summary`` alone opening or ending the title (``X: summary``, ``Summary: X``):
            # not in a panel's title, whose summary is the panel's own report (``X (panel
            # summary)``, ``Panel: X (summary)``)
            r"|^summary (?!.*\bpanel\b)|^(?!.*\bpanel\b)(?:.* )?summary$|^abridged |abridged$",
        ),
        # the full version of a report printed beside its summary (``X: full report``)
        ("full report", r"full (?:reports?|versions?|texts?)$"),
        # a trial's earlier or later look at its data: an interim analysis, then the final one
        (
            "interim",
            r"(?:interim|preliminary) (?:results?|reports?|findings|data|analys[ie]s)",
        ),
        ("final", r"final (?:results?|reports?|findings|data|analys[ie]s)"),
        ("long term", r"long ?term (?:results?|outcomes?|findings|data|effects?)"),
    )
)


@functools.lru_cache(maxsize=65536)
def report_kinds(tkey: str) -> frozenset[str]:
    """The kinds of report (:data:`_REPORT_KINDS`) a title key names, cached: every candidate
    pair asks it of both titles, and a title has many candidates."""
    return frozenset(kind for kind, rx in _REPORT_KINDS if rx.search(tkey))


#: an article at a title key's start, which one export writes and another leaves off
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an) (?=\S)")

#: words a title does not end on: a title that does was cut at a length, mid-phrase
_DANGLING_WORDS = "a an the and or of in on for to with by at from versus vs"
_DANGLING = frozenset(_DANGLING_WORDS.split())


_REPORT_KIND = dict(_REPORT_KINDS)


def _other_kinds(a: str, b: str) -> bool:
    """One title key names a kind of report (:data:`_REPORT_KINDS`) the other does not, by
    words the other lacks: ``... bibliography update`` read as an update at the title's end
    is the same words in ``... bibliography update temporal databases``."""
    ka, kb = report_kinds(a), report_kinds(b)
    for kind in ka ^ kb:
        has, other = (a, b) if kind in ka else (b, a)
        m = _REPORT_KIND[kind].search(has)
        if m is None or f" {m.group(0).strip()} " not in f" {other} ":
            return True
    return False


def _singular(tkey: str) -> str:
    """A title key with each word's final ``s`` left off."""
    return " ".join(w[:-1] if w.endswith("s") else w for w in tkey.split())


def other_report(a: Features, b: Features) -> bool:
    """One title names a kind of report the other does not (``X`` / ``X: study protocol``,
    ``X: a randomised trial`` / ``X: protocol for a randomised trial``): two reports of one
    study. Not so when one printed place holds both (the same volume and first page, years at
    most one apart, or the same year, volume and issue with one title the other's start: a
    protocol and its results are never on the same pages nor in one issue), or when the
    shorter title is the other cut at a length (it ends mid-phrase, ``... for obesity and``):
    such a cut drops whatever words come last, not a subtitle naming a report."""
    if not _other_kinds(a.tkey, b.tkey) or _singular(a.tkey) == _singular(b.tkey):
        # (one title with a word in the plural, ``file updates`` / ``file update``, is one title)
        return False
    short, long_ = sorted((a.tkey, b.tkey), key=len)
    if (
        a.year is not None
        and a.year == b.year
        and a.volume
        and a.volume == b.volume
        and a.issue
        and a.issue == b.issue
        and long_.startswith(short + " ")
    ):
        # one issue of one volume: a pilot study's record without its subtitle (``...: results
        # of a pilot study``)
        return False
    if (
        a.volume
        and a.volume == b.volume
        and same_first_page(a, b)
        and (a.year is None or b.year is None or abs(a.year - b.year) <= 1)
    ):
        return False
    return not (long_.startswith(short + " ") and short.rsplit(" ", 1)[-1] in _DANGLING)


#: words of a journal's standing items (``Editorial``, ``In this issue``, ``Letter to the
#: editor``, ``President's message``): a short title made of them alone names no work, and two
#: such items by one editor in one journal and year agree on everything but their place
_GENERIC_WORDS = (
    "a an the to of in on from for and this our s issue issues editor editors editorial"
    " editorials introduction foreword preface commentary comment comments reply replies"
    " response responses letter letters correspondence news message president presidents"
    " abstracts abstract correction corrections erratum errata corrigendum note notes notice"
    " announcement announcements contents index highlights welcome guest invited book books"
    " review reviews acknowledgement acknowledgements acknowledgment acknowledgments reviewers"
    " obituary memoriam viewpoint opinion perspective column update summary preview author"
    " authors"
)
_GENERIC_TITLE_WORDS = frozenset(_GENERIC_WORDS.split())


#: words of a title that comes out every year (or quarter): ``annual report``, ``year in review``
_PERIODIC = re.compile(
    r"\b(?:annual|annually|yearly|biennial|biannual|quarterly|year in review|of the year)\b"
)


#: notices titled after the work they answer, correct or go with (all but an instalment's
#: ``continued``, whose title is the article's own)
_REMARKS = frozenset(
    {
        "comment",
        "reply",
        "erratum",
        "retraction",
        "peer review",
        "supplement",
        "dataset",
        "media",
        "summary",
        "answer",
    }
)


#: a title that names a session of a meeting's programme (``Poster session 3: heart failure``,
#: ``Oral presentations``, ``Free papers 2``, ``Symposium 12: ...``), as a database gives a
#: supplement's abstract the heading it was printed under: every abstract of that session
#: shares it, so the title says nothing of which abstract the record is
_SESSION_HEADING = re.compile(
    r"^\W*(?:(?:[a-z]+[ -]){0,2}(?:sessions?|symposium|symposia|workshop)"
    r"|(?:moderated |guided |electronic |e-?|short |rapid fire |best )?(?:posters?|oral)"
    r" (?:presentations?|communications?|abstracts?|sessions?|discussions?|tours?|walks?)"
    r"|(?:e-?)?posters?|free (?:papers?|communications?)|late[- ]breaking abstracts?)"
    # its number, then the title's end or a break: ``Workshop-based training``, ``Symposium on
    # X`` are titles of their own
    r"(?:\s+[a-z]?[-.]?\d+[a-z]?|\s+[ivx]+)?\s*(?:$|[:.;]|\s[-\u2013\u2014]\s|[\u2013\u2014])"
)


def session_heading(written: str) -> bool:
    """Whether a written title opens with a meeting session's name (:data:`_SESSION_HEADING`)
    alone or before a break (kept in :attr:`Features.session`, made once per record)."""
    return _SESSION_HEADING.match(fold(written)) is not None


def periodic_title(tkey: str) -> bool:
    """A title key that names a report coming out every year or quarter (:data:`_PERIODIC`)."""
    return _PERIODIC.search(tkey) is not None


def generic_title(tkey: str, words: int) -> bool:
    """A short title (four words at most) of :data:`_GENERIC_TITLE_WORDS` alone."""
    return 0 < words <= 4 and all(w in _GENERIC_TITLE_WORDS for w in tkey.split())


def _abstract_and_paper(a: Features, b: Features) -> bool:
    """One record is printed in a journal's supplement (``Suppl 3``, page ``S123``: a meeting's
    abstract) and the other is a journal's article that nothing places (no volume, issue or
    page: online first, before its issue). The full paper that followed the abstract in that
    journal is as likely as another record of the abstract, and the records cannot tell: an
    export of the abstract typed as the meeting's (Embase's) is a conference record, not
    this."""
    for printed, other in ((a, b), (b, a)):
        if (
            printed.printed_supplement
            and other.venue == "journal"
            and not (other.printed_supplement or other.volume or other.issue or other.page)
        ):
            return True
    return False


def _noted_abstract_and_paper(a: Features, b: Features) -> bool:
    """One title's end says the record is a meeting's abstract (``X [abstract]``, ``X
    (P-123)``) and the other is a journal's article printed as a paper (a page range of three
    pages or more outside a supplement) or that nothing places yet (online first), and the
    two share no first page. The abstract and the full paper are two reports; the note is what
    tells them apart, the title being the same."""
    for noted, other in ((a, b), (b, a)):
        if (
            noted.abstract_note
            and not other.abstract_note
            and other.venue == "journal"
            and not other.printed_supplement
            and not same_first_page(a, b)
            and (
                (other.span and _span_length(other.span) > 2)
                or not (other.volume or other.issue or other.page)
            )
        ):
            return True
    return False


#: a title that ends in its instalment's number or letter alone, after the title of the series
#: (``X, 1``, ``X (2)``, ``X I``, ``X, part A``): the number or letter, as the key writes it
_INSTALMENT = re.compile(r"^(.*\S) (?:(?:part|pt) ([a-h])|(\d{1,2}|[ivx]{1,4}))$")
#: a lone ``I``, ``V`` or ``X`` at a written title's end that stands apart from the words
#: before it (``X, I``, ``X: V``, ``X (I)``, ``X - I``, ``X. Part I``, a code's ``SDD-I``): a
#: series' number. After a plain word it is that word's letter (``Generation X``, ``factor V``,
#: ``collagen type I``) or a pronoun (``... and I``), not an instalment of a series titled by
#: the words before it, unless the other title numbers the same words (``Fauna of X I`` /
#: ``Fauna of X II``: :func:`_instalments`)
_LONE_NUMERAL_APART = re.compile(
    r"(?:[,:;.(\[-]|\s[\u2013\u2014]|\b(?:part|pt|volume|vol|chapter|paper|study|phase|wave"
    r"|round|series|teil|partie|parte))\s*[ivx][\s.)\]]*$",
    re.IGNORECASE,
)


def lone_numeral_apart(written: str) -> bool:
    """Whether a title's last word, a lone ``I``, ``V`` or ``X``, is a series' number
    (:data:`_LONE_NUMERAL_APART`) rather than a letter of the words before it."""
    return _LONE_NUMERAL_APART.search(written) is not None


def _instalment(tkey: str, written: str | None = None) -> tuple[str, str] | None:
    """The series' title and the instalment's number (roman numerals as digits) of a title
    that ends in its number alone (:data:`_INSTALMENT`), else None. A lone ``i``, ``v`` or
    ``x`` counts only where the written title (when given) sets it apart
    (:func:`lone_numeral_apart`): ``Generation X`` and ``factor V`` are no instalments."""
    m = _INSTALMENT.match(_LEADING_ARTICLE.sub("", tkey))
    if m is None:
        return None
    number = m.group(2) or m.group(3)
    if (
        written is not None
        and m.group(3)
        and len(number) == 1
        and number in "ivx"
        and not lone_numeral_apart(written)
    ):
        return None
    if number.isalpha() and m.group(3):
        number = str(roman_to_int(number) or number)
    return m.group(1), number


#: what :func:`_instalments` says of one instalment's two records
_SAME_INSTALMENT = "same instalment"


def _instalments(a: Features, b: Features) -> str | None:
    """``distinct`` for two instalments of one series (``X I`` / ``X II``, ``X, part A`` /
    ``X, part B``), :data:`_SAME_INSTALMENT` for one instalment's number written two ways
    (``X II`` / ``X 2``), ``unsure`` for an instalment beside the series' title alone (``X, 1`` /
    ``X``: the first paper of a series beside a record that lost the number, or another
    instalment's), None otherwise. The number alone after a title is none of a subtitle's
    words that an export's cut may lose with the subtitle: the cut that excuses a number on
    one side (:func:`_number_on_one_side`) does not excuse it. A shared identifier or the
    same year, volume and first page make the two one item."""
    ia, ib = _instalment(a.tkey, a.title), _instalment(b.tkey, b.title)
    if ia is None and ib is None:
        return None
    # a lone ``I`` after a plain word is a number where the other title numbers the same
    # words: ``X I`` / ``X II`` (not ``Generation X`` against ``Generation X: a survey``)
    if ia is None:
        raw = _instalment(a.tkey)
        ia = raw if raw is not None and ib is not None and raw[0] == ib[0] else None
    elif ib is None:
        raw = _instalment(b.tkey)
        ib = raw if raw is not None and raw[0] == ia[0] else None
    if (a.doi and a.doi == b.doi) or (a.pmid and a.pmid == b.pmid):
        return None
    if a.year == b.year and a.volume and a.volume == b.volume and same_first_page(a, b):
        return None
    if ia is not None and ib is not None:
        if ia[0] != ib[0]:
            return None
        return DISTINCT if ia[1] != ib[1] else _SAME_INSTALMENT
    stem, other = (ia[0], b.tkey) if ia is not None else (ib[0], a.tkey)  # type: ignore[index]
    return UNSURE if stem == _LEADING_ARTICLE.sub("", other) else None


def _numbers_read_alike(
    a: Features, b: Features
) -> tuple[frozenset[str], frozenset[str], tuple[str, ...], tuple[str, ...]]:
    """Each title's numbers and their order, a lone ``1.000`` read as a thousand on a side
    where that makes the two sets one (:attr:`Features.thousands`), else as written."""
    if a.numbers != b.numbers and (a.thousands or b.thousands):
        for na, oa in ((a.numbers, a.number_order), (a.thousands, a.thousands_order)):
            for nb, ob in ((b.numbers, b.number_order), (b.thousands, b.thousands_order)):
                if na and na == nb:
                    return na, nb, oa, ob
    return a.numbers, b.numbers, a.number_order, b.number_order


def _typed_report_and_article(a: Features, b: Features) -> str:
    """``patent placed``, ``patent``, ``report`` or ``chapter`` when one record is typed as a
    patent, as a report, a manual or a standard (:data:`_TYPED_REPORTS`), or as a chapter that
    names no book, naming no journal or another than the other's, and the other is a
    journal's article of its title (``placed`` when a volume or a page places the article);
    else "". Not with a shared DOI or PMID, nor on one page range in one year. A patent is
    another work than the article; a report may be the paper's earlier version (as a preprint
    is), a chapter the authors' chapter under their article's title, and a patent beside an
    article placed nowhere may be a record typed wrongly. A report a journal prints, typed so
    by one export (a weekly report), names the article's journal."""
    if (a.doi and a.doi == b.doi) or (a.pmid and a.pmid == b.pmid):
        return ""
    if a.year is not None and a.year == b.year and a.span and a.span == b.span:
        # one printed item, whatever each export typed it as (a chapter of a book series one
        # database types as a journal's article), on the same pages in the same year
        return ""
    for typed, other in ((a, b), (b, a)):
        # (a chapter that names no book is such a record too: the authors' chapter under
        # their article's title, its book's title lost, or the article typed wrongly)
        kind = typed.typed_report or ("chapter" if typed.chapter and not typed.container else "")
        if (
            kind
            and other.venue == "journal"
            and not other.typed_report
            and (container_similarity(typed.container, other.container) or 0) < 90
        ):
            if kind == "patent" and (other.volume or other.page):
                return "patent placed"
            return kind
    return ""


def never_merge(a: Features, b: Features, title: float | None = None) -> tuple[str, str] | None:
    """The never-merge rule that separates two records, as ``(rule, outcome)``, or None.

    The outcome is ``distinct`` for known different works and ``unsure`` where a person should
    look (the records may describe one work but the data disagree). ``title``: the pair's
    title similarity when known; a shared identifier only overrides the year rules when the
    titles agree too (a supplement's DOI is shared by abstracts of different years).
    """
    if a.notice != b.notice and not ((a.notice_inside or b.notice_inside) and _same_print(a, b)):
        return f"notice-vs-article:{a.notice or 'article'}/{b.notice or 'article'}", DISTINCT
    if a.piece != b.piece and not (a.notice or b.notice) and not _same_print(a, b):
        # ``Journal club: X`` by X's own authors (as an export may list them) beside X: the
        # piece on the paper, or the paper under its column's heading; unless one printed item
        # holds both, a person decides
        return "piece-on-paper", UNSURE
    if a.deposit != b.deposit and not (a.notice or b.notice):
        # a data set, software or supplement its title's end names (``X [Data set]``) beside a
        # record of the title without the note: beside a record a volume or a page places, the
        # paper it goes with; beside one placed nowhere (a journal's record online first, or
        # the software cited without the note, ``Publisher: University of X``), for a person
        plain = b if a.deposit else a
        if plain.volume or plain.page:
            return f"deposit-vs-work:{a.deposit or 'work'}/{b.deposit or 'work'}", DISTINCT
        return f"deposit-vs-work:{a.deposit or 'work'}/{b.deposit or 'work'}", UNSURE
    if a.preprint != b.preprint:
        return "preprint-vs-published", UNSURE
    if a.thesis != b.thesis:
        # a thesis and the paper from it, often under its title and in its year
        return "thesis-vs-other", UNSURE
    if (a.book and b.venue == "journal") or (b.book and a.venue == "journal"):
        # a whole book and an article in a journal: most often a review of the book, which
        # databases index under the book's title (and some under its authors, or none); a
        # book is not printed in a journal's issue, unless an export typed one record wrongly
        return "book-vs-journal-article", UNSURE
    if a.doi and b.doi and a.doi != b.doi:
        return "different-doi", DISTINCT
    if a.pmid and b.pmid and a.pmid != b.pmid and not (a.doi and a.doi == b.doi):
        # two PubMed citations: a joint statement printed in two journals, a duplicate
        # publication, a comment under the article's title. Not distinct outright: a reference
        # manager that looked a PMID up for a record may have given it a companion's
        return "different-pmid", UNSURE
    if other_registration(a, b):
        return "different-trial-registration", DISTINCT
    if a.trials and b.trials and not a.trials & b.trials:
        # registrations in two registries and none shared: one trial registered twice (an NCT
        # and an ISRCTN number), or two trials; two records either way, for a person to see
        return "registrations-in-other-registries", UNSURE
    if _chapter_of(a, b) or _chapter_of(b, a):
        return "chapter-vs-book", DISTINCT
    if a.typed_letter != b.typed_letter and not (
        a.volume and a.volume == b.volume and (same_first_page(a, b) or a.issue & b.issue)
    ):
        # a letter or the authors' reply, which some journals title after the article, and a
        # record the database did not type so: the article, or the letter from a database
        # that does not type records; a person decides. Not when one issue holds both (the
        # same volume and first page or issue): the letter is printed in a later issue
        return "typed-letter-vs-other", UNSURE
    if _abstract_and_paper(a, b) and not (
        (a.doi and a.doi == b.doi) or (a.pmid and a.pmid == b.pmid)
    ):
        return "abstract-vs-unplaced-article", UNSURE
    if _noted_abstract_and_paper(a, b) and not (
        (a.doi and a.doi == b.doi) or (a.pmid and a.pmid == b.pmid)
    ):
        return "abstract-vs-paper", UNSURE
    if (
        {a.venue, b.venue} == {"conference", "journal"}
        and not _same_place(a, b)
        and not (a.doi and a.doi == b.doi and a.page and a.page == b.page)
    ):
        # (a conference paper and its journal version never share a DOI: one DOI, not a
        # container's, and one first page are one item, however the two exports type it and
        # name its series, PubMed ``Interspeech`` and Scopus the proceedings of ``2019-September``)
        return "conference-vs-journal", DISTINCT
    if {a.venue, b.venue} == {"conference", "article"} and not _same_place(a, b):
        # an article that names no journal may be the meeting's abstract or the later paper:
        # a person decides (and no chain of merges joins the two)
        return "conference-vs-journal", UNSURE
    # (``X I`` / ``X II``: the key reads a trailing ``II`` as a part, but not ``I``, a word too)
    instalments = _instalments(a, b)
    if instalments == DISTINCT:
        return "different-part", DISTINCT
    if a.parts != b.parts and instalments != _SAME_INSTALMENT:
        return "different-part", DISTINCT if (a.parts and b.parts) else UNSURE
    if instalments == UNSURE:
        return "different-part", UNSURE
    numbers_a, numbers_b, order_a, order_b = _numbers_read_alike(a, b)
    if instalments == _SAME_INSTALMENT:
        pass  # one series title and one instalment, its number written two ways (``II``, ``2``)
    elif numbers_a != numbers_b:
        if numbers_a and numbers_b:
            return "different-numbers-in-title", DISTINCT
        if _number_on_one_side(a, b):
            return "different-numbers-in-title", UNSURE
    elif order_a != order_b:
        # one set of numbers in another order (``0.5`` / ``5.0``): another title, when the two
        # are alike enough to be one title in one language; a translation orders them its way
        if title is None:
            title = best_title_similarity(a, b)[0]
        if title >= 85:
            return "different-numbers-in-title", DISTINCT
    if a.year is not None and b.year is not None and a.year != b.year:
        same_id = (a.doi and a.doi == b.doi) or (a.pmid and a.pmid == b.pmid)
        if title is None:
            title = best_title_similarity(a, b)[0]
        if title < 85 and not same_id:
            return None  # not alike enough for the year to matter: the titles keep them apart
        if not (same_id and title >= 90 and abs(a.year - b.year) <= 2) and not year_explained(
            a, b, title
        ):
            if abs(a.year - b.year) > 1:
                return "same-title-different-years", DISTINCT
            corroborated = a.volume and a.volume == b.volume and same_first_page(a, b)
            if not corroborated:
                if (a.volume and b.volume and a.volume != b.volume) or pages_differ(a, b):
                    return "same-title-different-years", DISTINCT
                if not same_id and (
                    (
                        (a.recurring_title or b.recurring_title)
                        and generic_title(a.tkey, a.words)
                        and generic_title(b.tkey, b.words)
                    )
                    or a.column_title
                    or b.column_title
                ):
                    # a column's installment of another year ("Editor's notes" in 2002 and
                    # 2003; a standing item's title an export lists more than once, or one the
                    # library holds in two places): its title is all that is shared, and a
                    # title that comes back issue after issue says nothing of which year's this
                    # is. Not any short title an export lists more than once: one export's two
                    # records of an article with its online and print years ("Delirium after
                    # hip fracture", 2019 and 2020) look the same, and must wait for a person
                    return "same-title-different-years", DISTINCT
                if not same_id:
                    return "same-title-different-years", UNSURE
    if _typed_report_and_article(a, b) == "patent placed":
        # a patent beside a journal's article that a volume or a page places: another work
        # (weighed after the year rules; a patent beside an article placed nowhere, or a report
        # beside an article, is at most queued: :func:`compare`)
        return "typed-patent-vs-article", DISTINCT
    if ((a.book and b.chapter) or (b.book and a.chapter)) and (
        not a.container or a.container != b.container
    ):
        # a whole book and a chapter of another book: its container is neither the book's
        # title (the chapter rule above) nor a book both records name. An author's chapter in
        # someone else's handbook under the title of the author's book, or the chapter
        # exported as a book without its book's title; a person decides
        return "book-vs-chapter", UNSURE
    if a.registry != b.registry:
        # last: a rule above may keep the two apart for good (another year, another part)
        return "registry-entry-vs-report", UNSURE
    return None


def levels(
    a: Features,
    b: Features,
    title: float,
    authors: tuple[float, bool] | None,
    container: float | None,
) -> tuple[int, ...]:
    """The pair's agreement level per field of :data:`.model.FIELDS` (-1: missing)."""
    if not a.tkey or not b.tkey:
        lt = MISSING
    elif title >= 100:
        lt = 1 if (a.common_title or b.common_title) else 0
    else:
        lt = 2 if title >= 95 else 3 if title >= 90 else 4 if title >= 85 else 5
    if authors is None:
        la = MISSING
    else:
        share, first_same = authors
        la = (
            0
            if (share >= 90 and first_same)
            else 1
            if share >= 60
            else 2
            if (share >= 30 or first_same)
            else 3
        )
    if a.year is None or b.year is None:
        ly = MISSING
    else:
        gap = abs(a.year - b.year)
        ly = 0 if gap == 0 else 1 if gap == 1 else 2
    lc = MISSING if container is None else 0 if container >= 90 else 1 if container >= 60 else 2
    lv = MISSING if not (a.volume and b.volume) else 0 if a.volume == b.volume else 1
    li = MISSING if not (a.issue and b.issue) else 0 if a.issue & b.issue else 1
    lp = (
        MISSING
        if not (a.page and b.page) or a.local_pages != b.local_pages
        else 0
        if a.page == b.page
        else 1
    )
    if (a.doi and a.doi == b.doi) or (a.pmid and a.pmid == b.pmid):
        lid = 0
    elif (a.doi and b.doi) or (a.pmid and b.pmid):
        lid = 1
    else:
        lid = MISSING
    return (lt, la, ly, lc, lv, li, lp, lid)


@dataclass(frozen=True)
class Comparison:
    """Everything one comparison of two records found, before any decision."""

    title: float
    truncated: str  # how one title holds the other: AT_BREAK, INSIDE or ""
    authors: tuple[float, bool] | None
    container: float | None
    levels: tuple[int, ...]


def compare_fields(a: Features, b: Features, title_score: float | None = None) -> Comparison:
    if title_score is not None and title_score >= 100:
        title, truncated = title_score, ""
    else:
        title, truncated = best_title_similarity(a, b)
    authors = author_overlap(a, b)
    container = container_similarity(a.container, b.container)
    return Comparison(title, truncated, authors, container, levels(a, b, title, authors, container))


_SAID = {
    "title": "title",
    "authors": "authors",
    "year": "year",
    "container": "journal",
    "volume": "volume",
    "issue": "issue",
    "pages": "pages",
    "id": "DOI/PMID",
}


def trusted_conflicts(
    a: Features, b: Features, c: Comparison, contributions: dict[str, float | None]
) -> list[str]:
    """The places where the two records disagree in a field this corpus shows to be
    trustworthy (one that disagrees within duplicates at most a quarter as often as between
    random records; a field full of noise weighs about nothing and does not count), less those
    the rest of the place explains: a container under another name when year, volume and first
    page (or issue) pin the two together (a series title for the proceedings title, a journal
    name in translation), a year one apart (online first, then in print) or a slip in one
    export, an issue misprinted in one export, a volume and issue one export filed an article
    under before print (:func:`volume_explained`)."""
    title = c.title
    year_same = c.levels[2] == 0
    conflicts = [
        k
        for k in ("year", "container", "volume", "issue", "pages")
        if (weight := contributions[k]) is not None and weight <= CONFLICT_BITS
    ]
    located = (
        year_same
        and c.levels[4] == 0
        and (same_first_page(a, b) or (c.levels[6] != 1 and c.levels[5] == 0))
    )
    if "container" in conflicts and located and title >= 95 and c.levels[1] in (0, 1):
        conflicts.remove("container")
    if "year" in conflicts and year_explained(a, b, title):
        conflicts.remove("year")
    if "issue" in conflicts and issue_explained(a, b, title):
        conflicts.remove("issue")
    if "volume" in conflicts and volume_explained(a, b, c):
        # the issue goes with the volume it is numbered in
        conflicts = [k for k in conflicts if k not in ("volume", "issue")]
    if "volume" in conflicts and year_same and supplement_numbered(a, b, c):
        # the series' name (``... Suppl``) against the journal's goes with them
        conflicts = [k for k in conflicts if k not in ("volume", "issue", "container")]
    return conflicts


def supplement_numbered(a: Features, b: Features, c: Comparison) -> bool:
    """One article of a journal's numbered supplement series as MEDLINE and as other databases
    place it: MEDLINE names the series (``Acta Otolaryngol Suppl``) and gives the supplement's
    number as the volume, where Scopus gives the journal's own volume and the supplement's
    number as the issue (``S520``). The record whose journal's name ends in a supplement word
    has a volume that is a number of the other's issue, on the same first page, under titles
    that agree (95)."""
    for series, journal in ((a, b), (b, a)):
        if (
            series.volume
            and series.volume in journal.issue
            and _SERIES_SUPPLEMENT.search(series.container) is not None
            and same_first_page(a, b)
            and c.title >= 95
        ):
            return True
    return False


#: a journal's name that ends in its supplement series' word (``Acta Psychiatr Scand Suppl``)
_SERIES_SUPPLEMENT = re.compile(r"\b(?:suppl|supplement|supplementum)$")


#: the most years apart that one title by the same authors, in no journal, waits for a person
#: (a preprint and its publication, or a report put out again)
_AGAIN_YEARS = 3


def _again(a: Features, b: Features, c: Comparison) -> bool:
    """One title (95 or more) by the same authors (all or most) a few years apart, with no
    journal on either record and no volume or pages that differ: a preprint or a working
    paper and its publication, or a report put out again. Two records either way, for a person
    to see, not two works the years keep apart for good. Not a title that comes back (one an
    export lists more than once, or the library holds in two places): a column's two years."""
    return (
        not a.container
        and not b.container
        and not (a.recurring_title or b.recurring_title or a.column_title or b.column_title)
        and a.year is not None
        and b.year is not None
        and abs(a.year - b.year) <= _AGAIN_YEARS
        and c.title >= 95
        and not c.truncated
        and c.authors is not None
        and c.levels[1] in (0, 1)
        and not (a.volume and b.volume and a.volume != b.volume)
        and not pages_differ(a, b)
    )


def medline_translation_of(a: Features, b: Features, year_same: bool) -> bool:
    """One foreign article under two English titles: MEDLINE's own translation, the whole title
    between brackets, beside another database's English title, under one PMID in one year.

    PubMed gives each item its own PMID, so a PMID two records share names one item, whatever
    their titles (a DOI may be a supplement's, shared by its abstracts: not that). The
    brackets say the title is a translation, which words it uses is the translator's; the
    year must agree, and neither record may be a supplement's, so a PMID a reference manager
    gave the wrong record still waits for a person. Records that a sparse export (a title,
    a year and the PMID, nothing else) leaves without pages or authors are held to this alone;
    what the records do show must not conflict (the caller checks)."""
    return bool(
        a.pmid
        and a.pmid == b.pmid
        and year_same
        and (_TRANSLATED_WHOLE.match(a.title) is None) != (_TRANSLATED_WHOLE.match(b.title) is None)
        and min(a.words, b.words) >= 3
        and not (a.supplement or b.supplement)
    )


def compare(
    a: Features,
    b: Features,
    title_score: float | None = None,
    model: Model | None = None,
    thresholds: Thresholds | None = None,
    comparison: Comparison | None = None,
) -> Verdict:
    """Duplicate, unsure or distinct, with the per-field scores, the match weight and the reason.

    The never-merge rules decide first; then the model's probability that the two are one
    work: merged at ``thresholds.merge_at`` or above when the titles agree (≥ 90, or ≥ 80 with
    a shared DOI or PMID), queued for a person at ``queue_at`` or above, else kept apart.
    """
    model = model or _DEFAULT_MODEL
    th = thresholds or _DEFAULT_THRESHOLDS
    c = comparison or compare_fields(a, b, title_score)
    title, truncated = c.title, c.truncated
    authors = (
        None if c.authors is None else (c.authors[0] if c.authors[1] else min(c.authors[0], 50.0))
    )
    year: float | None = None
    if a.year is not None and b.year is not None:
        year = 100.0 if a.year == b.year else (50.0 if abs(a.year - b.year) == 1 else 0.0)
    volume = _same(a.volume, b.volume)
    pages = _same(a.page, b.page)
    scores: dict[str, float | None] = {
        "title": round(title, 1) if (a.tkey and b.tkey) else None,
        "authors": authors,
        "year": year,
        "container": None if c.container is None else round(c.container, 1),
        "volume": volume,
        "pages": pages,
        "doi": _same(a.doi, b.doi),
    }
    bits = model.bits(c.levels)
    prob = probability(bits)
    score = round(100.0 * prob, 1)

    conflicts: list[str] = []
    same_id = c.levels[7] == 0
    if (
        same_id
        and a.printed_supplement
        and b.printed_supplement
        and a.doi == b.doi
        and not (a.pmid and a.pmid == b.pmid)
        and a.tkey != b.tkey
        and not same_first_page(a, b)
    ):
        # a DOI two records of a supplement share, under titles that differ and on no common
        # first page: the supplement's own, which a database may give each abstract in it
        # (more than two records of it make it a container's DOI; two are a team's two
        # abstracts as often, ``EP300: X`` / ``X``, ``X in older adults`` / ``X``)
        same_id = False
    authors_conflict = c.authors is not None and c.levels[1] == 3
    contributions = model.contributions(c.levels)
    year_same = c.levels[2] == 0
    # a first page counts as a place only in the issue, not as the item's own page 1: every
    # article of an article-numbered journal starts on its page 1
    first_page = same_first_page(a, b)
    # the same year and first page put two records in one place unless their volumes differ
    # (pages deep in two volumes of one year are two places; an export that filed an article
    # under a provisional volume is excused by :func:`volume_explained`, not by this)
    one_place = year_same and first_page and c.levels[4] != 1
    # a place in one issue: the same volume and the same issue or first page, or the same
    # year and first page, with years at most one apart (an online year) or missing
    placed = c.levels[2] != 2 and (
        (c.levels[4] == 0 and (c.levels[5] == 0 or first_page)) or one_place
    )
    # two author lists that share no one, where this library's duplicates seldom do so, are
    # evidence against, not a lack of it: a pair they hold back is kept apart through third
    # records too (two teams' trials under one generic title, and a record of it that names
    # no authors, joined all three), unless one issue holds both (an export's garbled list)
    weight = contributions["authors"]
    authors_apart = (
        authors_conflict and weight is not None and weight <= CONFLICT_BITS and not placed
    )

    def verdict(outcome: str, reason: str, rule: str = "") -> Verdict:
        apart = ("authors",) if authors_apart and outcome != DUPLICATE else ()
        return Verdict(
            outcome,
            reason,
            score,
            scores,
            rule,
            round(bits, 2),
            c.levels,
            (*conflicts, *apart),
        )

    # asked of pairs a rule keeps apart too: a third record that lacks the field they conflict
    # on, and matches both as well, may be either (the engine's tie)
    conflicts.extend(trusted_conflicts(a, b, c, contributions))
    blocked = never_merge(a, b, title)
    if blocked is not None:
        rule, outcome = blocked
        if outcome == DISTINCT and rule == "same-title-different-years" and _again(a, b, c):
            outcome = UNSURE
        if outcome == UNSURE and (title >= 90 or same_id) and not authors_conflict:
            return verdict(UNSURE, f"looks alike but never merged automatically: {rule}", rule)
        return verdict(DISTINCT, rule, rule)
    # MEDLINE's bracketed translation of a foreign title beside another English title of it
    translated = medline_translation_of(a, b, year_same) and not (conflicts or authors_conflict)
    if a.little_info or b.little_info:
        if title >= 90:
            return verdict(
                UNSURE, "too little information to decide (title only)", "too-little-information"
            )
        return verdict(DISTINCT, "too little information", "too-little-information")
    if title < 85:
        # a translated title: the same journal, year, volume, issue (journals that number the
        # pages of each issue from 1 reuse page ranges) and page range, by the same authors.
        # With a shared DOI only when the titles are in two languages (MEDLINE's English title,
        # another export's original), and so in a supplement: two English titles on one DOI
        # or one supplement's page range are two abstracts of a supplement that gives each its
        # DOI and its whole range (issue 15, class 1), for a person to look at. A shared PMID
        # is not a supplement's: PubMed cites each item on its own, so two English titles under
        # one PMID, on one page range, are two translations of one foreign title (MEDLINE's
        # bracketed ``[English title]`` beside Embase's own English title)
        if (
            a.span
            and a.span == b.span
            and year_same
            and c.levels[4] == 0
            and a.issue & b.issue
            and c.levels[3] == 0
            and c.levels[1] in (0, 1)
            and min(a.words, b.words) >= 3
            and (
                not (same_id or a.supplement or b.supplement)
                or {title_language(a.tkey), title_language(b.tkey)} == {"english", "other"}
                or (a.pmid and a.pmid == b.pmid and not (a.supplement or b.supplement))
            )
        ):
            return verdict(
                DUPLICATE,
                "same journal, year, volume, page range and authors; titles differ (a translation)",
            )
        # a subtitle one export dropped, leaving a title too short to count as a cut one
        # (``Measuring gambling harm`` / ``Measuring gambling harm: the influence of ...``):
        # one work when year, volume and first page place both and the authors agree
        if (
            year_same
            and c.levels[4] == 0
            and c.levels[6] == 0
            and c.levels[1] in (0, 1)
            and not (a.local_pages or b.local_pages)
            and _head_at_break(a, b)
        ):
            return verdict(
                DUPLICATE, "same year, volume, first page and authors; one title lost its subtitle"
            )
        if translated:
            return verdict(
                DUPLICATE,
                "same PMID and year; one title is MEDLINE's bracketed English translation"
                " (titles differ)",
            )
        if not same_id:
            return verdict(DISTINCT, "titles differ")
    if c.levels[5] == 1 and a.words <= 4 and b.words <= 4 and not same_id:
        return verdict(DISTINCT, "recurring short title in different issues")
    # what may merge without a person: titles that agree, and authors that do not conflict
    # unless year, volume and first page pin the two to one place
    pinned = year_same and c.levels[4] == 0 and first_page
    titles_agree = title >= 90 or (same_id and (title >= 70 or not a.tkey or not b.tkey))
    strong = titles_agree and (
        min(a.words, b.words) >= 3 or same_id or (c.levels[3] == 0 and year_same)
    )
    if authors_conflict and not ((pinned or same_id) and title >= 95):
        strong = False
    # a short title that some export lists more than once ("Editorial", "Book reviews",
    # "Editor's notes") recurs issue after issue, by the same editor in the same journal and
    # year: agreeing on all of that does not make two records one item. Only a place or a
    # shared identifier does (``placed``, above); without one, a person decides. (A chain may
    # still join the two through records that place them: the pair lacks evidence, it holds
    # none against; keeping such pairs apart through third records broke a work that 238
    # citations of a test set share into pieces.) So is a title of any length that the
    # library holds in two places (a column's ``Highlights from the current literature in
    # ...`` in each issue): a record of it that nothing places may be the one in any issue
    recurring = (
        ((a.recurring_title or b.recurring_title) and max(a.words, b.words) <= 4)
        or a.column_title
        or b.column_title
    ) and not (same_id or placed)
    # a standing item's title ("Editorial", "In this issue") is the same case whether or not
    # the library holds a third record of it: only a place or an identifier makes two one item
    generic = (
        generic_title(a.tkey, a.words)
        and generic_title(b.tkey, b.words)
        and not (same_id or placed)
    )
    # a report that comes out every year (``Annual report of the ... registry``, ``The year in
    # review``) has one title every year: without a year on both records, only a place or an
    # identifier makes two records of it one item
    periodic = (
        (a.year is None or b.year is None)
        and periodic_title(a.tkey)
        and periodic_title(b.tkey)
        and not (same_id or placed)
    )
    # a comment, a reply, a correction, a referee's report is titled after the work it answers
    # (``Comment on "X"``, ``Comment on egusphere-2023-1234``, ``Correction to: X``): two of
    # them share their title whoever wrote them, so the title with the journal and year says
    # little. Only authors that agree, a place in one issue or a shared identifier make them
    # one item. (A notice read from inside a title, ``X: a commentary on Y``, has a title of
    # its own.)
    remark = (
        a.notice in _REMARKS
        and b.notice in _REMARKS
        and not (a.notice_inside or b.notice_inside)
        and not (same_id or placed or c.levels[1] in (0, 1))
    )
    # a title that is the first part of two titles in the library going on differently (one
    # series title on two topics): a record with that part alone may be either of them
    series = (
        truncated == AT_BREAK
        and (
            (a.series_head and len(a.tkey) < len(b.tkey))
            or (b.series_head and len(b.tkey) < len(a.tkey))
        )
        and not (same_id or placed)
    )
    # a short title with no author on either record (``Calls for papers and announcements``,
    # ``Title, foreword``): a journal's front matter or notices, printed issue after issue
    # under one title; the title, journal and year are all the two share, and that holds of
    # any two issues' items. Only a place or an identifier makes them one item
    unsigned = (
        max(a.words, b.words) <= 4 and not a.surnames and not b.surnames and not (same_id or placed)
    )
    # a session's heading as the title of a supplement's records (``Poster session 3: X``):
    # every abstract of the session carries it, and its journal, volume and issue, so only a
    # first page or an identifier makes two records of it one abstract
    session = a.session and b.session and not (same_id or same_first_page(a, b))
    if recurring or generic or periodic or remark or series or unsigned or session:
        strong = False
    # one title inside the other among plain words ("Fast attacks on X" / "Attacks on X", "X in
    # older adults" / "X") is as often a team's next work as an export's cut at a length: it
    # merges only with an identifier, a place in one issue, or the same year and the same
    # journal (or volume); else a person decides. The year and journal stand for a place only
    # where what the records show is a cut at a length: the shorter title is the other's start
    # and ends on a whole word. Words put before a title (``Regarding "X"``, ``Concerns about
    # X``: a letter on the article) are no cut, and a title that ends in letters the other
    # goes on from (``... by the head`` / ``... by the headteacher survey``) may end on a word
    # of its own as well as be cut inside one: those take a place or an identifier. An
    # article one export puts before the title (``The X`` / ``X``) is no such word
    #
    # Nor is a title that goes on with words joined on by ``and``/``or`` (``Early mobilisation
    # after stroke`` / ``... after stroke and myocardial infarction``): a second topic or group
    # beside the first, a team's wider paper, where a cut at a length falls before ``and`` by
    # chance. Such a cut still merges when the shorter title says it was cut (``...``) or is
    # long enough to have been (100 characters). And a shared issue (the same volume and
    # issue, one record without pages) places both only where the shorter title looks cut: a
    # team's two papers in one issue share it, and only a shared first page pins a title that
    # goes on in plain words, or has words put before it, to the other's place
    short_key, long_key = sorted((_LEADING_ARTICLE.sub("", k) for k in (a.tkey, b.tkey)), key=len)
    cut_at_end = long_key == short_key or long_key.startswith(short_key + " ")
    inside = False
    if truncated == INSIDE:
        shorter = a if len(a.tkey) <= len(b.tkey) else b
        said_cut = shorter.title.rstrip().endswith(("...", "\u2026"))
        joined_on = (
            cut_at_end
            and long_key[len(short_key) :].split()[:1]
            in (["and"], ["or"], ["nor"], ["versus"], ["vs"])
            and not said_cut
            and len(short_key) < _LONG_TITLE
        )
        looks_cut = (
            (cut_at_end and not joined_on) or said_cut or ends_inside_word(short_key, long_key)
        )
        # a first page shared, or a shared issue where the title looks cut
        pinned = c.levels[2] != 2 and first_page and (c.levels[4] == 0 or year_same)
        inside = not (
            same_id
            or pinned
            or (placed and looks_cut and not (a.printed_supplement and b.printed_supplement))
            or (
                cut_at_end
                and not joined_on
                and year_same
                and (c.levels[3] in (0, 1) or c.levels[4] == 0)
                # every abstract of a supplement shares its journal, year, volume and issue:
                # a team's ``X`` and ``X in older adults`` there are two abstracts as often,
                # and only a first page they share places both (``pinned``)
                and not (a.printed_supplement and b.printed_supplement)
            )
        )
    if inside:
        strong = False
    if conflicts and not (same_id and title >= 90 and len(conflicts) < 2):
        strong = False
    # titles alike but each with a word the other lacks: one series title on two topics,
    # unless the year and the first page put the two in one place
    # a shared DOI or PMID does not outweigh two titles alike but for a word each has (``Five-
    # year ...`` / ``Ten-year ...``, ``older`` / ``younger``): exports of one article keep its
    # words, and a reference manager that looked an identifier up for a record may have
    # given it a companion paper's; a person decides. (Not titles further apart, as a
    # translation is, nor a word on one side only, which a database's title may add.)
    swapped = None
    if title < 100 and not one_place and (not same_id or (title >= 90 and not truncated)):
        # a title with a bracketed part is read as the reading that agrees best with the
        # other title (``English title [Original title]`` as its English title)
        ka, kb = closest_readings(a, b) if (a.alt_tkeys or b.alt_tkeys) else (a.tkey, b.tkey)
        ka, kb = without_cut_word(ka, kb)
        swapped = substituted_words(
            ka,
            kb,
            one_sided=not same_id,
            acronyms=acronyms(a.title, b.title),
            proper=proper_nouns(a.title, b.title),
        )
        if (
            same_id
            and swapped is not None
            and (
                _NUMBER.sub("", swapped[0]) == _NUMBER.sub("", swapped[1])
                or (
                    Levenshtein.distance(ka, kb, score_cutoff=2) <= 1
                    and not acronyms(a.title, b.title) & set(swapped)
                )
            )
        ):
            # a code and its letters alone (``CO2`` / ``CO``: a subscript an export lost, which
            # the numbers rule leaves to the shared identifier), or one letter typed wrong in
            # the whole title (``veart``), unless in an acronym (``HFpEF`` / ``HFrEF``)
            swapped = None
        if swapped is not None and translated:
            # two translations of one title choose their words each its own way
            swapped = None
        if swapped is not None:
            strong = False
    # the two things a title sets against each other named the other way round: a person
    # decides (not with a shared identifier, which a reference manager's retyped title keeps,
    # nor where the year and first page put both in one place, a title typed by hand)
    turned = swapped is None and not same_id and not one_place and sides_swapped(a.tkey, b.tkey)
    if turned:
        strong = False
    # one title names a report the other does not (a protocol, a secondary analysis, a
    # follow-up): the same study's other report, with its title, authors, journal and year
    other = not same_id and other_report(a, b)
    if other:
        strong = False
    # both meetings' records under one title, the meetings' names unlike (below similar): one
    # abstract presented at two meetings is two reports, a person decides (not with a shared
    # identifier, nor on one first page)
    meetings = (
        not same_id
        and c.container is not None
        and _meetings_record(a)
        and _meetings_record(b)
        and _other_meeting(a.container, b.container, c.container)
        and not same_first_page(a, b)
    )
    if meetings:
        strong = False
    # a report, a manual or a patent typed so beside a journal's article of its title: the
    # paper's earlier version, or a record typed wrongly; at most queued (a patent beside an
    # article a volume or a page places is kept apart by :func:`never_merge`)
    typed_report = _typed_report_and_article(a, b)
    if typed_report:
        strong = False
    # a Cochrane review and its update in one year, one record without its issue: the CD
    # number, title and year are the versions' both, and only the issue and the authors (an
    # update's team changes) tell them apart; lists that differ send the pair to a person
    versions = (
        not same_id
        and a.year is not None
        and a.year == b.year
        and not (a.issue and b.issue)
        and cochrane_review(a)
        and cochrane_review(b)
        and c.authors is not None
        # an author of one list not in the other, or one list longer: an update that only
        # added authors (a list an export cut short looks the same: a person tells them apart)
        and (c.authors[0] < 100 or len(a.surnames) != len(b.surnames))
    )
    if versions:
        strong = False
    agree = [_SAID[k] for k, v in contributions.items() if v is not None and v >= 1.0]
    disagree = [_SAID[k] for k, v in contributions.items() if v is not None and v <= -1.0]
    if truncated and "title" in agree:
        agree[agree.index("title")] = "title (truncated)"
    why = f"p={prob:.3f}"
    if agree:
        why += "; agree: " + ", ".join(agree)
    if disagree:
        why += "; differ: " + ", ".join(disagree)

    def apart(reason: str, rule: str) -> Verdict:
        # like a never-merge rule: a person decides, and no chain of merges joins the two
        return verdict(UNSURE if prob >= th.queue_at else DISTINCT, why + reason, rule)

    if swapped is not None:
        if swapped[0] and swapped[1]:
            said = f"; each title has a word the other lacks ({swapped[0]} / {swapped[1]})"
        elif (swapped[0] or swapped[1]) in _NEGATIONS:
            said = f"; one title has a negation the other lacks ({swapped[0] or swapped[1]})"
        else:
            said = f"; one title has a word inside it the other lacks ({swapped[0] or swapped[1]})"
        return apart(said, "different-words-in-titles")
    if turned:
        return apart(
            "; the titles set the same things against each other the other way round",
            "comparison-turned-round",
        )
    if other:
        return apart(
            "; one title names another report of the study (a protocol, a follow-up, ...)",
            "other-report-of-the-study",
        )
    if versions:
        return apart(
            "; a Cochrane review's record without its issue, by authors not all alike",
            "cochrane-version",
        )
    if meetings:
        return apart("; two meetings' records whose meetings' names differ", "two-meetings")
    if typed_report:
        return apart(
            f"; a record typed as a {typed_report} beside a journal's article",
            f"typed-{typed_report}-vs-article",
        )
    if inside and prob >= th.merge_at:
        why += (
            "; one title goes on where the other ends, and neither an issue nor the year and"
            " journal place both together"
        )
    if recurring and prob >= th.merge_at:
        why += (
            "; a title an export lists more than once or the library holds in two places, and"
            " nothing places both in one issue"
        )
    elif generic and prob >= th.merge_at:
        why += "; a journal's standing item (a generic title), and nothing places both in one issue"
    elif periodic and prob >= th.merge_at:
        why += "; a report that comes out every year, and a record without a year"
    elif series and prob >= th.merge_at:
        why += "; one title is the first part of two titles that go on differently"
    elif remark and prob >= th.merge_at:
        why += "; a notice titled after the work it answers, by authors not shown alike"
    if prob >= th.merge_at and strong:
        return verdict(DUPLICATE, why)
    if prob >= th.queue_at:
        return verdict(UNSURE, why)
    return verdict(DISTINCT, why)


#: below this the names of two meetings are other meetings' (see :func:`container_similarity`)
_OTHER_MEETING = 70.0
#: the words of a meeting's name that every meeting's name has (``Annual Meeting of the``,
#: ``Proceedings of the ... Congress``, ``57th``, ``2023``), without which two names that share
#: only this formula (``Annual Meeting of the X Society`` / ``... of the Y Network``) differ
_MEETING_FORMULA_WORDS = (
    "annual annu ann meeting meetings meet congress congresses congr conference conferences"
    " conf proceedings proc abstracts abstract of the and on in for international intl world"
    " joint national scientific sci session sessions symposium symp workshop colloquium"
)
_MEETING_FORMULA = frozenset(_MEETING_FORMULA_WORDS.split())
#: a name that says the container is a society's meeting and its abstracts, as the meetings of
#: the health sciences are named (not a computing conference's proceedings, ``SIGMOD
#: Conference`` / ``International Conference on Management of Data``, one venue's two names)
_MEETING_NAME = re.compile(r"\b(?:meetings?|congress(?:es)?|abstracts?)\b")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)?$")


def _meeting_name(ckey: str) -> str:
    return " ".join(w for w in ckey.split() if w not in _MEETING_FORMULA and not _ORDINAL.match(w))


def _meetings_record(f: Features) -> bool:
    """A record of a meeting's abstract as its container shows: a container named as a
    meeting's (:data:`_MEETING_NAME`, whatever the record's type), or any container of a
    record typed ``misc`` (RIS ``GEN``), which is how some exports type a meeting's abstract
    and name the meeting (``X Society 2023``) without a word that says so."""
    return bool(f.container) and (f.misc or _MEETING_NAME.search(f.container) is not None)


def _other_meeting(a: str, b: str, score: float) -> bool:
    """Two meetings' names (container keys, ``score`` alike) that differ, read without the
    formula every meeting's name has (see :data:`_MEETING_FORMULA`) when both have more:
    ``Annual Meeting of the X Society`` / ``... of the Y Network`` differ, ``Proceedings of
    the X Congress`` / ``X Congress, 12th Annual Meeting`` agree. A word one name has and the
    other matches with nothing (not an abbreviation, a spelling, an acronym of the other)
    makes two meetings however alike the rest: ``X Congress`` / ``Nordic X Congress``,
    ``European X Meeting`` / ``Asian X Meeting`` (a region or a country added to a journal's
    name is its edition; to a meeting's, another meeting)."""
    na, nb = _meeting_name(a), _meeting_name(b)
    if na and nb:
        # (a name that shares nothing with the other scores 0: not "no name", which is None)
        similarity = container_similarity(na, nb)
        score = 100.0 if similarity is None else similarity
        wa, wb = _name_words(_journal_words(na)), _name_words(_journal_words(nb))
        if score < 100.0 and not (_acronym_in(wa, wb) or _acronym_in(wb, wa)):
            unmatched = set(_unmatched_words(wa, wb))
            own_a = [n for n, w in enumerate(wa) if w in unmatched]
            own_b = [n for n, w in enumerate(wb) if w in unmatched]
            if own_a and own_b:
                return True
            # words of one name only: another meeting when they come before or among the
            # shared ones (``Nordic X Congress``, ``... of the Canadian X Society``), the same
            # one when they only follow them (``X Congress, Berlin, June``: its place and date)
            own, words = (own_a, wa) if own_a else (own_b, wb)
            if own and own != list(range(len(words) - len(own), len(words))):
                return True
    return score < _OTHER_MEETING


_DEFAULT_MODEL = default_model()
#: A field whose disagreement weighs this many bits or fewer is trustworthy enough to conflict.
CONFLICT_BITS = -2.0
_DEFAULT_THRESHOLDS = Thresholds()
