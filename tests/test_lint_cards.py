"""Flashcard rules W320-W323: the exact line for a question that fires each, and near-misses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lint_questions import LintLines, W, basic, cloze, linter


@pytest.fixture
def lint_lines(write_bank: Callable[..., Path]) -> LintLines:
    return linter(write_bank)


# -- flashcards ----------------------------------------------------------------------------


def test_w320_a_deletion_of_more_than_five_words(lint_lines: Callable[..., list[str]]) -> None:
    long = cloze(text="The HER2 protein is a {{c1::185-kd glycoprotein with tyrosine kinase activity}}.")
    five = cloze(
        id="q5", text="The HER2 protein is a {{c1::185-kd glycoprotein with tyrosine kinase}} activity."
    )
    assert lint_lines(five) == []
    assert lint_lines(long) == [
        f"{W}:8:11: warning[W320] deletion c1 '185-kd glycoprotein with tyrosine kin...' is 6 words; "
        "delete at most 5 — the key term — and leave the rest as context"
    ]


def test_w321_more_than_three_deletions(lint_lines: Callable[..., list[str]]) -> None:
    four = cloze(
        text="The {{c1::HER2}} protein is a {{c2::185-kd}} {{c3::glycoprotein}} with {{c4::tyrosine}} kinase "
        "activity."
    )
    three = cloze(
        id="q5",
        text="The {{c1::HER2}} protein is a {{c2::185-kd}} {{c3::glycoprotein}} with tyrosine kinase "
        "activity.",
    )
    assert lint_lines(three) == []
    assert lint_lines(four) == [
        f"{W}:8:11: warning[W321] the cloze has 4 deletions; keep at most 3 (split it into several questions)"
    ]


def test_w322_a_basic_answer_over_25_words(lint_lines: Callable[..., list[str]]) -> None:
    words24 = "The extracellular domain" + " of the receptor" * 7
    words25, words26 = words24 + " protein", words24 + " protein itself"
    assert (len(words25.split()), len(words26.split())) == (25, 26)
    assert lint_lines(basic(answer=words25)) == []
    assert lint_lines(basic(answer=words26)) == [
        f"{W}:9:13: warning[W322] the answer is 26 words; keep it under 26 (one fact per card: move the "
        "rest to explain)"
    ]


def test_w323_a_basic_answer_that_lists_three_items(lint_lines: Callable[..., list[str]]) -> None:
    three = basic(answer="Proliferation, survival and apoptosis regulation")
    two = basic(id="q6", answer="Proliferation and survival")
    clause = basic(id="q7", answer="The extracellular domain, which lies outside the cell membrane, of HER2")
    assert lint_lines(three, two, clause) == [
        f"{W}:9:13: warning[W323] the answer lists 3 items; a list is hard to recall as one card — ask it "
        "as a multi, or one cloze deletion per item"
    ]
