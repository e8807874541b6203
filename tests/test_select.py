"""Filters, stratified sampling and seeded versions: the quiz plan."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from quiz_banks import bank_text, load

from her2quiz.bank import Bank, ChoiceQuestion, Cloze, Mcq, TrueFalse
from her2quiz.plan import PLAN_FORMAT, Plan, PlanError, read_plan
from her2quiz.select import (
    Blueprint,
    BlueprintError,
    FilterError,
    Filters,
    allocate,
    family_of,
    filter_bank,
    filter_title,
    natural_key,
    option_order,
    parse_mix,
    plan_quiz,
    read_blueprint,
    sample_questions,
)


@pytest.fixture(scope="module")
def bank60(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    """60 generated questions: 20 per topic, 12 of each kind."""
    return load(tmp_path_factory.mktemp("bank60"), bank_text(60))


@pytest.fixture
def demo(demo_bank) -> Bank:
    from her2quiz.api import require_bank

    return require_bank(demo_bank)


# -- filters -----------------------------------------------------------------------


def ids(bank: Bank) -> list[str]:
    return [q.id for q in bank.questions]


def test_no_filter_keeps_every_question(demo: Bank) -> None:
    assert filter_bank(demo, Filters()) == demo


def test_filters_and_across_or_within(demo: Bank) -> None:
    assert ids(filter_bank(demo, Filters(topics=("testing",)))) == [
        "testing-fish-properties",
        "testing-fish-some-experts",
    ]
    assert ids(filter_bank(demo, Filters(topics=("testing",), kinds=("truefalse",)))) == [
        "testing-fish-some-experts"
    ]
    assert ids(filter_bank(demo, Filters(kinds=("mcq", "basic")))) == [
        "relapse-early-peak",
        "drugs-trastuzumab-target",
    ]
    assert ids(filter_bank(demo, Filters(difficulties=("hard",)))) == ["drugs-her2-protein-size"]
    assert ids(filter_bank(demo, Filters(tags=("surgery",)))) == ["relapse-early-peak"]
    assert ids(filter_bank(demo, Filters(ids=("drugs-trastuzumab-target", "relapse-early-peak")))) == [
        "relapse-early-peak",
        "drugs-trastuzumab-target",
    ]
    assert ids(filter_bank(demo, Filters(topics=("relapse",), difficulties=("hard",)))) == []


def test_filtered_bank_keeps_the_rest(demo: Bank) -> None:
    kept = filter_bank(demo, Filters(topics=("drugs",)))
    assert kept.digest == demo.digest and kept.topics == demo.topics and kept.sources == demo.sources


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        (
            Filters(topics=("relapes",)),
            "unknown topic 'relapes' (did you mean 'relapse'?); "
            "expected one of 'relapse', 'testing' or 'drugs'",
        ),
        (
            Filters(kinds=("mqc",)),
            "unknown kind 'mqc' (did you mean 'mcq'?); "
            "expected one of 'mcq', 'multi', 'truefalse', 'cloze' or 'basic'",
        ),
        (
            Filters(difficulties=("hadr",)),
            "unknown difficulty 'hadr' (did you mean 'hard'?); expected one of 'easy', 'medium' or 'hard'",
        ),
        (
            Filters(tags=("surgey",)),
            "unknown tag 'surgey' (did you mean 'surgery'?); expected one of 'node positive' or 'surgery'",
        ),
        (
            Filters(ids=("relapse-early",)),
            "unknown question id 'relapse-early' (did you mean 'relapse-early-peak'?)",
        ),
    ],
)
def test_unknown_filter_value_says_what_was_meant(demo: Bank, filters: Filters, message: str) -> None:
    with pytest.raises(FilterError) as e:
        filter_bank(demo, filters)
    assert str(e.value) == message


def test_every_unknown_value_is_reported(demo: Bank) -> None:
    with pytest.raises(FilterError) as e:
        filter_bank(demo, Filters(topics=("nope", "relapse"), ids=("zzz",)))
    assert str(e.value).splitlines() == [
        "unknown topic 'nope'; expected one of 'relapse', 'testing' or 'drugs'",
        "unknown question id 'zzz'",
    ]


# -- sampling ----------------------------------------------------------------------


def test_allocate_is_proportional_with_largest_remainders() -> None:
    assert allocate(20, {"a": 10, "b": 5, "c": 1, "d": 1}) == {"a": 12, "b": 6, "c": 1, "d": 1}
    assert allocate(10, {"a": 20, "b": 20, "c": 20}) == {"a": 4, "b": 3, "c": 3}  # tie: first listed
    assert allocate(3, {"a": 1, "b": 7}) == {"a": 0, "b": 3}
    assert allocate(5, {"a": 5}) == {"a": 5}


@given(
    sizes=st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=8),
    data=st.data(),
)
def test_allocate_sums_to_count_and_never_exceeds_a_group(sizes: list[int], data: st.DataObject) -> None:
    groups = {f"t{i}": n for i, n in enumerate(sizes)}
    count = data.draw(st.integers(min_value=1, max_value=sum(sizes)))
    quotas = allocate(count, groups)
    assert sum(quotas.values()) == count
    for key, n in groups.items():
        exact = count * n / sum(sizes)
        assert int(exact) <= quotas[key] <= min(n, int(exact) + 1)


def test_sample_is_stratified_by_topic(bank60: Bank) -> None:
    sample = sample_questions(bank60, 20, seed=1)
    assert len(sample) == 20
    assert Counter(q.topic for q in sample) == {"relapse": 7, "testing": 7, "drugs": 6}
    assert [q.id for q in sample] == [q.id for q in bank60.questions if q in sample]  # bank order


def test_sample_depends_on_the_seed(bank60: Bank) -> None:
    assert sample_questions(bank60, 20, seed=1) == sample_questions(bank60, 20, seed=1)
    assert sample_questions(bank60, 20, seed=1) != sample_questions(bank60, 20, seed=2)


def test_count_none_or_too_big_takes_every_question(bank60: Bank) -> None:
    assert sample_questions(bank60, None, seed=1) == bank60.questions
    plan = plan_quiz(bank60, count=100, versions=1, seed=1)
    assert len(plan.versions[0].items) == 60
    assert plan.warnings == ("asked for 100 questions but only 60 are selected; using all",)


# -- versions ----------------------------------------------------------------------


def test_plan_is_a_pure_function(bank60: Bank) -> None:
    assert plan_quiz(bank60, count=20, versions=3, seed=7) == plan_quiz(bank60, count=20, versions=3, seed=7)
    assert plan_quiz(bank60, count=20, versions=3, seed=7) != plan_quiz(bank60, count=20, versions=3, seed=8)


def test_versions_share_the_sample_in_their_own_order(bank60: Bank) -> None:
    plan = plan_quiz(bank60, count=20, versions=3, seed=1)
    assert [v.label for v in plan.versions] == ["A", "B", "C"]
    orders = [[item.id for item in v.items] for v in plan.versions]
    assert sorted(orders[0]) == sorted(orders[1]) == sorted(orders[2])
    assert len({tuple(o) for o in orders}) == 3
    for version in plan.versions:
        assert [item.number for item in version.items] == list(range(1, 21))


def test_version_labels_run_to_z(bank60: Bank) -> None:
    plan = plan_quiz(bank60, count=5, versions=26, seed=1)
    assert plan.versions[-1].label == "Z"
    with pytest.raises(ValueError, match="versions must be 1 to 26"):
        plan_quiz(bank60, count=5, versions=27, seed=1)


def test_option_order_depends_only_on_seed_version_and_id(bank60: Bank) -> None:
    mcq = next(q for q in bank60.questions if isinstance(q, Mcq))
    alone = replace(bank60, questions=(mcq,))
    grown = replace(bank60, questions=(*bank60.questions, replace(mcq, id="relapse-extra")))

    def options(bank: Bank, label: str, seed: int = 1) -> tuple[str, ...]:
        plan = plan_quiz(bank, count=None, versions=3, seed=seed)
        version = next(v for v in plan.versions if v.label == label)
        return next(item.options for item in version.items if item.id == mcq.id)

    for label in "ABC":
        assert options(alone, label) == options(bank60, label) == options(grown, label)
    orders = {options(bank60, label, seed) for label in "ABC" for seed in range(1, 6)}
    assert len(orders) > 1


def test_correct_letters_point_at_the_answers(bank60: Bank) -> None:
    plan = plan_quiz(bank60, count=None, versions=4, seed=3)
    for version in plan.versions:
        for item in version.items:
            q = bank60.question(item.id)
            assert item.kind == q.kind
            if isinstance(q, ChoiceQuestion | TrueFalse):
                assert sorted(item.options) == sorted(o.text for o in q.options())
                assert sorted(text for _, text in item.letter_texts()) == sorted(q.answer_texts())
                assert list(item.correct) == sorted(item.correct)
                assert item.answers == ()
            else:
                assert item.answers == q.answer_texts() and item.options == ()


def test_truefalse_is_never_shuffled(bank60: Bank) -> None:
    plan = plan_quiz(bank60, count=None, versions=26, seed=5)
    for version in plan.versions:
        for item in version.items:
            if item.kind == "truefalse":
                assert item.options == ("True", "False")
                q = bank60.question(item.id)
                assert item.correct == (("A",) if q.answer else ("B",))


def test_cloze_answers_are_the_deletions_in_reading_order(bank60: Bank) -> None:
    item = next(
        i for i in plan_quiz(bank60, count=None, versions=1, seed=1).versions[0].items if i.kind == "cloze"
    )
    q = bank60.question(item.id)
    assert isinstance(q, Cloze)
    assert item.answers == (f"Alpha {item.id[-3:]}", f"Beta {item.id[-3:]}")


def test_sorted_options_are_in_natural_numeric_order() -> None:
    from her2quiz.bank import Citation, Distractor

    def mcq(answer: str, *distractors: str) -> Mcq:
        return Mcq(
            id="q",
            kind="mcq",
            topic="t",
            cite=(Citation("s", "x"),),
            stem="?",
            answers=(answer,),
            distractors=tuple(Distractor(d) for d in distractors),
            order="sorted",
        )

    def order(q: Mcq) -> list[str]:
        return [o.text for o in option_order(q, shuffle="1:A")]

    assert order(mcq("10 mg", "2 mg", "1.5 mg", "100 mg")) == ["1.5 mg", "2 mg", "10 mg", "100 mg"]
    assert order(mcq("500,000", "2,000,000", "50,000")) == ["50,000", "500,000", "2,000,000"]
    assert order(mcq("-5", "3", "−10", "0")) == ["−10", "-5", "0", "3"]
    assert order(mcq("15-20%", "1-5%", "30-40%", "50-60%")) == ["1-5%", "15-20%", "30-40%", "50-60%"]
    assert order(mcq("Years 5 to 10", "The first 4 years", "After 10 years")) == [
        "After 10 years",
        "The first 4 years",
        "Years 5 to 10",
    ]
    assert natural_key("Week 2") < natural_key("week 10")


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(min_value=-(10**9), max_value=10**9),
    count=st.integers(1, 60),
    versions=st.integers(1, 5),
)
def test_every_version_is_a_permutation_of_one_sample(
    bank60: Bank, seed: int, count: int, versions: int
) -> None:
    bank = bank60
    plan = plan_quiz(bank, count=count, versions=versions, seed=seed)
    sample = {q.id for q in sample_questions(bank, count, seed)}
    assert len(sample) == count
    for version in plan.versions:
        assert {item.id for item in version.items} == sample
        for item in version.items:
            assert all(
                item.options[ord(x) - 65] in bank.question(item.id).answer_texts() for x in item.correct
            )


# -- the plan as JSON --------------------------------------------------------------


def test_plan_json_has_the_documented_shape(demo: Bank, tmp_path) -> None:
    plan = plan_quiz(demo, count=None, versions=2, seed=1)
    path = tmp_path / "out" / "plan.json"
    path.parent.mkdir()
    path.write_text(plan.to_json(), encoding="utf-8")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == plan.to_dict()
    assert list(data) == ["format", "bank_id", "bank", "seed", "versions"]
    assert data["format"] == PLAN_FORMAT and data["bank_id"] == demo.id
    assert data["seed"] == 1 and data["bank"] == demo.short_hash and len(data["bank"]) == 8
    assert [v["label"] for v in data["versions"]] == ["A", "B"]
    by_kind = {item["kind"]: item for item in data["versions"][0]["items"]}
    assert list(by_kind["mcq"]) == ["number", "id", "kind", "options", "correct", "points"]
    assert by_kind["mcq"]["options"] == [
        "After 10 years",
        "The first 4 years",
        "The first 6 months",
        "Years 5 to 10",
    ]
    assert by_kind["mcq"]["correct"] == ["B"]  # order: sorted
    assert by_kind["truefalse"]["options"] == ["True", "False"] and by_kind["truefalse"]["correct"] == ["A"]
    assert sorted(by_kind["multi"]["options"][ord(x) - 65] for x in by_kind["multi"]["correct"]) == [
        "Less dependent on tissue fixation",
        "More reproducible between laboratories",
    ]
    assert by_kind["cloze"] == {
        "number": by_kind["cloze"]["number"],
        "id": "drugs-her2-protein-size",
        "kind": "cloze",
        "answers": ["185-kd", "tyrosine kinase"],
        "accepted": [[], []],
        "points": 2,
    }
    assert by_kind["basic"]["answers"] == ["The extracellular domain"]


def test_plan_json_reads_back_into_the_same_plan(demo: Bank, tmp_path) -> None:
    plan = plan_quiz(demo, count=3, versions=3, seed=9)
    path = tmp_path / "plan.json"
    path.write_text(plan.to_json(), encoding="utf-8")
    assert read_plan(path) == plan
    assert plan_quiz(demo, count=3, versions=3, seed=9).to_json() == plan.to_json()  # reproducible


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.pop("format"), "plan format None; this her2quiz reads format 2"),
        (lambda d: d["versions"][0].update(label="AA"), "versions[0].label is 'AA'; expected a letter A-Z"),
        (lambda d: d["versions"][0]["items"][0].update(kind="essay"), "versions[0].items[0].kind is 'essay'"),
        (lambda d: d["versions"][0]["items"][0].update(number=7), "items are not numbered 1 to"),
        (lambda d: d.update(seed="1"), "'seed' must be a whole number"),
    ],
)
def test_a_damaged_plan_is_refused_naming_the_field(demo: Bank, tmp_path, edit, message) -> None:
    data = plan_quiz(demo, count=None, versions=1, seed=1).to_dict()
    edit(data)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        read_plan(path)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)


def test_a_plan_that_is_not_json_is_refused_at_its_line_and_column(tmp_path) -> None:
    path = tmp_path / "plan.json"
    path.write_text('{\n  "format": 2,\n  oops\n}', encoding="utf-8")
    with pytest.raises(PlanError, match=r"plan.json:3:3: not JSON"):
        read_plan(path)


def test_plan_is_plain_frozen_data(demo: Bank) -> None:
    plan = plan_quiz(demo, count=None, versions=1, seed=1)
    assert isinstance(plan, Plan)
    with pytest.raises(AttributeError):
        plan.seed = 2  # type: ignore[misc]


# -- families and blueprints ---------------------------------------------------------

MIX = "mcq=4,multi=3,truefalse=3,cloze=3,basic=2"
LEVEL_MIX = "easy=5,medium=5,hard=5"
TOPIC_MIX = "relapse=6,testing=5,drugs=4"


@pytest.fixture(scope="module")
def families60(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    """60 generated questions in 30 families of two, each family across topics and kinds."""
    return load(tmp_path_factory.mktemp("families60"), bank_text(60, families=30))


def counts(bank: Bank, ids: list[str]) -> tuple[Counter[str], Counter[str], Counter[str]]:
    questions = [bank.question(i) for i in ids]
    return (
        Counter(q.kind for q in questions),
        Counter(q.difficulty or "unrated" for q in questions),
        Counter(q.topic for q in questions),
    )


def blueprint(kinds: str = "", levels: str = "", topics: str = "") -> Blueprint:
    return Blueprint(
        parse_mix(kinds, "--mix") if kinds else (),
        parse_mix(levels, "--difficulty-mix") if levels else (),
        parse_mix(topics, "--topic-mix") if topics else (),
    )


def test_a_blueprint_is_met_exactly_for_seeds_1_to_20(families60: Bank) -> None:
    wanted = blueprint(MIX, LEVEL_MIX, TOPIC_MIX)
    samples = set()
    for seed in range(1, 21):
        plan = plan_quiz(families60, count=15, versions=2, seed=seed, blueprint=wanted)
        for version in plan.versions:
            ids = [item.id for item in version.items]
            kinds, levels, topics = counts(families60, ids)
            assert kinds == dict(parse_mix(MIX, "")), seed
            assert levels == dict(parse_mix(LEVEL_MIX, "")), seed
            assert topics == dict(parse_mix(TOPIC_MIX, "")), seed
            families = [families60.question(i).family for i in ids]
            assert len(set(families)) == len(families) == 15, seed
        assert plan == plan_quiz(families60, count=15, versions=2, seed=seed, blueprint=wanted)
        samples.add(frozenset(plan.ids))
    assert len(samples) == 20  # the seed still decides which questions


def test_the_blueprint_gives_the_count_when_none_is_asked(families60: Bank) -> None:
    plan = plan_quiz(families60, count=None, versions=1, seed=3, blueprint=blueprint("mcq=2,cloze=3"))
    assert counts(families60, list(plan.ids))[0] == {"mcq": 2, "cloze": 3}
    assert plan.warnings == ()


@pytest.mark.parametrize(
    ("wanted", "count", "message"),
    [
        (
            blueprint("truefalse=7"),
            7,
            "kind truefalse=7 cannot be met: the selected questions hold 12 truefalse questions in only "
            "6 families (questions on one fact), and a quiz takes one of each",
        ),
        (
            blueprint("mcq=5,cloze=5", "easy=10"),
            10,
            "the kind mix (mcq=5, cloze=5) and the difficulty mix (easy=10) cannot be met together: "
            "difficulty easy=10, but only 9 of the selected easy questions are mcq or cloze",
        ),
        (
            blueprint("mcq=4,cloze=4"),
            10,
            "the kind mix (mcq=4, cloze=4) sums to 8 questions, not 10; "
            "every mix must add up to the number of questions",
        ),
        (
            blueprint("mcq=31"),
            None,
            "31 questions cannot be met: the 60 selected questions hold 30 families "
            "(questions on one fact), and a quiz takes one of each",
        ),
        (
            blueprint("mqc=2", "", "relapes=2"),
            2,
            "unknown kind 'mqc' in the kind mix (did you mean 'mcq'?); "
            "expected one of 'mcq', 'multi', 'truefalse', 'cloze' or 'basic'\n"
            "unknown topic 'relapes' in the topic mix (did you mean 'relapse'?); "
            "expected one of 'relapse', 'testing' or 'drugs'",
        ),
    ],
)
def test_an_unmeetable_blueprint_is_refused_with_its_reason(
    families60: Bank, wanted: Blueprint, count: int | None, message: str
) -> None:
    with pytest.raises(BlueprintError) as caught:
        plan_quiz(families60, count=count, versions=1, seed=1, blueprint=wanted)
    assert str(caught.value) == message


def test_two_maps_that_cannot_hold_at_once_are_named_with_the_most_that_can(tmp_path) -> None:
    """Each count alone can be met, and each value has questions enough, but not together:
    the three mcq are easy, hard, easy and the multi easy, hard, medium."""
    bank = load(tmp_path, bank_text(15, families=15))
    with pytest.raises(BlueprintError) as caught:
        plan_quiz(
            bank, count=4, versions=1, seed=1, blueprint=blueprint("mcq=3,multi=1", "easy=1,hard=2,medium=1")
        )
    assert str(caught.value) == (
        "the kind mix (mcq=3, multi=1) and the difficulty mix (easy=1, hard=2, medium=1) cannot be met "
        "together: at most 3 of the selected questions fit both"
    )
    assert plan_quiz(
        bank, count=4, versions=1, seed=1, blueprint=blueprint("mcq=2,multi=2", "easy=1,hard=2,medium=1")
    )


def test_a_conflict_of_three_maps_is_found_by_searching(tmp_path) -> None:
    """Every pair of maps can be met, but not all three: the mcq of relapse and of testing
    (questions 1 and 11) are both easy, and the only hard mcq (6) is on drugs."""
    bank = load(tmp_path, bank_text(15, families=15))
    wanted = blueprint("mcq=2", "easy=1,hard=1", "relapse=1,testing=1")
    with pytest.raises(BlueprintError) as caught:
        plan_quiz(bank, count=2, versions=1, seed=1, blueprint=wanted)
    assert str(caught.value) == (
        "the kind mix (mcq=2) and the difficulty mix (easy=1, hard=1) and the topic mix (relapse=1, "
        "testing=1) cannot be met together: no 2 of the selected questions have them all"
    )
    for pair in (blueprint("mcq=2", "easy=1,hard=1"), blueprint("mcq=2", "", "relapse=1,testing=1")):
        assert plan_quiz(bank, count=2, versions=1, seed=1, blueprint=pair)
    met = plan_quiz(
        bank, count=2, versions=1, seed=1, blueprint=blueprint("mcq=2", "easy=1,hard=1", "drugs=1,testing=1")
    )
    assert sorted(met.ids) == ["drugs-q006", "testing-q011"]


def test_without_a_blueprint_no_two_questions_share_a_family(families60: Bank) -> None:
    for seed in range(1, 21):
        sample = sample_questions(families60, 20, seed)
        families = [q.family for q in sample]
        assert len(sample) == 20 and len(set(families)) == 20, seed
    whole = plan_quiz(families60, count=None, versions=1, seed=1)
    assert len(whole.ids) == 30
    assert whole.warnings == (
        "the 60 selected questions hold 30 families (questions on one fact); using one question of each, 30 in all",
    )
    too_many = plan_quiz(families60, count=40, versions=1, seed=1)
    assert too_many.warnings == (
        "asked for 40 questions but only 60 are selected, in 30 families (questions on one fact); "
        "using one question of each, 30 in all",
    )
    reference = plan_quiz(families60, count=None, versions=1, seed=1, apart=False)
    assert len(reference.ids) == 60 and reference.warnings == ()


def test_a_question_without_a_family_is_its_own(bank60: Bank) -> None:
    assert all(q.family is None for q in bank60.questions)
    assert len(sample_questions(bank60, None, seed=1)) == 60


def test_stratification_with_families_follows_the_families_per_topic(tmp_path) -> None:
    """Two drugs questions share a family: the topics' shares are of 10, 10 and 9 families."""
    extra = [
        {**question, "family": "shared"}
        for question in yaml.safe_load(bank_text(6))["questions"]
        if question["topic"] == "drugs"
    ]
    assert [q["id"] for q in extra] == ["drugs-q003", "drugs-q006"]
    text = bank_text(30).replace("drugs-q003", "x").replace("drugs-q006", "y")
    data = yaml.safe_load(text)
    data["questions"] = [q for q in data["questions"] if q["id"] not in ("x", "y")] + extra
    bank = load(tmp_path, yaml.safe_dump(data, sort_keys=False))
    sample = sample_questions(bank, 13, seed=2)
    assert Counter(q.topic for q in sample) == allocate(13, {"relapse": 10, "testing": 10, "drugs": 9})
    assert sum(q.family == "shared" for q in sample) <= 1


