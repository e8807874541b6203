"""A graded class as a report: text, markdown, JSON, and a PDF (Typst, built-ins only).

The JSON (``to_dict``) is the reference: the text and markdown reports and the PDF show the
same figures. Shares and indices are fractions; discrimination is a correlation (−1 to 1).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .. import markup
from .analysis import (
    THRESHOLDS,
    Flag,
    ItemStat,
    StudentMark,
    TestStat,
    VersionStat,
)

REPORT_FORMATS = ("text", "markdown", "json")
TEMPLATE = Path(__file__).parent.parent / "templates" / "report.typ"
MULTI_TEXT = {
    "all-or-nothing": "a select-all-that-apply question scores only when exactly its correct options are marked",
    "partial": (
        "a select-all-that-apply question scores each correct option marked 1/k and each wrong one "
        "−1/m (Moodle's weights), floored at 0"
    ),
}
Json = dict[str, Any]


@dataclass(frozen=True, eq=False)
class GradeReport:
    """One graded class: who scored what, and what each question's figures say."""

    class_name: str
    source: str
    format: str
    multi: str
    bank_id: str
    bank: str
    seed: int
    test: TestStat
    items: tuple[ItemStat, ...]
    students: tuple[StudentMark, ...]
    versions: tuple[VersionStat, ...]
    flags: tuple[Flag, ...] = ()
    warnings: tuple[str, ...] = ()
    fractions: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)), repr=False)

    @property
    def flagged(self) -> tuple[ItemStat, ...]:
        return tuple(item for item in self.items if item.flags)

    def to_dict(self) -> Json:
        t = self.test
        return {
            "class": self.class_name,
            "source": self.source,
            "from": self.format,
            "multi": {"rule": self.multi, "text": MULTI_TEXT[self.multi]},
            "plan": {"bank_id": self.bank_id, "bank": self.bank, "seed": self.seed},
            "thresholds": dict(THRESHOLDS),
            "test": {
                "students": t.students,
                "items": t.items,
                "max": t.max,
                "mean": _r(t.mean),
                "median": _r(t.median),
                "sd": _r(t.sd),
                "alpha": _r(t.alpha),
                "alpha_name": t.alpha_name,
                "sem": _r(t.sem),
                "histogram": list(t.histogram),
            },
            "flags": [_flag(f) for f in self.flags],
            "versions": [
                {"label": v.label, "students": v.students, "mean": _r(v.mean)} for v in self.versions
            ],
            "items": [_item(item) for item in self.items],
            "students": [
                {
                    "student": s.student,
                    "version": s.version,
                    "score": _r(s.score),
                    "max": s.max,
                    "percent": _r(s.percent),
                }
                for s in self.students
            ],
            "warnings": list(self.warnings),
        }


def _r(value: float | None, places: int = 6) -> float | None:
    return None if value is None else round(value, places)


def _flag(f: Flag) -> Json:
    return {"code": f.code, "message": f.message}


def _item(item: ItemStat) -> Json:
    return {
        "id": item.id,
        "number": item.number,
        "kind": item.kind,
        "points": item.points,
        "stem": item.stem,
        "n": item.n,
        "facility": _r(item.facility),
        "discrimination": _r(item.discrimination),
        "efficiency": _r(item.efficiency),
        "upper_lower": _r(item.upper_lower),
        "omitted": _r(item.omitted),
        "flags": [_flag(f) for f in item.flags],
        "options": [
            {
                "letter": o.letter,
                "text": o.text,
                "correct": o.correct,
                "share": _r(o.share),
                "upper": _r(o.upper),
                "lower": _r(o.lower),
            }
            for o in item.options
        ],
    }


# -- text and markdown --------------------------------------------------------------------


def render_report(report: GradeReport, fmt: str) -> str:
    """The report as ``text``, ``markdown`` or ``json``."""
    if fmt == "json":
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if fmt not in REPORT_FORMATS:
        raise ValueError(f"report format must be one of {', '.join(REPORT_FORMATS)}, not {fmt!r}")
    md = fmt == "markdown"
    return "\n".join(_sections(report, md)) + "\n"


def _num(value: float | None, places: int = 2) -> str:
    return "–" if value is None else f"{value:.{places}f}"


def _pct(value: float) -> str:
    return f"{value:.0%}"


def summary_lines(report: GradeReport) -> list[str]:
    t = report.test
    pct = 100 * t.mean / t.max if t.max else 0.0
    return [
        f"{t.students} students, {t.items} questions ({report.format}: {report.source})",
        f"mean {t.mean:.2f} of {t.max} ({pct:.1f}%), median {t.median:.2f}, SD {t.sd:.2f}",
        f"{t.alpha_name} {_num(t.alpha)}, SEM {_num(t.sem)}",
        f"multi-answer rule: {report.multi} ({MULTI_TEXT[report.multi]})",
    ]


