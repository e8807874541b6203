"""Kahoot (read back with openpyxl, and with LibreOffice when it is installed), Blooket
(read back with the csv module) and Quizlet (split back): every cell and card compared with
what the bank says."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from her2quiz import markup
from her2quiz.api import export, load_bank
from her2quiz.bank import AnyQuestion, Bank, Basic, ChoiceQuestion, Cloze, Multi, TrueFalse
from her2quiz.cli import main
from her2quiz.cloze import deletions
from her2quiz.formats import Job, blooket, get_format, kahoot, quizlet
from her2quiz.select import option_order

from conftest import DEMO_BANK, DEMO_SOURCES, FIXTURES, REPO, SHARED_SOURCES

HOSTILE = FIXTURES / "valid" / "hostile.yaml"
EPOCH = 1_767_225_600  # 2026-01-01T00:00:00Z


def load(path: Path, sources: Path = DEMO_SOURCES) -> Bank:
    bank = load_bank(path, sources=sources).bank
    assert bank is not None
    return bank


BANKS: dict[str, Callable[[], Bank]] = {
    "every-kind": lambda: load(DEMO_BANK),
    "hostile": lambda: load(HOSTILE),
    "her2": lambda: load(REPO / "questions.yaml", SHARED_SOURCES),
}


def carried(bank: Bank, fmt: str) -> Bank:
    format_ = get_format(fmt)
    return dataclasses.replace(bank, questions=tuple(q for q in bank.questions if format_.refusal(q) is None))


def job(bank: Bank, tmp_path: Path, suffix: str, epoch: int | None = EPOCH) -> Job:
    return Job(bank=bank, target=tmp_path / f"out{suffix}", title=bank.title, epoch=epoch, seed=1)


def options(q: AnyQuestion) -> tuple[tuple[str, bool], ...]:
    """The options as the games show them: plain text, and whether correct."""
    assert isinstance(q, ChoiceQuestion | TrueFalse)
    return tuple((markup.plain(o.text), o.correct) for o in option_order(q, shuffle="1:A"))


def write_bank(tmp_path: Path, questions: str) -> Path:
    """A bank of the given questions (YAML list items), the demo source beside it."""
    shutil.copytree(DEMO_SOURCES, tmp_path / "sources", dirs_exist_ok=True)
    head = DEMO_BANK.read_text(encoding="utf-8").split("questions:\n")[0]
    path = tmp_path / "questions.yaml"
    path.write_text(head + "questions:\n" + questions, encoding="utf-8")
    return path


CITE = """    cite:
      - source: demo
        quote: early peak of relapses in the first 4 years after surgery
"""


# --- Kahoot ------------------------------------------------------------------------------------


def kahoot_sheet(data: bytes) -> Worksheet:
    sheet = load_workbook(io.BytesIO(data)).active
    assert isinstance(sheet, Worksheet)
    return sheet


@pytest.mark.parametrize("name", ["every-kind", "hostile", "her2"])
def test_kahoot_sheet_reads_back_as_the_bank(name: str, tmp_path: Path) -> None:
    bank = carried(BANKS[name](), "kahoot")
    ((_, data),) = kahoot.render(job(bank, tmp_path, ".xlsx")).files
    sheet = kahoot_sheet(data)
    assert sheet["B2"].value == bank.title
    assert [sheet.cell(8, c).value for c in range(1, 9)] == [
        None,
        "Question - max 120 characters",
        "Answer 1 - max 75 characters",
        "Answer 2 - max 75 characters",
        "Answer 3 - max 75 characters",
        "Answer 4 - max 75 characters",
        "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
        "Correct answer(s) - choose at least one",
    ]
    assert sheet.max_row == 8 + len(bank.questions)
    assert sheet.max_column == 8
    for row, q in enumerate(bank.questions, start=9):
        shown = options(q)
        cells = [sheet.cell(row, c) for c in range(1, 9)]
        assert all(c.data_type != "f" for c in cells)
        assert cells[0].value == row - 8
        assert cells[1].value == markup.plain(q.prompt)
        assert len(str(cells[1].value)) <= 120
        answers = [c.value for c in cells[2:6]]
        assert answers == [t for t, _ in shown] + [None] * (4 - len(shown))
        assert all(len(str(a)) <= 75 for a in answers if a is not None)
        limit = cells[6].value
        assert limit in (5, 10, 20, 30, 60, 90, 120, 240) and isinstance(limit, int) and limit >= 20
        words = sum(len(t.split()) for t in (markup.plain(q.prompt), *(t for t, _ in shown)))
        assert limit >= min(240, 10 + words / 2 + (10 if isinstance(q, Multi) else 0))
        numbers = [int(n) for n in str(cells[7].value).split(",")]
        assert all(1 <= n <= len(shown) for n in numbers)
        assert numbers == [i for i, (_, correct) in enumerate(shown, start=1) if correct]
        if isinstance(q, TrueFalse):
            assert answers[:2] == ["True", "False"]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in z.namelist() if n.endswith(".xml"))


def test_kahoot_keeps_text_that_looks_like_a_formula_as_text(tmp_path: Path) -> None:
    path = write_bank(
        tmp_path,
        """  - id: formula-looking
    kind: mcq
    topic: relapse
    stem: "=1+1 is it a formula?"
    answer: "=SUM(A1:A3)"
    distractors: ["@cmd", "+2", "-3"]
