"""Benchmark ``grade``: a class of 1,000 students on a 200-question quiz in 4 versions.

    python bench/grade.py [--students 1000] [--questions 200] [--runs 5]

Builds the plan directly (plain data: 120 mcq of 4 options, 40 multi of 5, 20 true/false,
20 written, each version in its own question and option order), writes the class's answer
sheet CSV (students' chances of knowing a question grow with their ability), then times
``grade_class`` — reading the CSV, marking, the item analysis — and the JSON report, each
the median of --runs in this process after one untimed run. The issue's target: under a
second for the 1,000 × 200 class.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from her2quiz.bank import LETTERS, Kind
from her2quiz.grade import grade_class, render_report, save_result
from her2quiz.plan import Plan, PlanItem, PlanVersion


def make_plan(questions: int, versions: int, seed: int) -> Plan:
    rng = random.Random(seed)
    mcq: tuple[Kind, int] = ("mcq", 4)
    multi: tuple[Kind, int] = ("multi", 5)
    kinds = [mcq] * 6 + [multi] * 2 + [("truefalse", 2), ("basic", 0)]
    base = []
    for n in range(questions):
        kind, count = kinds[n % len(kinds)]
        options = (
            ("True", "False") if kind == "truefalse" else tuple(f"q{n} option {k}" for k in range(count))
        )
        correct = set(options[:2] if kind == "multi" else options[:1])
        base.append((f"q{n:03d}", kind, options, correct))
    out = []
    for v in range(versions):
        order = list(base)
        rng.shuffle(order)
        items = []
        for number, (qid, kind, options, correct) in enumerate(order, start=1):
            if kind == "basic":
                items.append(PlanItem(number, qid, kind, answers=("x",), accepted=((),), points=2))
                continue
            shown = list(options)
            if kind != "truefalse":
                rng.shuffle(shown)
            letters = tuple(LETTERS[i] for i, t in enumerate(shown) if t in correct)
            items.append(
                PlanItem(number, qid, kind, tuple(shown), letters, points=2 if kind == "multi" else 1)
            )
        out.append(PlanVersion(LETTERS[v], tuple(items)))
    return Plan(seed=seed, bank="bench000", versions=tuple(out), bank_id="bench")


def write_class(plan: Plan, students: int, path: Path, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["student", "version", *map(str, range(1, len(plan.versions[0].items) + 1))])
        for s in range(students):
            version = plan.versions[s % len(plan.versions)]
            ability = rng.random()
            cells = []
            for item in version.items:
                knows = rng.random() < 0.2 + 0.7 * ability
                if not item.options:
                    cells.append("1" if knows else rng.choice(["0", "0.5", ""]))
                elif knows:
                    cells.append("".join(item.correct))
                else:
                    cells.append(rng.choice(LETTERS[: len(item.options)]))
            out.writerow([f"student {s:04d}", version.label, *cells])


def timed(fn: object, runs: int) -> tuple[float, object]:
    assert callable(fn)
    result = fn()  # untimed: imports, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--versions", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    plan = make_plan(args.questions, args.versions, seed=1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "class.csv"
        write_class(plan, args.students, path, seed=2)
        size = path.stat().st_size

        def grade() -> object:
            return grade_class(plan, path, bank=None, source_format=None, multi="partial")

        seconds, report = timed(grade, args.runs)
        json_seconds, text = timed(lambda: render_report(report, "json"), args.runs)  # type: ignore[arg-type]
        save_seconds, _ = timed(lambda: save_result(report), args.runs)  # type: ignore[arg-type]
    print(
        f"{args.students} students × {args.questions} questions, {args.versions} versions ({size / 1e6:.1f} MB CSV)"
    )
    print(f"grade_class (read, mark, analyse): {seconds * 1000:.0f} ms   (target < 1000 ms)")
    print(
        f"JSON report: {json_seconds * 1000:.0f} ms ({len(str(text)) / 1e3:.0f} kB); save_result: {save_seconds * 1000:.0f} ms"
    )
    if seconds >= 1.0:
        sys.exit(1)


if __name__ == "__main__":
    main()