def test_seeds_1_to_20_keep_families_apart_on_every_topic_of_the_real_bank() -> None:
    """The HER2 bank itself: a 20-question quiz on one topic never holds two of one family."""
    bank = real_bank()
    for topic in bank.topics:
        selected = filter_bank(bank, Filters(topics=(topic,)))
        for seed in range(1, 21):
            plan = plan_quiz(selected, count=20, versions=2, seed=seed)
            for version in plan.versions:
                families = [family_of(selected.question(item.id)) for item in version.items]
                assert len(set(families)) == len(families), (topic, seed, version.label)
                assert len(families) == min(20, len({family_of(q) for q in selected.questions}))


def test_a_blueprint_is_met_exactly_on_the_real_bank_for_seeds_1_to_20() -> None:
    bank = real_bank()
    wanted = blueprint("mcq=12,truefalse=4,cloze=4", "easy=6,medium=8,hard=6")
    for seed in range(1, 21):
        plan = plan_quiz(bank, count=20, versions=1, seed=seed, blueprint=wanted)
        ids = list(plan.ids)
        kinds, levels, _ = counts(bank, ids)
        assert kinds == {"mcq": 12, "truefalse": 4, "cloze": 4}, seed
        assert levels == {"easy": 6, "medium": 8, "hard": 6}, seed
        families = [family_of(bank.question(i)) for i in ids]
        assert len(set(families)) == 20, seed


