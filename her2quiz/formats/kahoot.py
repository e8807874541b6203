"""Bank → Kahoot! quiz spreadsheet (``.xlsx``: Create → Import spreadsheet).

The layout of Kahoot's own template: the quiz title in B2 (a note of where the file came
from in B3), the header in row 8 and one question a row from row 9, columns B–H: question
(at most 120 characters), answers 1–4 (at most 75 each), the time limit (one of Kahoot's
5, 10, 20, 30, 60, 90, 120, 240 s) and the correct answer(s) as ``1`` or ``"1,3"``;
column A numbers the questions, as the template does. The registry leaves out a question
over those limits, with more than four options, or of a kind Kahoot has not got (cloze,
basic); nothing is shortened.

Text is the bank's plain text (Kahoot's import has no bold or italic); a text starting
with ``=`` is stored as a string, never a formula. True/false questions are the two
answers True, False. Options are in the order of version A of a printed quiz with the same
seed (Kahoot does not shuffle them).

The time limit is chosen by reading length: 10 s, plus 1 s for every 2 words of the
question and its answers (a slow reading pace, as on a projector), plus 10 s for a
select-all question; then the smallest of Kahoot's limits at least that long, and never
under 20 s (Kahoot's default).

What does not travel: the explanation, the context note, the citations, the distractors'
``why``, topic, difficulty and tags. Kahoot's sheet has no column for them.

The workbook is written by openpyxl with fixed metadata (creator, created and modified
from ``SOURCE_DATE_EPOCH``) and re-packed with fixed zip entry dates, so the same inputs
give the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .. import markup
from ..bank import AnyQuestion, ChoiceQuestion, Multi, Option, TrueFalse
from ..select import option_order
from . import Job, Rendered
from .qti import package_time, zip_package

TIME_LIMITS = (5, 10, 20, 30, 60, 90, 120, 240)
HEADER_ROW = 8
HEADER = (
    "Question - max 120 characters",
    "Answer 1 - max 75 characters",
    "Answer 2 - max 75 characters",
    "Answer 3 - max 75 characters",
    "Answer 4 - max 75 characters",
    "Time limit (sec) – 5, 10, 20, 30, 60, 90, 120, or 240 secs",
    "Correct answer(s) - choose at least one",
)
FIRST_COLUMN = 2  # B

# What openpyxl refuses to write (XML 1.0 cannot hold it).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def refuse(q: AnyQuestion) -> str | None:
    """A question or answer with a character a spreadsheet cannot hold is left out."""
    options = q.options() if isinstance(q, ChoiceQuestion | TrueFalse) else ()
    for text in (q.prompt, *(o.text for o in options)):
        found = _NOT_XML.search(text)
        if found is not None:
            return f"its text has U+{ord(found.group()):04X}, a character a spreadsheet cannot hold"
    return None


def reading_seconds(q: ChoiceQuestion | TrueFalse, options: tuple[Option, ...]) -> float:
    """Seconds to read a question and its answers and to choose: 10 s, 1 s per 2 words,
    and 10 s more for a select-all question."""
    words = sum(len(markup.plain(t).split()) for t in (q.prompt, *(o.text for o in options)))
    return 10 + words / 2 + (10 if isinstance(q, Multi) else 0)


def time_limit(q: ChoiceQuestion | TrueFalse, options: tuple[Option, ...]) -> int:
    """The smallest of Kahoot's limits that covers the reading time, at least 20 s."""
    need = max(20.0, reading_seconds(q, options))
    return next((t for t in TIME_LIMITS if t >= need), TIME_LIMITS[-1])


def correct_cell(options: tuple[Option, ...]) -> int | str:
    """The correct answers' numbers: 2, or "1,3" for several."""
    numbers = [i for i, o in enumerate(options, start=1) if o.correct]
    return numbers[0] if len(numbers) == 1 else ",".join(map(str, numbers))


def render(job: Job) -> Rendered:
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = "Sheet1"
    title = job.title or job.bank.title
    _text(sheet, 2, 2, title).font = Font(bold=True, size=14)
    _text(
        sheet,
        3,
        2,
        f"{len(job.bank.questions)} questions from her2quiz bank '{job.bank.id}' "
        f"({job.bank.short_hash or 'unsaved'}). Import: Kahoot! → Create → Import spreadsheet.",
    )
    for column, header in enumerate(HEADER, start=FIRST_COLUMN):
        _text(sheet, HEADER_ROW, column, header).font = Font(bold=True)
    for row, q in enumerate(job.bank.questions, start=HEADER_ROW + 1):
        assert isinstance(q, ChoiceQuestion | TrueFalse), "the registry passes choice kinds only"
        options = option_order(q, shuffle=f"{job.seed}:A")
        sheet.cell(row, 1, row - HEADER_ROW)
        _text(sheet, row, 2, markup.plain(q.prompt))
        for column, option in enumerate(options, start=3):
            _text(sheet, row, column, markup.plain(option.text))
        sheet.cell(row, 7, time_limit(q, options))
        sheet.cell(row, 8, correct_cell(options))
    for letter, width in (
        ("A", 5),
        ("B", 60),
        ("C", 30),
        ("D", 30),
        ("E", 30),
        ("F", 30),
        ("G", 16),
        ("H", 16),
    ):
        sheet.column_dimensions[letter].width = width
    return Rendered(((job.target, workbook_bytes(book, job.epoch)),))


def _text(sheet: Worksheet, row: int, column: int, text: str) -> Cell:
    """A string cell, whatever the text looks like (``=1+1`` stays text, not a formula)."""
    cell = sheet.cell(row, column)
    assert isinstance(cell, Cell)
    cell.value = text
    cell.data_type = "s"
    return cell


def workbook_bytes(book: Workbook, epoch: int | None) -> bytes:
    """The .xlsx with fixed metadata and zip dates (openpyxl's own save stamps both with now)."""
    when = package_time(epoch)
    book.properties.creator = "her2quiz"
    book.properties.lastModifiedBy = "her2quiz"
    book.properties.created = when
    book.properties.modified = when
    buffer = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as written:
        entries = [(info.filename, written.read(info)) for info in written.infolist()]
    return zip_package(entries, epoch)
