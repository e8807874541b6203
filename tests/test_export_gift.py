"""``her2quiz export --format gift``: parsed by gift-pegjs (npm, pinned in tests/js) and by the
parts of Moodle's ``qformat_gift`` that gift-pegjs does not model, compared with the bank.

gift-pegjs gives each question's type, title, id, stem, choices (correct flag, weight, text,
feedback) and general feedback. What it lacks is checked here from Moodle 4.5's
``question/format/gift/format.php``: questions are split on blank lines, every line starting
with ``//`` is dropped wherever it is, ``[id:…]``/``[tag:…]`` are read from those comments
(with ``\\]`` for ``]``), a true/false answer is ``T``/``TRUE``/``F``/``FALSE`` in upper case
(else it is a short answer), and a weight must be one of Moodle's grade fractions.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from quiz_banks import bank_text, write
from test_export_moodle import (
    HER2,
    HOSTILE,
    check_feedback,
    html_runs,
    moodle_xml_order,
    runs,
    split_category_path,
    unwildcard,
)

from her2quiz import api, markup
from her2quiz.bank import AnyQuestion, Bank, Basic, ChoiceQuestion, TrueFalse
from her2quiz.cli import main
from her2quiz.formats import Job, get_format, gift
from her2quiz.formats.moodle_xml import is_short_answer
from her2quiz.select import option_order
from her2quiz.weights import ALLOWED, multi_fractions

from conftest import DEMO_BANK, DEMO_SOURCES, REPO, SHARED_SOURCES

JS = REPO / "tests" / "js"


def gift_pegjs(path: Path) -> list[dict[str, Any]]:
    """What gift-pegjs parses from the file (the test fails, not skips, without it)."""
    if shutil.which("node") is None:
        pytest.fail("node is not installed; the GIFT tests parse with gift-pegjs (npm ci --prefix tests/js)")
    if not (JS / "node_modules" / "gift-pegjs").is_dir():
        pytest.fail("gift-pegjs is not installed: run `npm ci --prefix tests/js`")
    done = subprocess.run(
        ["node", str(JS / "parse_gift.mjs"), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    parsed: list[dict[str, Any]] = json.loads(done.stdout)
    return parsed


# -- Moodle's reading, where gift-pegjs has none ------------------------------------------------

_ID = re.compile(r"\[id:((?:\\]|[^\]\x00-\x1f\x7f])+)]")
_TAG = re.compile(r"\[tag:((?:\\]|[^\]<>`\x00-\x1f\x7f])+)]")


def moodle_blocks(text: str) -> list[list[str]]:
    """The file split into questions as qformat_default::readquestions does: on blank lines."""
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def moodle_id_and_tags(block: list[str]) -> tuple[str, list[str]]:
    """qformat_gift::extract_idnumber_and_tags_from_comment on the block's comment lines."""
    comments = "".join(line.strip() + "\n" for line in block if line.strip().startswith("//"))
    found = _ID.search(comments)
    idnumber = found.group(1).strip().replace("\\]", "]") if found else ""
    return idnumber, [t.strip().replace("\\]", "]") for t in _TAG.findall(comments)]


def check_blocks(text: str, bank: Bank) -> None:
    """One block per category and question, comments only before the question (Moodle drops a
    '//' line anywhere, so one inside a question would silently cut its text), and true/false
    answers in upper case."""
    blocks = moodle_blocks(text)
    questions = [b for b in blocks if not b[0].startswith("$CATEGORY:")]
    assert len(questions) == len(bank.questions)
    for block, q in zip(questions, moodle_xml_order(bank), strict=True):
        body = [line for line in block if not line.strip().startswith("//")]
        assert block[: len(block) - len(body)] == [line for line in block if line.strip().startswith("//")]
        assert body[0].startswith(f"::{q.id}::"), body[0]
        assert moodle_id_and_tags(block) == (
            q.id,
            list(
                dict.fromkeys(
                    [f"topic:{q.topic}", *([f"difficulty:{q.difficulty}"] if q.difficulty else []), *q.tags]
                )
            ),
        )
        if isinstance(q, TrueFalse):
            assert body[1].strip() == ("TRUE" if q.answer else "FALSE")  # lower case is a short answer