def _sections(report: GradeReport, md: bool) -> list[str]:

    def h(title: str) -> str:
        return f"## {title}\n" if md else f"{title}\n{'-' * len(title)}"

    out = [f"# Item analysis: {report.class_name}\n" if md else f"Item analysis: {report.class_name}"]
    out += [f"- {line}" if md else line for line in summary_lines(report)]
    out += [f"- warning: {w}" if md else f"warning: {w}" for w in report.warnings]
    out += [f"- **{f.message}**" if md else f"! {f.message}" for f in report.flags]
    out.append("")
    out.append(h("Flags and their thresholds"))
    out += [f"- {code}: {text}" if md else f"  {code}: {text}" for code, text in THRESHOLDS.items()]
    out.append("")
    out.append(h("Questions"))
    head = ["#", "id", "facility", "discr.", "effic.", "D", "flags"]
    rows = [
        [
            str(i.number),
            i.id,
            _num(i.facility),
            _num(i.discrimination),
            _num(i.efficiency),
            _num(i.upper_lower),
            "; ".join(f.message for f in i.flags) or "–",
        ]
        for i in report.items
    ]
    out += _table(head, rows, md)
    out.append("")
    out.append(h("Options (share of the class; upper / lower group)"))
    for i in report.items:
        if not i.options:
            continue
        cells = [
            f"{o.letter}{'*' if o.correct else ''} {_pct(o.share)} ({_pct(o.upper)}/{_pct(o.lower)})"
            for o in i.options
        ]
        line = (
            f"{i.number}. {i.id}: " + ", ".join(cells) + (f", omitted {_pct(i.omitted)}" if i.omitted else "")
        )
        out.append(f"- {line}" if md else line)
    out.append("")
    out.append(h("Students"))
    out += _table(
        ["student", "version", "score", "%"],
        [[s.student, s.version, f"{s.score:g}/{s.max}", f"{s.percent:.1f}"] for s in report.students],
        md,
    )
    if len(report.versions) > 1:
        out.append("")
        out.append(h("Versions"))
        out += _table(
            ["version", "students", "mean"],
            [[v.label, str(v.students), f"{v.mean:.2f}"] for v in report.versions],
            md,
        )
    return out


def _table(head: list[str], rows: list[list[str]], md: bool) -> list[str]:
    if md:
        esc = [[c.replace("|", "\\|") for c in r] for r in [head, *rows]]
        lines = ["| " + " | ".join(r) + " |" for r in esc]
        return [lines[0], "|" + "|".join("---" for _ in head) + "|", *lines[1:]]
    widths = [max(len(r[c]) for r in [head, *rows]) for c in range(len(head))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in [head, *rows]
    ]


# -- PDF ---------------------------------------------------------------------------------


def report_data(report: GradeReport, epoch: int | None) -> Json:
    """What the Typst template reads: the JSON report, stems as markup runs."""
    data = report.to_dict()
    for item, stat in zip(data["items"], report.items, strict=True):
        item["stem"] = markup.to_data(stat.stem) if stat.stem else None
        item["show"] = [
            _num(x) for x in (stat.facility, stat.discrimination, stat.efficiency, stat.upper_lower)
        ]
        for option, o in zip(item["options"], stat.options, strict=True):
            option["show"] = f"{_pct(o.share)} ({_pct(o.upper)}/{_pct(o.lower)})"
    t = report.test
    data["test"]["show"] = [_num(t.mean), _num(t.median), _num(t.sd), _num(t.alpha), _num(t.sem)]
    for student, s in zip(data["students"], report.students, strict=True):
        student["show"] = [f"{s.score:g} / {s.max}", f"{s.percent:.1f}"]
    data["summary"] = summary_lines(report)
    data["dated"] = epoch is not None
    return data


def render_report_pdf(report: GradeReport, epoch: int | None) -> bytes:
    """The report as a PDF: histogram and item map first, then a row per question."""
    import typst

    compiler = typst.Compiler(input=str(TEMPLATE), root=str(TEMPLATE.parent), ignore_system_fonts=True)
    pdf = compiler.compile(
        format="pdf",
        sys_inputs={"data": json.dumps(report_data(report, epoch), ensure_ascii=False)},
        timestamp=epoch,
    )
    assert isinstance(pdf, bytes)  # one document, not pages
    return pdf
