"""The printable quiz and its key, read back with pypdf."""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import replace
from datetime import UTC, datetime
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from quiz_banks import bank_text, load

from her2quiz import markup
from her2quiz.bank import LETTERS, Bank
from her2quiz.formats import pdf as pdf_module
from her2quiz.formats.pdf import QuizOptions, key_path, write_quiz
from her2quiz.plan import Plan, PlanItem
from her2quiz.select import plan_quiz

REPO = Path(__file__).parent.parent


def texts(path: Path) -> list[str]:
    """Each page's text, white space collapsed."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def pages_of(pages: list[str], section: str) -> list[int]:
    """Indexes of the pages whose footer names ``section`` ("Version A", "Answer key · Version B")."""
    return [i for i, text in enumerate(pages) if f"{section} · page" in text]


def stem_mark(item: PlanItem) -> str:
    """How a generated question starts on the page: '7. Stem 012:'."""
    return f"{item.number}. Stem {item.id[-3:]}:"


def key_entry(item: PlanItem) -> str:
    """How the key gives the answer to a generated question."""
    if item.options:
        return f"{item.number}. " + " ".join(f"{x} {text}" for x, text in item.letter_texts())
    if item.kind == "cloze":
        return f"{item.number}. " + " ".join(f"({i}) {a}" for i, a in enumerate(item.answers, start=1))
    return f"{item.number}. {item.answers[0]}"


@pytest.fixture(scope="module")
def bank20(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    return load(tmp_path_factory.mktemp("bank20"), bank_text(20))


@pytest.fixture(scope="module")
def quiz20(bank20: Bank, tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, list[str], list[str]]:
    """3 versions of 20 questions with a separate key: (plan, quiz pages, key pages)."""
    out = tmp_path_factory.mktemp("quiz20") / "quiz.pdf"
    plan = plan_quiz(bank20, count=20, versions=3, seed=1)
    result = write_quiz(bank20, plan, out, QuizOptions(title="Revision", subtitle="Class 5B"))
    assert list(result.paths) == [out, out.with_name("quiz-key.pdf")]
    assert list(result.warnings) == []
    return plan, texts(out), texts(key_path(out))


# -- the quiz ------------------------------------------------------------------------


def test_every_question_is_whole_on_one_page_in_the_plans_order(quiz20) -> None:
    plan, pages, _ = quiz20
    for version in plan.versions:
        mine = pages_of(pages, f"Version {version.label}")
        assert mine, version.label
        where = []
        for item in version.items:
            found = [i for i in mine if stem_mark(item) in pages[i]]
            assert len(found) == 1, (version.label, item.number)
            page = pages[found[0]]
            pos = page.index(stem_mark(item))
            where.append((found[0], pos))
            for letter, option in zip(LETTERS, item.options, strict=False):
                pos = page.index(f"{letter} {option}", pos)  # the options follow, in the plan's order
            following = f"{item.number + 1}. Stem"
            if following in page:
                assert pos < page.index(following)
        assert where == sorted(where)


def test_versions_have_their_own_order(quiz20) -> None:
    plan, pages, _ = quiz20
    firsts = []
    for version in plan.versions:
        text = " ".join(pages[i] for i in pages_of(pages, f"Version {version.label}"))
        firsts.append([re.search(rf"{n}\. Stem (\d+):", text).group(1) for n in range(1, 21)])
    assert sorted(firsts[0]) == sorted(firsts[1]) == sorted(firsts[2])
    assert firsts[0] != firsts[1] != firsts[2] != firsts[0]


def test_every_version_starts_on_a_new_page_with_its_title_block(quiz20) -> None:
    plan, pages, _ = quiz20
    for version in plan.versions:
        first = pages[pages_of(pages, f"Version {version.label}")[0]]
        assert first.startswith(
            f"Revision Class 5B Version {version.label} Name Class Date Answer all 20 questions."
        )
        assert "1. Stem" in first


def test_footer_on_every_page(quiz20, bank20: Bank) -> None:
    plan, pages, key = quiz20
    for version in plan.versions:
        mine = pages_of(pages, f"Version {version.label}")
        for n, i in enumerate(mine, start=1):
            footer = f"Revision Version {version.label} · page {n} of {len(mine)}"
            assert pages[i].endswith(f"{footer} seed 1 · bank {bank20.short_hash}")
    assert sum(len(pages_of(pages, f"Version {v.label}")) for v in plan.versions) == len(pages)
    for n, text in enumerate(key, start=1):
        assert re.search(rf"Answer key( · Version [ABC])? · page {n} of {len(key)} seed 1 · bank ", text)


def test_kinds_are_printed_as_they_should_be(quiz20) -> None:
    plan, pages, _ = quiz20
    text = " ".join(pages)
    by_kind = {item.kind: item for item in plan.versions[0].items}
    multi = by_kind["multi"]
    assert f"{stem_mark(multi)} which ones? Select all that apply. A " in text
    assert f"{stem_mark(by_kind['truefalse'])}" in text
    assert re.search(r"\d+\. Stem \d+: this is (true|false)\. A True B False", text)
    cloze = by_kind["cloze"]
    assert f"{stem_mark(cloze)} alpha is (1) and beta (2) (hint)." in text
    assert "Select all that apply: mark every correct option." in text


def test_the_quiz_gives_no_answer_away(quiz20, bank20: Bank) -> None:
    _, pages, _ = quiz20
    text = " ".join(pages)
    for q in bank20.questions:
        assert (q.explain or "") not in text
        if q.kind in ("cloze", "basic"):
            for answer in q.answer_texts():
                assert answer not in text


# -- the key -------------------------------------------------------------------------


def test_key_follows_number_order_and_matches_the_plan(quiz20) -> None:
    plan, _, key = quiz20
    for version in plan.versions:
        mine = pages_of(key, f"Answer key · Version {version.label}")
        text = " ".join(key[i] for i in mine)
        assert f"Version {version.label}: answers explained 1. " in text
        pos = text.index("answers explained")
        for item in version.items:
            pos = text.index(key_entry(item), pos)
            n = item.id[-3:]
            after = text[pos:]
            assert after.index(f"Explanation {n}.") < after.index("Source: demo — “early peak of relapses")


def test_key_ends_with_concept_sheet_and_blueprint(quiz20, bank20: Bank) -> None:
    plan, _, key = quiz20
    tail = " ".join(key[i] for i in range(len(key)) if "Version" not in key[i].rsplit("Revision", 1)[-1])
    assert "Concept sheet" in tail and "Blueprint" in tail and "Sources" in tail
    numbers = {v.label: {item.id: item.number for item in v.items} for v in plan.versions}
    for item in plan.versions[0].items:
        topic = bank20.topics[bank20.question(item.id).topic]
        row = f"{item.id} {topic} {numbers['A'][item.id]} {numbers['B'][item.id]} {numbers['C'][item.id]}"
        assert row in tail
    # 20 questions: relapse, testing, drugs in turn; easy, medium, hard every third
    assert "Topic easy medium hard Total" in tail
    assert "Relapse timing 3 2 2 7 Testing methods 3 2 2 7 Drug mechanisms 2 2 2 6 Total 8 6 6 20" in tail
    assert "demo Demo source for the her2quiz test suite (2026)." in tail


def test_appended_key_and_no_key(bank20: Bank, tmp_path: Path) -> None:
    plan = plan_quiz(bank20, count=5, versions=2, seed=1)
    both = write_quiz(bank20, plan, tmp_path / "a" / "quiz.pdf", QuizOptions(title="T", key="appended"))
    assert list(both.paths) == [tmp_path / "a" / "quiz.pdf"]
    pages = texts(both.paths[0])
    assert pages_of(pages, "Version A") and pages_of(pages, "Version B") and pages_of(pages, "Answer key")
    assert pages_of(pages, "Answer key")[0] > pages_of(pages, "Version B")[-1]
    alone = write_quiz(bank20, plan, tmp_path / "n" / "quiz.pdf", QuizOptions(title="T", key="none"))
    assert list(alone.paths) == [tmp_path / "n" / "quiz.pdf"]
    assert sorted(p.name for p in (tmp_path / "n").iterdir()) == ["quiz.pdf"]
    assert not pages_of(texts(alone.paths[0]), "Answer key")


def test_answer_sheets_and_marking_grids(bank20: Bank, tmp_path: Path) -> None:
    plan = plan_quiz(bank20, count=10, versions=2, seed=4)
    out = write_quiz(bank20, plan, tmp_path / "quiz.pdf", QuizOptions(title="T", answer_sheet=True))
    pages, key = texts(out.paths[0]), texts(out.paths[1])
    for version in plan.versions:
        sheet = pages[pages_of(pages, f"Version {version.label}")[-1]]
        assert f"Version {version.label} Answer sheet Score / {version.points} Name Class Date" in sheet
        for item in version.items:
            cells = " ".join(LETTERS[: len(item.options)]) if item.options else "written answer"
            assert f"{item.number} {cells}" in sheet
        grid = next(page for page in key if f"Version {version.label} Marking grid" in page)
        for item in version.items:
            cells = " ".join(LETTERS[: len(item.options)]) if item.options else "; ".join(item.answers)
            assert f"{item.number} {cells} {item.points}pt" in grid
    assert "fill its bubble on the answer sheet" in pages[0]


def test_duplex_starts_every_version_on_an_odd_page(bank20: Bank, tmp_path: Path) -> None:
    plan = plan_quiz(bank20, count=7, versions=3, seed=1)
    out = write_quiz(bank20, plan, tmp_path / "q.pdf", QuizOptions(title="T", duplex=True, key="appended"))
    pages = texts(out.paths[0])
    for section in ("Version A", "Version B", "Version C", "Answer key · Version A"):
        first = pages_of(pages, section)[0]
        assert first % 2 == 0, section  # 0-based: page 1, 3, 5, …
    blanks = [i for i, text in enumerate(pages) if not text]
    assert blanks and all(i % 2 == 1 for i in blanks)


# -- paper, safety, size -------------------------------------------------------------


@pytest.mark.parametrize(("paper", "size"), [("us-letter", (612, 792)), ("a4", (595.2756, 841.8898))])
def test_paper_size(bank20: Bank, tmp_path: Path, paper: str, size: tuple[float, float]) -> None:
    plan = plan_quiz(bank20, count=3, versions=1, seed=1)
    out = write_quiz(bank20, plan, tmp_path / "q.pdf", QuizOptions(title="T", paper=paper))
    for path in out.paths:
        for page in PdfReader(path).pages:
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size, abs=0.01)


NASTY = (
    r"Literal #set text(red) $x^2$ a * b <tag> @ref {braces} \back \\ ~ _u_ [l] // -- ... `raw` & 'q' \"dq\""
)


def test_special_characters_print_literally(tmp_path: Path) -> None:
    nasty = {
        "id": "relapse-nasty",
        "kind": "mcq",
        "topic": "relapse",
        "stem": NASTY + " **bold** and *italic*?",
        "answer": "#{1 + 1} $$ \\",
        "distractors": ["<b>x</b>", "@{}", "a * b * c"],
        "explain": "#pagebreak() **really** $",
        "cite": [{"source": "demo", "quote": "Special characters print as they are: # $ * < > @ { } \\ &"}],
    }
    bank = load(tmp_path, bank_text(0, extra=[nasty]))
    plan = plan_quiz(bank, count=None, versions=1, seed=1)
    out = write_quiz(bank, plan, tmp_path / "q.pdf", QuizOptions(title="#title $ {x}", subtitle="<sub> @x"))
    quiz, key = texts(out.paths[0]), texts(out.paths[1])
    assert len(quiz) == 1
    assert "#title $ {x} <sub> @x" in quiz[0]
    assert f"1. {NASTY} bold and italic?" in quiz[0]
    for option in ("#{1 + 1} $$ \\", "<b>x</b>", "@{}", "a * b * c"):
        assert option in quiz[0]
    assert "#pagebreak() really $" in " ".join(key)
    assert "“Special characters print as they are: # $ * < > @ { } \\ &”" in " ".join(key)


def test_two_hundred_questions(tmp_path: Path) -> None:
    bank = load(tmp_path, bank_text(200))
    plan = plan_quiz(bank, count=None, versions=1, seed=1)
    out = write_quiz(bank, plan, tmp_path / "q.pdf", QuizOptions(title="T"))
    assert list(out.warnings) == []
    quiz = " ".join(texts(out.paths[0]))
    key = " ".join(texts(out.paths[1]))
    pos = qpos = 0
    for item in plan.versions[0].items:
        qpos = quiz.index(stem_mark(item), qpos)
        pos = key.index(key_entry(item), pos)


LONG_WORDS = " ".join(f"word{i}" for i in range(1500))  # more than a page of text


def long_question(**fields: str) -> dict[str, object]:
    """A basic question 'relapse-long' with a stem longer than a page (and ``fields``)."""
    return {
        "id": "relapse-long",
        "kind": "basic",
        "topic": "relapse",
        "stem": f"Start of the long stem {LONG_WORDS} end of the long stem?",
        "answer": "Short",
        "cite": [{"source": "demo", "quote": "early peak of relapses"}],
        **fields,
    }


def test_a_question_taller_than_a_page_is_split_with_a_warning(tmp_path: Path) -> None:
    bank = load(tmp_path, bank_text(3, extra=[long_question()]))
    plan = plan_quiz(bank, count=None, versions=1, seed=1)
    out = write_quiz(bank, plan, tmp_path / "q.pdf", QuizOptions(title="T", paper="us-letter"))
    assert list(out.warnings) == [
        "question 'relapse-long' does not fit on one us-letter page in the quiz; it is printed across pages"
    ]
    pages = texts(out.paths[0])
    start = next(i for i, t in enumerate(pages) if "Start of the long stem" in t)
    end = next(i for i, t in enumerate(pages) if "end of the long stem?" in t)
    assert end > start
    assert all(f"Stem {n:03d}:" in " ".join(pages) for n in (1, 2, 3))


def test_warnings_come_in_document_order_though_the_documents_compile_at_once(tmp_path: Path) -> None:
    long = long_question(explain=f"A long explanation {LONG_WORDS} end.")  # too tall in the key too
    bank = load(tmp_path, bank_text(2, extra=[long]))
    plan = plan_quiz(bank, count=None, versions=1, seed=1)
    out = write_quiz(bank, plan, tmp_path / "q.pdf", QuizOptions(title="T"))
    assert list(out.warnings) == [
        "question 'relapse-long' does not fit on one a4 page in the quiz; it is printed across pages",
        "question 'relapse-long' does not fit on one a4 page in the answer key; it is printed across pages",
    ]


def test_run_together_keeps_job_order_and_raises_after_all_finish() -> None:
    import time

    finished: list[str] = []

    def slow() -> bytes:
        time.sleep(0.05)  # the second job finishes first
        finished.append("slow")
        return b"first"

    def fast() -> bytes:
        finished.append("fast")
        return b"second"

    assert pdf_module.run_together([slow, fast]) == [b"first", b"second"]

    def failing() -> bytes:
        raise OSError(28, "No space left on device")

    finished.clear()
    with pytest.raises(OSError, match="No space"):
        pdf_module.run_together([failing, slow])
    assert finished == ["slow"]  # the other job ran to its end before the error came back


# -- reproducibility and files -------------------------------------------------------


def test_same_inputs_give_identical_bytes(bank20: Bank, tmp_path: Path) -> None:
    plan = plan_quiz(bank20, count=12, versions=3, seed=5)
    for folder in ("one", "two"):
        write_quiz(bank20, plan, tmp_path / folder / "quiz.pdf", QuizOptions(title="T", answer_sheet=True))
    for name in ("quiz.pdf", "quiz-key.pdf"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert b"CreationDate" not in (tmp_path / "one" / "quiz.pdf").read_bytes()


def test_creation_date_comes_from_the_epoch(bank20: Bank, tmp_path: Path) -> None:
    plan = plan_quiz(bank20, count=3, versions=1, seed=1)
    epoch = 1_700_000_000
    out = write_quiz(bank20, plan, tmp_path / "q.pdf", QuizOptions(title="T", epoch=epoch))
    for path in out.paths:
        assert PdfReader(path).metadata.creation_date == datetime.fromtimestamp(epoch, UTC)


def test_nothing_is_written_when_the_key_fails(bank20: Bank, tmp_path: Path, monkeypatch) -> None:
    real = pdf_module.compile_document

    def render(data, parts, options, warnings):
        if parts == ["key"]:
            raise OSError(28, "No space left on device")
        return real(data, parts, options, warnings)

    monkeypatch.setattr(pdf_module, "compile_document", render)
    plan = plan_quiz(bank20, count=3, versions=1, seed=1)
    with pytest.raises(OSError):
        write_quiz(bank20, plan, tmp_path / "out" / "q.pdf", QuizOptions(title="T"))
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_bad_options_are_refused(bank20: Bank, tmp_path: Path) -> None:
    plan = plan_quiz(bank20, count=3, versions=1, seed=1)
    with pytest.raises(ValueError, match="paper must be one of a4, us-letter"):
        write_quiz(bank20, plan, tmp_path / "q.pdf", QuizOptions(title="T", paper="a5"))
    with pytest.raises(ValueError, match="key must be one of"):
        write_quiz(bank20, plan, tmp_path / "q.pdf", QuizOptions(title="T", key="inside"))
    empty = replace(plan, versions=())
    with pytest.raises(ValueError, match="no questions"):
        write_quiz(bank20, empty, tmp_path / "q.pdf", QuizOptions(title="T"))
    assert not list(tmp_path.iterdir())


def test_the_template_ships_with_the_package() -> None:
    template = resources.files("her2quiz").joinpath("templates", "quiz.typ")
    assert template.is_file()
    assert "@preview" not in template.read_text(encoding="utf-8")
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["her2quiz"]
    assert any(fnmatch("templates/quiz.typ", p) for p in patterns)


# -- the template's data -------------------------------------------------------------


def test_cloze_blanks_are_numbered_in_reading_order_and_keep_the_markup() -> None:
    text = "{{c2::First}} is *the {{c1::second}} one*, then {{c1::third::a hint}} and # $ {x}."
    assert pdf_module.cloze_runs(text) == [
        {"blank": 1, "hint": None},
        {"t": " is ", "b": False, "i": False},
        {"t": "the ", "b": False, "i": True},
        {"blank": 2, "hint": None},
        {"t": " one", "b": False, "i": True},
        {"t": ", then ", "b": False, "i": False},
        {"blank": 3, "hint": "a hint"},
        {"t": " and # $ {x}.", "b": False, "i": False},
    ]


def test_instructions_name_only_the_kinds_in_the_quiz(bank20: Bank) -> None:
    mcqs = [q for q in bank20.questions if q.kind == "mcq"]
    assert pdf_module.instructions(mcqs[:1], answer_sheet=False) == [
        {"marker": None, "text": "Answer the question."},
        {"marker": "circle", "text": "Choose the one best answer and circle it."},
    ]
    lines = [line["text"] for line in pdf_module.instructions(list(bank20.questions), answer_sheet=True)]
    assert lines == [
        "Answer all 20 questions.",
        "Choose the one best answer and fill its bubble on the answer sheet.",
        "Select all that apply: mark every correct option on the answer sheet. "
        "It scores only when exactly the correct options are marked.",
        "Write the missing words in the numbered blanks.",
        "Write a short answer on the lines.",
    ]


def test_blueprint_counts_unrated_questions(bank20: Bank) -> None:
    questions = [replace(q, difficulty=None) if i < 2 else q for i, q in enumerate(bank20.questions[:6])]
    assert pdf_module.blueprint(bank20, questions) == {
        "columns": ["easy", "medium", "hard", "unrated"],
        "rows": [
            {"name": "Relapse timing", "counts": [0, 1, 0, 1], "total": 2},
            {"name": "Testing methods", "counts": [0, 1, 0, 1], "total": 2},
            {"name": "Drug mechanisms", "counts": [0, 1, 1, 0], "total": 2},
        ],
        "totals": [0, 3, 1, 2, 6],
    }


SYMBOLS = "".join(c for c in string.printable if not c.isspace() and not c.isalnum()) + "abcXYZ019 "


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stem=st.text(alphabet=SYMBOLS, min_size=1, max_size=60).filter(lambda s: markup.plain(s).strip()))
def test_any_ascii_text_prints_as_it_is(bank20: Bank, tmp_path: Path, stem: str) -> None:
    """Whatever symbols a stem holds, the page shows them (less the bank's own markup)."""
    q = next(q for q in bank20.questions if q.kind == "basic")
    bank = replace(bank20, questions=(replace(q, stem=stem),))
    plan = plan_quiz(bank, count=None, versions=1, seed=1)
    out = write_quiz(bank, plan, tmp_path / "q.pdf", QuizOptions(title="T", key="none"))
    printed = texts(out.paths[0])[0].replace("\u200b", "")  # long runs carry break opportunities
    assert f"1. {' '.join(markup.plain(stem).split())}" in printed


# -- the key for fast marking ----------------------------------------------------------


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Bank, Plan, list[str], list[str], Path]:
    """2 versions of 15 questions with answer sheets, context notes, dates and accepted
    alternatives: (bank, plan, quiz pages, key pages, quiz path)."""
    folder = tmp_path_factory.mktemp("marked")
    bank = load(folder / "bank", bank_text(24, extras=True))
    plan = plan_quiz(bank, count=15, versions=2, seed=2)
    out = folder / "quiz.pdf"
    write_quiz(bank, plan, out, QuizOptions(title="Marking", answer_sheet=True))
    return bank, plan, texts(out), texts(key_path(out)), out


