"""The README documents every command and option, and starts with the two commands."""

from __future__ import annotations

import re

import click

from her2quiz.cli import main

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_one_sentence_and_exactly_two_commands() -> None:
    head = README.split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", head, re.DOTALL)
    assert len(commands) == 2
    build, tests = commands
    assert "pip install ." in build and "her2quiz build questions.yaml" in build
    assert "pip install -e '.[test]'" in tests and tests.endswith("pytest")


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "test-command" in ci and "--strict" in ci and '"$rc" -eq 5' in ci


def test_every_command_and_option_is_in_the_readme() -> None:
    for name, command in main.commands.items():
        assert f"her2quiz {name}" in README, name
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert any(opt in README for opt in param.opts), f"{name} {param.opts}"


def test_every_diagnostic_code_is_documented() -> None:
    from her2quiz.lint import CODES

    codes = set(re.findall(r"\b[EW]\d{3}\b", (REPO / "her2quiz").joinpath("load.py").read_text()))
    for module in ("schema.py", "validate.py", "api.py"):
        codes |= set(re.findall(r'"([EW]\d{3})"', (REPO / "her2quiz" / module).read_text()))
    codes |= set(CODES)
    missing = sorted(c for c in codes if f"| {c} |" not in README)
    assert missing == []


def test_top_level_help_shows_every_command_description_whole() -> None:
    from click.testing import CliRunner

    out = CliRunner().invoke(main, ["--help"], terminal_width=100).output
    for name, command in main.commands.items():
        short = command.get_short_help_str(limit=200)
        assert not short.endswith("..."), name
        assert " ".join(short.split()) in " ".join(out.split()), name
