"""The command line: parse options, call one function of :mod:`her2quiz.api`, print its
report, pick the exit status.

The only module that imports click. Heavy libraries (genanki, typst) are imported by the
api function that needs them, so ``her2quiz --help`` and ``check`` start fast.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, ParamSpec, TypeVar

import click

from . import __version__, api
from .bank import DIFFICULTIES, KINDS
from .diagnostics import Diagnostic, InputFileError, exit_status, summary
from .select import Filters

P = ParamSpec("P")
R = TypeVar("R")
MAX_SHOWN = 5000  # diagnostics printed at most; then "… and N more"

BANK_ARG = click.argument(
    "bank",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default="questions.yaml",
    required=False,
)
SOURCES_OPT = click.option(
    "--sources",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of the source texts quotes are checked against [default: sources/ beside the bank].",
)
FILTERS = (
    ("--topic", "KEY", "topic key (the bank's topics)"),
    ("--kind", "KIND", f"kind: {', '.join(KINDS)}"),
    ("--difficulty", "LEVEL", f"difficulty: {', '.join(DIFFICULTIES)}"),
    ("--tag", "TAG", "tag"),
    ("--id", "ID", "question id"),
)


def filter_options(f: Callable[P, R]) -> Callable[P, R]:
    """--topic, --kind, --difficulty, --tag, --id (repeat or comma-separate)."""
    for name, meta, what in reversed(FILTERS):
        f = click.option(
            name,
            metavar=meta,
            multiple=True,
            help=f"Only questions with this {what}; repeat or comma-separate; any value matches.",
        )(f)
    return f


def _split(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def make_filters(
    topic: Sequence[str],
    kind: Sequence[str],
    difficulty: Sequence[str],
    tag: Sequence[str],
    id: Sequence[str],
) -> Filters:
    return Filters(
        topics=_split(topic),
        kinds=_split(kind),
        difficulties=_split(difficulty),
        tags=_split(tag),
        ids=_split(id),
    )


def print_diagnostics(diagnostics: Sequence[Diagnostic], text: str | None, fmt: str, err: bool) -> None:
    if not diagnostics:
        return
    lines = text.splitlines() if text is not None and fmt == "full" else None
    shown = [d.full(lines) if fmt == "full" else d.concise() for d in diagnostics[:MAX_SHOWN]]
    if len(diagnostics) > MAX_SHOWN:
        shown.append(f"… and {len(diagnostics) - MAX_SHOWN} more")
    click.echo("\n".join(shown), err=err)  # one write: a bank can have thousands of diagnostics


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 15:
        shown = value.encode("unicode_escape").decode("ascii")[:40]
        raise click.UsageError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds (0 or more), not '{shown}'"
        )
    return int(value)


def report(result: api.Report) -> None:
    print_diagnostics(result.diagnostics, None, "concise", err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for w in result.written:
        click.echo(f"wrote {w.path}" + (f" ({w.summary})" if w.summary else ""))


def calling(call: Callable[[], R]) -> R:
    """Run one api call, turning its errors into messages and exit statuses."""
    try:
        return call()
    except api.BankError as e:
        print_diagnostics(e.diagnostics, None, "concise", err=True)
        what = f"{e.display}: {summary(e.diagnostics)}" if e.diagnostics else e.display
        raise click.ClickException(f"{what}; nothing written") from None
    except api.UsageError as e:
        raise click.UsageError(str(e)) from None
    except api.OutputError as e:
        raise click.ClickException(f"{e}; nothing written") from None
    except InputFileError as e:  # a plan or results file (grade)
        raise click.ClickException(str(e)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="her2quiz")
def main() -> None:
    """Compile a question bank into Anki decks, printable quizzes and the formats schools
    use, checking every answer's quote against its source; grade a class's results."""


@main.command("check", short_help="Validate a bank: structure, quotes, item-writing lints.")
@BANK_ARG
@SOURCES_OPT
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1 on any).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["concise", "full"]),
    default="concise",
    show_default=True,
    help="full adds the source line and a caret under the column.",
)
@click.option(
    "--results",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of graded classes (grade --results): warn on questions the classes flag.",
)
def check_cmd(bank: Path, sources: Path | None, strict: bool, fmt: str, results: Path | None) -> None:
    """Validate BANK: structure, meaning, quotes against the sources, item-writing lints.

    Prints one line per problem, FILE:LINE:COL: error[CODE] message. Exit status 0 when
    clean, 1 on errors (or on warnings under --strict), 2 on a usage error.
    """
    loaded = api.load_bank(bank, sources=sources)
    diagnostics = api.diagnose(loaded, strict=strict, results=results)
    print_diagnostics(diagnostics, loaded.text, fmt, err=False)
    click.echo(f"{bank}: {summary(diagnostics) if diagnostics else 'no problems'}", err=True)
    sys.exit(exit_status(diagnostics, strict=strict))


@main.command("build", short_help="Build the Anki deck and the whole-bank quiz with its key.")
@BANK_ARG
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("decks"),
    show_default=True,
    help="Folder for the .apkg and the quiz PDFs.",
)
@SOURCES_OPT
@click.option("--no-quiz", is_flag=True, help="Write only the Anki package, not the quiz PDFs.")
@filter_options
def build_cmd(
    bank: Path, out_dir: Path, sources: Path | None, no_quiz: bool, **filters: tuple[str, ...]
) -> None:
    """Build DIR/<bank id>.apkg for Anki, and the whole selection as a printable quiz
    (DIR/<bank id>-quiz.pdf) with its key (DIR/<bank id>-quiz-key.pdf).

    Note modification times come from NAME.lock beside NAME.yaml: an unchanged question
    keeps its time, so re-importing updates nothing; a new or edited one takes
    SOURCE_DATE_EPOCH when set, else now. "0 new, 0 changed since the lock" means the deck
    holds exactly what learners already have.
    """
    epoch = source_date_epoch()
    report(
        calling(
            lambda: api.build(
                bank,
                out_dir=out_dir,
                sources=sources,
                filters=make_filters(**filters),
                quiz=not no_quiz,
                epoch=epoch,
            )
        )
    )


@main.command("quiz", short_help="Write a printable quiz in seeded versions, with its key.")
@BANK_ARG
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The quiz PDF to write ('.pdf' is added when missing; the key goes beside it as NAME-key.pdf).",
)
@click.option(
    "--count",
    type=click.IntRange(1, 100_000),
    default=None,
    help="Questions per version [default: all selected, one per family].",
)
@click.option(
    "--versions", type=click.IntRange(1, 26), default=1, show_default=True, help="Versions A, B, … (1-26)."
)
@click.option(
    "--seed",
    type=click.IntRange(0, 2**63 - 1),
    default=1,
    show_default=True,
    help="Seed of the selection and shuffling.",
)
@click.option(
    "--paper",
    type=click.Choice(["a4", "us-letter"], case_sensitive=False),
    default="a4",
    show_default=True,
    help="Paper size: A4 (210 × 297 mm) or US Letter (8.5 × 11 in).",
)
@click.option("--title", default=None, help="Title on the quiz [default: the bank's title].")
@click.option("--subtitle", default="", help="Line under the title (class, date).")
@click.option(
    "--key",
    type=click.Choice(["separate", "appended", "none"], case_sensitive=False),
    default="separate",
    show_default=True,
    help="separate: NAME-key.pdf beside the quiz; appended: after the quiz; none.",
)
@click.option("--answer-sheet", is_flag=True, help="Add a bubble-grid answer sheet per version.")
@click.option(
    "--duplex",
    is_flag=True,
    help="Two-sided printing: every version, and each answer sheet, starts on a sheet of its own.",
)
@click.option(
    "--plan",
    "plan_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the quiz plan (ids, option order, correct letters) as JSON, for grade.",
)
@click.option(
    "--mix",
    metavar="KIND=N,…",
    default=None,
    help="Exact questions per kind, e.g. mcq=12,truefalse=4,cloze=4 (kinds not named: none).",
)
@click.option(
    "--difficulty-mix",
    metavar="LEVEL=N,…",
    default=None,
    help="Exact questions per difficulty, e.g. easy=6,medium=8,hard=6.",
)
@click.option(
    "--topic-mix",
    metavar="TOPIC=N,…",
    default=None,
    help="Exact questions per topic, e.g. testing=5,drugs=5.",
)
@click.option(
    "--blueprint",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="YAML or JSON file with count and maps kinds, difficulties, topics (the --*-mix options replace its maps).",
)
@SOURCES_OPT
@filter_options
def quiz_cmd(
    bank: Path,
    out: Path,
    count: int | None,
    versions: int,
    seed: int,
    paper: str,
    title: str | None,
    subtitle: str,
    key: str,
    answer_sheet: bool,
    duplex: bool,
    plan_path: Path | None,
    mix: str | None,
    difficulty_mix: str | None,
    topic_mix: str | None,
    blueprint: Path | None,
    sources: Path | None,
    **filters: tuple[str, ...],
) -> None:
    """Write a printable quiz PDF in seeded versions, with an answer key that is
    rendered from the same plan as the quiz, so the two cannot drift.

    A quiz holds at most one question of each family (the items that ask one fact). With
    --mix, --difficulty-mix, --topic-mix or --blueprint its counts are met exactly, the
    seed choosing which questions, or nothing is written and the message says which count
    cannot be met and why (exit status 2). Each mix must sum to --count (or sets it)."""
    request = api.QuizRequest(
        out=out,
        count=count,
        versions=versions,
        seed=seed,
        paper=paper.lower(),
        title=title,
        subtitle=subtitle,
        key=key.lower(),
        answer_sheet=answer_sheet,
        duplex=duplex,
        plan_path=plan_path,
        mix=mix,
        difficulty_mix=difficulty_mix,
        topic_mix=topic_mix,
        blueprint=blueprint,
    )
    epoch = source_date_epoch()
    report(
        calling(
            lambda: api.quiz(bank, request, sources=sources, filters=make_filters(**filters), epoch=epoch)
        )
    )


@main.command("export", short_help="Export to Moodle, GIFT, Canvas QTI, Kahoot, Blooket, Quizlet or HTML.")
@BANK_ARG
@click.option(
    "--format",
    "fmt",
    type=click.Choice(
        ["moodle-xml", "gift", "qti", "kahoot", "blooket", "quizlet", "html"], case_sensitive=False
    ),
    required=True,
    help="The format to write.",
)
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write.",
)
@SOURCES_OPT
@click.option("--strict", is_flag=True, help="Exit 1, writing nothing, when a question must be left out.")
@click.option(
    "--seed",
    type=click.IntRange(0, 2**63 - 1),
    default=1,
    show_default=True,
    help="html: seed of the versions.",
)
@click.option(
    "--versions",
    type=click.IntRange(1, 26),
    default=1,
    show_default=True,
    help="html: versions for the projector.",
)
@filter_options
def export_cmd(
    bank: Path,
    fmt: str,
    out: Path,
    sources: Path | None,
    strict: bool,
    seed: int,
    versions: int,
    **filters: tuple[str, ...],
) -> None:
    """Export the selected questions to one file for another tool. A question the format
    cannot carry (a cloze in GIFT, five options in Kahoot) is left out with a warning naming
    it and the rule; under --strict that is an error and nothing is written."""
    epoch = source_date_epoch()
    report(
        calling(
            lambda: api.export(
                bank,
                fmt.lower(),
                out,
                sources=sources,
                filters=make_filters(**filters),
                strict=strict,
                epoch=epoch,
                seed=seed,
                versions=versions,
            )
        )
    )


@main.command("grade", short_help="Mark a class's results and find the questions that misbehaved.")
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("responses", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--bank",
    "bank_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The bank the quiz came from: stems in the report; needed for --from moodle.",
)
@SOURCES_OPT
@click.option(
    "--from",
    "source_format",
    type=click.Choice(["sheet", "zipgrade", "moodle", "forms"], case_sensitive=False),
    default=None,
    help="The results file's format [default: detected from its header].",
)
@click.option(
    "--multi",
    type=click.Choice(["all-or-nothing", "partial"], case_sensitive=False),
    default="all-or-nothing",
    show_default=True,
    help="Marking of select-all-that-apply items; partial uses the Moodle export's weights, floored at 0.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True
)
@click.option(
    "-o",
    "--output",
    "report_pdf",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the report as a PDF (histogram, item map, a row per question).",
)
@click.option(
    "--results",
    "results_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Keep this class's item statistics in DIR, for check --results and stats.",
)
def grade_cmd(
    plan: Path,
    responses: Path,
    bank_path: Path | None,
    sources: Path | None,
    source_format: str | None,
    multi: str,
    fmt: str,
    report_pdf: Path | None,
    results_dir: Path | None,
) -> None:
    """Mark RESPONSES (answer-sheet CSV, ZipGrade, Moodle or Google Forms export) against
    PLAN (the plan.json of `quiz --plan`): marks per student, and an item analysis with
    Moodle's definitions that flags keys to check and distractors that do no work."""
    epoch = source_date_epoch()
    outcome = calling(
        lambda: api.grade(
            plan,
            responses,
            bank_path=bank_path,
            sources=sources,
            source_format=source_format.lower() if source_format else None,
            multi=multi.lower(),
            fmt=fmt,
            report_pdf=report_pdf,
            results_dir=results_dir,
            epoch=epoch,
        )
    )
    click.echo(outcome.text, nl=False)
    for w in outcome.written:
        click.echo(f"wrote {w.path}", err=True)


