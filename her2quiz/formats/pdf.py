"""Plan -> printable quiz and answer key (Typst -> PDF).

The template (``templates/quiz.typ``, built-in Typst only) receives one JSON document in
``sys.inputs.data``: the plan's versions with their option order and correct letters,
the questions' text as markup runs (see :func:`her2quiz.markup.to_data`), and the
blueprint and concept-sheet tables. Text is never pasted into Typst markup, so nothing in
a question can break or inject into the document.

One compile per PDF: the quiz (every version, plus the key when ``key="appended"``) and,
for ``key="separate"``, the key beside it. The two compile at the same time (Typst lets go
of the GIL while it works, so they share the machine's cores); both are rendered before
either is written, and each is written atomically, so a failure never leaves a partial file.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import typst  # this module is imported only by the commands that print

from .. import markup
from ..bank import DIFFICULTIES, AnyQuestion, Bank, ChoiceQuestion, Citation, Cloze, kind_facts
from ..cloze import outside
from ..plan import Plan, PlanItem, PlanVersion
from . import Job, Rendered

PAPERS = ("a4", "us-letter")
KEYS = ("separate", "appended", "none")
Json = dict[str, Any]
TEMPLATE = Path(__file__).parent.parent / "templates" / "quiz.typ"


@dataclass(frozen=True)
class QuizOptions:
    """How to print a plan. ``epoch`` is the creation date (SOURCE_DATE_EPOCH); None: no date."""

    title: str
    subtitle: str = ""
    paper: str = "a4"
    key: str = "separate"
    answer_sheet: bool = False
    duplex: bool = False
    epoch: int | None = None


def key_path(out_path: Path) -> Path:
    """Where a separate key goes: NAME-key.pdf beside NAME.pdf."""
    return out_path.with_name(out_path.stem + "-key.pdf")


def render(job: Job) -> Rendered:
    """The registry's entry point: the quiz with a separate key, default options."""
    if job.plan is None:
        raise ValueError("a quiz is rendered from a plan")
    return render_quiz(job.bank, job.plan, job.target, QuizOptions(title=job.title, epoch=job.epoch))


def write_quiz(bank: Bank, plan: Plan, out_path: str | Path, options: QuizOptions) -> Rendered:
    """:func:`render_quiz`, then write its files together."""
    return render_quiz(bank, plan, out_path, options).write()


def render_quiz(bank: Bank, plan: Plan, out_path: str | Path, options: QuizOptions) -> Rendered:
    """The quiz PDF (and its key, per ``options.key``) for ``plan``, built from ``bank``;
    both are compiled before either is returned, and nothing is written here."""
    if options.paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {options.paper!r}")
    if options.key not in KEYS:
        raise ValueError(f"key must be one of {', '.join(KEYS)}, not {options.key!r}")
    if not plan.versions or not plan.versions[0].items:
        raise ValueError("the plan has no questions")
    out_path = Path(out_path)
    data = quiz_data(bank, plan, options)
    jobs = [(out_path, ["quiz", "key"] if options.key == "appended" else ["quiz"])]
    if options.key == "separate":
        jobs.append((key_path(out_path), ["key"]))
    warnings: list[list[str]] = [[] for _ in jobs]
    pdfs = run_together(
        [
            partial(compile_document, data, parts, options, found)
            for (_, parts), found in zip(jobs, warnings, strict=True)
        ]
    )
    questions = [bank.question(qid) for qid in plan.ids]
    return Rendered(
        tuple((path, pdf) for (path, _), pdf in zip(jobs, pdfs, strict=True)),
        tuple(plan.warnings)
        + tuple(font_warnings(questions))
        + tuple(w for found in warnings for w in found),
    )


def run_together(jobs: list[Callable[[], bytes]]) -> list[bytes]:
    """Each job's result, in order; the first in this thread, the others each in its own.
    The first exception raised (in job order) is raised here once all have finished."""
    results: list[bytes | BaseException | None] = [None] * len(jobs)

    def work(index: int) -> None:
        try:
            results[index] = jobs[index]()
        except BaseException as e:  # handed to the caller below
            results[index] = e

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(1, len(jobs))]
    for thread in threads:
        thread.start()
    work(0)
    for thread in threads:
        thread.join()
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results  # type: ignore[return-value]


