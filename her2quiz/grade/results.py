"""Graded classes kept beside the bank (``--results DIR``), and what they say of it.

:func:`save_result` writes one JSON file per class, without student names: per question, each
student's mark (a fraction of its points) and rest score (the rest of the test, as a
fraction of its maximum, so classes that took different quizzes pool on one scale), and how
many chose each option. :func:`results_diagnostics` pools every kept class by question id
and, for a question with at least :data:`MIN_POOLED` students, warns on

- W401: negative discrimination (the pooled correlation of mark and rest score): check the key;
- W402: a distractor chosen by fewer than 5 % of them (it does not function);
- W403: extreme facility (below 0.3 or above 0.9);

each naming the classes, at the question's place in the bank.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..bank import AnyQuestion, Bank, ChoiceQuestion, TrueFalse
from ..diagnostics import Diagnostic, Severity
from .analysis import DISTRACTOR_MIN, FACILITY_HIGH, FACILITY_LOW
from .readers import normal
from .report import GradeReport

RESULT_FORMAT = 1
MIN_POOLED = 30
MAX_RESULT_BYTES = 256 * 1024 * 1024


def save_result(report: GradeReport) -> tuple[str, bytes]:
    """(file name, JSON bytes) of the class for ``--results DIR``; the same class graded
    again gets the same name, so it replaces itself rather than counting twice."""
    frac = report.fractions
    points = np.array([i.points for i in report.items], dtype=np.float64)
    marks = frac * points
    totals = marks.sum(axis=1)
    rest_max = points.sum() - points
    items = []
    for j, item in enumerate(report.items):
        rest = (totals - marks[:, j]) / rest_max[j] if rest_max[j] else np.zeros(len(totals))
        items.append(
            {
                "id": item.id,
                "kind": item.kind,
                "points": item.points,
                "marks": np.round(frac[:, j], 4).tolist(),
                "rest": np.round(rest, 4).tolist(),
                "options": [
                    {"text": o.text, "correct": o.correct, "count": round(o.share * item.n)}
                    for o in item.options
                ],
            }
        )
    document: dict[str, Any] = {
        "her2quiz": "result",
        "format": RESULT_FORMAT,
        "class": report.class_name,
        "bank_id": report.bank_id,
        "bank": report.bank,
        "seed": report.seed,
        "from": report.format,
        "multi": report.multi,
        "students": report.test.students,
        "items": items,
    }
    data = (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", report.class_name).strip("-.") or "class"
    return f"{slug}-{hashlib.sha256(data).hexdigest()[:8]}.json", data


@dataclass
class _Pool:
    marks: list[float] = field(default_factory=list)
    rest: list[float] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # normalised option text -> times chosen
    classes: dict[str, None] = field(default_factory=dict)


def results_diagnostics(bank: Bank, results_dir: Path, *, display: str) -> list[Diagnostic]:
    """Warnings on the bank's questions from the classes kept in ``results_dir``."""
    results_dir = Path(results_dir)
    if not results_dir.is_dir():
        return [Diagnostic(str(results_dir), 1, 1, "E430", "--results: not a folder")]
    pools: dict[str, _Pool] = {}
    found: list[Diagnostic] = []
    for path in sorted(results_dir.glob("*.json")):
        try:
            document = _load(path)
        except ValueError as e:
            found.append(
                Diagnostic(str(path), 1, 1, "W400", f"not a her2quiz result, skipped: {e}", Severity.WARNING)
            )
            continue
        _add(pools, document)
    for q in bank.questions:
        pool = pools.get(q.id)
        if pool is not None and len(pool.marks) >= MIN_POOLED:
            found.extend(question_warnings(q, pool, display))
    return found


def _load(path: Path) -> dict[str, Any]:
    if path.stat().st_size > MAX_RESULT_BYTES:
        raise ValueError("too large")
    try:
        document = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(str(e)) from None
    if not isinstance(document, dict) or document.get("her2quiz") != "result":
        raise ValueError("no 'her2quiz: result' mark")
    if document.get("format") != RESULT_FORMAT:
        raise ValueError(f"result format {document.get('format')!r}; this her2quiz reads {RESULT_FORMAT}")
    items = document.get("items")
    if not isinstance(items, list) or not all(_item_ok(i) for i in items):
        raise ValueError("malformed 'items'")
    return document


def _item_ok(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("id"), str)
        and isinstance(item.get("marks"), list)
        and isinstance(item.get("rest"), list)
        and len(item["marks"]) == len(item["rest"])
        and all(isinstance(x, int | float) for x in item["marks"] + item["rest"])
        and isinstance(item.get("options", []), list)
        and all(
            isinstance(o, dict) and isinstance(o.get("text"), str) and isinstance(o.get("count"), int)
            for o in item.get("options", [])
        )
    )


def _add(pools: dict[str, _Pool], document: dict[str, Any]) -> None:
    name = str(document.get("class", "?"))
    for item in document["items"]:
        pool = pools.setdefault(item["id"], _Pool())
        pool.marks.extend(float(x) for x in item["marks"])
        pool.rest.extend(float(x) for x in item["rest"])
        pool.classes[name] = None
        for option in item.get("options", []):
            text = normal(option["text"])
            pool.counts[text] = pool.counts.get(text, 0) + option["count"]


def question_warnings(q: AnyQuestion, pool: _Pool, display: str) -> list[Diagnostic]:
    """W401/W402/W403 for one question's pooled data."""
    n = len(pool.marks)
    classes = _names(list(pool.classes))
    where = f"over {n} students ({classes})"
    marks, rest = np.array(pool.marks), np.array(pool.rest)
    out: list[tuple[str, str]] = []
    disc = _correlation(marks, rest)
    if disc is not None and disc < 0:
        out.append(("W401", f"question '{q.id}': discrimination {disc:.2f} < 0 {where}: check the key"))
    if isinstance(q, ChoiceQuestion | TrueFalse):
        for option in q.options():
            if option.correct:
                continue
            count = pool.counts.get(normal(option.text))
            if count is not None and count / n < DISTRACTOR_MIN:
                out.append(
                    (
                        "W402",
                        f"question '{q.id}': distractor '{option.text}' chosen by {count / n:.0%} {where}: "
                        f"it does not function (< {DISTRACTOR_MIN:.0%})",
                    )
                )
    facility = float(marks.mean())
    if facility < FACILITY_LOW or facility > FACILITY_HIGH:
        bound = f"< {FACILITY_LOW:.2f}" if facility < FACILITY_LOW else f"> {FACILITY_HIGH:.2f}"
        out.append(("W403", f"question '{q.id}': facility {facility:.2f} {bound} {where}"))
    return [Diagnostic(display, q.line, q.column, code, msg, Severity.WARNING) for code, msg in out]


def _correlation(x: np.ndarray, y: np.ndarray) -> float | None:
    dx, dy = x - x.mean(), y - y.mean()
    denominator = float(np.sqrt((dx * dx).sum() * (dy * dy).sum()))
    return float((dx * dy).sum()) / denominator if denominator > 1e-12 else None


def _names(names: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(names[:limit])
    more = len(names) - limit
    label = "class" if len(names) == 1 else "classes"
    return f"{label} {shown}" + (f" and {more} more" if more > 0 else "")
