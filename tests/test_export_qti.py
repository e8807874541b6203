"""The Canvas QTI export, read back structurally and compared with what text2qti (whose
packages import into Canvas) writes for the same questions from its own text format."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from text2qti.config import Config  # type: ignore[import-untyped]
from text2qti.qti import QTI  # type: ignore[import-untyped]
from text2qti.quiz import Quiz  # type: ignore[import-untyped]

from her2quiz import markup
from her2quiz.api import export, load_bank
from her2quiz.bank import AnyQuestion, Bank, Basic, ChoiceQuestion, Cloze, Multi, TrueFalse
from her2quiz.cli import main
from her2quiz.cloze import deletions
from her2quiz.formats import Job, get_format
from her2quiz.formats import qti as qti_module
from her2quiz.select import option_order

from conftest import DEMO_BANK, DEMO_SOURCES, FIXTURES, REPO, SHARED_SOURCES

HOSTILE = FIXTURES / "valid" / "hostile.yaml"
EPOCH = 1_767_225_600  # 2026-01-01T00:00:00Z
NS = {
    "q": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2",
    "m": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1",
}


def load(path: Path, sources: Path = DEMO_SOURCES) -> Bank:
    bank = load_bank(path, sources=sources).bank
    assert bank is not None
    return bank


def her2_bank() -> Bank:
    return load(REPO / "questions.yaml", SHARED_SOURCES)


BANKS = {"every-kind": lambda: load(DEMO_BANK), "hostile": lambda: load(HOSTILE), "her2": her2_bank}


def carried(bank: Bank) -> Bank:
    qti = get_format("qti")
    return dataclasses.replace(bank, questions=tuple(q for q in bank.questions if qti.refusal(q) is None))


def render(bank: Bank, tmp_path: Path, epoch: int | None = EPOCH, seed: int = 1) -> bytes:
    job = Job(bank=bank, target=tmp_path / "quiz.zip", title=bank.title, epoch=epoch, seed=seed)
    ((path, data),) = qti_module.render(job).files
    assert path == tmp_path / "quiz.zip"
    return data


# --- reading a QTI package back -----------------------------------------------------------


class _Text(HTMLParser):
    """What a reader sees in an HTML fragment: text, bold as **…**, italic as *…*."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append({"b": "**", "strong": "**", "i": "*", "em": "*"}.get(tag, " "))

    def handle_endtag(self, tag: str) -> None:
        self.handle_starttag(tag, [])

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def seen(html: str) -> str:
    """The text of an HTML fragment, white space collapsed (a line break is white space)."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.out).split())


@dataclass
class Item:
    """One QTI item as Canvas reads it."""

    ident: str
    type: str
    points: str
    prompt_html: str
    choices: list[tuple[str, str]] = field(default_factory=list)  # (ident, HTML)
    correct: set[str] = field(default_factory=set)  # idents that must be chosen
    excluded: set[str] = field(default_factory=set)  # idents that must not (multiple answers)
    feedback: dict[str, str] = field(default_factory=dict)  # chosen ident or "general" -> HTML
    accepted: list[str] = field(default_factory=list)  # short answer texts
    blanks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # blank -> (ident, text)
    blank_correct: dict[str, tuple[str, float]] = field(default_factory=dict)  # blank -> (ident, score)

    @property
    def prompt(self) -> str:
        return seen(self.prompt_html)

    def choice_texts(self) -> list[str]:
        return [seen(h) for _, h in self.choices]

    def correct_texts(self) -> list[str]:
        return [seen(h) for i, h in self.choices if i in self.correct]

    def choice_feedback(self) -> dict[str, str]:
        """Option text -> its feedback text."""
        texts = dict(self.choices)
        return {seen(texts[i]): seen(f) for i, f in self.feedback.items() if i != "general"}


def read_package(data: bytes) -> tuple[zipfile.ZipFile, list[Item]]:
    """The zip, checked against its manifest, and its assessment's items."""
    z = zipfile.ZipFile(io.BytesIO(data))
    assert z.testzip() is None
    manifest = ET.fromstring(z.read("imsmanifest.xml"))
    hrefs = [f.get("href") for f in manifest.iterfind(".//m:resource/m:file", NS)]
    assert hrefs and all(h in z.namelist() for h in hrefs), (hrefs, z.namelist())
    (quiz,) = manifest.iterfind(".//m:resource[@type='imsqti_xmlv1p2']/m:file", NS)
    root = ET.fromstring(z.read(str(quiz.get("href"))))
    return z, [_item(e) for e in root.iterfind(".//q:item", NS)]


