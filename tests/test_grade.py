"""``grade``: marks and item analysis, against hand-checked values and independent oracles
(pingouin's Cronbach's alpha, scipy's point-biserial), and the round trip plan → simulated
class on the answer sheet → marks."""

from __future__ import annotations

import csv
import itertools
import random
from pathlib import Path

import numpy as np
import pingouin
import pytest
from quiz_banks import bank_text, load
from scipy import stats

from her2quiz.bank import LETTERS, Bank
from her2quiz.grade import GradeReport, grade_class
from her2quiz.grade.analysis import choice_marks
from her2quiz.grade.readers import ItemKey
from her2quiz.plan import Plan, PlanItem, PlanVersion
from her2quiz.select import plan_quiz
from her2quiz.weights import partial_mark


def mcq_plan(count: int, *, options: int = 3, written: tuple[int, ...] = ()) -> Plan:
    """One version of ``count`` questions q1…qN; mcq with options o1…, key A; the numbers
    in ``written`` are basic questions of 1 point."""
    items = []
    for n in range(1, count + 1):
        if n in written:
            items.append(PlanItem(n, f"q{n}", "basic", answers=(f"answer {n}",), accepted=((),), points=1))
        else:
            texts = tuple(f"option {n}.{k}" for k in range(options))
            items.append(PlanItem(n, f"q{n}", "mcq", texts, ("A",), points=1))
    return Plan(seed=1, bank="00000000", versions=(PlanVersion("A", tuple(items)),), bank_id="hand")


def write_sheet(path: Path, plan: Plan, rows: list[tuple[str, str, list[str]]]) -> Path:
    count = len(plan.versions[0].items)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["student", "version", *map(str, range(1, count + 1))])
        for student, version, cells in rows:
            out.writerow([student, version, *cells])
    return path


def grade_rows(tmp_path: Path, plan: Plan, right: list[list[int]]) -> GradeReport:
    """A one-version mcq class where ``right[s][j]`` says student s got question j right."""
    rows = [(f"s{s}", "A", ["A" if r else "B" for r in row]) for s, row in enumerate(right)]
    return grade_class(
        plan,
        write_sheet(tmp_path / "class.csv", plan, rows),
        bank=None,
        source_format=None,
        multi="all-or-nothing",
    )


# -- hand-checked --------------------------------------------------------------------


HAND = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 1], [0, 0, 0]]


def test_a_small_class_gives_the_hand_computed_figures(tmp_path: Path) -> None:
    # Totals 3, 2, 1, 1, 0. Question 1: marks 1 1 1 0 0, rest 2 1 0 1 0: cov 0.15,
    # var 0.3 and 0.7 (n - 1), so discrimination 0.15 / sqrt(0.21); sorted-lists covariance
    # 0.4, so efficiency 0.375. Variances 0.3 each, total 1.3: alpha 1.5 * (1 - 0.9/1.3).
    report = grade_rows(tmp_path, mcq_plan(3), HAND)
    first = report.items[0]
    assert [i.facility for i in report.items] == pytest.approx([0.6, 0.4, 0.4])
    assert first.discrimination == pytest.approx(0.15 / np.sqrt(0.21))
    assert first.efficiency == pytest.approx(0.375)
    assert first.upper_lower == pytest.approx(1.0)  # 27 % of 5 is 1: s0 (3) against s4 (0)
    t = report.test
    assert (t.students, t.items, t.max) == (5, 3, 3)
    assert (t.mean, t.median) == pytest.approx((1.4, 1.0))
    assert t.sd == pytest.approx(np.sqrt(1.3))
    assert t.alpha == pytest.approx(1.5 * (1 - 0.9 / 1.3))
    assert t.alpha_name == "KR-20"
    assert t.sem == pytest.approx(np.sqrt(1.3) * np.sqrt(1 - 1.5 * (1 - 0.9 / 1.3)))
    assert [s.score for s in report.students] == [3, 2, 1, 1, 0]
    assert [o.share for o in first.options] == pytest.approx([0.6, 0.4, 0.0])
    assert [f.code for f in report.flags] == ["few-students"]
    # option 3 of every question is never chosen: a weak distractor at 0 %
    assert all(
        any(f.code == "weak-distractor" and "C chosen by 0%" in f.message for f in i.flags)
        for i in report.items
    )


def test_a_question_everyone_gets_right_has_no_discrimination(tmp_path: Path) -> None:
    report = grade_rows(tmp_path, mcq_plan(2), [[1, 1], [1, 0], [1, 1]])
    assert report.items[0].discrimination is None
    assert report.items[0].efficiency is None
    assert [f.code for f in report.items[0].flags if f.code != "weak-distractor"] == ["easy"]


