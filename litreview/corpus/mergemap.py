"""Which record a key lives in now: the chains of merges the dedupe log records, followed one way.

Every file people write names records by key (decisions, theme overrides, corrections, full
texts, extraction), and a later ``dedupe`` may absorb a record into another. Each reader used
to follow the dedupe log's ``absorbed -> survivor`` links with its own loop and its own rule
for where to stop; this is the one rule: follow the links until a key of the corpus is reached
(or, without a corpus to hand, until the chain ends), and never loop on a hand-made cycle.
"""

from __future__ import annotations

from collections.abc import Container, Mapping

#: longest chain followed; a longer one is a hand-edited log, not a real history of merges
MAX_CHAIN = 64


class MergeMap:
    """``absorbed key -> survivor key`` links (``DuplicatesFile.aliases()``), followed."""

    __slots__ = ("links",)

    def __init__(self, links: Mapping[str, str] | None = None) -> None:
        self.links: Mapping[str, str] = links or {}

    def __bool__(self) -> bool:
        return bool(self.links)

    def final(self, key: str) -> str:
        """The end of ``key``'s chain of merges (``key`` itself when nothing absorbed it)."""
        seen = 0
        while key in self.links and seen < MAX_CHAIN:
            key, seen = self.links[key], seen + 1
        return key

    def survivor(self, key: str, known: Container[str]) -> str | None:
        """The record in ``known`` that absorbed ``key``, through one merge or a chain; None when
        no merge absorbed it, or its chain leaves the corpus or loops."""
        seen = {key}
        while key in self.links:
            key = self.links[key]
            if key in known:
                return key
            if key in seen or len(seen) > MAX_CHAIN:
                return None
            seen.add(key)
        return None

    def resolve(self, key: str, known: Container[str]) -> str | None:
        """``key`` if it is a record of ``known``, else its survivor there, else None."""
        return key if key in known else self.survivor(key, known)

    def absorbed_into(self, known: Container[str] = ()) -> dict[str, str]:
        """Every absorbed key -> where its chain stops: at the first key of ``known`` on the way,
        else at the chain's end (a cycle stops where it would repeat)."""
        out: dict[str, str] = {}
        for key in self.links:
            seen = {key}
            target = self.links[key]
            while target in self.links and target not in seen and target not in known:
                seen.add(target)
                target = self.links[target]
            out[key] = target
        return out