def _item(e: ET.Element) -> Item:
    meta = {
        f.findtext("q:fieldlabel", "", NS): f.findtext("q:fieldentry", "", NS)
        for f in e.iterfind(".//q:qtimetadatafield", NS)
    }
    presentation = e.find("q:presentation", NS)
    assert presentation is not None
    item = Item(
        e.get("ident", ""),
        meta["question_type"],
        meta["points_possible"],
        presentation.findtext("q:material/q:mattext", "", NS),
    )
    for lid in presentation.iterfind("q:response_lid", NS):
        labels = [
            (str(lab.get("ident")), lab.findtext(".//q:mattext", "", NS))
            for lab in lid.iterfind(".//q:response_label", NS)
        ]
        if lid.get("ident") == "response1":
            item.choices = labels
        else:
            item.blanks[str(lid.get("ident")).removeprefix("response_")] = labels
    feedback = {f.get("ident"): f.findtext(".//q:mattext", "", NS) for f in e.iterfind("q:itemfeedback", NS)}
    for condition in e.iterfind("q:resprocessing/q:respcondition", NS):
        var = condition.find("q:conditionvar", NS)
        assert var is not None
        setvar = condition.find("q:setvar", NS)
        shown = condition.find("q:displayfeedback", NS)
        if setvar is None:
            assert shown is not None or var.find("q:other", NS) is not None
            if shown is None:
                continue  # the essay's "any answer" condition
            link = str(shown.get("linkrefid"))
            chosen = (
                "general" if var.find("q:other", NS) is not None else str(var.findtext("q:varequal", "", NS))
            )
            item.feedback[chosen] = feedback[link]
            continue
        if setvar.get("action") == "Add":
            (test,) = var.iterfind("q:varequal", NS)
            blank = str(test.get("respident")).removeprefix("response_")
            item.blank_correct[blank] = (str(test.text), float(str(setvar.text)))
            continue
        assert (setvar.get("action"), setvar.text, condition.get("continue")) == ("Set", "100", "No")
        both = var.find("q:and", NS)
        if both is not None:
            item.correct = {str(v.text) for v in both.iterfind("q:varequal", NS)}
            item.excluded = {str(v.text) for v in both.iterfind("q:not/q:varequal", NS)}
        elif item.type == "short_answer_question":
            item.accepted = [str(v.text) for v in var.iterfind("q:varequal", NS)]
        else:
            item.correct = {str(v.text) for v in var.iterfind("q:varequal", NS)}
    return item


# --- the same questions in text2qti's own format ---------------------------------------------

_MD_SPECIAL = set("\\`*_{}[]()>#+-.!\"'$")  # Python-Markdown's escapes, smarty's quotes, text2qti's $


def md(text: str) -> str:
    """Bank text as text2qti's Markdown: markup from the parsed spans, every other
    character literal (backslash escapes, entities for < and &, a line break as a space)."""
    out = []
    for span in markup.parse(text):
        piece = "".join(
            "&lt;"
            if c == "<"
            else "&amp;"
            if c == "&"
            else f"\\{c}"
            if c in _MD_SPECIAL
            else " "
            if c == "\n"
            else c
            for c in span.text
        )
        stripped = piece.strip()
        if span.italic and stripped:
            piece = piece.replace(stripped, f"*{stripped}*", 1)
        if span.bold and stripped:
            piece = piece.replace(stripped, f"**{stripped}**", 1)
        out.append(piece)
    return "".join(out)


def md_plain(text: str) -> str:
    """Text with no markup at all (citations, quotes) as text2qti's Markdown."""
    return md(text.replace("*", "\x00")).replace("\x00", "\\*")


def feedback_md(bank: Bank, q: AnyQuestion) -> str:
    parts = []
    if isinstance(q, Basic) and len(markup.plain(q.answer).split()) > 4:
        parts.append(f"**Answer:** {md(q.answer)}")
    if q.explain:
        parts.append(md(q.explain))
    if q.context:
        cites = "; ".join(md_plain(bank.sources[c.source].dated) for c in q.context.cite)
        parts.append(f"**Since then:** {md(q.context.text)} ({cites})")
    parts += [f"**Source:** {md_plain(bank.sources[c.source].dated)} — “{md_plain(c.quote)}”" for c in q.cite]
    return " ".join(parts)


