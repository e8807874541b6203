"""`her2quiz check` end to end: output, formats, exit statuses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from her2quiz import load_bank
from her2quiz.cli import main

from conftest import DEMO_SOURCES, FIXTURES, REPO

BROKEN = FIXTURES / "broken"


def invoke(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_clean_bank_exits_0_and_says_so(demo_bank: Path) -> None:
    code, out, err = invoke("check", str(demo_bank))
    assert (code, out) == (0, "")
    assert err == f"{demo_bank}: no problems\n"


def test_errors_exit_1_with_one_line_each() -> None:
    path = BROKEN / "unknown-kind.yaml"
    code, out, err = invoke("check", str(path), "--sources", str(DEMO_SOURCES))
    assert code == 1
    assert out == (
        f"{path}:13:11: error[E104] 'kind' in question 'relapse-early-peak' is text 'mqc'; "
        "expected 'mcq', 'multi', 'truefalse', 'cloze' or 'basic' (did you mean 'mcq'?)\n"
    )
    assert err == f"{path}: 1 error\n"


def test_full_format_shows_the_line_and_a_caret() -> None:
    path = BROKEN / "unknown-key-typo.yaml"
    code, out, _ = invoke("check", str(path), "--sources", str(DEMO_SOURCES), "--format", "full")
    assert code == 1
    assert out.splitlines()[1:] == ["18 |     distractor:", "         ^"]


def test_warnings_exit_0_but_1_under_strict() -> None:
    path = BROKEN / "missing-source-file.yaml"
    assert invoke("check", str(path), "--sources", str(DEMO_SOURCES))[0] == 0
    code, out, _ = invoke("check", str(path), "--sources", str(DEMO_SOURCES), "--strict")
    assert code == 1
    assert "error[W201]" in out


@pytest.mark.parametrize(
    "args",
    [["check", "--bogus"], ["check", "--format", "pretty"], ["check", "no-such-bank.yaml"], ["nonsense"]],
)
def test_usage_errors_exit_2(args: list[str], tmp_path: Path) -> None:
    code, _, err = invoke(*args)
    assert code == 2
    assert "Usage:" in err or "Error:" in err


def test_default_bank_is_questions_yaml_in_the_current_folder(demo_bank: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(demo_bank.parent)
    code, _, err = invoke("check")
    assert code == 0 and err == "questions.yaml: no problems\n"


def test_python_dash_m_runs_the_same_cli(demo_bank: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "her2quiz", "check", str(demo_bank)],
        capture_output=True, text=True, check=False, cwd=REPO,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"{demo_bank}: no problems\n"


def her2quiz(*args: str) -> subprocess.CompletedProcess[str]:
    """The real process, as the console script runs it (run(): exits with os._exit)."""
    return subprocess.run(
        [sys.executable, "-m", "her2quiz", *args], capture_output=True, text=True, check=False, cwd=REPO
    )


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["check", str(BROKEN / "unknown-kind.yaml"), "--sources", str(DEMO_SOURCES)], 1),
        (["check", str(BROKEN / "missing-source-file.yaml"), "--sources", str(DEMO_SOURCES)], 0),
        (["check", str(BROKEN / "missing-source-file.yaml"), "--sources", str(DEMO_SOURCES), "--strict"], 1),
        (["check", "--bogus"], 2),
        (["--version"], 0),
    ],
)
def test_the_process_exits_with_the_status_click_chose(args: list[str], status: int) -> None:
    assert her2quiz(*args).returncode == status


def test_the_process_flushes_all_its_output_before_exiting(tmp_path: Path) -> None:
    """os._exit skips Python's own flushing: every line must still arrive through a pipe."""
    bank = (FIXTURES / "valid" / "every-kind.yaml").read_text(encoding="utf-8")
    bad = bank.replace("topic: ", "topic: no-such-", 1).replace("\nquestions:", "\nbogus: 1\nquestions:")
    path = tmp_path / "many.yaml"
    path.write_text(bad + "".join(f"  - nonsense-{i}\n" for i in range(3000)), encoding="utf-8")
    result = her2quiz("check", str(path), "--sources", str(DEMO_SOURCES))
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert len(lines) > 3000 and all(": error[" in line for line in lines)
    assert result.stderr == f"{path}: {len(lines)} errors\n"


def test_files_written_by_the_process_are_whole(demo_bank: Path) -> None:
    """The process ends with os._exit: every file must be complete and closed before."""
    import sqlite3
    import zipfile

    from pypdf import PdfReader

    out = demo_bank.parent / "out"
    result = her2quiz("build", str(demo_bank), "-o", str(out))
    assert result.returncode == 0, result.stderr
    (apkg,) = out.glob("*.apkg")
    with zipfile.ZipFile(apkg) as package:
        assert package.testzip() is None
        (out / "collection").write_bytes(package.read("collection.anki2"))
    notes = sqlite3.connect(out / "collection").execute("select count(*) from notes").fetchone()[0]
    assert notes == len(load_bank(demo_bank).bank.questions)  # type: ignore[union-attr]
    for pdf in sorted(out.glob("*.pdf")):
        assert len(PdfReader(pdf).pages) >= 1
    assert not list(out.glob(".*.tmp")) and not list(demo_bank.parent.glob(".*.tmp"))


def test_a_bad_bank_never_prints_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "q.yaml"
    path.write_bytes(b"\xff\xfe" + b"\x00garbage" * 10)
    code, out, err = invoke("check", str(path))
    assert code == 1
    assert "Traceback" not in out + err
    assert out.startswith(f"{path}:1:1: error[E002]")


def test_every_command_has_help_text() -> None:
    for name, command in main.commands.items():
        assert command.help and len(command.help) > 40, name
        code, out, _ = invoke(name, "--help")
        assert code == 0 and "Usage:" in out
