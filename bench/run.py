"""Benchmark her2quiz against the floors of its own dependencies.

    python bench/run.py [--sizes 1000,5000,10000] [--runs 5] [--keep DIR]

Generates synthetic banks (all five kinds, quotes found in a generated source text),
then times whole processes — median of --runs — and reads each one's peak memory
(max RSS via wait4). Floors are measured in the same run: Python with click and yaml
imported; composing the same YAML with libyaml; composing plus raw genanki writing the
same number of notes. Those floors run with Python's cycle collector on, as the issue
defines them; her2quiz turns it off, so each is also measured with the collector off, and
the ratio to that harder floor is shown beside the first. Ratios compare each command with
its floor side by side: the two run alternately (floor, command, floor, command, ...)
after one untimed run of each, so a machine that gets busier or quieter during the run
moves both alike.

The processes run without the variables that change how fast Python itself goes
(PYTHONDONTWRITEBYTECODE would recompile her2quiz's modules on every start, which an
installed package never does; PYTHONUNBUFFERED, PYTHONDEVMODE, ...).
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
# The Typst floor: the same document text (every prompt and option of the bank, twice: the
# quiz and the key) compiled by a minimal template, two documents at once as her2quiz does.
FLOOR_TYPST = """
import json, sys, threading, yaml, typst
data = yaml.load(open(sys.argv[1], encoding='utf-8').read(), Loader=yaml.CSafeLoader)
texts = []
for q in data['questions']:
    texts.append(q.get('stem') or q.get('statement') or q.get('text'))
    texts += [d if isinstance(d, str) else d['text'] for d in q.get('distractors', [])]
    texts += [q['answer']] if isinstance(q.get('answer'), str) else q.get('answers', [])
    texts.append(q.get('explain', ''))
template = sys.argv[2]
open(template, 'w').write('#set page(paper: "a4")\\n#for t in json(bytes(sys.inputs.data)) [#block(breakable: false, t)]\\n')
payload = json.dumps(texts)
def compile_once():
    typst.Compiler(input=template, ignore_system_fonts=True).compile(format='pdf', sys_inputs={'data': payload})
