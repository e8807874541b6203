"""The typed model of a bank: frozen dataclasses, no I/O.

The validator builds a :class:`Bank` only from a tree that passed every structural
check, so code downstream (Anki, PDF, selection) never re-checks types. Positions are
kept (``Question.where``) so later stages — the lints — can still point at a line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

Kind = Literal["mcq", "multi", "truefalse", "cloze", "basic"]
KINDS: tuple[Kind, ...] = ("mcq", "multi", "truefalse", "cloze", "basic")
DIFFICULTIES = ("easy", "medium", "hard")
TRUE_FALSE = ("True", "False")

Position = tuple[int, int]
_NOWHERE: Mapping[str, Position] = MappingProxyType({})


@dataclass(frozen=True)
class Source:
    """A source document: its key, full reference and text file."""

    key: str
    cite: str
    file: str


@dataclass(frozen=True)
class Citation:
    """A quote from a source, with where it is in the bank."""

    source: str
    quote: str
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class Option:
    """An option of a choice question, with whether it is correct and why not."""

    text: str
    correct: bool
    why: str | None = None


@dataclass(frozen=True, kw_only=True)
class Question:
    """What every kind has. ``where`` maps a field name to its (line, column)."""

    id: str
    kind: Kind
    topic: str
    cite: tuple[Citation, ...]
    difficulty: str | None = None
    tags: tuple[str, ...] = ()
    explain: str | None = None
    allow: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    line: int = 0
    column: int = 0
    where: Mapping[str, Position] = field(default_factory=lambda: _NOWHERE, compare=False, repr=False)

    @property
    def prompt(self) -> str:
        """The text a learner reads first (stem, statement or cloze text)."""
        raise NotImplementedError

    def answer_texts(self) -> tuple[str, ...]:
        """The correct answer(s) as text."""
        raise NotImplementedError

    def position(self, name: str) -> Position:
        return self.where.get(name, (self.line, self.column))


@dataclass(frozen=True)
class Distractor:
    """A wrong option of a choice question, and why it is wrong."""

    text: str
    why: str | None = None


@dataclass(frozen=True, kw_only=True)
class ChoiceQuestion(Question):
    """mcq and multi: a stem, correct answers and distractors."""

    stem: str = ""
    answers: tuple[str, ...] = ()
    distractors: tuple[Distractor, ...] = ()
    order: Literal["shuffle", "sorted"] = "shuffle"

    @property
    def prompt(self) -> str:
        return self.stem

    def answer_texts(self) -> tuple[str, ...]:
        return self.answers

    def options(self) -> tuple[Option, ...]:
        """Answers then distractors, in bank order (selection decides the printed order)."""
        return tuple(Option(a, True) for a in self.answers) + tuple(
            Option(d.text, False, d.why) for d in self.distractors
        )


class Mcq(ChoiceQuestion):
    """Single best answer."""

    @property
    def answer(self) -> str:
        return self.answers[0]


class Multi(ChoiceQuestion):
    """Several correct answers."""


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    """A statement to judge."""

    statement: str = ""
    answer: bool = True

    @property
    def prompt(self) -> str:
        return self.statement

    def answer_texts(self) -> tuple[str, ...]:
        return (TRUE_FALSE[0] if self.answer else TRUE_FALSE[1],)

    def options(self) -> tuple[Option, ...]:
        """True, then False: never shuffled."""
        return (Option(TRUE_FALSE[0], self.answer), Option(TRUE_FALSE[1], not self.answer))


@dataclass(frozen=True, kw_only=True)
class Cloze(Question):
    """A text with {{c1::deletions}}."""

    text: str = ""

    @property
    def prompt(self) -> str:
        return self.text

    def answer_texts(self) -> tuple[str, ...]:
        from .cloze import deletions

        return tuple(d.answer for d in deletions(self.text))


@dataclass(frozen=True, kw_only=True)
class Basic(Question):
    """A question and its short answer."""

    stem: str = ""
    answer: str = ""

    @property
    def prompt(self) -> str:
        return self.stem

    def answer_texts(self) -> tuple[str, ...]:
        return (self.answer,)


AnyQuestion = Mcq | Multi | TrueFalse | Cloze | Basic


@dataclass(frozen=True)
class Bank:
    """A validated bank: its head, topics, sources and questions."""

    id: str
    title: str
    deck: str
    topics: Mapping[str, str]
    sources: Mapping[str, Source]
    questions: tuple[AnyQuestion, ...]
    path: str = ""
    digest: str = ""  # sha256 of the bank file's bytes

    @property
    def short_hash(self) -> str:
        """The 8-hex-digit bank hash printed on quizzes and in plans."""
        return self.digest[:8]

    def question(self, qid: str) -> AnyQuestion:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)
