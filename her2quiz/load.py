"""YAML text -> a positioned tree, safely.

The only place that parses YAML. It reads libyaml's event stream (``yaml.parse`` with
the C parser) and composes its own small tree, which lets it refuse what PyYAML lets
through or cannot bound:

* tags are refused (``!!python/...`` builds objects; nothing here ever constructs one);
* a duplicate mapping key is an error at the second key (PyYAML keeps the last one);
* one document only; an empty file is an error;
* nesting depth, file size and alias expansion are bounded, so a hostile file fails in
  milliseconds with a message instead of exhausting the stack or memory.

Plain scalars are resolved like PyYAML's safe loader (YAML 1.1: ``yes`` is a boolean,
``2005`` an integer), so the validator can tell an author to quote them. Every node keeps
its 1-based line and column.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from yaml.resolver import Resolver

from .diagnostics import Diagnostic

try:  # libyaml is what makes loading fast; the pure-Python parser is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
MAX_NODES = 600_000  # nodes after alias expansion: twice a 10,000-question bank (287,000)

_TAGS = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
    "tag:yaml.org,2002:timestamp": "timestamp",
    "tag:yaml.org,2002:merge": "merge",
    "tag:yaml.org,2002:value": "str",
}
_IMPLICIT = Resolver.yaml_implicit_resolvers
_STR_TAG = "tag:yaml.org,2002:str"
_BOOLS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}


class Node:
    """A node of the positioned tree (1-based ``line`` and ``column``)."""

    __slots__ = ("column", "line")
    kind = "node"

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


class Scalar(Node):
    """A scalar: ``value`` is resolved (str, int, float, bool, None or the text of a date)."""

    __slots__ = ("text", "type", "value")
    kind = "scalar"

    def __init__(self, line: int, column: int, text: str, type_: str, value: Any) -> None:
        self.line = line  # set here, not by Node.__init__: one call less per scalar
        self.column = column
        self.text = text
        self.type = type_
        self.value = value


class Mapping(Node):
    """A mapping; ``pairs`` keeps key nodes for positions, ``fields`` looks values up."""

    __slots__ = ("fields", "pairs")
    kind = "mapping"

    def __init__(self, line: int, column: int) -> None:
        super().__init__(line, column)
        self.pairs: list[tuple[Scalar, Node]] = []
        self.fields: dict[str, Node] = {}

    def key_node(self, key: str) -> Scalar | None:
        for k, _ in self.pairs:
            if k.value == key:
                return k
        return None


class Sequence(Node):
    __slots__ = ("items",)
    kind = "sequence"

    def __init__(self, line: int, column: int) -> None:
        super().__init__(line, column)
        self.items: list[Node] = []


Tree = Scalar | Mapping | Sequence


class LoadError(Exception):
    """The file cannot become a tree; carries the diagnostic that says why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.concise())
        self.diagnostic = diagnostic


def resolve_plain(text: str) -> tuple[str, object]:
    """The type and value PyYAML's safe loader gives a plain (unquoted) scalar."""
    resolvers = _IMPLICIT.get(text[:1] if text else None, ())
    for tag, regexp in resolvers:
        if regexp.match(text):
            type_ = _TAGS.get(tag, "str")
            return type_, _convert(type_, text)
    return "str", text


def _convert(type_: str, text: str) -> object:
    if type_ == "bool":
        return _BOOLS[text.lower()]
    if type_ == "null":
        return None
    if type_ in ("int", "float"):
        try:
            return int(text.replace("_", ""), 0) if type_ == "int" else float(text.replace("_", ""))
        except ValueError:
            return text  # sexagesimal and other YAML 1.1 oddities: the type is what matters
    return text