def real_bank() -> Bank:
    from her2quiz.api import require_bank

    from conftest import REPO, SHARED_SOURCES

    if not SHARED_SOURCES.is_dir():
        pytest.skip("../shared/sources is not here")
    return require_bank(REPO / "questions.yaml", sources=SHARED_SOURCES)


# -- reading blueprints --------------------------------------------------------------


def test_mixes_parse_and_refuse_what_they_cannot_read() -> None:
    assert parse_mix("mcq=12, truefalse=4,cloze=0", "--mix") == (("mcq", 12), ("truefalse", 4), ("cloze", 0))
    for text, message in [
        ("mcq12", "--mix: 'mcq12' is not NAME=COUNT"),
        ("mcq=x", "--mix: the count of 'mcq' must be a whole number, not 'x'"),
        ("mcq=1,mcq=2", "--mix: 'mcq' is given twice"),
        (" , ", "--mix: no NAME=COUNT given"),
    ]:
        with pytest.raises(BlueprintError) as caught:
            parse_mix(text, "--mix")
        assert str(caught.value) == message


def test_a_blueprint_file_in_yaml_or_json() -> None:
    yaml_text = b"count: 6\nkinds: {mcq: 4, cloze: 2}\ndifficulties:\n  easy: 3\n  hard: 3\n"
    json_text = b'{"count": 6, "kinds": {"mcq": 4, "cloze": 2}, "difficulties": {"easy": 3, "hard": 3}}'
    expected = Blueprint((("mcq", 4), ("cloze", 2)), (("easy", 3), ("hard", 3)), (), 6)
    assert read_blueprint(yaml_text, "b.yaml") == read_blueprint(json_text, "b.json") == expected
    assert expected.total(None) == 6
    with pytest.raises(BlueprintError, match="the blueprint is for 6 questions but 8 are asked for"):
        expected.total(8)
    replaced = expected.replaced_by(Blueprint(topics=(("drugs", 6),)))
    assert replaced.topics == (("drugs", 6),) and replaced.kinds == expected.kinds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"kinds: {mcq: 4}\ndificulties: {easy: 4}\n",
         "b.yaml:2:1: unknown key 'dificulties' (did you mean 'difficulties'?); "
         "expected 'count', 'kinds', 'difficulties' or 'topics'"),
        (b"kinds:\n  mcq: four\n", "b.yaml:2:8: 'kinds: mcq' must be a whole number from 0, not four"),
        (b"kinds: [mcq]\n", "b.yaml:1:8: 'kinds' must map names to counts, e.g. {mcq: 12, cloze: 4}"),
        (b"count: 0\nkinds: {mcq: 0}\n", "b.yaml:1:8: 'count' must be a whole number from 1, not 0"),
        (b"kinds: {mcq: 4\n", "b.yaml:2:1: YAML syntax error"),
        (b"kinds: {mcq: 4, mcq: 5}\n", "b.yaml:1:17: duplicate key 'mcq'"),
        (b"- mcq\n", "b.yaml:1:1: a blueprint is a mapping of count, kinds, difficulties and topics"),
        (b"count: 4\n", "b.yaml:1:1: the blueprint gives none of kinds, difficulties or topics"),
    ],
)  # fmt: skip
def test_a_bad_blueprint_file_is_refused_at_its_line_and_column(text: bytes, message: str) -> None:
    with pytest.raises(BlueprintError) as caught:
        read_blueprint(text, "b.yaml")
    assert str(caught.value).startswith(message)


def test_the_title_names_the_filters(demo: Bank) -> None:
    assert filter_title(demo, Filters()) == ""
    assert filter_title(demo, Filters(topics=("testing",))) == "Testing methods"
    assert (
        filter_title(demo, Filters(topics=("testing", "drugs"), difficulties=("hard",), kinds=("cloze",)))
        == "Testing methods, Drug mechanisms · hard · fill in the blanks"
    )
    assert filter_title(demo, Filters(tags=("surgery",), ids=("x",))) == "tagged surgery · selected questions"


def test_filter_values_match_whatever_their_case(demo: Bank) -> None:
    upper = filter_bank(demo, Filters(topics=("Testing",), kinds=("MULTI", "TrueFalse")))
    lower = filter_bank(demo, Filters(topics=("testing",), kinds=("multi", "truefalse")))
    assert [q.id for q in upper.questions] == [q.id for q in lower.questions] != []
