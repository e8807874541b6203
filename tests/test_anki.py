"""The Anki package, checked against the real Anki engine (the `anki` package from PyPI):
import, render, review, rebuild, re-import."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest
from click.testing import CliRunner

from her2quiz import select
from her2quiz.api import require_bank
from her2quiz.bank import Bank, ChoiceQuestion, Option
from her2quiz.cli import main
from her2quiz.cloze import CLOZE
from her2quiz.formats import anki as deck_module
from her2quiz.formats.anki import ANKI_SHUFFLE, NOTETYPES, BuildResult, LockError, build_deck

EPOCH = 1_767_225_600  # 2026-01-01T00:00:00Z
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
    body = re.sub(r"<style>.*?</style>", "", rendered, flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def edit(bank_path: Path, old: str, new: str) -> None:
    text = bank_path.read_text(encoding="utf-8")
    assert old in text
    bank_path.write_text(text.replace(old, new), encoding="utf-8")


def notes_by_id(col: Collection) -> dict[str, object]:
    return {col.get_note(nid)["Id"]: col.get_note(nid) for nid in col.find_notes("")}


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
        assert q.explain in back
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
        "demo::topic::relapse",
        "node_positive",
        "surgery",
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


def test_mcq_marks_correct_options_by_class_and_the_back_explains(
    built: BuildResult, col: Collection
) -> None:
    import_package(col, built.path)
    note = notes_by_id(col)["relapse-early-peak"]
    # order: sorted -> natural order; the correct option carries the class
    assert note["Options"] == (
        '<ol class="h2q-options">'
        '<li class="h2q-opt"><span class="h2q-letter">A</span>'
        '<span class="h2q-text">After 10 years</span></li>'
        '<li class="h2q-opt h2q-correct"><span class="h2q-letter">B</span>'
        '<span class="h2q-text">The first 4 years</span></li>'
        '<li class="h2q-opt"><span class="h2q-letter">C</span>'
        '<span class="h2q-text">The first 6 months</span></li>'
        '<li class="h2q-opt"><span class="h2q-letter">D</span>'
        '<span class="h2q-text">Years 5 to 10</span></li>'
        "</ol>"
    )
    card = note.cards()[0]
    front, back = text_of(card.question()), text_of(card.answer())
    assert "The peak falls within" not in front
    assert "<script" not in card.question().lower() + card.answer().lower()
    assert (
        "Answer B. The first 4 years Why not D. Years 5 to 10 The peak falls within the first 4 years" in back
    )
    assert 'class="h2q-back"' in card.answer()
    assert ".h2q-back .h2q-correct" in card.answer()  # the style sheet marks it, no script


def test_multi_and_truefalse_options(built: BuildResult, col: Collection) -> None:
    import_package(col, built.path)
    notes = notes_by_id(col)
    multi = notes["testing-fish-properties"]
    assert multi["Kind"] == "multi"
    assert multi["Options"].count("h2q-correct") == 2
    back = text_of(multi.cards()[0].answer())
    assert "A. Less dependent on tissue fixation B. More reproducible between laboratories" in back
    tf = notes["testing-fish-some-experts"]
    assert tf["Kind"] == "truefalse"
    assert text_of(tf["Options"]) == "A True B False"
    assert 'class="h2q-opt h2q-correct"><span class="h2q-letter">A</span>' in tf["Options"]
    assert tf["Answer"] == "True"


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


def review_first_card(col: Collection) -> tuple[int, int]:
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
    assert col.db.scalar("select count() from revlog where cid = ?", cid) == 1
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
    assert col.db.scalar("select count() from revlog where cid = ?", cid) == 1
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
    assert col.db.scalar("select mtime_secs from notetypes where id = ?", 1725336104) == LATER
    card = notes_by_id(col)["relapse-early-peak"].cards()[0]
    assert marker in (card.answer() if part == "back" else card.question())
    assert len(col.find_notes("")) == 5


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
    assert lock["format"] == 1
    assert sorted(lock["questions"]) == sorted(q.id for q in require_bank(demo_bank).questions)
    assert {e["mtime"] for e in lock["questions"].values()} == {EPOCH}
    assert sorted(lock["notetypes"]) == ["basic", "cloze", "mcq"]


def test_without_an_epoch_new_questions_take_now(demo_bank: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deck_module.time, "time", lambda: 1_800_000_000.7)
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
    assert "<script" not in (front + back).lower()
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
        f"Error: {lock}: format 7 is not supported (this her2quiz writes 1); "
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
