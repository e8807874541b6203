"""The benchmark measures real work: its synthetic banks are valid and lint-clean.

(Speed itself is measured by bench/run.py, never in a test.)
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

from her2quiz import check, load_bank

from conftest import REPO


def bench_module():
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_synthetic_banks_are_clean_and_hold_every_kind(tmp_path: Path) -> None:
    path = bench_module().write_bank(tmp_path, 60)
    assert check(path, strict=True) == []
    bank = load_bank(path).bank
    assert bank is not None and len(bank.questions) == 60
    kinds = Counter(q.kind for q in bank.questions)
    assert set(kinds) == {"mcq", "multi", "truefalse", "cloze", "basic"}
    assert kinds["mcq"] == max(kinds.values())
    assert all(len(q.cite) == 1 for q in bank.questions)  # and check found each quote
