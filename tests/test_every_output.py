"""Every bank that passes ``check`` builds, quizzes and exports to every format (issue 11).

The fixture banks, and banks whose texts hypothesis fills with arbitrary Unicode, go
through the real library calls the commands make. A question a format cannot carry is a
warning (``Report.warnings``), never an exception.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from her2quiz import api
from her2quiz.formats import EXPORTS

FIXTURES = Path(__file__).parent / "fixtures"
VALID = sorted((FIXTURES / "valid").glob("*.yaml"))
DEMO = (FIXTURES / "valid" / "every-kind.yaml").read_text(encoding="utf-8")


def every_output(bank: Path, out: Path) -> list[Path]:
    """Build, quiz (3 versions, answer sheet, plan) and every export; the files written."""
    written = [w.path for w in api.build(bank, out_dir=out / "decks", epoch=1_767_225_600).written]
    request = api.QuizRequest(
        out=out / "quiz.pdf", versions=3, answer_sheet=True, plan_path=out / "plan.json"
    )
    written += [w.path for w in api.quiz(bank, request, epoch=1_767_225_600).written]
    for fmt in EXPORTS:
        try:
            report = api.export(bank, fmt, out / f"export-{fmt}", epoch=1_767_225_600)
        except api.UsageError as e:  # the format can carry none of these questions: said, not raised
            assert "can carry none" in str(e)
            continue
        written += [w.path for w in report.written]
        well_formed(report.written[0].path)
        assert len(report.left_out) == len([w for w in report.warnings if w.startswith("left out")])
    return written


def well_formed(path: Path) -> None:
    """XML outputs parse (a control character or a bad escape would break them)."""
    if path.name.endswith("moodle-xml"):
        ElementTree.parse(path)
    elif path.name.endswith(("qti", "kahoot")):
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.endswith(".xml"):
                    ElementTree.fromstring(z.read(name))


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_every_valid_fixture_bank_gives_every_output(path: Path, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "sources", tmp_path / "sources")
    bank = tmp_path / "questions.yaml"
    shutil.copyfile(path, bank)
    assert not [d for d in api.check(bank) if d.is_error]
    written = every_output(bank, tmp_path / "out")
    assert all(p.is_file() and p.stat().st_size > 0 for p in written)
    assert not list(tmp_path.rglob("*.h2q-tmp"))


# Any character a bank may hold (E109 refuses controls and non-characters), with the ones
# that are markup or special in some output drawn often.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from("\n\t*{}[]<>&#~=:%\\/"),
    min_size=1,
    max_size=30,
).filter(lambda t: t.strip())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stem=TEXT, option=TEXT, explain=TEXT, around=TEXT, answer=TEXT)
def test_any_text_that_passes_check_gives_every_output(
    tmp_path_factory: pytest.TempPathFactory, stem: str, option: str, explain: str, around: str, answer: str
) -> None:
    folder = tmp_path_factory.mktemp("any")
    shutil.copytree(FIXTURES / "sources", folder / "sources")

    def quoted(text: str) -> str:
        """A YAML double-quoted scalar: every character that is not printable escaped."""
        return (
            '"'
            + "".join(ch if ch.isprintable() and ch not in '"\\' else f"\\U{ord(ch):08x}" for ch in text)
            + '"'
        )

    text = (
        DEMO.replace(
            "stem: In which period after surgery do HER2-positive carcinomas show an early peak of relapses?",
            f"stem: {quoted(stem)}",
        )
        .replace("      - After 10 years\n", f"      - {quoted(option)}\n", 1)
        .replace(
            "explain: It is a 185-kd membrane glycoprotein.",
            f"explain: {quoted(explain)}",
        )
        .replace(
            'text: "The HER2 protein is a {{c1::185-kd}}',
            f"text: {quoted(around)[:-1]} {{{{c1::185-kd}}}}",
        )
        .replace("answer: The extracellular domain", f"answer: {quoted(answer)}")
    )
    bank = folder / "questions.yaml"
    bank.write_text(text, encoding="utf-8")
    loaded = api.load_bank(bank)
    assume(loaded.bank is not None)  # only banks that pass check are promised every output
    written = every_output(bank, folder / "out")
    assert all(p.is_file() for p in written)