@main.command("stats", short_help="Counts by topic, kind, difficulty, source and family.")
@BANK_ARG
@SOURCES_OPT
@click.option("--uncited", is_flag=True, help="List the source sentences no quote cites yet.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True
)
@click.option(
    "--results",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of graded classes (grade --results): also warn on the questions they flag.",
)
def stats_cmd(bank: Path, sources: Path | None, uncited: bool, fmt: str, results: Path | None) -> None:
    """Counts by topic, kind, difficulty and source, the answer-position spread, lint
    totals, and how much of each source text the quotes cover; with --results, the
    questions graded classes flag (on standard error)."""
    from .stats import bank_stats, render_stats

    try:
        loaded = api.require_loaded(bank, sources=sources)
    except api.BankError as e:
        print_diagnostics(e.diagnostics, None, "concise", err=True)
        raise click.ClickException(f"{bank}: {summary(e.diagnostics)}") from None
    assert loaded.bank is not None and loaded.sources_dir is not None
    stats = bank_stats(loaded.bank, sources_dir=loaded.sources_dir, uncited=uncited)
    click.echo(render_stats(stats, fmt), nl=False)
    if results is not None:
        from .grade import results_diagnostics

        print_diagnostics(
            results_diagnostics(loaded.bank, results, display=str(bank)), None, "concise", err=True
        )


def run() -> NoReturn:
    """The console script (and ``python -m her2quiz``): :func:`main` as a short-lived process.

    The cycle collector stays off for the whole command: loading and building keep
    every object they make alive to the end, none in cycles, so collections would only
    walk them again and again. And the process ends with ``os._exit`` once its output is
    flushed, skipping the teardown of a heap that can hold millions of objects (mypy does
    the same). Every file was already written and renamed into place by then. Under a
    tracer or profiler (coverage, pyinstrument) it exits normally, so they can report.
    """
    gc.disable()
    try:
        main()
        status = 0  # click's standalone mode always exits; this is for the type checker
    except SystemExit as e:
        status = _status(e.code)
    if sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(status)  # a coverage tool or profiler is watching: let it write its report
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # e.g. a closed pipe: nothing more can be said
        status = status or 1
    os._exit(status)


def _status(code: object) -> int:
    """The exit status ``sys.exit(code)`` would give."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
