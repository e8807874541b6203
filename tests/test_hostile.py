"""Nothing in a bank or on the command line can break the tool (issue 11, deliverable 3).

Each case is a hostile input run through the real CLI: a clear message, exit 1 (the bank)
or 2 (usage), no traceback, and no output written.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from her2quiz.cli import main
from her2quiz.files import Output, WriteError, write_together

DEMO = (Path(__file__).parent / "fixtures" / "valid" / "every-kind.yaml").read_text(encoding="utf-8")


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def assert_clean_failure(result: Result, status: int, *needles: str) -> None:
    assert result.exit_code == status, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    for needle in needles:
        assert needle in result.output, result.output


def with_source_file(bank: Path, file: str) -> Path:
    bank.write_text(DEMO.replace("file: demo.txt", f"file: {file!r}".replace("'", '"')), encoding="utf-8")
    return bank


# -- source files stay inside their folder ----------------------------------------------------


@pytest.mark.parametrize(
    ("file", "reason"),
    [
        ("../secret.txt", "climbs out of the sources folder ('..')"),
        ("/etc/hostname", "is an absolute path; name a file inside the sources folder"),
        ("sub/../../secret.txt", "climbs out of the sources folder ('..')"),
    ],
)
def test_a_source_outside_the_sources_folder_is_an_error_and_never_read(
    demo_bank: Path, file: str, reason: str
) -> None:
    secret = demo_bank.parent / "secret.txt"
    secret.write_text("TOP SECRET early peak of relapses in the first 4 years after surgery\n")
    bank = with_source_file(demo_bank, file)
    result = cli("check", str(bank), "--sources", str(bank.parent / "sources"))
    assert_clean_failure(result, 1, f"error[E209] source file '{file}' of 'demo' {reason}")
    assert "TOP SECRET" not in result.output


def test_a_symbolic_link_out_of_the_sources_folder_is_refused(demo_bank: Path) -> None:
    outside = demo_bank.parent / "outside.txt"
    shutil.copyfile(demo_bank.parent / "sources" / "demo.txt", outside)
    (demo_bank.parent / "sources" / "link.txt").symlink_to(outside)
    bank = with_source_file(demo_bank, "link.txt")
    result = cli("check", str(bank))
    assert_clean_failure(
        result, 1, "error[E209] source file 'link.txt' of 'demo' resolves outside the sources folder"
    )


def test_a_source_that_is_a_fifo_or_a_folder_is_refused_without_blocking(demo_bank: Path) -> None:
    os.mkfifo(demo_bank.parent / "sources" / "pipe.txt")
    (demo_bank.parent / "sources" / "folder.txt").mkdir()
    for name in ("pipe.txt", "folder.txt"):
        result = cli("check", str(with_source_file(demo_bank, name)))
        assert_clean_failure(result, 1, f"error[E209] source file '{name}' of 'demo' is not a regular file")


def test_a_source_over_the_size_limit_fails_before_it_is_read(demo_bank: Path) -> None:
    huge = demo_bank.parent / "sources" / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(17 * 1024 * 1024)  # sparse: no time or disk spent making it
    result = cli("check", str(with_source_file(demo_bank, "huge.txt")))
    assert_clean_failure(
        result,
        1,
        "error[E209] source file 'huge.txt' of 'demo' is 17,825,792 bytes; the limit is 16,777,216 bytes",
    )


# -- the bank itself ------------------------------------------------------------------------


def test_a_bank_that_is_a_fifo_fails_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "questions.yaml"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [sys.executable, "-m", "her2quiz", "check", str(fifo)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode in (1, 2)
    assert "Traceback" not in proc.stderr
    assert "not a regular file" in proc.stdout + proc.stderr or "is not a file" in proc.stderr


def test_an_oversized_bank_fails_before_it_is_read(tmp_path: Path) -> None:
    bank = tmp_path / "questions.yaml"
    with bank.open("wb") as f:
        f.truncate(20 * 1024 * 1024)
    result = cli("check", str(bank))
    assert_clean_failure(result, 1, "error[E009] file is 20,971,520 bytes; the limit is 16,777,216 bytes")


def test_terminal_escapes_in_a_bank_are_shown_escaped(write_bank: Callable[..., Path]) -> None:
    bank = write_bank(DEMO.replace("topic: relapse\n", 'topic: "relapse\\e[2J\\e]0;pwned\\a"\n', 1))
    result = cli("check", str(bank))
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "'relapse\\x1b[2J\\x1b]0;pwned\\x07'" in result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{c0::185-kd}}", "cloze number c0 out of range; expected c1 to c499"),
        ("{{c500::185-kd}}", "cloze number c500 out of range; expected c1 to c499"),
        ("{{c١::185-kd}}", "malformed cloze mark"),  # an Arabic-Indic digit one: Anki reads ASCII only
    ],
)
def test_cloze_numbers_must_be_ascii_and_in_ankis_range(
    write_bank: Callable[..., Path], text: str, message: str
) -> None:
    bank = write_bank(DEMO.replace("{{c1::185-kd}}", text))
    assert_clean_failure(cli("check", str(bank)), 1, message)


def test_an_id_with_a_trailing_newline_is_not_kebab_case(write_bank: Callable[..., Path]) -> None:
    bank = write_bank(DEMO.replace("- id: relapse-early-peak", '- id: "relapse-early-peak\\n"'))
    assert_clean_failure(cli("check", str(bank)), 1, "error[E105]", "expected kebab-case")


def test_options_equal_after_nfkc_and_format_characters_are_duplicates(
    write_bank: Callable[..., Path],
) -> None:
    bank = write_bank(
        DEMO.replace(
            "      - After 10 years\n", '      - After 10 years\n      - "The\\u200b first 6 months"\n', 1
        )
    )
    assert_clean_failure(
        cli("check", str(bank)),
        1,
        "error[E205] option 'The\u200b first 6 months' repeats 'The first 6 months'",
    )
    bank = write_bank(
        DEMO.replace("      - After 10 years\n", '      - After 10 years\n      - "Ａfter 10 years"\n', 1)
    )
    assert_clean_failure(cli("check", str(bank)), 1, "error[E205]")


def test_more_options_than_letters_is_an_error(write_bank: Callable[..., Path]) -> None:
    many = "".join(f"      - Option number {i}\n" for i in range(30))
    text = DEMO.replace(
        "      - Measures protein in cell membranes\n",
        f"      - Measures protein in cell membranes\n{many}",
        1,
    )
    assert text != DEMO
    assert_clean_failure(
        cli("check", str(write_bank(text))),
        1,
        "error[E214] 34 options in question 'testing-fish-properties'; at most 26 (A-Z)",
    )


def test_topic_names_equal_after_folding_are_an_error(write_bank: Callable[..., Path]) -> None:
    bank = write_bank(
        DEMO.replace("  drugs: Drug mechanisms", '  drugs: Drug mechanisms\n  lab: "testing  METHODS"')
    )
    assert_clean_failure(
        cli("check", str(bank)),
        1,
        "error[E213] topic name 'testing  METHODS' of 'lab' is the name of 'testing'",
    )


# -- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["-5", "99999999999999999999", "1e9", "soon", "١٢٣"])
def test_a_bad_source_date_epoch_is_a_usage_error(demo_bank: Path, tmp_path: Path, value: str) -> None:
    out = tmp_path / "out"
    result = cli("build", str(demo_bank), "-o", str(out), env={"SOURCE_DATE_EPOCH": value})
    assert_clean_failure(result, 2, "SOURCE_DATE_EPOCH must be")
    assert not out.exists()


def test_a_source_date_epoch_past_the_year_9999_is_a_usage_error(demo_bank: Path, tmp_path: Path) -> None:
    result = cli(
        "build", str(demo_bank), "-o", str(tmp_path / "o"), env={"SOURCE_DATE_EPOCH": "253402300800"}
    )
    assert_clean_failure(result, 2, "SOURCE_DATE_EPOCH must be 0 to 253402300799")
    assert not (demo_bank.parent / "questions.lock").exists()


def test_a_mistyped_sources_folder_is_a_usage_error(demo_bank: Path) -> None:
    result = cli("check", str(demo_bank), "--sources", str(demo_bank.parent / "sourcse"))
    assert_clean_failure(result, 2, "'--sources'", "does not exist")


@pytest.mark.parametrize("target", ["questions.yaml", "questions.lock"])
def test_an_output_that_is_an_input_is_refused(demo_bank: Path, target: str) -> None:
    (demo_bank.parent / "questions.lock").write_text("{}")
    before = {p.name: p.read_bytes() for p in demo_bank.parent.iterdir() if p.is_file()}
    result = cli(
        "quiz",
        str(demo_bank),
        "-o",
        str(demo_bank.parent / "q.pdf"),
        "--plan",
        str(demo_bank.parent / target),
    )
    assert_clean_failure(result, 2, f"would overwrite {demo_bank.parent / target}")
    assert {p.name: p.read_bytes() for p in demo_bank.parent.iterdir() if p.is_file()} == before


def test_the_plan_may_not_be_the_quiz_or_its_key(demo_bank: Path) -> None:
    out = demo_bank.parent / "q.pdf"
    result = cli("quiz", str(demo_bank), "-o", str(out), "--plan", str(demo_bank.parent / "q-key.pdf"))
    assert_clean_failure(result, 2, "would overwrite")
    assert not out.exists()


# -- locks: one per bank, never lost ---------------------------------------------------------------


def test_two_banks_in_one_folder_keep_their_own_locks(demo_bank: Path) -> None:
    other = demo_bank.with_name("other.yaml")
    other.write_text(DEMO.replace("id: demo\n", "id: other\n", 1), encoding="utf-8")
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    first = cli("build", str(demo_bank), "-o", str(demo_bank.parent / "d"), "--no-quiz", env=env)
    second = cli("build", str(other), "-o", str(demo_bank.parent / "d"), "--no-quiz", env=env)
    assert first.exit_code == second.exit_code == 0
    assert (demo_bank.parent / "questions.lock").exists() and (demo_bank.parent / "other.lock").exists()
    again = cli("build", str(demo_bank), "-o", str(demo_bank.parent / "d"), "--no-quiz", env=env)
    assert "0 new, 0 changed since the lock" in again.stdout


def test_two_builds_at_once_lose_no_lock_entries(demo_bank: Path) -> None:
    def build(topic: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "her2quiz", "build", str(demo_bank), "-o", str(demo_bank.parent / topic),
             "--no-quiz", "--topic", topic],
            check=True, capture_output=True, timeout=120, env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"},
        )  # fmt: skip

    threads = [threading.Thread(target=build, args=(t,)) for t in ("relapse", "testing", "drugs")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lock = (demo_bank.parent / "questions.lock").read_text(encoding="utf-8")
    for qid in ("relapse-early-peak", "testing-fish-properties", "drugs-her2-protein-size"):
        assert f'"{qid}"' in lock


# -- outputs: all or nothing ------------------------------------------------------------------------


def test_a_failed_run_leaves_the_old_outputs_whole_and_names_the_real_path(demo_bank: Path) -> None:
    out = demo_bank.parent / "q.pdf"
    assert cli("quiz", str(demo_bank), "-o", str(out)).exit_code == 0
    old = out.read_bytes()
    key = demo_bank.parent / "q-key.pdf"
    key.unlink()
    key.mkdir()  # the key cannot be written now
    result = cli("quiz", str(demo_bank), "-o", str(out), "--seed", "2")
    assert_clean_failure(result, 1, f"cannot write {key}")
    assert ".h2q-tmp" not in result.output
    assert out.read_bytes() == old
    assert not [p for p in demo_bank.parent.iterdir() if p.name.endswith(".h2q-tmp")]


def test_write_together_renames_nothing_when_one_output_fails(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"old a")
    (tmp_path / "b").mkdir()
    with pytest.raises(WriteError) as caught:
        write_together([Output(tmp_path / "a.txt", b"new a"), Output(tmp_path / "b", b"new b")])
    assert caught.value.path == tmp_path / "b"
    assert (tmp_path / "a.txt").read_bytes() == b"old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b"]


def test_a_rewritten_file_keeps_its_permissions_and_stale_temporaries_go(tmp_path: Path) -> None:
    target = tmp_path / "deck.apkg"
    target.write_bytes(b"old")
    target.chmod(0o640)
    stale = tmp_path / ".deck.apkg.999999999.0badc0de.h2q-tmp"  # no such process
    stale.write_bytes(b"left by a killed run")
    other = tmp_path / ".notes.txt.tmp"  # not ours: kept
    other.write_bytes(b"someone else's")
    write_together([Output(target, b"new")])
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert not stale.exists() and other.exists()


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_positions_are_right_whatever_the_line_endings(write_bank: Callable[..., Path], newline: str) -> None:
    text = DEMO.replace("topic: relapse\n", "topic: relapes\n", 1).replace("\n", newline)
    result = cli("check", str(write_bank(text.encode("utf-8"))), "--format", "full")
    line = DEMO.splitlines().index("    topic: relapse") + 1
    assert f"questions.yaml:{line}:12: error[E202] unknown topic 'relapes'" in result.output
    assert f"{line} |     topic: relapes\n" in result.output


def test_an_escaped_control_character_is_refused_since_no_output_can_carry_it(
    write_bank: Callable[..., Path],
) -> None:
    bank = write_bank(
        DEMO.replace("explain: It is a 185-kd membrane glycoprotein.", 'explain: "185-kd\\x07"')
    )
    assert_clean_failure(
        cli("check", str(bank)),
        1,
        "error[E109] 'explain' in question 'drugs-her2-protein-size' holds U+0007, a control character no output can carry",
    )
