"""Moodle XML (Question bank → Import → Moodle XML format), and what Moodle's formats share.

Read from Moodle 4.5's importers (``question/format/xml/format.php``, ``qformat_gift``,
``question/type/multianswer/questiontype.php``):

- every text is HTML (``format="html"``), built from the bank's markup spans: ``&``, ``<``
  and ``>`` become entities, ``**bold**``/``*italic*`` become ``<b>``/``<i>``, a line break
  ``<br>``. In the XML each text holding ``& < >`` is CDATA, split inside ``]]>`` as
  Moodle's own exporter does: Moodle's xmlize drops every piece of character data that is
  only white space, and escaped text reaches it in pieces split at each entity (measured on
  Moodle 4.5.6: ``&amp;amp; &amp;lt;b&amp;gt;`` was stored as ``&<b>``);
- a cloze is ``<question type="cloze">`` whose text holds ``{1:SA:=answer~=alternative}``
  blanks, every alternative a 100 % answer. Inside a blank Moodle splits on ``~``, ``#`` and
  ``}`` not after ``\\``, ``&`` or ``&amp;``, then decodes entities and ``\\}``, ``\\#``:
  so ``~`` is written ``&#126;``, ``}`` ``\\}``, ``#`` ``\\#``, and ``&`` ``\\`` ``<`` ``>`` as
  numeric or named entities (none ending in ``&`` or ``&amp;``). Outside blanks ``{`` and ``}``
  are ``&#123;``/``&#125;``, so no text can look like a blank;
- a short answer's ``*`` is Moodle's wildcard, written ``\\*``;
- a multi's weights come from :mod:`her2quiz.weights` (Moodle's grade fractions);
- ids travel as ``<idnumber>``; topic, difficulty and tags as ``<tags>``; each topic is a
  category ``$course$/<deck>/<topic>`` (``/`` in a name doubled, as Moodle's
  ``assemble_category_path`` does); the explanation, the "Since then" note and the dated
  sources are the general feedback; each distractor's ``why`` is that answer's feedback.

A basic question is a short answer when its answer has at most :data:`SHORT_ANSWER_WORDS`
words (Moodle marks a short answer by matching the whole typed text, so a sentence would
almost never match); longer answers become an essay, the answer in the grader information
and the general feedback.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from xml.sax.saxutils import escape, quoteattr

from .. import markup
from ..bank import AnyQuestion, Bank, Basic, ChoiceQuestion, Citation, Cloze, Multi, TrueFalse
from ..cloze import deletions
from ..select import option_order
from ..weights import format_fraction, multi_fractions, weights_problem
from . import Job, Rendered

SHORT_ANSWER_WORDS = 4  # a basic answer of more words is an essay (see the module docstring)

_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Inside a cloze blank: every character Moodle's blank regex or its decoding would read.
_BLANK = str.maketrans(
    {"&": "&#38;", "<": "&lt;", ">": "&gt;", "\\": "&#92;", "~": "&#126;", "}": "\\}", "#": "\\#", "*": "\\*"}
)
_OUTSIDE_BLANK = str.maketrans({"{": "&#123;", "}": "&#125;"})


# -- shared with the GIFT writer -----------------------------------------------------------


def html(text: str, *, extra: dict[int, str] | None = None) -> str:
    """The bank text as HTML: entities for ``& < >``, <b>/<i> for the markup, <br> before
    each line break (the break itself is kept); ``extra`` escapes more characters."""
    return markup.to_html(text, escapes={**_HTML, **extra} if extra else _HTML, newline="<br>\n")


def is_short_answer(q: Basic) -> bool:
    """Whether a basic question is a short answer (else an essay): see SHORT_ANSWER_WORDS."""
    return len(markup.plain(q.answer).split()) <= SHORT_ANSWER_WORDS


def wildcard_escaped(text: str) -> str:
    """A short-answer answer: plain text, with Moodle's wildcard ``*`` written ``\\*``."""
    return markup.plain(text).replace("*", "\\*")


def feedback_html(q: AnyQuestion, bank: Bank) -> str:
    """The general feedback: the essay's answer, the explanation, the "Since then" note and
    the sources (with their dates), one paragraph each."""
    paragraphs = []
    if isinstance(q, Basic) and not is_short_answer(q):
        paragraphs.append(f"<b>Answer:</b> {html(q.answer)}")
    if q.explain:
        paragraphs.append(html(q.explain))
    if q.context is not None:
        paragraphs.append(f"<b>Since then:</b> {html(q.context.text)} ({_sources(bank, q.context.cite)})")
    paragraphs.append(f"<b>Source:</b> {_sources(bank, q.cite)}")
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _sources(bank: Bank, cites: Iterable[Citation]) -> str:
    keys = list(dict.fromkeys(c.source for c in cites))
    return "; ".join(html(bank.sources[k].dated) for k in keys)


