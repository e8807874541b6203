"""Moodle's grade fractions, and the weights of a select-all-that-apply question.

Moodle accepts an answer's grade only from a fixed set,
``question_bank::fraction_options_full()`` (``question/engine/bank.php``): 100, 90, 83.33333,
80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111,
10, 5 and 0 percent, and their negatives. An import with any other weight (33.3/33.3/33.4, say)
skips the question, and under Moodle's default stop-on-error aborts the whole file, while
saying "0 errors" for the rest. So the GIFT and Moodle XML exports, and ``grade --multi
partial`` (which must mark as Moodle would), take every multi weight from here.

The rule for a multi question with ``k`` correct and ``m`` wrong options: each correct option
is worth ``100/k`` percent, each wrong one ``-100/m``; the mark is the sum over the chosen
options, floored at 0 and capped at 1 (as Moodle's ``qtype_multichoice_multi_question`` grades).
Choosing every option therefore scores 0, choosing exactly the correct ones scores 1.
``100/n`` is in Moodle's set for ``n`` from 1 to 10 only, so a question with more than 10
correct, or more than 10 wrong, options cannot be written: :func:`weights_problem` says why,
and the formats leave it out with that reason rather than round its weights.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable

MAX_PARTS = 10  # 100/n is one of Moodle's fractions for n = 1..10 (11.11111, 10), not for 11

# question_bank::fraction_options_full(), in percent, as Moodle prints them (7-digit fractions).
FRACTIONS: tuple[float, ...] = (
    100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0, 33.33333,
    30.0, 25.0, 20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0, 0.0,
)  # fmt: skip
ALLOWED: frozenset[float] = frozenset(FRACTIONS) | frozenset(-f for f in FRACTIONS)


class WeightsError(ValueError):
    """A multi question whose weights are not in Moodle's set of grade fractions."""


def share(n: int) -> float:
    """``100/n`` percent rounded as Moodle stores it (5 decimals), for n = 1..MAX_PARTS."""
    if not 1 <= n <= MAX_PARTS:
        raise WeightsError(f"100/{n} % is not one of Moodle's grade fractions (n must be 1 to {MAX_PARTS})")
    value = round(100.0 / n, 5)
    assert value in ALLOWED, value  # the set holds 100/n for every n up to 10
    return value


def weights_problem(n_correct: int, n_wrong: int) -> str | None:
    """Why a multi question with these counts cannot get Moodle weights, or None."""
    if n_correct > MAX_PARTS:
        return f"{n_correct} correct options: Moodle's grade fractions have 100/n only for n ≤ {MAX_PARTS}"
    if n_wrong > MAX_PARTS:
        return f"{n_wrong} wrong options: Moodle's grade fractions have -100/n only for n ≤ {MAX_PARTS}"
    if n_correct < 1:
        return "no correct option"
    return None


def multi_fractions(n_correct: int, n_wrong: int) -> tuple[float, float]:
    """(each correct option's weight, each wrong option's weight), in percent, both in
    Moodle's set: ``(100/k, -100/m)``; a question with no wrong option gets 0 for them.

    Raises :class:`WeightsError` when :func:`weights_problem` finds a reason."""
    problem = weights_problem(n_correct, n_wrong)
    if problem is not None:
        raise WeightsError(problem)
    return share(n_correct), (-share(n_wrong) if n_wrong else 0.0)


def format_fraction(percent: float) -> str:
    """A weight as Moodle and GIFT write it: ``100``, ``50``, ``12.5``, ``33.33333``, ``-50``."""
    text = f"{percent:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def partial_mark(
    chosen: Collection[Hashable], correct: Collection[Hashable], n_correct: int, n_wrong: int
) -> float:
    """The mark (0 to 1) Moodle gives a multi answer: the sum of the chosen options' weights.

    ``chosen`` holds the keys (letters, say) of the options marked; ``correct`` the keys of
    the correct options (``n_correct`` of them); any chosen key not in ``correct`` is a wrong
    option, of the question's ``n_wrong``. The sum is floored at 0 and capped at 1, then
    rounded to 6 decimals, so three thirds (3 × 0.3333333) give 1.0 and not 0.9999999.
    """
    correct_set = set(correct)
    chosen_set = set(chosen)
    if len(correct_set) != n_correct:
        raise WeightsError(f"{len(correct_set)} correct keys given for {n_correct} correct options")
    hits = len(chosen_set & correct_set)
    misses = len(chosen_set - correct_set)
    if misses > n_wrong:
        raise WeightsError(f"{misses} wrong options chosen of {n_wrong}")
    right, wrong = multi_fractions(n_correct, n_wrong)
    total = (hits * right + misses * wrong) / 100.0
    return round(min(1.0, max(0.0, total)), 6)
