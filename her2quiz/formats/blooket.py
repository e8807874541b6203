"""Bank → Blooket question set CSV (``.csv``: Create a set → CSV import).

The layout of Blooket's import template (``Blooket_Spreadsheet_Import_Template.csv``):
26 columns; row 1 holds only the banner ``Blooket`` / ``Import Template``, row 2 the
headers (Question #, Question Text, Answer 1, Answer 2, Answer 3 (Optional), Answer 4
(Optional), Time Limit (sec) (Max: 300 seconds), Correct Answer(s) (Only include
Answer #), each on two lines as the template has them), then one question a row with its
correct answers as numbers, ``2`` or ``"1,3"``. Written with the csv module: UTF-8 without
a BOM, CRLF line ends and quotes where RFC 4180 needs them (a field with a comma, a quote or
a line break), so any text survives.

The registry leaves out a question with more than four options and the kinds Blooket has
not got (cloze, basic). Text is the bank's plain text (no bold or italic in Blooket);
true/false questions are the answers True, False; options are in the order of version A of
a printed quiz with the same seed.

The time limit follows the reading-length rule of :func:`her2quiz.formats.kahoot.reading_seconds`
(10 s, 1 s per 2 words, 10 s more for select-all), rounded up to 5 s, at least 20 s and
at most Blooket's 300 s.

What does not travel: the explanation, the context note, the citations, the distractors'
``why``, topic, difficulty and tags. Blooket's template has no column for them.
"""

from __future__ import annotations

import csv
import io
import math

from .. import markup
from ..bank import ChoiceQuestion, Option, TrueFalse
from ..select import option_order
from . import Job, Rendered
from .kahoot import correct_cell, reading_seconds

COLUMNS = 26
BANNER = "Blooket\nImport Template"
HEADER = (
    "Question #",
    "Question Text",
    "Answer 1",
    "Answer 2",
    "Answer 3\n(Optional)",
    "Answer 4\n(Optional)",
    "Time Limit (sec)\n(Max: 300 seconds)",
    "Correct Answer(s)\n(Only include Answer #)",
)
MAX_TIME = 300


def time_limit(q: ChoiceQuestion | TrueFalse, options: tuple[Option, ...]) -> int:
    """The reading time rounded up to 5 s, within 20 to 300 s."""
    return min(MAX_TIME, max(20, 5 * math.ceil(reading_seconds(q, options) / 5)))


def _row(cells: list[str]) -> list[str]:
    return cells + [""] * (COLUMNS - len(cells))


def render(job: Job) -> Rendered:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_row([BANNER]))
    writer.writerow(_row(list(HEADER)))
    for number, q in enumerate(job.bank.questions, start=1):
        assert isinstance(q, ChoiceQuestion | TrueFalse), "the registry passes choice kinds only"
        options = option_order(q, shuffle=f"{job.seed}:A")
        answers = [markup.plain(o.text) for o in options] + [""] * (4 - len(options))
        cells = [str(number), markup.plain(q.prompt), *answers, str(time_limit(q, options))]
        writer.writerow(_row([*cells, str(correct_cell(options))]))
    return Rendered(((job.target, out.getvalue().encode("utf-8")),))