def category_path(bank: Bank, topic: str) -> str:
    """``$course$/<deck>/<topic title>``: each name as HTML, its ``/`` doubled (Moodle's
    assemble_category_path)."""
    return "/".join(["$course$", _category_name(bank.deck), _category_name(bank.topics[topic])])


def _category_name(name: str) -> str:
    # Moodle shows a category name as HTML (and strips tags from it on import).
    escaped = name.translate(_HTML).replace("/", "//")
    if escaped.startswith("/"):
        escaped = " " + escaped
    if escaped.endswith("/"):
        escaped += " "
    return escaped


def moodle_tags(q: AnyQuestion) -> tuple[str, ...]:
    """The question's Moodle tags: its topic, its difficulty, then its own tags."""
    tags = [f"topic:{q.topic}", *([f"difficulty:{q.difficulty}"] if q.difficulty else []), *q.tags]
    return tuple(dict.fromkeys(tags))


def by_topic(bank: Bank) -> list[tuple[str, list[AnyQuestion]]]:
    """The questions grouped by topic, topics in the bank's order, questions in bank order."""
    groups: dict[str, list[AnyQuestion]] = {t: [] for t in bank.topics}
    for q in bank.questions:
        groups[q.topic].append(q)
    return [(t, qs) for t, qs in groups.items() if qs]


def refuse(q: AnyQuestion) -> str | None:
    """Moodle XML's own rule: a multi's weights must be Moodle grade fractions."""
    if isinstance(q, Multi):
        return weights_problem(len(q.answers), len(q.distractors))
    return None


# -- the XML ------------------------------------------------------------------------------


def render(job: Job) -> Rendered:
    quiz = ET.Element("quiz")
    for topic, questions in by_topic(job.bank):
        quiz.append(_category(job.bank, topic))
        for q in questions:
            quiz.append(question_element(q, job.bank))
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    _serialize(quiz, out, 0)
    out.append("\n")
    return Rendered(((job.target, "".join(out).encode("utf-8")),))


def _serialize(el: ET.Element, out: list[str], depth: int) -> None:
    """The element as XML, children indented, each <text> holding ``& < >`` as CDATA.

    ElementTree writes no CDATA, and Moodle needs it: its xmlize drops every piece of
    character data that is only white space, and escaped text reaches it in pieces split
    at each entity ("&amp; &lt;b&gt;" was stored as "&<b>"). Escaping is the standard
    library's (xml.sax.saxutils); the file is parsed back with ElementTree in the tests.
    """
    attributes = "".join(f" {name}={quoteattr(value)}" for name, value in el.attrib.items())
    if not len(el) and el.text is None and el.tag != "text":
        out.append(f"<{el.tag}{attributes}/>")  # a flag such as <shownumcorrect/>
        return
    out.append(f"<{el.tag}{attributes}>")
    if len(el):
        for child in el:
            out.append("\n" + "  " * (depth + 1))
            _serialize(child, out, depth + 1)
        out.append("\n" + "  " * depth)
    elif el.tag == "text" and set("&<>") & set(el.text or ""):
        out.extend(f"<![CDATA[{piece}]]>" for piece in cdata_pieces(el.text or ""))
    else:
        out.append(escape(el.text or ""))
    out.append(f"</{el.tag}>")


def cdata_pieces(text: str) -> list[str]:
    """The CDATA sections that hold ``text``: split inside each ``]]>`` as Moodle's own
    qformat_xml::xml_escape does (a text without ``& < >`` is written as plain text)."""
    parts = text.split("]]>")
    return [
        ("" if i == 0 else ">") + part + ("]]" if i < len(parts) - 1 else "") for i, part in enumerate(parts)
    ]


def _category(bank: Bank, topic: str) -> ET.Element:
    el = ET.Element("question", type="category")
    _text(ET.SubElement(el, "category"), category_path(bank, topic))
    _text(ET.SubElement(el, "info", format="html"), html(bank.topics[topic]))
    return el


