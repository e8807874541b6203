"""Broken banks give exactly their expected diagnostics; valid banks give none."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from her2quiz import check, diagnose, load_bank
from her2quiz.cli import main

from conftest import DEMO_SOURCES, FIXTURES

BROKEN = sorted((FIXTURES / "broken").glob("*.yaml"))
VALID = sorted((FIXTURES / "valid").glob("*.yaml"))


def run_check(path: Path, **kwargs: object) -> list[str]:
    """Diagnostics as printed when run beside the bank with --sources ../sources."""
    cwd = os.getcwd()
    os.chdir(path.parent)
    try:
        found = check(path.name, sources=Path("..") / DEMO_SOURCES.name, **kwargs)  # type: ignore[arg-type]
    finally:
        os.chdir(cwd)
    return [d.concise() for d in found]


def test_there_are_at_least_thirty_broken_banks() -> None:
    assert len(BROKEN) >= 30


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_bank_gives_exactly_its_diagnostics(path: Path) -> None:
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert expected, f"{path.name} has no expected diagnostics"
    assert run_check(path) == expected


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_bank_is_rejected_by_the_command(path: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(path), "--sources", str(DEMO_SOURCES), "--strict"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    expected = [d.concise() for d in check(path, sources=DEMO_SOURCES, strict=True)]
    assert result.stdout.splitlines() == expected
    full = CliRunner().invoke(main, ["check", str(path), "--sources", str(DEMO_SOURCES), "--format", "full"])
    assert [line for line in full.stdout.splitlines() if ": error[" in line or ": warning[" in line] == [
        d.concise() for d in diagnose(load_bank(path, sources=DEMO_SOURCES))
    ]


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_bank_has_no_diagnostics(path: Path) -> None:
    assert run_check(path, strict=True) == []
    assert load_bank(path, sources=DEMO_SOURCES).bank is not None


def test_bom_and_crlf_load_the_same_bank_as_plain_utf8() -> None:
    banks = [load_bank(FIXTURES / "valid" / n, sources=DEMO_SOURCES).bank for n in
             ("every-kind.yaml", "bom.yaml", "crlf.yaml", "bom-crlf.yaml")]  # fmt: skip
    questions = [b.questions for b in banks if b is not None]
    assert len(questions) == 4
    assert all(q == questions[0] for q in questions)


def test_positions_are_one_based_lines_and_columns_in_a_crlf_bank() -> None:
    bank = load_bank(FIXTURES / "valid" / "crlf.yaml", sources=DEMO_SOURCES).bank
    assert bank is not None
    first = bank.questions[0]
    assert (first.line, first.column) == (15, 5)
    assert first.position("stem") == (20, 11)


def test_unicode_survives_loading() -> None:
    bank = load_bank(FIXTURES / "valid" / "unicode.yaml", sources=DEMO_SOURCES).bank
    assert bank is not None
    assert bank.title == "Démo — HER2/neu ≥ 3+ · 乳腺癌"
    assert "🧪" in bank.questions[0].prompt
    assert bank.questions[0].tags == ("fish", "réproductibilité", "検査")


def test_python_tag_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    bank = tmp_path / "q.yaml"
    bank.write_text(f'bank: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    lines = [d.concise() for d in check(bank, display="q.yaml")]
    assert lines == [
        "q.yaml:1:7: error[E005] tag '!!python/object/apply:os.system' is not allowed: "
        "a bank is plain data, and no tag is ever run or built"
    ]
    assert not marker.exists()


def test_every_problem_is_reported_at_once(write_bank) -> None:  # type: ignore[no-untyped-def]
    text = (FIXTURES / "broken" / "unknown-topic.yaml").read_text(encoding="utf-8")
    text = text.replace("difficulty: easy", "difficulty: hrad").replace(
        "kind: mcq", "kind: mcq\n    stemm: x"
    )
    codes = [d.code for d in check(write_bank(text))]
    assert codes == ["E103", "E202", "E104"]  # in line order


def test_missing_source_file_is_a_warning_and_an_error_under_strict() -> None:
    path = FIXTURES / "broken" / "missing-source-file.yaml"
    relaxed = check(path, sources=DEMO_SOURCES)
    assert [d.severity.value for d in relaxed] == ["warning"]
    strict = check(path, sources=DEMO_SOURCES, strict=True)
    assert [d.severity.value for d in strict] == ["error"]
    result = CliRunner().invoke(main, ["check", str(path), "--sources", str(DEMO_SOURCES)])
    assert result.exit_code == 0


def test_default_sources_folder_is_beside_the_bank(demo_bank: Path) -> None:
    assert check(demo_bank, strict=True) == []
    os.rename(demo_bank.parent / "sources", demo_bank.parent / "elsewhere")
    codes = {d.code for d in check(demo_bank)}
    assert codes == {"W201"}
