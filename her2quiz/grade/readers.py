"""A class's result file, in one of four formats, becomes :class:`Responses`.

- ``sheet``: ours, for the paper answer sheet: ``student,version,1,2,…,N``; a choice item's
  cell holds the letters marked (``B``, ``AC``), a written item's the teacher's mark (0 to 1).
- ``zipgrade``: ZipGrade's "CSV – Full Data Format" (``Key Version``, then ``StuN``,
  ``PriKeyN``, ``PointsN``, ``MarkN`` per question; a key version is a letter or 1, 2, …).
- ``moodle``: the quiz Responses report (``Question N`` with the question summary, that is
  its text then ``: `` and the options in that student's order; ``Response N`` the chosen
  option texts joined by ``; ``; ``-`` unanswered), or the Grades report (``Q. N /max``);
  both as Moodle downloads them: UTF-8 with a BOM, a final "Overall average" row.
- ``forms``: a Google Forms responses CSV: a column per question headed by its text, the
  chosen option texts, checkboxes joined by ``, ``.

Options are kept in one order per question, the *canonical* one: the order of the first
version of the plan that has it, so options pool across versions and formats. Chosen
options are a bit mask over that order (bit 0: the first option). Every bad cell raises
:class:`ResultsError` naming the file, line and column of the cell.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import markup
from ..bank import LETTERS, AnyQuestion, Bank, Kind, kind_facts
from ..cloze import deletions
from ..diagnostics import Diagnostic, InputFileError, did_you_mean
from ..plan import Plan, PlanItem

FORMATS = ("sheet", "zipgrade", "moodle", "forms")
MAX_BYTES = 64 * 1024 * 1024
_UNANSWERED = ("", "-")  # Moodle writes "-" for a question not answered


class ResultsError(InputFileError):
    """A result file that cannot be graded; ``diagnostic`` says where and why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.concise())
        self.diagnostic = diagnostic


# -- the plan's key, in canonical option order ------------------------------------------


@dataclass(frozen=True)
class ItemKey:
    """One question of the plan: its canonical options and the mask of the correct ones."""

    id: str
    kind: Kind
    points: int
    number: int  # its number in the plan's first version
    options: tuple[str, ...] = ()
    correct: int = 0  # bit mask over ``options``
    answers: tuple[str, ...] = ()
    accepted: tuple[tuple[str, ...], ...] = ()

    @property
    def is_choice(self) -> bool:
        return kind_facts(self.kind).choice


@dataclass(frozen=True)
class Key:
    """The plan as grading needs it: the questions (in the first version's order), and
    for each version and number, the question and how its letters map to canonical ones."""

    items: tuple[ItemKey, ...]
    versions: Mapping[str, tuple[tuple[int, tuple[int, ...]], ...]]  # label -> per number (item, perm)
    index: Mapping[str, int]  # question id -> position in ``items``

    @classmethod
    def of(cls, plan: Plan) -> Key:
        first = plan.versions[0]
        items = tuple(_item_key(item) for item in first.items)
        index = {k.id: i for i, k in enumerate(items)}
        versions = {}
        for version in plan.versions:
            row = []
            for item in version.items:
                pos = index[item.id]
                canonical = items[pos].options
                row.append((pos, tuple(canonical.index(text) for text in item.options)))
            versions[version.label] = tuple(row)
        return cls(items, versions, index)


def _item_key(item: PlanItem) -> ItemKey:
    correct = sum(1 << LETTERS.index(letter) for letter in item.correct)
    return ItemKey(
        item.id, item.kind, item.points, item.number, item.options, correct, item.answers, item.accepted
    )


# -- what a reader gives back ----------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Responses:
    """A class's answers: per student, and per question either the canonical masks of the
    options chosen (``chosen``; 0 is unanswered) or the mark as a fraction (``scored``)."""

    format: str
    students: tuple[str, ...]
    versions: tuple[str, ...]
    chosen: Mapping[str, np.ndarray]
    scored: Mapping[str, np.ndarray]
    warnings: tuple[str, ...] = ()


