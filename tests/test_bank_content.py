"""The HER2 bank itself: size, mix and coverage the course needs."""

from __future__ import annotations

from collections import Counter

import pytest

from her2quiz import check, load_bank
from her2quiz.bank import Bank

from conftest import REPO, SHARED_SOURCES

TOPICS = {"testing", "drugs", "relapse", "biology", "endocrine", "loss", "treatment", "clinical"}


@pytest.fixture(scope="module")
def bank() -> Bank:
    loaded = load_bank(REPO / "questions.yaml", sources=SHARED_SOURCES)
    assert loaded.bank is not None, [d.concise() for d in loaded.diagnostics if d.is_error]
    return loaded.bank


def test_at_least_150_questions(bank: Bank) -> None:
    assert len(bank.questions) >= 150


def test_kind_mix_mcq_largest_then_cloze_truefalse_multi_basic(bank: Bank) -> None:
    kinds = Counter(q.kind for q in bank.questions)
    assert kinds["mcq"] >= 0.4 * len(bank.questions)
    order = [kinds[k] for k in ("mcq", "cloze", "truefalse", "multi", "basic")]
    assert order == sorted(order, reverse=True) and min(order) > 0


def test_every_required_topic_has_at_least_ten_questions(bank: Bank) -> None:
    topics = Counter(q.topic for q in bank.questions)
    assert set(bank.topics) >= TOPICS
    assert {t: topics[t] for t in TOPICS if topics[t] < 10} == {}


def test_difficulty_is_spread(bank: Bank) -> None:
    levels = Counter(q.difficulty for q in bank.questions)
    assert set(levels) == {"easy", "medium", "hard"}
    assert min(levels.values()) >= 0.15 * len(bank.questions)


def test_every_question_explains_and_cites(bank: Bank) -> None:
    assert [q.id for q in bank.questions if not q.explain] == []
    assert [q.id for q in bank.questions if not q.cite] == []


def test_every_source_is_cited(bank: Bank) -> None:
    cited = {c.source for q in bank.questions for c in q.cite}
    assert cited == set(bank.sources)


def test_central_topics_are_asked_in_at_least_two_kinds(bank: Bank) -> None:
    kinds_by_topic: dict[str, set[str]] = {}
    for q in bank.questions:
        kinds_by_topic.setdefault(q.topic, set()).add(q.kind)
    assert {t: k for t, k in kinds_by_topic.items() if len(k) < 2} == {}


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="the shared source texts are not beside the repo")
def test_the_bank_is_clean_under_strict_against_the_sources() -> None:
    assert [d.concise() for d in check(REPO / "questions.yaml", sources=SHARED_SOURCES, strict=True)] == []
