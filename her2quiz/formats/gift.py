"""Moodle GIFT text (Question bank → Import → GIFT format).

The rules, from Moodle 4.5's ``qformat_gift`` (``question/format/gift/format.php``):

- ``\\ ~ = # { } :`` are escaped with a backslash (the backslash first; ``[ ]`` are not
  escaped), a line break is written ``\\n``: a question is then lines that each start with
  ``::``, ``=``, ``~``, ``####`` or ``}``, never a blank line (which ends a question) and
  never ``//`` (Moodle drops every line starting with ``//`` as a comment, wherever it is);
- texts are HTML (``[html]`` before the stem sets it for the whole question; the HTML is the
  one :func:`her2quiz.formats.moodle_xml.html` builds); a field whose text starts with ``[``
  would be read as a format name, so a leading ``[`` is written ``&#91;``;
- the id is ``// [id:…]`` and each Moodle tag ``// [tag:…]`` (a ``]`` in them ``\\]``), in
  comment lines before the question; the title is ``::id::``; each topic starts with
  ``$CATEGORY: $course$/<deck>/<topic>``;
- mcq ``{=right ~wrong#why …}``, multi ``{~%33.33333%right ~%-50%wrong …}`` with Moodle's
  grade fractions (:mod:`her2quiz.weights`), true/false ``{TRUE}``/``{FALSE}`` in upper case
  (lower case is read as a short answer), basic ``{=answer =alternative}`` (plain text, ``*``
  written ``\\*``, Moodle's wildcard) or an essay ``{}`` when the answer is long (the rule of
  :func:`her2quiz.formats.moodle_xml.is_short_answer`); the general feedback is
  ``####…`` and ends the answer block. GIFT has no question with several blanks: clozes are
  left out (the format table says so).
"""

from __future__ import annotations

from .. import markup
from ..bank import AnyQuestion, Bank, Basic, ChoiceQuestion, Multi, TrueFalse
from ..select import option_order
from ..weights import format_fraction, multi_fractions, weights_problem
from . import Job, Rendered
from .moodle_xml import (
    by_topic,
    category_path,
    feedback_html,
    html,
    is_short_answer,
    moodle_tags,
    wildcard_escaped,
)

# Backslash first: str.translate maps each character once, so escapes are never re-escaped.
_GIFT = str.maketrans(
    {"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:", "\n": "\\n"}
)
_GIFT_HTML = {**_GIFT, ord("\n"): "<br>\\n"}  # in HTML a line break also needs <br>
_LEADING_ENTITY = {"[": "&\\#91;", "%": "&\\#37;"}  # '#' GIFT-escaped
_TAG_FORBIDDEN = set("<>`")  # qformat_gift reads a tag only without these (PARAM_TAG)


def refuse(q: AnyQuestion) -> str | None:
    """GIFT's own rules: Moodle weights for a multi; no short answer starting with '['."""
    if isinstance(q, Multi):
        return weights_problem(len(q.answers), len(q.distractors))
    if isinstance(q, Basic) and is_short_answer(q):
        for text in (q.answer, *q.accept):
            if markup.plain(text).lstrip().startswith("["):
                return f"the accepted answer '{markup.plain(text)}' starts with '[', which GIFT reads as a text format"
    return None


def render(job: Job) -> Rendered:
    blocks: list[str] = []
    warnings: list[str] = []
    for topic, questions in by_topic(job.bank):
        blocks.append(f"$CATEGORY: {_category(job.bank, topic)}\n")
        for q in questions:
            block, dropped = question_text(q, job.bank)
            blocks.append(block)
            warnings.extend(
                f"question '{q.id}': tag '{t}' left out (GIFT reads no tag with < > `)" for t in dropped
            )
    return Rendered(((job.target, "\n".join(blocks).encode("utf-8")),), tuple(warnings))


def _category(bank: Bank, topic: str) -> str:
    # Moodle reads the $CATEGORY line after turning \\ \: \# … into placeholders it never
    # turns back, so a backslash is written as an HTML entity (category names are HTML).
    return category_path(bank, topic).replace("\\", "&#92;").replace("\n", " ")


def question_text(q: AnyQuestion, bank: Bank) -> tuple[str, list[str]]:
    """One question's lines (ending in a newline), and the tags GIFT cannot carry."""
    lines = [f"// [id:{_token(q.id)}]"]
    dropped = []
    for tag in moodle_tags(q):
        if _TAG_FORBIDDEN & set(tag) or tag.endswith("\\") or not tag.isprintable():
            dropped.append(tag)
        else:
            lines.append(f"// [tag:{_token(tag)}]")
    lines.append(f"::{q.id.translate(_GIFT)}::[html]{field(q.prompt)}{{")
    lines.extend(f"\t{line}" for line in _answers(q))
    lines.append(f"\t####{_escape_html(feedback_html(q, bank))}")
    lines.append("}")
    return "\n".join(lines) + "\n", dropped


def _answers(q: AnyQuestion) -> list[str]:
    if isinstance(q, TrueFalse):
        return ["TRUE" if q.answer else "FALSE"]
    if isinstance(q, ChoiceQuestion):
        if isinstance(q, Multi):
            right, wrong = multi_fractions(len(q.answers), len(q.distractors))
            marks = {True: f"~%{format_fraction(right)}%", False: f"~%{format_fraction(wrong)}%"}
        else:
            marks = {True: "=", False: "~"}
        return [
            marks[o.correct] + field(o.text) + (f"#{field(o.why)}" if o.why else "")
            for o in option_order(q, shuffle=None)
        ]
    if isinstance(q, Basic) and is_short_answer(q):
        return [_short_answer(a) for a in dict.fromkeys((q.answer, *q.accept))]
    return []  # essay: an empty answer block, the answer in the general feedback


def field(text: str) -> str:
    """A GIFT text field: the bank text as HTML, GIFT-escaped. A leading ``[`` (a text
    format to Moodle) or ``%`` (a weight after ``~``) is written as an HTML entity."""
    out = html(text, extra=_GIFT_HTML)
    lead = _LEADING_ENTITY.get(out[:1])
    return lead + out[1:] if lead else out


def _short_answer(text: str) -> str:
    """``=answer``; an answer starting with ``%`` gets an explicit ``%100%`` weight first
    (a plain-text answer cannot use an entity)."""
    out = wildcard_escaped(text).translate(_GIFT)
    return f"=%100%{out}" if out.startswith("%") else f"={out}"


def _escape_html(built: str) -> str:
    """GIFT-escape HTML this module built (the feedback): its own tags hold no GIFT markup."""
    return built.translate(_GIFT)


def _token(text: str) -> str:
    return text.replace("]", "\\]")
