"""YAML in and out: safe loading only, with the line of every mapping kept for error messages."""

from __future__ import annotations

import difflib
import enum
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import yaml

from litreview.errors import ConfigError, os_problem
from litreview.files.flatyaml import LOAD_RESOLVERS, WIDTH, dump_flat, read_flat
from litreview.files.fsutil import note_taken
from litreview.model import Location, Problem, Severity


class LineDict(dict[str, Any]):
    """A mapping that remembers the line it started on (1-based)."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list[Any]):
    line: int = 0


#: Deepest nesting of lists and mappings accepted; real files use fewer than ten levels.
MAX_YAML_DEPTH = 100
#: How many values aliases (``*name``) may add to a file beyond those written out in it. Anchors
#: and aliases are legitimate YAML, but ten anchors of ten aliases each make ten billion values
#: out of a few hundred bytes ("billion laughs"); such a file is refused before it is built.
MAX_ALIAS_EXPANSION = 100_000


class _Bounded(yaml.composer.Composer, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
    """PyYAML's safe composing and constructing, bounded: plain scalars, lists and mappings only,
    limited nesting and alias expansion, and every failure a :class:`yaml.MarkedYAMLError` with a
    line. The two loaders below differ only in what turns text into events."""

    _depth = 0
    _alias_mark: yaml.Mark | None = None

    if TYPE_CHECKING:  # supplied by the parser each loader below adds

        def check_event(self, *choices: Any) -> bool: ...
        def peek_event(self) -> Any: ...

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self._alias_mark is None and self.check_event(yaml.AliasEvent):
            self._alias_mark = self.peek_event().start_mark
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"lists and mappings nested more than {MAX_YAML_DEPTH} deep (the limit)",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_data(self) -> Any:
        node = self.get_single_node()
        if node is None:
            return None
        _check_expansion(node, self._alias_mark)
        return self.construct_document(node)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, AttributeError, ArithmeticError, LookupError) as exc:
            # an explicit tag on text that does not fit it (``!!int abc``), or an integer too long
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"cannot read {str(node.value)[:40]!r} as {_short_tag(node.tag)} "
                f"({type(exc).__name__})",
                node.start_mark,
            ) from None

    def construct_undefined(self, node: yaml.Node) -> Any:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"tag {_short_tag(node.tag)} is not allowed: litreview reads only text, numbers, "
            "true/false, lists and mappings (nothing in a data file is ever run)",
            node.start_mark,
        )


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, _Bounded):
    """Events from PyYAML's pure-Python parser: its messages are the ones people see for the
    files they edit by hand."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


_CParser: Any = (
    getattr(getattr(yaml, "_yaml", None), "CParser", None) if yaml.__with_libyaml__ else None
)

#: Texts longer than this are parsed by libyaml when PyYAML has it (three times faster on a
#: 10 MB ``duplicates.yaml``); composing, the limits and constructing stay the Python code above.
FAST_PARSE_CHARS = 256 * 1024


if _CParser is not None:

    class _FastLoader(_Bounded, _CParser):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)


def _short_tag(tag: str) -> str:
    return (
        "!!" + tag.removeprefix("tag:yaml.org,2002:")
        if tag.startswith("tag:yaml.org,2002:")
        else tag
    )


def _check_expansion(root: yaml.Node, alias_mark: yaml.Mark | None) -> None:
    """Refuse a node graph whose aliases expand it by more than MAX_ALIAS_EXPANSION values, or loop."""
    if alias_mark is None:
        return  # no aliases: the graph is a tree
    size: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        ident = id(node)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if done:
            on_stack.discard(ident)
            size[ident] = 1 + sum(size[id(c)] for c in children)
            continue
        if ident in size:
            continue
        if ident in on_stack:
            raise yaml.composer.ComposerError(
                None, None, "an alias refers to a list or mapping that contains it", alias_mark
            )
        on_stack.add(ident)
        stack.append((node, True))
        for child in children:
            if id(child) not in size:
                if id(child) in on_stack:
                    raise yaml.composer.ComposerError(
                        None,
                        None,
                        "an alias refers to a list or mapping that contains it",
                        alias_mark,
                    )
                stack.append((child, False))
    if size[id(root)] - len(size) > MAX_ALIAS_EXPANSION:
        raise yaml.composer.ComposerError(
            None,
            None,
            f"aliases (*name) expand this file by more than {MAX_ALIAS_EXPANSION} values "
            "(the limit, which guards against alias bombs)",
            alias_mark,
        )


