"""Evidence rules W330-W332 and W341 (a quote shared across families): the exact line
for a question that fires each, and near-misses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lint_questions import (
    HEADER,
    PEAK_QUOTE,
    PROTEIN_QUOTE,
    LintLines,
    W,
    basic,
    cloze,
    linter,
    mcq,
    to_yaml,
    truefalse,
)

from her2quiz import check, load_bank
from her2quiz.lint import lint, numbers_in


@pytest.fixture
def lint_lines(write_bank: Callable[..., Path]) -> LintLines:
    return linter(write_bank)


# -- evidence -----------------------------------------------------------------------------


def test_w330_a_number_no_quote_gives(lint_lines: Callable[..., list[str]]) -> None:
    q = mcq(explain="The early peak falls in the first 4 years; 70% of relapses come then.")
    assert lint_lines(q) == [
        f"{W}:15:14: warning[W330] number 70 in the explanation is in none of the question's quotes; "
        "quote the passage that gives it, or correct it"
    ]


def test_w330_numbers_in_names_and_in_quotes_pass(lint_lines: Callable[..., list[str]]) -> None:
    q = cloze(explain="HER2 is a 185-kd protein; T-DM1 and HER1/HER2 inhibitors target it (c1 is no number).")
    assert lint_lines(q) == []


def test_w330_false_statements_may_change_a_number(lint_lines: Callable[..., list[str]]) -> None:
    false = truefalse(statement="The HER2 protein is a 200-kd glycoprotein.", answer=False)
    false.update(explain="It is a 185-kd glycoprotein.", cite=[PROTEIN_QUOTE])
    true = truefalse(id="q6", statement="The HER2 protein is a 200-kd glycoprotein.", answer=True)
    true.update(explain="It is a 185-kd glycoprotein.", cite=[PROTEIN_QUOTE])
    assert lint_lines(false) == []
    assert lint_lines(true) == [
        f"{W}:8:16: warning[W330] number 200 in the statement is in none of the question's quotes; quote "
        "the passage that gives it, or correct it"
    ]


def test_numbers_are_compared_normalised() -> None:
    assert numbers_in("2,000 and 2000, 15-20%, HER2, T-DM1, c1, HER-2, 185-kd, 0.5") == (
        "2000",
        "2000",
        "15",
        "20",
        "185",
        "0.5",
    )


def test_w331_a_hedge_turned_into_a_certainty(lint_lines: Callable[..., list[str]]) -> None:
    certain = truefalse(statement="FISH is the recommended primary testing modality.")
    certain["explain"] = "FISH is the primary testing modality."
    kept = truefalse(id="q4", statement="Some experts recommend FISH as the primary testing modality.")
    assert lint_lines(certain, kept) == [
        f"{W}:8:16: warning[W331] the quote hedges ('some experts') but the question states it as certain; "
        "keep a hedge (may, suggests, some experts …) in the question, answer or explanation"
    ]


def test_w332_no_explanation(lint_lines: Callable[..., list[str]]) -> None:
    assert lint_lines(basic(explain=None)) == [
        f"{W}:5:5: warning[W332] the question has no explanation; add `explain:` saying why the answer is "
        "right"
    ]


# -- quotes shared across families (W341) ---------------------------------------------------

PEAK_STATEMENT = "HER2-positive carcinomas show an early peak of relapses in the first 4 years after surgery."


def _peak_truefalse(**fields: Any) -> dict[str, Any]:
    """A true/false (lines 5-13) citing the mcq's quote, in another family unless told."""
    return truefalse(
        **{
            "id": "q2",
            "statement": PEAK_STATEMENT,
            "explain": "The early peak falls in the first 4 years.",
            "cite": [PEAK_QUOTE],
            "family": "peak-tf",
            **fields,
        }
    )


# The true/false after the mcq (lines 5-18) has its quote on line 26, at column 37.
W341_AT = f"{W}:26:37: warning[W341] quote also cited by question 'q1' (line 5)"
W341_FIX = "; one passage is one fact: give both one family, or quote another passage"


def test_w341_the_same_quote_in_another_family(lint_lines: Callable[..., list[str]]) -> None:
    assert lint_lines(mcq(), _peak_truefalse()) == [
        f"{W341_AT}, in family 'f' (this one is in 'peak-tf'){W341_FIX}"
    ]


def test_w341_the_same_quote_without_a_family(lint_lines: Callable[..., list[str]]) -> None:
    # family=None leaves the key out, and the true/false ends a line earlier.
    neither = lint_lines(mcq(family=None), _peak_truefalse(family=None))
    assert neither == [f"{W341_AT.replace(':26:', ':25:')}; neither question has a family{W341_FIX}"]
    assert lint_lines(mcq(), _peak_truefalse(family=None)) == [
        f"{W341_AT}, in family 'f' (this one has none){W341_FIX}"
    ]
    assert lint_lines(mcq(family=None), _peak_truefalse()) == [
        f"{W341_AT.replace(':26:', ':25:')}, which has no family (this one is in 'peak-tf'){W341_FIX}"
    ]


def test_w341_quotes_are_compared_normalised_and_per_source(lint_lines: Callable[..., list[str]]) -> None:
    # Case, white space and punctuation do not make another quote (evidence.normalise) ...
    restyled = {"source": "demo", "quote": "Early peak of relapses, in the first 4 years  after surgery."}
    assert lint_lines(mcq(), _peak_truefalse(cite=[restyled])) == [
        f"{W341_AT}, in family 'f' (this one is in 'peak-tf'){W341_FIX}"
    ]
    # ... but another source holding the same words does, and another passage of one source too.
    header = HEADER.replace("file: demo.txt}}", "file: demo.txt}, copy: {cite: Copy, file: demo.txt}}")
    copy = {"source": "copy", "quote": PEAK_QUOTE["quote"]}
    assert lint_lines(mcq(), _peak_truefalse(cite=[copy]), header=header) == []
    other = {"source": "demo", "quote": "early peak of relapses in the first 4 years"}
    assert lint_lines(mcq(), _peak_truefalse(cite=[other])) == []


def test_w341_silent_within_one_family(lint_lines: Callable[..., list[str]]) -> None:
    assert lint_lines(mcq(), _peak_truefalse(family="f")) == []


def test_w341_names_the_first_question_of_another_family(lint_lines: Callable[..., list[str]]) -> None:
    # q1 and q2 share family 'f'; q3, in 'peak-tf', is reported once, naming q1.
    second = mcq(
        id="q2", stem="In which period after surgery does the early peak of HER2-positive relapses lie?"
    )
    found = lint_lines(mcq(), second, _peak_truefalse(id="q3"))
    assert [line for line in found if "W341" in line] == [
        f"{W}:40:37: warning[W341] quote also cited by question 'q1' (line 5), in family 'f' (this one is in "
        f"'peak-tf'){W341_FIX}"
    ]


def test_w341_is_silenced_by_an_allow(write_bank: Callable[..., Path]) -> None:
    reason = {"W341": "the statement and the mcq test the peak from two sides on purpose"}
    path = write_bank(HEADER + to_yaml(mcq()) + to_yaml(_peak_truefalse(allow=reason)))
    assert check(path, display=W) == []
    bank = load_bank(path).bank
    assert bank is not None
    assert lint(bank, display=W).allowed == {"W341": 1}
