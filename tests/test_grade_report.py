"""The grade report: JSON, text and markdown say the same figures; the PDF, read back with
pypdf, shows the figures of the JSON; the CLI prints and writes them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from quiz_banks import bank_text, load
from test_grade import simulate, write_sheet

from her2quiz.api import load_bank
from her2quiz.bank import Bank
from her2quiz.cli import main
from her2quiz.grade import GradeReport, grade_class, render_report, render_report_pdf
from her2quiz.plan import read_plan
from her2quiz.select import plan_quiz

from conftest import DEMO_BANK, DEMO_SOURCES, FIXTURES

RESULTS = FIXTURES / "results"


@pytest.fixture(scope="module")
def bank12(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    return load(tmp_path_factory.mktemp("bank12"), bank_text(12))


@pytest.fixture(scope="module")
def report(bank12: Bank, tmp_path_factory: pytest.TempPathFactory) -> GradeReport:
    """A class of 60 with a miskeyed question and an option nobody marks."""
    plan = plan_quiz(bank12, count=None, versions=2, seed=3)
    mcqs = [q for q in bank12.questions if q.kind == "mcq"]
    rows, _ = simulate(
        plan, bank12, 60, 5, miskeyed=mcqs[0].id, unchosen=(mcqs[1].id, mcqs[1].options()[-1].text)
    )
    path = write_sheet(tmp_path_factory.mktemp("class") / "period-2.csv", plan, rows)
    return grade_class(plan, path, bank=bank12, source_format=None, multi="partial")


def test_the_json_has_what_the_issue_asks_for(report: GradeReport) -> None:
    data = json.loads(render_report(report, "json"))
    assert set(data["test"]) >= {"students", "items", "mean", "sd", "alpha", "sem"}
    assert data["test"]["students"] == 60 and data["test"]["items"] == 12
    assert sum(data["test"]["histogram"]) == 60
    for item, stat in zip(data["items"], report.items, strict=True):
        assert set(item) >= {
            "id",
            "n",
            "facility",
            "discrimination",
            "efficiency",
            "upper_lower",
            "flags",
            "options",
        }
        assert item["facility"] == pytest.approx(stat.facility, abs=1e-6)
        assert -1 <= (item["discrimination"] or 0) <= 1
        for option in item["options"]:
            assert set(option) == {"letter", "text", "correct", "share", "upper", "lower"}
            assert 0 <= option["share"] <= 1
    assert [s["score"] for s in data["students"]] == [s.score for s in report.students]
    assert set(data["students"][0]) >= {"student", "version", "score", "max"}
    assert data["multi"]["rule"] == "partial"
    assert "discrimination < 0: check the key" in data["thresholds"].values()
    assert [f["code"] for f in data["flags"]] == []


def test_text_and_markdown_name_every_question_its_figures_and_the_rule(report: GradeReport) -> None:
    for fmt in ("text", "markdown"):
        out = render_report(report, fmt)
        assert "multi-answer rule: partial" in out
        assert f"{report.test.alpha_name} {report.test.alpha:.2f}" in out
        for item in report.items:
            assert item.id in out
            assert f"{item.facility:.2f}" in out
        assert "check the key" in out
        assert "facility < 0.30" in out and "fewer than 30 students" in out
    md = render_report(report, "markdown")
    assert md.startswith("# Item analysis: period-2\n")
    assert "|---|" in md


def pdf_text(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_the_pdf_shows_the_figures_of_the_json(report: GradeReport, tmp_path: Path) -> None:
    data = json.loads(render_report(report, "json"))
    pages = pdf_text(render_report_pdf(report, epoch=0), tmp_path)
    first, rest = pages[0], " ".join(pages[1:])
    t = data["test"]
    assert "Item analysis: period-2" in first
    for figure in (
        f"{t['mean']:.2f} / {t['max']}",
        f"{t['median']:.2f}",
        f"{t['sd']:.2f}",
        f"{t['alpha']:.2f}",
        f"{t['sem']:.2f}",
    ):
        assert figure in first
    assert "Questions to look at" in first and "check the key" in first
    ids = [item["id"] for item in data["items"]]
    for k, item in enumerate(data["items"]):
        start = rest.index(item["id"])
        end = rest.index(ids[k + 1]) if k + 1 < len(ids) else len(rest)
        row = rest[start:end]
        figures = [item["facility"], item["discrimination"], item["efficiency"], item["upper_lower"]]
        shown = " ".join("–" if f is None else f"{f:.2f}" for f in figures)
        assert shown in row, (item["id"], row)
        for option in item["options"]:
            assert f"{option['share']:.0%}" in row
        for flag in item["flags"]:
            assert flag["message"].split(":")[0] in row
    for s in data["students"]:
        assert s["student"] in pages[-1] or s["student"] in " ".join(pages[-2:])


def test_the_pdf_is_the_same_for_the_same_class(report: GradeReport) -> None:
    assert render_report_pdf(report, epoch=86400) == render_report_pdf(report, epoch=86400)


# -- the command ------------------------------------------------------------------------


def test_the_cli_grades_a_sheet_and_keeps_the_class(tmp_path: Path) -> None:
    results = tmp_path / "results"
    result = CliRunner().invoke(
        main,
        [
            "grade",
            str(RESULTS / "plan.json"),
            str(RESULTS / "sheet.csv"),
            "--format",
            "json",
            "--results",
            str(results),
            "-o",
            str(tmp_path / "r.pdf"),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [s["score"] for s in data["students"]] == [7, 6, 0, 3]
    assert len(list(results.glob("sheet-*.json"))) == 1
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_the_cli_matches_moodle_by_text_with_the_bank(tmp_path: Path) -> None:
    shutil.copytree(DEMO_SOURCES, tmp_path / "sources")
    bank = tmp_path / "questions.yaml"
    shutil.copyfile(DEMO_BANK, bank)
    result = CliRunner().invoke(
        main,
        [
            "grade",
            str(RESULTS / "plan.json"),
            str(RESULTS / "moodle-responses.csv"),
            "--bank",
            str(bank),
            "--multi",
            "partial",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "4 students, 5 questions (moodle:" in result.stdout
    assert "Which statements describe FISH" not in result.stdout  # stems go in the PDF, ids in text


def test_the_cli_names_the_bad_cell(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("student,version,1,2,3,4,5\nAna,Q,A,BC,1,B,0.5\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["grade", str(RESULTS / "plan.json"), str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2:5: error[E411] unknown version 'Q'; the plan has A, B" in result.output


def test_the_fixture_plan_is_the_every_kind_bank() -> None:
    loaded = load_bank(DEMO_BANK, sources=DEMO_SOURCES)
    assert loaded.bank is not None
    assert set(read_plan(RESULTS / "plan.json").ids) == {q.id for q in loaded.bank.questions}


def test_hostile_text_is_matched_and_printed_as_text(tmp_path: Path) -> None:
    """The hostile bank (every character some format reads as markup) through Google Forms
    (options holding ", " among them) and into the PDF, where its stems read back verbatim."""
    import csv

    from her2quiz import markup
    from her2quiz.grade.readers import prompt_text

    loaded = load_bank(FIXTURES / "valid" / "hostile.yaml", sources=DEMO_SOURCES)
    assert loaded.bank is not None, [d.concise() for d in loaded.diagnostics if d.is_error]
    bank = loaded.bank
    plan = plan_quiz(bank, count=None, versions=1, seed=1)
    items = plan.versions[0].items
    path = tmp_path / "hostile-class.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, quoting=csv.QUOTE_ALL)
        out.writerow(["Timestamp", "Email Address", *(prompt_text(bank.question(i.id)) for i in items)])
        for s in range(3):
            cells = [
                ", ".join(t for _, t in i.letter_texts()) if i.options else ", ".join(i.answers)
                for i in items
            ]
            out.writerow([f"2026/03/02 10:1{s}:00 AM GMT+1", f"s{s}@school.example", *cells])
    report = grade_class(plan, path, bank=bank, source_format="forms", multi="all-or-nothing")
    assert [s.score for s in report.students] == [report.test.max] * 3
    text = " ".join(pdf_text(render_report_pdf(report, epoch=0), tmp_path))
    for item in report.items:
        assert item.stem is not None
        plain = " ".join(markup.plain(item.stem).split())
        assert plain[:40] in text, plain
