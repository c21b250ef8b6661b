"""Where the review cites each work, section by section: the narrative skeleton's map.

``corpus/narrative.yaml``::

    version: 1
    sections:
    - id: improving-worsening       # a theme id (section 2 of the reference review) ...
      theme: improving-worsening
      lines: [144, 179]             # the review's lines this section spans
      subsections:
      - title: Continuing concerns  # a short label of our own
        lines: [150, 165]
        cites:
        - {key: Hoque2004, role: direct, lines: [160, 170]}
        - {key: Kirkpatrick2009, role: international, lines: [301]}
        - {ref: "Author and others 2010", role: background, lines: [152]}  # no record in the corpus
    - id: clinical-leadership       # ... or a section of its own, with a title
      title: The push for clinical leadership
      subsections: [...]

Why a file of its own: the themes say which studies *could* serve a theme; this file says which
works the review *does* draw on in each part of its text, in which role (an included study, a
study from another country used to make a point, a background source), so the skeleton can
list every source a writer needs under each heading, and each included study's summary is
written once. Every finding is a :class:`~litreview.model.Problem` with file and line.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litreview.files.schema import FileSchema, listed_items
from litreview.files.yamlio import line_of, load_yaml, suggest
from litreview.model import Location, Problem, Severity

VERSION = 1
SCHEMA = FileSchema(
    "the narrative map",
    ("version", "sections"),
    VERSION,
    "the narrative map must be a mapping with 'version' and 'sections'",
)
#: the roles a cited work plays; ``direct`` and ``related`` are included studies
ROLES = ("direct", "related", "international", "background")
ROLE_HEADINGS = {
    "direct": "Directly relevant studies",
    "related": "Related studies",
    "international": "Studies from other countries, in whole or in part",
    "background": "Background sources",
}


@dataclass(frozen=True)
class Cite:
    """One work cited in a subsection: a corpus key or, for a work with no record, a reference."""

    key: str
    ref: str
    role: str
    lines: tuple[int, ...]
    line: int | None = None  # where in narrative.yaml


@dataclass(frozen=True)
class Subsection:
    title: str
    lines: tuple[int, ...]
    cites: tuple[Cite, ...]


@dataclass(frozen=True)
class Section:
    id: str
    theme: str
    title: str
    lines: tuple[int, ...]
    subsections: tuple[Subsection, ...]


@dataclass(frozen=True)
class NarrativeMap:
    sections: tuple[Section, ...]
    problems: tuple[Problem, ...] = ()

    def cited_keys(self) -> list[str]:
        """Every corpus key the map cites, once, in the order first cited."""
        return list(
            dict.fromkeys(
                c.key for s in self.sections for sub in s.subsections for c in sub.cites if c.key
            )
        )


def load_narrative(
    path: Path,
    display: str | None = None,
    known_keys: Collection[str] | None = None,
    relevance: Mapping[str, str] | None = None,
    theme_ids: Collection[str] = (),
    aliases: Mapping[str, str] | None = None,
) -> NarrativeMap:
    """Read and check the map; an unreadable file raises ConfigError (from :func:`load_yaml`).

    ``relevance``: included study -> ``direct``/``related`` (from the extraction), so a role
    that disagrees with the study's relevance, or an included role on a study that is not
    included, is an error. ``aliases``: absorbed key -> survivor, so a key a merge absorbed
    still counts (as its survivor).
    """
    shown = display or path.as_posix()
    return parse_narrative(load_yaml(path, shown), shown, known_keys, relevance, theme_ids, aliases)


def parse_narrative(
    data: Any,
    path: str,
    known_keys: Collection[str] | None = None,
    relevance: Mapping[str, str] | None = None,
    theme_ids: Collection[str] = (),
    aliases: Mapping[str, str] | None = None,
) -> NarrativeMap:
    problems: list[Problem] = []
    known = set(known_keys) if known_keys is not None else None
    alias = dict(aliases or {})

    def err(
        node: Any,
        key: str | None,
        message: str,
        code: str,
        hint: str | None = None,
        severity: Severity = Severity.ERROR,
        missing: str | None = None,
    ) -> None:
        problems.append(
            Problem(
                Location(path, line_of(node, key) if key else line_of(node)),
                message,
                severity,
                code,
                hint,
                missing,
            )
        )

    if data is None:
        return NarrativeMap(())
    raw_sections, listed = listed_items(data, path, SCHEMA, "sections")
    problems.extend(listed)
    if raw_sections is None:
        return NarrativeMap((), tuple(problems))
    sections: list[Section] = []
    seen: dict[str, int | None] = {}
    for raw in raw_sections:
        if not isinstance(raw, dict):
            err(raw, None, "each section must be a mapping with an 'id'", "type")
            continue
        _unknown(raw, ("id", "theme", "title", "lines", "subsections"), err)
        sid = str(raw.get("id") or "").strip()
        if not sid:
            err(raw, None, "a section without an 'id'", "type")
            continue
        if sid in seen:
            err(
                raw,
                "id",
                f"section {sid!r} appears twice (first at line {seen[sid]})",
                "narrative-duplicate",
            )
            continue
        seen[sid] = line_of(raw, "id")
        theme = str(raw.get("theme") or "").strip()
        if theme and theme_ids and theme not in theme_ids:
            err(
                raw,
                "theme",
                f"unknown theme {theme!r}",
                "unknown-theme",
                suggest(theme, sorted(theme_ids)),
            )
        title = str(raw.get("title") or "").strip()
        if not theme and not title:
            err(raw, "id", f"section {sid!r} needs a 'theme' or a 'title'", "type")
        subs: list[Subsection] = []
        raw_subs = raw.get("subsections") or []
        if not isinstance(raw_subs, list):
            err(raw, "subsections", "'subsections' must be a list", "type")
            raw_subs = []
        for rs in raw_subs:
            if not isinstance(rs, dict):
                err(
                    rs, None, "each subsection must be a mapping with a 'title' and 'cites'", "type"
                )
                continue
            _unknown(rs, ("title", "lines", "cites"), err)
            cites: list[Cite] = []
            raw_cites = rs.get("cites") or []
            if not isinstance(raw_cites, list):
                err(rs, "cites", "'cites' must be a list", "type")
                raw_cites = []
            for rc in raw_cites:
                cite = _cite(rc, err, known, relevance, alias)
                if cite is not None:
                    cites.append(cite)
            subs.append(
                Subsection(str(rs.get("title") or "").strip(), _lines(rs, err), tuple(cites))
            )
        sections.append(Section(sid, theme, title, _lines(raw, err), tuple(subs)))
    return NarrativeMap(tuple(sections), tuple(problems))


def _unknown(node: Mapping[str, Any], allowed: tuple[str, ...], err: Any) -> None:
    for k in node:
        if k not in allowed:
            err(node, k, f"unknown key {k!r}", "unknown-key", suggest(str(k), list(allowed)))


def _lines(node: Mapping[str, Any], err: Any) -> tuple[int, ...]:
    raw = node.get("lines")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in raw
    ):
        err(
            node,
            "lines",
            "'lines' must be a list of line numbers of the review (1 or more)",
            "narrative-lines",
        )
        return ()
    return tuple(raw)


def _cite(
    rc: Any,
    err: Any,
    known: set[str] | None,
    relevance: Mapping[str, str] | None,
    alias: Mapping[str, str],
) -> Cite | None:
    if not isinstance(rc, dict):
        err(rc, None, "each cite is a mapping with 'key' (or 'ref'), 'role' and 'lines'", "type")
        return None
    _unknown(rc, ("key", "ref", "role", "lines"), err)
    key = str(rc.get("key") or "").strip()
    ref = str(rc.get("ref") or "").strip()
    role = str(rc.get("role") or "").strip()
    if bool(key) == bool(ref):
        err(
            rc,
            None,
            "a cite names a corpus record by 'key' or, for a work with no record, gives a 'ref' "
            "(one of the two)",
            "type",
        )
        return None
    if role not in ROLES:
        err(
            rc,
            "role" if "role" in rc else None,
            f"role must be one of {', '.join(ROLES)}, not {role!r}",
            "narrative-role",
            suggest(role, ROLES),
        )
        return None
    if key:
        key = alias.get(key, key)
        if known is not None and key not in known:
            err(
                rc,
                "key",
                f"{key!r} is not a record in the corpus",
                "unknown-key-ref",
                suggest(key, sorted(known)),
                missing=key,
            )
            return None
        if relevance is not None:
            included = relevance.get(key)
            if role in ("direct", "related") and included is None:
                err(
                    rc,
                    "role",
                    f"{key!r} is cited as an included study ({role}) but is not included",
                    "narrative-role",
                    "give it the role 'international' or 'background', or include it",
                )
            elif role in ("direct", "related") and included and included != role:
                err(
                    rc,
                    "role",
                    f"{key!r} is cited as {role} but the extraction says {included}",
                    "narrative-role",
                )
            elif role in ("international", "background") and included:
                err(
                    rc,
                    "role",
                    f"{key!r} is an included study ({included}); cite it with that role",
                    "narrative-role",
                )
    elif role in ("direct", "related"):
        err(rc, "role", "an included study must be cited by its corpus key", "narrative-role")
    return Cite(key, ref, role, _lines(rc, err), line_of(rc))
