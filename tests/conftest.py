"""Shared fixtures: small banks on disk, with their source texts beside them."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
DEMO_BANK = FIXTURES / "valid" / "every-kind.yaml"
DEMO_SOURCES = FIXTURES / "sources"
REPO = Path(__file__).parent.parent
SHARED_SOURCES = REPO.parent / "shared" / "sources"


@pytest.fixture
def demo_bank(tmp_path: Path) -> Path:
    """A copy of the every-kind demo bank at tmp_path/questions.yaml, sources/ beside it."""
    shutil.copytree(DEMO_SOURCES, tmp_path / "sources")
    bank = tmp_path / "questions.yaml"
    shutil.copyfile(DEMO_BANK, bank)
    return bank


@pytest.fixture
def write_bank(tmp_path: Path) -> Callable[..., Path]:
    """write_bank(text, name="questions.yaml") -> path, with the demo sources beside it."""
    if not (tmp_path / "sources").exists():
        shutil.copytree(DEMO_SOURCES, tmp_path / "sources")

    def write(text: str | bytes, name: str = "questions.yaml") -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write
