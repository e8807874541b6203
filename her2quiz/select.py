"""Filters, sampling and seeded versions: a bank becomes a quiz :class:`Plan`.

The plan (:mod:`her2quiz.plan`) is plain data — per version, per number: the question id,
its kind, the printed option order and the correct letters (or the expected answer texts).
The quiz PDF, the key and ``plan.json`` are all rendered from one plan, so the key cannot
drift from the print.

Every random choice is a sort by a SHA-256 key, so it depends on nothing but its inputs
(not on Python's ``random`` implementation):

- the sample with ``count`` is drawn once from ``seed``, stratified by topic;
- the question order of a version depends on (seed, label) and the question ids;
- the option order of a question depends only on (seed, label, question id).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from . import markup
from .bank import DIFFICULTIES, KINDS, LETTERS, AnyQuestion, Bank, ChoiceQuestion, Option, TrueFalse
from .diagnostics import did_you_mean, quote_list
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
    problems = _filter_problems(bank, filters)
    if problems:
        raise FilterError("\n".join(problems))
    kept = tuple(q for q in bank.questions if _matches(q, filters))
    return replace(bank, questions=kept)


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


def plan_quiz(bank: Bank, *, count: int | None, versions: int, seed: int) -> Plan:
    """Sample ``count`` questions (all when None), then order each version A, B, … .

    A pure function of its arguments: the same bank, count, versions and seed give the
    same plan.
    """
    if not 1 <= versions <= len(LETTERS):
        raise ValueError(f"versions must be 1 to {len(LETTERS)}, not {versions}")
    sample = sample_questions(bank, count, seed)
    warnings: tuple[str, ...] = ()
    if count is not None and count > len(sample):
        warnings = (f"asked for {count} questions but only {len(sample)} are selected; using all",)
    planned = tuple(_version(LETTERS[i], sample, seed) for i in range(versions))
    return Plan(seed=seed, bank=bank.short_hash, bank_id=bank.id, versions=planned, warnings=warnings)


def sample_questions(bank: Bank, count: int | None, seed: int) -> tuple[AnyQuestion, ...]:
    """``count`` questions stratified by topic (proportional, largest remainders), in bank order."""
    questions = bank.questions
    if count is None or count >= len(questions):
        return questions
    groups: dict[str, list[AnyQuestion]] = {}
    for q in questions:
        groups.setdefault(q.topic, []).append(q)
    quotas = allocate(count, {topic: len(group) for topic, group in groups.items()})
    chosen = {
        q.id
        for topic, group in groups.items()
        for q in sorted(group, key=lambda q: _rank(seed, "sample", q.id))[: quotas[topic]]
    }
    return tuple(q for q in questions if q.id in chosen)


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
