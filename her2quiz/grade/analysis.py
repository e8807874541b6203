"""Marks and item analysis, with numpy, using Moodle's own definitions.

Moodle's ``question/classes/statistics/questions/calculator.php`` (``core_question\\
statistics\\questions\\calculator``) is the reference, so a teacher's figures agree with the
Moodle statistics report (which prints them in percent; here they are fractions):

- **facility** = mean mark ÷ max mark (``initial_question_walker``);
- **discrimination index** = cov(mark, rest) / √(var(mark)·var(rest)), where *rest* is the
  student's total without this question, variances and covariance over n − 1
  (``secondary_steps_walker`` / ``secondary_question_walker``): the corrected item–total
  correlation, −1 to 1; undefined (None) when either variance is 0;
- **discriminative efficiency** = cov(mark, rest) / covmax, covmax being the covariance of
  the two lists each sorted (the largest covariance those marks could have);

and, beside Moodle's: the upper–lower index D (share right in the top 27 % by total minus
the share right in the bottom 27 %), every option's share overall and in those two groups,
and for the test Cronbach's alpha (KR-20 when every mark is 0 or 1), computed with n − 1
throughout, and the standard error of measurement SD·√(1 − α).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..weights import WeightsError, multi_fractions
from .readers import ItemKey, Key, Responses

MULTI_RULES = ("all-or-nothing", "partial")
GROUP = 0.27  # the upper and lower groups: 27 % of the class each (Kelley)
FACILITY_LOW, FACILITY_HIGH = 0.3, 0.9
DISCRIMINATION_LOW = 0.2
DISTRACTOR_MIN = 0.05
MIN_STUDENTS = 30
HISTOGRAM_BINS = 10

THRESHOLDS: Mapping[str, str] = {
    "hard": f"facility < {FACILITY_LOW:.2f}",
    "easy": f"facility > {FACILITY_HIGH:.2f}",
    "low-discrimination": f"discrimination < {DISCRIMINATION_LOW:.2f}",
    "check-key": "discrimination < 0: check the key",
    "weak-distractor": f"a distractor chosen by < {DISTRACTOR_MIN:.0%} of the class",
    "upper-prefers-distractor": "a distractor the upper group chooses more than the key",
    "few-students": f"fewer than {MIN_STUDENTS} students: the statistics are unstable",
}


@dataclass(frozen=True)
class Flag:
    """Something a question's figures say, by code (see :data:`THRESHOLDS`)."""

    code: str
    message: str


@dataclass(frozen=True)
class OptionStat:
    """One option (canonical letter) of a choice question: who chose it."""

    letter: str
    text: str
    correct: bool
    share: float
    upper: float
    lower: float


@dataclass(frozen=True)
class ItemStat:
    """One question, pooled across versions."""

    id: str
    number: int
    kind: str
    points: int
    n: int
    facility: float
    discrimination: float | None
    efficiency: float | None
    upper_lower: float | None
    omitted: float
    flags: tuple[Flag, ...]
    options: tuple[OptionStat, ...]
    stem: str | None = None


@dataclass(frozen=True)
class TestStat:
    """The whole test: the class's totals."""

    students: int
    items: int
    max: int
    mean: float
    median: float
    sd: float
    alpha: float | None
    alpha_name: str  # "KR-20" or "Cronbach's alpha"
    sem: float | None
    histogram: tuple[int, ...]  # students per tenth of the max (the last bin holds 100 %)


@dataclass(frozen=True)
class StudentMark:
    """One student's total."""

    student: str
    version: str
    score: float
    max: int

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max if self.max else 0.0


@dataclass(frozen=True)
class VersionStat:
    """One version's students and mean."""

    label: str
    students: int
    mean: float


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything computed from one class."""

    test: TestStat
    items: tuple[ItemStat, ...]
    students: tuple[StudentMark, ...]
    versions: tuple[VersionStat, ...]
    fractions: np.ndarray  # students × items, each mark as a fraction of its points
    flags: tuple[Flag, ...]  # test level


# -- marks ------------------------------------------------------------------------------


def fractions(key: Key, responses: Responses, multi: str) -> np.ndarray:
    """Students × questions: each mark as a fraction 0 to 1 of the question's points."""
    if multi not in MULTI_RULES:
        raise ValueError(f"multi must be one of {', '.join(MULTI_RULES)}, not {multi!r}")
    out = np.zeros((len(responses.students), len(key.items)), dtype=np.float64)
    for j, item in enumerate(key.items):
        if item.id in responses.scored:
            out[:, j] = responses.scored[item.id]
        else:
            out[:, j] = choice_marks(item, responses.chosen[item.id], multi)
    return out


