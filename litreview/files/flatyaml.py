"""A fast path through the YAML that litreview writes for people's decisions.

A review of 100,000 records holds decisions files of ~10 MB: a list of small mappings of
one-line values (``- key: Smith2010`` / ``  stage: title-abstract`` / ...). PyYAML composes
such a file node by node in Python (~12 s) and emits it the same way (~25 s), so every
``screen decide`` took half a minute. This module reads and writes exactly that shape itself,
line by line, and hands everything else to PyYAML:

* :func:`read_flat` returns what :func:`litreview.files.yamlio.load_yaml_text` would (the same
  values, the same :class:`LineDict` / :class:`LineList` lines), or ``None`` when the text is
  not of the shape; an item with a line it does not know (a nested list, a value over two
  lines, a comment after a value) is parsed alone by PyYAML, and any error sends the whole
  file back to PyYAML so that the message is the one people always see.
* :func:`dump_flat` returns the bytes PyYAML's emitter would write, or ``None``; a value it
  cannot prove it writes the same way (a long text PyYAML would fold, one needing escapes)
  sends its item through PyYAML alone.

Both are checked against PyYAML over generated documents in tests/test_flatyaml.py.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import yaml

#: a key as litreview writes them (PyYAML writes these plain, and reads them as text)
_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_TOP = re.compile(rf"({_KEY}):(?: (.*))?")
_ITEM = re.compile(rf"- ({_KEY}):(?: (.*))?")
_FIELD = re.compile(rf"  ({_KEY}):(?: (.*))?")
#: a plain value read here: words with single spaces between them, the first not starting
#: with one of YAML's indicators, none starting with ``#`` (a comment), a colon only inside a
#: word (``: `` ends a key), so that the line means only itself
_PLAIN = re.compile(
    r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:[^\s:]|:(?=\S))*(?: (?!#)(?:[^\s:]|:(?=\S))+)*"
)
_SINGLE = re.compile(r"'((?:[^'\t]|'')*)'")
_DOUBLE = re.compile(r'"([^"\\\t]*)"')
_INT = re.compile(r"0|[1-9][0-9]*")
#: characters PyYAML's reader refuses, and the line breaks YAML has besides ``\n``: a text with
#: any of them is PyYAML's to read (or refuse)
_NOT_FLAT = re.compile(
    "[^\x09\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)

_STR = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
#: beyond this many items read by PyYAML (and a quarter of those seen), the file is not of the
#: shape and PyYAML reads it whole (duplicates.yaml, whose merges nest lists)
_GIVE_UP = 64
#: PyYAML folds a text with spaces once its line passes this column (``dump_yaml``'s width)
WIDTH = 100


def read_flat(
    text: str,
    line_dict: Callable[[], Any],
    line_list: Callable[[], Any],
    parse: Callable[[str, int], Any],
) -> Any | None:
    """The document ``text`` holds, or None when PyYAML must read it (see the module's
    docstring). ``line_dict``/``line_list`` make yamlio's line-keeping containers; ``parse``
    is yamlio's PyYAML load of an item alone, given the lines before it (it raises on a bad
    item)."""
    if _NOT_FLAT.search(text) or "\r" in text:
        return None
    lines = text.split("\n")
    root = line_dict()
    root.key_lines = {}
    seq: Any = None  # the list the item lines below a ``key:`` go to
    open_key: str | None = None  # a ``key:`` that has no items yet
    item: Any = None
    item_start = 0  # index of the item's first line
    slow = False  # the item has a line only PyYAML reads
    seen = pyyaml = 0

    def close_item(end: int) -> bool:
        nonlocal item, seen, pyyaml
        if item is None:
            return True
        seen += 1
        if slow:
            pyyaml += 1
            if pyyaml > _GIVE_UP and pyyaml * 4 > seen:
                return False
            try:
                # with the line break that ends its last line: a block text kept to its
                # last line break (``|+``) holds the blank lines before the next item
                chunk = "\n".join(lines[item_start:end]) + ("\n" if end < len(lines) else "")
                parsed = parse(chunk, item_start)
            except Exception:  # any trouble: PyYAML reads the whole file, for its message
                return False
            if not isinstance(parsed, list) or len(parsed) != 1:
                return False
            seq.append(parsed[0])
        else:
            seq.append(item)
        item = None
        return True

    for i, line in enumerate(lines):
        if not line:
            continue
        if line[0] == " ":
            if item is not None and not slow:
                m = _FIELD.fullmatch(line)
                if m is not None:
                    key, raw = m.groups()
                    value = _value(raw)
                    if value is not _NO and key not in item:
                        item[key] = value
                        item.key_lines[key] = i + 1
                        continue
            stripped = line.lstrip()
            if not stripped or stripped[0] == "#":
                continue  # a blank or comment line
            if item is None:
                return None  # an indented line outside any item
            slow = True  # a line of the item only PyYAML reads
            continue
        if line[0] == "#":
            continue
        if line.startswith("-"):
            if seq is None or not close_item(i):
                return None
            item_start, slow = i, False
            m = _ITEM.fullmatch(line)
            item = line_dict()
            item.line = i + 1
            item.key_lines = {}
            if open_key is not None:
                seq.line = i + 1
                open_key = None
            if m is None or (value := _value(m.group(2))) is _NO:
                slow = True
                continue
            item[m.group(1)] = value
            item.key_lines[m.group(1)] = i + 1
            continue
        if not close_item(i):
            return None
        if open_key is not None:  # ``key:`` with nothing under it
            root[open_key] = None
            open_key = None
        seq = None
        m = _TOP.fullmatch(line)
        if m is None or m.group(1) in root:
            return None
        key, raw = m.group(1), m.group(2)
        if not root:
            root.line = i + 1
        root.key_lines[key] = i + 1
        if raw is None:
            seq = line_list()
            open_key = key
            root[key] = seq
            continue
        if raw == "[]":
            value = line_list()
            value.line = i + 1
        elif raw == "{}":
            value = line_dict()
            value.line = i + 1
            value.key_lines = {}
        else:
            value = _value(raw)
            if value is _NO:
                return None
        root[key] = value
    if not close_item(len(lines)):
        return None
    if open_key is not None:
        root[open_key] = None
    return root if root else None


_NO: Any = object()
#: a word PyYAML reads as text: letters first, then letters, digits, ``_`` and ``-`` (a
#: citation key, a stage, a reviewer), unless it is one of the words it reads as true, false
#: or null (no other implicit type starts with a letter)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_NOT_TEXT = frozenset(
    [
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "NO",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "null",
        "Null",
        "NULL",
    ]
)


def _value(raw: str | None) -> Any:
    """One value as written after ``key: ``, or ``_NO`` when only PyYAML should read it."""
    if raw is not None and raw not in _NOT_TEXT and _WORD.fullmatch(raw):
        return raw  # most values: no cache to look up or fill (each record's key is new)
    if raw and raw[0].isascii() and raw[0].isalpha() and " " in raw and _PLAIN.fullmatch(raw):
        return raw  # words (a title): only true/false/null words start with a letter, and a
        # text of several words is none of them
    return _other_value(raw)


@lru_cache(maxsize=4096)
def _other_value(raw: str | None) -> Any:
    if raw is None:
        return _NO  # ``key:`` alone in an item: a null, or a nested list or mapping
    if _PLAIN.fullmatch(raw):
        tag = _load_tag(raw)
        if tag == _STR:
            return raw
        if tag == _INT_TAG and _INT.fullmatch(raw):
            return int(raw)
        if tag == _BOOL and raw in ("true", "false"):
            return raw == "true"
        return _NO
    m = _SINGLE.fullmatch(raw)
    if m:
        return m.group(1).replace("''", "'")
    m = _DOUBLE.fullmatch(raw)
    if m:
        return m.group(1)
    return _NO


#: how litreview reads a plain value: as PyYAML's safe loader does, except that a date stays
#: text (a decision's date is what the person wrote, not a datetime); yamlio's loader uses these
LOAD_RESOLVERS = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _LoadResolver(yaml.resolver.Resolver):
    yaml_implicit_resolvers = LOAD_RESOLVERS


_LOAD = _LoadResolver()
_DUMP = yaml.resolver.Resolver()


@lru_cache(maxsize=4096)
def _load_tag(value: str) -> str:
    return str(_LOAD.resolve(yaml.ScalarNode, value, (True, False)))  # type: ignore[no-untyped-call]


# --- writing ------------------------------------------------------------------------------------


class _Analyser:
    allow_unicode = True


_ANALYSER = _Analyser()


#: words of letters, digits and quiet punctuation, a letter first and single spaces between:
#: text PyYAML's emitter writes plain (nothing in it is an indicator or needs escaping), which no
#: implicit type reads when it holds a space (the title a decision keeps, a note)
_QUIET = re.compile(r"[A-Za-z][\w.,;()/'+=…-]*(?: [\w.,;()/'+=…-]+)+")


def _text(value: str) -> str | None:
    """A text value as PyYAML's emitter writes it when nothing folds it, or None when it would
    need PyYAML (a line break, a character it escapes)."""
    if _QUIET.fullmatch(value):
        return value  # no cache to fill: a record's title is written once
    return _analysed_text(value)


@lru_cache(maxsize=4096)
def _analysed_text(value: str) -> str | None:
    if any(c in value for c in "\n\r\x85\u2028\u2029"):
        return None
    analysis = yaml.emitter.Emitter.analyze_scalar(_ANALYSER, value)  # type: ignore[arg-type]
    tag = _DUMP.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    implicit = tag == _STR
    if implicit and analysis.allow_block_plain and not analysis.empty and not analysis.multiline:
        return value
    if analysis.allow_single_quoted and not analysis.multiline:
        return "'" + value.replace("'", "''") + "'"
    return None


def _scalar(value: Any, column: int) -> str | None:
    """``value`` as PyYAML writes it starting at ``column``, or None."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is int:
        return str(value)
    if isinstance(value, enum.StrEnum):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = _text(value)
    if text is None or (" " in text and column + len(text) > WIDTH):
        return None
    return text


