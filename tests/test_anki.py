"""The Anki package, checked against the real Anki engine (the `anki` package from PyPI):
import, render, review, rebuild, re-import."""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import time
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from anki.collection import Collection
from anki.dbproxy import DBProxy
from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.notes import Note as AnkiNote

if TYPE_CHECKING:
    from anki.cards import CardId  # importing it before anki.collection is circular
from click.testing import CliRunner

from her2quiz import api, select
from her2quiz.api import require_bank
from her2quiz.bank import Bank, ChoiceQuestion, Option
from her2quiz.cli import main
from her2quiz.cloze import CLOZE
from her2quiz.formats import anki as deck_module
from her2quiz.formats.anki import ANKI_SHUFFLE, NOTETYPES, BuildResult, LockError, build_deck
from her2quiz.lock import read_lock, write_lock

EPOCH = 1_767_225_600  # 2026-01-01T00:00:00Z
REPO = Path(__file__).parent.parent
REPO_BANK = REPO / "questions.yaml"
REPO_SOURCES = REPO.parent / "shared" / "sources"
LATER = EPOCH + 86_400


# --- helpers ------------------------------------------------------------------------------


def build(bank_path: Path, epoch: int | None = EPOCH, bank: Bank | None = None) -> BuildResult:
    bank = bank or require_bank(bank_path)
    out = bank_path.parent / "decks" / f"{bank.id}.apkg"
    return build_deck(bank, out, lock_path=bank_path.parent / "questions.lock", epoch=epoch)


def import_package(col: Collection, path: Path) -> dict[str, int]:
    """Import as Anki's import dialog does by default; the counts of what happened."""
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    log = col.import_anki_package(request).log
    return {k: len(getattr(log, k)) for k in ("new", "updated", "duplicate", "conflicting")}