def question_element(q: AnyQuestion, bank: Bank) -> ET.Element:
    """One <question> element."""
    if isinstance(q, Cloze):
        el = _head("cloze", q, bank, _cloze_html(q))
    elif isinstance(q, TrueFalse):
        el = _head("truefalse", q, bank, html(q.statement))
        for truth in (True, False):
            _answer(el, "true" if truth else "false", 100 if q.answer is truth else 0, plain=True)
    elif isinstance(q, ChoiceQuestion):
        el = _head("multichoice", q, bank, html(q.stem))
        _multichoice(el, q)
    elif is_short_answer(q):
        el = _head("shortanswer", q, bank, html(q.stem))
        _sub(el, "usecase", "0")
        for text in dict.fromkeys((q.answer, *q.accept)):
            _answer(el, wildcard_escaped(text), 100, plain=True)
    else:
        el = _head("essay", q, bank, html(q.stem))
        for name, value in (
            ("responseformat", "editor"),
            ("responserequired", "1"),
            ("responsefieldlines", "5"),
        ):
            _sub(el, name, value)
        for name in ("attachments", "attachmentsrequired"):
            _sub(el, name, "0")
        accepted = "".join(f"<p>Also accept: {html(a)}</p>" for a in q.accept)
        _text(ET.SubElement(el, "graderinfo", format="html"), f"<p>{html(q.answer)}</p>{accepted}")
        _text(ET.SubElement(el, "responsetemplate", format="html"), "")
    _tags(el, q)
    return el


def _head(qtype: str, q: AnyQuestion, bank: Bank, text: str) -> ET.Element:
    el = ET.Element("question", type=qtype)
    _text(ET.SubElement(el, "name"), q.id)
    _text(ET.SubElement(el, "questiontext", format="html"), text)
    _text(ET.SubElement(el, "generalfeedback", format="html"), feedback_html(q, bank))
    if not isinstance(q, Cloze):  # a cloze's mark is the sum of its blanks' weights
        _sub(el, "defaultgrade", str(q.worth))
    _sub(el, "hidden", "0")
    _sub(el, "idnumber", q.id)
    return el


def _multichoice(el: ET.Element, q: ChoiceQuestion) -> None:
    single = not isinstance(q, Multi)
    right, wrong = (100.0, 0.0) if single else multi_fractions(len(q.answers), len(q.distractors))
    _sub(el, "single", "true" if single else "false")
    _sub(el, "shuffleanswers", "true" if q.order == "shuffle" else "false")
    _sub(el, "answernumbering", "abc")
    _sub(el, "showstandardinstruction", "0")
    for name in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(ET.SubElement(el, name, format="html"), "")
    if not single:
        ET.SubElement(el, "shownumcorrect")
    for option in option_order(q, shuffle=None):
        answer = _answer(el, html(option.text), right if option.correct else wrong, plain=False)
        _text(ET.SubElement(answer, "feedback", format="html"), html(option.why) if option.why else "")


def _answer(parent: ET.Element, text: str, fraction: float, *, plain: bool) -> ET.Element:
    el = ET.SubElement(
        parent, "answer", fraction=format_fraction(fraction), format="moodle_auto_format" if plain else "html"
    )
    _text(el, text)
    return el


def _cloze_html(q: Cloze) -> str:
    """The cloze text with each deletion a short-answer blank (weight = points per blank)."""
    dels = deletions(q.text)
    weight = q.worth // len(dels) if q.worth % len(dels) == 0 else q.facts.points
    out, pos = [], 0
    for d, alternatives in zip(dels, q.accepted(), strict=True):
        out.append(html(q.text[pos : d.start], extra=_OUTSIDE_BLANK))
        answers = "~".join(f"={_blank_text(a)}" for a in dict.fromkeys((d.answer, *alternatives)))
        out.append(f"{{{weight}:SA:{answers}}}")
        if d.hint:
            out.append(f" ({html(d.hint, extra=_OUTSIDE_BLANK)})")
        pos = d.end
    out.append(html(q.text[pos:], extra=_OUTSIDE_BLANK))
    return "".join(out)


def _blank_text(text: str) -> str:
    return markup.plain(text).translate(_BLANK).replace("\n", " ")


def _tags(el: ET.Element, q: AnyQuestion) -> None:
    tags = ET.SubElement(el, "tags")
    for tag in moodle_tags(q):
        _text(ET.SubElement(tags, "tag"), tag)


def _text(parent: ET.Element, value: str) -> None:
    ET.SubElement(parent, "text").text = value


def _sub(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, name).text = value
