"""Item-writing lints: for each code a question that fires it (the exact line) and a
near-miss that must not fire."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from her2quiz import check
from her2quiz.bank import Bank, Basic, Citation, Cloze, Distractor, Mcq, TrueFalse
from her2quiz.lint import CODES, lint_bank, numbers

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
    merged = {**base, **fields}
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


@pytest.fixture
def lint_lines(write_bank: Callable[..., Path]) -> Callable[..., list[str]]:
    """lint_lines(*questions) -> every diagnostic of the bank, as printed."""

    def run(*questions: dict[str, Any]) -> list[str]:
        path = write_bank(HEADER + "".join(to_yaml(q) for q in questions))
        return [d.concise() for d in check(path, display="questions.yaml")]

    return run


def test_the_clean_questions_are_clean(lint_lines: Callable[..., list[str]]) -> None:
    assert lint_lines(mcq(), multi(id="q2"), truefalse(), cloze(), basic()) == []


def test_every_code_has_a_summary() -> None:
    assert sorted(CODES) == [
        *("W301", "W302", "W303", "W304", "W305", "W306", "W307"),
        *("W310", "W311", "W312", "W313", "W320", "W321", "W322", "W323"),
        *("W330", "W331", "W332", "W340", "W350", "W351"),
    ]


# -- options ----------------------------------------------------------------------------

W = "questions.yaml"


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
    assert [line for line in lint_lines(short, _renamed(longer, "q2")) if "W302" in line] == []


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
        f"{W}:21:11: warning[W306] the options are numbers but are shuffled; add `order: sorted` so they "
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
        f"{W}:20:11: warning[W310] the negative 'false' is not in bold; write **FALSE** so no reader misses "
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
        f"{W}:16:16: warning[W310] the negative 'NOT' is not in bold; write **NOT** so no reader misses it "
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
    one_word = _renamed(in_distractor, "q2")
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
    assert numbers("2,000 and 2000, 15-20%, HER2, T-DM1, c1, HER-2, 185-kd, 0.5") == (
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


# -- the bank -----------------------------------------------------------------------------


def test_w340_near_duplicate_names_the_first(lint_lines: Callable[..., list[str]]) -> None:
    first = basic()
    again = basic(id="q6", stem="Which part of HER2 does trastuzumab target exactly?")
    assert lint_lines(first, again) == [
        f"{W}:16:11: warning[W340] near-duplicate of question 'q5' (line 5): 86% of the words of stem and "
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
    q = mcq(explain="The early peak falls in the first 4 years; 70% of relapses come then.")
    q["allow"] = {"W330": " "}
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
        f"{W}:18:13: warning[W351] allow W201 is not a lint code; lint codes are W301-W340"
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


def _renamed(q: dict[str, Any], new_id: str) -> dict[str, Any]:
    return {**q, "id": new_id}