def text2qti_source(bank: Bank) -> str:
    lines = ["Quiz title: text2qti reference", ""]
    for number, q in enumerate(bank.questions, start=1):
        lines += [
            f"Title: {q.id}",
            f"Points: {q.worth}",
            f"{number}.  {md(q.prompt)}",
            f"... {feedback_md(bank, q)}",
        ]
        if isinstance(q, ChoiceQuestion | TrueFalse):
            for i, o in enumerate(option_order(q, shuffle="1:A")):
                letter = "abcdefghijklmnopqrstuvwxyz"[i]
                if isinstance(q, Multi):
                    lines.append(f"{'[*]' if o.correct else '[ ]'} {md(o.text)}")
                else:
                    lines.append(f"{'*' if o.correct else ''}{letter}) {md(o.text)}")
                if o.why:
                    lines.append(f"... {md(o.why)}")
        elif isinstance(q, Basic) and len(markup.plain(q.answer).split()) <= 4:
            lines += [f"*   {markup.plain(a)}" for a in (q.answer, *q.accept)]
        else:
            lines.append("____")
        lines.append("")
    return "\n".join(lines)


def text2qti_items(bank: Bank) -> list[Item]:
    quiz = Quiz(text2qti_source(bank), config=Config(), source_name="reference.txt")
    return read_package(QTI(quiz).zip_bytes())[1]


# --- tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["every-kind", "hostile", "her2"])
def test_items_match_what_text2qti_writes_for_the_same_questions(name: str, tmp_path: Path) -> None:
    bank = carried(BANKS[name]())
    ours = read_package(render(bank, tmp_path))[1]
    others = [q for q in bank.questions if not isinstance(q, Cloze)]
    reference = text2qti_items(dataclasses.replace(bank, questions=tuple(others)))
    mine = [i for i in ours if i.type != "fill_in_multiple_blanks_question"]
    assert len(mine) == len(reference) == len(others)
    for a, b, q in zip(mine, reference, others, strict=True):
        assert a.ident == q.id
        assert (a.type, a.points) == (b.type, b.points), q.id
        assert a.prompt == b.prompt, q.id
        assert a.choice_texts() == b.choice_texts(), q.id
        assert a.correct_texts() == b.correct_texts(), q.id
        assert len(a.excluded) == len(b.excluded), q.id
        assert a.accepted == b.accepted, q.id
        assert seen(a.feedback["general"]) == seen(b.feedback["general"]), q.id
        assert a.choice_feedback() == b.choice_feedback(), q.id


@pytest.mark.parametrize("name", ["every-kind", "hostile", "her2"])
def test_the_package_says_what_the_bank_says(name: str, tmp_path: Path) -> None:
    bank = carried(BANKS[name]())
    items = read_package(render(bank, tmp_path))[1]
    assert [i.ident for i in items] == [q.id for q in bank.questions]
    for item, q in zip(items, bank.questions, strict=True):
        assert item.points == str(q.worth)
        if isinstance(q, ChoiceQuestion | TrueFalse):
            options = option_order(q, shuffle="1:A")
            assert item.prompt_html == f"<div>{markup.to_html(q.prompt)}</div>"
            assert [h for _, h in item.choices] == [markup.to_html(o.text) for o in options]
            assert [i in item.correct for i, _ in item.choices] == [o.correct for o in options]
            if isinstance(q, Multi):
                assert item.excluded == {i for i, _ in item.choices} - item.correct
            whys = {seen(markup.to_html(o.text)): seen(markup.to_html(o.why)) for o in options if o.why}
            assert item.choice_feedback() == whys
        if isinstance(q, Cloze):
            _check_cloze(item, q)
        if isinstance(q, Basic):
            short = len(markup.plain(q.answer).split()) <= 4
            assert item.type == ("short_answer_question" if short else "essay_question")
            assert item.accepted == ([markup.plain(a) for a in (q.answer, *q.accept)] if short else [])
            if not short:
                assert seen(item.feedback["general"]).startswith(
                    f"**Answer:** {seen(markup.to_html(q.answer))}"
                )
        general = seen(item.feedback["general"])
        if q.explain:
            assert seen(markup.to_html(q.explain)) in general
        if q.context:
            assert f"**Since then:** {seen(markup.to_html(q.context.text))}" in general
        for c in q.cite:
            source = bank.sources[c.source]
            assert f"**Source:** {source.dated} — “{' '.join(c.quote.split())}”" in general
            assert source.date is None or source.date in general


