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
from functools import cache
from importlib import resources
from typing import Any

from .diagnostics import Diagnostic, did_you_mean, quote_list
from .load import Mapping, Node, Scalar, Sequence

SUPPORTED = {
    "$schema", "$id", "$ref", "$defs", "title", "description", "type", "properties",
    "required", "additionalProperties", "propertyNames", "minProperties", "items",
    "minItems", "maxItems", "minLength", "maxLength", "pattern", "enum", "const",
    "oneOf", "anyOf",
}  # fmt: skip

_JSON_TYPES = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "null": "null"}
_EXPECTED = {
    "string": "text",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "object": "a mapping",
    "array": "a list",
}
_PATTERN_HINTS = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": "kebab-case: lowercase letters and digits joined by single hyphens",
    "^W[0-9]{3}$": "a lint code such as 'W302'",
    "^[^\\s]+$": "no white space (use '-' instead)",
}


@cache
def bank_schema() -> dict[str, Any]:
    """The schema shipped in the package (parsed once)."""
    text = resources.files("her2quiz").joinpath("bank.schema.json").read_text(encoding="utf-8")
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


def json_type(node: Node) -> str:
    if isinstance(node, Mapping):
        return "object"
    if isinstance(node, Sequence):
        return "array"
    assert isinstance(node, Scalar)
    return _JSON_TYPES.get(node.type, node.type)  # a date stays a date: it is no text


def _type_matches(node: Node, expected: str) -> bool:
    found = json_type(node)
    if found == expected:
        return True
    return expected == "number" and found == "integer"


