"""Item-writing lints over a whole bank: every code listed, near-duplicates (W340),
allows (W350, W351), strict mode. The rules of each concern are tested in test_lint_*.py:
for each code a question that fires it (the exact line) and a near-miss that must not fire."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from lint_questions import (
    DRUG_QUOTE,
    HEADER,
    LintLines,
    W,
    basic,
    cloze,
    linter,
    mcq,
    multi,
    to_yaml,
    truefalse,
)

from her2quiz import check
from her2quiz.bank import Bank, Basic, Citation, Cloze, Distractor, Mcq, TrueFalse
from her2quiz.lint import CODES, lint_bank


@pytest.fixture
def lint_lines(write_bank: Callable[..., Path]) -> LintLines:
    return linter(write_bank)


def test_the_clean_questions_are_clean(lint_lines: Callable[..., list[str]]) -> None:
    assert lint_lines(mcq(), multi(id="q2"), truefalse(), cloze(), basic()) == []


def test_every_code_has_a_summary() -> None:
    assert sorted(CODES) == [
        *("W301", "W302", "W303", "W304", "W305", "W306", "W307"),
        *("W310", "W311", "W312", "W313", "W320", "W321", "W322", "W323"),
        *("W330", "W331", "W332", "W340", "W341", "W350", "W351"),
    ]


# -- the bank -----------------------------------------------------------------------------


def test_w340_near_duplicate_names_the_first(lint_lines: Callable[..., list[str]]) -> None:
    first = basic()
    again = basic(id="q6", stem="Which part of HER2 does trastuzumab target exactly?")
    assert lint_lines(first, again) == [
        f"{W}:17:11: warning[W340] near-duplicate of question 'q5' (line 5): 86% of the words of stem and "
        "answer are shared; ask another fact, or the same fact another way"
    ]


def test_w340_the_same_fact_asked_another_way_passes(lint_lines: Callable[..., list[str]]) -> None:
    question = basic(stem="Which part of HER2 does trastuzumab target?", answer="The extracellular domain")
    as_cloze = cloze(
        text="Trastuzumab targets the HER2 {{c1::extracellular domain}}.",
        explain="Trastuzumab is an antibody against the extracellular domain.",
        cite=[{"source": "demo", "quote": "targeting the HER2 extracellular domain"}],
    )
    other_fact = basic(id="q6", stem="Which part of HER2 does lapatinib target?", answer="The kinase domain")
    other_fact.update(explain="Lapatinib is a tyrosine kinase inhibitor.", cite=[DRUG_QUOTE])
    assert lint_lines(question, as_cloze, other_fact) == []


# -- allows ---------------------------------------------------------------------------------


def test_an_allow_with_a_reason_silences_its_code(lint_lines: Callable[..., list[str]]) -> None:
    q = mcq(explain="The early peak falls in the first 4 years; 70% of relapses come then.")
    q["allow"] = {"W330": "the 70% comes from the course notes"}
    assert lint_lines(q) == []


def test_w350_an_allow_without_a_reason(lint_lines: Callable[..., list[str]]) -> None:
    q = mcq(
        explain="The early peak falls in the first 4 years; 70% of relapses come then.", allow={"W330": " "}
    )
    assert lint_lines(q) == [
        f"{W}:18:13: warning[W350] allow W330 has no reason; say why the warning does not apply here"
    ]


def test_w351_an_allow_for_a_code_that_does_not_fire(lint_lines: Callable[..., list[str]]) -> None:
    unused = mcq(allow={"W302": "the answer used to be long"})
    not_lint = mcq(id="q2", allow={"W201": "sources elsewhere"})
    assert lint_lines(unused) == [
        f"{W}:18:13: warning[W351] allow W302 is unused: W302 (the correct option is clearly the longest) "
        "does not fire on this question; remove it"
    ]
    assert lint_lines(not_lint) == [
        f"{W}:18:13: warning[W351] allow W201 is not a lint code; lint codes are W301-W341"
    ]


def test_lints_are_errors_under_strict(write_bank: Callable[..., Path]) -> None:
    path = write_bank(HEADER + to_yaml(basic(explain=None)))
    assert [d.concise() for d in check(path, display=W, strict=True)] == [
        f"{W}:5:5: error[W332] the question has no explanation; add `explain:` saying why the answer is right"
    ]


def test_no_lints_on_a_bank_with_errors(write_bank: Callable[..., Path]) -> None:
    path = write_bank(HEADER + to_yaml(basic(explain=None, topic="nope")))
    assert [d.code for d in check(path, display=W)] == ["E202"]


# -- speed ------------------------------------------------------------------------------------


def synthetic_bank(n: int, seed: int = 1) -> Bank:
    """``n`` questions of every kind whose words follow Zipf's law, as in real text."""
    rng = random.Random(seed)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]  # 70: two make 4,900 words
    vocab = [
        syllables[i // 70] + syllables[i % 70] + rng.choice(["in", "ase", "ab", "ol"]) for i in range(4900)
    ]
    weights = [1 / (rank + 1) for rank in range(len(vocab))]

    def text(k: int) -> str:
        return " ".join(rng.choices(vocab, weights, k=k))

    cite = (Citation("demo", "The HER2 protein is a 185-kd glycoprotein with tyrosine kinase activity"),)
    questions: list[Any] = []
    for i in range(n):
        common: dict[str, Any] = {"id": f"q{i}", "topic": "t", "cite": cite, "explain": f"{text(12)} 185."}
        stem = f"Which {text(9)}?"
        kind = i % 5
        if kind in (0, 1):
            answer, distractors = text(3), tuple(Distractor(text(3)) for _ in range(3))
            q: Any = Mcq(kind="mcq", **common, stem=stem, answers=(answer,), distractors=distractors)
        elif kind == 2:
            q = TrueFalse(kind="truefalse", **common, statement=f"{text(10)}.", answer=bool(i % 2))
        elif kind == 3:
            q = Cloze(kind="cloze", **common, text=f"{text(5)} {{{{c1::{text(2)}}}}} {text(4)}.")
        else:
            q = Basic(kind="basic", **common, stem=stem, answer=text(3))
        questions.append(q)
    return Bank("syn", "Synthetic", "Syn", {"t": "T"}, {}, tuple(questions))


def test_a_planted_near_duplicate_is_found_among_thousands() -> None:
    # Speed is measured in bench/run.py, never here; this checks the index finds the pair.
    bank = synthetic_bank(3_000)
    first = bank.questions[0]
    twin = replace(first, id="q-twin")
    found = lint_bank(replace(bank, questions=(*bank.questions, twin)), display="syn.yaml")
    duplicates = [d.message for d in found if d.code == "W340"]
    assert len(duplicates) == 1
    assert duplicates[0].startswith("near-duplicate of question 'q0'")
