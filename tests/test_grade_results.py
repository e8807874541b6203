"""``--results DIR``: each graded class is kept; ``check --results`` pools the classes and
warns on a question whose pooled data (≥ 30 students) shows negative discrimination, a
distractor nobody chooses or an extreme facility, naming the classes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from quiz_banks import bank_text
from test_grade import simulate, write_sheet

from her2quiz import api
from her2quiz.bank import Bank
from her2quiz.cli import main
from her2quiz.diagnostics import Severity
from her2quiz.grade import grade_class, results_diagnostics, save_result
from her2quiz.select import plan_quiz


@pytest.fixture
def setting(tmp_path: Path) -> tuple[Path, Bank, Path]:
    """A bank on disk, and two classes of 20 (each too small alone) kept in results/."""
    (tmp_path / "sources").mkdir()
    from conftest import DEMO_SOURCES

    for f in DEMO_SOURCES.iterdir():
        (tmp_path / "sources" / f.name).write_bytes(f.read_bytes())
    bank_path = tmp_path / "questions.yaml"
    bank_path.write_text(bank_text(12), encoding="utf-8")
    bank = api.require_bank(bank_path)
    results = tmp_path / "results"
    results.mkdir()
    mcqs = [q for q in bank.questions if q.kind == "mcq"]
    for name, seed in (("period-1", 1), ("period-4", 2)):
        plan = plan_quiz(bank, count=None, versions=2, seed=seed)
        unchosen = (mcqs[1].id, mcqs[1].options()[-1].text)
        rows, _ = simulate(plan, bank, 20, seed, miskeyed=mcqs[0].id, unchosen=unchosen)
        report = grade_class(
            plan,
            write_sheet(tmp_path / f"{name}.csv", plan, rows),
            bank=bank,
            source_format=None,
            multi="partial",
        )
        assert [f.code for f in report.flags] == ["few-students"]
        file_name, data = save_result(report)
        assert file_name.startswith(f"{name}-") and file_name.endswith(".json")
        (results / file_name).write_bytes(data)
    return bank_path, bank, results


def test_pooled_classes_warn_on_the_questions_that_failed_them(setting: tuple[Path, Bank, Path]) -> None:
    _, bank, results = setting
    found = results_diagnostics(bank, results, display="questions.yaml")
    mcqs = [q for q in bank.questions if q.kind == "mcq"]
    miskeyed, other = mcqs[0], mcqs[1]
    by_code = {(d.code, d.message.split("'")[1]) for d in found}
    assert ("W401", miskeyed.id) in by_code
    assert ("W402", other.id) in by_code
    assert all(d.severity is Severity.WARNING for d in found)
    w401 = next(d for d in found if d.code == "W401")
    assert (w401.path, w401.line, w401.column) == ("questions.yaml", miskeyed.line, miskeyed.column)
    assert "over 40 students (classes period-1, period-4): check the key" in w401.message
    w402 = next(d for d in found if d.code == "W402" and other.id in d.message)
    assert f"distractor '{other.options()[-1].text}' chosen by 0% over 40 students" in w402.message
    # chance alone may push a sound question just below 0; the miskeyed one is far below
    value = float(w401.message.split("discrimination ")[1].split()[0])
    assert w401.message.startswith(f"question '{miskeyed.id}'") and value < -0.3


def test_one_class_of_20_is_not_enough_to_warn(setting: tuple[Path, Bank, Path]) -> None:
    _, bank, results = setting
    first = sorted(results.iterdir())[0]
    first.unlink()
    assert results_diagnostics(bank, results, display="q.yaml") == []


def test_grading_the_same_class_again_replaces_it(setting: tuple[Path, Bank, Path]) -> None:
    bank_path, bank, results = setting
    plan = plan_quiz(bank, count=None, versions=2, seed=1)
    report = grade_class(
        plan, bank_path.parent / "period-1.csv", bank=bank, source_format=None, multi="partial"
    )
    name, _ = save_result(report)
    assert (results / name).exists()


def test_a_result_keeps_no_student_names(setting: tuple[Path, Bank, Path]) -> None:
    _, _, results = setting
    for path in results.iterdir():
        text = path.read_text(encoding="utf-8")
        assert "student 0" not in text
        document = json.loads(text)
        assert document["her2quiz"] == "result" and document["students"] == 20


def test_a_stray_file_is_skipped_with_a_warning(setting: tuple[Path, Bank, Path]) -> None:
    _, bank, results = setting
    (results / "notes.json").write_text('{"hello": 1}', encoding="utf-8")
    found = results_diagnostics(bank, results, display="q.yaml")
    stray = [d for d in found if d.code == "W400"]
    assert [d.concise() for d in stray] == [
        f"{results / 'notes.json'}:1:1: warning[W400] not a her2quiz result, skipped: no 'her2quiz: result' mark"
    ]


def test_check_with_results_prints_the_warnings(setting: tuple[Path, Bank, Path]) -> None:
    bank_path, _, results = setting
    diagnostics = api.check(bank_path, results=results, lint=False)
    assert "W401" in {d.code for d in diagnostics}
    result = CliRunner().invoke(main, ["check", str(bank_path), "--results", str(results)])
    assert "warning[W401]" in result.output
    assert "classes period-1, period-4" in result.output