def marking_entry(item: PlanItem) -> str:
    """A row of the marking page: number, answer, points."""
    if item.options:
        rule = " (all of these, no other)" if item.kind == "multi" else ""
        return f"{item.number} {', '.join(item.correct)}{rule} {item.points}"
    parts = []
    for i, (answer, accepted) in enumerate(zip(item.answers, item.accepted, strict=True), start=1):
        also = f" also: {'; '.join(accepted)}" if accepted else ""
        parts.append((f"({i}) " if len(item.answers) > 1 else "") + answer + also)
    return f"{item.number} {' '.join(parts)} {item.points}"


def test_the_marking_page_gives_every_numbers_answer_and_points(marked) -> None:
    bank, plan, _, key, _ = marked
    for version in plan.versions:
        page = next(p for p in key if f"Version {version.label}: marking" in p)
        pos = page.index("No. Answer Points")
        for item in version.items:
            pos = page.index(marking_entry(item), pos)
            q = bank.question(item.id)
            assert item.points == q.worth
        total = sum(bank.question(item.id).worth for item in version.items)
        assert page.index(f"Total {total}", pos) > pos and total == version.points
        assert (
            "all or nothing. The item scores its points only when every correct box and no other is marked"
            in page
        )
        assert "Fill in the blanks: 1 point per blank" in page
    accepted = [a for v in plan.versions for item in v.items for alt in item.accepted for a in alt]
    assert accepted, "the sample holds accepted alternatives"


