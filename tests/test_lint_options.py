"""Option rules W301-W307: the exact line for a question that fires each, and near-misses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from lint_questions import DRUG_QUOTE, LintLines, W, linter, mcq, multi, renamed


@pytest.fixture
def lint_lines(write_bank: Callable[..., Path]) -> LintLines:
    return linter(write_bank)


@pytest.mark.parametrize(
    ("option", "fires"),
    [
        ("All of the above", True),
        ("None of the above", True),
        ("A and C", True),
        ("I, II and III", True),
        ("Both A and B", True),
        ("HER1 and HER3", False),
        ("All HER family members", False),
    ],
)
def test_w301_all_none_of_the_above_and_combinations(
    lint_lines: Callable[..., list[str]], option: str, fires: bool
) -> None:
    q = mcq(
        stem="Which drug is a small molecule dual tyrosine kinase inhibitor?",
        answer="Lapatinib",
        distractors=["Trastuzumab", "Pertuzumab", option],
        order=None,
        explain="Lapatinib is the small molecule; the others are antibodies.",
        cite=[DRUG_QUOTE],
    )
    found = [line for line in lint_lines(q) if "W301" in line]
    expected = (
        f"{W}:13:9: warning[W301] option '{option}' is an all/none-of-the-above or combination option; "
        "it rewards partial knowledge — write a standalone option (or use kind: multi)"
    )
    assert found == ([expected] if fires else [])


def test_w302_the_answer_is_clearly_the_longest(lint_lines: Callable[..., list[str]]) -> None:
    q = mcq(answer="The first 4 years, above all in node-positive patients")
    assert lint_lines(q) == [
        f"{W}:9:13: warning[W302] the answer is the longest option (54 chars vs a mean of 15 for the "
        "distractors); shorten it or lengthen the distractors"
    ]


def test_w302_short_answers_and_a_longer_distractor_do_not_fire(lint_lines: Callable[..., list[str]]) -> None:
    # Three words: short options differ in length by chance.
    short = mcq(answer="Trastuzumab emtansine conjugate", distractors=["Lapatinib", "Taxane", "Tucatinib"])
    # Long, but a distractor is longer still: the longest option is not the answer.
    longer = mcq(
        answer="The first 4 years after the operation",
        distractors=["After 10 years", "Years 5 to 10", "In the first 6 months after the operation was done"],
    )
    assert [line for line in lint_lines(short, renamed(longer, "q2")) if "W302" in line] == []


def test_w302_multi_compares_mean_lengths(lint_lines: Callable[..., list[str]]) -> None:
    q = multi(distractors=["Cost", "Speed"])
    assert lint_lines(q) == [
        f"{W}:10:9: warning[W302] the answers are clearly longer than the distractors (a mean of 36 chars "
        "vs 4); shorten them or lengthen the distractors"
    ]


def test_w303_an_absolute_word_in_one_option(lint_lines: Callable[..., list[str]]) -> None:
    q = mcq(distractors=["The first 6 months", "Years 5 to 10", "Never after 10 years"])
    assert lint_lines(q) == [
        f"{W}:13:9: warning[W303] distractor 'Never after 10 years' says 'never' and the other options "
        "do not; absolute words cue test-wise students — state the fact without them"
    ]


def test_w303_exempt_phrases_and_absolutes_in_every_option_pass(lint_lines: Callable[..., list[str]]) -> None:
    exempt = mcq(distractors=["The first 6 months", "Only 2 years", "After 10 years"])
    everywhere = multi(
        answers=["Only less dependent on fixation", "Always more reproducible"],
        distractors=["Never measures protein", "Completely independent of laboratories"],
    )
    assert lint_lines(exempt, everywhere) == []


def test_w304_vague_frequency_word_in_an_option(lint_lines: Callable[..., list[str]]) -> None:
    q = multi(distractors=["Usually measures protein in membranes", "Needs no laboratory accreditation"])
    assert lint_lines(q) == [
        f"{W}:13:9: warning[W304] option 'Usually measures protein in membranes' uses the vague frequency "
        "word 'usually'; readers disagree on what it means — give the figure or drop it"
    ]


def test_w304_vague_word_in_the_stem_is_not_an_option(lint_lines: Callable[..., list[str]]) -> None:
    q = mcq(stem="In which period after surgery do HER2-positive carcinomas usually show an early peak?")
    assert lint_lines(q) == []


def test_w305_a_word_among_numbers(lint_lines: Callable[..., list[str]]) -> None:
    q = mcq(distractors=["The first 6 months", "Years 5 to 10", "After radiotherapy"])
    assert lint_lines(q) == [
        f"{W}:13:9: warning[W305] option 'After radiotherapy' has no number and 3 of the 4 options do; "
        "make the options the same kind (all numbers or all words)"
    ]


def test_w305_digits_inside_names_are_words(lint_lines: Callable[..., list[str]]) -> None:
    q = mcq(
        stem="Which drug is a small molecule dual tyrosine kinase inhibitor?",
        answer="Lapatinib",
        distractors=["Trastuzumab emtansine (T-DM1)", "Pertuzumab", "An anti-HER2 vaccine"],
        order=None,
        explain="Lapatinib is the small molecule; the others act outside the cell.",
        cite=[DRUG_QUOTE],
    )
    assert lint_lines(q) == []


def test_w306_shuffled_numbers(lint_lines: Callable[..., list[str]]) -> None:
    shuffled = mcq(order="shuffle")
    default = mcq(id="q2", order=None, stem="How long after surgery does the early peak of relapses last?")
    assert lint_lines(shuffled, default) == [
        f"{W}:14:12: warning[W306] the options are numbers but are shuffled; add `order: sorted` so they "
        "print in their natural order",
        f"{W}:22:11: warning[W306] the options are numbers but are shuffled; add `order: sorted` so they "
        "print in their natural order",
    ]


@pytest.mark.parametrize(
    ("stem", "answer", "distractors", "fires"),
    [
        (
            "Lapatinib is best described as an",
            "Inhibitor of kinases",
            ["Monoclonal antibody", "Vaccine"],
            True,
        ),
        ("Lapatinib is best described as an", "Inhibitor of kinases", ["Antibody", "Vaccine"], False),
        ("Lapatinib and tucatinib are", "Kinase inhibitors", ["A monoclonal antibody", "A vaccine"], True),
        ("Lapatinib and tucatinib are", "Kinase inhibitors", ["Monoclonal antibodies", "A vaccine"], False),
        ("What is lapatinib?", "An inhibitor of kinases", ["A monoclonal antibody", "A vaccine"], False),
    ],
)
def test_w307_article_or_number_only_the_answer_fits(
    lint_lines: Callable[..., list[str]], stem: str, answer: str, distractors: list[str], fires: bool
) -> None:
    q = mcq(stem=stem, answer=answer, distractors=distractors, order=None, cite=[DRUG_QUOTE])
    q["explain"] = "Lapatinib is a small molecule dual tyrosine kinase inhibitor."
    found = [line for line in lint_lines(q) if "W307" in line]
    cue = "'an'" if stem.endswith("an") else "the plural 'are'"
    expected = (
        f"{W}:8:11: warning[W307] the stem ends with {cue}, which only the answer fits; end the stem "
        "before it or make every option fit it"
    )
    assert found == ([expected] if fires else [])


def test_w306_numeric_options_as_written_keep_their_order(lint_lines: Callable[..., list[str]]) -> None:
    written = ["The first 6 months", "The first 4 years", "Years 5 to 10", "After 10 years"]
    assert lint_lines(mcq(order="as-written", options=written)) == []
