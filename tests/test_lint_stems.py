"""Stem rules W310-W313: the exact line for a question that fires each, and near-misses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lint_questions import (
    DRUG_QUOTE,
    FISH_QUOTE,
    PROTEIN_QUOTE,
    LintLines,
    W,
    basic,
    linter,
    mcq,
    multi,
    renamed,
    truefalse,
)


@pytest.fixture
def lint_lines(write_bank: Callable[..., Path]) -> LintLines:
    return linter(write_bank)


# -- stems -------------------------------------------------------------------------------

NOT_STEM = "Which drug is NOT a monoclonal antibody against HER2?"


def _drug_mcq(stem: str, **fields: Any) -> dict[str, Any]:
    return mcq(
        stem=stem,
        answer="Lapatinib",
        distractors=["Trastuzumab", "Pertuzumab", "Margetuximab"],
        order=None,
        explain="Lapatinib is a small molecule; the others are antibodies.",
        cite=[DRUG_QUOTE],
        **fields,
    )


def test_w310_negative_lead_in_not_in_bold(lint_lines: Callable[..., list[str]]) -> None:
    assert lint_lines(
        _drug_mcq(NOT_STEM), _drug_mcq("All are antibodies except one. Which is false?", id="q2")
    ) == [
        f"{W}:8:11: warning[W310] the negative 'NOT' is not in bold; write **NOT** so no reader misses it "
        "(or ask the question positively)",
        f"{W}:21:11: warning[W310] the negative 'false' is not in bold; write **FALSE** so no reader misses "
        "it (or ask the question positively)",
    ]


def test_w310_an_instruction_after_the_question_is_not_the_question_clause(
    lint_lines: Callable[..., list[str]],
) -> None:
    assert lint_lines(_drug_mcq("Which drug is NOT an antibody? (Choose one.)")) == [
        f"{W}:8:11: warning[W310] the negative 'NOT' is not in bold; write **NOT** so no reader misses it "
        "(or ask the question positively)"
    ]


@pytest.mark.parametrize(
    "stem",
    [
        "Which drug is **NOT** a monoclonal antibody against HER2?",
        "Not every HER2 drug is an antibody. Which one is a small molecule?",  # not in the question clause
        "Which drug acts on at least two HER family receptors?",
        "Which drug is not only anti-HER2 but also anti-HER1?",
        "Which drug avoids false-negative targeting of HER1?",
    ],
)
def test_w310_near_misses(lint_lines: Callable[..., list[str]], stem: str) -> None:
    assert [line for line in lint_lines(_drug_mcq(stem)) if "W310" in line] == []


def test_w310_truefalse_prose_not_is_no_lead_in_but_capitals_are(
    lint_lines: Callable[..., list[str]],
) -> None:
    prose = truefalse(statement="FISH is not the primary testing modality for some experts.", answer=False)
    capitals = truefalse(id="q4", statement="Some experts do NOT recommend FISH as the primary modality.")
    capitals["answer"] = False
    assert [line for line in lint_lines(prose, capitals) if "W310" in line] == [
        f"{W}:17:16: warning[W310] the negative 'NOT' is not in bold; write **NOT** so no reader misses it "
        "(or ask the question positively)"
    ]


def test_w311_stem_is_not_a_question(lint_lines: Callable[..., list[str]]) -> None:
    not_question = mcq(stem="HER2-positive carcinomas show an early peak of relapses after surgery in")
    question = multi(stem='Which two properties make FISH, in the source\'s words, "more reproducible?"')
    assert lint_lines(not_question, question) == [
        f"{W}:8:11: warning[W311] the stem is not a question (it does not end with '?'); ask a complete "
        "question that can be answered with the options covered"
    ]


def test_w312_two_stem_words_only_the_answer_repeats(lint_lines: Callable[..., list[str]]) -> None:
    q = mcq(
        stem="Which kinase activity does the HER2 glycoprotein carry?",
        answer="Tyrosine kinase activity",
        distractors=["Serine protease", "Lipid phosphatase", "Histone acetylase"],
        order=None,
        explain="HER2 is a glycoprotein with tyrosine kinase activity.",
        cite=[PROTEIN_QUOTE],
    )
    assert lint_lines(q) == [
        f"{W}:9:13: warning[W312] the stem's 'kinase', 'activity' are repeated in the answer and in no "
        "distractor; reword the answer or use the words in a distractor too"
    ]


def test_w312_one_shared_word_or_one_in_a_distractor_passes(lint_lines: Callable[..., list[str]]) -> None:
    in_distractor = mcq(
        stem="Which kinase activity does the HER2 glycoprotein carry?",
        answer="Tyrosine kinase activity",
        distractors=["Serine kinase", "Lipid phosphatase", "Histone acetylase"],
        order=None,
        explain="HER2 is a glycoprotein with tyrosine kinase activity.",
        cite=[PROTEIN_QUOTE],
    )
    one_word = renamed(in_distractor, "q2")
    one_word["stem"] = "Which enzyme activity does the HER2 glycoprotein carry?"
    one_word["distractors"] = ["Serine protease", "Lipid phosphatase", "Histone acetylase"]
    assert lint_lines(in_distractor) == []
    assert lint_lines(one_word) == []


def test_w313_the_answer_is_in_the_stem(lint_lines: Callable[..., list[str]]) -> None:
    given = basic(stem="Is FISH or IHC less dependent on tissue fixation methods?", answer="FISH")
    given.update(explain="FISH is less dependent on fixation.", cite=[FISH_QUOTE])
    hidden = basic(
        id="q6", stem="Which test, unlike IHC, is less dependent on tissue fixation?", answer="FISH"
    )
    hidden.update(explain="FISH is less dependent on fixation.", cite=[FISH_QUOTE])
    assert lint_lines(given, hidden) == [
        f"{W}:9:13: warning[W313] the answer 'FISH' is written in the stem; reword the stem so it does "
        "not give the answer away"
    ]