def check_gift_export(path: Path, bank: Bank) -> None:
    text = path.read_text(encoding="utf-8")
    check_blocks(text, bank)
    parsed = gift_pegjs(path)
    category: list[str] = []
    seen = []
    for item in parsed:
        if item["type"] == "Category":
            category = split_category_path(item["title"])
            continue
        q = bank.question(item["title"])
        seen.append(q.id)
        assert category == ["$course$", bank.deck, bank.topics[q.topic]]
        assert item["id"] == q.id
        assert item["stem"]["format"] == "html"
        assert html_runs(item["stem"]["text"]) == runs(q.prompt)
        check_feedback(item["globalFeedback"]["text"], q, bank)
        check_answers(item, q)
    assert seen == [q.id for q in moodle_xml_order(bank)]


def check_answers(item: dict[str, Any], q: AnyQuestion) -> None:
    if isinstance(q, TrueFalse):
        assert item["type"] == "TF" and item["isTrue"] is q.answer
    elif isinstance(q, ChoiceQuestion):
        assert item["type"] == "MC"
        options = option_order(q, shuffle=None)
        choices = item["choices"]
        assert [html_runs(c["text"]["text"]) for c in choices] == [runs(o.text) for o in options]
        assert [html_runs(c["feedback"]["text"]) if c["feedback"] else None for c in choices] == [
            runs(o.why) if o.why else None for o in options
        ]
        if q.kind == "mcq":
            assert [(c["isCorrect"], c["weight"]) for c in choices] == [(o.correct, None) for o in options]
        else:
            right, wrong = multi_fractions(len(q.answers), len(q.distractors))
            weights = [c["weight"] for c in choices]
            assert weights == [right if o.correct else wrong for o in options]
            assert all(w in ALLOWED for w in weights)  # gift-pegjs takes any number; Moodle does not
            assert round(sum(w for w in weights if w > 0) / 100, 2) == 1.0
    elif isinstance(q, Basic) and is_short_answer(q):
        assert item["type"] == "Short"
        assert [unwildcard(c["text"]["text"]) for c in item["choices"]] == list(
            dict.fromkeys(markup.plain(a) for a in (q.answer, *q.accept))
        )
        assert all(c["isCorrect"] for c in item["choices"])
    else:
        assert item["type"] == "Essay" and "choices" not in item


def without_clozes(bank: Bank) -> Bank:
    return replace(bank, questions=tuple(q for q in bank.questions if q.kind != "cloze"))


# -- the tests ------------------------------------------------------------------------------------


def export(
    tmp_path: Path, bank: Path, sources: Path = DEMO_SOURCES, name: str = "out.gift.txt"
) -> api.Report:
    return api.export(bank, "gift", tmp_path / name, sources=sources, epoch=0)


@pytest.mark.parametrize("bank_path", [HOSTILE, DEMO_BANK], ids=["hostile", "every-kind"])
def test_every_question_parses_back_as_the_bank_says(tmp_path: Path, bank_path: Path) -> None:
    report = export(tmp_path, bank_path)
    bank = api.require_bank(bank_path, sources=DEMO_SOURCES)
    clozes = tuple(q.id for q in bank.questions if q.kind == "cloze")
    assert clozes and report.left_out == clozes
    assert report.warnings == tuple(
        f"left out question '{c}' (cloze): GIFT has no question with several blanks" for c in clozes
    )
    carried = without_clozes(bank)
    check_gift_export(tmp_path / "out.gift.txt", carried)


def test_hostile_characters_are_escaped_as_moodle_reads_them(tmp_path: Path) -> None:
    export(tmp_path, HOSTILE)
    text = (tmp_path / "out.gift.txt").read_text(encoding="utf-8")
    assert "\\~equivocal \\\\ C\\:\\\\HER2\\\\path" in text  # backslash first, then ~ :
    assert "<br>\\n// the second line" in text  # a line break never starts a '//' line
    assert "\t~&\\#91;html] starts like" in text  # not read as the [html] text format
    assert "\t~&\\#37;50% weight-looking" in text  # not read as a 50 % weight
    assert "\t=%100%%50% of it" in text  # a short answer cannot use an entity
    assert "// [tag:x\\]y]" in text


def test_output_is_byte_identical_for_the_same_inputs(tmp_path: Path) -> None:
    export(tmp_path, HOSTILE, name="a.gift.txt")
    export(tmp_path, HOSTILE, name="b.gift.txt")
    assert (tmp_path / "a.gift.txt").read_bytes() == (tmp_path / "b.gift.txt").read_bytes()
    bank = api.require_bank(HOSTILE, sources=DEMO_SOURCES)
    carried = without_clozes(bank)
    rendered = get_format("gift").load().render(Job(bank=carried, target=tmp_path / "c.gift.txt"))
    assert rendered.files[0][1] == (tmp_path / "a.gift.txt").read_bytes()


