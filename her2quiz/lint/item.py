"""One question prepared for the rules: its texts made plain and tokenised once, and the
rule registry (a rule looks at one :class:`Item` and returns :class:`Finding` values)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from ..bank import KINDS, AnyQuestion, Basic, ChoiceQuestion, Cloze, Position, TrueFalse
from ..cloze import CLOZE
from .text import plain, words

_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")
PROMPT_FIELD = {"mcq": "stem", "multi": "stem", "basic": "stem", "truefalse": "statement", "cloze": "text"}


@dataclass(frozen=True, slots=True)
class Finding:
    """A lint that fired on one question, at one of its fields (a ``where`` key)."""

    code: str
    field: str
    message: str


def position(q: AnyQuestion, field: str) -> Position:
    """Where a finding at ``field`` points: a quote (``cite.0.quote``) at its own line and
    column, which its Citation keeps; any other field as the question's ``where`` says."""
    if field.startswith("cite.") and field.endswith(".quote"):
        c = q.cite[int(field.split(".")[1])]
        if c.line:
            return c.line, c.column
    return q.position(field)


_QUOTE, _TEXT = attrgetter("quote"), attrgetter("text")

# What a question may hold, for the rules that look for a word list or a number; an Item
# starts with every flag set, and screen.rule_out() clears those its texts rule out.
MAY_ABSOLUTE, MAY_VAGUE, MAY_NEGATIVE, MAY_HEDGE, MAY_OPTION_DIGIT, MAY_STATED_DIGIT = 1, 2, 4, 8, 16, 32
MAY_ALL = 63


class Item:
    """A question's texts, plain (markup removed), and what the rules derive from them:
    made plain once, tokenised once, the rest worked out on first use."""

    __slots__ = (
        "_answer_field",
        "_clause",
        "_filled",
        "answer_words",
        "answers",
        "ascii",
        "dels",
        "distractors",
        "explain",
        "may",
        "options_text",
        "prompt",
        "prompt_field",
        "prompt_words",
        "q",
        "quotes",
        "raw_prompt",
        "stated_text",
    )

    def __init__(self, q: AnyQuestion) -> None:
        self.q = q
        self.raw_prompt = raw = q.prompt
        self.prompt = prompt = plain(raw)
        self.prompt_field = PROMPT_FIELD[q.kind]
        self.explain = explain = plain(q.explain)
        self.quotes = list(map(_QUOTE, q.cite))
        self._clause: str | None = None
        self._filled: str | None = None
        self.distractors: list[str] = []
        self.dels: list[re.Match[str]] = []  # a cloze's deletions: {{c(number)::(answer)::(hint)}}
        self.options_text = ""
        self.may = MAY_ALL  # what screen.rule_out() has not ruled out for this question
        # The words every question is read for (the near-duplicate test; cue and long-answer
        # rules): stem or statement and answers — for a cloze, its text filled in.
        if isinstance(q, ChoiceQuestion):
            answers, distractors = list(q.answers), list(map(_TEXT, q.distractors))
            text = "\n".join(answers + distractors)  # the options a line each: one test for all
            if "*" in text:
                answers, distractors = list(map(plain, answers)), list(map(plain, distractors))
                text = "\n".join(answers + distractors)
            self.answers, self.distractors, self.options_text = answers, distractors, text
            self.stated_text = explain  # and the answers: options
            self._answer_field = "answers."
            self.prompt_words, self.answer_words = words(prompt), list(map(words, answers))
            self.ascii = prompt.isascii() and (text.isascii() or all(map(str.isascii, answers)))
        elif isinstance(q, Cloze):
            self.dels = list(CLOZE.finditer(raw))  # as cloze.deletions() finds them
            self.answers = [plain(d[2]) for d in self.dels]
            self._answer_field = "text"
            filled = self.filled
            self.stated_text = f"{explain}\n{filled}"  # (not the raw text: every "{{c1::" has a digit)
            self.prompt_words, self.answer_words, self.ascii = words(filled), [], filled.isascii()
        else:
            if isinstance(q, Basic):
                self.answers = [answer := plain(q.answer)]
                self._answer_field = "answer"
                self.stated_text = f"{explain}\n{answer}"
            else:
                self.answers = []
                self._answer_field = "statement"
                self.stated_text = f"{explain}\n{prompt}" if q.answer else explain
            self.prompt_words, self.answer_words = words(prompt), list(map(words, self.answers))
            self.ascii = prompt.isascii() and all(map(str.isascii, self.answers))

    def answer_field(self, i: int) -> str:
        """The ``where`` key of the i-th answer."""
        return f"answers.{i}" if self._answer_field == "answers." else self._answer_field

    def option_fields(self) -> list[tuple[str, str, bool]]:
        """(field, text, correct) for the options of a choice question: answers, then distractors."""
        return [(f"answers.{i}", t, True) for i, t in enumerate(self.answers)] + [
            (f"distractors.{i}", t, False) for i, t in enumerate(self.distractors)
        ]

    @property
    def question_clause(self) -> str:
        """The last sentence of the prompt: where a lead-in such as 'Which is NOT' sits."""
        if self._clause is None:
            parts = [p for p in _SENTENCE_END.split(self.raw_prompt.strip()) if p]
            while len(parts) > 1 and parts[-1].startswith("("):
                parts.pop()  # "(Select all that apply.)" is an instruction, not the question
            self._clause = parts[-1] if parts else ""
        return self._clause

    @property
    def filled(self) -> str:
        """A cloze's text with every deletion filled in by its answer, plain."""
        if self._filled is None:
            raw, at = self.raw_prompt, 0
            pieces: list[str] = []
            for d in self.dels:  # what CLOZE.sub(answer) makes, from the deletions already found
                pieces += (raw[at : d.start()], d[2])
                at = d.end()
            pieces.append(raw[at:])
            self._filled = plain("".join(pieces))
        return self._filled

    @property
    def asserted(self) -> list[tuple[str, str]]:
        """(field, text) the question states as fact: answers, a true statement, a whole cloze."""
        q = self.q
        if isinstance(q, Cloze):
            return [("text", self.filled)]
        if isinstance(q, TrueFalse):
            return [("statement", self.prompt)] if q.answer else []
        return [(self.answer_field(i), t) for i, t in enumerate(self.answers)]


Check = Callable[[Item], Sequence[Finding]]
NONE: tuple[Finding, ...] = ()  # what a rule returns when it does not fire (the common case)
CHOICE = ("mcq", "multi")


@dataclass(frozen=True, slots=True)
class Rule:
    """A per-question rule and the kinds it applies to."""

    kinds: frozenset[str]
    check: Check


def rule(check: Check, *kinds: str) -> Rule:
    """A rule for the kinds given (every kind when none are)."""
    return Rule(frozenset(kinds or KINDS), check)


def by_kind(rules: Sequence[Rule]) -> dict[str, tuple[Check, ...]]:
    """kind -> the checks that apply to it, in the order given."""
    return {k: tuple(r.check for r in rules if k in r.kinds) for k in KINDS}


def findings(item: Item, checks: dict[str, tuple[Check, ...]]) -> list[Finding]:
    """Every per-question finding, before allows are applied."""
    found: list[Finding] = []
    for check in checks[item.q.kind]:
        hits = check(item)
        if hits:
            found += hits
    return found