def _construct_mapping(loader: _Bounded, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        value = loader.construct_object(value_node, deep=True)
        if isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a scalar", key_node.start_mark
            )
        skey = str(key)
        if skey in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {skey!r} appears twice in one mapping", key_node.start_mark
            )
        out[skey] = value
        out.key_lines[skey] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _Bounded, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    return out


_registry = cast(Any, _Bounded)  # the stubs only know PyYAML's own loader classes
_registry.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_registry.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# binary, sets, ordered pairs and timestamps are nothing a litreview file holds: refuse the tags
for _tag in ("binary", "set", "omap", "pairs", "timestamp"):
    _Bounded.yaml_constructors.pop(f"tag:yaml.org,2002:{_tag}", None)
_registry.add_constructor(None, _Bounded.construct_undefined)
# dates stay strings: a decision's date is what the person wrote, not a datetime
_Bounded.yaml_implicit_resolvers = LOAD_RESOLVERS


#: a line git writes where a merge left both sides: ``<<<<<<< HEAD``, ``|||||||`` (diff3's
#: base), ``=======``, ``>>>>>>> branch``, alone or with a label, in a file with LF or CRLF lines
_CONFLICT_MARKER = re.compile(r"^(?:<{7}|\|{7}|={7}|>{7})(?:[ \t][^\r\n]*)?\r?$", re.MULTILINE)


def conflict_marker_lines(text: str) -> list[tuple[int, str]]:
    """Each git merge-conflict marker line as (line number, the line), when ``text`` has an
    opening and a closing one (a merge left unfinished); else none: a line of seven ``=`` alone
    may be a file's own text. Every file people or branches write is checked with this one
    rule (records.bib, the YAML files, absorbed.bib, templates)."""
    if "<<<<<<<" not in text or ">>>>>>>" not in text:
        return []
    found = list(_CONFLICT_MARKER.finditer(text))
    if not any(m.group(0)[0] == "<" for m in found) or not any(m.group(0)[0] == ">" for m in found):
        return []
    return [(text.count("\n", 0, m.start()) + 1, m.group(0)) for m in found]


def merge_conflict_markers(
    text: str,
    path: str,
    hint: str = "finish the merge: keep what you want between the markers, delete the marker lines",
) -> list[Problem]:
    """An error at each line of a git merge-conflict marker (:func:`conflict_marker_lines`)."""
    return [
        Problem(
            Location(path, line),
            f"git merge-conflict marker {marker[:7]}",
            Severity.ERROR,
            "merge-conflict",
            hint,
        )
        for line, marker in conflict_marker_lines(text)
    ]


#: Texts longer than this are first offered to :func:`litreview.files.flatyaml.read_flat`
#: (people's decisions files of a large review: ~40 times faster than composing them here)
FLAT_MIN_CHARS = 64 * 1024


def _parse_item(text: str, lines_before: int) -> Any:
    """One item of a flat file read alone, for read_flat, with the lines it has in the file;
    raises whatever PyYAML raises."""
    loader: Any = _FastLoader if _CParser is not None else _Loader
    out = yaml.load(text, Loader=loader)
    stack = [out]
    while stack:
        node = stack.pop()
        if isinstance(node, (LineDict, LineList)) and node.line:
            node.line += lines_before
        if isinstance(node, LineDict):
            node.key_lines = {k: v + lines_before for k, v in node.key_lines.items()}
            stack.extend(node.values())
        elif isinstance(node, LineList):
            stack.extend(node)
    return out