def text_of(rendered: str) -> str:
    """What a learner reads: the rendered HTML without its style sheet and tags."""
    body = re.sub(r"<(style|script)>.*?</\1>", "", rendered, flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def edit(bank_path: Path, old: str, new: str) -> None:
    text = bank_path.read_text(encoding="utf-8")
    assert old in text
    bank_path.write_text(text.replace(old, new), encoding="utf-8")


def notes_by_id(col: Collection) -> dict[str, AnkiNote]:
    return {col.get_note(nid)["Id"]: col.get_note(nid) for nid in col.find_notes("")}


def sql(col: Collection) -> DBProxy:
    assert col.db is not None
    return col.db


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    folder = tmp_path / "learner"
    folder.mkdir()
    collection = Collection(str(folder / "collection.anki2"))
    yield collection
    collection.close()


@pytest.fixture
def built(demo_bank: Path) -> BuildResult:
    return build(demo_bank)


# --- what a fresh import contains -----------------------------------------------------------


def test_build_reports_notes_cards_and_what_is_new(built: BuildResult, demo_bank: Path) -> None:
    assert built == BuildResult(demo_bank.parent / "decks" / "demo.apkg", 5, 6, 5, 0)


def test_fresh_import_has_one_note_per_question_and_one_card_per_question_or_cloze_number(
    built: BuildResult, col: Collection
) -> None:
    assert import_package(col, built.path) == {"new": 5, "updated": 0, "duplicate": 0, "conflicting": 0}
    cards: dict[str, list[int]] = {}
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        cards.setdefault(card.note()["Id"], []).append(card.ord)
    assert {k: sorted(v) for k, v in cards.items()} == {
        "relapse-early-peak": [0],
        "testing-fish-properties": [0],
        "testing-fish-some-experts": [0],
        "drugs-her2-protein-size": [0, 1],
        "drugs-trastuzumab-target": [0],
    }


def test_every_card_renders_its_question_front_and_back(
    built: BuildResult, col: Collection, demo_bank: Path
) -> None:
    import_package(col, built.path)
    bank = require_bank(demo_bank)
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        q = bank.question(card.note()["Id"])
        visible = CLOZE.split(q.prompt)[0].strip()  # the whole prompt, or the text before a blank
        front, back = text_of(card.question()), text_of(card.answer())
        assert visible in front and visible in back
        assert "error" not in (front + back).lower()  # Anki shows template problems as text
        assert q.explain and q.explain in back
        assert "Demo source for the her2quiz test suite (2026)." in back
        assert f"“{q.cite[0].quote}”" in back
        assert q.explain not in front


def test_decks_are_the_root_and_a_subdeck_per_topic(built: BuildResult, col: Collection) -> None:
    import_package(col, built.path)
    decks = {n.name for n in col.decks.all_names_and_ids()}
    assert {
        "Demo Deck",
        "Demo Deck::Relapse timing",
        "Demo Deck::Testing methods",
        "Demo Deck::Drug mechanisms",
    } <= decks
    where = {col.get_card(c).note()["Id"]: col.decks.name(col.get_card(c).did) for c in col.find_cards("")}
    assert where == {
        "relapse-early-peak": "Demo Deck::Relapse timing",
        "testing-fish-properties": "Demo Deck::Testing methods",
        "testing-fish-some-experts": "Demo Deck::Testing methods",
        "drugs-her2-protein-size": "Demo Deck::Drug mechanisms",
        "drugs-trastuzumab-target": "Demo Deck::Drug mechanisms",
    }


def test_tags_are_namespaced_plus_the_questions_own(built: BuildResult, col: Collection) -> None:
    import_package(col, built.path)
    note = notes_by_id(col)["relapse-early-peak"]
    assert sorted(note.tags) == [
        "demo::difficulty::easy",
        "demo::kind::mcq",
        "demo::source::demo",
        "demo::tag::node_positive",
        "demo::tag::surgery",
        "demo::topic::relapse",
    ]
    assert sorted(notes_by_id(col)["drugs-her2-protein-size"].tags) == [
        "demo::difficulty::hard",
        "demo::kind::cloze",
        "demo::source::demo",
        "demo::topic::drugs",
    ]


def test_note_types_have_fixed_ids_frozen_fields_and_stable_guids(
    built: BuildResult, col: Collection
) -> None:
    import_package(col, built.path)
    ours = {m["name"]: m for m in col.models.all() if m["name"].endswith("(demo)")}
    # Changing any of these breaks every learner's deck: update this test only on purpose.
    assert {name: (m["id"], [f["name"] for f in m["flds"]]) for name, m in ours.items()} == {
        "Basic (demo)": (1568027743, ["Id", "Front", "Back", "Explanation", "Source", "Extra"]),
        "Cloze (demo)": (1924267481, ["Id", "Text", "Explanation", "Source", "Extra"]),
        "MCQ (demo)": (
            1725336104,
            ["Id", "Kind", "Question", "Options", "Answer", "Why", "Explanation", "Source", "Extra"],
        ),
    }
    assert [t["name"] for t in ours["Cloze (demo)"]["tmpls"]] == ["Cloze"]
    assert [t["name"] for t in ours["MCQ (demo)"]["tmpls"]] == ["Card 1"]
    assert notes_by_id(col)["relapse-early-peak"].guid == "spw5<1g{}["
    # Extra is the learner's field: the editor shows the update rule in it while it is empty.
    for m in ours.values():
        extra = next(f for f in m["flds"] if f["name"] == "Extra")
        assert extra["description"] == deck_module.EXTRA_RULE
        assert "replaces every field, this one too" in extra["description"]


OPTION_ROW = re.compile(r'<li class="h2q-opt" data-o="(\d+)"><span class="h2q-letter">([A-Z])</span>')


def test_mcq_stores_plain_options_and_names_the_correct_ones_only_in_answer(
    built: BuildResult, col: Collection
) -> None:
    import_package(col, built.path)
    note = notes_by_id(col)["relapse-early-peak"]
    # order: sorted -> natural order, kept by the script; every row has the same markup
    assert note["Options"] == (
        '<ol class="h2q-options" data-order="fixed">'
        '<li class="h2q-opt" data-o="0"><span class="h2q-letter">A</span>'
        '<span class="h2q-text">After 10 years</span></li>'
        '<li class="h2q-opt" data-o="1"><span class="h2q-letter">B</span>'
        '<span class="h2q-text">The first 4 years</span></li>'
        '<li class="h2q-opt" data-o="2"><span class="h2q-letter">C</span>'
        '<span class="h2q-text">The first 6 months</span></li>'
        '<li class="h2q-opt" data-o="3"><span class="h2q-letter">D</span>'
        '<span class="h2q-text">Years 5 to 10</span></li>'
        "</ol>"
    )
    assert note["Answer"] == (
        '<div class="h2q-keyed" data-o="1"><b class="h2q-key">B.</b> '
        '<span class="h2q-text">The first 4 years</span></div>'
    )
    card = note.cards()[0]
    front, back = text_of(card.question()), text_of(card.answer())
    assert "The peak falls within" not in front
    assert "The first 4 years" in front  # as an option, like the others
    # Without a script the back still says which (in the stored order's letters).
    assert (
        "Answer B. The first 4 years Why not D. Years 5 to 10 The peak falls within the first 4 years" in back
    )
    assert 'class="h2q-back"' in card.answer()
    assert "h2q-correct" in card.answer()  # the back's script marks it
    assert card.answer().count("var H2Q_SHUFFLE = true;") == 1  # the front's script, once, via FrontSide


def test_no_mcq_front_holds_a_marker_of_its_answer(
    built: BuildResult, col: Collection, demo_bank: Path, tmp_path: Path
) -> None:
    """Every choice card of the demo bank and of the HER2 bank, as the engine renders it."""
    her2 = require_bank(REPO_BANK, sources=REPO_SOURCES)
    import_package(col, built.path)
    import_package(
        col, build_deck(her2, tmp_path / "her2.apkg", lock_path=tmp_path / "her2.lock", epoch=EPOCH).path
    )
    banks = {"demo": require_bank(demo_bank), "her2": her2}
    checked = 0
    correct_places: set[int] = set()
    for cid in col.find_cards("note:MCQ*"):
        card = col.get_card(cid)
        note = card.note()
        notetype = note.note_type()
        assert notetype is not None
        q = banks[notetype["name"].split("(")[1].rstrip(")")].question(note["Id"])
        # the style sheet names .h2q-correct for the back: look at the card's own markup
        front = re.sub(r"<style>.*?</style>", "", card.question(), flags=re.DOTALL)
        assert "h2q-correct" not in front
        assert "correct" not in " ".join(re.findall(r"<[a-z][^>]*>", front)).lower()  # no class, no attribute
        assert note["Answer"] and note["Answer"] not in front
        assert "h2q-keyed" not in front and "h2q-key" not in front
        rows = OPTION_ROW.findall(front)
        options = select.option_order(q, shuffle=ANKI_SHUFFLE)  # type: ignore[arg-type]
        assert [int(place) for place, _ in rows] == list(range(len(options)))
        assert [letter for _, letter in rows] == [chr(65 + i) for i in range(len(options))]
        assert front.count("<li") == len(options)  # no other row, no other markup for one of them
        correct_places |= {i for i, o in enumerate(options) if o.correct}
        checked += 1
    assert checked >= 100
    assert len(correct_places) >= 4  # the stored order does not put the answer in one place


def test_multi_and_truefalse_options(built: BuildResult, col: Collection, demo_bank: Path) -> None:
    import_package(col, built.path)
    notes = notes_by_id(col)
    multi = notes["testing-fish-properties"]
    assert multi["Kind"] == "multi"
    assert 'data-order="shuffle"' in multi["Options"]
    assert "correct" not in multi["Options"]
    assert multi["Answer"].count('class="h2q-keyed"') == 2
    back = text_of(multi.cards()[0].answer())
    q = require_bank(demo_bank).question("testing-fish-properties")
    assert isinstance(q, ChoiceQuestion)
    stored = option_order(q)
    named = " ".join(f"{chr(65 + i)}. {o.text}" for i, o in enumerate(stored) if o.correct)
    assert f"Answer {named} Why not" in back
    tf = notes["testing-fish-some-experts"]
    assert tf["Kind"] == "truefalse"
    assert text_of(tf["Options"]) == "A True B False"
    assert 'data-order="fixed"' in tf["Options"]  # true/false never shuffles
    assert text_of(tf["Answer"]) == "A. True"


def test_cloze_keeps_hints_and_reveals_each_number(built: BuildResult, col: Collection) -> None:
    import_package(col, built.path)
    c1, c2 = sorted(notes_by_id(col)["drugs-her2-protein-size"].cards(), key=lambda c: c.ord)
    assert "The HER2 protein is a [...] glycoprotein with tyrosine kinase activity." in text_of(c1.question())
    assert "The HER2 protein is a 185-kd glycoprotein with [enzyme] activity." in text_of(c2.question())
    assert "with tyrosine kinase activity" in text_of(c2.answer())


def option_order(q: ChoiceQuestion) -> list[Option]:
    """The order the deck stores a question's options in."""
    return list(select.option_order(q, shuffle=ANKI_SHUFFLE))


def test_option_order_depends_only_on_the_question_id(demo_bank: Path) -> None:
    bank = require_bank(demo_bank)
    q = bank.question("testing-fish-properties")
    assert isinstance(q, ChoiceQuestion)
    renamed = dataclasses.replace(q, id="another-id")
    assert [o.text for o in option_order(q)] == [
        o.text for o in option_order(dataclasses.replace(q, topic="drugs"))
    ]
    orders = {
        tuple(o.text for o in option_order(dataclasses.replace(renamed, id=f"q-{i}"))) for i in range(30)
    }
    assert len(orders) > 1  # it does shuffle


def test_sorted_options_are_in_the_same_order_as_on_the_printed_quiz(write_bank: Callable[..., Path]) -> None:
    bank = require_bank(write_bank(DOSES))
    q = bank.question("drugs-doses")
    assert isinstance(q, ChoiceQuestion)
    assert [o.text for o in option_order(q)] == ["1.5 mg", "2 mg", "10 mg", "**20** mg", "1,000 mg"]
    assert option_order(q) == list(select.option_order(q, shuffle="1:A"))  # the printed quiz's


DOSES = """\
bank: {id: demo, title: Demo, deck: Demo Deck}
topics: {drugs: Drugs}
sources:
  demo: {cite: Demo, file: demo.txt}
questions:
  - id: drugs-doses
    kind: mcq
    topic: drugs
    stem: Which dose?
    answer: 10 mg
    distractors: ["1,000 mg", "2 mg", "1.5 mg", "**20** mg"]
    order: sorted
    explain: Because.
    cite:
      - source: demo
        quote: Lapatinib is a small molecule
"""


def test_quotes_from_one_source_are_listed_under_one_citation(write_bank: Callable[..., Path]) -> None:
    bank = require_bank(write_bank(TWO_QUOTES))
    note = deck_module.note_for(bank, bank.question("drugs-two-quotes"))
    source = note.fields[NOTETYPES["basic"].fields.index("Source")]
    assert source == (
        '<ul class="h2q-cites"><li><div class="h2q-ref">Demo source &amp; co.</div>'
        '<div class="h2q-quote">“Lapatinib is a small molecule”</div>'
        '<div class="h2q-quote">“Trastuzumab is a humanized monoclonal antibody”</div></li></ul>'
    )


TWO_QUOTES = """\
bank: {id: demo, title: Demo, deck: Demo Deck}
topics: {drugs: Drugs}
sources:
  demo: {cite: Demo source & co., file: demo.txt}
questions:
  - id: drugs-two-quotes
    kind: basic
    topic: drugs
    stem: Name a small molecule and an antibody.
    answer: Lapatinib; trastuzumab
    explain: Both are in the source.
    cite:
      - source: demo
        quote: Lapatinib is a small molecule
      - source: demo
        quote: Trastuzumab is a humanized monoclonal antibody
"""


# --- re-import: the learner's workflow ---------------------------------------------------------


def review_first_card(col: Collection) -> tuple[CardId, int]:
    cid = sorted(col.find_cards("Id:relapse-early-peak"))[0]
    card = col.get_card(cid)
    card.start_timer()
    col.sched.answerCard(card, 3)
    return cid, len(col.find_cards("-is:new"))


def test_unchanged_rebuild_reimports_with_nothing_new_or_updated(
    built: BuildResult, col: Collection, demo_bank: Path
) -> None:
    import_package(col, built.path)
    cid, reviewed = review_first_card(col)
    again = build(demo_bank, epoch=LATER)
    assert (again.new, again.changed) == (0, 0)
    assert import_package(col, again.path) == {"new": 0, "updated": 0, "duplicate": 5, "conflicting": 0}
    assert sql(col).scalar("select count() from revlog where cid = ?", cid) == 1
    assert len(col.find_cards("-is:new")) == reviewed == 1


def test_editing_one_question_updates_exactly_that_note_and_keeps_its_history(
    built: BuildResult, col: Collection, demo_bank: Path
) -> None:
    import_package(col, built.path)
    cid, _ = review_first_card(col)
    card_ids = sorted(col.find_cards(""))
    edit(demo_bank, "show an early peak of relapses?", "show an **early peak** of relapses?")
    again = build(demo_bank, epoch=LATER)
    assert (again.new, again.changed) == (0, 1)
    assert import_package(col, again.path) == {"new": 0, "updated": 1, "duplicate": 4, "conflicting": 0}
    assert sorted(col.find_cards("")) == card_ids
    assert sql(col).scalar("select count() from revlog where cid = ?", cid) == 1
    note = notes_by_id(col)["relapse-early-peak"]
    assert "show an <b>early peak</b> of relapses?" in note["Question"]
    assert note.mod == LATER
    assert col.get_card(cid).type == 1  # still in learning, not reset


def test_a_new_cloze_number_adds_one_card_to_the_existing_note(
    built: BuildResult, col: Collection, demo_bank: Path
) -> None:
    import_package(col, built.path)
    edit(demo_bank, "{{c1::185-kd}} glycoprotein with", "{{c1::185-kd}} {{c3::glycoprotein}} with")
    assert import_package(col, build(demo_bank, epoch=LATER).path)["updated"] == 1
    note = notes_by_id(col)["drugs-her2-protein-size"]
    assert sorted(c.ord for c in note.cards()) == [0, 1, 2]


def test_a_changed_question_moves_forward_even_when_the_epoch_goes_back(
    built: BuildResult, col: Collection, demo_bank: Path
) -> None:
    import_package(col, built.path)
    edit(demo_bank, "Which part of HER2", "Which domain of HER2")
    assert import_package(col, build(demo_bank, epoch=EPOCH - 3600).path)["updated"] == 1
    assert notes_by_id(col)["drugs-trastuzumab-target"].mod == EPOCH + 1


@pytest.mark.parametrize("part", ["css", "front", "back"])
def test_changing_css_or_a_template_updates_the_note_type_in_place(
    built: BuildResult, col: Collection, demo_bank: Path, monkeypatch: pytest.MonkeyPatch, part: str
) -> None:
    import_package(col, built.path)
    before = {(n.id, n.name) for n in col.models.all_names_and_ids()}
    original = getattr(deck_module.NoteType, part)
    marker = "<!-- v2 -->" if part != "css" else "/* v2 */"
    monkeypatch.setattr(deck_module.NoteType, part, lambda self: original(self) + marker)
    again = build(demo_bank, epoch=LATER)
    assert (again.new, again.changed) == (0, 0)
    assert import_package(col, again.path) == {"new": 0, "updated": 0, "duplicate": 5, "conflicting": 0}
    assert {(n.id, n.name) for n in col.models.all_names_and_ids()} == before  # no "MCQ (demo)+" copy
    assert sql(col).scalar("select mtime_secs from notetypes where id = ?", 1725336104) == LATER
    card = notes_by_id(col)["relapse-early-peak"].cards()[0]
    assert marker in (card.answer() if part == "back" else card.question())
    assert len(col.find_notes("")) == 5


def test_the_extra_rule_reaches_a_learner_who_has_the_old_note_types(
    demo_bank: Path, col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Field descriptions are note type options, not its schema: adding one updates in place."""
    with monkeypatch.context() as m:
        m.setattr(deck_module, "FIELD_DESCRIPTIONS", {})
        import_package(col, build(demo_bank).path)
    cid, _ = review_first_card(col)
    before = sql(col).all("select name, mtime_secs from notetypes where name like '%(demo)'")
    assert {mtime for _, mtime in before} == {EPOCH}
    assert import_package(col, build(demo_bank, epoch=LATER).path) == {
        "new": 0,
        "updated": 0,
        "duplicate": 5,
        "conflicting": 0,
    }
    after = sql(col).all("select name, mtime_secs from notetypes where name like '%(demo)'")
    assert sorted(map(tuple, after)) == sorted((name, LATER) for name, _ in before)  # in place, no copy
    extras = [f["description"] for m in col.models.all() for f in m["flds"] if f["name"] == "Extra"]
    assert extras == [deck_module.EXTRA_RULE] * 3
    assert sql(col).scalar("select count() from revlog where cid = ?", cid) == 1


def test_a_learners_note_in_extra_shows_the_update_rule_on_the_back(
    built: BuildResult, col: Collection
) -> None:
    import_package(col, built.path)
    for qid in ("relapse-early-peak", "drugs-trastuzumab-target", "drugs-her2-protein-size"):
        note = notes_by_id(col)[qid]
        assert "Your note" not in text_of(note.cards()[0].answer())  # nothing while Extra is empty
        note["Extra"] = "My mnemonic"
        col.update_note(note)
        back = text_of(note.cards()[0].answer())
        assert "Your note My mnemonic Importing a new version of this question replaces this note" in back


def test_learner_tags_and_notes_are_untouched_when_the_bank_has_not_changed_them(
    built: BuildResult, col: Collection, demo_bank: Path
) -> None:
    import_package(col, built.path)
    for qid in ("relapse-early-peak", "drugs-trastuzumab-target"):
        note = notes_by_id(col)[qid]
        note.tags.append("my::exam-week")
        note["Extra"] = "My mnemonic"
        col.update_note(note)
    edit(demo_bank, "Which part of HER2", "Which domain of HER2")  # drugs-trastuzumab-target changes
    later = int(time.time()) + 3600  # a bank edit made after the learner's own edits
    assert import_package(col, build(demo_bank, epoch=later).path)["updated"] == 1
    kept = notes_by_id(col)["relapse-early-peak"]
    assert "my::exam-week" in kept.tags and kept["Extra"] == "My mnemonic"
    assert not [t for t in kept.tags if not t.startswith(("demo::", "my::"))]  # bank tags all namespaced
    # What the README warns of: Anki's import replaces all fields and tags of a note it updates.
    updated = notes_by_id(col)["drugs-trastuzumab-target"]
    assert "Which domain of HER2" in updated["Front"]
    assert "my::exam-week" not in updated.tags and updated["Extra"] == ""


def test_the_back_shows_the_context_note_apart_and_each_source_with_its_date(
    write_bank: Callable[..., Path], col: Collection
) -> None:
    bank_path = write_bank(CONTEXT)
    import_package(col, build(bank_path).path)
    note = notes_by_id(col)["drugs-lapatinib-kind"]
    back = text_of(note.cards()[0].answer())
    assert (
        "Explanation A small molecule. Since then Later trials changed the second line. "
        "See Source: 2026-12; not a primary source Source Demo source" in back
    )
    assert "Source Demo source Dated 2005 · pending human review “Lapatinib is a small molecule”" in back
    assert (
        "Editors' notes Dated 2026-12 · not a primary source “Trastuzumab is a humanized monoclonal antibody”"
        in back
    )
    assert (
        '<div class="h2q-when"><span class="h2q-date">Dated 2005</span> · <span class="h2q-status">'
        in note["Source"]
    )
    front = text_of(note.cards()[0].question())
    assert "Since then" not in front and "2005" not in front
    # its own block after the explanation's text, not run into it
    assert re.search(
        r'A small molecule\.<div class="h2q-context"><div class="h2q-label">Since then</div>',
        note["Explanation"],
    )
    assert sorted(note.tags) == [
        "demo::kind::basic",
        "demo::source::demo",
        "demo::source::editors",
        "demo::topic::drugs",
    ]


CONTEXT = """\
bank: {id: demo, title: Demo, deck: Demo Deck}
topics: {drugs: Drugs}
sources:
  demo: {cite: Demo source, file: demo.txt, date: "2005", status: pending human review}
  editors: {cite: "Editors' notes", file: demo.txt, date: "2026-12", status: not a primary source}
questions:
  - id: drugs-lapatinib-kind
    kind: basic
    topic: drugs
    stem: What kind of drug is lapatinib?
    answer: A small molecule
    explain: A small molecule.
    context:
      text: Later trials changed the second line.
      cite:
        - source: editors
          quote: Trastuzumab is a humanized monoclonal antibody
    cite:
      - source: demo
        quote: Lapatinib is a small molecule
"""


# --- withdrawn questions ----------------------------------------------------------------------------


def withdraw(bank_path: Path, qid: str, reason: str | None) -> None:
    """Remove question ``qid`` from the bank file and list it under ``withdrawn:``."""
    text = bank_path.read_text(encoding="utf-8")
    start = text.index(f"  - id: {qid}\n")
    end = text.find("\n  - id: ", start + 1)
    text = text[:start] + (text[end + 1 :] if end != -1 else "")
    entry = f"  - id: {qid}\n" + (f"    reason: {json.dumps(reason)}\n" if reason else "")
    bank_path.write_text(text.rstrip("\n") + "\nwithdrawn:\n" + entry, encoding="utf-8")


@pytest.mark.parametrize(
    ("qid", "reason"),
    [
        ("relapse-early-peak", "A duplicate of the card on the same fact."),
        ("drugs-her2-protein-size", None),
        ("drugs-trastuzumab-target", "Trivia."),
    ],
)
def test_a_withdrawn_question_arrives_tagged_and_says_why_and_keeps_its_history(
    built: BuildResult, col: Collection, demo_bank: Path, qid: str, reason: str | None
) -> None:
    import_package(col, built.path)
    cid = sorted(col.find_cards(f"Id:{qid}"))[0]
    card = col.get_card(cid)
    card.start_timer()
    col.sched.answerCard(card, 3)
    cards_before = sorted(col.find_cards(f"Id:{qid}"))
    withdraw(demo_bank, qid, reason)
    again = build(demo_bank, epoch=LATER)
    assert (again.notes, again.withdrawn, again.unknown) == (4, 1, ())
    assert import_package(col, again.path) == {"new": 0, "updated": 1, "duplicate": 4, "conflicting": 0}
    assert col.find_notes("tag:demo::withdrawn") == col.find_notes(f"Id:{qid}")
    note = notes_by_id(col)[qid]
    assert note.tags == ["demo::withdrawn"]
    assert sorted(col.find_cards(f"Id:{qid}")) == cards_before  # every card still there, none added
    assert sql(col).scalar("select count() from revlog where cid = ?", cid) == 1
    assert col.get_card(cid).did == card.did  # a learner's card stays in its deck
    for c in note.cards():
        front, back = text_of(c.question()), text_of(c.answer())
        assert "This question has been withdrawn from the bank." in front
        assert (reason or "") in front and (reason or "") in back
        assert "search tag:demo::withdrawn" in front
        assert "error" not in (front + back).lower() and "cloze" not in (front + back).lower()
    # Unchanged on the next build: nothing to update again.
    assert import_package(col, build(demo_bank, epoch=LATER + 1).path)["updated"] == 0


def test_a_withdrawn_note_new_to_a_collection_lands_in_its_own_subdeck(
    built: BuildResult, col: Collection, demo_bank: Path, tmp_path: Path
) -> None:
    withdraw(demo_bank, "drugs-her2-protein-size", "Gone.")
    package = build(demo_bank, epoch=LATER).path
    import_package(col, package)
    gone = col.find_cards("tag:demo::withdrawn")
    assert len(gone) == 2
    assert {col.decks.name(col.get_card(c).did) for c in gone} == {"Demo Deck::Withdrawn questions"}
    assert col.find_cards('"deck:Demo Deck::Withdrawn questions"') == gone
    # imported with its scheduling ("Import any learning progress"), it arrives suspended
    other = Collection(str(tmp_path / "other.anki2"))
    try:
        request = ImportAnkiPackageRequest(
            package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=True)
        )
        other.import_anki_package(request)
        assert sorted(other.find_cards("is:suspended")) == sorted(other.find_cards("tag:demo::withdrawn"))
        assert len(other.find_cards("is:suspended")) == 2
    finally:
        other.close()


def test_a_withdrawn_id_the_lock_never_saw_is_reported_not_shipped(demo_bank: Path) -> None:
    text = demo_bank.read_text(encoding="utf-8")
    demo_bank.write_text(text + "withdrawn:\n  - id: never-built-here\n", encoding="utf-8")
    result = build(demo_bank)
    assert (result.notes, result.withdrawn, result.unknown) == (5, 0, ("never-built-here",))


def test_a_format_1_lock_learns_the_note_types_on_the_next_build(built: BuildResult, demo_bank: Path) -> None:
    lock_path = demo_bank.parent / "questions.lock"
    old = json.loads(lock_path.read_text(encoding="utf-8"))
    format1 = {
        "format": 1,
        "notetypes": old["notetypes"],
        "questions": {k: {"hash": e["hash"], "mtime": e["mtime"]} for k, e in old["questions"].items()},
    }
    lock_path.write_text(json.dumps(format1), encoding="utf-8")
    again = build(demo_bank, epoch=LATER)
    assert (again.new, again.changed) == (0, 0)  # the same notes: no learner gets an update
    assert json.loads(lock_path.read_text(encoding="utf-8")) == old


# --- the shuffle, in a real browser ---------------------------------------------------------------

SHUFFLED = """\
bank: {id: demo, title: Demo, deck: Demo Deck}
topics: {drugs: Drugs}
sources:
  demo: {cite: Demo, file: demo.txt}
questions:
  - id: drugs-lapatinib-kind
    kind: mcq
    topic: drugs
    stem: What kind of drug is lapatinib?
    answer: A small molecule
    distractors: [A monoclonal antibody, An antibody-drug conjugate, A vaccine, A hormone]
    explain: A small molecule.
    cite:
      - source: demo
        quote: Lapatinib is a small molecule
  - id: drugs-two-small-molecules
    kind: multi
    topic: drugs
    stem: Which are small molecules?
    answers: [Lapatinib, Neratinib]
    distractors:
      - Trastuzumab
      - text: Pertuzumab
        why: An antibody.
      - Margetuximab
    explain: Both are tyrosine kinase inhibitors.
    cite:
      - source: demo
        quote: Lapatinib is a small molecule
  - id: drugs-lapatinib-tf
    kind: truefalse
    topic: drugs
    statement: Lapatinib is a small molecule.
    answer: true
    explain: It is.
    cite:
      - source: demo
        quote: Lapatinib is a small molecule
  - id: drugs-lines-as-written
    kind: mcq
    topic: drugs
    stem: Which line came first?
    answer: First line
    distractors: [Second line, Third line]
    order: as-written
    options: [First line, Second line, Third line]
    explain: In order.
    cite:
      - source: demo
        quote: Lapatinib is a small molecule
"""

# What Anki's desktop and mobile reviewers do: one page; each side's HTML replaces #qa and
# its scripts are run again (scripts set through innerHTML do not run by themselves).
REVIEWER = """<!doctype html><html><head><meta charset="utf-8"></head>
<body class="card"><div id="qa"></div><script>
window.showSide = function (html) {
  var qa = document.getElementById("qa");
  qa.innerHTML = html;
  Array.prototype.slice.call(qa.getElementsByTagName("script")).forEach(function (old) {
    var s = document.createElement("script");
    s.appendChild(document.createTextNode(old.innerHTML));
    old.parentNode.replaceChild(s, old);
  });
};
</script></body></html>"""
# What AnkiDroid does: each side is a page of its own, loaded from the same origin.
PAGE = '<!doctype html><html><head><meta charset="utf-8"></head><body class="card">{html}</body></html>'
SHOWN = """
var lists = document.querySelectorAll(arguments[0] + " .h2q-options");
var list = lists[lists.length - 1];
return Array.prototype.map.call(list.children, function (li) {
  return [li.querySelector(".h2q-letter").textContent, li.querySelector(".h2q-text").textContent,
          / h2q-correct/.test(li.className)];
});
"""
NAMED = """
return Array.prototype.map.call(document.querySelectorAll(".h2q-reveal .h2q-answer .h2q-keyed"),
  function (k) { return k.textContent; });
"""


@dataclasses.dataclass(frozen=True)
class Sides:
    front: str
    back: str


def sides_of(col: Collection, qid: str) -> Sides:
    card = col.get_card(col.find_cards(f"Id:{qid}")[0])
    return Sides(card.question(), card.answer())


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[tuple[object, str, Path]]:
    """A headless Chromium (Selenium) and a loopback HTTP server for tmp_path/pages."""
    import http.server
    import shutil as sh
    import threading

    chromium, driver_path = sh.which("chromium") or sh.which("chromium-browser"), sh.which("chromedriver")
    if chromium is None or driver_path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium and its driver are needed (apt-get install -y chromium chromium-driver)")
        pytest.skip("Chromium and its driver are not installed (apt-get install -y chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    pages = tmp_path / "pages"
    pages.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(pages), **kwargs)  # type: ignore[arg-type]

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
    ):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver, f"http://127.0.0.1:{server.server_address[1]}", pages
    finally:
        driver.quit()
        server.shutdown()
        server.server_close()


def review_in_one_page(
    driver: Any, url: str, pages: Path, sides: Sides
) -> tuple[list[Any], list[Any], list[str]]:
    """Front then back, as the desktop and AnkiMobile reviewers show them."""
    (pages / "reviewer.html").write_text(REVIEWER, encoding="utf-8")
    if not driver.current_url.endswith("/reviewer.html"):
        driver.get(f"{url}/reviewer.html")
    driver.execute_script("showSide(arguments[0])", sides.front)
    front = driver.execute_script(SHOWN, ".h2q-mcq")
    driver.execute_script("showSide(arguments[0])", sides.back)
    return front, driver.execute_script(SHOWN, ".h2q-back"), driver.execute_script(NAMED)


NO_STORAGE = """
["sessionStorage", "localStorage"].forEach(function (name) {
  Object.defineProperty(window, name, {get: function () { throw new Error(name + " is off"); }});
});
"""


def review_in_one_page_without_storage(
    driver: Any, url: str, pages: Path, sides: Sides
) -> tuple[list[Any], list[Any], list[str]]:
    """The same, in a client whose web storage is off: the page itself carries the order."""
    (pages / "reviewer.html").write_text(REVIEWER, encoding="utf-8")
    if not driver.current_url.endswith("/reviewer.html"):
        driver.get(f"{url}/reviewer.html")
        driver.execute_script(NO_STORAGE)
    assert driver.execute_script("try { localStorage.length; return false; } catch (e) { return true; }")
    return review_in_one_page(driver, url, pages, sides)


def review_in_two_pages(
    driver: Any, url: str, pages: Path, sides: Sides
) -> tuple[list[Any], list[Any], list[str]]:
    """Front then back, each a page of its own, as AnkiDroid shows them."""
    n = len(list(pages.glob("front-*.html")))  # a new name each time: no page comes from the cache
    (pages / f"front-{n}.html").write_text(PAGE.format(html=sides.front), encoding="utf-8")
    (pages / f"back-{n}.html").write_text(PAGE.format(html=sides.back), encoding="utf-8")
    driver.get(f"{url}/front-{n}.html")
    front = driver.execute_script(SHOWN, ".h2q-mcq")
    driver.get(f"{url}/back-{n}.html")
    return front, driver.execute_script(SHOWN, ".h2q-back"), driver.execute_script(NAMED)


@pytest.mark.parametrize(
    "review", [review_in_one_page, review_in_one_page_without_storage, review_in_two_pages]
)
def test_in_a_browser_options_are_shuffled_at_each_review_the_same_on_front_and_back(
    write_bank: Callable[..., Path],
    col: Collection,
    browser: tuple[Any, str, Path],
    review: Callable[..., Any],
) -> None:
    driver, url, pages = browser
    bank_path = write_bank(SHUFFLED)
    bank = require_bank(bank_path)
    import_package(col, build(bank_path).path)
    for qid in ("drugs-lapatinib-kind", "drugs-two-small-molecules"):
        q = bank.question(qid)
        assert isinstance(q, ChoiceQuestion)
        orders = set()
        for _ in range(8):
            front, back, named = review(driver, url, pages, sides_of(col, qid))
            texts = [text for _, text, _ in front]
            assert [(letter, text) for letter, text, _ in back] == [
                (letter, text) for letter, text, _ in front
            ]
            assert [letter for letter, _, _ in front] == list("ABCDE")[: len(front)]
            assert sorted(texts) == sorted(o.text for o in q.options())
            assert not any(marked for _, _, marked in front)  # nothing marked on the front
            correct = [(letter, text) for letter, text, marked in back if marked]
            assert [text for _, text in correct] == sorted(q.answers, key=texts.index)
            assert named == [f"{letter}. {text}" for letter, text in correct]  # named by the letters shown
            orders.add(tuple(texts))
        assert len(orders) > 1  # a new order at each review (8 alike: odds 1 in 120**7)


@pytest.mark.parametrize("review", [review_in_one_page, review_in_two_pages])
def test_in_a_browser_true_false_and_as_written_keep_their_order(
    write_bank: Callable[..., Path],
    col: Collection,
    browser: tuple[Any, str, Path],
    review: Callable[..., Any],
) -> None:
    driver, url, pages = browser
    import_package(col, build(write_bank(SHUFFLED)).path)
    for qid, texts, answer in (
        ("drugs-lapatinib-tf", ["True", "False"], "A. True"),
        ("drugs-lines-as-written", ["First line", "Second line", "Third line"], "A. First line"),
    ):
        for _ in range(3):
            front, back, named = review(driver, url, pages, sides_of(col, qid))
            assert [t for _, t, _ in front] == [t for _, t, _ in back] == texts
            assert named == [answer] and back[0][2] and not any(m for _, _, m in back[1:])


def test_in_a_browser_a_learner_can_turn_the_shuffle_off(
    write_bank: Callable[..., Path], col: Collection, browser: tuple[Any, str, Path]
) -> None:
    driver, url, pages = browser
    bank = require_bank(write_bank(SHUFFLED))
    import_package(col, build(write_bank(SHUFFLED)).path)
    q = bank.question("drugs-lapatinib-kind")
    assert isinstance(q, ChoiceQuestion)
    sides = sides_of(col, q.id)
    assert sides.front.count("var H2Q_SHUFFLE = true;") == 1
    off = Sides(
        *(s.replace("var H2Q_SHUFFLE = true;", "var H2Q_SHUFFLE = false;") for s in (sides.front, sides.back))
    )
    stored = [o.text for o in option_order(q)]
    for _ in range(3):
        front, back, _ = review_in_one_page(driver, url, pages, off)
        assert [t for _, t, _ in front] == [t for _, t, _ in back] == stored


# --- reproducibility and the lock ----------------------------------------------------------------


def test_two_builds_are_byte_identical(demo_bank: Path, tmp_path: Path) -> None:
    first = build(demo_bank).path.read_bytes()
    assert build(demo_bank).path.read_bytes() == first  # again, now with the lock
    other = tmp_path / "elsewhere"
    other.mkdir()
    copy = other / "questions.yaml"
    copy.write_bytes(demo_bank.read_bytes())
    (other / "sources").symlink_to(demo_bank.parent / "sources")
    assert build(copy).path.read_bytes() == first  # a fresh lock, the same epoch
    with zipfile.ZipFile(demo_bank.parent / "decks" / "demo.apkg") as z:
        assert [(i.filename, i.date_time, i.compress_type) for i in z.infolist()] == [
            ("collection.anki2", (1980, 1, 1, 0, 0, 0), zipfile.ZIP_DEFLATED),
            ("media", (1980, 1, 1, 0, 0, 0), zipfile.ZIP_DEFLATED),
        ]
        assert z.read("media") == b"{}"


def test_the_lock_records_hash_and_time_per_question(built: BuildResult, demo_bank: Path) -> None:
    lock = json.loads((demo_bank.parent / "questions.lock").read_text(encoding="utf-8"))
    assert lock["format"] == 2
    assert sorted(lock["questions"]) == sorted(q.id for q in require_bank(demo_bank).questions)
    assert {e["mtime"] for e in lock["questions"].values()} == {EPOCH}
    # what a later build needs to ship a withdrawn note: its note type, and cards beyond card 0
    assert {k: (e["notetype"], e.get("cards")) for k, e in lock["questions"].items()} == {
        "relapse-early-peak": ("mcq", None),
        "testing-fish-properties": ("mcq", None),
        "testing-fish-some-experts": ("mcq", None),
        "drugs-her2-protein-size": ("cloze", [0, 1]),
        "drugs-trastuzumab-target": ("basic", None),
    }
    assert sorted(lock["notetypes"]) == ["basic", "cloze", "mcq"]


def test_without_an_epoch_new_questions_take_now(demo_bank: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.7)
    build(demo_bank, epoch=None)
    lock = json.loads((demo_bank.parent / "questions.lock").read_text(encoding="utf-8"))
    assert {e["mtime"] for e in lock["questions"].values()} == {1_800_000_000}


def test_a_filtered_build_keeps_the_other_lock_entries(
    built: BuildResult, demo_bank: Path, col: Collection
) -> None:
    lock_path = demo_bank.parent / "questions.lock"
    before = json.loads(lock_path.read_text(encoding="utf-8"))
    bank = require_bank(demo_bank)
    subset = dataclasses.replace(bank, questions=bank.questions[:2])
    result = build(demo_bank, epoch=LATER, bank=subset)
    assert (result.notes, result.cards, result.new, result.changed) == (2, 2, 0, 0)
    assert json.loads(lock_path.read_text(encoding="utf-8")) == before
    import_package(col, result.path)
    assert {n.name for n in col.decks.all_names_and_ids()} == {
        "Default",
        "Demo Deck",
        "Demo Deck::Relapse timing",
        "Demo Deck::Testing methods",
    }


def test_a_damaged_lock_stops_the_build_before_writing(demo_bank: Path) -> None:
    (demo_bank.parent / "questions.lock").write_text("{", encoding="utf-8")
    with pytest.raises(LockError, match=r"questions\.lock:1:2: not valid JSON"):
        build(demo_bank)
    assert not (demo_bank.parent / "decks").exists()


# --- safe text -------------------------------------------------------------------------------------

HOSTILE = """\
bank: {id: demo, title: "<b>Title</b>", deck: Demo Deck}
topics: {drugs: "Drugs & <i>co</i>"}
sources:
  demo: {cite: "Cite <script>x</script>", file: demo.txt}
questions:
  - id: drugs-hostile
    kind: mcq
    topic: drugs
    tags: ["<img src=x>"]
    stem: "<script>alert(1)</script> & [sound:evil.mp3] is *really* \\\\(x\\\\) {{c1::no}}?"
    answer: "<b>not bold</b>"
    distractors: ["a & b", "[latex]x[/latex]", "&amp;"]
    explain: "</div><div onclick=alert(1)>"
    cite:
      - source: demo
        quote: Lapatinib is a small molecule
"""


def test_hostile_text_is_escaped_everywhere(write_bank: Callable[..., Path], col: Collection) -> None:
    bank_path = write_bank(HOSTILE)
    import_package(col, build(bank_path).path)
    card = col.get_card(col.find_cards("")[0])
    front, back = card.question(), card.answer()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#91;sound:evil.mp3] is <i>really</i>" in front
    # the only scripts are the templates' own: the front's, and on the back the front's again and the back's
    assert (front.lower().count("<script"), back.lower().count("<script")) == (1, 2)
    assert "alert(1)" not in "".join(re.findall(r"<script>.*?</script>", front + back, flags=re.DOTALL))
    assert "<b>not bold</b>" not in back and "&lt;b&gt;not bold&lt;/b&gt;" in back
    assert "&lt;/div&gt;&lt;div onclick=alert(1)&gt;" in back
    assert "&amp;amp;" in front
    assert card.question_av_tags() == [] and card.answer_av_tags() == []
    assert "[latex]x[/latex]" in text_of(front)
    assert "<script>alert(1)</script> & [sound:evil.mp3] is really \\(x\\) {{c1::no}}?" in text_of(front)
    assert "Cite <script>x</script>" in text_of(back)
    assert col.decks.id_for_name("Demo Deck::Drugs & <i>co</i>") is not None


# --- the command line -------------------------------------------------------------------------------


def test_cli_build_writes_the_package_and_says_what(demo_bank: Path) -> None:
    out = demo_bank.parent / "out"
    runner = CliRunner()
    env = {"SOURCE_DATE_EPOCH": str(EPOCH)}
    result = runner.invoke(main, ["build", str(demo_bank), "-o", str(out), "--no-quiz"], env=env)
    assert result.exit_code == 0, result.output
    lock = demo_bank.parent / "questions.lock"
    assert result.stdout == (
        f"wrote {out}/demo.apkg (5 notes, 6 cards; 5 new, 0 changed since the lock)\n"
        f"wrote {lock} (rewritten: new or changed questions)\n"
    )
    filtered = runner.invoke(
        main, ["build", str(demo_bank), "-o", str(out), "--no-quiz", "--topic", "drugs"], env=env
    )
    assert filtered.stdout == f"wrote {out}/demo.apkg (2 notes, 3 cards; 0 new, 0 changed since the lock)\n"


def test_cli_build_writes_nothing_for_a_bank_with_errors(write_bank: Callable[..., Path]) -> None:
    bank = write_bank("bank: {id: demo, title: T, deck: D}\ntopics: {}\nsources: {}\nquestions: []\n")
    bad = write_bank(bank.read_text().replace("questions: []", "questions: 3"))
    out = bad.parent / "out"
    result = CliRunner().invoke(main, ["build", str(bad), "-o", str(out), "--no-quiz"])
    assert result.exit_code == 1
    assert "nothing written" in result.stderr
    assert not out.exists() and not (bad.parent / "questions.lock").exists()


def test_cli_build_reports_a_damaged_lock(demo_bank: Path) -> None:
    lock = demo_bank.parent / "questions.lock"
    lock.write_text('{"format": 7, "notetypes": {}, "questions": {}}', encoding="utf-8")
    out = demo_bank.parent / "out"
    result = CliRunner().invoke(main, ["build", str(demo_bank), "-o", str(out), "--no-quiz"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {lock}: format 7 is not supported (this her2quiz writes 2); "
        "fix it (a merge conflict?) or restore it from version control; nothing written\n"
    )
    assert not out.exists()


def test_templates_are_package_data() -> None:
    for nt in NOTETYPES.values():
        assert "{{Id}}" in nt.back() and nt.front().strip() and ".nightMode" in nt.css()
    config = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["her2quiz"]
    folder = resources.files("her2quiz") / "templates" / "anki"
    names = sorted(f.name for f in folder.iterdir())
    assert names == [
        "basic.back.html",
        "basic.front.html",
        "cloze.back.html",
        "cloze.front.html",
        "mcq.back.html",
        "mcq.front.html",
        "style.css",
    ]
    assert all(any(fnmatch(f"templates/anki/{name}", p) for p in patterns) for name in names)


# --- decks/: what students download -----------------------------------------------------------------

DECKS = REPO / "decks"
DOWNLOADS = ("her2.apkg", "her2-quiz.pdf", "her2-quiz-key.pdf")


def test_the_committed_decks_are_a_fresh_build_of_the_committed_bank_and_lock(tmp_path: Path) -> None:
    """What scripts/build_decks.sh --check checks: the lock and decks/ are up to date."""
    assert sorted(p.name for p in DECKS.iterdir() if p.name != ".gitkeep") == sorted(
        (*DOWNLOADS, "her2.html", "README.md")
    )
    for name in ("questions.yaml", "questions.lock"):
        (tmp_path / name).write_bytes((REPO / name).read_bytes())
    epoch = read_lock(tmp_path / "questions.lock").newest()
    api.build(tmp_path / "questions.yaml", out_dir=tmp_path / "decks", sources=REPO_SOURCES, epoch=epoch)
    advice = "run scripts/build_decks.sh and commit questions.lock and decks/"
    assert (tmp_path / "questions.lock").read_bytes() == (REPO / "questions.lock").read_bytes(), advice
    api.export(tmp_path / "questions.yaml", "html", tmp_path / "decks" / "her2.html", sources=REPO_SOURCES)
    for name in (*DOWNLOADS, "her2.html"):
        assert (tmp_path / "decks" / name).read_bytes() == (DECKS / name).read_bytes(), (
            f"decks/{name}: {advice}"
        )


def test_the_committed_deck_imports_with_every_question_and_every_withdrawn_one(col: Collection) -> None:
    """Every question, and every withdrawn one a committed lock ever stamped (the others never
    reached a learner in a committed deck, so there is nothing to withdraw)."""
    bank = require_bank(REPO_BANK, sources=REPO_SOURCES)
    lock = read_lock(REPO / "questions.lock")
    shipped = {qid for qid in bank.withdrawn if (s := lock.get("questions", qid)) and s.notetype}
    assert len(shipped) >= len(bank.withdrawn) - 5
    counts = import_package(col, DECKS / "her2.apkg")
    assert counts["new"] == len(bank.questions) + len(shipped)
    ids = {n["Id"] for n in notes_by_id(col).values()}
    assert ids == {q.id for q in bank.questions} | shipped
    assert {col.get_note(n)["Id"] for n in col.find_notes("tag:her2::withdrawn")} == shipped


def test_the_decks_readme_tells_students_what_the_deck_does() -> None:
    text = (DECKS / "README.md").read_text(encoding="utf-8")
    for needle in (
        "Download `her2.apkg`",
        "File → Import",
        "keep\nyour review history",
        "search `tag:her2::withdrawn`",
        "`var H2Q_SHUFFLE = true;`",
        f"*MCQ ({require_bank(REPO_BANK, sources=REPO_SOURCES).id})*",
        f"*{require_bank(REPO_BANK, sources=REPO_SOURCES).deck}::{deck_module.WITHDRAWN_DECK_NAME}*",
    ):
        assert needle in text, needle
    assert "var H2Q_SHUFFLE = true;" in NOTETYPES["mcq"].front()


def test_a_format_1_lock_taught_by_an_earlier_bank_ships_its_withdrawn_questions(
    built: BuildResult, col: Collection, demo_bank: Path
) -> None:
    """What scripts/lock_notetypes.py does once for a lock written before note types were kept."""
    import_package(col, built.path)
    lock_path = demo_bank.parent / "questions.lock"
    old = json.loads(lock_path.read_text(encoding="utf-8"))
    format1 = {
        "format": 1,
        "notetypes": old["notetypes"],
        "questions": {k: {"hash": e["hash"], "mtime": e["mtime"]} for k, e in old["questions"].items()},
    }
    lock_path.write_text(json.dumps(format1), encoding="utf-8")
    earlier = require_bank(demo_bank)
    withdraw(demo_bank, "drugs-her2-protein-size", "Gone.")
    assert build(demo_bank, epoch=LATER).unknown == ("drugs-her2-protein-size",)
    lock = read_lock(lock_path)
    assert deck_module.learn_notetypes(earlier, lock) == 1  # the others were learned by that build
    write_lock(lock_path, lock)
    again = build(demo_bank, epoch=LATER)
    assert (again.withdrawn, again.unknown) == (1, ())
    assert import_package(col, again.path)["updated"] == 1
    assert len(col.find_cards("tag:demo::withdrawn")) == 2