def test_the_score_box_shows_each_versions_total(marked) -> None:
    _, plan, pages, _, _ = marked
    for version in plan.versions:
        sheet = pages[pages_of(pages, f"Version {version.label}")[-1]]
        assert f"Answer sheet Score / {version.points} " in sheet
        assert "For square boxes, fill every correct one (all or nothing)." in sheet


def bubbles(path: Path, index: int) -> list[tuple[str, float, float]]:
    """The lettered bubbles of a page: each letter and where it is drawn (x, y in points)."""
    found: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if len(text.strip()) == 1 and text.strip() in LETTERS:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), round(x, 2), round(y, 2)))

    PdfReader(path).pages[index].extract_text(visitor_text=visit)
    return found


def test_the_marking_grid_lies_exactly_over_the_answer_sheet(marked) -> None:
    _, plan, pages, key, out = marked
    for version in plan.versions:
        sheet_page = pages_of(pages, f"Version {version.label}")[-1]
        grid_page = next(i for i, p in enumerate(key) if f"Version {version.label} Marking grid" in p)
        sheet, grid = bubbles(out, sheet_page), bubbles(key_path(out), grid_page)
        expected = sum(len(item.options) for item in version.items)
        assert len(sheet) == expected and sheet == grid, version.label


def test_the_key_shows_the_context_apart_from_the_explanation_and_dated_sources(marked) -> None:
    bank, plan, _, key, _ = marked
    text = " ".join(key)
    noted = [q for q in bank.questions if q.context is not None and q.id in plan.ids]
    assert noted
    for q in noted:
        n = q.id[-3:]
        entry = text[text.index(f"Explanation {n}.") :]
        since = entry.index(f"Since then: Later {n}.")
        assert since > entry.index("Source: demo (2026-03) — “early peak of relapses")
        assert entry.index("Source: demo (2026-03) — “Some experts recommend FISH", since) > since
    assert "demo Demo source for the her2quiz test suite (2026). (2026-03; pending human review)" in text


