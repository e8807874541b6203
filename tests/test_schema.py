"""The shipped JSON Schema is a real schema, and the one the validator enforces."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from her2quiz.schema import SUPPORTED, bank_schema

from conftest import FIXTURES, REPO

SCHEMA = bank_schema()
STRUCTURAL = {"E101", "E102", "E103", "E104", "E105", "E106", "E107", "E108"}


def expected_codes(path: Path) -> set[str]:
    lines = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    return {line.split("[", 1)[1].split("]", 1)[0] for line in lines}


def test_schema_is_valid_draft7() -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)


def test_every_keyword_is_one_the_validator_enforces() -> None:
    def keywords(node: object) -> set[str]:
        if isinstance(node, dict):
            found = set()
            for key, value in node.items():
                if key in ("properties", "$defs"):
                    found |= set().union(*(keywords(v) for v in value.values()))
                else:
                    found |= {key} | keywords(value)
            return found
        if isinstance(node, list):
            return set().union(*(keywords(v) for v in node)) if node else set()
        return set()

    assert keywords(SCHEMA) <= SUPPORTED


@pytest.mark.parametrize("path", sorted((FIXTURES / "valid").glob("*.yaml")), ids=lambda p: p.stem)
def test_valid_banks_pass_jsonschema_too(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft7Validator)


STRUCTURAL_BROKEN = [
    p for p in sorted((FIXTURES / "broken").glob("*.yaml"))
    if expected_codes(p) & STRUCTURAL and "date" not in p.stem  # PyYAML turns a date into a date
]  # fmt: skip


@pytest.mark.parametrize("path", STRUCTURAL_BROKEN, ids=lambda p: p.stem)
def test_banks_our_schema_check_rejects_jsonschema_rejects_too(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft7Validator(SCHEMA).iter_errors(data))
    assert errors, f"jsonschema accepts {path.name}, which her2quiz rejects"


def test_the_bank_names_the_schema_on_its_first_line() -> None:
    first = (REPO / "questions.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=her2quiz/bank.schema.json"
    assert json.loads((REPO / "her2quiz" / "bank.schema.json").read_text(encoding="utf-8")) == SCHEMA
