"""`her2quiz quiz` end to end: files, plan, key and errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from quiz_banks import bank_text, write

from her2quiz.api import require_bank
from her2quiz.cli import main


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, ["quiz", *args], env=env)


def page_texts(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_quiz_writes_quiz_key_and_plan(demo_bank: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "quiz.pdf"
    plan_path = tmp_path / "out" / "plan.json"
    result = run(str(demo_bank), "-o", str(out), "--versions", "3", "--seed", "2", "--plan", str(plan_path))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}\nwrote {out.with_name('quiz-key.pdf')}\nwrote {plan_path}\n"
    plan = json.loads(plan_path.read_text(encoding="utf-8"))
    bank = require_bank(demo_bank)
    assert plan["seed"] == 2 and plan["bank"] == bank.short_hash
    assert [v["label"] for v in plan["versions"]] == ["A", "B", "C"]
    quiz, key = page_texts(out), page_texts(out.with_name("quiz-key.pdf"))
    for version in plan["versions"]:
        text = " ".join(t for t in quiz if f"Version {version['label']} · page" in t)
        keyed = " ".join(t for t in key if f"Answer key · Version {version['label']} · page" in t)
        pos = kpos = 0
        for item in version["items"]:
            q = bank.question(item["id"])
            if "correct" in item:
                letters = [chr(65 + i) for i in range(len(item["options"]))]
                texts = [item["options"][ord(x) - 65] for x in item["correct"]]
                assert sorted(texts) == sorted(q.answer_texts())
                for letter, option in zip(letters, item["options"], strict=True):
                    pos = text.index(f"{letter} {option}", pos)
                entry = " ".join(f"{x} {t}" for x, t in zip(item["correct"], texts, strict=True))
            else:
                assert item["answers"] == list(q.answer_texts())
                entry = " ".join(f"({n}) {a}" for n, a in enumerate(item["answers"], 1))
                if item["kind"] == "basic":
                    entry = item["answers"][0]
            kpos = keyed.index(f"{item['number']}. {entry}", kpos)


def test_title_subtitle_and_paper(demo_bank: Path, tmp_path: Path) -> None:
    out = tmp_path / "q.pdf"
    result = run(
        str(demo_bank), "-o", str(out), "--title", "HER2 revision", "--subtitle", "Class 5B, 12 March",
        "--paper", "us-letter", "--key", "none",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}\n"
    reader = PdfReader(out)
    assert reader.metadata.title == "HER2 revision"
    assert (float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)) == (612, 792)
    assert page_texts(out)[0].startswith("HER2 revision Class 5B, 12 March Version A")


def test_filters_and_count(tmp_path: Path) -> None:
    bank = write(tmp_path, bank_text(30))
    plan_path = tmp_path / "plan.json"
    result = run(str(bank), "-o", str(tmp_path / "q.pdf"), "--topic", "testing,drugs", "--kind", "mcq",
                 "--count", "3", "--plan", str(plan_path), "--key", "none")  # fmt: skip
    assert result.exit_code == 0, result.output
    items = json.loads(plan_path.read_text())["versions"][0]["items"]
    assert len(items) == 3
    assert all(i["kind"] == "mcq" and i["id"].split("-")[0] in ("testing", "drugs") for i in items)


def test_count_larger_than_the_selection_warns(demo_bank: Path, tmp_path: Path) -> None:
    result = run(str(demo_bank), "-o", str(tmp_path / "q.pdf"), "--count", "50", "--key", "none")
    assert result.exit_code == 0, result.output
    assert "warning: asked for 50 questions but only 5 are selected; using all\n" in result.stderr


def test_unknown_filter_is_a_usage_error(demo_bank: Path, tmp_path: Path) -> None:
    result = run(str(demo_bank), "-o", str(tmp_path / "q.pdf"), "--topic", "relapes")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: unknown topic 'relapes' (did you mean 'relapse'?); "
        "expected one of 'relapse', 'testing' or 'drugs'\n"
    )
    assert not list(tmp_path.glob("*.pdf"))


def test_no_matching_question_writes_nothing(demo_bank: Path, tmp_path: Path) -> None:
    result = run(str(demo_bank), "-o", str(tmp_path / "q.pdf"), "--topic", "relapse", "--kind", "basic")
    assert result.exit_code == 1
    assert result.stderr.endswith("Error: no question matches the filters; nothing written\n")
    assert not list(tmp_path.glob("*.pdf"))


def test_appended_key_and_answer_sheet(demo_bank: Path, tmp_path: Path) -> None:
    out = tmp_path / "q.pdf"
    result = run(str(demo_bank), "-o", str(out), "--key", "appended", "--answer-sheet", "--duplex")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}\n"
    pages = page_texts(out)
    assert any("Answer sheet" in p for p in pages)
    assert any("Version A Marking grid" in p for p in pages)
    first_key = next(i for i, p in enumerate(pages) if "Answer key · Version A · page 1" in p)
    assert first_key % 2 == 0


def test_two_runs_are_byte_identical(demo_bank: Path, tmp_path: Path) -> None:
    """Separate processes, so nothing is shared but the inputs."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    for name in ("one", "two"):
        subprocess.run(
            [sys.executable, "-m", "her2quiz", "quiz", str(demo_bank), "-o", str(tmp_path / name / "q.pdf"),
             "--versions", "3", "--answer-sheet", "--plan", str(tmp_path / name / "plan.json")],
            check=True, env=env, capture_output=True,
        )  # fmt: skip
    for file in ("q.pdf", "q-key.pdf", "plan.json"):
        assert (tmp_path / "one" / file).read_bytes() == (tmp_path / "two" / file).read_bytes(), file
    assert PdfReader(tmp_path / "one" / "q.pdf").metadata.creation_date.year == 2023


