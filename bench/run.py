"""Benchmark her2quiz against the floors of its own dependencies.

    python bench/run.py [--sizes 1000,5000,10000] [--runs 5] [--keep DIR]

Generates synthetic banks (all five kinds, quotes found in a generated source text),
then times whole processes — median of --runs — and reads each one's peak memory
(max RSS via wait4). Floors are measured in the same run: Python with click and yaml
imported; composing the same YAML with libyaml; composing plus raw genanki writing the
same number of notes. Ratios compare each command with its floor side by side.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
KINDS = ("mcq", "mcq", "cloze", "truefalse", "multi", "basic")  # mcq the largest share
TOPICS = ("testing", "drugs", "relapse", "biology", "endocrine", "loss", "treatment", "clinical")
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "nu",
    "pe",
    "ra",
    "si",
    "tu",
    "vo",
    "ze",
    "ba",
    "do",
    "fi",
    "gu",
    "ho",
    "ja",
    "ke",
    "li",
    "mo",
    "ny",
]


def words(i: int, count: int, salt: str) -> list[str]:
    """Pseudo-random made-up words for item i: distinct questions, no near-duplicates."""
    rng = random.Random(f"{salt}:{i}")
    return ["".join(rng.choice(SYLLABLES) for _ in range(3)) for _ in range(count)]


def fact(i: int) -> str:
    """The i-th sentence of the synthetic source; question i quotes it."""
    return f"Finding {' '.join(words(i, 6, 'fact'))} concerns the receptor."


def phrase(i: int, salt: str) -> str:
    return " ".join(words(i, 3, salt)).capitalize()


def question(i: int) -> str:
    kind = KINDS[i % len(KINDS)]
    topic = TOPICS[i % len(TOPICS)]
    level = ("easy", "medium", "hard")[i % 3]
    head = f"  - id: q-{i}\n    kind: {kind}\n    topic: {topic}\n    difficulty: {level}\n    tags: [synthetic]\n"
    stem = " ".join(words(i, 5, "stem"))
    quote = f"Finding {' '.join(words(i, 6, 'fact'))}"
    tail = (
        f"    explain: The source reports {' '.join(words(i, 4, 'explain'))} for this finding.\n"
        f'    cite:\n      - source: synth\n        quote: "{quote}"\n'
    )
    if kind == "mcq":
        body = (
            f"    stem: Which term does the source give for {stem}?\n"
            f"    answer: {phrase(i, 'a')}\n"
            f"    distractors:\n      - {phrase(i, 'b')}\n"
            f"      - text: {phrase(i, 'c')}\n        why: The source gives another term.\n"
            f"      - {phrase(i, 'd')}\n"
        )
    elif kind == "multi":
        body = (
            f"    stem: Which terms does the source give for {stem}?\n"
            f"    answers: [{phrase(i, 'a')}, {phrase(i, 'b')}]\n"
            f"    distractors: [{phrase(i, 'c')}, {phrase(i, 'd')}]\n"
        )
    elif kind == "truefalse":
        body = f"    statement: The source links {stem} to the receptor.\n    answer: true\n"
    elif kind == "cloze":
        body = f'    text: "The source links {stem} to {{{{c1::{phrase(i, "a").lower()}}}}}."\n'
    else:
        body = f"    stem: Which term does the source give for {stem}?\n    answer: {phrase(i, 'a')}\n"
    return head + body + tail


def write_bank(folder: Path, n: int) -> Path:
    (folder / "sources").mkdir(parents=True, exist_ok=True)
    (folder / "sources" / "synth.txt").write_text(
        " ".join(fact(i) for i in range(n)) + "\n", encoding="utf-8"
    )
    topics = "".join(f"  {t}: {t.title()}\n" for t in TOPICS)
    text = (
        "bank:\n  id: synth\n  title: Synthetic bank\n  deck: Synthetic\n"
        f"topics:\n{topics}sources:\n  synth:\n    cite: A generated source.\n    file: synth.txt\n"
        "questions:\n" + "".join(question(i) for i in range(n))
    )
    path = folder / "questions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


FLOOR_STARTUP = "import click, yaml"
FLOOR_COMPOSE = (
    "import sys, yaml; yaml.compose(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)"
)
FLOOR_GENANKI = """
import sys, yaml, genanki
yaml.compose(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)
n = int(sys.argv[2])
model = genanki.Model(1607392319, 'Floor', fields=[{'name': 'Front'}, {'name': 'Back'}],
    templates=[{'name': 'Card 1', 'qfmt': '{{Front}}', 'afmt': '{{Back}}'}])
deck = genanki.Deck(2059400110, 'Floor')
for i in range(n):
    deck.add_note(genanki.Note(model=model, fields=[f'Question {i}', f'Answer {i}'], guid=str(i)))
