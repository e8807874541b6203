"""Item-writing lints: form flaws a machine can see in a schema-valid question.

Each rule looks at one question (its texts made plain and tokenised once, in
:class:`~her2quiz.lint.item.Item`) and returns findings naming the field at fault; the
bank rules (near-duplicates, quotes shared across families) look across questions through
an index, so the whole pass stays linear in the size of the bank. A question's
``allow: {CODE: reason}`` silences a finding; an allow without a reason, or for a code
that does not fire, is itself a finding (W350, W351). Everything comes back as a warning;
``check --strict`` makes warnings errors.

The package by concern: ``text`` (words, stems, numbers), ``item`` (a question prepared
once; the rule registry), ``screen`` (word lists ruled out a block at a time), the rules in
``options``, ``stems``, ``cards`` and ``support`` (evidence), the bank rules in
``duplicates`` and ``support``, and ``allows``.

A speed trick's comment says what turning it off costs when linting bench/'s
10,000-question bank in-process (about 300 ms): the share of the instructions callgrind
counts, and about how much time that is.

The rules and their thresholds follow the NBME Item-Writing Guide (technical flaws),
Haladyna, Downing & Rodriguez (2002) and Wozniak's rules for flashcards; see
``ITEM-QUALITY.md`` and the README's "Lint codes".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..bank import Bank
from ..diagnostics import Diagnostic, Severity
from . import cards, options, screen, stems, support
from .allows import apply_allows
from .codes import CODES
from .duplicates import duplicate_tokens, near_duplicates
from .item import Finding, Item, by_kind, findings, position
from .text import numbers_in

__all__ = ["CODES", "LintResult", "lint", "lint_bank", "numbers_in"]

_CHECKS = by_kind(options.RULES + stems.RULES + cards.RULES + support.RULES)
# Questions prepared and screened a block at a time, so a block's texts are read while at
# hand and only a block of Items is alive at once (screening all at once is no faster).
_BLOCK = 256


@dataclass(frozen=True)
class LintResult:
    """The warnings of a bank, and how many findings each code had silenced by an allow."""

    diagnostics: list[Diagnostic]
    allowed: Counter[str]


def lint(bank: Bank, *, display: str) -> LintResult:
    """Every lint over the bank, allows applied, as warnings in file order."""
    questions = bank.questions
    findings_at: dict[int, list[Finding]] = {}
    sets: list[frozenset[str]] = []
    for start in range(0, len(questions), _BLOCK):
        block = [Item(q) for q in questions[start : start + _BLOCK]]
        screen.rule_out(block)
        for i, item in enumerate(block, start):
            found = findings(item, _CHECKS)
            if found:
                findings_at[i] = found
            sets.append(duplicate_tokens(item))
    for i, finding in near_duplicates(questions, sets).items():
        findings_at.setdefault(i, []).append(finding)
    for i, found in support.quotes_across_families(questions).items():
        findings_at.setdefault(i, []).extend(found)
    diagnostics: list[Diagnostic] = []
    allowed: Counter[str] = Counter()
    for i, q in enumerate(questions):
        found = findings_at.get(i, [])
        if not found and not q.allow:
            continue  # the common case: nothing to report, nothing to silence
        kept, silenced = apply_allows(q, found)
        allowed.update(silenced)
        for f in kept:
            line, column = position(q, f.field)
            diagnostics.append(Diagnostic(display, line, column, f.code, f.message, Severity.WARNING))
    return LintResult(diagnostics, allowed)


def lint_bank(bank: Bank, *, display: str) -> list[Diagnostic]:
    """The lint warnings of a valid bank (``check`` adds them to its diagnostics)."""
    return lint(bank, display=display).diagnostics
