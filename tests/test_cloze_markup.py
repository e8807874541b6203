"""Markup around a cloze deletion reads the same in Anki and in the PDF (issue 11)."""

from __future__ import annotations

import re

import pytest

from her2quiz.cloze import outside, placeholder
from her2quiz.formats.anki import cloze_html
from her2quiz.formats.pdf import cloze_runs


def anki_spans(text: str) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) runs of the Anki field, each deletion as '[n]'."""
    html = re.sub(r"\{\{c(\d+)::.*?\}\}", lambda m: f"[{m[1]}]", cloze_html(text))
    runs = []
    for m in re.finditer(r"((?:<b>)?)((?:<i>)?)([^<]*)(?:</i>)?(?:</b>)?", html):
        if m[3]:
            runs.append((m[3], bool(m[1]), bool(m[2])))
    return runs


def pdf_spans(text: str) -> list[tuple[str, bool, bool]]:
    runs = []
    for run in cloze_runs(text):
        if "blank" in run:
            runs.append((f"[{run['blank']}]", False, False))
        else:
            runs.append((str(run["t"]), bool(run["b"]), bool(run["i"])))
    return runs


def chars(runs: list[tuple[str, bool, bool]]) -> list[tuple[str, object, object]]:
    """Each character with its style (run boundaries do not matter, only what a reader sees);
    a blank '[n]' has none of its own: the PDF draws a box, Anki the answer in the text's style."""
    flat = [(ch, bold, italic) for text, bold, italic in runs for ch in text]
    text = "".join(ch for ch, _, _ in flat)
    blank = {i for m in re.finditer(r"\[\d+\]", text) for i in range(m.start(), m.end())}
    return [(ch, None, None) if i in blank else (ch, b, it) for i, (ch, b, it) in enumerate(flat)]


@pytest.mark.parametrize(
    "text",
    [
        "**HER2 is {{c1::amplified}} in tumours**",
        "*a {{c1::b* c}} d",
        "plain {{c1::185-kd}} and {{c2::tyrosine kinase::enzyme}} activity",
        "*italic* then {{c1::**bold answer**}} then **bold**",
        "a private-use \ue000 character {{c1::stays}} text",
    ],
)
def test_markup_around_a_deletion_is_the_same_in_anki_and_the_pdf(text: str) -> None:
    assert chars(anki_spans(text)) == chars(pdf_spans(text))


def test_a_markup_pair_cut_by_a_deletion_stays_literal() -> None:
    assert cloze_html("*a {{c1::b* c}} d") == "*a {{c1::b* c}} d"
    assert cloze_html("**HER2 {{c1::x}} y**") == "<b>HER2 {{c1::x}} y</b>"


def test_the_placeholder_is_a_character_the_text_does_not_hold() -> None:
    assert placeholder("abc") == "\ue000"
    assert placeholder("abc\ue000") == "\ue001"
    joined, slot, found = outside("x \ue000 {{c1::y}} z")
    assert slot not in "x \ue000 {{c1::y}} z" and joined == f"x \ue000 {slot} z" and len(found) == 1