def test_a_short_answer_starting_with_a_bracket_is_left_out(tmp_path: Path) -> None:
    bracket: dict[str, object] = {
        "id": "relapse-bracket-answer",
        "kind": "basic",
        "topic": "relapse",
        "stem": "When is the early peak?",
        "answer": "[html] years",
        "cite": [{"source": "demo", "quote": "early peak of relapses in the first 4 years after surgery"}],
    }
    path = write(tmp_path, bank_text(3, extra=[bracket]))
    report = export(tmp_path, path)
    assert report.left_out == ("relapse-bracket-answer",)
    assert report.warnings == (
        "left out question 'relapse-bracket-answer' (basic): the accepted answer '[html] years' starts "
        "with '[', which GIFT reads as a text format",
    )
    assert "relapse-bracket-answer" not in [q["title"] for q in gift_pegjs(tmp_path / "out.gift.txt")]


def test_a_multi_moodle_cannot_weigh_is_left_out(tmp_path: Path) -> None:
    wide: dict[str, object] = {
        "id": "relapse-many-wrong",
        "kind": "multi",
        "topic": "relapse",
        "stem": "Which two are right?",
        "answers": ["Right a", "Right b"],
        "distractors": [f"Wrong {i}" for i in range(11)],
        "cite": [{"source": "demo", "quote": "early peak of relapses in the first 4 years after surgery"}],
    }
    path = write(tmp_path, bank_text(2, extra=[wide]))
    report = export(tmp_path, path)
    assert report.left_out == ("relapse-many-wrong",)
    assert "11 wrong options: Moodle's grade fractions have -100/n only for n ≤ 10" in report.warnings[0]


def test_the_command_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "quiz.gift.txt"
    result = CliRunner().invoke(
        main, ["export", str(HOSTILE), "--format", "gift", "-o", str(out), "--sources", str(DEMO_SOURCES)]
    )
    assert result.exit_code == 0, result.output
    assert "hostile-cloze-blanks" in result.output  # the warning names the question left out
    assert [q["title"] for q in gift_pegjs(out) if q["type"] != "Category"] == [
        q.id for q in moodle_xml_order(api.require_bank(HOSTILE, sources=DEMO_SOURCES)) if q.kind != "cloze"
    ]
    strict = CliRunner().invoke(
        main, ["export", str(HOSTILE), "--format", "gift", "-o", str(tmp_path / "s.txt"),
               "--sources", str(DEMO_SOURCES), "--strict"],
    )  # fmt: skip
    assert strict.exit_code == 1 and not (tmp_path / "s.txt").exists()
    assert "hostile-cloze-blanks" in strict.output and "nothing written" in strict.output


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="the shared source texts are not beside the repo")
def test_the_her2_bank_parses_back_and_is_fast(tmp_path: Path) -> None:
    bank = api.require_bank(HER2, sources=SHARED_SOURCES)
    start = time.perf_counter()
    report = api.export(HER2, "gift", tmp_path / "her2.gift.txt", sources=SHARED_SOURCES, epoch=0)
    elapsed = time.perf_counter() - start
    assert set(report.left_out) == {q.id for q in bank.questions if q.kind == "cloze"}
    carried = without_clozes(bank)
    check_gift_export(tmp_path / "her2.gift.txt", carried)
    assert elapsed < 1.0, f"{len(bank.questions)} questions took {elapsed:.2f} s"


_PLACEHOLDERS = (("\\:", "&&058;"), ("\\#", "&&035;"), ("\\=", "&&061;"), ("\\{", "&&123;"),
                 ("\\}", "&&125;"), ("\\~", "&&126;"), ("\\n", "&&010"))  # fmt: skip


def test_gift_escaping_is_total() -> None:
    """Every GIFT control character in a field comes back through qformat_gift's
    escapedchar_pre/escapedchar_post, and none is left raw for Moodle to read as markup."""
    text = "".join(f"a{c}b{c}{c}" for c in "\\~=#{}:\n") + "\\"
    escaped = gift.field(text).replace("<br>", "")
    pre = escaped.replace("\\\\", "&&092;")
    for esc, placeholder in _PLACEHOLDERS:
        pre = pre.replace(esc, placeholder)
    pre = pre.replace("&&092;", "\\")
    assert not set("~=#{}\n") & set(pre), pre
    post = pre
    for esc, placeholder in _PLACEHOLDERS:
        post = post.replace(placeholder, "\n" if esc == "\\n" else esc[1])
    assert post == text