def test_bad_source_date_epoch_is_a_usage_error(demo_bank: Path, tmp_path: Path) -> None:
    result = run(str(demo_bank), "-o", str(tmp_path / "q.pdf"), env={"SOURCE_DATE_EPOCH": "soon"})
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH must be a whole number of seconds (0 or more), not 'soon'" in result.stderr


def test_build_writes_the_whole_bank_as_a_quiz(demo_bank: Path, tmp_path: Path) -> None:
    pytest.importorskip("her2quiz.formats.anki")
    out = tmp_path / "decks"
    result = CliRunner().invoke(
        main, ["build", str(demo_bank), "-o", str(out)], env={"SOURCE_DATE_EPOCH": "1"}
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {out / 'demo-quiz.pdf'}\nwrote {out / 'demo-quiz-key.pdf'}\n" in result.stdout
    pages = page_texts(out / "demo-quiz.pdf")
    assert pages[0].startswith("Demo bank Version A") and "Answer all 5 questions." in pages[0]


# -- blueprints ----------------------------------------------------------------------------


def plan_counts(bank_path: Path, plan_path: Path) -> list[tuple[Counter[str], Counter[str], Counter[str]]]:
    """Per version: the counts per kind, difficulty and topic of the questions the plan holds."""
    bank = require_bank(bank_path)
    out = []
    for version in json.loads(plan_path.read_text(encoding="utf-8"))["versions"]:
        questions = [bank.question(item["id"]) for item in version["items"]]
        assert len({q.family for q in questions}) == len(questions)  # one per family
        out.append(
            (
                Counter(q.kind for q in questions),
                Counter(q.difficulty for q in questions),
                Counter(q.topic for q in questions),
            )
        )
    return out


def test_quiz_meets_the_mixes_it_is_given(tmp_path: Path) -> None:
    bank = write(tmp_path, bank_text(60, families=30))
    plan_path = tmp_path / "plan.json"
    result = run(str(bank), "-o", str(tmp_path / "q"), "--mix", "mcq=4,multi=2,truefalse=2,cloze=2",
                 "--difficulty-mix", "easy=3,medium=4,hard=3", "--topic-mix", "relapse=4,testing=3,drugs=3",
                 "--versions", "2", "--plan", str(plan_path), "--key", "none")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {tmp_path / 'q.pdf'}\nwrote {plan_path}\n"
    for kinds, levels, topics in plan_counts(bank, plan_path):
        assert kinds == {"mcq": 4, "multi": 2, "truefalse": 2, "cloze": 2}
        assert levels == {"easy": 3, "medium": 4, "hard": 3}
        assert topics == {"relapse": 4, "testing": 3, "drugs": 3}


def test_quiz_reads_a_blueprint_file_and_the_options_replace_its_maps(tmp_path: Path) -> None:
    bank = write(tmp_path, bank_text(60, families=30))
    blueprint = tmp_path / "blueprint.json"
    blueprint.write_text('{"count": 6, "kinds": {"mcq": 6}, "difficulties": {"easy": 2, "hard": 4}}')
    plan_path = tmp_path / "plan.json"
    result = run(str(bank), "-o", str(tmp_path / "q.pdf"), "--blueprint", str(blueprint),
                 "--mix", "mcq=3,basic=3", "--plan", str(plan_path), "--key", "none")  # fmt: skip
    assert result.exit_code == 0, result.output
    [(kinds, levels, _)] = plan_counts(bank, plan_path)
    assert kinds == {"mcq": 3, "basic": 3} and levels == {"easy": 2, "hard": 4}


def test_an_unmeetable_mix_is_refused_with_its_reason_and_writes_nothing(tmp_path: Path) -> None:
    bank = write(tmp_path, bank_text(20))
    result = run(
        str(bank), "-o", str(tmp_path / "q.pdf"), "--mix", "mcq=8", "--plan", str(tmp_path / "p.json")
    )
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: kind mcq=8 cannot be met: the selected questions hold only 4 mcq questions\n"
    )
    result = run(str(bank), "-o", str(tmp_path / "q.pdf"), "--mix", "mcq=2", "--count", "3")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: the kind mix (mcq=2) sums to 2 questions, not 3; every mix must add up to the number of questions\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["questions.yaml", "sources"]


def test_a_bad_blueprint_file_is_refused_at_its_place(tmp_path: Path) -> None:
    bank = write(tmp_path, bank_text(20))
    blueprint = tmp_path / "b.yaml"
    blueprint.write_text("kinds:\n  mcq: 2\n  cloze: two\n", encoding="utf-8")
    result = run(str(bank), "-o", str(tmp_path / "q.pdf"), "--blueprint", str(blueprint))
    assert result.exit_code == 2
    assert result.stderr.endswith(
        f"Error: {blueprint}:3:10: 'kinds: cloze' must be a whole number from 0, not two\n"
    )
    assert not list(tmp_path.glob("*.pdf"))


def test_the_title_names_the_filter(tmp_path: Path) -> None:
    bank = write(tmp_path, bank_text(20, title="HER2 in breast cancer"))
    out = tmp_path / "q.pdf"
    result = run(str(bank), "-o", str(out), "--topic", "testing", "--key", "none")
    assert result.exit_code == 0, result.output
    assert page_texts(out)[0].startswith("HER2 in breast cancer — Testing methods Version A")
    assert PdfReader(out).metadata.title == "HER2 in breast cancer — Testing methods"
    result = run(str(bank), "-o", str(out), "--topic", "testing", "--title", "Mock exam", "--key", "none")
    assert page_texts(out)[0].startswith("Mock exam Version A")