@dataclass
class _Collector:
    """Fills the arrays row by row, refusing a student named twice."""

    key: Key
    table: Table
    rows: int
    students: list[str] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    chosen: dict[str, list[float]] = field(default_factory=dict)  # masks (ints) by student
    scored: dict[str, list[float]] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, None] = field(default_factory=dict)

    def student(self, name: str, version: str, row: int, column: int) -> int:
        if name in self.seen:
            self.table.fail(
                row, column, "E415", f"student '{name}' appears twice (first on line {self.seen[name]})"
            )
        self.seen[name] = self.table.line_of(row)
        self.students.append(name)
        self.versions.append(version)
        return len(self.students) - 1

    def column(self, qid: str, choice: bool) -> list[float]:
        """The list of one question's values, by student (made on first use)."""
        found = self.chosen.get(qid) if choice else self.scored.get(qid)
        if found is None:
            if choice:
                found = self.chosen[qid] = [0] * self.rows  # masks
            else:
                found = self.scored[qid] = [0.0] * self.rows
        return found

    def choose(self, qid: str, student: int, mask: int) -> None:
        self.column(qid, True)[student] = mask

    def score(self, qid: str, student: int, fraction: float) -> None:
        self.column(qid, False)[student] = fraction

    def done(self, fmt: str) -> Responses:
        n = len(self.students)
        if not n:
            self.table.fail(None, 0, "E415", "no student's answers: the file has only its header")
        for item in self.key.items:  # a question nobody answered still has its (empty) row
            if item.id not in self.chosen and item.id not in self.scored:
                self.column(item.id, item.is_choice)
        return Responses(
            fmt,
            tuple(self.students),
            tuple(self.versions),
            {q: np.array(a[:n], dtype=np.int64) for q, a in self.chosen.items()},
            {q: np.array(a[:n], dtype=np.float64) for q, a in self.scored.items()},
            tuple(self.warnings),
        )