def decode(data: bytes, display: str) -> str:
    if len(data) > MAX_BYTES:
        raise LoadError(
            Diagnostic(
                display, 1, 1, "E009", f"file is {len(data):,} bytes; the limit is {MAX_BYTES:,} bytes"
            )
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise LoadError(
            Diagnostic(
                display,
                line,
                column,
                "E002",
                f"file is not UTF-8: invalid byte 0x{data[e.start]:02x} at byte offset {e.start}",
            )
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise LoadError(Diagnostic(display, line, column, "E010", "NUL byte (U+0000) in the file"))
    return text


def parse(text: str, display: str) -> tuple[Tree, list[Diagnostic]]:
    """Compose the single document of ``text``; raises LoadError when there is no tree.

    Problems that still leave a usable tree (duplicate keys) come back as diagnostics.
    """
    composer = _Composer(display)
    loader = _Loader(text)
    try:
        # iter(get, None) pulls libyaml's events at C speed (no generator frame per event)
        tree = composer.compose(iter(loader.get_event, None))
    except yaml.MarkedYAMLError as e:
        raise LoadError(_syntax_diagnostic(e, display, text)) from None
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + 1
        column = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        char = e.character if isinstance(e.character, str) else chr(e.character)
        message = f"control character U+{ord(char):04X} is not allowed in YAML text"
        raise LoadError(Diagnostic(display, line, column, "E003", message)) from None
    except yaml.YAMLError as e:  # pragma: no cover - libyaml marks its other errors
        raise LoadError(Diagnostic(display, 1, 1, "E003", f"YAML error: {e}")) from None
    finally:
        loader.dispose()
    return tree, composer.diagnostics


def _syntax_diagnostic(e: yaml.MarkedYAMLError, display: str, text: str) -> Diagnostic:
    mark = e.problem_mark or e.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (e.problem or "").strip()
    if "tab" in problem or _char_at(text, line, column) == "\t":
        return Diagnostic(display, line, column, "E004", "tab character: YAML indentation must use spaces")
    message = f"YAML syntax error: {problem}"
    if e.context:
        message += f" ({e.context.strip()}"
        context = e.context_mark
        if context is not None and mark is not None and context.line != mark.line:
            message += f" that starts at line {context.line + 1}, column {context.column + 1}"
        message += ")"
    return Diagnostic(display, line, column, "E003", message)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]):
        return lines[line - 1][column - 1]
    return ""