def _check_cloze(item: Item, q: Cloze) -> None:
    assert item.type == "fill_in_multiple_blanks_question"
    found = deletions(q.text)
    names = list(item.blanks)
    assert len(names) == len(found) == len(set(names))
    prompt = item.prompt
    for name, d, alternatives in zip(names, found, q.accepted(), strict=True):
        assert re.fullmatch(r"[A-Za-z0-9_]+", name)
        assert prompt.count(f"[{name}]") == 1
        if d.hint:
            assert f"[{name}] ({markup.plain(d.hint)})" in prompt
        texts = [t for _, t in item.blanks[name]]
        assert texts == [markup.plain(a) for a in (d.answer, *alternatives)]
        correct, score = item.blank_correct[name]
        assert correct == item.blanks[name][0][0]
        assert score == pytest.approx(100 / len(found), abs=0.01)
    rest = q.text
    for d in reversed(found):
        rest = rest[: d.start] + rest[d.end :]
    for word in re.findall(r"[^\s{}]+", markup.plain(rest)):  # the text around the blanks, all there
        assert word in prompt


def test_blank_names_avoid_brackets_already_in_the_text(tmp_path: Path) -> None:
    q = next(q for q in load(DEMO_BANK).questions if isinstance(q, Cloze))
    tricky = dataclasses.replace(
        q, text="Literal [c1] and [blank_c2] stay text: {{c1::a}} then {{c2::b}} and {{c1::c}}."
    )
    assert qti_module.blank_names(tricky) == ["her2quiz_blank_c1", "her2quiz_blank_c2", "her2quiz_blank_c1_2"]
    plain = dataclasses.replace(q, text="{{c1::a}} {{c1::b}} {{c2::c}}")
    assert qti_module.blank_names(plain) == ["c1", "c1_2", "c2"]
    bank = dataclasses.replace(load(DEMO_BANK), questions=(tricky,))
    (item,) = read_package(render(bank, tmp_path))[1]
    assert (
        item.prompt
        == "Literal [c1] and [blank_c2] stay text: [her2quiz_blank_c1] then [her2quiz_blank_c2] and [her2quiz_blank_c1_2]."
    )