other = threading.Thread(target=compile_once)
other.start(); compile_once(); other.join()
"""
FLOOR_BUILD = FLOOR_GENANKI.replace("sys.argv[3]", "sys.argv[4]") + FLOOR_TYPST.replace(
    "template = sys.argv[2]", "template = sys.argv[3]"
)


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
    with tempfile.TemporaryFile() as stderr:  # a file, not a pipe: thousands of warnings never block
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        err = stderr.read().decode(errors="replace")
    if proc.returncode not in (0,):
        raise SystemExit(f"bench: {' '.join(argv)} exited {proc.returncode}\n{err[-2000:]}")
    return elapsed, usage.ru_maxrss // 1024


# Variables that make Python slower than an installed her2quiz runs for its users.
SLOWING = (
    "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PYTHONDEVMODE", "PYTHONMALLOC",
    "PYTHONMALLOCSTATS", "PYTHONPROFILEIMPORTTIME", "PYTHONTRACEMALLOC", "PYTHONASYNCIODEBUG",
    "PYTHONFAULTHANDLER", "PYTHONINSPECT", "PYTHONVERBOSE", "PYTHONWARNINGS",
)  # fmt: skip


def measure(
    commands: list[list[str]], cwd: Path, runs: int, env: dict[str, str]
) -> list[tuple[float, float, int]]:
    """Median and fastest wall time and peak RSS of each command, the commands run in turn
    each round (one untimed round first: bytecode written, files in the page cache)."""
    for argv in commands:
        run(argv, cwd, env)
    times: list[list[float]] = [[] for _ in commands]
    peaks = [0] * len(commands)
    for _ in range(runs):
        for i, argv in enumerate(commands):
            t, rss = run(argv, cwd, env)
            times[i].append(t)
            peaks[i] = max(peaks[i], rss)
    return [(statistics.median(ts), min(ts), peak) for ts, peak in zip(times, peaks, strict=True)]


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
    env = {k: v for k, v in os.environ.items() if k not in SLOWING}
    env["SOURCE_DATE_EPOCH"] = "1700000000"
    removed = sorted(set(os.environ) & set(SLOWING))
    if removed:
        print(f"bench: running without {', '.join(removed)}", file=sys.stderr)
    work = args.keep or Path(tempfile.mkdtemp(prefix="her2quiz-bench-"))
    rows: list[tuple[str, float, float, int, str]] = []

    def record(name: str, t: float, fastest: float, mb: int, note: str = "") -> None:
        rows.append((name, t, fastest, mb, note))
        print(f"  {name:<50} {t:8.3f} s {fastest:8.3f} s {mb:6d} MB  {note}", file=sys.stderr)

    def row(name: str, argv: list[str], cwd: Path, runs: int) -> float:
        ((t, fastest, mb),) = measure([argv], cwd, runs, env)
        record(name, t, fastest, mb)
        return t

    def against(
        floor: tuple[str, list[str]],
        commands: list[tuple[str, list[str]]],
        cwd: Path,
        runs: int,
        add: bool = False,
        gc_off: tuple[str, list[str]] | None = None,
    ) -> list[float]:
        """The floor and the commands measured side by side; each command's ratio to it
        (or, with ``add``, the milliseconds it adds). ``gc_off``: the same floor with the
        cycle collector off, measured alongside and named in the ratio too, because
        her2quiz runs with the collector off and the plain floor pays for its own."""
        floors = [floor] + ([gc_off] if gc_off else [])
        results = measure([argv for _, argv in floors + commands], cwd, runs, env)
        for (name, _), (t, fastest, mb) in zip(floors, results, strict=False):
            record(name, t, fastest, mb)
        floor_t = results[0][0]
        for (name, _), (t, fastest, mb) in zip(commands, results[len(floors) :], strict=True):
            note = f"+{(t - floor_t) * 1000:.0f} ms" if add else f"{t / floor_t:.2f}x"
            if gc_off:
                note += f" ({t / results[1][0]:.2f}x collector off)"
            record(name, t, fastest, mb, note)
        return [floor_t] + [t for t, _, _ in results[len(floors) :]]

    small = work / "bank-150"
    write_bank(small, 150)
    against(
        ("floor: python + click + yaml", [PY, "-c", FLOOR_STARTUP]),
        [("her2quiz --help", her2quiz("--help")),
         ("her2quiz check (150 questions)", her2quiz("check", "questions.yaml"))],
        small, args.runs, add=True,
    )  # fmt: skip
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
        _, check = against(
            (f"floor: libyaml compose ({n})", [PY, "-c", FLOOR_COMPOSE, str(bank)]),
            [(f"her2quiz check ({n})", her2quiz("check", "questions.yaml"))],
            folder, runs,
            gc_off=(f"floor: libyaml compose, collector off ({n})",
                    [PY, "-c", "import gc; gc.disable()\n" + FLOOR_COMPOSE, str(bank)]),
        )  # fmt: skip
        # the untimed first build writes questions.lock; the timed ones are rebuilds that
        # read it, compare every note's hash and write it again (the everyday case)
        (folder / "questions.lock").unlink(missing_ok=True)
        build_argv = her2quiz("build", "questions.yaml", "-o", "out", "--no-quiz")
        _, build = against(
            (f"floor: compose + raw genanki ({n})",
             [PY, "-c", FLOOR_GENANKI, str(bank), str(n), str(folder / "floor.apkg")]),
            [(f"her2quiz build --no-quiz ({n})", build_argv)],
            folder, runs,
            gc_off=(f"floor: compose + raw genanki, collector off ({n})",
                    [PY, "-c", "import gc; gc.disable()\n" + FLOOR_GENANKI, str(bank), str(n),
                     str(folder / "floor.apkg")]),
        )  # fmt: skip
        typst_floor = [PY, "-c", FLOOR_TYPST, str(bank), str(folder / "floor.typ")]
        row(f"floor: minimal Typst, quiz + key text ({n})", typst_floor, folder, max(1, runs - 2))
        _, whole = against(
            (f"floor: compose + raw genanki + minimal Typst ({n})",
             [PY, "-c", FLOOR_BUILD, str(bank), str(n), str(folder / "floor.typ"), str(folder / "floor.apkg")]),
            [(f"her2quiz build, deck and PDFs ({n})", her2quiz("build", "questions.yaml", "-o", "out"))],
            folder, max(1, runs - 2),
        )  # fmt: skip
        for fmt, suffix in (("moodle-xml", "xml"), ("gift", "txt"), ("qti", "zip"), ("kahoot", "xlsx"),
                            ("blooket", "csv"), ("quizlet", "txt"), ("html", "html")):  # fmt: skip
            row(f"her2quiz export --format {fmt} ({n})",
                her2quiz("export", "questions.yaml", "--format", fmt, "-o", f"out/export.{fmt}.{suffix}"),
                folder, 1)  # fmt: skip
        quiz = row(
            f"her2quiz quiz 20 q x 3 versions + key ({n})",
            her2quiz("quiz", "questions.yaml", "-o", "out/quiz.pdf", "--count", "20", "--versions", "3"),
            folder, runs,
        )  # fmt: skip
        results[n] = {"check": check, "build": build, "whole build": whole, "quiz": quiz}

    amc = shutil.which("auto-multiple-choice")
    print()
    print("| command | median s | fastest s | peak MB | vs floor (medians) |")
    print("|---|---:|---:|---:|---:|")
    for name, t, fastest, mb, note in rows:
        print(f"| {name} | {t:.3f} | {fastest:.3f} | {mb} | {note} |")
    if len(sizes) >= 2:
        a, b = sizes[-2], sizes[-1]
        print()
        for key in ("check", "build", "whole build"):
            print(f"- {key}: {b} / {a} questions = {results[b][key] / results[a][key]:.2f}x time")
    print(f"- Auto Multiple Choice: {'installed at ' + amc if amc else 'not installed; not compared'}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
