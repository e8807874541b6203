"""The library's front door: one function per command, each returning a report.

No click and no printing here: :mod:`her2quiz.cli` parses options, calls one of these,
prints the report and maps the exceptions below to exit statuses (BankError,
OutputError and the results errors: 1; UsageError: 2).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from .bank import Bank
from .diagnostics import Diagnostic, diagnostic_order
from .files import Output, Refused, WriteError, read_bounded, write_together
from .gcpause import paused_gc
from .load import MAX_BYTES, LoadError, decode, parse
from .select import Blueprint, FilterError, Filters, filter_bank
from .validate import Validator

EVERYTHING = Filters()  # no filter: every question


class BankError(Exception):
    """The bank has errors; ``diagnostics`` says which."""

    def __init__(self, diagnostics: list[Diagnostic], display: str = "") -> None:
        errors = [d for d in diagnostics if d.is_error]
        super().__init__(f"{len(errors)} error(s) in the bank")
        self.diagnostics = diagnostics
        self.display = display


class UsageError(Exception):
    """An option or argument that cannot work (exit status 2)."""


class OutputError(Exception):
    """An output could not be written, or there is nothing to write; nothing of the run was
    written (exit status 1)."""


@dataclass
class Loaded:
    """What loading a bank gave: the model (None when it has errors) and every diagnostic."""

    path: Path
    display: str
    bank: Bank | None
    diagnostics: list[Diagnostic]
    text: str = ""
    sources_dir: Path | None = None


def default_sources(bank_path: Path) -> Path:
    """`sources/` beside the bank."""
    return bank_path.parent / "sources"


def load_bank(path: str | Path, *, sources: str | Path | None = None, display: str | None = None) -> Loaded:
    """Load and validate a bank. Quotes are checked against ``sources`` (default
    `sources/` beside the bank). Never raises for a bad bank: see ``.diagnostics``."""
    path = Path(path)
    display = display if display is not None else str(path)
    sources_dir = Path(sources) if sources is not None else default_sources(path)
    try:
        data = read_bounded(path, MAX_BYTES)
    except Refused as e:
        d = Diagnostic(display, 1, 1, "E009" if "bytes" in str(e) else "E001", f"file {e}")
        return Loaded(path, display, None, [d], sources_dir=sources_dir)
    except OSError as e:
        d = Diagnostic(display, 1, 1, "E001", f"cannot read the bank: {e.strerror}")
        return Loaded(path, display, None, [d], sources_dir=sources_dir)
    try:
        text = decode(data, display)
        with paused_gc():
            tree, diagnostics = parse(text, display)
    except LoadError as e:
        return Loaded(path, display, None, [e.diagnostic], sources_dir=sources_dir)
    validator = Validator(display, sources_dir)
    with paused_gc():
        bank = validator.run(tree)
    diagnostics = diagnostics + validator.diagnostics
    if bank is not None and any(d.is_error for d in diagnostics):
        bank = None
    if bank is not None:
        bank = replace(bank, path=str(path), digest=hashlib.sha256(data).hexdigest())
    diagnostics.sort(key=diagnostic_order)
    return Loaded(path, display, bank, diagnostics, text, sources_dir)


def check(
    path: str | Path,
    *,
    sources: str | Path | None = None,
    strict: bool = False,
    lint: bool = True,
    display: str | None = None,
    results: str | Path | None = None,
) -> list[Diagnostic]:
    """Every diagnostic for a bank: loading, structure, meaning, quotes and lints (and,
    with ``results``, what graded classes say of its questions). Under ``strict`` warnings
    come back as errors."""
    loaded = load_bank(path, sources=sources, display=display)
    return diagnose(loaded, strict=strict, lint=lint, results=results)


def diagnose(
    loaded: Loaded, *, strict: bool = False, lint: bool = True, results: str | Path | None = None
) -> list[Diagnostic]:
    """:func:`check` for a bank already loaded: its diagnostics plus the lints."""
    diagnostics = list(loaded.diagnostics)
    if lint and loaded.bank is not None:
        with paused_gc():  # importing the lints after a big load could start a full collection
            from .lint import lint_bank

            diagnostics.extend(lint_bank(loaded.bank, display=loaded.display))
    if results is not None and loaded.bank is not None:
        from .grade import results_diagnostics

        diagnostics.extend(results_diagnostics(loaded.bank, Path(results), display=loaded.display))
    diagnostics.sort(key=diagnostic_order)
    if strict:
        diagnostics = [d.strict() for d in diagnostics]
    return diagnostics


def require_bank(path: str | Path, *, sources: str | Path | None = None) -> Bank:
    """The bank, or BankError when it has errors (what the writers build from)."""
    bank = require_loaded(path, sources=sources).bank
    assert bank is not None
    return bank


def require_loaded(path: str | Path, *, sources: str | Path | None = None, strict: bool = False) -> Loaded:
    """The loaded bank, or BankError when it has errors (or warnings under ``strict``)."""
    loaded = load_bank(path, sources=sources)
    if loaded.bank is None or any(d.is_error or strict for d in loaded.diagnostics):
        raise BankError(loaded.diagnostics, loaded.display)
    return loaded


def select(bank: Bank, filters: Filters) -> Bank:
    """The bank with only the questions matching ``filters``; UsageError for an unknown
    value or when nothing matches."""
    try:
        selected = filter_bank(bank, filters)
    except FilterError as e:
        raise UsageError(str(e)) from None
    if not selected.questions:
        raise OutputError("no question matches the filters")
    return selected


# -- reports --------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    """One file a command wrote, and what to say about it."""

    path: Path
    summary: str = ""


@dataclass(frozen=True)
class Report:
    """What a writing command did: the files, the bank's warnings, and other warnings."""

    written: tuple[Written, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    warnings: tuple[str, ...] = ()
    left_out: tuple[str, ...] = field(default=())  # ids an export could not carry


def _write(outputs: Sequence[tuple[Path, bytes]], protected: Sequence[Path]) -> None:
    """Write a run's outputs together, refusing a target that is an input or repeats."""
    seen: dict[str, Path] = {os.path.realpath(p): p for p in protected}
    for path, _ in outputs:
        real = os.path.realpath(path)
        if real in seen:
            raise UsageError(f"output {path} would overwrite {seen[real]}, which this run reads or writes")
        seen[real] = path
    try:
        write_together([Output(p, data) for p, data in outputs])
    except WriteError as e:
        raise OutputError(str(e)) from None


def _epoch_ok(epoch: int | None) -> None:
    if epoch is not None and not 0 <= epoch <= MAX_EPOCH:
        raise UsageError(f"SOURCE_DATE_EPOCH must be 0 to {MAX_EPOCH} (the year 9999), not {epoch}")


MAX_EPOCH = 253_402_300_799  # 9999-12-31T23:59:59Z: the last time a zip, a PDF and the lock all hold


@contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    """Hold an advisory lock on ``folder`` (two builds beside one bank take turns, so
    neither loses the other's lock entries)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no advisory locks; builds do not overlap there
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


# -- build, quiz, export ----------------------------------------------------------------


def build(
    bank_path: str | Path,
    *,
    out_dir: str | Path = "decks",
    sources: str | Path | None = None,
    filters: Filters = EVERYTHING,
    quiz: bool = True,
    epoch: int | None = None,
) -> Report:
    """``DIR/<id>.apkg`` (and the lock beside the bank), plus the whole selection as a quiz
    with its key; all rendered first, then written together."""
    from .formats.anki import lock_path_for, render_deck
    from .lock import LockError

    _epoch_ok(epoch)
    loaded = require_loaded(bank_path, sources=sources)
    bank = loaded.bank
    assert bank is not None
    selected = select(bank, filters)
    out = Path(out_dir)
    lock_path = lock_path_for(bank)
    with _exclusive(lock_path.parent.resolve()):
        try:
            deck = render_deck(selected, lock_path=lock_path, epoch=epoch)
        except LockError as e:
            raise BankError([], str(e)) from None
        deck_path = out / f"{bank.id}.apkg"
        outputs = [(deck_path, deck.package)]
        written = [
            Written(
                deck_path,
                f"{deck.notes} notes, {deck.cards} cards; {deck.new} new, {deck.changed} changed since the lock"
                + (f"; {deck.withdrawn} withdrawn" if deck.withdrawn else ""),
            )
        ]
        # A withdrawn id the lock never knew was never shipped: no learner has it to withdraw.
        warnings: tuple[str, ...] = ()
        if quiz:
            from .formats.pdf import QuizOptions, render_quiz
            from .select import plan_quiz

            # the whole bank, every question: a reference copy, not a paper to sit
            plan = plan_quiz(selected, count=None, versions=1, seed=1, apart=False)
            rendered = render_quiz(
                selected, plan, out / f"{bank.id}-quiz.pdf", QuizOptions(title=bank.title, epoch=epoch)
            )
            outputs += rendered.files
            written += [Written(p) for p, _ in rendered.files]
            warnings += rendered.warnings
        if deck.lock is not None:
            outputs.append((lock_path, deck.lock))
            written.append(Written(lock_path, "rewritten: new or changed questions"))
        _write(outputs, [Path(bank_path)])
    return Report(tuple(written), tuple(loaded.diagnostics), warnings)


@dataclass(frozen=True)
class QuizRequest:
    """A printed quiz: how many questions and versions, the seed, and how to print."""

    out: Path
    count: int | None = None
    versions: int = 1
    seed: int = 1
    paper: str = "a4"
    title: str | None = None
    subtitle: str = ""
    key: str = "separate"
    answer_sheet: bool = False
    duplex: bool = False
    plan_path: Path | None = None
    mix: str | None = None  # counts per kind: "mcq=12,truefalse=4,cloze=4"
    difficulty_mix: str | None = None  # counts per difficulty: "easy=6,medium=8,hard=6"
    topic_mix: str | None = None  # counts per topic: "testing=5,drugs=5"
    blueprint: Path | None = None  # a YAML or JSON file of the same maps (the options replace its maps)


def quiz_blueprint(request: QuizRequest) -> Blueprint | None:
    """The blueprint the request asks for (file, then options over it); None for none.
    UsageError for a mix or file that cannot be read."""
    from .select import BlueprintError, parse_mix, read_blueprint

    try:
        found = Blueprint()
        if request.blueprint is not None:
            try:
                data = read_bounded(request.blueprint, 1024 * 1024)
            except Refused as e:
                raise BlueprintError(f"{request.blueprint}: the blueprint file {e}") from None
            except OSError as e:
                raise BlueprintError(
                    f"{request.blueprint}: cannot read the blueprint: {e.strerror}"
                ) from None
            found = read_blueprint(data, str(request.blueprint))
        given = [
            (request.mix, "--mix"),
            (request.difficulty_mix, "--difficulty-mix"),
            (request.topic_mix, "--topic-mix"),
        ]
        kinds, difficulties, topics = (parse_mix(text, what) if text else () for text, what in given)
        found = found.replaced_by(Blueprint(kinds, difficulties, topics))
    except BlueprintError as e:
        raise UsageError(str(e)) from None
    return None if found.empty else found


def quiz(
    bank_path: str | Path,
    request: QuizRequest,
    *,
    sources: str | Path | None = None,
    filters: Filters = EVERYTHING,
    epoch: int | None = None,
) -> Report:
    """The quiz PDF in seeded versions, its key, and (with ``plan_path``) the plan, all
    from one plan and written together."""
    from .formats.pdf import QuizOptions, render_quiz
    from .select import BlueprintError, filter_title, plan_quiz

    _epoch_ok(epoch)
    blueprint = quiz_blueprint(request)
    loaded = require_loaded(bank_path, sources=sources)
    bank = loaded.bank
    assert bank is not None
    selected = select(bank, filters)
    out = (
        request.out
        if request.out.suffix.lower() == ".pdf"
        else request.out.with_name(request.out.name + ".pdf")
    )
    try:
        plan = plan_quiz(
            selected, count=request.count, versions=request.versions, seed=request.seed, blueprint=blueprint
        )
    except BlueprintError as e:
        raise UsageError(str(e)) from None
    narrowed = filter_title(bank, filters)
    options = QuizOptions(
        title=request.title or (f"{bank.title} — {narrowed}" if narrowed else bank.title),
        subtitle=request.subtitle,
        paper=request.paper,
        key=request.key,
        answer_sheet=request.answer_sheet,
        duplex=request.duplex,
        epoch=epoch,
    )
    rendered = render_quiz(selected, plan, out, options)
    outputs = list(rendered.files)
    if request.plan_path is not None:
        from .formats import Job, get_format

        outputs += (
            get_format("plan").load().render(Job(bank=selected, target=request.plan_path, plan=plan)).files
        )
    _write(outputs, [Path(bank_path), Path(bank_path).with_suffix(".lock")])
    return Report(tuple(Written(p) for p, _ in outputs), tuple(loaded.diagnostics), rendered.warnings)


@dataclass(frozen=True)
class GradeOutcome:
    """A graded class: the report as text (in the asked format) and the files written."""

    text: str
    written: tuple[Written, ...]


def grade(
    plan_path: str | Path,
    responses: str | Path,
    *,
    bank_path: str | Path | None = None,
    sources: str | Path | None = None,
    source_format: str | None = None,
    multi: str = "all-or-nothing",
    fmt: str = "text",
    report_pdf: str | Path | None = None,
    results_dir: str | Path | None = None,
    epoch: int | None = None,
) -> GradeOutcome:
    """Mark a class's results against the plan its quiz was printed from, analyse every
    item, and (with ``results_dir``) keep the class for ``check --results``. ResultsError
    (from :mod:`her2quiz.grade`) for a bad plan or results file."""
    from .grade import grade_class, render_report, render_report_pdf, save_result
    from .plan import read_plan

    _epoch_ok(epoch)
    plan = read_plan(plan_path)
    bank = require_bank(bank_path, sources=sources) if bank_path is not None else None
    report = grade_class(plan, Path(responses), bank=bank, source_format=source_format, multi=multi)
    outputs: list[tuple[Path, bytes]] = []
    if report_pdf is not None:
        outputs.append((Path(report_pdf), render_report_pdf(report, epoch)))
    if results_dir is not None:
        name, data = save_result(report)
        outputs.append((Path(results_dir) / name, data))
    protected = [Path(plan_path), Path(responses), *([Path(bank_path)] if bank_path is not None else [])]
    _write(outputs, protected)
    return GradeOutcome(render_report(report, fmt), tuple(Written(p) for p, _ in outputs))


def export(
    bank_path: str | Path,
    fmt: str,
    out: str | Path,
    *,
    sources: str | Path | None = None,
    filters: Filters = EVERYTHING,
    strict: bool = False,
    epoch: int | None = None,
    seed: int = 1,
    versions: int = 1,
) -> Report:
    """One export file: every selected question the format can carry; each one it cannot
    is left out with a warning naming the rule (an error under ``strict``)."""
    from .formats import EXPORTS, Job, UnknownFormat, get_format

    try:
        format_ = get_format(fmt)
    except UnknownFormat as e:
        raise UsageError(str(e)) from None
    if fmt not in EXPORTS:
        raise UsageError(f"'{fmt}' is not an export; expected one of {', '.join(EXPORTS)}")
    _epoch_ok(epoch)
    loaded = require_loaded(bank_path, sources=sources)
    bank = loaded.bank
    assert bank is not None
    selected = select(bank, filters)
    carried, left_out, warnings = [], [], []
    for q in selected.questions:
        reason = format_.refusal(q)
        if reason is None:
            carried.append(q)
        else:
            left_out.append(q.id)
            warnings.append(f"left out question '{q.id}' ({q.kind}): {reason}")
    if strict and left_out:  # the bank does not fit the format: exit 1, like a strict check
        raise OutputError("\n".join([*warnings, f"{len(left_out)} question(s) left out under --strict"]))
    if not carried:
        raise UsageError(
            f"{fmt} can carry none of the {len(selected.questions)} selected questions; nothing written"
        )
    job = Job(
        bank=replace(selected, questions=tuple(carried)),
        target=Path(out),
        title=bank.title,
        epoch=epoch,
        seed=seed,
        versions=versions,
    )
    rendered = format_.load().render(job)
    _write(rendered.files, [Path(bank_path), Path(bank_path).with_suffix(".lock")])
    summary = f"{len(carried)} questions" + (f", {len(left_out)} left out" if left_out else "")
    written = [Written(rendered.files[0][0], summary), *(Written(p) for p, _ in rendered.files[1:])]
    return Report(tuple(written), tuple(loaded.diagnostics), (*warnings, *rendered.warnings), tuple(left_out))
