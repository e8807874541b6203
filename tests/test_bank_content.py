"""The HER2 bank itself: size, mix, coverage, families, vignettes and currency notes."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from her2quiz import check, load_bank
from her2quiz.bank import AnyQuestion, Bank, ChoiceQuestion, Cloze
from her2quiz.evidence import normalise
from her2quiz.select import Filters, filter_bank, plan_quiz

from conftest import REPO, SHARED_SOURCES

TOPICS = {"testing", "drugs", "relapse", "biology", "endocrine", "loss", "treatment", "clinical"}
EDITORS = "editors-2026"
DATE = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?|undated)$")
# Items whose source statement later evidence overtook (the 2026-12 content review): each
# must say what holds now, in a context note.
DATED = {
    "relapse-ihc-score-worst-prognosis-tf": "IHC 2+ is equivocal under ASCO/CAP",
    "relapse-mastectomy-poorer-subgroup": "surgery does not depend on HER2 status",
    "clinical-surgery-growth-factor-harm": "the surgery idea is a hypothesis",
    "clinical-surgery-detrimental-cloze": "the surgery idea is a hypothesis",
    "biology-dichotomous-expression": "HER2-low",
    "endocrine-pcr-prognostic-tf": "CTNeoBC",
    "endocrine-intrinsic-sensitivity-tf": "endocrine therapy is still given",
    "endocrine-tamoxifen-relative-resistance": "endocrine therapy is still given",
    "testing-fish-primary-modality-status": "IHC first, ISH for 2+",
}


@pytest.fixture(scope="module")
def bank() -> Bank:
    loaded = load_bank(REPO / "questions.yaml", sources=SHARED_SOURCES)
    assert loaded.bank is not None, [d.concise() for d in loaded.diagnostics if d.is_error]
    return loaded.bank


def vignettes(bank: Bank) -> list[AnyQuestion]:
    return [q for q in bank.questions if "vignette" in q.tags]


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


# -- families ------------------------------------------------------------------------


def test_every_question_names_the_fact_it_tests(bank: Bank) -> None:
    assert [q.id for q in bank.questions if not q.family] == []


def test_a_family_asks_its_fact_once_per_kind(bank: Bank) -> None:
    pairs = Counter((q.family, q.kind) for q in bank.questions)
    assert {pair: n for pair, n in pairs.items() if n > 1} == {}


def test_questions_quoting_one_passage_share_a_family(bank: Bank) -> None:
    """Context notes included: the W341 lint looks at the questions' own quotes only."""
    families: dict[tuple[str, str], set[str | None]] = {}
    for q in bank.questions:
        for c in q.citations():
            families.setdefault((c.source, normalise(c.quote)), set()).add(q.family)
    assert {key: f for key, f in families.items() if len(f) > 1} == {}


def test_a_family_lies_within_one_topic(bank: Bank) -> None:
    """So a quiz stratified by topic can take one question of every family."""
    topics: dict[str | None, set[str]] = {}
    for q in bank.questions:
        topics.setdefault(q.family, set()).add(q.topic)
    assert {f: t for f, t in topics.items() if len(t) > 1} == {}


def test_a_20_question_topic_quiz_holds_one_question_per_family(bank: Bank) -> None:
    for topic in sorted(TOPICS):
        selected = filter_bank(bank, Filters(topics=(topic,)))
        families = {q.family for q in selected.questions}
        for seed in range(1, 21):
            plan = plan_quiz(selected, count=20, versions=2, seed=seed)
            for version in plan.versions:
                printed = [bank.question(item.id).family for item in version.items]
                assert len(printed) == min(20, len(families)), (topic, seed)
                assert len(set(printed)) == len(printed), (topic, seed, version.label)


def test_the_whole_bank_prints_one_question_of_every_family(bank: Bank) -> None:
    plan = plan_quiz(bank, count=None, versions=1, seed=1)
    printed = [str(bank.question(item.id).family) for item in plan.versions[0].items]
    assert sorted(printed) == sorted({str(q.family) for q in bank.questions})