genanki.Package(deck).write_to_file(sys.argv[3])
"""


def write_amc(folder: Path, n: int) -> Path:
    """The same job for Auto Multiple Choice: n single-answer questions, shuffled copies."""
    (folder / "data").mkdir(parents=True, exist_ok=True)
    questions = []
    for i in range(n):
        options = "\n".join(
            f"      \\{'correct' if k == 0 else 'wrong'}choice{{{phrase(i, salt)}}}"
            for k, salt in enumerate("abcd")
        )
        questions.append(
            f"\\element{{synth}}{{\n  \\begin{{question}}{{q{i}}}\n    Which term does the source give for "
            f"{' '.join(words(i, 5, 'stem'))}?\n    \\begin{{choices}}\n{options}\n    \\end{{choices}}\n"
            "  \\end{question}\n}"
        )
    tex = (
        "\\documentclass[a4paper]{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage[T1]{fontenc}\n"
        "\\usepackage[box,completemulti]{automultiplechoice}\n\\begin{document}\n"
        + "\n".join(questions)
        + "\n\\onecopy{3}{\n\\noindent{\\bf Synthetic quiz}\n\\insertgroup{synth}\n\\clearpage}\n"
        "\\end{document}\n"
    )
    (folder / "quiz.tex").write_text(tex, encoding="utf-8")
    return folder


def run(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    """Wall time (s) and peak RSS (MB) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0,):
        raise SystemExit(f"bench: {' '.join(argv)} exited {proc.returncode}\n{err[-2000:]}")
    return elapsed, usage.ru_maxrss // 1024


def measure(argv: list[str], cwd: Path, runs: int, env: dict[str, str]) -> tuple[float, int]:
    times, peak = [], 0
    for _ in range(runs):
        t, rss = run(argv, cwd, env)
        times.append(t)
        peak = max(peak, rss)
    return statistics.median(times), peak


def her2quiz(*args: str) -> list[str]:
    return [PY, "-m", "her2quiz", *args]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None, help="keep the generated banks here")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    work = args.keep or Path(tempfile.mkdtemp(prefix="her2quiz-bench-"))
    rows: list[tuple[str, float, int, str]] = []

    def row(
        name: str, argv: list[str], cwd: Path, runs: int, ratio_to: float | None = None, add: bool = False
    ) -> float:
        t, mb = measure(argv, cwd, runs, env)
        note = ""
        if ratio_to is not None:
            note = f"+{(t - ratio_to) * 1000:.0f} ms" if add else f"{t / ratio_to:.2f}x"
        rows.append((name, t, mb, note))
        print(f"  {name:<44} {t:8.3f} s {mb:6d} MB  {note}", file=sys.stderr)
        return t

    small = work / "bank-150"
    write_bank(small, 150)
    startup = row("floor: python + click + yaml", [PY, "-c", FLOOR_STARTUP], small, args.runs)
    row("her2quiz --help", her2quiz("--help"), small, args.runs, startup, add=True)
    row(
        "her2quiz check (150 questions)",
        her2quiz("check", "questions.yaml"),
        small,
        args.runs,
        startup,
        add=True,
    )

    row(
        "her2quiz quiz 20 q x 3 versions + key (150)",
        her2quiz("quiz", "questions.yaml", "-o", "out/quiz.pdf", "--count", "20", "--versions", "3"),
        small, args.runs,
    )  # fmt: skip
    if shutil.which("auto-multiple-choice"):
        amc_dir = write_amc(small / "amc", 20)
        row(
            "Auto Multiple Choice: 20 q x 3 copies + key",
            ["auto-multiple-choice", "prepare", "--mode", "s", "--n-copies", "3", "--prefix", str(amc_dir),
             "--data", str(amc_dir / "data"),
             "--out-sujet", "subject.pdf", "--out-corrige", "key.pdf", "--out-catalog", "catalog.pdf",
             "quiz.tex"],
            amc_dir, max(3, args.runs - 2),
        )  # fmt: skip

    results: dict[int, dict[str, float]] = {}
    for n in sizes:
        folder = work / f"bank-{n}"
        bank = write_bank(folder, n)
        runs = max(3, args.runs if n <= 5000 else args.runs - 2)
        compose = row(f"floor: libyaml compose ({n})", [PY, "-c", FLOOR_COMPOSE, str(bank)], folder, runs)
        check = row(f"her2quiz check ({n})", her2quiz("check", "questions.yaml"), folder, runs, compose)
        apkg = folder / "floor.apkg"
        floor_build = row(
            f"floor: compose + raw genanki ({n})",
            [PY, "-c", FLOOR_GENANKI, str(bank), str(n), str(apkg)], folder, runs,
        )  # fmt: skip
        (folder / "questions.lock").unlink(missing_ok=True)
        build = row(
            f"her2quiz build --no-quiz ({n})",
            her2quiz("build", "questions.yaml", "-o", "out", "--no-quiz"), folder, runs, floor_build,
        )  # fmt: skip
        quiz = row(
            f"her2quiz quiz 20 q x 3 versions + key ({n})",
            her2quiz("quiz", "questions.yaml", "-o", "out/quiz.pdf", "--count", "20", "--versions", "3"),
            folder, runs,
        )  # fmt: skip
        results[n] = {
            "check": check,
            "build": build,
            "quiz": quiz,
            "compose": compose,
            "floor_build": floor_build,
        }

    amc = shutil.which("auto-multiple-choice")
    print()
    print("| command | median s | peak MB | vs floor |")
    print("|---|---:|---:|---:|")
    for name, t, mb, note in rows:
        print(f"| {name} | {t:.3f} | {mb} | {note} |")
    if len(sizes) >= 2:
        a, b = sizes[-2], sizes[-1]
        print()
        for key in ("check", "build"):
            print(f"- {key}: {b} / {a} questions = {results[b][key] / results[a][key]:.2f}x time")
    print(f"- Auto Multiple Choice: {'installed at ' + amc if amc else 'not installed; not compared'}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