class _Composer:
    """Events -> tree, enforcing the limits as it goes (one tight loop: it runs per event)."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.diagnostics: list[Diagnostic] = []
        self.sizes: dict[int, int] = {}  # id(node) -> nodes in its expanded subtree

    def too_many(self, mark: yaml.Mark) -> LoadError:
        return self.fail(
            mark, "E009", f"more than {MAX_NODES:,} nodes; a bank of 10,000 questions has about 290,000"
        )

    def fail(self, mark: yaml.Mark | None, code: str, message: str) -> LoadError:
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return LoadError(Diagnostic(self.display, line, column, code, message))

    def compose(self, events: Iterator[yaml.Event]) -> Tree:
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        collection_end = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        anchors: dict[str, Node] = {}
        pending: list[str | None] = []  # anchor of each open collection
        stack: list[Node] = []
        keys: list[Scalar | None] = []  # per open collection: a mapping's key awaiting its value
        root: Node | None = None
        documents = nodes = 0
        parent: Node | None = None  # stack[-1]
        for event in events:
            cls = type(event)
            alias = False
            if cls is scalar_event:
                tag = event.tag
                if tag is not None and tag != "!" and tag != _STR_TAG:
                    raise self.tag_error(event)
                mark = event.start_mark
                text = event.value
                if tag is None and text[:1] in _IMPLICIT and event.implicit[0]:
                    type_, value = resolve_plain(text)
                else:
                    type_, value = "str", text
                scalar = Scalar(mark.line + 1, mark.column + 1, text, type_, value)
                if event.anchor is not None:
                    anchors[event.anchor] = scalar
                nodes += 1
                if nodes > MAX_NODES:  # while composing: time and memory stay bounded
                    raise self.too_many(mark)
                if parent is None:  # the whole document is one value
                    root = scalar
                    continue
                self.attach(scalar, parent, keys, event, False)
                continue
            elif cls is mapping_start or cls is sequence_start:
                if event.tag is not None and event.tag != "!":
                    raise self.tag_error(event)
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(
                        event.start_mark,
                        "E009",
                        f"nesting deeper than {MAX_DEPTH} levels; a bank needs about 6",
                    )
                mark = event.start_mark
                node: Node = (Mapping if cls is mapping_start else Sequence)(mark.line + 1, mark.column + 1)
                nodes += 1
                if nodes > MAX_NODES:
                    raise self.too_many(mark)
            elif cls in collection_end:
                done = stack.pop()
                keys.pop()
                anchor = pending.pop()
                if anchor is not None:
                    anchors[anchor] = done
                if stack:
                    parent = stack[-1]
                else:
                    root, parent = done, None
                continue
            elif cls is alias_event:
                target = anchors.get(event.anchor)
                if target is None:
                    raise self.fail(
                        event.start_mark, "E003", f"alias '*{event.anchor}' names no anchor defined before it"
                    )
                nodes += self.expanded_size(target)
                if nodes > MAX_NODES:
                    raise self.fail(
                        event.start_mark,
                        "E009",
                        f"aliases expand to more than {MAX_NODES:,} nodes; refusing to expand them",
                    )
                node, alias = target, True
            else:
                if cls is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise self.fail(
                            event.start_mark,
                            "E007",
                            "a second YAML document; a bank is one document (remove '---')",
                        )
                continue
            if parent is not None:
                self.attach(node, parent, keys, event, alias)
            if not alias and cls is not scalar_event:
                stack.append(node)
                keys.append(None)
                pending.append(event.anchor)
                parent = node
        if nodes > MAX_NODES:
            raise self.fail(None, "E009", f"more than {MAX_NODES:,} nodes")
        if root is None:
            raise self.fail(
                None, "E008", "the file is empty; expected a mapping with bank, topics, sources, questions"
            )
        return root  # type: ignore[return-value]

    def tag_error(self, event: yaml.NodeEvent) -> LoadError:
        shown = event.tag.replace("tag:yaml.org,2002:", "!!")
        return self.fail(
            event.start_mark,
            "E005",
            f"tag '{shown}' is not allowed: a bank is plain data, and no tag is ever run or built",
        )

    def attach(
        self, node: Node, parent: Node, keys: list[Scalar | None], event: yaml.Event, alias: bool
    ) -> None:
        if type(parent) is Sequence:
            parent.items.append(node)
            return
        assert isinstance(parent, Mapping)
        key = keys[-1]
        if key is None:  # this node is a key
            if type(node) is not Scalar or alias:
                raise self.fail(event.start_mark, "E003", "a mapping key must be plain text")
            if node.type == "merge":
                raise self.fail(
                    event.start_mark, "E003", "merge keys ('<<') are not supported; write the fields out"
                )
            keys[-1] = node
            return
        keys[-1] = None
        name = key.value if type(key.value) is str else key.text
        if name in parent.fields:
            first = parent.key_node(name)
            first_line = first.line if first else parent.line
            self.diagnostics.append(
                Diagnostic(
                    self.display,
                    key.line,
                    key.column,
                    "E006",
                    f"duplicate key '{name}' (first at line {first_line}); YAML would silently keep only one",
                )
            )
            return
        parent.pairs.append((key, node))
        parent.fields[name] = node

    def expanded_size(self, node: Node) -> int:
        """Nodes in a subtree with its aliases expanded; memoised, so counting is cheap."""
        known = self.sizes.get(id(node))
        if known is not None:
            return known
        if isinstance(node, Sequence):
            size = 1 + sum(self.expanded_size(child) for child in node.items)
        elif isinstance(node, Mapping):
            size = 1 + sum(1 + self.expanded_size(value) for _, value in node.pairs)
        else:
            size = 1
        self.sizes[id(node)] = size
        return size
