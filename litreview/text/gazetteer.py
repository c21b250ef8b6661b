"""Which country a study is set in, from the words used about it.

A small gazetteer, not a geocoder: phrases that health-services papers use to say where they
were done ("NHS", "English hospitals", "a Scottish health board", "Dutch hospitals",
"Victoria, Australia") mapped to one canonical country name. England, Scotland, Wales and
Northern Ireland all count as ``UK``. Phrases that say "several countries" map to
:data:`MULTI`, which keeps a study unclear rather than excluded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from litreview.text.termmatch import SEP, TermMatcher, prepare

UK = "UK"
US = "United States"
MULTI = "multi-country"

_UK_PHRASES = (
    "uk",
    "u.k.",
    "united kingdom",
    "britain",
    "great britain",
    "british",
    "nhs",
    "national health service",
    "england",
    "scotland",
    "scottish",
    "wales",
    "welsh",
    "northern ireland",
    "english hospital",
    "english hospitals",
    "english nhs",
    "english trust",
    "english trusts",
    "english health care",
    "english healthcare",
    "english acute trust",
    "english acute trusts",
    "english primary care",
    "english health service",
    "acute trust",
    "acute trusts",
    "foundation trust",
    "foundation trusts",
    "nhs trust",
    "nhs trusts",
    "primary care trust",
    "primary care trusts",
    "strategic health authority",
    "clinical commissioning group",
    "clinical commissioning groups",
    "health board",
    "health boards",
    "london",
    "birmingham",
    "manchester",
    "leeds",
    "liverpool",
    "glasgow",
    "edinburgh",
    "cardiff",
    "belfast",
    "bristol",
    "sheffield",
    "newcastle",
    "nottingham",
    "st andrews",
    "northern irish",
)
_OTHER: dict[str, tuple[str, ...]] = {
    "Netherlands": ("netherlands", "the netherlands", "dutch", "holland"),
    "Sweden": ("sweden", "swedish"),
    "Norway": ("norway", "norwegian"),
    "Denmark": ("denmark", "danish"),
    "Finland": ("finland", "finnish"),
    "Iceland": ("iceland", "icelandic"),
    "Germany": ("germany", "german"),
    "France": ("france", "french"),
    "Italy": ("italy", "italian"),
    "Spain": ("spain", "spanish"),
    "Portugal": ("portugal", "portuguese"),
    "Belgium": ("belgium", "belgian"),
    "Switzerland": ("switzerland", "swiss"),
    "Austria": ("austria", "austrian"),
    "Greece": ("greece", "greek"),
    "Poland": ("poland", "polish"),
    "Ireland": ("ireland", "republic of ireland", "irish"),
    "Canada": ("canada", "canadian", "ontario", "quebec", "alberta", "british columbia"),
    US: ("united states", "united states of america", "america", "american", "u.s.a."),
    "Australia": ("australia", "australian", "victoria australia", "new south wales", "queensland"),
    "New Zealand": ("new zealand",),
    "Israel": ("israel", "israeli"),
    "Iran": ("iran", "iranian"),
    "Saudi Arabia": ("saudi arabia", "saudi"),
    "China": ("china", "chinese"),
    "Hong Kong": ("hong kong",),
    "Taiwan": ("taiwan", "taiwanese"),
    "Japan": ("japan", "japanese"),
    "India": ("india", "indian"),
    "Singapore": ("singapore",),
    "South Africa": ("south africa", "south african"),
    "Brazil": ("brazil", "brazilian"),
    MULTI: (
        "european hospitals",
        "european countries",
        "across europe",
        "cross-national",
        "cross-country",
        "international comparison",
        "international comparative",
        "several countries",
        "multiple countries",
        "eight countries",
        "five countries",
        "four countries",
        "three countries",
        "two countries",
        "six countries",
        "seven countries",
        "nine countries",
        "ten countries",
        "multinational",
        "multi-country",
        "european health systems",
        "european health care",
        "european healthcare",
        "european countries",
        "european study",
    ),
}


def _norm(phrase: str) -> str:
    return re.sub(SEP, " ", prepare(phrase)).strip()


_PHRASE_TO_COUNTRY: dict[str, str] = {_norm(p): UK for p in _UK_PHRASES}
for _country, _phrases in _OTHER.items():
    for _p in _phrases:
        _PHRASE_TO_COUNTRY[_norm(_p)] = _country
_NAMES = {_norm(c): c for c in (UK, *_OTHER)}

MATCHER = TermMatcher(sorted(_PHRASE_TO_COUNTRY), plurals=False)
# "US" is only a country in capitals ("us" is a pronoun), so it is matched on the original text
_US_CASED = re.compile(r"(?<![\w.])(?:U\.S\.(?:A\.)?|USA|US)(?![\w])")


@dataclass(frozen=True)
class Mention:
    """A phrase naming a country (or several) and the country it names."""

    country: str
    phrase: str


@lru_cache(maxsize=4096)
def canonical_country(name: str) -> str:
    """``England``, ``Scotland``, ``U.K.`` → ``UK``; ``Dutch`` → ``Netherlands``; else as written."""
    key = _norm(name)
    if key in _NAMES:
        return _NAMES[key]
    if key in _PHRASE_TO_COUNTRY:
        return _PHRASE_TO_COUNTRY[key]
    if name.strip() in ("US", "USA", "U.S.", "U.S.A."):
        return US
    return name.strip()


def split_countries(value: str) -> list[str]:
    """An annotation such as ``UK; Netherlands`` as canonical names, in order, without repeats."""
    out: dict[str, None] = {}
    for part in re.split(r"[;|]", value):
        if part.strip():
            out[canonical_country(part)] = None
    return list(out)


_SEP_RX = re.compile(SEP)
#: matched folded phrase -> its country (None for a phrase the gazetteer does not map)
_FORMS: dict[str, str | None] = {}


def _country_of(form: str) -> str | None:
    hit = _FORMS.get(form, "")
    if hit == "":
        hit = _PHRASE_TO_COUNTRY.get(_SEP_RX.sub(" ", form))
        if len(_FORMS) < 100_000:
            _FORMS[form] = hit
    return hit


def find(
    text: str, prepared: str | None = None, starts: Sequence[int] | None = None
) -> list[tuple[str, str]]:
    """``(country, phrase)`` for every country phrase in ``text``, in order: :func:`mentions`
    without the objects, for screening many records (``prepared``: the text already prepared;
    ``starts``: where a :class:`~litreview.text.termmatch.Scanner` that includes :data:`MATCHER`
    found terms)."""
    if not text:
        return []
    if prepared is None:
        prepared = prepare(text)
    same = len(prepared) == len(text)
    found: list[tuple[int, str, str]] = []
    for m in (
        MATCHER.finditer(prepared) if starts is None else MATCHER.finditer_at(prepared, starts)
    ):
        country = _country_of(m.group(0))
        if country is not None:
            start = m.start()
            found.append((start, country, text[start : m.end()] if same else m.group(0)))
    if "US" in text or "U.S." in text:
        for m in _US_CASED.finditer(text):
            found.append((m.start(), US, m.group(0)))
        found.sort(key=lambda t: t[0])
    return [(country, phrase) for _, country, phrase in found]


def mentions(text: str, prepared: str | None = None) -> list[Mention]:
    """Every country phrase in ``text``, in order (``prepared``: the text already prepared)."""
    return [Mention(country, phrase) for country, phrase in find(text, prepared)]


def countries_in(texts: Iterable[str]) -> dict[str, list[str]]:
    """Country → the phrases naming it, over several texts (title, abstract, keywords)."""
    out: dict[str, list[str]] = {}
    for text in texts:
        for m in mentions(text):
            phrases = out.setdefault(m.country, [])
            if m.phrase not in phrases:
                phrases.append(m.phrase)
    return out