def test_the_explained_key_gives_the_accepted_alternatives_too(marked) -> None:
    _, plan, _, key, _ = marked
    for version in plan.versions:
        text = " ".join(key[i] for i in pages_of(key, f"Answer key · Version {version.label}"))
        text = text[text.index("answers explained") :]
        written = [item for item in version.items if item.kind == "basic"]
        assert written
        for item in written:
            assert f"{item.number}. {item.answers[0]} also: {'; '.join(item.accepted[0])}" in text


def test_a_grid_of_several_pages_lies_over_its_sheet_page_by_page(tmp_path: Path) -> None:
    bank = load(tmp_path / "bank", bank_text(100))
    plan = plan_quiz(bank, count=100, versions=1, seed=1)
    out = write_quiz(bank, plan, tmp_path / "q.pdf", QuizOptions(title="Overlay", answer_sheet=True))
    pages, key = texts(out.paths[0]), texts(out.paths[1])
    first_sheet = next(i for i, p in enumerate(pages) if "Answer sheet" in p)
    first_grid = next(i for i, p in enumerate(key) if "Marking grid" in p)
    sheets = range(first_sheet, len(pages))  # the sheet ends the version
    grids = range(first_grid, first_grid + len(sheets))
    assert len(sheets) == 2  # 100 rows take two pages
    assert "answers explained" in key[grids[-1] + 1] and "Stem" not in pages[sheets[-1]]
    found = 0
    for sheet, grid in zip(sheets, grids, strict=True):
        on_sheet = bubbles(out.paths[0], sheet)
        assert on_sheet == bubbles(out.paths[1], grid) and on_sheet
        found += len(on_sheet)
    assert found == sum(len(item.options) for item in plan.versions[0].items)