# -- compiling -----------------------------------------------------------------------


def _compiler() -> Any:
    """A compiler of the template: one per document, so two can compile at once."""
    return typst.Compiler(input=str(TEMPLATE), root=str(TEMPLATE.parent), ignore_system_fonts=True)


def compile_document(data: Json, parts: list[str], options: QuizOptions, warnings: list[str]) -> bytes:
    """Compile one PDF holding ``parts`` ("quiz", "key").

    Every question is kept whole on a page. The questions whose text might not fit on one
    (:func:`suspects`) are measured by the template; those really taller than a page are
    let break across pages, with a warning each.
    """
    what = "answer key" if parts == ["key"] else "quiz"
    title = options.title + (" — answer key" if what == "answer key" else "")
    document = {**data, "parts": parts, "meta": {**data["meta"], "document": title}}
    pdf, split = _compile(_compiler(), document, options.epoch, "<split>")
    warnings.extend(
        f"question '{qid}' does not fit on one {options.paper} page in the {what}; it is printed across pages"
        for qid in dict.fromkeys(split)
    )
    return pdf


SUSPECT_LINES = 18  # estimated lines from which a block is measured; a page holds about 45
LINE_CHARS = 70  # characters an estimated line holds (fewer than a real line: errs towards measuring)


def suspects(bank: Bank, ids: Sequence[str]) -> dict[str, bool]:
    """The questions whose estimated height (their key entry's: stem, options, explanation,
    context note, quotes and citations) might not fit on a page."""
    found = {}
    for qid in ids:
        q = bank.question(qid)
        texts = [q.prompt, q.explain or "", *q.answer_texts(), *(c.quote for c in q.citations())]
        texts += [bank.sources[c.source].dated for c in q.citations() if c.source in bank.sources]
        if isinstance(q, ChoiceQuestion):
            texts += [d.text for d in q.distractors] + [d.why or "" for d in q.distractors]
        if q.context is not None:
            texts.append(q.context.text)
        lines = sum(1 + len(t) // LINE_CHARS + t.count("\n") for t in texts if t)
        if lines >= SUSPECT_LINES:
            found[qid] = True
    return found


def _compile(compiler: Any, document: Json, epoch: int | None, report: str) -> tuple[bytes, list[str]]:
    """The PDF, and the ids the template reported under the label ``report``."""
    pdf = compiler.compile(
        format="pdf", sys_inputs={"data": json.dumps(document, ensure_ascii=False)}, timestamp=epoch
    )
    values = json.loads(compiler.query(report, field="value"))
    flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
    return bytes(pdf), [str(v) for v in flat]


# -- the template's data ---------------------------------------------------------------


def quiz_data(bank: Bank, plan: Plan, options: QuizOptions) -> Json:
    """Everything the template needs, as one JSON-ready document."""
    questions = [bank.question(qid) for qid in plan.ids]
    return {
        "meta": {
            "title": options.title,
            "subtitle": options.subtitle,
            "paper": options.paper,
            "seed": plan.seed,
            "bank": plan.bank,
            "duplex": options.duplex,
            "answer-sheet": options.answer_sheet,
            "dated": options.epoch is not None,
        },
        "instructions": instructions(questions, answer_sheet=options.answer_sheet),
        "rules": marking_rules(questions),
        "questions": {q.id: question_data(q, bank) for q in questions},
        "versions": [version_data(v) for v in plan.versions],
        "concept": concept_sheet(bank, plan),
        "blueprint": blueprint(bank, questions),
        "sources": cited_sources(bank, questions),
        "suspects": suspects(bank, plan.ids),
    }


LONG_WORD = 24  # characters: a longer unbroken run gets a break opportunity every this many
_UNBROKEN = re.compile(rf"[^\s\u200b]{{{LONG_WORD + 1},}}")


def _runs(text: str) -> list[Json]:
    """The markup runs of ``text`` with long unbroken words made breakable."""
    return [{**run, "t": breakable(str(run["t"]))} for run in markup.to_data(text)]


def breakable(text: str) -> str:
    """``text`` with a zero-width space every LONG_WORD characters of an unbroken run (a URL,
    a gene sequence, "aaaa…"), so Typst can wrap it instead of running off the page; it is
    invisible in print and dropped from copied text by most PDF readers."""
    if len(text) <= LONG_WORD:
        return text
    return _UNBROKEN.sub(
        lambda m: "\u200b".join(m[0][i : i + LONG_WORD] for i in range(0, len(m[0]), LONG_WORD)), text
    )


# Unicode ranges the fonts built into Typst (Libertinus Serif, New Computer Modern and its
# Math, DejaVu Sans Mono) cover between them: Latin, IPA, Greek, Cyrillic, Hebrew,
# punctuation, symbols, arrows and mathematics. Text outside them prints as empty boxes.
_COVERED = (
    (0x0000, 0x058F), (0x0590, 0x05FF), (0x1D00, 0x1DBF), (0x1E00, 0x1FFF), (0x2000, 0x2BFF),
    (0x2C60, 0x2C7F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F), (0xA720, 0xA7FF), (0xFB00, 0xFB4F),
    (0xFE00, 0xFE0F), (0xFE20, 0xFE2F), (0xFFF0, 0xFFFF), (0x1D400, 0x1D7FF),
)  # fmt: skip


def uncovered(text: str) -> str | None:
    """The first character of ``text`` no bundled font covers, or None."""
    for ch in text:
        code = ord(ch)
        if code > 0x7F and not any(low <= code <= high for low, high in _COVERED):
            return ch
    return None


def font_warnings(questions: list[AnyQuestion]) -> list[str]:
    """A warning for each question with text that would print as empty boxes."""
    found = []
    for q in questions:
        texts = [q.prompt, q.explain or "", *q.answer_texts()]
        if isinstance(q, ChoiceQuestion):
            texts += [d.text for d in q.distractors]
        if q.context is not None:
            texts.append(q.context.text)
        ch = next((c for c in map(uncovered, texts) if c is not None), None)
        if ch is not None:
            found.append(
                f"question '{q.id}' has text in a script the PDF's fonts do not cover "
                f"('{ch}', U+{ord(ch):04X}): it prints as empty boxes"
            )
    return found


def question_data(q: AnyQuestion, bank: Bank) -> Json:
    context = q.context
    return {
        "stem": cloze_runs(q.text) if isinstance(q, Cloze) else _runs(q.prompt),
        "explain": _runs(q.explain) if q.explain else None,
        "cites": [citation_data(c, bank) for c in q.cite],
        "context": (
            {"text": _runs(context.text), "cites": [citation_data(c, bank) for c in context.cite]}
            if context is not None
            else None
        ),
    }


def citation_data(c: Citation, bank: Bank) -> Json:
    """A quote with its source's key and date (the sources list gives the status too)."""
    source = bank.sources.get(c.source)
    return {"source": c.source, "quote": c.quote, "date": source.date if source is not None else None}


def version_data(version: PlanVersion) -> Json:
    return {
        "label": version.label,
        "points": version.points,
        "items": [item_data(item) for item in version.items],
    }


def item_data(item: PlanItem) -> Json:
    letters = [chr(ord("A") + i) for i in range(len(item.options))]
    return {
        "number": item.number,
        "id": item.id,
        "kind": item.kind,
        "options": [{"letter": x, "runs": _runs(t)} for x, t in zip(letters, item.options, strict=True)],
        "correct": list(item.correct),
        "answers": [_runs(a) for a in item.answers],
        "accepted": [[_runs(a) for a in alternatives] for alternatives in item.accepted],
        "points": item.points,
        "lines": answer_lines(item),
    }


def answer_lines(item: PlanItem) -> int:
    """Lines to write a basic answer on: more for a longer expected answer."""
    length = max((len(a) for a in item.answers), default=0)
    return 2 + (length > 60) + (length > 150)


def cloze_runs(text: str) -> list[Json]:
    """The cloze text as runs, each deletion a numbered blank ({"blank": n, "hint": …}).

    The markup is parsed with the deletions swapped for a placeholder
    (:func:`her2quiz.cloze.outside`), as the Anki deck does it.
    """
    joined, slot, found = outside(text)
    runs: list[Json] = []
    number = 0
    for run in _runs(joined):
        for j, part in enumerate(str(run["t"]).split(slot)):
            if j:
                hint = found[number].hint
                number += 1
                runs.append({"blank": number, "hint": markup.plain(hint) if hint else None})
            if part:
                runs.append({**run, "t": part})
    return runs


def instructions(questions: list[AnyQuestion], *, answer_sheet: bool) -> list[Json]:
    """The lines of the instruction box, for the kinds this quiz has."""
    kinds = {q.kind for q in questions}
    n = len(questions)
    first = "Answer the question." if n == 1 else f"Answer all {n} questions."
    lines: list[Json] = [{"marker": None, "text": first}]
    if kinds & {"mcq", "truefalse"}:
        where = "fill its bubble on the answer sheet" if answer_sheet else "circle it"
        lines.append({"marker": "circle", "text": f"Choose the one best answer and {where}."})
    if "multi" in kinds:
        where = " on the answer sheet" if answer_sheet else ""
        lines.append(
            {
                "marker": "box",
                "text": f"Select all that apply: mark every correct option{where}. "
                "It scores only when exactly the correct options are marked.",
            }
        )
    if "cloze" in kinds:
        lines.append({"marker": None, "text": "Write the missing words in the numbered blanks."})
    if "basic" in kinds:
        lines.append({"marker": None, "text": "Write a short answer on the lines."})
    return lines


MULTI_RULE = (
    "Select all that apply (square boxes): all or nothing. The item scores its points only "
    "when every correct box and no other is marked; no partial credit (as her2quiz grade marks "
    "by default)."
)


def marking_rules(questions: list[AnyQuestion]) -> list[str]:
    """How the key assumes each kind in this quiz is marked, one sentence per kind."""
    kinds = {q.kind for q in questions}
    rules = []
    if kinds & {"mcq", "truefalse"}:
        rules.append(
            "Single best answer and true or false: the points when the one correct bubble is filled."
        )
    if "multi" in kinds:
        rules.append(MULTI_RULE)
    if "cloze" in kinds:
        per = kind_facts("cloze").points
        rules.append(
            f"Fill in the blanks: {per} point{'s' * (per != 1)} per blank holding the expected text "
            "or an accepted alternative."
        )
    if "basic" in kinds:
        rules.append("Short answer: the points for the expected answer or an accepted alternative.")
    return rules


def concept_sheet(bank: Bank, plan: Plan) -> Json:
    """For each question (in version A's order), its number in every version."""
    numbers = {v.label: {item.id: item.number for item in v.items} for v in plan.versions}
    return {
        "labels": [v.label for v in plan.versions],
        "rows": [
            {
                "id": qid,
                "topic": bank.topics.get(bank.question(qid).topic, bank.question(qid).topic),
                "numbers": [numbers[v.label][qid] for v in plan.versions],
            }
            for qid in plan.ids
        ],
    }


def blueprint(bank: Bank, questions: list[AnyQuestion]) -> Json:
    """Counts per topic (rows) and difficulty (columns), with totals."""
    levels = [*DIFFICULTIES, *(["unrated"] if any(q.difficulty is None for q in questions) else [])]
    counts = Counter((q.topic, q.difficulty or "unrated") for q in questions)
    topics = [t for t in bank.topics if any(q.topic == t for q in questions)]
    rows = [
        {
            "name": bank.topics[t],
            "counts": [counts[t, level] for level in levels],
            "total": sum(counts[t, level] for level in levels),
        }
        for t in topics
    ]
    totals = [sum(counts[t, level] for t in topics) for level in levels]
    return {"columns": levels, "rows": rows, "totals": [*totals, len(questions)]}


def cited_sources(bank: Bank, questions: list[AnyQuestion]) -> list[Json]:
    """The sources the quiz cites (context notes' too), in the bank's order, with their full
    citation, date and status."""
    cited = {c.source for q in questions for c in q.citations()}
    return [{"key": key, "cite": s.dated} for key, s in bank.sources.items() if key in cited]
