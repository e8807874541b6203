"""``her2quiz export --format moodle-xml``: read back as Moodle reads it, compared with the bank.

The XML is parsed with xml.etree; each cloze question's text is decoded with Moodle's own
blank syntax, ported from ``question/type/multianswer/questiontype.php`` (Moodle 4.5:
``ANSWER_REGEX``, ``ANSWER_ALTERNATIVE_REGEX`` and the decoding in
``qtype_multianswer_extract_question``); categories are split as ``split_category_path``
does. Every text is HTML: it is read back into bold/italic runs (any other tag fails the
test: no bank text may become markup) and compared with the bank's markup spans.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import json
import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from quiz_banks import bank_text, write

from her2quiz import api, markup
from her2quiz.bank import AnyQuestion, Bank, Basic, ChoiceQuestion, Citation, Cloze, Multi, TrueFalse
from her2quiz.cli import main
from her2quiz.cloze import deletions
from her2quiz.formats import Job, get_format, moodle_xml
from her2quiz.select import option_order
from her2quiz.weights import ALLOWED, multi_fractions

from conftest import DEMO_BANK, DEMO_SOURCES, FIXTURES, REPO, SHARED_SOURCES

HOSTILE = FIXTURES / "valid" / "hostile.yaml"
HER2 = REPO / "questions.yaml"

Run = tuple[str, bool, bool]


# -- HTML back to the bank's markup ----------------------------------------------------------


class _Runs(HTMLParser):
    """Paragraphs of (text, bold, italic) runs; only the tags the exports write are allowed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bold = self.italic = 0
        self.paragraphs: list[list[Run]] = [[]]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in ("b", "i", "br", "p") and not attrs, f"markup <{tag}> that the export did not write"
        if tag == "b":
            self.bold += 1
        elif tag == "i":
            self.italic += 1
        elif tag == "p" and self.paragraphs[-1]:
            self.paragraphs.append([])

    def handle_endtag(self, tag: str) -> None:
        assert tag in ("b", "i", "p"), f"markup </{tag}> that the export did not write"
        if tag == "b":
            self.bold -= 1
        elif tag == "i":
            self.italic -= 1

    def handle_data(self, data: str) -> None:
        self.paragraphs[-1].append((data, self.bold > 0, self.italic > 0))