# -- oracles -------------------------------------------------------------------------


def simulated_marks(n: int, k: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=(n, 1))
    difficulty = rng.normal(size=(1, k))
    return (rng.random((n, k)) < 1 / (1 + np.exp(difficulty - 1.5 * ability))).astype(int)


def test_alpha_agrees_with_pingouin_and_discrimination_with_scipy(tmp_path: Path) -> None:
    right = simulated_marks(120, 12, seed=4)
    report = grade_rows(tmp_path, mcq_plan(12), right.tolist())
    import pandas as pd

    expected_alpha, _ = pingouin.cronbach_alpha(data=pd.DataFrame(right))
    assert report.test.alpha == pytest.approx(expected_alpha, abs=1e-9)
    totals = right.sum(axis=1)
    for j, item in enumerate(report.items):
        oracle = stats.pointbiserialr(right[:, j], totals - right[:, j])
        assert item.discrimination == pytest.approx(oracle.statistic, abs=1e-9)
        assert item.facility == pytest.approx(right[:, j].mean())


def test_alpha_with_written_marks_is_cronbachs(tmp_path: Path) -> None:
    plan = mcq_plan(6, written=(2, 5))
    rng = random.Random(3)
    rows, marks = [], []
    for s in range(40):
        cells, mine = [], []
        for n in range(1, 7):
            if n in (2, 5):
                value = rng.choice([0, 0.5, 1])
                cells.append(str(value))
            else:
                value = int(rng.random() < 0.3 + s / 60)
                cells.append("A" if value else "C")
            mine.append(value)
        rows.append((f"s{s}", "A", cells))
        marks.append(mine)
    report = grade_class(
        plan, write_sheet(tmp_path / "c.csv", plan, rows), bank=None, source_format="sheet", multi="partial"
    )
    import pandas as pd

    expected, _ = pingouin.cronbach_alpha(data=pd.DataFrame(marks))
    assert report.test.alpha_name == "Cronbach's alpha"
    assert report.test.alpha == pytest.approx(expected, abs=1e-9)
    assert [s.score for s in report.students] == pytest.approx([sum(m) for m in marks])


def test_partial_marks_are_the_weights_moodle_and_gift_write() -> None:
    options = tuple(f"o{i}" for i in range(5))
    item = ItemKey("m", "multi", 2, 1, options, correct=0b00111)  # 3 correct, 2 wrong
    masks = np.arange(32, dtype=np.int64)
    got = choice_marks(item, masks, "partial")
    for mask, mark in zip(masks, got, strict=True):
        chosen = [i for i in range(5) if mask >> i & 1]
        assert mark == partial_mark(chosen, [0, 1, 2], 3, 2), chosen
    assert list(choice_marks(item, masks, "all-or-nothing")) == [float(m == 0b00111) for m in masks]


# -- the round trip --------------------------------------------------------------------


