"""Stem rules: W310-W313, a stem that misleads, is not a question, or gives the answer away."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain

from .. import markup
from ..bank import Basic, ChoiceQuestion
from .item import CHOICE, MAY_NEGATIVE, NONE, Finding, Item, rule
from .text import CONTENT_STEMS, clip, content_stems, plain, words

CUE_MIN_WORDS = 2  # W312: distinctive stem words shared only with the answer (one happens by chance)

NEGATIVE_WORDS = ("not", "except", "least", "false")
# A hyphenated word ("false-negative", "not-for-profit") is not a lead-in.
_NEGATIVE = re.compile(r"(?<![\w-])(not|except|least|false)(?![\w-])", re.IGNORECASE)
_NEGATIVE_EXEMPT = re.compile(
    r"\bat\s+least\b|\bnot\s+only\b|\bwhether\s+or\s+not\b|\bif\s+not\b|\bnot\s+least\b"
    r"|\btrue\s+or\s+false\b|\bfalse\s+(?:positive|negative)s?\b",
    re.IGNORECASE,
)


def negatives_not_bold(text: str, *, capitals_only: bool) -> list[str]:
    """Negative lead-in words of ``text`` outside **bold** (exempt phrases skipped)."""
    found: list[str] = []
    for span in markup.parse(text):
        if span.bold:
            continue
        body = _NEGATIVE_EXEMPT.sub(lambda m: " " * len(m.group()), span.text)
        for m in _NEGATIVE.finditer(body):
            word = m.group(1)
            if not capitals_only or word.isupper():
                found.append(word)
    return found


def negative_stem(item: Item) -> Sequence[Finding]:
    """W310: NOT/EXCEPT/LEAST/FALSE in the question clause, not in bold.

    In a true/false statement or a cloze there is no lead-in and 'not' is ordinary prose;
    only a negative written in capitals (meant as emphasis) must then be bold."""
    if not item.may & MAY_NEGATIVE:
        return NONE
    if isinstance(item.q, (ChoiceQuestion, Basic)):
        hits = negatives_not_bold(item.question_clause, capitals_only=False)
    else:
        hits = negatives_not_bold(item.raw_prompt, capitals_only=True)
    if not hits:
        return NONE
    word = hits[0]
    return [
        Finding(
            "W310",
            item.prompt_field,
            f"the negative '{word}' is not in bold; write **{word.upper()}** so no reader misses it "
            "(or ask the question positively)",
        )
    ]


def not_a_question(item: Item) -> Sequence[Finding]:
    """W311: the stem should be a question a student can answer with the options covered
    (an instruction after it, such as "(Choose two.)", may follow)."""
    raw = item.raw_prompt.strip()
    # The common case decided without splitting the stem into sentences: saves 7% (20 ms).
    if raw.endswith("?") and "(" not in raw and "*" not in raw:
        return NONE  # its last sentence ends with '?', and no instruction or markup follows
    if plain(item.question_clause).rstrip().rstrip("\"'”’)]").endswith("?"):
        return NONE
    return [
        Finding(
            "W311",
            "stem",
            "the stem is not a question (it does not end with '?'); ask a complete question that can "
            "be answered with the options covered",
        )
    ]


def repeated_word(item: Item) -> Sequence[Finding]:
    """W312: a content word of the stem that the answer repeats and no distractor has."""
    stems = CONTENT_STEMS.__getitem__
    in_stem = set(map(stems, item.prompt_words))
    in_stem.discard(None)
    if len(in_stem) < CUE_MIN_WORDS:
        return NONE
    wrong: set[str | None] | None = None
    for i, answer_words in enumerate(item.answer_words):
        answer = in_stem.intersection(map(stems, answer_words))
        if len(answer) < CUE_MIN_WORDS:
            continue
        if wrong is None:
            wrong = set(chain.from_iterable(map(stems, words(d)) for d in item.distractors))
        shared = [w for s, w in content_stems(item.prompt).items() if s in answer and s not in wrong]
        if len(shared) >= CUE_MIN_WORDS:
            listed = ", ".join(f"'{w}'" for w in shared)
            verb, noun = ("is", "word") if len(shared) == 1 else ("are", "words")
            return [
                Finding(
                    "W312",
                    item.answer_field(i),
                    f"the stem's {listed} {verb} repeated in the answer and in no distractor; reword the "
                    f"answer or use the {noun} in a distractor too",
                )
            ]
    return NONE


def _token_text(text: str) -> str:
    return " " + " ".join(w.casefold() for w in words(text)) + " "


def answer_in_stem(item: Item) -> Sequence[Finding]:
    """W313: the answer itself is written in the stem."""
    low = item.prompt.casefold()
    for i, answer_words in enumerate(item.answer_words):
        # A cheap test first (the answer's first word is not even in the stem): saves 18% (50 ms).
        if not answer_words or answer_words[0].casefold() not in low:
            continue
        text = item.answers[i]
        tokens, stem_tokens = _token_text(text), _token_text(item.prompt)
        if tokens.strip() and tokens in stem_tokens:
            return [
                Finding(
                    "W313",
                    item.answer_field(i),
                    f"the answer '{clip(text)}' is written in the stem; reword the stem so it does not give "
                    "the answer away",
                )
            ]
    return NONE


RULES = (
    rule(negative_stem),
    rule(not_a_question, *CHOICE),
    rule(repeated_word, *CHOICE),
    rule(answer_in_stem, *CHOICE, "basic"),
)