def test_some_facts_are_asked_in_several_kinds(bank: Bank) -> None:
    kinds: dict[str | None, set[str]] = {}
    for q in bank.questions:
        kinds.setdefault(q.family, set()).add(q.kind)
    assert sum(len(k) >= 2 for k in kinds.values()) >= 30
    assert len(kinds) >= 60  # about 2.5 questions a fact: most facts asked in two or three kinds


# -- vignettes -------------------------------------------------------------------------


def test_at_least_twenty_clinical_vignettes_mostly_mcq(bank: Bank) -> None:
    found = vignettes(bank)
    assert len(found) >= 20
    assert all(isinstance(q, ChoiceQuestion) for q in found)
    assert sum(q.kind == "mcq" for q in found) >= 0.6 * len(found)  # single best answer, mostly


def test_a_vignette_gives_findings_then_asks_one_question(bank: Bank) -> None:
    def sentences(text: str) -> int:
        return len(re.findall(r"[.?!](\s|$)", text))

    odd = [q.id for q in vignettes(bank) if sentences(q.prompt) < 2 or not q.prompt.rstrip().endswith("?")]
    assert odd == []
    assert [q.id for q in vignettes(bank) if q.prompt.count("?") != 1] == []


def test_most_vignettes_combine_two_sources(bank: Bank) -> None:
    found = vignettes(bank)
    assert sum(len({c.source for c in q.cite}) >= 2 for q in found) > 0.5 * len(found)


# -- currency: dates, status and context notes -------------------------------------------


def test_every_source_says_when_it_was_written(bank: Bank) -> None:
    assert {k: s.date for k, s in bank.sources.items() if not (s.date and DATE.match(s.date))} == {}
    assert bank.sources["droracle-2025"].status == "pending human review"
    assert bank.sources["her2-loss-review"].date == "undated"
    assert bank.sources[EDITORS].date == "2026-12"
    assert bank.sources[EDITORS].status == "editors' currency notes; not a primary source"


def test_context_notes_cite_the_editors_notes_and_carry_no_label(bank: Bank) -> None:
    notes = {q.id: q.context for q in bank.questions if q.context is not None}
    assert len(notes) >= 15
    assert [qid for qid, note in notes.items() if {c.source for c in note.cite} != {EDITORS}] == []
    assert [qid for qid, note in notes.items() if note.text.lower().startswith("since then")] == []


def test_the_dated_statements_the_review_named_carry_a_context_note(bank: Bank) -> None:
    assert [qid for qid in DATED if bank.question(qid).context is None] == []


def test_no_item_keys_the_superseded_second_line(bank: Bank) -> None:
    second = bank.question("treatment-second-line-after-progression")
    assert isinstance(second, ChoiceQuestion)
    assert second.answers == ("T-DXd",)
    assert "T-DM1" in {d.text for d in second.distractors}
    tdxd = re.compile(r"T-DXd|trastuzumab deruxtecan", re.I)
    rejected = [
        q.id
        for q in bank.questions
        if isinstance(q, ChoiceQuestion)
        and any("T-DM1" in a for a in q.answers)
        and any(tdxd.search(d.text) for d in q.distractors)
    ]
    assert rejected == []


# -- accepted answers and withdrawn items ------------------------------------------------


def test_percent_deletions_accept_other_spellings(bank: Bank) -> None:
    bare = [
        (q.id, answer)
        for q in bank.questions
        if isinstance(q, Cloze)
        for answer, alternatives in zip(q.answer_texts(), q.accepted(), strict=True)
        if "%" in answer and not alternatives
    ]
    assert bare == []


def test_removed_questions_are_withdrawn_with_a_reason(bank: Bank) -> None:
    ids = {q.id for q in bank.questions}
    assert len(bank.withdrawn) >= 30
    assert set(bank.withdrawn) & ids == set()
    assert [qid for qid, reason in bank.withdrawn.items() if not reason] == []
    review_removals = {"relapse-prospective-cohort-size", "biology-most-common-female-cancer-tf"}
    assert review_removals <= set(bank.withdrawn)


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="the shared source texts are not beside the repo")
def test_the_bank_is_clean_under_strict_against_the_sources() -> None:
    assert [d.concise() for d in check(REPO / "questions.yaml", sources=SHARED_SOURCES, strict=True)] == []
