"""The command line: parse options, call the library, print, pick the exit status.

The only module that imports click. Heavy libraries (genanki, typst) are imported inside
the commands that need them, so ``her2quiz --help`` and ``check`` start fast.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from . import __version__
from .api import Loaded, diagnose, load_bank
from .diagnostics import Diagnostic, exit_status

F = TypeVar("F", bound=Callable[..., Any])

BANK_ARG = click.argument(
    "bank",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default="questions.yaml",
    required=False,
)
SOURCES_OPT = click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the source texts quotes are checked against [default: sources/ beside the bank].",
)


def _split(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def filter_options(f: F) -> F:
    """--topic, --kind, --difficulty, --tag, --id: select questions (repeat or comma-separate)."""
    for name, meta, what in reversed(
        [
            ("--topic", "KEY", "topic key"),
            ("--kind", "KIND", "kind (mcq, multi, truefalse, cloze, basic)"),
            ("--difficulty", "LEVEL", "difficulty (easy, medium, hard)"),
            ("--tag", "TAG", "tag"),
            ("--id", "ID", "question id"),
        ]
    ):
        f = click.option(name, metavar=meta, multiple=True, help=f"Only questions with this {what}.")(f)
    return f


def print_diagnostics(diagnostics: list[Diagnostic], loaded: Loaded | None, fmt: str, err: bool) -> None:
    if not diagnostics:
        return
    lines = loaded.text.splitlines() if loaded is not None and fmt == "full" else None
    text = "\n".join(d.full(lines) if fmt == "full" else d.concise() for d in diagnostics)
    click.echo(text, err=err)  # one write: a bank can have thousands of diagnostics


def summary(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' * (errors != 1)}")
    if warnings:
        parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
    return " and ".join(parts)


def load_or_exit(bank: Path, sources: Path | None, *, strict: bool = False) -> Any:
    """The validated bank for the writing commands; on errors print them and exit 1."""
    loaded = load_bank(bank, sources=sources)
    problems = [d for d in loaded.diagnostics if d.is_error or strict]
    if loaded.bank is None or problems:
        print_diagnostics(loaded.diagnostics, loaded, "concise", err=True)
        raise click.ClickException(f"{bank}: {summary(loaded.diagnostics)}; nothing written")
    for d in loaded.diagnostics:
        click.echo(d.concise(), err=True)
    return loaded.bank


def select_or_exit(
    bank: Any,
    topic: tuple[str, ...],
    kind: tuple[str, ...],
    difficulty: tuple[str, ...],
    tag: tuple[str, ...],
    id: tuple[str, ...],
) -> Any:
    from .select import FilterError, Filters, filter_bank

    filters = Filters(
        topics=_split(topic),
        kinds=_split(kind),
        difficulties=_split(difficulty),
        tags=_split(tag),
        ids=_split(id),
    )
    try:
        selected = filter_bank(bank, filters)
    except FilterError as e:
        raise click.UsageError(str(e)) from None
    if not selected.questions:
        raise click.ClickException("no question matches the filters; nothing written")
    return selected


def source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        raise click.UsageError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{value}'"
        ) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="her2quiz")
def main() -> None:
    """Compile a question bank into Anki decks and printable quizzes, checking every
    answer's quote against its source."""


@main.command("check")
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
def check_cmd(bank: Path, sources: Path | None, strict: bool, fmt: str) -> None:
    """Validate BANK: structure, meaning, quotes against the sources, item-writing lints.

    Prints one line per problem, FILE:LINE:COL: error[CODE] message. Exit status 0 when
    clean, 1 on errors (or on warnings under --strict), 2 on a usage error.
    """
    loaded = load_bank(bank, sources=sources)
    diagnostics = diagnose(loaded, strict=strict)
    print_diagnostics(diagnostics, loaded, fmt, err=False)
    if diagnostics:
        click.echo(f"{bank}: {summary(diagnostics)}", err=True)
    else:
        click.echo(f"{bank}: no problems", err=True)
    sys.exit(exit_status(diagnostics, strict=strict))


