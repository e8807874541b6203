"""Filters, sampling and seeded versions: a bank becomes a quiz :class:`Plan`.

The plan (:mod:`her2quiz.plan`) is plain data — per version, per number: the question id,
its kind, the printed option order and the correct letters (or the expected answer texts).
The quiz PDF, the key and ``plan.json`` are all rendered from one plan, so the key cannot
drift from the print.

Every random choice is a sort by a SHA-256 key, so it depends on nothing but its inputs
(not on Python's ``random`` implementation):

- the sample with ``count`` is drawn once from ``seed``: stratified by topic, or meeting a
  :class:`Blueprint`'s counts per kind, difficulty and topic exactly; either way it holds at
  most one question per family (the items that ask one fact);
- the question order of a version depends on (seed, label) and the question ids;
- the option order of a question depends only on (seed, label, question id).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from . import markup
from .bank import (
    DIFFICULTIES,
    KINDS,
    LETTERS,
    AnyQuestion,
    Bank,
    ChoiceQuestion,
    Option,
    TrueFalse,
    kind_facts,
)
from .diagnostics import did_you_mean, escape_controls, quote_list
from .load import LoadError, Node, Scalar, decode, parse
from .load import Mapping as YamlMapping
from .plan import Plan, PlanItem, PlanVersion

_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_LEADING_NUMBER = re.compile(r"\s*([-+−]?)\s*(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)")


class FilterError(Exception):
    """A filter names a topic, kind, difficulty, tag or id the bank does not have."""


@dataclass(frozen=True)
class Filters:
    """Which questions to keep; an empty tuple does not filter."""

    topics: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    difficulties: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()


# -- filters -----------------------------------------------------------------------


def filter_bank(bank: Bank, filters: Filters) -> Bank:
    """The bank with only the questions matching every given filter (any value within one).

    Raises FilterError, listing every unknown value, when a filter names something the
    bank does not have.
    """
    filters = _as_spelt_in(bank, filters)
    problems = _filter_problems(bank, filters)
    if problems:
        raise FilterError("\n".join(problems))
    kept = tuple(q for q in bank.questions if _matches(q, filters))
    return replace(bank, questions=kept)


def _as_spelt_in(bank: Bank, f: Filters) -> Filters:
    """The filters with each value spelt as the bank spells it: values match whatever
    their case (``--topic Testing``, ``--kind MCQ``)."""

    def spelt(values: tuple[str, ...], known: Iterable[str]) -> tuple[str, ...]:
        by_fold = {k.casefold(): k for k in known}
        return tuple(by_fold.get(v.casefold(), v) for v in values)

    return Filters(
        topics=spelt(f.topics, bank.topics),
        kinds=spelt(f.kinds, KINDS),
        difficulties=spelt(f.difficulties, DIFFICULTIES),
        tags=spelt(f.tags, {t for q in bank.questions for t in q.tags}),
        ids=spelt(f.ids, (q.id for q in bank.questions)),
    )


def _matches(q: AnyQuestion, f: Filters) -> bool:
    return (
        (not f.topics or q.topic in f.topics)
        and (not f.kinds or q.kind in f.kinds)
        and (not f.difficulties or q.difficulty in f.difficulties)
        and (not f.tags or any(t in f.tags for t in q.tags))
        and (not f.ids or q.id in f.ids)
    )


def _filter_problems(bank: Bank, f: Filters) -> list[str]:
    tags = sorted({t for q in bank.questions for t in q.tags})
    return [
        *_unknown("topic", f.topics, list(bank.topics), listed=True),
        *_unknown("kind", f.kinds, KINDS, listed=True),
        *_unknown("difficulty", f.difficulties, DIFFICULTIES, listed=True),
        *_unknown("tag", f.tags, tags, listed=len(tags) <= 12),
        *_unknown("question id", f.ids, [q.id for q in bank.questions], listed=False),
    ]


def _unknown(what: str, values: Iterable[str], known: Sequence[str], *, listed: bool) -> list[str]:
    expected = f"; expected one of {quote_list(known)}" if listed and known else ""
    return [
        f"unknown {what} '{value}'{did_you_mean(value, known)}{expected}"
        for value in values
        if value not in known
    ]


# -- the plan ----------------------------------------------------------------------


def plan_quiz(
    bank: Bank,
    *,
    count: int | None,
    versions: int,
    seed: int,
    blueprint: Blueprint | None = None,
    apart: bool = True,
) -> Plan:
    """Sample ``count`` questions (as many as there are when None), then order each version
    A, B, … .

    With ``blueprint`` the sample meets its counts exactly (BlueprintError says why it
    cannot). With ``apart`` (the default, for anything printed) the sample holds at most one
    question per family; ``apart=False`` takes every selected question when ``count`` is None
    (a reference copy of the bank). A pure function of its arguments.
    """
    if not 1 <= versions <= len(LETTERS):
        raise ValueError(f"versions must be 1 to {len(LETTERS)}, not {versions}")
    if blueprint is not None and not blueprint.empty:
        count = blueprint.total(count)
        sample = meet_blueprint(bank, blueprint, count, seed)
        warnings: tuple[str, ...] = ()
    elif not apart:
        sample = sample_questions(bank, count, seed, apart=False)
        warnings = _shortfall(count, len(bank.questions), len(sample))
    else:
        sample = sample_questions(bank, count, seed)
        warnings = _shortfall(count, len(bank.questions), len(sample), families=True)
    planned = tuple(_version(LETTERS[i], sample, seed) for i in range(versions))
    return Plan(seed=seed, bank=bank.short_hash, bank_id=bank.id, versions=planned, warnings=warnings)


def _shortfall(count: int | None, selected: int, sampled: int, *, families: bool = False) -> tuple[str, ...]:
    """What to say when the sample is smaller than asked (or than the selection)."""
    wanted = selected if count is None else count
    if sampled >= wanted:
        return ()
    asked = "" if count is None else f"asked for {count} questions but "
    if families and sampled < selected:
        held = (
            f"the {selected} selected questions hold"
            if count is None
            else f"only {selected} are selected, in"
        )
        return (
            f"{asked}{held} {sampled} families (questions on one fact); "
            f"using one question of each, {sampled} in all",
        )
    return (f"{asked}only {selected} are selected; using all",)


def family_of(q: AnyQuestion) -> str:
    """The fact a question tests: its ``family``, or the question itself when it has none."""
    return q.family if q.family is not None else f"\x00{q.id}"


def sample_questions(
    bank: Bank, count: int | None, seed: int, *, apart: bool = True
) -> tuple[AnyQuestion, ...]:
    """``count`` questions (all when None) stratified by topic, in bank order.

    With ``apart``, at most one question per family: the topics' shares are in proportion to
    the families each holds (Hamilton's largest remainders), and within a topic the seed
    ranks the questions. Without families, and without ``apart``, that is the plain
    proportional stratification of the questions.
    """
    questions = bank.questions
    key: Callable[[AnyQuestion], str] = family_of if apart else (lambda q: q.id)
    families = {key(q) for q in questions}
    if (count is None or count >= len(families)) and not apart:
        return questions
    ranked = _ranked(questions, seed)
    chosen: list[AnyQuestion] | None = None
    if count is None or count >= len(families):
        count = len(families)  # the first-ranked question of each family
    else:
        sizes: dict[str, set[str]] = {}
        for q in questions:
            sizes.setdefault(q.topic, set()).add(key(q))
        quotas = allocate(count, {topic: len(found) for topic, found in sizes.items()})
        try:
            chosen = _search(ranked, count, [(_TOPIC, quotas)], key)
        except _Exhausted:  # families across topics, in a large bank: give up the strata
            chosen = None
    if chosen is None:  # without quotas the greedy pass always succeeds: count <= families
        chosen = _search(ranked, count, [], key)
    assert chosen is not None
    ids = {q.id for q in chosen}
    return tuple(q for q in questions if q.id in ids)


def allocate(count: int, sizes: dict[str, int]) -> dict[str, int]:
    """Split ``count`` over groups in proportion to their sizes (Hamilton's largest remainders).

    Ties go to the larger group, then to the group listed first. Exact integer arithmetic.
    """
    total = sum(sizes.values())
    quotas = {key: count * size // total for key, size in sizes.items()}
    order = list(sizes)
    by_remainder = sorted(order, key=lambda k: (-(count * sizes[k] % total), -sizes[k], order.index(k)))
    for key in by_remainder[: count - sum(quotas.values())]:
        quotas[key] += 1
    return quotas


# -- blueprints ----------------------------------------------------------------------


class BlueprintError(Exception):
    """A blueprint that cannot be read, or cannot be met by the selected questions."""


Counts = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Blueprint:
    """Exact counts of a quiz per kind, difficulty and topic; an empty map sets none.

    A map is complete: a kind it does not name gets none. ``count`` is the number of
    questions a blueprint file gives (every map must sum to it).
    """

    kinds: Counts = ()
    difficulties: Counts = ()
    topics: Counts = ()
    count: int | None = None

    @property
    def empty(self) -> bool:
        return not (self.kinds or self.difficulties or self.topics)

    def maps(self) -> list[tuple[_Dimension, Counts]]:
        """The maps given, each with its dimension, in the order kind, difficulty, topic."""
        given = zip(_DIMENSIONS, (self.kinds, self.difficulties, self.topics), strict=True)
        return [(d, counts) for d, counts in given if counts]

    def replaced_by(self, other: Blueprint) -> Blueprint:
        """This blueprint with each map (and the count) ``other`` gives taking its place."""
        return Blueprint(
            other.kinds or self.kinds,
            other.difficulties or self.difficulties,
            other.topics or self.topics,
            other.count if other.count is not None else self.count,
        )

    def total(self, count: int | None) -> int:
        """The number of questions: ``count`` (else the blueprint's own, else its maps'
        sum). BlueprintError when a map sums to anything else."""
        wanted = count if count is not None else self.count
        sums = [(d, sum(n for _, n in counts), counts) for d, counts in self.maps()]
        if wanted is None:
            wanted = sums[0][1] if sums else 0
        if count is not None and self.count is not None and self.count != count:
            raise BlueprintError(f"the blueprint is for {self.count} questions but {count} are asked for")
        for d, total, counts in sums:
            if total != wanted:
                raise BlueprintError(
                    f"the {d.mix} ({describe(counts)}) sums to {total} questions, not {wanted}; "
                    "every mix must add up to the number of questions"
                )
        if wanted < 1:
            raise BlueprintError("the blueprint asks for no question")
        return wanted


def describe(counts: Counts) -> str:
    """'mcq=12, truefalse=4'."""
    return ", ".join(f"{name}={n}" for name, n in counts)


def parse_mix(text: str, what: str) -> Counts:
    """``NAME=COUNT,NAME=COUNT`` as counts; BlueprintError names ``what`` (e.g. '--mix')."""
    found: dict[str, int] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, sep, number = (s.strip() for s in part.partition("="))
        if not sep or not name:
            raise BlueprintError(f"{what}: '{part}' is not NAME=COUNT")
        if not (number.isascii() and number.isdigit()) or len(number) > 6:
            raise BlueprintError(f"{what}: the count of '{name}' must be a whole number, not '{number}'")
        if name in found:
            raise BlueprintError(f"{what}: '{name}' is given twice")
        found[name] = int(number)
    if not found:
        raise BlueprintError(f"{what}: no NAME=COUNT given")
    return tuple(found.items())


_FILE_KEYS = ("count", "kinds", "difficulties", "topics")


def read_blueprint(data: bytes, display: str) -> Blueprint:
    """A blueprint file (YAML or JSON): ``count``, and maps ``kinds``, ``difficulties``,
    ``topics`` of name -> count. BlueprintError as ``FILE:LINE:COL: message``."""
    try:
        tree, problems = parse(decode(data, display), display)
    except LoadError as e:
        d = e.diagnostic
        raise BlueprintError(f"{d.path}:{d.line}:{d.column}: {d.message}") from None
    if problems:
        d = problems[0]
        raise BlueprintError(f"{d.path}:{d.line}:{d.column}: {d.message}")

    def fail(node: Node, message: str) -> BlueprintError:
        return BlueprintError(f"{display}:{node.line}:{node.column}: {escape_controls(message)}")

    if not isinstance(tree, YamlMapping):
        raise fail(tree, "a blueprint is a mapping of count, kinds, difficulties and topics")
    maps: dict[str, Counts] = {}
    count: int | None = None
    for key, value in tree.pairs:
        name = str(key.value)
        if name not in _FILE_KEYS:
            raise fail(
                key,
                f"unknown key '{name}'{did_you_mean(name, _FILE_KEYS)}; expected {quote_list(_FILE_KEYS)}",
            )
        if name == "count":
            count = _whole(value, "count", fail, least=1)
        else:
            maps[name] = _counts(value, name, fail)
    if not maps:
        raise fail(tree, "the blueprint gives none of kinds, difficulties or topics")
    return Blueprint(maps.get("kinds", ()), maps.get("difficulties", ()), maps.get("topics", ()), count)


def _counts(node: Node, key: str, fail: Callable[[Node, str], BlueprintError]) -> Counts:
    if not isinstance(node, YamlMapping) or not node.pairs:
        raise fail(node, f"'{key}' must map names to counts, e.g. {_EXAMPLES[key]}")
    return tuple((str(k.value), _whole(v, f"{key}: {k.value}", fail, least=0)) for k, v in node.pairs)


_EXAMPLES = {"kinds": "{mcq: 12, cloze: 4}", "difficulties": "{easy: 6, hard: 4}", "topics": "{testing: 5}"}


def _whole(node: Node, what: str, fail: Callable[[Node, str], BlueprintError], *, least: int) -> int:
    value = node.value if isinstance(node, Scalar) else None
    if not isinstance(value, int) or isinstance(value, bool) or not least <= value <= 100_000:
        shown = node.text if isinstance(node, Scalar) else f"a {node.kind}"
        raise fail(node, f"'{what}' must be a whole number from {least}, not {shown}")
    return value


@dataclass(frozen=True)
class _Dimension:
    """One way of counting questions: by kind, difficulty or topic."""

    name: str
    mix: str  # how a message names a map of it
    value: Callable[[AnyQuestion], str]


_KIND = _Dimension("kind", "kind mix", lambda q: q.kind)
_DIFFICULTY = _Dimension("difficulty", "difficulty mix", lambda q: q.difficulty or "unrated")
_TOPIC = _Dimension("topic", "topic mix", lambda q: q.topic)
_DIMENSIONS = (_KIND, _DIFFICULTY, _TOPIC)


def meet_blueprint(bank: Bank, blueprint: Blueprint, count: int, seed: int) -> tuple[AnyQuestion, ...]:
    """``count`` questions meeting every count of ``blueprint`` exactly, at most one per
    family, the seed deciding which; in bank order. BlueprintError says which count
    cannot be met, and why."""
    quotas = [(d, dict(counts)) for d, counts in blueprint.maps()]
    _known_names(bank, quotas)
    questions = bank.questions
    families = {family_of(q) for q in questions}
    if count > len(families):
        raise BlueprintError(
            f"{count} questions cannot be met: the {len(questions)} selected questions hold "
            f"{len(families)} families (questions on one fact), and a quiz takes one of each"
        )
    for d, quota in quotas:
        for name, wanted in quota.items():
            _value_can_be_met(questions, d, name, wanted)
    _pairs_can_be_met(questions, count, quotas)
    ranked = _ranked(questions, seed)
    try:
        chosen = _search(ranked, count, quotas, family_of)
    except _Exhausted:
        raise BlueprintError(
            f"no selection meeting {_described(quotas)} was found within the search's limit; "
            "loosen a mix or widen the filters"
        ) from None
    if chosen is None:
        raise BlueprintError(_conflict(ranked, count, quotas))
    ids = {q.id for q in chosen}
    return tuple(q for q in questions if q.id in ids)


def _known_names(bank: Bank, quotas: list[tuple[_Dimension, dict[str, int]]]) -> None:
    known: dict[str, list[str]] = {
        "kind": list(KINDS),
        "difficulty": [*DIFFICULTIES, "unrated"],
        "topic": list(bank.topics),
    }
    problems = [
        f"unknown {d.name} '{name}' in the {d.mix}{did_you_mean(name, known[d.name])}; "
        f"expected one of {quote_list(known[d.name])}"
        for d, quota in quotas
        for name in quota
        if name not in known[d.name]
    ]
    if problems:
        raise BlueprintError("\n".join(problems))


def _value_can_be_met(questions: Sequence[AnyQuestion], d: _Dimension, name: str, wanted: int) -> None:
    having = [q for q in questions if d.value(q) == name]
    families = {family_of(q) for q in having}
    if wanted <= len(families):
        return
    if not having:
        held = f"no {name} question"
    elif len(families) == len(having):
        held = f"only {len(having)} {name} question{'s' * (len(having) != 1)}"
    else:
        held = (
            f"{len(having)} {name} questions in only {len(families)} families "
            "(questions on one fact), and a quiz takes one of each"
        )
    raise BlueprintError(f"{d.name} {name}={wanted} cannot be met: the selected questions hold {held}")


def _pairs_can_be_met(
    questions: Sequence[AnyQuestion], count: int, quotas: list[tuple[_Dimension, dict[str, int]]]
) -> None:
    """Refuse, naming them, two maps (or one map and one question per family) that no
    ``count`` questions can meet at once: each pair is a transportation problem whose
    maximum flow is the most questions that can meet both."""
    ones: dict[str, int] = {family_of(q): 1 for q in questions}
    for d, quota in quotas:
        cells = Counter((family_of(q), d.value(q)) for q in questions)
        most = _transport(ones, quota, cells)
        if most < count:
            raise BlueprintError(
                f"{_described([(d, quota)])} cannot be met with one question per family (questions on "
                f"one fact): at most {most} of the selected questions fit it"
            )
    for (d1, q1), (d2, q2) in itertools.combinations(quotas, 2):
        cells = Counter((d1.value(q), d2.value(q)) for q in questions)
        most = _transport(q1, q2, cells)
        if most < count:
            group = [(d1, q1), (d2, q2)]
            reason = _short_value(questions, group) or f"at most {most} of the selected questions fit both"
            raise BlueprintError(f"{_described(group)} cannot be met together: {reason}")


def _flows_hold(
    open_cands: list[tuple[str, tuple[str, ...], AnyQuestion]], needs: list[dict[str, int]], left: int
) -> bool:
    """Whether every pair of counts still left can be met at once by the open questions."""
    for d1, d2 in itertools.combinations(range(len(needs)), 2):
        cells = Counter((values[d1], values[d2]) for _, values, _ in open_cands)
        if _transport(needs[d1], needs[d2], cells) < left:
            return False
    for d in range(len(needs)):
        cells = Counter((fam, values[d]) for fam, values, _ in open_cands)
        if _transport(dict.fromkeys({fam for fam, _, _ in open_cands}, 1), needs[d], cells) < left:
            return False
    return True


def _transport(
    rows: Mapping[str, int], columns: Mapping[str, int], cells: Mapping[tuple[str, str], int]
) -> int:
    """The maximum flow from a source through rows (their capacities), cells, then columns
    (theirs) to a sink: augmenting paths found breadth first, one unit at a time."""
    flow: Counter[tuple[str, str]] = Counter()
    row_out: Counter[str] = Counter()
    column_in: Counter[str] = Counter()
    by_row: dict[str, list[str]] = {}
    by_column: dict[str, list[str]] = {}
    for r, c in cells:
        by_row.setdefault(r, []).append(c)
        by_column.setdefault(c, []).append(r)
    total = 0
    while True:
        came: dict[tuple[str, str], tuple[str, str] | None] = {
            ("r", r): None for r, cap in rows.items() if row_out[r] < cap
        }
        queue = list(came)
        end = None
        while queue and end is None:
            side, name = queue.pop(0)
            if side == "r":
                steps = [("c", c) for c in by_row.get(name, ()) if flow[name, c] < cells[name, c]]
            else:
                if column_in[name] < columns.get(name, 0):
                    end = (side, name)
                    break
                steps = [("r", r) for r in by_column.get(name, ()) if flow[r, name] > 0]
            for step in steps:
                if step not in came:
                    came[step] = (side, name)
                    queue.append(step)
        if end is None:
            return total
        column_in[end[1]] += 1
        node: tuple[str, str] = end
        while (before := came[node]) is not None:
            if node[0] == "c":
                flow[before[1], node[1]] += 1
            else:
                flow[node[1], before[1]] -= 1
            node = before
        row_out[node[1]] += 1
        total += 1


def _described(quotas: list[tuple[_Dimension, dict[str, int]]]) -> str:
    return " and ".join(f"the {d.mix} ({describe(tuple(q.items()))})" for d, q in quotas)


def _conflict(ranked: list[AnyQuestion], count: int, quotas: list[tuple[_Dimension, dict[str, int]]]) -> str:
    """Why no sample meets ``quotas``: the smallest set of maps that cannot be met together."""
    groups = [[q] for q in quotas] + [list(p) for p in itertools.combinations(quotas, 2)]
    for group in groups:
        if len(group) < len(quotas) or len(quotas) == 1:
            try:
                found = _search(ranked, count, group, family_of)
            except _Exhausted:
                continue
            if found is None:
                return _why(ranked, count, group)
    return _why(ranked, count, quotas)


def _why(ranked: list[AnyQuestion], count: int, group: list[tuple[_Dimension, dict[str, int]]]) -> str:
    what = _described(group)
    if len(group) == 1:
        return f"{what} cannot be met with one question per family (questions on one fact)"
    both = "both" if len(group) == 2 else "them all"
    reason = _short_value(ranked, group) or f"no {count} of the selected questions have {both}"
    return f"{what} cannot be met together: {reason}"


def _short_value(questions: Sequence[AnyQuestion], group: list[tuple[_Dimension, dict[str, int]]]) -> str:
    """'difficulty easy=10, but only 9 of the selected easy questions are mcq or cloze', when
    one count of a map has too few questions among the values another map allows; else ''."""
    for (d1, q1), (d2, q2) in itertools.permutations(group, 2):
        allowed = [name for name, n in q1.items() if n > 0]
        for name, wanted in q2.items():
            having = {family_of(q) for q in questions if d2.value(q) == name and d1.value(q) in allowed}
            if len(having) < wanted:
                among = " or ".join(allowed) or "none"
                return (
                    f"{d2.name} {name}={wanted}, but only "
                    f"{len(having)} of the selected {name} questions are {among}"
                )
    return ""


class _Exhausted(Exception):
    """The search took more steps than it is allowed."""


# Work allowed to one search, in questions looked at (a node's flows count 4 per count map):
# at most about 2 s here. On the HER2 bank 150 random 20-question blueprints with all three
# maps: 43 met, 95 refused with their reason, 12 beyond the limit.
_BUDGET = 3_000_000


def _ranked(questions: Sequence[AnyQuestion], seed: int) -> list[AnyQuestion]:
    return sorted(questions, key=lambda q: _rank(seed, "sample", q.id))


def _search(
    ranked: Sequence[AnyQuestion],
    count: int,
    quotas: Sequence[tuple[_Dimension, Mapping[str, int]]],
    key: Callable[[AnyQuestion], str],
) -> list[AnyQuestion] | None:
    """The first ``count`` questions in ``ranked`` order (lexicographically) that meet every
    quota exactly with no two of one ``key``; None when there are none.

    Greedy first (take each question that still fits), which is also the search's first
    answer when it succeeds; only when it fails, a depth-first search over the same order,
    pruned by counting the families still available for each quota.
    """
    cands = [(key(q), tuple(d.value(q) for d, _ in quotas), q) for q in ranked]
    needs = [dict(quota) for _, quota in quotas]
    used: set[str] = set()

    def fits(i: int) -> bool:
        fam, values, _ = cands[i]
        return fam not in used and all(needs[d].get(v, 0) > 0 for d, v in enumerate(values))

    def take(i: int, step: int) -> None:
        fam, values, _ = cands[i]
        if step > 0:
            used.add(fam)
        else:
            used.discard(fam)
        for d, v in enumerate(values):
            needs[d][v] -= step

    greedy: list[int] = []
    for i in range(len(cands)):
        if len(greedy) < count and fits(i):
            take(i, 1)
            greedy.append(i)
    if len(greedy) == count and all(n == 0 for need in needs for n in need.values()):
        return [cands[i][2] for i in greedy]
    for i in reversed(greedy):
        take(i, -1)
    return _depth_first(cands, count, needs, used, fits, take)


def _depth_first(
    cands: list[tuple[str, tuple[str, ...], AnyQuestion]],
    count: int,
    needs: list[dict[str, int]],
    used: set[str],
    fits: Callable[[int], bool],
    take: Callable[[int, int], None],
) -> list[AnyQuestion] | None:
    """Depth-first search, most constrained count first: at each step the count with the
    fewest families to spare is filled next, trying its questions in rank order; a question
    tried and failed is barred from that step's later branches (their solutions holding it
    were all seen). Raises _Exhausted past the budget."""
    if count > _MAX_DEPTH:
        raise _Exhausted
    barred: set[int] = set()
    taken: list[int] = []
    work = 0

    def open_(i: int) -> bool:
        return i not in barred and fits(i)

    def tightest(left: int) -> tuple[int, str] | None:
        """The (dimension, value) to fill next; None when no sample can complete this one."""
        families: set[str] = set()
        per_value: list[dict[str, set[str]]] = [{} for _ in needs]
        for i in range(len(cands)):
            if open_(i):
                fam, values, _ = cands[i]
                families.add(fam)
                for d, v in enumerate(values):
                    per_value[d].setdefault(v, set()).add(fam)
        if len(families) < left:
            return None
        best: tuple[tuple[int, int], int, str] | None = None
        for d, need in enumerate(needs):
            for v, n in need.items():
                spare = len(per_value[d].get(v, ())) - n
                if n and spare < 0:
                    return None
                if n and (best is None or (spare, n) < best[0]):
                    best = ((spare, n), d, v)
        if (
            best is not None
            and len(needs) > 1
            and not _flows_hold([cands[i] for i in range(len(cands)) if open_(i)], needs, left)
        ):
            return None
        return (best[1], best[2]) if best is not None else (-1, "")

    def solve(left: int) -> bool:
        nonlocal work
        if left == 0:
            return True
        work += len(cands) * (1 + 4 * len(needs))  # the availability count, then the flows
        if work > _BUDGET:
            raise _Exhausted
        target = tightest(left)
        if target is None:
            return False
        d, v = target
        barred_here = []
        for i in range(len(cands)):
            if not open_(i) or (d >= 0 and cands[i][1][d] != v):
                continue
            take(i, 1)
            taken.append(i)
            if solve(left - 1):
                return True
            taken.pop()
            take(i, -1)
            barred.add(i)
            barred_here.append(i)
        barred.difference_update(barred_here)
        return False

    return [cands[i][2] for i in taken] if solve(count) else None


_MAX_DEPTH = 500  # a blueprint of more questions than this is met by the greedy pass or not at all


# -- titles --------------------------------------------------------------------------


def filter_title(bank: Bank, filters: Filters) -> str:
    """What a quiz's title adds for its filters: 'Testing methods', 'hard, cloze', ''."""
    parts = [
        ", ".join(bank.topics.get(t, t) for t in filters.topics),
        ", ".join(filters.difficulties),
        ", ".join(kind_facts(k).label if k in KINDS else k for k in filters.kinds),
        ", ".join(f"tagged {t}" for t in filters.tags),
        "selected questions" if filters.ids else "",
    ]
    return " · ".join(p for p in parts if p)


def _version(label: str, sample: Sequence[AnyQuestion], seed: int) -> PlanVersion:
    ordered = sorted(sample, key=lambda q: _rank(seed, "order", label, q.id))
    return PlanVersion(label, tuple(_item(n, q, label, seed) for n, q in enumerate(ordered, start=1)))


def _item(number: int, q: AnyQuestion, label: str, seed: int) -> PlanItem:
    if isinstance(q, ChoiceQuestion | TrueFalse):
        options = option_order(q, shuffle=f"{seed}:{label}")
        correct = tuple(LETTERS[i] for i, o in enumerate(options) if o.correct)
        return PlanItem(number, q.id, q.kind, tuple(o.text for o in options), correct, points=q.worth)
    return PlanItem(number, q.id, q.kind, answers=q.answer_texts(), accepted=q.accepted(), points=q.worth)


def option_order(q: ChoiceQuestion | TrueFalse, *, shuffle: str | None) -> tuple[Option, ...]:
    """The order every output shows a question's options in (one function for all of them).

    True/False: True, then False. ``as-written``: the author's ``options``. ``sorted``: by
    numeric value when every option starts with a number, else in natural order.
    ``shuffle``: ranked by a hash of (``shuffle``, question id, option), so a question's order
    depends on nothing else; with ``shuffle=None``, bank order (answers, then distractors), for
    an output that shuffles by itself.
    """
    options = q.options()
    if isinstance(q, TrueFalse):
        return options
    if q.order == "as-written":
        by_text = {o.text: o for o in options}
        return tuple(by_text[text] for text in q.written)
    if q.order == "sorted":
        return tuple(sorted(options, key=lambda o: option_sort_key(o.text, options)))
    if shuffle is None:
        return options
    ranked = sorted(range(len(options)), key=lambda i: _rank(shuffle, "options", q.id, i))
    return tuple(options[i] for i in ranked)


def option_sort_key(text: str, options: Sequence[Option]) -> tuple[object, ...]:
    """Numeric when every option starts with a number, else natural ('2 h' < '10 h')."""
    natural = natural_key(text)
    if all(_LEADING_NUMBER.match(markup.plain(o.text)) for o in options):
        return (_leading_value(text), natural)
    return (0.0, natural)


def natural_key(text: str) -> tuple[object, ...]:
    """Text split into words and numbers, numbers compared by value, case folded."""
    parts = _NUMBER.split(markup.plain(text).casefold())
    numbers = [float(n.replace(",", "")) for n in _NUMBER.findall(markup.plain(text))]
    key: list[object] = []
    for i, part in enumerate(parts):
        key.append(part)
        if i < len(numbers):
            key.append(numbers[i])
    return tuple(key)


def _leading_value(text: str) -> float:
    m = _LEADING_NUMBER.match(markup.plain(text))
    if m is None:
        return 0.0
    sign = -1.0 if m.group(1) in ("-", "−") else 1.0
    return sign * float(m.group(2).replace(",", ""))


def _rank(seed: int | str, *parts: object) -> bytes:
    return hashlib.sha256(":".join(map(str, (seed, *parts))).encode("utf-8")).digest()
