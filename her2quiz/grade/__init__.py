"""``her2quiz grade``: mark a class and find the questions that failed it.

:func:`grade_class` reads a result file (:mod:`.readers`: our answer sheet, ZipGrade,
Moodle, Google Forms) against the quiz plan and computes the marks and Moodle's item
statistics (:mod:`.analysis`); :func:`render_report` and :func:`render_report_pdf` show
them (:mod:`.report`); :func:`save_result` keeps a class for ``--results DIR`` and
:func:`results_diagnostics` pools the kept classes into warnings on the bank
(:mod:`.results`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..bank import Bank
from ..plan import Plan
from .analysis import MULTI_RULES, THRESHOLDS, analyse
from .readers import FORMATS, Key, ResultsError, prompt_text, read_responses
from .report import REPORT_FORMATS, GradeReport, render_report, render_report_pdf
from .results import results_diagnostics, save_result

__all__ = [
    "FORMATS",
    "MULTI_RULES",
    "REPORT_FORMATS",
    "THRESHOLDS",
    "GradeReport",
    "ResultsError",
    "grade_class",
    "render_report",
    "render_report_pdf",
    "results_diagnostics",
    "save_result",
]


def grade_class(
    plan: Plan,
    responses: Path,
    *,
    bank: Bank | None,
    source_format: str | None,
    multi: str,
    display: str | None = None,
) -> GradeReport:
    """Mark the class in ``responses`` against ``plan`` and analyse its questions.

    ``bank`` (optional for the answer sheet and ZipGrade) gives the question stems, and is
    needed to match Moodle's Responses report and Google Forms by question text. Bad input
    raises :class:`ResultsError` naming the cell.
    """
    if multi not in MULTI_RULES:
        raise ValueError(f"multi must be one of {', '.join(MULTI_RULES)}, not {multi!r}")
    responses = Path(responses)
    shown = display if display is not None else str(responses)
    key = Key.of(plan)
    read = read_responses(responses, plan, bank=bank, source_format=source_format, display=shown, key=key)
    result = analyse(key, read, multi)
    warnings = list(read.warnings)
    items = result.items
    if bank is not None:
        if plan.bank and bank.short_hash and plan.bank != bank.short_hash:
            warnings.append(
                f"the plan was made from bank {plan.bank}, this bank is {bank.short_hash}: "
                "stems are today's, marks follow the plan"
            )
        missing = [i.id for i in items if bank.get(i.id) is None]
        if missing:
            warnings.append(f"not in the bank (no stem shown): {', '.join(missing)}")
        items = tuple(replace(i, stem=prompt_text(q)) if (q := bank.get(i.id)) else i for i in items)
    return GradeReport(
        class_name=responses.stem,
        source=shown,
        format=read.format,
        multi=multi,
        bank_id=plan.bank_id,
        bank=plan.bank,
        seed=plan.seed,
        test=result.test,
        items=items,
        students=result.students,
        versions=result.versions,
        flags=result.flags,
        warnings=tuple(warnings),
        fractions=result.fractions,
    )
