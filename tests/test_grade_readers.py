"""``grade`` reads every result format from a file made the way the real tool writes it
(tests/fixtures/results: UTF-8 BOM and PHP's quoting for Moodle, the trailing "Overall
average" row, ZipGrade's Full Data Format, Google Forms' all-quoted CSV, each student's own
option and question order), and refuses bad input at the cell."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from her2quiz.api import load_bank
from her2quiz.bank import Bank
from her2quiz.grade import ResultsError, grade_class
from her2quiz.grade.readers import split_choices
from her2quiz.plan import Plan, read_plan

from conftest import DEMO_BANK, DEMO_SOURCES, FIXTURES

RESULTS = FIXTURES / "results"
NAMES = {
    "sheet": ["Ana", "Ben", "Cleo", "Dan, Jr."],
    "zipgrade": ["1001", "1002", "1003", "Dan Dias"],
    "moodle-responses": [f"{n}@school.example" for n in ("ana", "ben", "cleo", "dan")],
    "moodle-grades": [f"{n}@school.example" for n in ("ana", "ben", "cleo", "dan")],
    "forms": [f"{n}@school.example" for n in ("ana", "ben", "cleo", "dan")],
}
# Ana and Ben answer alike in every file; Cleo marks one of the two right options of the
# multi, Dan both and one wrong: all-or-nothing gives them 0, Moodle's weights 1 of 2.
ALL_OR_NOTHING = [7.0, 6.0, 0.0, 3.0]
PARTIAL = [7.0, 6.0, 1.0, 4.0]


@pytest.fixture(scope="module")
def bank() -> Bank:
    loaded = load_bank(DEMO_BANK, sources=DEMO_SOURCES)
    assert loaded.bank is not None
    return loaded.bank


@pytest.fixture(scope="module")
def plan() -> Plan:
    return read_plan(RESULTS / "plan.json")


@pytest.mark.parametrize("name", list(NAMES))
@pytest.mark.parametrize("multi", ["all-or-nothing", "partial"])
def test_every_format_gives_the_same_marks(name: str, multi: str, plan: Plan, bank: Bank) -> None:
    report = grade_class(plan, RESULTS / f"{name}.csv", bank=bank, source_format=None, multi=multi)
    assert report.format == name.split("-")[0]
    assert [s.student for s in report.students] == NAMES[name]
    expected = PARTIAL if multi == "partial" or name == "moodle-grades" else ALL_OR_NOTHING
    assert [s.score for s in report.students] == expected  # the Grades report holds Moodle's own marks
    assert {s.max for s in report.students} == {8}
    assert report.class_name == name


@pytest.mark.parametrize("name", ["sheet", "zipgrade", "moodle-responses", "forms"])
def test_options_are_pooled_by_text_with_the_unchosen_one_at_zero(name: str, plan: Plan, bank: Bank) -> None:
    report = grade_class(plan, RESULTS / f"{name}.csv", bank=bank, source_format=None, multi="partial")
    multi = next(i for i in report.items if i.id == "testing-fish-properties")
    shares = {o.text: o.share for o in multi.options}
    assert shares == {
        "Needs no laboratory accreditation": 0.0,
        "Less dependent on tissue fixation": 1.0,
        "More reproducible between laboratories": 0.75,
        "Measures protein in cell membranes": 0.25,
    }
    tf = next(i for i in report.items if i.id == "testing-fish-some-experts")
    assert [(o.text, o.share) for o in tf.options] == [("True", 0.5), ("False", 0.25)]
    assert tf.omitted == 0.25
    assert any(f.code == "weak-distractor" for f in multi.flags)


def test_zipgrade_is_marked_by_the_plan_and_says_where_its_key_differs(plan: Plan, bank: Bank) -> None:
    report = grade_class(plan, RESULTS / "zipgrade.csv", bank=bank, source_format="zipgrade", multi="partial")
    assert report.warnings == (
        "ZipGrade's key for version A question 4 is 'C', the plan's is 'B'; marked by the plan",
    )
    assert [s.version for s in report.students] == ["A", "B", "A", "B"]


def test_moodle_and_forms_have_no_version_of_ours(plan: Plan, bank: Bank) -> None:
    for name in ("moodle-responses", "forms"):
        report = grade_class(plan, RESULTS / f"{name}.csv", bank=bank, source_format=None, multi="partial")
        assert {s.version for s in report.students} == {""}


def test_text_formats_need_the_bank(plan: Plan) -> None:
    with pytest.raises(ResultsError) as e:
        grade_class(plan, RESULTS / "forms.csv", bank=None, source_format=None, multi="partial")
    assert e.value.diagnostic.code == "E419"


def test_choices_split_even_when_an_option_holds_the_separator() -> None:
    options = ["Red, green", "Blue", "Green"]
    assert split_choices("Red, green, Blue", options, ", ") == [0, 1]
    assert split_choices("green, Red, green", options, ", ") == [2, 0]
    assert split_choices("Purple", options, ", ") is None


# -- located errors ---------------------------------------------------------------------

HEADER = "student,version,1,2,3,4,5\n"
GOOD = "Ana,A,A,BC,1,B,0.5\n"


def error_of(
    tmp_path: Path,
    plan: Plan,
    bank: Bank | None,
    text: str,
    *,
    name: str = "class.csv",
    encoding: str = "utf-8",
) -> str:
    path = tmp_path / name
    path.write_text(text, encoding=encoding, newline="")
    with pytest.raises(ResultsError) as e:
        grade_class(plan, path, bank=bank, source_format=None, multi="partial", display=name)
    return e.value.diagnostic.concise()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEADER + GOOD + "Ben,C,A,A,1,A,1\n",
            "class.csv:3:5: error[E411] unknown version 'C'; the plan has A, B",
        ),
        (
            HEADER + "Ana,A,C,BC,1,B,0.5\n",
            "class.csv:2:7: error[E412] 'C' is not an option of question 1 ('testing-fish-some-experts': A to B)",
        ),
        (
            "student,version,1,2,4,5\n" + "Ana,A,A,BC,B,0.5\n",
            "class.csv:1:21: error[E413] no column for question 3 (expected '3')",
        ),
        (
            "student,version,1,2,2,3,4,5\n",
            "class.csv:1:21: error[E414] column '2' appears twice",
        ),
        (
            HEADER + GOOD + "Ben,B,A,1,1,AB,B\n" + GOOD,
            "class.csv:4:1: error[E415] student 'Ana' appears twice (first on line 2)",
        ),
        (
            HEADER + "Ana,A,A,BC,1.5,B,0.5\n",
            "class.csv:2:12: error[E417] mark '1.5' is not a number from 0 to 1",
        ),
        (  # a quoted name over two lines: the next cells are on the second line
            HEADER + GOOD + '"Dan\nJr.",B,A,0,0.5,ABC,E\n',
            "class.csv:4:20: error[E412] 'E' is not an option of question 5 ('relapse-early-peak': A to D)",
        ),
        (
            HEADER + "Ana,A,A,BC,1\n",
            "class.csv:2:13: error[E420] the row has 5 cells; the header has 7",
        ),
        (
            HEADER,
            "class.csv:1:1: error[E415] no student's answers: the file has only its header",
        ),
        (
            "name,score\nAna,3\n",
            "class.csv:1:1: error[E419] cannot tell the format from the header; give it (one of sheet, zipgrade, moodle, forms)",
        ),
    ],
)
def test_bad_sheets_are_refused_at_the_cell(tmp_path: Path, plan: Plan, text: str, expected: str) -> None:
    assert error_of(tmp_path, plan, None, text) == expected


def test_a_forms_question_that_matches_nothing_is_named(tmp_path: Path, plan: Plan, bank: Bank) -> None:
    text = (
        (RESULTS / "forms.csv").read_text(encoding="utf-8").replace("Which part of HER2", "Which bit of HER2")
    )
    got = error_of(tmp_path, plan, bank, text, name="forms.csv")
    assert got == (
        "forms.csv:1:158: error[E416] question text 'Which bit of HER2 does trastuzumab target?' "
        "matches no question of the plan (did you mean 'which part of her2 does trastuzumab target?'?)"
    )


def test_a_moodle_response_that_is_no_option_is_named(tmp_path: Path, plan: Plan, bank: Bank) -> None:
    text = (
        (RESULTS / "moodle-responses.csv")
        .read_text(encoding="utf-8-sig")
        .replace(',"The first 6 months",', ',"The first 7 months",')
    )
    got = error_of(tmp_path, plan, bank, text, name="m.csv", encoding="utf-8-sig")
    assert got.startswith("m.csv:4:")
    assert "error[E418] 'The first 7 months' is none of the options of 'relapse-early-peak'" in got


def test_a_moodle_question_text_that_matches_nothing_is_named(tmp_path: Path, plan: Plan, bank: Bank) -> None:
    text = (
        (RESULTS / "moodle-responses.csv")
        .read_text(encoding="utf-8-sig")
        .replace("Some experts recommend", "All experts recommend")
    )
    got = error_of(tmp_path, plan, bank, text, name="m.csv", encoding="utf-8-sig")
    assert got.startswith("m.csv:2:")
    assert "error[E416] question text 'All experts recommend FISH" in got


def test_a_moodle_mark_above_the_questions_maximum_is_refused(tmp_path: Path, plan: Plan) -> None:
    text = (RESULTS / "moodle-grades.csv").read_text(encoding="utf-8-sig")
    text = text.replace("7.00,1.00,2.00,2.00", "7.00,1.00,2.50,2.00")
    got = error_of(tmp_path, plan, None, text, name="g.csv", encoding="utf-8-sig")
    assert got == "g.csv:2:116: error[E417] mark '2.50' is not a number from 0 to 2"


def test_a_copy_of_the_fixture_plan_reads_back(tmp_path: Path, plan: Plan) -> None:
    shutil.copy(RESULTS / "plan.json", tmp_path / "plan.json")
    assert read_plan(tmp_path / "plan.json") == plan