@main.command("build")
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

    Note modification times come from questions.lock beside the bank: an unchanged
    question keeps its time, so re-importing updates nothing; a new or edited one takes
    SOURCE_DATE_EPOCH when set, else now.
    """
    from .anki import LockError, build_deck

    model = load_or_exit(bank, sources)
    selected = select_or_exit(model, **filters)
    epoch = source_date_epoch()
    lock_path = bank.parent / "questions.lock"
    try:
        result = build_deck(selected, out_dir / f"{model.id}.apkg", lock_path=lock_path, epoch=epoch)
    except LockError as e:
        raise click.ClickException(str(e)) from None
    except OSError as e:
        raise click.ClickException(f"cannot write {out_dir}: {e.strerror}") from None
    click.echo(
        f"wrote {result.path} ({result.notes} notes, {result.cards} cards; "
        f"{result.new} new, {result.changed} changed since the lock)"
    )
    if no_quiz:
        return
    from .pdf import QuizOptions, write_quiz
    from .select import plan_quiz

    plan = plan_quiz(selected, count=None, versions=1, seed=1)
    options = QuizOptions(title=model.title, epoch=epoch)
    try:
        output = write_quiz(selected, plan, out_dir / f"{model.id}-quiz.pdf", options)
    except OSError as e:
        raise click.ClickException(f"cannot write {out_dir}: {e.strerror}") from None
    for warning in output.warnings:
        click.echo(f"warning: {warning}", err=True)
    for path in output.paths:
        click.echo(f"wrote {path}")


@main.command("quiz")
@BANK_ARG
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The quiz PDF to write (the key goes beside it as NAME-key.pdf).",
)
@click.option(
    "--count", type=click.IntRange(min=1), default=None, help="Questions per version [default: all selected]."
)
@click.option(
    "--versions", type=click.IntRange(1, 26), default=1, show_default=True, help="Versions A, B, … (1-26)."
)
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the selection and shuffling.")
@click.option("--paper", type=click.Choice(["a4", "us-letter"]), default="a4", show_default=True)
@click.option("--title", default=None, help="Title on the quiz [default: the bank's title].")
@click.option("--subtitle", default="", help="Line under the title (class, date).")
@click.option(
    "--key",
    type=click.Choice(["separate", "appended", "none"]),
    default="separate",
    show_default=True,
    help="separate: NAME-key.pdf beside the quiz; appended: after the quiz; none.",
)
@click.option("--answer-sheet", is_flag=True, help="Add a bubble-grid answer sheet per version.")
@click.option("--duplex", is_flag=True, help="Start every version on an odd page (two-sided printing).")
@click.option(
    "--plan",
    "plan_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the quiz plan (ids, option order, correct letters) as JSON.",
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
    sources: Path | None,
    **filters: tuple[str, ...],
) -> None:
    """Write a printable quiz PDF in seeded versions, with an answer key that is
    rendered from the same plan as the quiz, so the two cannot drift."""
    from .pdf import QuizOptions, write_quiz
    from .select import plan_quiz, write_plan

    model = load_or_exit(bank, sources)
    selected = select_or_exit(model, **filters)
    plan = plan_quiz(selected, count=count, versions=versions, seed=seed)
    options = QuizOptions(
        title=title or model.title,
        subtitle=subtitle,
        paper=paper,
        key=key,
        answer_sheet=answer_sheet,
        duplex=duplex,
        epoch=source_date_epoch(),
    )
    try:
        output = write_quiz(selected, plan, out, options)
        if plan_path is not None:
            write_plan(plan, plan_path)
    except OSError as e:
        raise click.ClickException(f"cannot write {e.filename or out}: {e.strerror}") from None
    for warning in output.warnings:
        click.echo(f"warning: {warning}", err=True)
    for path in [*output.paths, *([plan_path] if plan_path else [])]:
        click.echo(f"wrote {path}")


@main.command("stats")
@BANK_ARG
@SOURCES_OPT
@click.option("--uncited", is_flag=True, help="List the source sentences no quote cites yet.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True
)
def stats_cmd(bank: Path, sources: Path | None, uncited: bool, fmt: str) -> None:
    """Counts by topic, kind, difficulty and source, the answer-position spread, lint
    totals, and how much of each source text the quotes cover."""
    from .stats import bank_stats, render_stats

    model = load_or_exit(bank, sources)
    loaded_sources = sources if sources is not None else bank.parent / "sources"
    stats = bank_stats(model, sources_dir=loaded_sources, uncited=uncited)
    click.echo(render_stats(stats, fmt), nl=False)


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
