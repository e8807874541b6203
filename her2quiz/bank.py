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
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # option letters; so at most 26 options
Order = Literal["shuffle", "sorted", "as-written"]
ORDERS: tuple[Order, ...] = ("shuffle", "sorted", "as-written")


@dataclass(frozen=True)
class KindFacts:
    """What every output needs to know of a kind, said once."""

    kind: Kind
    prompt_field: str  # the bank field a learner reads first
    choice: bool  # has lettered options
    shuffles: bool  # its options may be reordered
    points: int  # default points on a printed quiz (a cloze: per deletion)
    label: str  # how a person names it


_KIND_FACTS: Mapping[str, KindFacts] = MappingProxyType(
    {
        "mcq": KindFacts("mcq", "stem", choice=True, shuffles=True, points=1, label="single best answer"),
        "multi": KindFacts(
            "multi", "stem", choice=True, shuffles=True, points=2, label="select all that apply"
        ),
        "truefalse": KindFacts(
            "truefalse", "statement", choice=True, shuffles=False, points=1, label="true or false"
        ),
        "cloze": KindFacts(
            "cloze", "text", choice=False, shuffles=False, points=1, label="fill in the blanks"
        ),
        "basic": KindFacts("basic", "stem", choice=False, shuffles=False, points=2, label="short answer"),
    }
)


def kind_facts(kind: Kind) -> KindFacts:
    """The facts of ``kind`` (KeyError for a kind the model does not have)."""
    return _KIND_FACTS[kind]


Position = tuple[int, int]
_NOWHERE: Mapping[str, Position] = MappingProxyType({})


@dataclass(frozen=True)
class Source:
    """A source document: its key, full reference and text file."""

    key: str
    cite: str
    file: str
    date: str | None = None  # "YYYY", "YYYY-MM", "YYYY-MM-DD" or "undated"
    status: str | None = None  # e.g. "pending human review"

    @property
    def dated(self) -> str:
        """The citation with its date and status, as cards and keys print it."""
        extra = [x for x in (self.date, self.status) if x]
        return f"{self.cite} ({'; '.join(extra)})" if extra else self.cite


@dataclass(frozen=True)
class Citation:
    """A quote from a source, with where it is in the bank."""

    source: str
    quote: str
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class Context:
    """Where later evidence overtook a source: a note, with its own checked citations."""

    text: str
    cite: tuple[Citation, ...]


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
    family: str | None = None
    points: int | None = None  # None: the kind's default
    context: Context | None = None
    allow: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    line: int = 0
    column: int = 0
    where: Mapping[str, Position] = field(default_factory=lambda: _NOWHERE, compare=False, repr=False)

    @property
    def facts(self) -> KindFacts:
        return _KIND_FACTS[self.kind]

    @property
    def prompt(self) -> str:
        """The text a learner reads first (stem, statement or cloze text)."""
        raise NotImplementedError

    @property
    def worth(self) -> int:
        """Points on a printed quiz: ``points`` when given, else the kind's default."""
        return self.points if self.points is not None else self.facts.points

    def citations(self) -> tuple[Citation, ...]:
        """Every citation: the question's own, then its context note's."""
        return self.cite + (self.context.cite if self.context else ())

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
    order: Order = "shuffle"
    written: tuple[str, ...] = ()  # with order "as-written": every option's text, in print order

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
    accept: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def prompt(self) -> str:
        return self.text

    def answer_texts(self) -> tuple[str, ...]:
        from .cloze import deletions

        return tuple(d.answer for d in deletions(self.text))

    def accepted(self) -> tuple[tuple[str, ...], ...]:
        """For each deletion, in order, its accepted alternatives."""
        return tuple(self.accept.get(a, ()) for a in self.answer_texts())

    @property
    def worth(self) -> int:
        """``points`` when given, else the kind's default for each deletion."""
        return self.points if self.points is not None else self.facts.points * len(self.answer_texts())


@dataclass(frozen=True, kw_only=True)
class Basic(Question):
    """A question and its short answer."""

    stem: str = ""
    answer: str = ""
    accept: tuple[str, ...] = ()

    @property
    def prompt(self) -> str:
        return self.stem

    def answer_texts(self) -> tuple[str, ...]:
        return (self.answer,)

    def accepted(self) -> tuple[tuple[str, ...], ...]:
        return (self.accept,)


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
    withdrawn: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # id -> reason
    _index: Mapping[str, AnyQuestion] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The id index: a plan of 10,000 questions looked each up by a scan (about 14 s).
        object.__setattr__(self, "_index", MappingProxyType({q.id: q for q in self.questions}))

    @property
    def short_hash(self) -> str:
        """The 8-hex-digit bank hash printed on quizzes and in plans."""
        return self.digest[:8]

    def question(self, qid: str) -> AnyQuestion:
        """The question with id ``qid`` (KeyError when the bank has none)."""
        return self._index[qid]

    def get(self, qid: str) -> AnyQuestion | None:
        return self._index.get(qid)