def load_yaml_text(text: str, path: str, fast: bool = False) -> Any:
    """Parse YAML safely; a syntax error becomes a ConfigError naming the file and line.

    ``fast``: libyaml parses whatever the size (a file read on every small command); a text it
    refuses is parsed again the usual way, so that the error reads the same.

    A merge left unfinished (git's conflict markers) is an error at each marker before any
    parsing: markers inside a quoted value that spans lines parse without a word, as words of
    the value, and both sides would be read as one.
    """
    markers = merge_conflict_markers(text, path)
    if markers:
        raise ConfigError(markers)
    if len(text) > FLAT_MIN_CHARS:
        flat = read_flat(text, LineDict, LineList, _parse_item)
        if flat is not None:
            return flat
    if fast and _CParser is not None and len(text) <= FAST_PARSE_CHARS:
        try:
            return yaml.load(text, Loader=_FastLoader)
        except (yaml.YAMLError, RecursionError):
            pass
    loader: Any = (
        _FastLoader if (_CParser is not None and len(text) > FAST_PARSE_CHARS) else _Loader
    )
    try:
        return yaml.load(text, Loader=loader)
    except RecursionError:
        raise ConfigError.at(
            Location(path), "invalid YAML: nested too deeply to read", code="yaml"
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise ConfigError.at(
            Location(path, line), f"invalid YAML: {exc.problem or exc}", code="yaml"
        ) from None
    except (
        yaml.reader.ReaderError
    ) as exc:  # a character YAML refuses (NUL, other controls): its line
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise ConfigError.at(
            Location(path, line),
            f"invalid YAML: character {char} is not allowed in YAML text",
            hint="delete it: a control character, perhaps from a copy and paste",
            code="yaml",
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError.at(Location(path), f"invalid YAML: {exc}", code="yaml") from None


def read_input_text(path: Path) -> str:
    """``path.read_text(encoding="utf-8-sig")``, the bytes read noted as what this process took
    the file to hold (:func:`litreview.files.fsutil.note_taken`): a derived result computed
    from them is cached only under a digest of these same bytes. Raises as ``read_text`` does."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        note_taken(path, None)
        raise
    note_taken(path, data)
    text = data.decode("utf-8-sig")
    if "\r" in text:  # as read_text's universal newlines
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def load_yaml(path: Path, display: str | None = None, fast: bool = False) -> Any:
    shown = display or path.as_posix()
    try:
        text = read_input_text(path)
    except FileNotFoundError:
        raise ConfigError.at(Location(shown), "file not found", code="missing-file") from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise ConfigError.at(
            Location(shown, line),
            f"not UTF-8 text (byte {exc.start}, on line {line})",
            hint="save the file as UTF-8, or type the character on that line again",
            code="encoding",
        ) from None
    except (
        OSError
    ) as exc:  # a folder named like the file, permissions: with the advice every command gives
        raise ConfigError([os_problem(exc, shown)]) from None
    return load_yaml_text(text, shown, fast)


def load_optional_yaml(path: Path, display: str, fast: bool = False) -> tuple[Any, list[Problem]]:
    """A decisions file that may not exist yet: ``(MISSING, [])`` when absent, problems when unreadable.

    People's decision files are optional and their loaders report problems rather than raise,
    so that every problem of every file can be shown together.
    """
    if not path.exists():
        note_taken(path, None)
        return MISSING, []
    try:
        return load_yaml(path, display, fast), []
    except ConfigError as exc:
        return MISSING, list(exc.problems)


#: What :func:`load_optional_yaml` returns for a file that is absent or unreadable (an empty
#: file is ``None``, which the caller validates like any other content).
MISSING: Any = object()


def line_of(node: Any, key: str | None = None) -> int | None:
    if isinstance(node, LineDict):
        if key is not None and key in node.key_lines:
            return node.key_lines[key]
        return node.line or None
    if isinstance(node, LineList):
        return node.line or None
    return None


def suggest(name: str, choices: list[str] | set[str] | tuple[str, ...]) -> str | None:
    """``did you mean 'x'?`` for a misspelt key, or None when nothing is close."""
    match = difflib.get_close_matches(
        name, sorted(str(c) for c in choices), n=1, cutoff=0.6
    )  # str: StrEnum members
    return f"did you mean {match[0]!r}?" if match else None


def dump_yaml(data: Any) -> str:
    """Deterministic YAML: keys in the order given, block style, Unicode kept, no aliases."""

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    # a StrEnum (litreview.outcomes) is written as the plain string it is
    _Dumper.add_multi_representer(enum.StrEnum, lambda d, v: _str(d, str(v)))
    _Dumper.add_representer(LineDict, lambda d, v: d.represent_dict(dict(v)))
    _Dumper.add_representer(LineList, lambda d, v: d.represent_list(list(v)))

    def dump(value: Any) -> str:
        return yaml.dump(
            value,
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=True,
            width=WIDTH,
            default_flow_style=False,
        )

    flat = dump_flat(data, dump)
    return dump(data) if flat is None else flat