class SchemaChecker:
    """Checks a tree against the schema; collects every problem."""

    def __init__(self, display: str, schema: dict[str, Any] | None = None) -> None:
        self.display = display
        self.root = schema if schema is not None else bank_schema()
        self.diagnostics: list[Diagnostic] = []
        self.invalid: set[int] = set()  # id() of question nodes with structural errors
        self._question: Node | None = None

    def check(self, tree: Node) -> list[Diagnostic]:
        self.visit(tree, self.root, "", "")
        return self.diagnostics

    # -- helpers -------------------------------------------------------------------

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self._ref(schema["$ref"])
        return schema

    @cache  # noqa: B019 - the checker is short-lived and the schema fixed
    def _ref(self, ref: str) -> dict[str, Any]:
        node: Any = self.root
        for part in ref.lstrip("#/").split("/"):
            node = node[part]
        return node

    def report(self, node: Node, code: str, message: str) -> None:
        if self._question is not None:
            self.invalid.add(id(self._question))
        self.diagnostics.append(Diagnostic(self.display, node.line, node.column, code, message))

    # -- the walk -------------------------------------------------------------------

    def visit(self, node: Node, schema: dict[str, Any], label: str, context: str) -> None:
        schema = self.resolve(schema)
        what = f"'{label}'{context}" if label else (context.strip() or "the bank")
        if "const" in schema:
            if not (isinstance(node, Scalar) and node.value == schema["const"]):
                self.report(node, "E104", f"{what} must be '{schema['const']}', found {describe(node)}")
            return
        if "enum" in schema:
            self.check_enum(node, schema["enum"], what)
            return
        expected = schema.get("type")
        if expected is not None and not _type_matches(node, expected):
            self.type_error(node, expected, what)
            return
        if "anyOf" in schema:
            self.visit_any_of(node, schema["anyOf"], label, context, what)
            return
        if isinstance(node, Scalar):
            self.check_scalar(node, schema, what)
        elif isinstance(node, Sequence):
            self.visit_sequence(node, schema, label, context, what)
        elif isinstance(node, Mapping):
            self.visit_mapping(node, schema, label, context, what)

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

    def check_enum(self, node: Node, allowed: list[Any], what: str) -> None:
        if isinstance(node, Scalar) and node.value in allowed and node.type == "str":
            return
        found = describe(node)
        hint = did_you_mean(node.text, allowed) if isinstance(node, Scalar) else ""
        self.report(node, "E104", f"{what} is {found}; expected {quote_list(allowed)}{hint}")

    def check_scalar(self, node: Scalar, schema: dict[str, Any], what: str) -> None:
        if not isinstance(node.value, str):
            return
        value = node.value
        if "minLength" in schema and len(value.strip()) < schema["minLength"]:
            self.report(node, "E108", f"{what} is empty")
            return
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            limit = schema["maxLength"]
            self.report(node, "E107", f"{what} is {len(value)} characters long; at most {limit} allowed")
        if "pattern" in schema and not _compiled(schema["pattern"]).search(value):
            hint = _PATTERN_HINTS.get(schema["pattern"], f"text matching {schema['pattern']}")
            self.report(node, "E105", f"{what} is '{value}'; expected {hint}")

    def visit_sequence(
        self, node: Sequence, schema: dict[str, Any], label: str, context: str, what: str
    ) -> None:
        count = len(node.items)
        low, high = schema.get("minItems"), schema.get("maxItems")
        if (low is not None and count < low) or (high is not None and count > high):
            bounds = (
                f"{low} to {high}" if low is not None and high is not None
                else f"at least {low}" if low is not None else f"at most {high}"
            )  # fmt: skip
            self.report(node, "E106", f"{what} has {count} item{'s' * (count != 1)}; expected {bounds}")
        items = schema.get("items")
        if items is None:
            return
        in_questions = label == "questions" and not context
        for index, item in enumerate(node.items, 1):
            if in_questions:
                self.visit_question(item, items, index)
            else:
                self.visit(item, items, f"{label}[{index}]", context)

    def visit_question(self, node: Node, schema: dict[str, Any], index: int) -> None:
        qid = None
        if isinstance(node, Mapping):
            id_node = node.fields.get("id")
            if isinstance(id_node, Scalar) and isinstance(id_node.value, str):
                qid = id_node.value
        context = f" in question '{qid}'" if qid else f" in question #{index}"
        self._question = node
        try:
            self.visit(node, schema, "", context)
        finally:
            self._question = None

    def visit_mapping(
        self, node: Mapping, schema: dict[str, Any], label: str, context: str, what: str
    ) -> None:
        if "minProperties" in schema and len(node.pairs) < schema["minProperties"]:
            self.report(node, "E106", f"{what} is empty; expected at least {schema['minProperties']} entry")
        if "oneOf" in schema:
            schema = self.discriminate(node, schema, what)
        properties: dict[str, Any] = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        missing = [r for r in schema.get("required", ()) if r not in node.fields]
        if extra is False and missing:  # a misspelt key is one mistake, not two
            misspelt = {did_you_mean(k, missing) for k in node.fields if k not in properties}
            missing = [r for r in missing if f" (did you mean '{r}'?)" not in misspelt]
        for required in missing:
            self.report(node, "E101", f"missing required key '{required}'{_in(what)}")
        names = schema.get("propertyNames")
        prefix = f"{label}." if label else ""
        for key, value in node.pairs:
            name = key.value if isinstance(key.value, str) else key.text
            if names is not None:
                self.visit(key, names, f"{prefix}{name}", context) if key.type == "str" else self.report(
                    key, "E102", f"key {describe(key)}{_in(what)} should be text; quote it"
                )
            if name in properties:
                self.visit(value, properties[name], f"{prefix}{name}", context)
            elif extra is False:
                hint = did_you_mean(name, properties)
                if not hint:
                    hint = f"; expected one of {quote_list(properties)}"
                self.report(key, "E103", f"unknown key '{name}'{_in(what)}{hint}")
            elif isinstance(extra, dict):
                self.visit(value, extra, f"{prefix}{name}", context)

    def discriminate(self, node: Mapping, schema: dict[str, Any], what: str) -> dict[str, Any]:
        """For oneOf branches told apart by ``kind`` const: the branch the node names."""
        for required in schema.get("required", ()):
            if required not in node.fields:
                self.report(node, "E101", f"missing required key '{required}'{_in(what)}")
        kind_node = node.fields.get("kind")
        if kind_node is not None:
            self.visit(kind_node, schema["properties"]["kind"], "kind", f"{_in(what)}")
        if isinstance(kind_node, Scalar):
            for branch in schema["oneOf"]:
                resolved = self.resolve(branch)
                if resolved["properties"]["kind"]["const"] == kind_node.value:
                    return {**resolved, "properties": {**resolved["properties"], "kind": {}}}
        # no known kind: check what every kind shares; the kind's own error says what to fix
        branches = [self.resolve(b) for b in schema["oneOf"]]
        shared = set.intersection(*(set(b["properties"]) for b in branches)) - {"kind"}
        first = branches[0]
        return {
            "properties": {k: first["properties"][k] for k in first["properties"] if k in shared},
            "required": [r for r in first["required"] if all(r in b["required"] for b in branches)],
            "additionalProperties": True,
        }

    def visit_any_of(
        self, node: Node, branches: list[dict[str, Any]], label: str, context: str, what: str
    ) -> None:
        resolved = [self.resolve(b) for b in branches]
        for branch in resolved:
            if "type" in branch and _type_matches(node, branch["type"]):
                self.visit(node, branch, label, context)
                return
        expected = " or ".join(_EXPECTED[b["type"]] for b in resolved if "type" in b)
        self.report(node, "E102", f"{what} should be {expected}, found {describe(node)}")


def _in(what: str) -> str:
    """' in question 'x'' from a 'what' phrase, for messages about a mapping's keys."""
    if what.startswith("'"):
        return f" in {what}"
    return f" {what}" if what.startswith("in ") else f" in {what}"


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
