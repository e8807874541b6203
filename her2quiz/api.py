"""The library's front door: load a bank, check it. No click, no printing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from .bank import Bank
from .diagnostics import Diagnostic, sort_key
from .gcpause import paused_gc
from .load import LoadError, decode, parse
from .validate import Validator


class BankError(Exception):
    """The bank has errors; ``diagnostics`` says which."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        errors = [d for d in diagnostics if d.is_error]
        super().__init__(f"{len(errors)} error(s) in the bank")
        self.diagnostics = diagnostics


@dataclass
class Loaded:
    """What loading a bank gave: the model (None when it has errors) and every diagnostic."""

    path: Path
    display: str
    bank: Bank | None
    diagnostics: list[Diagnostic]
    text: str = ""
    sources_dir: Path | None = None
    lines: list[str] = field(default_factory=list)


def default_sources(bank_path: Path) -> Path:
    """`sources/` beside the bank."""
    return bank_path.parent / "sources"


def load_bank(
    path: str | Path,
    *,
    sources: str | Path | None = None,
    display: str | None = None,
) -> Loaded:
    """Load and validate a bank. Quotes are checked against ``sources`` (default
    `sources/` beside the bank). Never raises for a bad bank: see ``.diagnostics``."""
    path = Path(path)
    display = display if display is not None else str(path)
    sources_dir = Path(sources) if sources is not None else default_sources(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        d = Diagnostic(display, 1, 1, "E001", f"cannot read the bank: {e.strerror}")
        return Loaded(path, display, None, [d], sources_dir=sources_dir)
    try:
        text = decode(data, display)
        with paused_gc():
            tree, diagnostics = parse(text, display)
    except LoadError as e:
        return Loaded(path, display, None, [e.diagnostic], sources_dir=sources_dir)
    validator = Validator(display, sources_dir)
    with paused_gc():
        bank = validator.run(tree)
    diagnostics = diagnostics + validator.diagnostics
    if bank is not None and any(d.is_error for d in diagnostics):
        bank = None
    if bank is not None:
        bank = replace(bank, path=str(path), digest=hashlib.sha256(data).hexdigest())
    diagnostics.sort(key=sort_key)
    return Loaded(path, display, bank, diagnostics, text, sources_dir)


def check(
    path: str | Path,
    *,
    sources: str | Path | None = None,
    strict: bool = False,
    lint: bool = True,
    display: str | None = None,
) -> list[Diagnostic]:
    """Every diagnostic for a bank: loading, structure, meaning, quotes and lints.

    Under ``strict`` warnings come back as errors.
    """
    return diagnose(load_bank(path, sources=sources, display=display), strict=strict, lint=lint)


def diagnose(loaded: Loaded, *, strict: bool = False, lint: bool = True) -> list[Diagnostic]:
    """:func:`check` for a bank already loaded: its diagnostics plus the lints."""
    diagnostics = list(loaded.diagnostics)
    if lint and loaded.bank is not None:
        from .lint import lint_bank

        with paused_gc():
            diagnostics.extend(lint_bank(loaded.bank, display=loaded.display))
        diagnostics.sort(key=sort_key)
    if strict:
        diagnostics = [d.strict() for d in diagnostics]
    return diagnostics


def require_bank(path: str | Path, *, sources: str | Path | None = None) -> Bank:
    """The bank, or BankError when it has errors (what the writers build from)."""
    loaded = load_bank(path, sources=sources)
    if loaded.bank is None:
        raise BankError(loaded.diagnostics)
    return loaded.bank
