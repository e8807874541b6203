"""Moodle's grade fractions and the multi weights (her2quiz/weights.py)."""

from __future__ import annotations

import itertools

import pytest

from her2quiz.weights import (
    ALLOWED,
    FRACTIONS,
    MAX_PARTS,
    WeightsError,
    format_fraction,
    multi_fractions,
    partial_mark,
    weights_problem,
)

# question_bank::fraction_options_full() lists fractions with 7 digits (0.8333333 ...);
# every one of ours must be one of them, divided by 100.
MOODLE_FRACTIONS = (
    "1.0", "0.9", "0.8333333", "0.8", "0.75", "0.7", "0.6666667", "0.6", "0.5", "0.4", "0.3333333",
    "0.3", "0.25", "0.2", "0.1666667", "0.1428571", "0.125", "0.1111111", "0.1", "0.05", "0.0",
)  # fmt: skip


def test_the_set_is_moodles() -> None:
    assert sorted(round(f / 100, 7) for f in FRACTIONS) == sorted(float(x) for x in MOODLE_FRACTIONS)
    assert len(ALLOWED) == 2 * len(FRACTIONS) - 1  # 0 and -0 are one


@pytest.mark.parametrize(
    ("k", "m"), list(itertools.product(range(1, MAX_PARTS + 1), range(0, MAX_PARTS + 1)))
)
def test_multi_fractions_are_in_the_set_and_add_up(k: int, m: int) -> None:
    right, wrong = multi_fractions(k, m)
    assert right in ALLOWED and wrong in ALLOWED
    assert right > 0 >= wrong
    # Moodle's multichoice form rounds the sum of the positive grades to 2 places and wants 1.
    assert round(k * right / 100, 2) == 1.0
    if m:
        assert round(m * wrong / 100, 2) == -1.0


@pytest.mark.parametrize(("k", "m"), [(11, 2), (2, 11), (0, 3), (12, 12)])
def test_counts_moodle_cannot_weigh_are_refused_with_a_reason(k: int, m: int) -> None:
    reason = weights_problem(k, m)
    assert reason is not None
    with pytest.raises(WeightsError, match=reason.split(":")[0]):
        multi_fractions(k, m)


@pytest.mark.parametrize(
    ("value", "text"),
    [(100.0, "100"), (50.0, "50"), (12.5, "12.5"), (33.33333, "33.33333"), (-50.0, "-50"),
     (-14.28571, "-14.28571"), (0.0, "0"), (-0.0, "0")],
)  # fmt: skip
def test_format_fraction(value: float, text: str) -> None:
    assert format_fraction(value) == text
    assert float(text) == value


def test_every_weight_survives_formatting() -> None:
    for f in ALLOWED:
        assert float(format_fraction(f)) in ALLOWED


def test_partial_mark_follows_moodle() -> None:
    correct = {"A", "B", "C"}
    assert partial_mark({"A", "B", "C"}, correct, 3, 2) == 1.0  # 3 x 33.33333 is not 0.9999999
    assert partial_mark({"A"}, correct, 3, 2) == pytest.approx(1 / 3, abs=1e-6)
    assert partial_mark({"A", "B", "D"}, correct, 3, 2) == pytest.approx(2 / 3 - 1 / 2, abs=1e-6)
    assert partial_mark({"A", "B", "C", "D", "E"}, correct, 3, 2) == 0.0  # all options: nothing
    assert partial_mark({"D"}, correct, 3, 2) == 0.0  # floored at 0, never negative
    assert partial_mark(set(), correct, 3, 2) == 0.0


def test_partial_mark_is_monotone_in_right_and_wrong_choices() -> None:
    correct = {0, 1}
    wrong = [2, 3, 4]
    marks = [
        [partial_mark(set(list(correct)[:h]) | set(wrong[:w]), correct, 2, 3) for w in range(4)]
        for h in range(3)
    ]
    for h in range(3):
        assert marks[h] == sorted(marks[h], reverse=True)
    for w in range(4):
        column = [marks[h][w] for h in range(3)]
        assert column == sorted(column)


def test_partial_mark_checks_its_counts() -> None:
    with pytest.raises(WeightsError):
        partial_mark({"A"}, {"A", "B"}, 3, 2)
    with pytest.raises(WeightsError):
        partial_mark({"C", "D", "E"}, {"A", "B"}, 2, 2)
