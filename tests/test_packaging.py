"""The installed (non-editable) package carries its schema and templates."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        check=True, capture_output=True,
    )  # fmt: skip
    (path,) = out.glob("her2quiz-*.whl")
    return path


def test_wheel_ships_schema_and_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "her2quiz/bank.schema.json" in names
    templates = {n for n in names if n.startswith("her2quiz/templates/")}
    assert "her2quiz/templates/quiz.typ" in templates
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "her2quiz = her2quiz.cli:run" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_package_finds_its_files(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import her2quiz, importlib.resources as r;"
        "from her2quiz.schema import bank_schema;"
        f"assert her2quiz.__file__.startswith({str(site)!r});"
        "assert bank_schema()['title'];"
        "assert r.files('her2quiz').joinpath('templates/quiz.typ').read_text()"
    )
    # -S: no site processing, so an editable install's import hook cannot shadow the wheel;
    # the dependencies still come from this environment's site-packages.
    path = os.pathsep.join([str(site), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    result = subprocess.run(
        [sys.executable, "-S", "-c", code],
        env={"PYTHONPATH": path},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
