"""Every output of her2quiz, in one table.

A format is a module of this package with one ``render`` function; its row here says what
it needs (the bank, or a quiz plan), the kinds it can carry, its limits and its file suffix.
:func:`her2quiz.api.export` looks a format up, leaves out (with a warning naming the rule)
each question the format cannot carry or whose text breaks a limit, and writes what
``render`` returns. Modules are imported only when their format is used, so a command
pays for no format it does not write.

``render(job: Job) -> Rendered``; optionally ``refuse(q) -> str | None``, a rule of the
format's own beyond the table's limits (the reason a question is left out, or None).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, Protocol, cast

from ..bank import KINDS, AnyQuestion, Bank, ChoiceQuestion, Kind, TrueFalse, kind_facts

if TYPE_CHECKING:
    from ..plan import Plan

Needs = Literal["bank", "plan"]


@dataclass(frozen=True)
class Limits:
    """What a format's consumer accepts; None: no limit. Lengths count characters of the
    plain text (markup removed), as the consumer shows them."""

    max_options: int | None = None
    max_prompt: int | None = None
    max_option: int | None = None


@dataclass(frozen=True)
class Job:
    """What a format renders from: the selected bank (only questions it can carry), the plan
    for plan formats, the target path and the run's options."""

    bank: Bank
    target: Path
    plan: Plan | None = None
    title: str = ""
    epoch: int | None = None  # SOURCE_DATE_EPOCH: dates inside the output (zip entries, PDF)
    seed: int = 1
    versions: int = 1


@dataclass(frozen=True)
class Rendered:
    """The files to write (target first), and what the reader should be told."""

    files: tuple[tuple[Path, bytes], ...]
    warnings: tuple[str, ...] = ()

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(path for path, _ in self.files)

    def write(self) -> Rendered:
        """Write every file together (see :func:`her2quiz.files.write_together`); self."""
        from ..files import Output, write_together

        write_together([Output(path, data) for path, data in self.files])
        return self


class _Module(Protocol):
    def render(self, job: Job) -> Rendered: ...


@dataclass(frozen=True)
class Format:
    """One output: name, module, what it needs, the kinds it carries and why not the others."""

    name: str
    module: str
    suffix: str
    description: str
    needs: Needs = "bank"
    kinds: frozenset[Kind] = frozenset(KINDS)
    limits: Limits = Limits()
    not_carried: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def load(self) -> _Module:
        return cast(_Module, importlib.import_module(f"{__name__}.{self.module}"))

    def refusal(self, q: AnyQuestion) -> str | None:
        """Why this format leaves ``q`` out (the rule, in words), or None to carry it."""
        if q.kind not in self.kinds:
            return self.not_carried.get(
                q.kind, f"{self.name} does not carry {kind_facts(q.kind).label} questions"
            )
        found = _over_limits(q, self.limits)
        if found is not None:
            return found
        refuse: Callable[[AnyQuestion], str | None] | None = getattr(self.load(), "refuse", None)
        return refuse(q) if refuse is not None else None


def _over_limits(q: AnyQuestion, limits: Limits) -> str | None:
    from ..markup import plain

    options = q.options() if isinstance(q, ChoiceQuestion | TrueFalse) else ()
    if limits.max_options is not None and len(options) > limits.max_options:
        return f"{len(options)} options; at most {limits.max_options}"
    prompt = plain(q.prompt)
    if limits.max_prompt is not None and len(prompt) > limits.max_prompt:
        return f"the question is {len(prompt)} characters; at most {limits.max_prompt}"
    for o in options:
        if limits.max_option is not None and len(plain(o.text)) > limits.max_option:
            return f"option '{plain(o.text)[:30]}…' is {len(plain(o.text))} characters; at most {limits.max_option}"
    return None


_NO_CLOZE_GAME = "game formats have no fill-in-the-blank question"
_NO_WRITTEN_GAME = "game formats have no typed-answer question"

FORMATS: Mapping[str, Format] = MappingProxyType(
    {
        f.name: f
        for f in (
            Format("anki", "anki", ".apkg", "Anki package (notes keep their review history on re-import)"),
            Format("pdf", "pdf", ".pdf", "printable quiz and answer key (Typst)", needs="plan"),
            Format(
                "plan",
                "plan_json",
                ".json",
                "the quiz plan: ids, option order, correct letters",
                needs="plan",
            ),
            Format("moodle-xml", "moodle_xml", ".xml", "Moodle XML (Question bank → Import)"),
            Format(
                "gift",
                "gift",
                ".gift.txt",
                "Moodle GIFT text",
                kinds=frozenset({"mcq", "multi", "truefalse", "basic"}),
                not_carried=MappingProxyType({"cloze": "GIFT has no question with several blanks"}),
            ),
            Format("qti", "qti", ".zip", "Canvas QTI 1.2 package (Import course content → QTI .zip)"),
            Format(
                "kahoot",
                "kahoot",
                ".xlsx",
                "Kahoot! quiz spreadsheet (Create → Import spreadsheet)",
                kinds=frozenset({"mcq", "multi", "truefalse"}),
                limits=Limits(max_options=4, max_prompt=120, max_option=75),
                not_carried=MappingProxyType({"cloze": _NO_CLOZE_GAME, "basic": _NO_WRITTEN_GAME}),
            ),
            Format(
                "blooket",
                "blooket",
                ".csv",
                "Blooket question set CSV (CSV import)",
                kinds=frozenset({"mcq", "multi", "truefalse"}),
                limits=Limits(max_options=4),
                not_carried=MappingProxyType({"cloze": _NO_CLOZE_GAME, "basic": _NO_WRITTEN_GAME}),
            ),
            Format("quizlet", "quizlet", ".txt", "Quizlet flashcards, tab-separated (Import → paste)"),
            Format("html", "html", ".html", "offline self-test page with a projector mode"),
        )
    }
)
EXPORTS: tuple[str, ...] = ("moodle-xml", "gift", "qti", "kahoot", "blooket", "quizlet", "html")


class UnknownFormat(Exception):
    """No format has that name."""


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormat(f"unknown format '{name}'; expected one of {', '.join(EXPORTS)}") from None
