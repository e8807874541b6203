"""The bank's JSON Schema, enforced on the positioned tree.

``bank.schema.json`` ships in the package. Editors use it for completion (the bank names
it on its first line); this module interprets the same file, so the two cannot drift. It
understands the keywords the schema uses — and refuses to load a schema with any other,
so a keyword added to the file cannot be silently ignored here.

Messages say where (a path such as ``cite[1].quote`` and the question's id), what was
expected and what was found, with "did you mean" for misspelt keys and values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, did_you_mean, quote_list
from .load import Mapping, Node, Scalar, Sequence

Check = Callable[[Node, str, str], None]  # (node, label such as 'cite[1].quote', context)

SUPPORTED = {
    "$schema", "$id", "$ref", "$defs", "title", "description", "type", "properties",
    "required", "additionalProperties", "propertyNames", "minProperties", "items",
    "minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum", "pattern", "enum", "const",
    "oneOf", "anyOf",
}  # fmt: skip

_SCALAR_TYPES = {  # JSON type -> the scalar types that are one (a date is no text)
    "string": frozenset({"str"}),
    "integer": frozenset({"int"}),
    "number": frozenset({"int", "float"}),
    "boolean": frozenset({"bool"}),
    "null": frozenset({"null"}),
}
_EXPECTED = {
    "string": "text",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "object": "a mapping",
    "array": "a list",
}
# C0 and C1 controls but tab, line feed and carriage return; lone surrogates; U+FFFE/U+FFFF
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]").search
_PATTERN_HINTS = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": "kebab-case: lowercase letters and digits joined by single hyphens",
    "^W[0-9]{3}$": "a lint code such as 'W302'",
    "^[^\\s]+$": "no white space (use '-' instead)",
}


@cache
def bank_schema() -> dict[str, Any]:
    """The schema shipped in the package (parsed once)."""
    text = Path(__file__).with_name("bank.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    _refuse_unknown_keywords(schema)
    return schema


def _refuse_unknown_keywords(schema: Any, where: str = "#") -> None:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key in ("properties", "$defs"):
                for name, sub in value.items():
                    _refuse_unknown_keywords(sub, f"{where}/{key}/{name}")
                continue
            if key not in SUPPORTED:
                raise ValueError(
                    f"bank.schema.json uses '{key}' at {where}, which schema.py does not enforce"
                )
            if key in ("items", "additionalProperties", "propertyNames"):
                _refuse_unknown_keywords(value, f"{where}/{key}")
            elif key in ("oneOf", "anyOf"):
                for i, sub in enumerate(value):
                    _refuse_unknown_keywords(sub, f"{where}/{key}/{i}")


def describe(node: Node) -> str:
    """How a value is named in a message: "a number (2005)", "a list", …"""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    assert isinstance(node, Scalar)
    if node.type == "str":
        short = node.text if len(node.text) <= 40 else node.text[:37] + "..."
        return f"text '{short}'"
    if node.type == "null":
        return "nothing"
    names = {"int": "a number", "float": "a number", "bool": "a boolean", "timestamp": "a date"}
    return f"{names.get(node.type, node.type)} ({node.text})"


class SchemaChecker:
    """Checks a tree against the schema; collects every problem.

    The schema is compiled once per checker into one closure per schema node, so the
    walk does no dictionary lookups on the schema and builds a message's "what" phrase
    (``'cite[1].quote' in question 'x'``) only when there is something to report.
    """

    def __init__(self, display: str, schema: dict[str, Any] | None = None) -> None:
        self.display = display
        self.root = schema if schema is not None else bank_schema()
        self.diagnostics: list[Diagnostic] = []
        self.invalid: set[int] = set()  # id() of question nodes with structural errors
        self._question: Node | None = None
        self._compiled: dict[int, tuple[dict[str, Any], Check]] = {}
        self._check_root = self.compile(self.root)

    def check(self, tree: Node) -> list[Diagnostic]:
        self._check_root(tree, "", "")
        return self.diagnostics

    # -- helpers -------------------------------------------------------------------

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            node: Any = self.root
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def report(self, node: Node, code: str, message: str) -> None:
        if self._question is not None:
            self.invalid.add(id(self._question))
        self.diagnostics.append(Diagnostic(self.display, node.line, node.column, code, message))

    # -- compiling -------------------------------------------------------------------

    def compile(self, schema: dict[str, Any]) -> Check:
        """The check for one schema node (shared by every ``$ref`` to it)."""
        schema = self.resolve(schema)
        found = self._compiled.get(id(schema))
        if found is None:  # the schema is kept with its check, so its id is never reused
            found = self._compiled[id(schema)] = (schema, self._build(schema))
        return found[1]

    def _build(self, schema: dict[str, Any]) -> Check:
        report = self.report
        if not schema:
            return _anything
        if "const" in schema:
            const = schema["const"]

            def check_const(node: Node, label: str, context: str) -> None:
                if not (isinstance(node, Scalar) and node.value == const):
                    report(node, "E104", f"{_what(label, context)} must be '{const}', found {describe(node)}")

            return check_const
        if "enum" in schema:
            return self._enum(schema["enum"])
        expected = schema.get("type")
        if "anyOf" in schema:
            inner = self._any_of(schema["anyOf"])
        elif expected == "object":
            inner = self._mapping(schema)
        elif expected == "array":
            inner = self._sequence(schema)
        elif expected is not None:
            inner = self._scalar(schema)
        else:  # no type: whatever the node is, check what applies to it
            by_class = {
                Scalar: self._scalar(schema),
                Sequence: self._sequence(schema),
                Mapping: self._mapping(schema),
            }

            def inner(node: Node, label: str, context: str) -> None:
                by_class[node.__class__](node, label, context)

        if expected is None:
            return inner
        matches = _matcher(expected)
        type_error = self.type_error

        def check_typed(node: Node, label: str, context: str) -> None:
            if matches(node):
                inner(node, label, context)
            else:
                type_error(node, expected, _what(label, context))

        return check_typed

    def _enum(self, allowed: list[Any]) -> Check:
        report = self.report
        texts = frozenset(a for a in allowed if isinstance(a, str))

        def check_enum(node: Node, label: str, context: str) -> None:
            if isinstance(node, Scalar) and node.type == "str" and node.value in texts:
                return
            hint = did_you_mean(node.text, allowed) if isinstance(node, Scalar) else ""
            message = f"{_what(label, context)} is {describe(node)}; expected {quote_list(allowed)}{hint}"
            report(node, "E104", message)

        return check_enum

    def _scalar(self, schema: dict[str, Any]) -> Check:
        report = self.report
        low, high, pattern = schema.get("minLength"), schema.get("maxLength"), schema.get("pattern")
        least, most = schema.get("minimum"), schema.get("maximum")
        # JSON Schema's '$' (ECMA 262) ends the text; Python's also matches before a final newline.
        search = re.compile(re.sub(r"(?<!\\)\$$", r"\\Z", pattern)).search if pattern is not None else None
        hint = _PATTERN_HINTS.get(pattern, f"text matching {pattern}") if pattern is not None else ""

        def check_scalar(node: Node, label: str, context: str) -> None:
            value = node.value  # type: ignore[attr-defined]
            if isinstance(value, int | float) and not isinstance(value, bool):
                if (least is not None and value < least) or (most is not None and value > most):
                    what = _what(label, context)
                    report(node, "E104", f"{what} is {value}; expected {least} to {most}")
                return
            if not isinstance(value, str):
                return
            bad = _UNPRINTABLE(value)
            if bad is not None:  # written as an escape ("\x07"): no output can carry it
                what = _what(label, context)
                report(
                    node,
                    "E109",
                    f"{what} holds U+{ord(bad.group()):04X}, a control character no output can carry",
                )
                return
            if low is not None and len(value.strip()) < low:
                report(node, "E108", f"{_what(label, context)} is empty")
                return
            if high is not None and len(value) > high:
                what = _what(label, context)
                report(node, "E107", f"{what} is {len(value)} characters long; at most {high} allowed")
            if search is not None and search(value) is None:
                report(node, "E105", f"{_what(label, context)} is '{value}'; expected {hint}")

        return check_scalar

    def _sequence(self, schema: dict[str, Any]) -> Check:
        report = self.report
        low, high = schema.get("minItems"), schema.get("maxItems")
        bounds = (
            f"{low} to {high}" if low is not None and high is not None
            else f"at least {low}" if low is not None else f"at most {high}"
        )  # fmt: skip
        item_check = self.compile(schema["items"]) if "items" in schema else None
        visit_question = self.visit_question

        def check_sequence(node: Node, label: str, context: str) -> None:
            items = node.items  # type: ignore[attr-defined]
            count = len(items)
            if (low is not None and count < low) or (high is not None and count > high):
                what = _what(label, context)
                report(node, "E106", f"{what} has {count} item{'s' * (count != 1)}; expected {bounds}")
            if item_check is None:
                return
            if label == "questions" and not context:
                for index, item in enumerate(items, 1):
                    visit_question(item, item_check, index)
            else:
                for index, item in enumerate(items, 1):
                    item_check(item, f"{label}[{index}]", context)

        return check_sequence

    def visit_question(self, node: Node, check: Check, index: int) -> None:
        qid = None
        if isinstance(node, Mapping):
            id_node = node.fields.get("id")
            if isinstance(id_node, Scalar) and isinstance(id_node.value, str):
                qid = id_node.value
        context = f" in question '{qid}'" if qid else f" in question #{index}"
        self._question = node
        try:
            check(node, "", context)
        finally:
            self._question = None

    def _mapping(self, schema: dict[str, Any]) -> Check:
        report = self.report
        fewest = schema.get("minProperties")
        body = self._discriminated(schema) if "oneOf" in schema else self._mapping_body(schema)
        if fewest is None:
            return body

        def check_mapping(node: Node, label: str, context: str) -> None:
            if len(node.pairs) < fewest:  # type: ignore[attr-defined]
                report(node, "E106", f"{_what(label, context)} is empty; expected at least {fewest} entry")
            body(node, label, context)

        return check_mapping

    def _mapping_body(self, schema: dict[str, Any]) -> Check:
        """Keys and values: required, known, and each value against its schema."""
        report = self.report
        properties = {name: self.compile(sub) for name, sub in schema.get("properties", {}).items()}
        extra = schema.get("additionalProperties", True)
        check_extra = self.compile(extra) if isinstance(extra, dict) else None
        closed = extra is False
        required = tuple(schema.get("required", ()))
        names = schema.get("propertyNames")
        check_name = self.compile(names) if names is not None else None

        def check_body(node: Node, label: str, context: str) -> None:
            fields = node.fields  # type: ignore[attr-defined]
            missing = [r for r in required if r not in fields]
            if missing:
                what = _what(label, context)
                if closed:  # a misspelt key is one mistake, not two
                    misspelt = {did_you_mean(k, missing) for k in fields if k not in properties}
                    missing = [r for r in missing if f" (did you mean '{r}'?)" not in misspelt]
                for name in missing:
                    report(node, "E101", f"missing required key '{name}'{_in(what)}")
            prefix = f"{label}." if label else ""
            for key, value in node.pairs:  # type: ignore[attr-defined]
                name = key.value if isinstance(key.value, str) else key.text
                if check_name is not None:
                    if key.type == "str":
                        check_name(key, prefix + name, context)
                    else:
                        what = _what(label, context)
                        report(key, "E102", f"key {describe(key)}{_in(what)} should be text; quote it")
                check = properties.get(name)
                if check is not None:
                    check(value, prefix + name, context)
                elif closed:
                    hint = did_you_mean(name, properties) or f"; expected one of {quote_list(properties)}"
                    report(key, "E103", f"unknown key '{name}'{_in(_what(label, context))}{hint}")
                elif check_extra is not None:
                    check_extra(value, prefix + name, context)

        return check_body

    def _discriminated(self, schema: dict[str, Any]) -> Check:
        """oneOf branches told apart by a ``kind`` const: check the branch the node names
        (its own ``kind`` is checked once, against the enum); with no known kind, what
        every kind shares, since the kind's own error says what to fix."""
        report = self.report
        required = tuple(schema.get("required", ()))
        check_kind = self.compile(schema["properties"]["kind"])
        branches = [self.resolve(b) for b in schema["oneOf"]]
        by_kind: dict[Any, Check] = {}
        for branch in branches:
            properties = {**branch["properties"], "kind": {}}
            by_kind[branch["properties"]["kind"]["const"]] = self._mapping_body(
                {**branch, "properties": properties}
            )
        shared = set.intersection(*(set(b["properties"]) for b in branches)) - {"kind"}
        first = branches[0]
        unknown = self._mapping_body({
            "properties": {k: first["properties"][k] for k in first["properties"] if k in shared},
            "required": [r for r in first["required"] if all(r in b["required"] for b in branches)],
            "additionalProperties": True,
        })  # fmt: skip

        def check_discriminated(node: Node, label: str, context: str) -> None:
            fields = node.fields  # type: ignore[attr-defined]
            for name in required:
                if name not in fields:
                    report(node, "E101", f"missing required key '{name}'{_in(_what(label, context))}")
            kind_node = fields.get("kind")
            body = unknown
            if kind_node is not None:
                check_kind(kind_node, "kind", _in(_what(label, context)))
                if isinstance(kind_node, Scalar):
                    body = by_kind.get(kind_node.value, unknown)
            body(node, label, context)

        return check_discriminated

    def _any_of(self, branches: list[dict[str, Any]]) -> Check:
        report = self.report
        resolved = [self.resolve(b) for b in branches]
        typed = [(_matcher(b["type"]), self.compile(b)) for b in resolved if "type" in b]
        expected = " or ".join(_EXPECTED[b["type"]] for b in resolved if "type" in b)

        def check_any_of(node: Node, label: str, context: str) -> None:
            for matches, check in typed:
                if matches(node):
                    check(node, label, context)
                    return
            report(node, "E102", f"{_what(label, context)} should be {expected}, found {describe(node)}")

        return check_any_of

    def type_error(self, node: Node, expected: str, what: str) -> None:
        message = f"{what} should be {_EXPECTED[expected]}, found {describe(node)}"
        if expected == "string" and isinstance(node, Scalar) and node.type != "null":
            message += f'; quote it: "{node.text}"'
        if expected == "boolean" and isinstance(node, Scalar) and node.text.lower() in ("true", "false"):
            message += "; remove the quotes"
        if isinstance(node, Scalar) and node.type == "null":
            self.report(node, "E108", f"{what} is empty; expected {_EXPECTED[expected]}")
            return
        self.report(node, "E102", message)


def _anything(node: Node, label: str, context: str) -> None:
    """The empty schema: every value is valid."""


def _what(label: str, context: str) -> str:
    """How a message names a value: "'cite[1].quote' in question 'x'", "the bank", …"""
    return f"'{label}'{context}" if label else (context.strip() or "the bank")


def _matcher(expected: str) -> Callable[[Node], bool]:
    """Whether a node is of a JSON type (an integer is a number; a date is no text)."""
    if expected == "object":
        return lambda node: node.__class__ is Mapping
    if expected == "array":
        return lambda node: node.__class__ is Sequence
    types = _SCALAR_TYPES[expected]
    return lambda node: node.__class__ is Scalar and node.type in types


def _in(what: str) -> str:
    """' in question 'x'' from a 'what' phrase, for messages about a mapping's keys."""
    if what.startswith("'"):
        return f" in {what}"
    return f" {what}" if what.startswith("in ") else f" in {what}"