def choice_marks(item: ItemKey, masks: np.ndarray, multi: str) -> np.ndarray:
    """The mark of each chosen-options mask: right when exactly the key is chosen; for a
    multi under ``partial``, Moodle's weights (:mod:`her2quiz.weights`): the chosen options'
    weights summed, floored at 0, capped at 1, rounded to 6 places as ``partial_mark`` does."""
    if item.kind != "multi" or multi == "all-or-nothing":
        exact: np.ndarray = (masks == item.correct).astype(np.float64)
        return exact
    n_correct = item.correct.bit_count()
    n_wrong = len(item.options) - n_correct
    try:
        right, wrong = multi_fractions(n_correct, n_wrong)
    except WeightsError:  # not writable to Moodle; the same rule with exact weights
        right, wrong = 100.0 / n_correct, (-100.0 / n_wrong if n_wrong else 0.0)
    hits = np.bitwise_count(masks & item.correct).astype(np.float64)
    misses = np.bitwise_count(masks & ~np.int64(item.correct)).astype(np.float64)
    marks: np.ndarray = np.round(np.clip((hits * right + misses * wrong) / 100.0, 0.0, 1.0), 6)
    return marks


# -- the analysis ------------------------------------------------------------------------


def analyse(key: Key, responses: Responses, multi: str) -> Analysis:
    """Marks, item statistics and flags for one class."""
    frac = fractions(key, responses, multi)
    points = np.array([item.points for item in key.items], dtype=np.float64)
    marks = frac * points
    totals = marks.sum(axis=1)
    n = len(totals)
    upper, lower = groups(totals)
    disc, eff = discrimination(marks, totals)
    items = tuple(
        _item(key.items[j], j, responses, frac[:, j], disc[j], eff[j], upper, lower)
        for j in range(len(key.items))
    )
    maximum = int(points.sum())
    students = tuple(
        StudentMark(s, v, round(float(t), 6), maximum)
        for s, v, t in zip(responses.students, responses.versions, totals, strict=True)
    )
    versions = tuple(
        VersionStat(label, int(np.sum(sel)), float(totals[sel].mean()) if sel.any() else 0.0)
        for label in key.versions
        for sel in [np.array([v == label for v in responses.versions], dtype=bool)]
        if sel.any()
    )
    flags = (
        (Flag("few-students", f"{n} students: fewer than {MIN_STUDENTS}, the statistics are unstable"),)
        if n < MIN_STUDENTS
        else ()
    )
    return Analysis(test_stat(marks, totals, frac, maximum), items, students, versions, frac, flags)