"""
        + CITE,
    )
    report = export(path, "kahoot", tmp_path / "k.xlsx", epoch=EPOCH)
    assert report.left_out == ()
    sheet = kahoot_sheet((tmp_path / "k.xlsx").read_bytes())
    assert sheet["B9"].value == "=1+1 is it a formula?" and sheet["B9"].data_type == "s"
    values = {sheet.cell(9, c).value: sheet.cell(9, c).data_type for c in range(3, 7)}
    assert values == {"=SUM(A1:A3)": "s", "@cmd": "s", "+2": "s", "-3": "s"}


def test_kahoot_leaves_out_what_breaks_its_limits_naming_the_rule(tmp_path: Path) -> None:
    long_stem = "Which " + "word " * 25 + "fits?"  # 136 characters
    long_answer = "An answer " * 8  # 80 characters
    path = write_bank(
        tmp_path,
        f"""  - id: five-options
    kind: mcq
    topic: relapse
    stem: Which one?
    answer: a
    distractors: [b, c, d, e]
{CITE}  - id: long-stem
    kind: mcq
    topic: relapse
    stem: "{long_stem}"
    answer: a
    distractors: [b, c]
{CITE}  - id: long-answer
    kind: truefalse
    topic: relapse
    statement: Fine.
    answer: true
{CITE}  - id: long-option
    kind: mcq
    topic: relapse
    stem: Which one?
    answer: "{long_answer.strip()}"
    distractors: [b, c]
{CITE}  - id: written
    kind: basic
    topic: relapse
    stem: Which?
    answer: This
{CITE}""",
    )
    report = export(path, "kahoot", tmp_path / "k.xlsx", epoch=EPOCH)
    assert report.left_out == ("five-options", "long-stem", "long-option", "written")
    assert report.warnings == (
        "left out question 'five-options' (mcq): 5 options; at most 4",
        f"left out question 'long-stem' (mcq): the question is {len(long_stem)} characters; at most 120",
        f"left out question 'long-option' (mcq): option '{long_answer[:30]}…' is 79 characters; at most 75",
        "left out question 'written' (basic): game formats have no typed-answer question",
    )
    sheet = kahoot_sheet((tmp_path / "k.xlsx").read_bytes())
    assert sheet.max_row == 9 and sheet["B9"].value == "Fine."  # nothing shortened, nothing else written
    result = CliRunner().invoke(
        main, ["export", str(path), "--format", "kahoot", "-o", str(tmp_path / "s.xlsx"), "--strict"]
    )
    assert result.exit_code == 1 and not (tmp_path / "s.xlsx").exists()
    assert "left out question 'long-stem' (mcq): the question is 136 characters; at most 120" in result.output
    assert "4 question(s) left out under --strict; nothing written" in result.output


def test_kahoot_bytes_are_reproducible_and_dated_from_source_date_epoch(tmp_path: Path) -> None:
    bank = carried(load(HOSTILE), "kahoot")
    first = kahoot.render(job(bank, tmp_path, ".xlsx")).files[0][1]
    assert kahoot.render(job(bank, tmp_path, ".xlsx")).files[0][1] == first
    book = load_workbook(io.BytesIO(first))
    assert (
        book.properties.created.isoformat() == book.properties.modified.isoformat() == "2026-01-01T00:00:00"
    )
    assert book.properties.creator == "her2quiz"
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    undated = kahoot.render(job(bank, tmp_path, ".xlsx", epoch=None)).files[0][1]
    assert load_workbook(io.BytesIO(undated)).properties.created.year == 1980


def test_kahoot_time_limits_follow_reading_length() -> None:
    bank = load(DEMO_BANK)
    tf = next(q for q in bank.questions if isinstance(q, TrueFalse))
    multi = next(q for q in bank.questions if isinstance(q, Multi))
    assert kahoot.time_limit(tf, tf.options()) == 20  # 11 words: 15.5 s, never under 20
    wordy = dataclasses.replace(tf, statement=" ".join(["word"] * 60))  # 62 words: 41 s
    assert kahoot.time_limit(wordy, wordy.options()) == 60
    many = dataclasses.replace(multi, stem=" ".join(["word"] * 120))  # 10 + 70 + 10 s
    assert kahoot.time_limit(many, many.options()) == 90
    assert blooket.time_limit(many, many.options()) == 90
    huge = dataclasses.replace(multi, stem=" ".join(["word"] * 1000))
    assert (kahoot.time_limit(huge, huge.options()), blooket.time_limit(huge, huge.options())) == (240, 300)


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (Debian libreoffice-calc) is not installed"
)
def test_kahoot_sheet_opens_in_libreoffice(tmp_path: Path) -> None:
    bank = carried(load(HOSTILE), "kahoot")
    ((_, data),) = kahoot.render(job(bank, tmp_path, ".xlsx")).files
    (tmp_path / "k.xlsx").write_bytes(data)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "k.xlsx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    rows = list(csv.reader(io.StringIO((tmp_path / "k.csv").read_text(encoding="utf-8"))))
    assert rows[1][1] == bank.title
    assert rows[7][1:8] == list(kahoot.HEADER)
    for row, q in zip(rows[8:], bank.questions, strict=True):
        shown = options(q)
        assert row[1] == markup.plain(q.prompt)
        assert row[2 : 2 + len(shown)] == [t for t, _ in shown]


# --- Blooket -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["every-kind", "hostile", "her2"])
def test_blooket_csv_reads_back_as_the_bank(name: str, tmp_path: Path) -> None:
    bank = carried(BANKS[name](), "blooket")
    ((_, data),) = blooket.render(job(bank, tmp_path, ".csv")).files
    assert not data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["Blooket\nImport Template"] + [""] * 25
    assert (
        rows[1]
        == [
            "Question #",
            "Question Text",
            "Answer 1",
            "Answer 2",
            "Answer 3\n(Optional)",
            "Answer 4\n(Optional)",
            "Time Limit (sec)\n(Max: 300 seconds)",
            "Correct Answer(s)\n(Only include Answer #)",
        ]
        + [""] * 18
    )
    assert len(rows) == 2 + len(bank.questions)
    assert all(len(r) == 26 for r in rows)
    for number, (row, q) in enumerate(zip(rows[2:], bank.questions, strict=True), start=1):
        shown = options(q)
        assert row[0] == str(number)
        assert row[1] == markup.plain(q.prompt)
        assert row[2:6] == [t for t, _ in shown] + [""] * (4 - len(shown))
        assert 20 <= int(row[6]) <= 300 and int(row[6]) % 5 == 0
        numbers = [int(n) for n in row[7].split(",")]
        assert numbers == [i for i, (_, correct) in enumerate(shown, start=1) if correct]
        assert row[8:] == [""] * 18
    # RFC 4180: every record ends in CRLF; a bare LF only inside a quoted field.
    records = re.sub(r'"(?:[^"]|"")*"', "", text)
    assert records.count("\r\n") == len(rows) and "\n" not in records.replace("\r\n", "")


def test_blooket_leaves_out_five_options_and_written_kinds(tmp_path: Path) -> None:
    report = export(HOSTILE, "blooket", tmp_path / "b.csv", sources=DEMO_SOURCES, epoch=EPOCH)
    reasons = dict(w.split(": ", 1) for w in report.warnings)
    assert reasons == {
        "left out question 'hostile-multi-thirds' (multi)": "5 options; at most 4",
        "left out question 'hostile-multi-halves' (multi)": "5 options; at most 4",
        "left out question 'hostile-cloze-blanks' (cloze)": "game formats have no fill-in-the-blank question",
        "left out question 'hostile-basic-short' (basic)": "game formats have no typed-answer question",
        "left out question 'hostile-basic-essay' (basic)": "game formats have no typed-answer question",
    }


# --- Quizlet -----------------------------------------------------------------------------------


def expected_card(q: AnyQuestion) -> tuple[str, str]:
    """Term and definition as the module's docstring says, from the bank."""

    def one_line(text: str) -> str:
        return re.sub(r"\s*[\t\n\r\v\f\x85\u2028\u2029]\s*", " ", markup.plain(text))

    if isinstance(q, Cloze):
        term = q.text
        for d in reversed(deletions(q.text)):
            term = term[: d.start] + "____" + (f" ({d.hint})" if d.hint else "") + term[d.end :]
        return one_line(term), "; ".join(one_line(d.answer) for d in deletions(q.text))
    if isinstance(q, ChoiceQuestion):
        return one_line(q.stem), "; ".join(one_line(a) for a in q.answers)
    if isinstance(q, TrueFalse):
        return one_line(q.statement), "True" if q.answer else "False"
    assert isinstance(q, Basic)
    return one_line(q.stem), one_line(q.answer)