@lru_cache(maxsize=1024)
def _key_ok(key: Any) -> bool:
    return (
        isinstance(key, str)
        and len(key) < 100
        and re.fullmatch(_KEY, key) is not None
        and _text(key) == key
    )


def dump_flat(data: Any, dump_alone: Callable[[Any], str]) -> str | None:
    """What ``yaml.dump`` (as :func:`litreview.files.yamlio.dump_yaml` calls it) writes for
    ``data``, or None when only PyYAML should write it. ``dump_alone`` is that dump, for one
    item this cannot write, as a list of its own (PyYAML writes it the same way there)."""
    if not isinstance(data, dict) or not data:
        return None
    out: list[str] = []
    seen = by_pyyaml = 0
    for key, value in data.items():
        if not _key_ok(key):
            return None
        if isinstance(value, list):
            if not value:
                out.append(f"{key}: []\n")
                continue
            out.append(f"{key}:\n")
            for item in value:
                seen += 1
                text = _item(item)
                if text is None:
                    by_pyyaml += 1
                    if by_pyyaml > _GIVE_UP and by_pyyaml * 4 > seen:
                        return None  # not of the shape: one call of PyYAML is quicker
                    text = dump_alone([item])
                if text.endswith("\n...\n"):
                    return None  # a text kept to its last line break: PyYAML ends the stream
                out.append(text)
        elif isinstance(value, dict):
            if value:
                return None
            out.append(f"{key}: {{}}\n")
        else:
            scalar = _scalar(value, len(key) + 2)
            if scalar is None:
                return None
            out.append(f"{key}: {scalar}\n")
    return "".join(out)


def _item(item: Any) -> str | None:
    if not isinstance(item, dict) or not item:
        return None
    parts: list[str] = []
    for key, value in item.items():
        if not _key_ok(key):
            return None
        text = _scalar(value, len(key) + 4)
        if text is None:
            return None
        parts.append(f"{'  ' if parts else '- '}{key}: {text}\n")
    return "".join(parts)
