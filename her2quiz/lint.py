"""Item-writing lints (filled in by the lint work)."""

from __future__ import annotations

from .bank import Bank
from .diagnostics import Diagnostic


def lint_bank(bank: Bank, *, display: str) -> list[Diagnostic]:
    return []