@pytest.fixture(scope="module")
def bank15(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    return load(tmp_path_factory.mktemp("bank15"), bank_text(15))


def simulate(
    plan: Plan, bank: Bank, students: int, seed: int, *, miskeyed: str, unchosen: tuple[str, str]
) -> tuple[list[tuple[str, str, list[str]]], list[float]]:
    """A class on the answer sheet, and the marks each student should get.

    Students know a question with a chance that grows with their ability, and then mark
    its true answer; for ``miskeyed`` the plan's key is wrong: the true answer is its first
    distractor. Nobody ever marks the option ``unchosen`` = (question id, option text).
    """
    rng = random.Random(seed)
    rows, intended = [], []
    for s in range(students):
        ability = (s + 0.5) / students
        version = plan.versions[s % len(plan.versions)]
        cells, total = [], 0.0
        for item in version.items:
            knows = rng.random() < 0.15 + 0.8 * ability
            if not item.options:
                mark = 1.0 if knows else rng.choice([0.0, 0.5])
                cells.append(f"{mark:g}")
                total += mark * item.points
                continue
            q = bank.question(item.id)
            truth = {o.text for o in q.options() if o.correct}
            if item.id == miskeyed:
                truth = {next(o.text for o in q.options() if not o.correct)}
            allowed = [t for t in item.options if (item.id, t) != unchosen]
            if knows:
                chosen = truth
            elif item.kind == "multi":
                chosen = set(rng.sample(allowed, rng.randint(1, 2)))
            else:
                chosen = {rng.choice(allowed)}
            letters = "".join(sorted(LETTERS[item.options.index(t)] for t in chosen))
            cells.append(letters)
            keyed = {t for _, t in item.letter_texts()}
            total += item.points * (chosen == keyed)
        rows.append((f"student {s:03d}", version.label, cells))
        intended.append(total)
    return rows, intended


def test_round_trip_gives_back_the_marks_the_class_earned(tmp_path: Path, bank15: Bank) -> None:
    plan = plan_quiz(bank15, count=None, versions=3, seed=5)
    mcqs = [q.id for q in bank15.questions if q.kind == "mcq"]
    miskeyed, other = mcqs[0], bank15.question(mcqs[1])
    unchosen = (other.id, other.options()[-1].text)
    rows, intended = simulate(plan, bank15, 90, 11, miskeyed=miskeyed, unchosen=unchosen)
    path = write_sheet(tmp_path / "period-3.csv", plan, rows)
    report = grade_class(plan, path, bank=bank15, source_format=None, multi="all-or-nothing")

    assert report.format == "sheet"
    assert [s.score for s in report.students] == pytest.approx(intended)
    assert [s.version for s in report.students] == [r[1] for r in rows]
    assert report.test.max == sum(i.points for i in plan.versions[0].items)
    by_id = {i.id: i for i in report.items}
    bad = by_id[miskeyed]
    assert bad.discrimination is not None and bad.discrimination < 0
    assert "check-key" in [f.code for f in bad.flags]
    assert [i.id for i in report.items if any(f.code == "check-key" for f in i.flags)] == [miskeyed]
    # the true answer (the first distractor) is what the upper group marks
    true_answer = next(o for o in bad.options if o.text == bank15.question(miskeyed).options()[1].text)
    assert "upper-prefers-distractor" in [f.code for f in bad.flags]
    assert true_answer.upper > max(o.upper for o in bad.options if o.correct)
    never = next(o for o in by_id[other.id].options if o.text == unchosen[1])
    assert never.share == 0.0 and never.upper == 0.0 and never.lower == 0.0
    assert any(
        f.code == "weak-distractor" and f"{never.letter} chosen by 0%" in f.message
        for f in by_id[other.id].flags
    )
    # options pool across versions: every student marked something, shares of a mcq add up
    for item in report.items:
        if item.kind == "mcq":
            assert sum(o.share for o in item.options) + item.omitted == pytest.approx(1.0)
    assert report.items[0].stem == bank15.question(report.items[0].id).prompt
    assert report.flags == ()  # 90 students


def test_a_shuffled_version_pools_with_the_others(tmp_path: Path, bank15: Bank) -> None:
    """The same answers given on two versions count as the same options."""
    plan = plan_quiz(bank15, count=5, versions=2, seed=9)
    rows = []
    for label in "AB":
        version = plan.version(label)
        assert version is not None
        cells = ["".join(item.correct) if item.options else "1" for item in version.items]
        rows.append((f"right {label}", label, cells))
    report = grade_class(
        plan, write_sheet(tmp_path / "c.csv", plan, rows), bank=None, source_format=None, multi="partial"
    )
    assert [s.score for s in report.students] == [report.test.max] * 2
    for item in report.items:
        for o in item.options:
            assert o.share == (1.0 if o.correct else 0.0)


@pytest.mark.parametrize("multi", ["all-or-nothing", "partial"])
def test_every_subset_of_a_multi_is_marked_by_the_rule(tmp_path: Path, bank15: Bank, multi: str) -> None:
    plan = plan_quiz(bank15, count=None, versions=1, seed=2)
    item = next(i for i in plan.versions[0].items if i.kind == "multi")
    letters = LETTERS[: len(item.options)]
    rows, expected = [], []
    for size in range(len(letters) + 1):
        for chosen in itertools.combinations(letters, size):
            cells = [
                "".join(chosen) if i is item else ("" if i.options else "0") for i in plan.versions[0].items
            ]
            rows.append(("".join(chosen) or "none", "A", cells))
            if multi == "partial":
                n_correct = len(item.correct)
                mark = partial_mark(chosen, item.correct, n_correct, len(letters) - n_correct)
            else:
                mark = float(set(chosen) == set(item.correct))
            expected.append(mark * item.points)
    report = grade_class(
        plan, write_sheet(tmp_path / "c.csv", plan, rows), bank=None, source_format="sheet", multi=multi
    )
    assert [s.score for s in report.students] == pytest.approx(expected)


def test_one_student_gives_marks_and_no_statistics_that_need_two(tmp_path: Path) -> None:
    report = grade_rows(tmp_path, mcq_plan(3), [[1, 0, 1]])
    assert [s.score for s in report.students] == [2]
    assert (report.test.sd, report.test.alpha, report.test.sem) == (0.0, None, None)
    assert all(i.discrimination is None and i.upper_lower is None for i in report.items)