# -- CSV with positions ----------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A CSV file read whole: the header, the rows, and where each row starts, so an error
    can name the line and column of a cell (computed only when there is an error)."""

    display: str
    lines: tuple[str, ...]
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    starts: tuple[int, ...]  # 1-based line of the header (index 0) and of each row

    def line_of(self, row: int | None) -> int:
        return self.starts[0 if row is None else row + 1]

    def where(self, row: int | None, column: int) -> tuple[int, int]:
        """(line, column) of cell ``column`` (0-based) of ``row`` (None: the header)."""
        start = self.line_of(row)
        raw = "".join(self.lines[start - 1 :])
        offset = _field_offset(raw, column)
        before = raw[:offset]
        line = start + before.count("\n")
        return line, offset - (before.rfind("\n") + 1) + 1

    def fail(self, row: int | None, column: int, code: str, message: str) -> None:
        line, col = self.where(row, column)
        raise ResultsError(Diagnostic(self.display, line, col, code, message))


def _field_offset(raw: str, index: int) -> int:
    """Offset in ``raw`` (a CSV record and what follows) where field ``index`` starts; the
    end of the record for a field past its last."""
    field_no, quoted, fresh, i = 0, False, True, 0
    while i < len(raw):
        if field_no == index and fresh:
            return i
        c = raw[i]
        if quoted:
            if c == '"':
                if raw.startswith('""', i):
                    i += 1
                else:
                    quoted = False
        elif c == '"' and fresh:
            quoted = True
        elif c == ",":
            field_no += 1
            i += 1
            fresh = True
            continue
        elif c in "\r\n":
            return i
        fresh = False
        i += 1
    return i


def read_table(path: Path, display: str) -> Table:
    """The CSV in ``path`` (UTF-8, a BOM allowed), or ResultsError."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ResultsError(
            Diagnostic(display, 1, 1, "E410", f"cannot read the results: {e.strerror}")
        ) from None
    if len(data) > MAX_BYTES:
        raise ResultsError(Diagnostic(display, 1, 1, "E410", f"larger than {MAX_BYTES // 2**20} MiB"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ResultsError(Diagnostic(display, 1, 1, "E410", f"not UTF-8 (byte {e.start})")) from None
    lines = tuple(text.splitlines(keepends=True))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records, starts, last = [], [], 0
    try:
        for record in reader:
            start = last + 1
            last = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            records.append(tuple(record))
            starts.append(start)
    except csv.Error as e:
        raise ResultsError(Diagnostic(display, last + 1, 1, "E410", f"not CSV: {e}")) from None
    if not records:
        raise ResultsError(Diagnostic(display, 1, 1, "E410", "the file has no header row"))
    return Table(display, lines, records[0], tuple(records[1:]), tuple(starts))


# -- the formats -----------------------------------------------------------------------


def detect(table: Table) -> str | None:
    """The format a header says, or None."""
    head = [h.strip() for h in table.header]
    lowered = [h.lower() for h in head]
    if lowered[:2] == ["student", "version"]:
        return "sheet"
    if "Key Version" in head and "Stu1" in head:
        return "zipgrade"
    if any(_MOODLE_SLOT.match(h) or _MOODLE_MARK.match(h) for h in head):
        return "moodle"
    if lowered and lowered[0] == "timestamp":
        return "forms"
    return None


def read_responses(
    path: Path,
    plan: Plan,
    *,
    bank: Bank | None,
    source_format: str | None,
    display: str | None = None,
    key: Key | None = None,
) -> Responses:
    """The answers in ``path``, read as ``source_format`` (None: told by the header)."""
    shown = display if display is not None else str(path)
    table = read_table(path, shown)
    fmt = source_format or detect(table)
    if fmt is None:
        table.fail(
            None, 0, "E419", f"cannot tell the format from the header; give it (one of {', '.join(FORMATS)})"
        )
    if fmt not in _READERS:
        table.fail(None, 0, "E419", f"unknown results format '{fmt}'; expected one of {', '.join(FORMATS)}")
    assert fmt is not None
    return _READERS[fmt](table, key or Key.of(plan), plan, bank)


def _letters_mask(
    table: Table, row: int, column: int, cell: str, item: ItemKey, perm: tuple[int, ...], number: int
) -> int:
    mask = 0
    for letter in cell.upper():
        if letter in " ,;":
            continue
        where = LETTERS.find(letter)
        if where < 0 or where >= len(perm):
            last = LETTERS[len(perm) - 1]
            table.fail(
                row, column, "E412",
                f"'{letter}' is not an option of question {number} ('{item.id}': A to {last})",
            )  # fmt: skip
        mask |= 1 << perm[where]
    return mask


def _fraction(table: Table, row: int, column: int, cell: str, top: float = 1.0) -> float:
    try:
        value = float(cell.replace(",", ".")) if cell not in _UNANSWERED else 0.0
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= top:
        table.fail(row, column, "E417", f"mark '{cell}' is not a number from 0 to {top:g}")
    return value / top


def _version_of(table: Table, key: Key, row: int, column: int, cell: str) -> str:
    label = cell.strip().upper()
    if label.isdigit() and 1 <= int(label) <= len(LETTERS):  # ZipGrade numbers its keys 1, 2, …
        label = LETTERS[int(label) - 1]
    if not label and len(key.versions) == 1:
        label = next(iter(key.versions))
    if label not in key.versions:
        table.fail(
            row, column, "E411",
            f"unknown version '{cell}'; the plan has {', '.join(key.versions)}",
        )  # fmt: skip
    return label


def _numbered_columns(table: Table, pattern: re.Pattern[str], count: int, what: str) -> dict[int, int]:
    """Question number -> column index for the header cells ``pattern`` matches; every
    number from 1 to ``count`` exactly once."""
    found: dict[int, int] = {}
    for col, head in enumerate(table.header):
        m = pattern.match(head.strip())
        if not m:
            continue
        number = int(m.group(1))
        if number in found:
            table.fail(None, col, "E414", f"column '{head}' appears twice")
        if not 1 <= number <= count:
            table.fail(None, col, "E413", f"column '{head}': the plan has questions 1 to {count}")
        found[number] = col
    for number in range(1, count + 1):
        if number not in found:
            after = max((c for n, c in found.items() if n < number), default=len(table.header) - 1)
            label = what.format(n=number)
            table.fail(None, after + 1, "E413", f"no column for question {number} (expected '{label}')")
    return found


def _check_width(table: Table, row: int, cells: Sequence[str]) -> None:
    if len(cells) != len(table.header):
        table.fail(
            row, min(len(cells), len(table.header)), "E420",
            f"the row has {len(cells)} cells; the header has {len(table.header)}",
        )  # fmt: skip


# sheet ---------------------------------------------------------------------------------


def read_sheet(table: Table, key: Key, plan: Plan, bank: Bank | None) -> Responses:
    """Our answer-sheet CSV: ``student,version,1,…,N``."""
    count = len(key.items)
    for col, head in enumerate(table.header[2:], start=2):
        if not head.strip().isdigit():
            table.fail(
                None, col, "E413", f"unexpected column '{head}'; expected question numbers 1 to {count}"
            )
    columns = _numbered_columns(table, re.compile(r"(\d+)$"), count, "{n}")
    out = _Collector(key, table, len(table.rows))
    # per version, per column: (column, question number, the values list, the item, its
    # letter map, and a cache of cell text -> value): a class repeats the same few cells
    Layout = list[tuple[int, int, list[float], ItemKey, tuple[int, ...], dict[str, float]]]
    layouts: dict[str, Layout] = {
        label: [
            (col, number, out.column(key.items[pos].id, key.items[pos].is_choice), key.items[pos], perm, {})
            for number, col in sorted(columns.items())
            for pos, perm in [layout[number - 1]]
        ]
        for label, layout in key.versions.items()
    }
    for row, cells in enumerate(table.rows):
        _check_width(table, row, cells)
        name = cells[0].strip()
        if not name:
            table.fail(row, 0, "E415", "no student named on this row")
        version = _version_of(table, key, row, 1, cells[1])
        student = out.student(name, version, row, 0)
        for col, number, values, item, perm, cache in layouts[version]:
            cell = cells[col]
            value: float | None = cache.get(cell)
            if value is None:
                text = cell.strip()
                if item.is_choice:
                    value = _letters_mask(table, row, col, text, item, perm, number)
                else:
                    value = _fraction(table, row, col, text)
                cache[cell] = value
            values[student] = value
    return out.done("sheet")


# zipgrade ------------------------------------------------------------------------------

_STU = re.compile(r"Stu(\d+)$")


def read_zipgrade(table: Table, key: Key, plan: Plan, bank: Bank | None) -> Responses:
    """ZipGrade's "CSV – Full Data Format"; marked by the plan, not by ZipGrade's key."""
    head = [h.strip() for h in table.header]
    count = len(key.items)
    columns = _numbered_columns(table, _STU, count, "Stu{n}")
    version_col = head.index("Key Version")
    points = {n: head.index(f"Points{n}") for n in columns if f"Points{n}" in head}
    prikeys = {n: head.index(f"PriKey{n}") for n in columns if f"PriKey{n}" in head}
    out = _Collector(key, table, len(table.rows))
    for row, cells in enumerate(table.rows):
        _check_width(table, row, cells)
        version = _version_of(table, key, row, version_col, cells[version_col])
        student = out.student(_zipgrade_name(head, cells, row), version, row, 0)
        layout = key.versions[version]
        for number, col in columns.items():
            pos, perm = layout[number - 1]
            item = key.items[pos]
            if not item.is_choice:
                where = points.get(number, col)
                out.score(item.id, student, _fraction(table, row, where, cells[where].strip()))
                continue
            out.choose(item.id, student, _letters_mask(table, row, col, cells[col], item, perm, number))
            if number in prikeys:
                _compare_key(out, version, number, cells[prikeys[number]], item, perm)
    return out.done("zipgrade")


def _zipgrade_name(head: list[str], cells: Sequence[str], row: int) -> str:
    def get(name: str) -> str:
        return cells[head.index(name)].strip() if name in head else ""

    full = " ".join(p for p in (get("FirstName"), get("LastName")) if p)
    return get("StudentID") or get("CustomID") or full or f"paper {row + 1}"


def _compare_key(
    out: _Collector, version: str, number: int, cell: str, item: ItemKey, perm: tuple[int, ...]
) -> None:
    theirs = "".join(sorted(c for c in cell.upper() if c in LETTERS))
    ours = "".join(LETTERS[i] for i, p in enumerate(perm) if item.correct >> p & 1)
    if theirs and theirs != ours:
        out.warnings[
            f"ZipGrade's key for version {version} question {number} is '{theirs}', the plan's is "
            f"'{ours}'; marked by the plan"
        ] = None


# moodle --------------------------------------------------------------------------------

_MOODLE_SLOT = re.compile(r"Response (\d+)$")
_MOODLE_QUESTION = re.compile(r"Question (\d+)$")
_MOODLE_MARK = re.compile(r"Q\. ?(\d+)\s*/\s*([0-9]+(?:[.,][0-9]+)?)$")
_OVERALL = "overall average"


_BLANK = re.compile(r"_{2,}")  # a blank, however long a tool draws it
_PART = re.compile(r"part \d+:\s*")  # how Moodle's Responses report labels a cloze's parts


def normal(text: str) -> str:
    """Text as compared across tools: markup removed, space collapsed, case folded, a
    blank drawn as one underscore."""
    return _BLANK.sub("_", " ".join(markup.plain(text).split()).casefold())


def read_moodle(table: Table, key: Key, plan: Plan, bank: Bank | None) -> Responses:
    """Moodle's Responses report (by question text) or Grades report (by number)."""
    head = [h.strip() for h in table.header]
    if any(_MOODLE_SLOT.match(h) for h in head):
        return _moodle_responses(table, key, bank, head)
    return _moodle_grades(table, key, head)


def _moodle_rows(table: Table) -> Iterator[tuple[int, tuple[str, ...]]]:
    for row, cells in enumerate(table.rows):
        if cells and cells[0].strip().lower() == _OVERALL:
            continue
        _check_width(table, row, cells)
        yield row, cells


def _moodle_name(head: list[str], cells: Sequence[str], row: int) -> tuple[str, int]:
    for name in ("Email address", "ID number", "Username"):
        if name in head and cells[head.index(name)].strip():
            return cells[head.index(name)].strip(), head.index(name)
    parts = [cells[head.index(n)].strip() for n in ("First name", "Surname") if n in head]
    return " ".join(p for p in parts if p) or f"attempt {row + 1}", 0


def _moodle_grades(table: Table, key: Key, head: list[str]) -> Responses:
    columns: dict[int, tuple[int, float]] = {}
    for col, h in enumerate(head):
        m = _MOODLE_MARK.match(h)
        if m:
            if int(m.group(1)) in columns:
                table.fail(None, col, "E414", f"column '{h}' appears twice")
            columns[int(m.group(1))] = (col, float(m.group(2).replace(",", ".")))
    numbers = _numbered_columns(table, _MOODLE_MARK, len(key.items), "Q. {n} /…")
    out = _Collector(key, table, len(table.rows))
    layout = key.versions[next(iter(key.versions))]  # Q. N: question N of the first version
    for row, cells in _moodle_rows(table):
        name, at = _moodle_name(head, cells, row)
        student = out.student(name, "", row, at)  # Moodle shuffles by itself: no version
        for number in numbers:
            col, top = columns[number]
            item = key.items[layout[number - 1][0]]
            out.score(item.id, student, _fraction(table, row, col, cells[col].strip(), top))
    return out.done("moodle")


def _moodle_responses(table: Table, key: Key, bank: Bank | None, head: list[str]) -> Responses:
    if bank is None:
        table.fail(None, 0, "E419", "Moodle's Responses report is matched by question text: give the bank")
    assert bank is not None
    slots = _numbered_columns(table, _MOODLE_SLOT, len(key.items), "Response {n}")
    questions: dict[int, int] = {}
    for col, h in enumerate(head):
        m = _MOODLE_QUESTION.match(h)
        if m:
            questions[int(m.group(1))] = col
    for number, col in slots.items():
        if number not in questions:
            table.fail(
                None, col, "E413",
                f"no 'Question {number}' column: download the Responses report with the question "
                "text shown, so each response can be matched to its question",
            )  # fmt: skip
    prompts = _prompts(key, bank)
    out = _Collector(key, table, len(table.rows))
    match_cache: dict[str, int | None] = {}
    for row, cells in _moodle_rows(table):
        name, at = _moodle_name(head, cells, row)
        student = out.student(name, "", row, at)  # Moodle shuffles by itself: no version
        for number, col in slots.items():
            qcol = questions[number]
            summary = cells[qcol].strip()
            if summary not in match_cache:
                match_cache[summary] = _match_summary(summary, prompts)
            pos = match_cache[summary]
            if pos is None:
                table.fail(
                    row, qcol, "E416", f"question text '{_short(summary)}' matches no question of the plan"
                )
            assert pos is not None
            item = key.items[pos]
            _record_text(out, table, row, col, item, student, cells[col].strip(), "; ")
    return out.done("moodle")


def _prompts(key: Key, bank: Bank) -> list[tuple[str, int]]:
    """(normalised prompt, item position), longest first, for the plan's questions."""
    found = []
    for pos, item in enumerate(key.items):
        q = bank.get(item.id)
        if q is not None:
            found.append((normal(prompt_text(q)), pos))
    return sorted(found, key=lambda p: -len(p[0]))


def prompt_text(q: AnyQuestion) -> str:
    """The text a student reads first, as tools show it: a cloze's deletions as blanks."""
    if q.kind != "cloze":
        return q.prompt
    text, pos, parts = q.prompt, 0, []
    for d in deletions(text):
        parts.append(text[pos : d.start])
        pos = d.end
    return "___".join([*parts, text[pos:]])


def _match_summary(summary: str, prompts: list[tuple[str, int]]) -> int | None:
    text = normal(summary)
    for prompt, pos in prompts:
        if text == prompt or text.startswith(prompt + ":"):
            return pos
    return None


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _record_text(
    out: _Collector, table: Table, row: int, col: int, item: ItemKey, student: int, cell: str, sep: str
) -> None:
    """One response given as text: chosen option texts, or a written answer."""
    if cell in _UNANSWERED:
        (out.choose if item.is_choice else out.score)(item.id, student, 0)
        return
    if item.is_choice:
        chosen = split_choices(cell, item.options, sep)
        if chosen is None:
            listed = "; ".join(f"'{_short(o, 30)}'" for o in item.options)
            table.fail(row, col, "E418", f"'{_short(cell)}' is none of the options of '{item.id}' ({listed})")
        assert chosen is not None
        out.choose(item.id, student, sum(1 << i for i in chosen))
        return
    out.score(item.id, student, written_mark(cell, item, sep))


def split_choices(cell: str, options: Sequence[str], sep: str) -> list[int] | None:
    """The options whose texts, joined by ``sep``, make ``cell`` (option texts may hold
    ``sep`` themselves: every split is tried), or None."""
    wanted = normal(cell)
    texts = [normal(o) for o in options]
    glue = normal(f"a{sep}b")[1:-1]

    def walk(rest: str, used: tuple[int, ...]) -> list[int] | None:
        for i, text in enumerate(texts):
            if i in used or not rest.startswith(text):
                continue
            after = rest[len(text) :]
            if not after:
                return [*used, i]
            if after.startswith(glue):
                found = walk(after[len(glue) :].lstrip(), (*used, i))
                if found is not None:
                    return found
        return None

    return walk(wanted, ())


def written_mark(cell: str, item: ItemKey, sep: str) -> float:
    """A typed answer's mark: the share of its blanks (one for basic) answered with the
    expected text or an accepted alternative (case and space ignored)."""
    parts = cell.split(sep.strip()) if len(item.answers) > 1 else [cell]
    given = [_PART.sub("", normal(part), count=1) for part in parts]
    right = 0
    for i, answer in enumerate(item.answers):
        ok = {normal(answer), *(normal(a) for a in (item.accepted[i] if i < len(item.accepted) else ()))}
        right += i < len(given) and given[i] in ok
    return right / len(item.answers) if item.answers else 0.0


# forms ---------------------------------------------------------------------------------

_FORMS_META = {"timestamp", "email address", "email", "score", "name", "student", "student name", "class"}


def read_forms(table: Table, key: Key, plan: Plan, bank: Bank | None) -> Responses:
    """A Google Forms responses CSV, its questions matched by their text."""
    if bank is None:
        table.fail(None, 0, "E419", "a Google Forms file is matched by question text: give the bank")
    assert bank is not None
    prompts = dict(_prompts(key, bank))
    columns: dict[int, int] = {}  # item position -> column
    lowered = [h.strip().lower() for h in table.header]
    for col, head in enumerate(table.header):
        if lowered[col] in _FORMS_META or lowered[col] == "version":
            continue
        pos = prompts.get(normal(head))
        if pos is None:
            hint = did_you_mean(normal(head), list(prompts))
            table.fail(
                None,
                col,
                "E416",
                f"question text '{_short(head.strip())}' matches no question of the plan{hint}",
            )
        assert pos is not None
        if pos in columns:
            table.fail(None, col, "E414", f"question '{key.items[pos].id}' has two columns")
        columns[pos] = col
    for pos, item in enumerate(key.items):
        if pos not in columns:
            table.fail(None, len(table.header), "E413", f"no column for question '{item.id}'")
    who = next(
        (
            lowered.index(n)
            for n in ("email address", "email", "name", "student name", "student")
            if n in lowered
        ),
        None,
    )
    version_col = lowered.index("version") if "version" in lowered else None
    out = _Collector(key, table, len(table.rows))
    for row, cells in enumerate(table.rows):
        _check_width(table, row, cells)
        name = cells[who].strip() if who is not None else ""
        version = (
            _version_of(table, key, row, version_col, cells[version_col]) if version_col is not None else ""
        )
        student = out.student(name or f"response {row + 1}", version, row, who or 0)
        for pos, col in columns.items():
            _record_text(out, table, row, col, key.items[pos], student, cells[col].strip(), ", ")
    return out.done("forms")


Reader = Callable[[Table, Key, Plan, "Bank | None"], Responses]
_READERS: Mapping[str, Reader] = {
    "sheet": read_sheet,
    "zipgrade": read_zipgrade,
    "moodle": read_moodle,
    "forms": read_forms,
}