def merged(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for text, b, i in runs:
        if not text:
            continue
        if out and out[-1][1:] == (b, i):
            out[-1] = (out[-1][0] + text, b, i)
        else:
            out.append((text, b, i))
    return out


def html_paragraphs(text: str) -> list[list[Run]]:
    """What a browser shows of the exported HTML: paragraphs of styled runs
    (``<br>`` shows as the line break written after it)."""
    parser = _Runs()
    parser.feed(text)
    parser.close()
    return [merged(p) for p in parser.paragraphs if merged(p)]


def html_runs(text: str) -> list[Run]:
    paragraphs = html_paragraphs(text)
    assert len(paragraphs) <= 1, text
    return paragraphs[0] if paragraphs else []


def runs(text: str) -> list[Run]:
    """The bank text's markup as runs."""
    return merged([(s.text, s.bold, s.italic) for s in markup.parse(text)])


def plain_runs(runs_: list[Run]) -> str:
    return "".join(t for t, _, _ in runs_)


def expected_feedback(q: AnyQuestion, bank: Bank) -> list[str]:
    """The general feedback's paragraphs as plain text, from the bank."""

    def dated(cites: tuple[Citation, ...]) -> str:
        keys = dict.fromkeys(c.source for c in cites)
        return "; ".join(bank.sources[k].dated for k in keys)

    out = []
    if isinstance(q, Basic) and not moodle_xml.is_short_answer(q):
        out.append(f"Answer: {markup.plain(q.answer)}")
    if q.explain:
        out.append(markup.plain(q.explain))
    if q.context:
        out.append(f"Since then: {markup.plain(q.context.text)} ({dated(q.context.cite)})")
    out.append(f"Source: {dated(q.cite)}")
    return out


def check_feedback(text: str, q: AnyQuestion, bank: Bank) -> None:
    paragraphs = html_paragraphs(text)
    assert [plain_runs(p) for p in paragraphs] == expected_feedback(q, bank)
    if q.explain:  # the explanation keeps its bold and italic
        index = 1 if isinstance(q, Basic) and not moodle_xml.is_short_answer(q) else 0
        assert paragraphs[index] == runs(q.explain)


def split_category_path(path: str) -> list[str]:
    """Moodle's qformat_default::split_category_path, then the HTML shown."""
    return [htmllib.unescape(n.replace("//", "/").strip()) for n in re.split(r"(?<!/)/(?!/)", path)]


# -- Moodle's cloze syntax, ported from question/type/multianswer/questiontype.php -------------

_FRACTION = r"=|%(-?[0-9]+(?:[.,][0-9]*)?)%"
_ANSWER = r".+?(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"  # PCRE's (?<!\\|&|&amp;), split for Python
_FEEDBACK = r".*?(?<!\\)(?=[~}]|$)"
_ALTERNATIVE = f"({_FRACTION})?({_ANSWER})(#({_FEEDBACK}))?"
_TYPES = (
    "(NUMERICAL|NM)|(MULTICHOICE|MC)|(MULTICHOICE_V|MCV)|(MULTICHOICE_H|MCH)|"
    "(SHORTANSWER|SA|MW)|(SHORTANSWER_C|SAC|MWC)|"
    "(MULTICHOICE_S|MCS)|(MULTICHOICE_VS|MCVS)|(MULTICHOICE_HS|MCHS)|"
    "(MULTIRESPONSE|MR)|(MULTIRESPONSE_H|MRH)|(MULTIRESPONSE_S|MRS)|(MULTIRESPONSE_HS|MRHS)"
)
_ANSWER_REGEX = re.compile(
    r"\{([0-9]*):(" + _TYPES + "):(" + _ALTERNATIVE + "(~" + _ALTERNATIVE + r")*)\}", re.S
)
_ALT_REGEX = re.compile("~?" + _ALTERNATIVE, re.S)


@dataclass
class Blank:
    kind: str
    weight: str
    answers: list[str] = field(default_factory=list)
    fractions: list[float] = field(default_factory=list)


def moodle_cloze(text: str) -> tuple[str, list[Blank]]:
    """(question text with each blank replaced by {#n}, the blanks) as Moodle extracts them."""
    blanks: list[Blank] = []
    while (m := _ANSWER_REGEX.search(text)) is not None:
        blank = Blank("shortanswer" if m.group(7) else m.group(2), m.group(1) or "1")
        remaining = m.group(16)
        while (alt := _ALT_REGEX.search(remaining)) is not None:
            if alt.group(1) == "=":
                blank.fractions.append(1.0)
            else:
                blank.fractions.append(float(alt.group(2).replace(",", ".")) / 100 if alt.group(2) else 0.0)
            answer = htmllib.unescape(alt.group(3)).replace("\\}", "}").replace("\\#", "#")
            blank.answers.append(answer)
            remaining = remaining.split(alt.group(0), 1)[1]
        blanks.append(blank)
        text = text.replace(m.group(0), f"{{#{len(blanks)}}}", 1)
    return text, blanks


def unwildcard(answer: str) -> str:
    """A short answer as Moodle matches it: ``\\*`` is a literal star (no other star may be left)."""
    assert "*" not in answer.replace("\\*", ""), f"unescaped wildcard in {answer!r}"
    return answer.replace("\\*", "*")


# -- reading the export back ---------------------------------------------------------------------


def read_moodle(path: Path) -> list[tuple[list[str], ET.Element]]:
    """(category names, <question>) for every question, in file order."""
    root = ET.parse(path).getroot()
    assert root.tag == "quiz"
    category: list[str] = []
    out = []
    for el in root.findall("question"):
        if el.get("type") == "category":
            category = split_category_path(text_of(el, "category"))
        else:
            out.append((category, el))
    return out


def text_of(el: ET.Element, path: str) -> str:
    """As Moodle's getpath(..., istext=true): the trimmed text of path/text."""
    node = el.find(f"{path}/text")
    assert node is not None, path
    return (node.text or "").strip()


def check_moodle_export(path: Path, bank: Bank) -> None:
    """Every question of ``bank`` is in the file once, as the bank says."""
    found = read_moodle(path)
    assert [el.findtext("idnumber") for _, el in found] == [q.id for q in moodle_xml_order(bank)]
    for category, el in found:
        q = bank.question(el.findtext("idnumber") or "")
        assert category == ["$course$", bank.deck, bank.topics[q.topic]]
        assert text_of(el, "name") == q.id
        assert [t.findtext("text") for t in el.findall("tags/tag")] == list(
            dict.fromkeys(
                [f"topic:{q.topic}", *([f"difficulty:{q.difficulty}"] if q.difficulty else []), *q.tags]
            )
        )
        check_feedback(text_of(el, "generalfeedback"), q, bank)
        assert el.find("questiontext").get("format") == "html"  # type: ignore[union-attr]
        check_question(el, q)


def moodle_xml_order(bank: Bank) -> list[AnyQuestion]:
    """Topics in the bank's order, questions in bank order within a topic."""
    return [q for t in bank.topics for q in bank.questions if q.topic == t]


def check_question(el: ET.Element, q: AnyQuestion) -> None:
    qtype = el.get("type")
    text = text_of(el, "questiontext")
    if isinstance(q, Cloze):
        assert qtype == "cloze"
        check_cloze(text, q)
        return
    assert html_runs(text) == runs(q.prompt)
    assert el.findtext("defaultgrade") == str(q.worth)
    answers = el.findall("answer")
    if isinstance(q, TrueFalse):
        assert qtype == "truefalse"
        assert {a.findtext("text"): float(a.get("fraction", "")) for a in answers} == {
            "true": 100.0 if q.answer else 0.0,
            "false": 0.0 if q.answer else 100.0,
        }
    elif isinstance(q, ChoiceQuestion):
        assert qtype == "multichoice"
        check_choices(el, q)
    elif isinstance(q, Basic) and moodle_xml.is_short_answer(q):
        assert qtype == "shortanswer"
        assert [unwildcard(text_of(a, ".")) for a in answers] == list(
            dict.fromkeys(markup.plain(a) for a in (q.answer, *q.accept))
        )
        assert {a.get("fraction") for a in answers} == {"100"}
    else:
        assert qtype == "essay" and not answers
        assert plain_runs(html_paragraphs(text_of(el, "graderinfo"))[0]) == markup.plain(q.answer)


def check_choices(el: ET.Element, q: ChoiceQuestion) -> None:
    single = not isinstance(q, Multi)
    assert el.findtext("single") == ("true" if single else "false")
    assert el.findtext("shuffleanswers") == ("true" if q.order == "shuffle" else "false")
    answers = el.findall("answer")
    options = option_order(q, shuffle=None)
    assert [html_runs(text_of(a, ".")) for a in answers] == [runs(o.text) for o in options]
    assert [html_runs(text_of(a, "feedback")) for a in answers] == [
        runs(o.why) if o.why else [] for o in options
    ]
    fractions = [float(a.get("fraction", "")) for a in answers]
    if single:
        assert fractions == [100.0 if o.correct else 0.0 for o in options]
        return
    right, wrong = multi_fractions(len(q.answers), len(q.distractors))
    assert fractions == [right if o.correct else wrong for o in options]
    assert all(f in ALLOWED for f in fractions)
    assert round(sum(f for f in fractions if f > 0) / 100, 2) == 1.0  # Moodle's multichoice rule
    assert round(sum(f for f in fractions if f < 0) / 100, 2) == -1.0


def check_cloze(text: str, q: Cloze) -> None:
    marked, blanks = moodle_cloze(text)
    check_blanks(marked, blanks, q)


def check_blanks(marked: str, blanks: list[Blank], q: Cloze) -> None:
    """The blanks Moodle found, and the text around them, are the cloze's deletions and text."""
    dels = deletions(q.text)
    assert len(blanks) == len(dels)  # no blank lost, none made up from the text
    for blank, d, alternatives in zip(blanks, dels, q.accepted(), strict=True):
        assert blank.kind == "shortanswer"
        assert [unwildcard(a) for a in blank.answers] == list(
            dict.fromkeys(markup.plain(a) for a in (d.answer, *alternatives))
        )
        assert blank.fractions == [1.0] * len(blank.answers)  # every blank a 100 % answer
    expected, pos = [], 0
    for n, d in enumerate(dels, 1):
        expected.append(q.text[pos : d.start] + f"{{#{n}}}" + (f" ({d.hint})" if d.hint else ""))
        pos = d.end
    expected.append(q.text[pos:])
    assert html_runs(marked) == runs("".join(expected))
    weights = {int(b.weight) for b in blanks}
    assert sum(int(b.weight) for b in blanks) == q.worth or weights == {q.facts.points}


# -- the tests ------------------------------------------------------------------------------------


def export(tmp_path: Path, bank: Path, sources: Path, name: str = "out.xml") -> api.Report:
    return api.export(bank, "moodle-xml", tmp_path / name, sources=sources, epoch=0)


@pytest.mark.parametrize("bank_path", [HOSTILE, DEMO_BANK], ids=["hostile", "every-kind"])
def test_every_question_reads_back_as_the_bank_says(tmp_path: Path, bank_path: Path) -> None:
    report = export(tmp_path, bank_path, DEMO_SOURCES)
    bank = api.require_bank(bank_path, sources=DEMO_SOURCES)
    assert report.left_out == () and report.warnings == ()
    check_moodle_export(tmp_path / "out.xml", bank)


def test_the_hostile_bank_has_every_kind_and_every_hostile_character() -> None:
    bank = api.require_bank(HOSTILE, sources=DEMO_SOURCES)
    assert {q.kind for q in bank.questions} == {"mcq", "multi", "truefalse", "cloze", "basic"}
    assert {moodle_xml.is_short_answer(q) for q in bank.questions if isinstance(q, Basic)} == {True, False}
    everything = HOSTILE.read_text(encoding="utf-8")
    for needle in ("IHC 2+/ISH−", "≥2.0:", "15–20%", "{", "}", "~", "=", "#", ":", "\\\\", "&", "<b>",
                   "\n      // ", "]]>", "{{c1::HER2}}", "{1:SA:"):  # fmt: skip
        assert needle in everything, needle


def test_cloze_blanks_escape_what_moodle_would_split_on(tmp_path: Path) -> None:
    export(tmp_path, HOSTILE, DEMO_SOURCES)
    el = dict((e.findtext("idnumber"), e) for _, e in read_moodle(tmp_path / "out.xml"))[
        "hostile-cloze-blanks"
    ]
    text = text_of(el, "questiontext")
    assert "&#126;" in text and "\\}" in text and "\\#" in text  # the rules Moodle's regex needs
    _, blanks = moodle_cloze(text)
    assert blanks[3].answers == ["C:\\HER2 ~#= &<b>]]>&"]  # ends in '&' right before '}'
    assert "a}b#c~d\\" in blanks[2].answers


def test_a_fake_blank_in_the_text_stays_text(tmp_path: Path) -> None:
    export(tmp_path, HOSTILE, DEMO_SOURCES)
    el = dict((e.findtext("idnumber"), e) for _, e in read_moodle(tmp_path / "out.xml"))[
        "hostile-cloze-blanks"
    ]
    marked, _ = moodle_cloze(text_of(el, "questiontext"))
    assert "{1:SA:=fake}" in plain_runs(html_runs(marked))


def test_output_is_byte_identical_for_the_same_inputs(tmp_path: Path) -> None:
    export(tmp_path, HOSTILE, DEMO_SOURCES, "a.xml")
    export(tmp_path, HOSTILE, DEMO_SOURCES, "b.xml")
    assert (tmp_path / "a.xml").read_bytes() == (tmp_path / "b.xml").read_bytes()
    bank = api.require_bank(HOSTILE, sources=DEMO_SOURCES)
    rendered = get_format("moodle-xml").load().render(Job(bank=bank, target=tmp_path / "c.xml"))
    assert rendered.files[0][1] == (tmp_path / "a.xml").read_bytes()


def test_a_multi_moodle_cannot_weigh_is_left_out_with_the_rule(tmp_path: Path) -> None:
    many: dict[str, object] = {
        "id": "relapse-many-answers",
        "kind": "multi",
        "topic": "relapse",
        "stem": "Which of these eleven are right?",
        "answers": [f"Right {i}" for i in range(11)],
        "distractors": ["Wrong"],
        "cite": [{"source": "demo", "quote": "early peak of relapses in the first 4 years after surgery"}],
    }
    path = write(tmp_path, bank_text(5, extra=[many]))
    report = api.export(path, "moodle-xml", tmp_path / "out.xml", sources=DEMO_SOURCES)
    assert report.left_out == ("relapse-many-answers",)
    assert report.warnings == (
        "left out question 'relapse-many-answers' (multi): 11 correct options: "
        "Moodle's grade fractions have 100/n only for n ≤ 10",
    )
    assert [el.findtext("idnumber") for _, el in read_moodle(tmp_path / "out.xml")] == [
        q.id for q in moodle_xml_order(api.require_bank(path, sources=DEMO_SOURCES)) if q.id != many["id"]
    ]
    with pytest.raises(api.OutputError, match="relapse-many-answers"):
        api.export(path, "moodle-xml", tmp_path / "strict.xml", sources=DEMO_SOURCES, strict=True)
    assert not (tmp_path / "strict.xml").exists()


def test_the_command_writes_the_file(tmp_path: Path) -> None:
    out = tmp_path / "quiz.xml"
    result = CliRunner().invoke(
        main,
        ["export", str(HOSTILE), "--format", "moodle-xml", "-o", str(out), "--sources", str(DEMO_SOURCES)],
    )
    assert result.exit_code == 0, result.output
    check_moodle_export(out, api.require_bank(HOSTILE, sources=DEMO_SOURCES))


@pytest.mark.skipif(not SHARED_SOURCES.is_dir(), reason="the shared source texts are not beside the repo")
def test_the_her2_bank_reads_back_whole_and_fast(tmp_path: Path) -> None:
    bank = api.require_bank(HER2, sources=SHARED_SOURCES)
    start = time.perf_counter()
    report = api.export(HER2, "moodle-xml", tmp_path / "her2.xml", sources=SHARED_SOURCES, epoch=0)
    elapsed = time.perf_counter() - start
    assert report.left_out == ()
    check_moodle_export(tmp_path / "her2.xml", bank)
    assert elapsed < 1.0, f"{len(bank.questions)} questions took {elapsed:.2f} s"


def test_texts_with_markup_are_cdata_for_moodles_xmlize(tmp_path: Path) -> None:
    """Moodle's xmlize drops each piece of character data that is only white space, and the
    parser splits text at every entity ("&amp; &lt;b&gt;" would be stored as "&<b>"): every
    <text> holding & < > must be CDATA only (with ']]>' split across two sections)."""
    export(tmp_path, HOSTILE, DEMO_SOURCES)
    raw = (tmp_path / "out.xml").read_text(encoding="utf-8")
    safe = re.findall(r"<text>((?:<!\[CDATA\[(?:(?!\]\]>).)*\]\]>)+|[^<&]*)</text>", raw, re.S)
    assert len(safe) == raw.count("<text>")
    assert "]]]]><![CDATA[>" in raw  # the hostile short answer ']]> as typed'


# -- what a real Moodle 4.5.6 stored (goldens recorded by tests/moodle/check.sh) ---------------

GOLDENS = FIXTURES / "moodle"


@pytest.mark.parametrize("fmt", ["moodle-xml", "gift"])
def test_what_a_real_moodle_stored_is_the_bank(tmp_path: Path, fmt: str) -> None:
    golden = json.loads((GOLDENS / f"hostile.{fmt}.json").read_text(encoding="utf-8"))
    out = tmp_path / f"hostile.{fmt}"
    api.export(HOSTILE, fmt, out, sources=DEMO_SOURCES, epoch=0)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == golden["export_sha256"], (
        "the export changed since the goldens were recorded: run tests/moodle/check.sh MOODLE_DIRROOT"
    )
    assert golden["moodle"].startswith("4.5") and golden["ok"] and golden["errors"] == []
    bank = api.require_bank(HOSTILE, sources=DEMO_SOURCES)
    expected = [q for q in moodle_xml_order(bank) if fmt == "moodle-xml" or q.kind != "cloze"]
    assert [s["idnumber"] for s in golden["questions"]] == [q.id for q in expected]
    for stored, q in zip(golden["questions"], expected, strict=True):
        check_stored(stored, q, bank, fmt)


def check_stored(stored: dict[str, Any], q: AnyQuestion, bank: Bank, fmt: str) -> None:
    assert [htmllib.unescape(n) for n in stored["category"]] == [bank.deck, bank.topics[q.topic]]
    assert stored["name"] == q.id
    assert stored["tags"] == list(
        dict.fromkeys(
            [f"topic:{q.topic}", *([f"difficulty:{q.difficulty}"] if q.difficulty else []), *q.tags]
        )
    )
    assert stored["questiontextformat"] == 1  # FORMAT_HTML
    check_feedback(stored["generalfeedback"], q, bank)
    assert stored["defaultmark"] == (q.worth if fmt == "moodle-xml" else 1.0)  # GIFT has no marks
    if isinstance(q, Cloze):
        assert stored["qtype"] == "multianswer"
        blanks = [
            Blank(b["qtype"], str(int(b["defaultmark"])), [a["answer"] for a in b["answers"]],
                  [a["fraction"] for a in b["answers"]])
            for b in stored["blanks"]
        ]  # fmt: skip
        check_blanks(stored["questiontext"], blanks, q)
        return
    assert html_runs(stored["questiontext"]) == runs(q.prompt)
    if isinstance(q, TrueFalse):
        assert stored["qtype"] == "truefalse" and stored["correct"] is q.answer
    elif isinstance(q, ChoiceQuestion):
        assert stored["qtype"] == "multichoice" and stored["single"] is (q.kind == "mcq")
        options = option_order(q, shuffle=None)
        assert [html_runs(a["answer"]) for a in stored["answers"]] == [runs(o.text) for o in options]
        assert [html_runs(a["feedback"]) for a in stored["answers"]] == [runs(o.why or "") for o in options]
        if q.kind == "mcq":
            assert [a["fraction"] for a in stored["answers"]] == [1.0 if o.correct else 0.0 for o in options]
        else:
            right, wrong = multi_fractions(len(q.answers), len(q.distractors))
            assert [round(a["fraction"] * 100, 5) for a in stored["answers"]] == [
                right if o.correct else wrong for o in options
            ]
    elif isinstance(q, Basic) and moodle_xml.is_short_answer(q):
        assert stored["qtype"] == "shortanswer" and stored["usecase"] is False
        assert [unwildcard(a["answer"]) for a in stored["answers"]] == list(
            dict.fromkeys(markup.plain(a) for a in (q.answer, *q.accept))
        )
        assert {a["fraction"] for a in stored["answers"]} == {1.0}
    else:
        assert stored["qtype"] == "essay"
        if fmt == "moodle-xml":  # GIFT has no grader information; its feedback has the answer
            assert plain_runs(html_paragraphs(stored["graderinfo"])[0]) == markup.plain(q.answer)