@pytest.mark.parametrize("name", ["every-kind", "hostile", "her2"])
def test_quizlet_cards_split_back_into_the_bank(name: str, tmp_path: Path) -> None:
    bank = carried(BANKS[name](), "quizlet")
    assert len(bank.questions) == len(BANKS[name]().questions)  # Quizlet carries every kind
    ((_, data),) = quizlet.render(job(bank, tmp_path, ".txt")).files
    text = data.decode("utf-8")
    assert text.endswith("\n") and "\r" not in text
    lines = text.removesuffix("\n").split("\n")
    assert len(lines) == len(bank.questions)
    for line, q in zip(lines, bank.questions, strict=True):
        assert line.count("\t") == 1
        term, definition = line.split("\t")
        assert (term, definition) == expected_card(q)
        assert term.strip() and definition.strip()


def test_quizlet_flattens_tabs_and_line_breaks(tmp_path: Path) -> None:
    path = write_bank(
        tmp_path,
        """  - id: tabbed
    kind: basic
    topic: relapse
    stem: "First line\\nsecond\\tcolumn  \\n\\n  after a blank line, **bold** kept as text"
    answer: "Answer\\twith a tab\\u2028and a line separator"
"""
        + CITE,
    )
    export(path, "quizlet", tmp_path / "q.txt", epoch=EPOCH)
    assert (tmp_path / "q.txt").read_text(encoding="utf-8") == (
        "First line second column after a blank line, bold kept as text\tAnswer with a tab and a line separator\n"
    )


# --- all three ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "suffix"), [("kahoot", ".xlsx"), ("blooket", ".csv"), ("quizlet", ".txt")])
def test_games_are_byte_identical_through_the_cli(fmt: str, suffix: str, tmp_path: Path) -> None:
    shutil.copytree(DEMO_SOURCES, tmp_path / "sources")
    bank_path = tmp_path / "hostile.yaml"
    shutil.copyfile(HOSTILE, bank_path)
    outputs = []
    for n in (1, 2):
        out = tmp_path / f"{n}{suffix}"
        result = CliRunner().invoke(
            main,
            ["export", str(bank_path), "--format", fmt, "-o", str(out)],
            env={"SOURCE_DATE_EPOCH": str(EPOCH)},
        )
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    api = export(bank_path, fmt, tmp_path / f"api{suffix}", epoch=EPOCH)
    assert (tmp_path / f"api{suffix}").read_bytes() == outputs[0]
    assert api.written[0].summary.startswith(
        f"{len(carried(load(bank_path, tmp_path / 'sources'), fmt).questions)} questions"
    )