def test_output_is_byte_identical_and_dated_from_source_date_epoch(tmp_path: Path) -> None:
    bank = load(HOSTILE)
    first = render(bank, tmp_path)
    assert render(bank, tmp_path) == first
    later = render(bank, tmp_path, epoch=EPOCH + 86_400)
    assert later != first
    dates = {i.date_time for i in zipfile.ZipFile(io.BytesIO(first)).infolist()}
    assert dates == {(2026, 1, 1, 0, 0, 0)}
    undated = zipfile.ZipFile(io.BytesIO(render(bank, tmp_path, epoch=None)))
    assert {i.date_time for i in undated.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert undated.namelist()[0] == "imsmanifest.xml"
    assert b"2026-01-01" in zipfile.ZipFile(io.BytesIO(first)).read("imsmanifest.xml")


def test_item_idents_and_response_ids_are_stable_across_seeds_and_selections(tmp_path: Path) -> None:
    bank = load(DEMO_BANK)
    one = {i.ident: i for i in read_package(render(bank, tmp_path, seed=1))[1]}
    two = {i.ident: i for i in read_package(render(bank, tmp_path, seed=2))[1]}
    subset = dataclasses.replace(bank, questions=bank.questions[1:2])
    (alone,) = read_package(render(subset, tmp_path, seed=2))[1]
    for ident, item in one.items():
        assert dict(item.choices) == dict(two[ident].choices)  # same ids for the same options
    assert dict(alone.choices) == dict(one[alone.ident].choices)


def test_a_character_xml_cannot_hold_leaves_the_question_out(tmp_path: Path) -> None:
    bank = load(DEMO_BANK)
    q = dataclasses.replace(bank.questions[0], explain="bell \x07 here")
    assert qti_module.refuse(q) == "its text has U+0007, a character XML 1.0 cannot hold"
    assert get_format("qti").refusal(q) == qti_module.refuse(q)
    assert all(qti_module.refuse(q) is None for q in load(HOSTILE).questions)


def test_export_through_the_api_and_the_cli(tmp_path: Path) -> None:
    shutil.copytree(DEMO_SOURCES, tmp_path / "sources")
    bank_path = tmp_path / "hostile.yaml"
    shutil.copyfile(HOSTILE, bank_path)
    report = export(bank_path, "qti", tmp_path / "api.zip", epoch=EPOCH)
    assert report.left_out == () and report.written[0].summary == "9 questions"
    result = CliRunner().invoke(
        main,
        ["export", str(bank_path), "--format", "qti", "-o", str(tmp_path / "cli.zip")],
        env={"SOURCE_DATE_EPOCH": str(EPOCH)},
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cli.zip").read_bytes() == (tmp_path / "api.zip").read_bytes()
    items = read_package((tmp_path / "cli.zip").read_bytes())[1]
    assert [i.type for i in items] == [
        qti_module.question_type(q) for q in load(bank_path, tmp_path / "sources").questions
    ]


# --- developer check: Canvas's own QTI 1.2 → 2.1 converter ------------------------------------

MIGRATE = os.environ.get("QTI_MIGRATION_TOOL", "")  # instructure/QTIMigrationTool's migrate.py
MIGRATE_PYTHON = os.environ.get("QTI_MIGRATION_PYTHON", sys.executable)  # a Python 3 with lxml
QTI21 = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"


@pytest.mark.skipif(
    not MIGRATE,
    reason="developer check: set QTI_MIGRATION_TOOL to Canvas's converter (migrate.py of "
    "instructure/QTIMigrationTool) and QTI_MIGRATION_PYTHON to a Python 3 with lxml",
)
@pytest.mark.parametrize("name", ["hostile", "her2"])
def test_canvas_converter_reads_what_the_bank_says(name: str, tmp_path: Path) -> None:
    """Canvas runs this converter on an imported QTI 1.2 zip, then reads the QTI 2.1 it
    writes: the question type from instructureMetadata, the options (or a blank's accepted
    answers, by ``response_<blank>``) from choiceInteraction, short answers from stringMatch."""
    bank = carried(BANKS[name]())
    with zipfile.ZipFile(io.BytesIO(render(bank, tmp_path))) as z:
        z.extractall(tmp_path / "in")
    subprocess.run(
        [
            MIGRATE_PYTHON,
            MIGRATE,
            "--ucvars",
            "--nogui",
            "--overwrite",
            f"--cpout={tmp_path / 'out'}",
            str(tmp_path / "in"),
        ],
        cwd=Path(MIGRATE).parent,
        check=True,
        capture_output=True,
        timeout=300,
    )
    for q in bank.questions:
        root = ET.parse(tmp_path / "out" / "assessmentItems" / f"{q.id}.xml").getroot()
        fields = {f.get("name"): f.get("value") for f in root.iter(f"{QTI21}instructureField")}
        assert (fields["question_type"], fields["points_possible"]) == (
            qti_module.question_type(q),
            str(q.worth),
        )
        body = root.find(f"{QTI21}itemBody/{QTI21}div")
        assert body is not None
        choices = {
            str(ci.get("responseIdentifier")): [
                "".join(c.itertext()).strip() for c in ci.iter(f"{QTI21}simpleChoice")
            ]
            for ci in root.iter(f"{QTI21}choiceInteraction")
        }
        if isinstance(q, ChoiceQuestion | TrueFalse):
            assert seen(str(body.text)) == seen(markup.to_html(q.prompt))
            shown = option_order(q, shuffle="1:A")
            assert {k: [seen(t) for t in v] for k, v in choices.items()} == {
                "response1": [seen(markup.to_html(o.text)) for o in shown]
            }
        elif isinstance(q, Cloze):
            names = qti_module.blank_names(q)
            expected = [
                [markup.plain(a) for a in (d.answer, *alts)]
                for d, alts in zip(deletions(q.text), q.accepted(), strict=True)
            ]
            assert choices == {f"response_{n}": e for n, e in zip(names, expected, strict=True)}
            assert all(f"[{n}]" in seen(str(body.text)) for n in names)
        elif qti_module.is_short(q):
            matched = [str(v.text) for v in root.iter(f"{QTI21}baseValue") if v.get("baseType") == "string"]
            assert matched == [markup.plain(a) for a in (q.answer, *q.accept)]