def groups(totals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indexes of the upper and lower 27 % of the class by total (ties by order in the file)."""
    n = len(totals)
    size = max(1, round(GROUP * n)) if n >= 2 else 0
    order = np.argsort(-totals, kind="stable")
    return order[:size], order[n - size :] if size else order[:0]


def discrimination(marks: np.ndarray, totals: np.ndarray) -> tuple[list[float | None], list[float | None]]:
    """Per question: Moodle's discrimination index and discriminative efficiency (fractions)."""
    n, k = marks.shape
    if n < 2:
        return [None] * k, [None] * k
    rest = totals[:, None] - marks
    dx = marks - marks.mean(axis=0)
    dr = rest - rest.mean(axis=0)
    cov = (dx * dr).sum(axis=0) / (n - 1)
    var_x = (dx * dx).sum(axis=0) / (n - 1)
    var_r = (dr * dr).sum(axis=0) / (n - 1)
    cov_max = (np.sort(dx, axis=0) * np.sort(dr, axis=0)).sum(axis=0) / (n - 1)
    tiny = 1e-12
    disc = [
        float(c / np.sqrt(vx * vr)) if vx * vr > tiny else None
        for c, vx, vr in zip(cov, var_x, var_r, strict=True)
    ]
    eff = [float(c / m) if abs(m) > tiny else None for c, m in zip(cov, cov_max, strict=True)]
    return disc, eff


def test_stat(marks: np.ndarray, totals: np.ndarray, frac: np.ndarray, maximum: int) -> TestStat:
    """Students, items, mean, median, SD (n − 1), alpha or KR-20, SEM and the histogram."""
    n, k = marks.shape
    sd = float(totals.std(ddof=1)) if n >= 2 else 0.0
    alpha = None
    if n >= 2 and k >= 2 and sd > 0:
        alpha = float(k / (k - 1) * (1 - marks.var(axis=0, ddof=1).sum() / totals.var(ddof=1)))
    binary = bool(np.all((frac == 0) | (frac == 1)))
    sem = sd * float(np.sqrt(1 - alpha)) if alpha is not None and alpha <= 1 else None
    share = totals / maximum if maximum else np.zeros(n)
    bins = np.minimum((share * HISTOGRAM_BINS + 1e-9).astype(int), HISTOGRAM_BINS - 1)
    histogram = tuple(int(c) for c in np.bincount(bins, minlength=HISTOGRAM_BINS))
    return TestStat(
        students=n,
        items=k,
        max=maximum,
        mean=float(totals.mean()) if n else 0.0,
        median=float(np.median(totals)) if n else 0.0,
        sd=sd,
        alpha=alpha,
        alpha_name="KR-20" if binary else "Cronbach's alpha",
        sem=sem,
        histogram=histogram,
    )


def _item(
    item: ItemKey,
    j: int,
    responses: Responses,
    frac: np.ndarray,
    disc: float | None,
    eff: float | None,
    upper: np.ndarray,
    lower: np.ndarray,
) -> ItemStat:
    n = len(frac)
    facility = float(frac.mean()) if n else 0.0
    ul = float(frac[upper].mean() - frac[lower].mean()) if len(upper) else None
    options: tuple[OptionStat, ...] = ()
    omitted = 0.0
    if item.id in responses.chosen and item.options:
        masks = responses.chosen[item.id]
        omitted = float(np.mean(masks == 0)) if n else 0.0
        options = option_stats(item, masks, upper, lower)
    flags = item_flags(item, facility, disc, options)
    return ItemStat(
        item.id, item.number, item.kind, item.points, n, facility, disc, eff, ul, omitted, flags, options
    )


def option_stats(
    item: ItemKey, masks: np.ndarray, upper: np.ndarray, lower: np.ndarray
) -> tuple[OptionStat, ...]:
    """Each option's share of the class, of the upper and of the lower group."""
    bits = (masks[:, None] >> np.arange(len(item.options))) & 1

    def mean(rows: np.ndarray) -> np.ndarray:
        return rows.mean(axis=0) if len(rows) else np.zeros(len(item.options))

    share, up, low = mean(bits), mean(bits[upper]), mean(bits[lower])
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return tuple(
        OptionStat(
            letters[i], text, bool(item.correct >> i & 1), float(share[i]), float(up[i]), float(low[i])
        )
        for i, text in enumerate(item.options)
    )


def item_flags(
    item: ItemKey, facility: float, disc: float | None, options: tuple[OptionStat, ...]
) -> tuple[Flag, ...]:
    """The flags of one question, each naming its threshold."""
    flags = []
    if facility < FACILITY_LOW:
        flags.append(Flag("hard", f"facility {facility:.2f} < {FACILITY_LOW:.2f}: hard"))
    if facility > FACILITY_HIGH:
        flags.append(Flag("easy", f"facility {facility:.2f} > {FACILITY_HIGH:.2f}: easy"))
    if disc is not None and disc < 0:
        flags.append(Flag("check-key", f"discrimination {disc:.2f} < 0: check the key"))
    elif disc is not None and disc < DISCRIMINATION_LOW:
        flags.append(Flag("low-discrimination", f"discrimination {disc:.2f} < {DISCRIMINATION_LOW:.2f}"))
    keys = [o for o in options if o.correct]
    key_upper = sum(o.upper for o in keys) / len(keys) if keys else 0.0
    for o in options:
        if o.correct:
            continue
        if o.share < DISTRACTOR_MIN:
            flags.append(
                Flag(
                    "weak-distractor",
                    f"distractor {o.letter} chosen by {o.share:.0%} (< {DISTRACTOR_MIN:.0%})",
                )
            )
        if o.upper > key_upper:
            flags.append(
                Flag(
                    "upper-prefers-distractor",
                    f"the upper group chooses distractor {o.letter} ({o.upper:.0%}) more than the key ({key_upper:.0%})",
                )
            )
    return tuple(flags)