def test_duplex_puts_each_answer_sheet_on_its_own_sheet_of_paper(bank20: Bank, tmp_path: Path) -> None:
    plan = plan_quiz(bank20, count=4, versions=2, seed=1)  # one page of questions per version
    options = QuizOptions(title="T", duplex=True, answer_sheet=True, key="none")
    pages = texts(write_quiz(bank20, plan, tmp_path / "q.pdf", options).paths[0])
    for version in plan.versions:
        mine = pages_of(pages, f"Version {version.label}")
        sheet = next(i for i in mine if "Answer sheet" in pages[i])
        assert sheet % 2 == 0  # a front side (0-based even: page 1, 3, …)
        assert pages[sheet - 1] == ""  # the blank back of the question page before it
        assert "Stem" not in pages[sheet] and "Answer sheet" not in pages[sheet - 2]
    assert len(pages) == 7  # A, blank, sheet A, blank, B, blank, sheet B


def test_a_single_sided_answer_sheet_follows_the_questions(bank20: Bank, tmp_path: Path) -> None:
    plan = plan_quiz(bank20, count=4, versions=1, seed=1)
    options = QuizOptions(title="T", answer_sheet=True, key="none")
    pages = texts(write_quiz(bank20, plan, tmp_path / "q.pdf", options).paths[0])
    assert len(pages) == 2 and "Answer sheet" in pages[1] and "Stem" not in pages[1]
