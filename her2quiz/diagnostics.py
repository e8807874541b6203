"""Diagnostics: one problem at one place, and how they are printed.

Every stage reports problems as :class:`Diagnostic` values instead of raising, so a
single run can report all of them. They print in the compiler form editors and CI
understand::

    questions.yaml:42:7: error[E103] unknown key 'distractor' (did you mean 'distractors'?)
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class InputFileError(Exception):
    """A file other than the bank (a plan, a class's results) cannot be used; ``str()`` says
    where and why (exit status 1)."""


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
        head = f"{self.path}:{self.line}:{self.column}: {self.severity.value}[{self.code}] "
        return escape_controls(head + self.message)

    def full(self, source_lines: list[str] | None) -> str:
        """The concise line, then the source line and a caret under the column."""
        head = self.concise()
        if not source_lines or not 1 <= self.line <= len(source_lines):
            return head
        text = escape_controls(source_lines[self.line - 1].rstrip("\r\n"))
        gutter = f"{self.line} | "
        caret_pad = " " * (len(gutter) + max(self.column - 1, 0))
        return f"{head}\n{gutter}{text}\n{caret_pad}^"

    def strict(self) -> Diagnostic:
        """This diagnostic as an error (what ``--strict`` makes of warnings)."""
        if self.is_error:
            return self
        return Diagnostic(self.path, self.line, self.column, self.code, self.message)


_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if c != 0x09}
_CONTROLS |= {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r", 0x2028: "\\u2028", 0x2029: "\\u2029"}
_CONTROLS |= {c: f"\\u{c:04x}" for c in (0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def escape_controls(text: str) -> str:
    """``text`` with control characters (terminal escapes, line breaks, bidi overrides)
    written as escapes, so a message quoting a bank can never drive the terminal."""
    return text if text.isprintable() else text.translate(_CONTROLS)


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    """'2 errors and 1 warning'."""
    found = list(diagnostics)
    errors = sum(d.is_error for d in found)
    warnings = len(found) - errors
    parts = [f"{n} {word}{'s' * (n != 1)}" for n, word in ((errors, "error"), (warnings, "warning")) if n]
    return " and ".join(parts)


def has_errors(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> bool:
    """True when the bank must be rejected: any error, or any warning under strict."""
    return any(d.is_error or strict for d in diagnostics)


def exit_status(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> int:
    """0 clean, 1 errors (or warnings under ``strict``)."""
    return 1 if has_errors(diagnostics, strict=strict) else 0


def diagnostic_order(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.path, d.line, d.column, d.code, d.message)


MAX_SUGGESTION_WORD = 64  # a longer word gets no "did you mean"
MAX_SUGGESTION_CHOICES = 2000  # the candidates "did you mean" looks at, at most


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or '' when none is close."""
    import difflib  # only when there is a misspelling to explain

    # difflib is quadratic in the word's length: a misspelling is short, and a hostile bank's
    # megabyte "topic" or ten thousand candidates must not cost minutes.
    candidates = [c for c in itertools.islice(choices, MAX_SUGGESTION_CHOICES) if isinstance(c, str)]
    if not isinstance(word, str) or len(word) > MAX_SUGGESTION_WORD:
        return ""
    choices = candidates
    close = difflib.get_close_matches(
        word, [c for c in candidates if len(c) <= 2 * MAX_SUGGESTION_WORD], n=1, cutoff=0.6
    )
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
