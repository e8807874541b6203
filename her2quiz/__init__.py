"""her2quiz: one hand-written question bank about HER2 in breast cancer, compiled into
Anki decks and printable quizzes, every answer checked against its source's words."""

from __future__ import annotations

from .api import BankError, Loaded, check, diagnose, load_bank, require_bank
from .diagnostics import Diagnostic, Severity

__all__ = ["BankError", "Diagnostic", "Loaded", "Severity", "check", "diagnose", "load_bank", "require_bank"]
__version__ = "0.2.0"
