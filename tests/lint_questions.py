"""Questions for the lint tests: a clean question of each kind, written to a bank one
field a line, so each test can name the exact line and column a lint points at."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from her2quiz import check

HEADER = """\
bank: {id: t, title: Lint tests, deck: Lint}
topics: {t: Topic}
sources: {demo: {cite: Demo source, file: demo.txt}}
questions:
"""
# Every question below starts on line 5; its fields follow one a line in the order given,
# a list's items one a line under its key (so `distractors:` on line 10 puts its items on
# lines 11-13). Scalar values start at column 9 (`id`, list items) or after `key: `.

FISH_QUOTE = {"source": "demo", "quote": "FISH is less dependent on tissue fixation methods"}
EXPERTS_QUOTE = {"source": "demo", "quote": "Some experts recommend FISH as the primary testing modality"}
PROTEIN_QUOTE = {
    "source": "demo",
    "quote": "The HER2 protein is a 185-kd glycoprotein with tyrosine kinase activity",
}
PEAK_QUOTE = {"source": "demo", "quote": "early peak of relapses in the first 4 years after surgery"}
DRUG_QUOTE = {
    "source": "demo",
    "quote": "Lapatinib is a small molecule dual tyrosine kinase inhibitor of HER1/HER2",
}


def mcq(**fields: Any) -> dict[str, Any]:
    """A clean mcq (lines 5-17), with fields replaced, added, or dropped (None)."""
    return _merge(
        {
            "id": "q1",
            "kind": "mcq",
            "topic": "t",
            "stem": "In which period after surgery do HER2-positive carcinomas show an early peak of relapses"
            "?",
            "answer": "The first 4 years",
            "distractors": ["The first 6 months", "Years 5 to 10", "After 10 years"],
            "order": "sorted",
            "explain": "The early peak falls in the first 4 years after surgery.",
            "cite": [PEAK_QUOTE],
        },
        fields,
    )


def multi(**fields: Any) -> dict[str, Any]:
    return _merge(
        {
            "id": "q2",
            "kind": "multi",
            "topic": "t",
            "stem": "Which statements describe FISH according to the source?",
            "answers": ["Less dependent on tissue fixation", "More reproducible between laboratories"],
            "distractors": ["Measures protein in cell membranes", "Needs no laboratory accreditation"],
            "explain": "FISH is less fixation-dependent, hence more reproducible.",
            "cite": [FISH_QUOTE],
        },
        fields,
    )


def truefalse(**fields: Any) -> dict[str, Any]:
    return _merge(
        {
            "id": "q3",
            "kind": "truefalse",
            "topic": "t",
            "statement": "Some experts recommend FISH as the primary testing modality.",
            "answer": True,
            "explain": "The source says some experts recommend it; it is not a universal rule.",
            "cite": [EXPERTS_QUOTE],
        },
        fields,
    )


def cloze(**fields: Any) -> dict[str, Any]:
    return _merge(
        {
            "id": "q4",
            "kind": "cloze",
            "topic": "t",
            "text": "The HER2 protein is a {{c1::185-kd}} glycoprotein with {{c2::tyrosine kinase::enzyme}} "
            "activity.",
            "explain": "It is a 185-kd glycoprotein.",
            "cite": [PROTEIN_QUOTE],
        },
        fields,
    )


def basic(**fields: Any) -> dict[str, Any]:
    return _merge(
        {
            "id": "q5",
            "kind": "basic",
            "topic": "t",
            "stem": "Which part of HER2 does trastuzumab target?",
            "answer": "The extracellular domain",
            "explain": "Trastuzumab is an antibody against the extracellular domain.",
            "cite": [{"source": "demo", "quote": "targeting the HER2 extracellular domain"}],
        },
        fields,
    )


def _merge(base: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """base with fields replaced, added, or dropped (None); ``family`` (default "f") last,
    on the question's last line, so it moves no other field."""
    merged = {**base, **fields}
    merged["family"] = merged.pop("family", "f")
    return {k: v for k, v in merged.items() if v is not None}


def to_yaml(question: dict[str, Any]) -> str:
    lines = []
    for i, (key, value) in enumerate(question.items()):
        lead = "  - " if i == 0 else "    "
        if isinstance(value, list):
            lines.append(f"{lead}{key}:")
            lines += [f"      - {json.dumps(item, ensure_ascii=False)}" for item in value]
        else:
            lines.append(f"{lead}{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


W = "questions.yaml"
LintLines = Callable[..., list[str]]


def linter(write_bank: Callable[..., Path]) -> LintLines:
    """lint_lines(*questions, header=HEADER) -> every diagnostic of the bank, as printed."""

    def run(*questions: dict[str, Any], header: str = HEADER) -> list[str]:
        path = write_bank(header + "".join(to_yaml(q) for q in questions))
        return [d.concise() for d in check(path, display=W)]

    return run


def renamed(q: dict[str, Any], new_id: str) -> dict[str, Any]:
    """The question under another id."""
    return {**q, "id": new_id}
