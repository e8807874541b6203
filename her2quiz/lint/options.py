"""Option rules (mcq, multi): W301-W307, the cues that let a test-wise student pick the
answer without knowing it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..bank import ChoiceQuestion, Multi
from .item import CHOICE, MAY_ABSOLUTE, MAY_OPTION_DIGIT, MAY_VAGUE, NONE, Finding, Item, rule
from .text import NUMBER, clip, words

LONG_RATIO = 1.5  # W302: answer length ≥ 1.5 × mean distractor length …
LONG_MIN_WORDS = 4  # … and at least this many words

_ALL_NONE = re.compile(
    r"^\s*(?:all|none|both|neither)\s+(?:of\s+)?(?:the\s+)?(?:above|these|those|preceding|previous|foregoing)"
    r"(?:\s+(?:options|answers|choices|statements))?\s*\.?\s*$",
    re.IGNORECASE,
)
_NUMERAL = r"(?:[A-F]|I{1,3}|IV|VI?)"
_COMBINATION = re.compile(
    rf"^\s*(?i:both\s+|only\s+)?{_NUMERAL}(?:\s*(?:,\s*(?i:and\s+|or\s+)?|(?i:and|or)\s+|[&+/]\s*){_NUMERAL})+"
    r"(?i:\s+only)?\s*\.?\s*$"
)
# How either starts (the first character, white space aside, then the first word or two):
# testing that first, and the two full patterns only on an option that starts so, saves
# 11% (30 ms).
_COMBINATION_FIRST = frozenset("aAnNbBoO" + "ABCDEFIV")
_COMBINATION_START = re.compile(
    rf"\s*(?:(?i:all|none|both|neither|only)\s|{_NUMERAL}\s*(?:[,&+/]|(?i:and|or)\s))"
)
ABSOLUTE_WORDS = ("always", "never", "only", "all", "none", "completely")
_ABSOLUTE = re.compile(rf"\b({'|'.join(ABSOLUTE_WORDS)})\b", re.IGNORECASE)
_ABSOLUTE_EXEMPT = re.compile(
    r"\bonly\s+(?:one|two|three|four|five|once|twice|\d+)\b|\bnot\s+only\b|\ball\s+but\b"
    r"|\bif\s+only\b|\bat\s+all\b|\babove\s+all\b|\bfirst\s+of\s+all\b",
    re.IGNORECASE,
)
VAGUE_WORDS: tuple[str, ...] = ("often", "usually", "rarely", "sometimes", "frequently", "occasionally")
VAGUE_WORDS += ("seldom", "commonly", "generally", "typically")
_VAGUE = re.compile(rf"\b({'|'.join(VAGUE_WORDS)})\b", re.IGNORECASE)


def combination_options(item: Item) -> Sequence[Finding]:
    """W301: 'all of the above', 'none of the above', 'A and C', 'I, II and III'."""
    for text in item.answers + item.distractors:
        first = text[:1]
        if (first in _COMBINATION_FIRST or first.isspace()) and _COMBINATION_START.match(text):
            break
    else:
        return NONE  # no option starts the way either can
    return [
        Finding(
            "W301",
            f,
            f"option '{clip(text)}' is an all/none-of-the-above or combination option; "
            "it rewards partial knowledge — write a standalone option (or use kind: multi)",
        )
        for f, text, _ in item.option_fields()
        if _ALL_NONE.match(text) or _COMBINATION.match(text)
    ]


def longest_answer(item: Item) -> Sequence[Finding]:
    """W302: the correct option(s) clearly longer than the distractors."""
    answers, distractors = item.answers, item.distractors
    if not distractors:
        return NONE
    mean_right = sum(map(len, answers)) / len(answers)
    mean_wrong = sum(map(len, distractors)) / len(distractors)
    if mean_right < LONG_RATIO * mean_wrong:
        return NONE
    if sum(map(len, item.answer_words)) / len(answers) < LONG_MIN_WORDS:
        return NONE
    if isinstance(item.q, Multi):
        message = (
            f"the answers are clearly longer than the distractors (a mean of {mean_right:.0f} chars vs "
            f"{mean_wrong:.0f}); shorten them or lengthen the distractors"
        )
    elif len(answers[0]) > max(map(len, distractors)):
        message = (
            f"the answer is the longest option ({len(answers[0])} chars vs a mean of {mean_wrong:.0f} for "
            "the distractors); shorten it or lengthen the distractors"
        )
    else:
        return NONE
    return [Finding("W302", "answers.0", message)]


def absolute_words(text: str) -> list[str]:
    """The absolute words of a text, lower case, exempt phrases ('only one', 'above all') left out."""
    return [m.group(1).lower() for m in _ABSOLUTE.finditer(_ABSOLUTE_EXEMPT.sub(" ", text))]


def absolute_options(item: Item) -> Sequence[Finding]:
    """W303: always/never/only/all/none/completely in some options and not in others."""
    if not item.may & MAY_ABSOLUTE:
        return NONE
    found = [(f, t, correct, absolute_words(t)) for f, t, correct in item.option_fields()]
    marked = [x for x in found if x[3]]
    if not marked or len(marked) == len(found):
        return NONE
    f, text, correct, hits = marked[0]
    who = "the answer" if correct else "distractor"
    others = f" (and {len(marked) - 1} other option{'s' * (len(marked) > 2)})" if len(marked) > 1 else ""
    return [
        Finding(
            "W303",
            f,
            f"{who} '{clip(text)}' says '{hits[0]}'{others} and the other options do not; absolute words "
            "cue test-wise students — state the fact without them",
        )
    ]


def vague_options(item: Item) -> Sequence[Finding]:
    """W304: often/usually/rarely… in options: their meaning varies from reader to reader."""
    if not item.may & MAY_VAGUE:
        return NONE
    for f, text, _ in item.option_fields():
        m = _VAGUE.search(text)
        if m:
            return [
                Finding(
                    "W304",
                    f,
                    f"option '{clip(text)}' uses the vague frequency word '{m.group(1).lower()}'; "
                    "readers disagree on what it means — give the figure or drop it",
                )
            ]
    return NONE


def is_numeric(text: str) -> bool:
    """Whether the text holds a number standing alone."""
    return NUMBER.search(text) is not None


def mixed_kinds(item: Item) -> Sequence[Finding]:
    """W305: a number among words (or a word among numbers)."""
    if not item.may & MAY_OPTION_DIGIT:
        return NONE  # no option has a number
    options = item.option_fields()
    numeric = [o for o in options if is_numeric(o[1])]
    if not numeric or len(numeric) == len(options):
        return NONE
    odd = numeric if len(numeric) <= len(options) / 2 else [o for o in options if not is_numeric(o[1])]
    f, text, _ = odd[0]
    rest = len(options) - len(odd)
    has = "has a number and" if is_numeric(text) else "has no number and"
    do = "do not" if is_numeric(text) else "do"
    return [
        Finding(
            "W305",
            f,
            f"option '{clip(text)}' {has} {rest} of the {len(options)} options {do}; make the options "
            "the same kind (all numbers or all words)",
        )
    ]


def shuffled_numbers(item: Item) -> Sequence[Finding]:
    """W306: all options numeric and `order: shuffle` (`sorted` and `as-written` keep an order)."""
    q = item.q
    assert isinstance(q, ChoiceQuestion)
    if q.order != "shuffle" or (item.options_text and not item.may & MAY_OPTION_DIGIT):
        return NONE  # kept in an order, or no option (so not every one) has a number
    if all(is_numeric(t) for _, t, _ in item.option_fields()):
        return [
            Finding(
                "W306",
                "order" if "order" in q.where else "stem",
                "the options are numbers but are shuffled; add `order: sorted` so they print in their "
                "natural order",
            )
        ]
    return NONE


_AN_EXCEPTIONS = re.compile(r"^(?:hour|honest|honou?r|heir)", re.IGNORECASE)
_A_EXCEPTIONS = re.compile(r"^(?:uni|use|usu|ur[aeiou]|eu|one|once|ubiq)", re.IGNORECASE)
_SINGULAR_VERBS = frozenset({"is", "was", "has", "does"})
_PLURAL_VERBS = frozenset({"are", "were", "have", "do"})


def article_fits(article: str, option: str) -> bool | None:
    """Whether 'a'/'an' reads right before the option; None when it cannot be told."""
    first = words(option)[:1]
    if not first:
        return None
    w = first[0]
    if w.lower() in ("a", "an"):
        return False  # the option carries its own article: the stem's doubles it
    if not w[0].isalpha() or (w.isupper() and len(w) > 1):
        return None  # numbers and acronyms: depends on how they are read
    vowel = (w[0].lower() in "aeiou" and not _A_EXCEPTIONS.match(w)) or bool(_AN_EXCEPTIONS.match(w))
    return vowel == (article == "an")


def plural(option: str) -> bool | None:
    """Whether the option reads as plural; None when it cannot be told."""
    ws = words(option)
    if not ws:
        return None
    if " and " in f" {option.lower()} ":
        return True
    last = ws[-1].lower()
    if not last.isalpha():
        return None
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


Fits = Callable[[str], bool | None]


def stem_cue(stem: str) -> tuple[str, Fits] | None:
    """The cue an incomplete stem ends with (a/an, is/are), and whether an option fits it."""
    if stem.endswith("?"):
        return None
    tail = words(stem)[-1:]
    last = tail[0].lower() if tail else ""
    if last in ("a", "an"):
        return f"'{tail[0]}'", lambda text: article_fits(last, text)
    if last in _SINGULAR_VERBS or last in _PLURAL_VERBS:
        wanted = last in _PLURAL_VERBS

        def agrees(text: str) -> bool | None:
            p = plural(text)
            return None if p is None else p == wanted

        return f"the {'plural' if wanted else 'singular'} '{tail[0]}'", agrees
    return None


def grammatical_cue(item: Item) -> Sequence[Finding]:
    """W307: the stem ends with a/an or is/are, and only the answer agrees with it."""
    found = stem_cue(item.prompt.rstrip())
    if found is None:
        return NONE
    cue, fits = found
    if all(fits(t) is True for t in item.answers) and all(fits(t) is False for t in item.distractors):
        return [
            Finding(
                "W307",
                "stem",
                f"the stem ends with {cue}, which only the answer fits; end the stem before it "
                "or make every option fit it",
            )
        ]
    return NONE


RULES = (
    rule(combination_options, *CHOICE),
    rule(longest_answer, *CHOICE),
    rule(absolute_options, *CHOICE),
    rule(vague_options, *CHOICE),
    rule(mixed_kinds, *CHOICE),
    rule(shuffled_numbers, *CHOICE),
    rule(grammatical_cue, *CHOICE),
)
