"""Diagnostics: one problem at one place, and how they are printed.

Every stage reports problems as :class:`Diagnostic` values instead of raising, so a
single run can report all of them. They print in the compiler form editors and CI
understand::

    questions.yaml:42:7: error[E103] unknown key 'distractor' (did you mean 'distractors'?)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem found in a file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def concise(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity.value}[{self.code}] {self.message}"

    def full(self, source_lines: list[str] | None) -> str:
        """The concise line, then the source line and a caret under the column."""
        head = self.concise()
        if not source_lines or not 1 <= self.line <= len(source_lines):
            return head
        text = source_lines[self.line - 1].rstrip("\r\n")
        gutter = f"{self.line} | "
        caret_pad = " " * (len(gutter) + max(self.column - 1, 0))
        return f"{head}\n{gutter}{text}\n{caret_pad}^"

    def strict(self) -> Diagnostic:
        """This diagnostic as an error (what ``--strict`` makes of warnings)."""
        if self.is_error:
            return self
        return Diagnostic(self.path, self.line, self.column, self.code, self.message)


def has_errors(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> bool:
    """True when the bank must be rejected: any error, or any warning under strict."""
    return any(d.is_error or strict for d in diagnostics)


def exit_status(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> int:
    """0 clean, 1 errors (or warnings under ``strict``)."""
    return 1 if has_errors(diagnostics, strict=strict) else 0


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.path, d.line, d.column, d.code, d.message)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or '' when none is close."""
    import difflib  # only when there is a misspelling to explain

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not close and isinstance(word, str):
        lowered = {c.lower(): c for c in choices}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f" (did you mean '{close[0]}'?)" if close else ""


def quote_list(items: Iterable[str]) -> str:
    """'a', 'b' or 'c' — for "expected one of" messages."""
    quoted = [f"'{i}'" for i in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
