"""Bank → Canvas QTI 1.2 package (``.zip``: Settings → Import course content → QTI .zip).

The structure is the one Canvas reads back from its own export (``lib/cc/qti/qti_items.rb``
in canvas-lms) and that text2qti writes: ``imsmanifest.xml``, the quiz settings
(``<ident>/assessment_meta.xml``) and one assessment (``<ident>/<ident>.xml``) whose items
carry the Canvas ``question_type`` in their metadata.

| kind | Canvas question type |
|---|---|
| mcq | multiple_choice_question |
| multi | multiple_answers_question (all correct and no wrong one ticked; Canvas grades it) |
| truefalse | true_false_question (True, then False) |
| cloze | fill_in_multiple_blanks_question: a blank ``[c1]`` per deletion, its answer and accepted alternatives as the blank's correct answers, the hint after it in parentheses |
| basic | short_answer_question (answer and alternatives) when the answer is at most :data:`SHORT_ANSWER_WORDS` words, else essay_question (graded by hand; the answer is in the feedback) |

What travels: the item ident is the question id (so a re-import updates the same item);
the general feedback holds the explanation, the "Since then: …" context note and every
citation (source with its date and status, and the quote); a distractor's ``why`` is its
own feedback. Points are the question's worth. Topic, difficulty and tags do not travel:
a Canvas quiz question has no field for them (the item title is the question id). Options
are in the order of version A of a printed quiz with the same seed (``option_order``), and
the quiz does not shuffle them again (``sorted`` and ``as-written`` questions keep theirs).

Text is escaped by the XML library from the parsed markup (``**bold**`` → ``<b>``), so
``<b>``, ``&`` or ``]]>`` in a question stay literal. Zip entries have a fixed order and
their dates come from ``SOURCE_DATE_EPOCH``, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator, Sequence

from .. import markup
from ..bank import AnyQuestion, Bank, Basic, ChoiceQuestion, Cloze, Multi, Option, TrueFalse
from ..cloze import deletions
from ..select import option_order
from . import Job, Rendered

SHORT_ANSWER_WORDS = 4  # a longer answer is never typed exactly: an essay question, marked by hand

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
MANIFEST_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
IMSMD_NS = "http://www.imsglobal.org/xsd/imsmd_v1p2"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"

# Characters XML 1.0 cannot hold (a parser rejects the whole file).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def refuse(q: AnyQuestion) -> str | None:
    """A question with a character XML 1.0 cannot hold is left out (never silently dropped)."""
    for text in question_texts(q):
        found = _NOT_XML.search(text)
        if found is not None:
            return f"its text has U+{ord(found.group()):04X}, a character XML 1.0 cannot hold"
    return None


def question_texts(q: AnyQuestion) -> Iterator[str]:
    """Every text of a question that an export may write."""
    yield q.prompt
    if isinstance(q, ChoiceQuestion):
        for o in q.options():
            yield o.text
            if o.why:
                yield o.why
    if isinstance(q, Basic):
        yield q.answer
        yield from q.accept
    if isinstance(q, Cloze):
        for alternatives in q.accepted():
            yield from alternatives
    if q.explain:
        yield q.explain
    if q.context:
        yield q.context.text
    for c in q.citations():
        yield c.quote


def render(job: Job) -> Rendered:
    bank = job.bank
    title = job.title or bank.title
    ident = assessment_ident(bank)
    when = package_time(job.epoch)
    entries = (
        ("imsmanifest.xml", _xml(_manifest(ident, title, when))),
        (f"{ident}/assessment_meta.xml", _xml(_meta(ident, title, bank))),
        (f"{ident}/{ident}.xml", _xml(_assessment(ident, title, bank, job.seed))),
    )
    return Rendered(((job.target, zip_package(entries, job.epoch)),))


def assessment_ident(bank: Bank) -> str:
    """The quiz's ident: the bank id and a hash of the carried question ids (the same
    selection re-imports as the same quiz)."""
    digest = hashlib.sha256("\n".join(q.id for q in bank.questions).encode()).hexdigest()[:12]
    return f"her2quiz-{bank.id}-{digest}"


# --- the package ---------------------------------------------------------------------------


def package_time(epoch: int | None) -> datetime.datetime:
    """SOURCE_DATE_EPOCH as a UTC time a zip can hold (1980 to 2107); None: 1980-01-01."""
    if epoch is None:
        return datetime.datetime(1980, 1, 1)
    when = datetime.datetime.fromtimestamp(epoch, tz=datetime.UTC).replace(tzinfo=None)
    return min(max(when, datetime.datetime(1980, 1, 1)), datetime.datetime(2107, 12, 31, 23, 59, 58))


def zip_package(entries: Sequence[tuple[str, bytes]], epoch: int | None) -> bytes:
    """A zip of ``entries`` in the order given, every entry dated ``package_time(epoch)``,
    with fixed permissions and compression: the same entries give the same bytes."""
    when = package_time(epoch)
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            z.writestr(info, data, compresslevel=6)
    return buffer.getvalue()


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    # To str, then one encode: ET's utf-8 writer encodes piece by piece (15% slower, 10,000 items).
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    ).encode()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _manifest(ident: str, title: str, when: datetime.datetime) -> ET.Element:
    root = ET.Element(
        "manifest",
        {
            "identifier": f"{ident}-manifest",
            "xmlns": MANIFEST_NS,
            "xmlns:imsmd": IMSMD_NS,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": f"{MANIFEST_NS} http://www.imsglobal.org/xsd/imscp_v1p1.xsd "
            f"{IMSMD_NS} http://www.imsglobal.org/xsd/imsmd_v1p2p2.xsd",
        },
    )
    metadata = _sub(root, "metadata")
    _sub(metadata, "schema", "IMS Content")
    _sub(metadata, "schemaversion", "1.1.3")
    lom = _sub(metadata, "imsmd:lom")
    _sub(_sub(_sub(lom, "imsmd:general"), "imsmd:title"), "imsmd:string", title)
    contribute = _sub(_sub(lom, "imsmd:lifeCycle"), "imsmd:contribute")
    _sub(_sub(contribute, "imsmd:date"), "imsmd:dateTime", when.date().isoformat())
    _sub(root, "organizations")
    resources = _sub(root, "resources")
    quiz = _sub(resources, "resource", identifier=ident, type="imsqti_xmlv1p2")
    _sub(quiz, "file", href=f"{ident}/{ident}.xml")
    _sub(quiz, "dependency", identifierref=f"{ident}-meta")
    meta = _sub(
        resources,
        "resource",
        identifier=f"{ident}-meta",
        type="associatedcontent/imscc_xmlv1p1/learning-application-resource",
        href=f"{ident}/assessment_meta.xml",
    )
    _sub(meta, "file", href=f"{ident}/assessment_meta.xml")
    return root


def _meta(ident: str, title: str, bank: Bank) -> ET.Element:
    """Canvas's quiz settings: a graded quiz, unpublished, one attempt, options not reshuffled."""
    root = ET.Element(
        "quiz",
        {
            "identifier": ident,
            "xmlns": CANVAS_NS,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": f"{CANVAS_NS} https://canvas.instructure.com/xsd/cccv1p0.xsd",
        },
    )
    points = f"{sum(q.worth for q in bank.questions):.1f}"
    for tag, text in (
        ("title", title),
        ("description", ""),
        ("shuffle_answers", "false"),
        ("scoring_policy", "keep_highest"),
        ("quiz_type", "assignment"),
        ("points_possible", points),
        ("show_correct_answers", "true"),
        ("allowed_attempts", "1"),
        ("one_question_at_a_time", "false"),
        ("cant_go_back", "false"),
        ("available", "false"),
    ):
        _sub(root, tag, text)
    assignment = _sub(root, "assignment", identifier=f"{ident}-assignment")
    for tag, text in (
        ("title", title),
        ("workflow_state", "unpublished"),
        ("quiz_identifierref", ident),
        ("points_possible", points),
        ("grading_type", "points"),
        ("submission_types", "online_quiz"),
    ):
        _sub(assignment, tag, text)
    return root


def _assessment(ident: str, title: str, bank: Bank, seed: int) -> ET.Element:
    root = ET.Element(
        "questestinterop",
        {
            "xmlns": QTI_NS,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": f"{QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd",
        },
    )
    assessment = _sub(root, "assessment", ident=ident, title=title)
    field = _sub(_sub(assessment, "qtimetadata"), "qtimetadatafield")
    _sub(field, "fieldlabel", "cc_maxattempts")
    _sub(field, "fieldentry", "1")
    section = _sub(assessment, "section", ident="root_section")
    for q in bank.questions:
        section.append(item(bank, q, seed=seed))
    return root


# --- one item ------------------------------------------------------------------------------


def question_type(q: AnyQuestion) -> str:
    """The Canvas question type a question becomes."""
    if isinstance(q, TrueFalse):
        return "true_false_question"
    if isinstance(q, Multi):
        return "multiple_answers_question"
    if isinstance(q, ChoiceQuestion):
        return "multiple_choice_question"
    if isinstance(q, Cloze):
        return "fill_in_multiple_blanks_question"
    return "short_answer_question" if is_short(q) else "essay_question"


def is_short(q: Basic) -> bool:
    """An answer a student can type exactly: at most SHORT_ANSWER_WORDS words."""
    return len(markup.plain(q.answer).split()) <= SHORT_ANSWER_WORDS


def choice_idents(q: ChoiceQuestion | TrueFalse) -> dict[Option, str]:
    """Each option's response ident: its place in the bank (not in the print), so it is
    stable across seeds and selections; True/False: ``<id>-true``, ``<id>-false``."""
    if isinstance(q, TrueFalse):
        return {o: f"{q.id}-{o.text.lower()}" for o in q.options()}
    return {o: f"{q.id}-{n}" for n, o in enumerate(q.options(), start=1)}


def item(bank: Bank, q: AnyQuestion, *, seed: int = 1) -> ET.Element:
    """One QTI item, Canvas flavoured."""
    kind = question_type(q)
    element = ET.Element("item", ident=q.id, title=q.id)
    options = option_order(q, shuffle=f"{seed}:A") if isinstance(q, ChoiceQuestion | TrueFalse) else ()
    idents = choice_idents(q) if isinstance(q, ChoiceQuestion | TrueFalse) else {}
    answer_ids = [idents[o] for o in options]
    fields = _sub(_sub(element, "itemmetadata"), "qtimetadata")
    for label, entry in (
        ("question_type", kind),
        ("points_possible", str(q.worth)),
        ("original_answer_ids", ",".join(answer_ids)),
        ("assessment_question_identifierref", f"{q.id}-ref"),
    ):
        field = _sub(fields, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)
    presentation = _sub(element, "presentation")
    processing = ET.Element("resprocessing")
    outcomes = _sub(processing, "outcomes")
    _sub(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    _condition(processing, "Yes", [ET.Element("other")], feedback="general_fb")
    feedback = [("general_fb", general_feedback(bank, q))]
    if isinstance(q, ChoiceQuestion | TrueFalse):
        _html(presentation, q.prompt)
        feedback += _choices(q, options, idents, presentation, processing)
    elif isinstance(q, Cloze):
        _blanks(q, presentation, processing)
    elif kind == "short_answer_question":
        _html(presentation, q.prompt)
        _short_answer(q, presentation, processing)
    else:
        _html(presentation, q.prompt)
        _text_box(presentation)
        _condition(processing, "No", [ET.Element("other")])
    element.append(processing)
    for ident, html in feedback:
        flow = _sub(_sub(element, "itemfeedback", ident=ident), "flow_mat")
        _sub(_sub(flow, "material"), "mattext", html, texttype="text/html")
    return element


def _html(parent: ET.Element, text: str) -> None:
    _sub(_sub(parent, "material"), "mattext", f"<div>{markup.to_html(text)}</div>", texttype="text/html")


def _varequal(respident: str, value: str) -> ET.Element:
    element = ET.Element("varequal", respident=respident)
    element.text = value
    return element


def _condition(
    processing: ET.Element,
    continue_: str,
    conditions: list[ET.Element],
    *,
    score: tuple[str, str] | None = None,
    feedback: str | None = None,
) -> None:
    """A respcondition: when ``conditions`` hold, set or add a score and show a feedback."""
    condition = _sub(processing, "respcondition", **{"continue": continue_})
    _sub(condition, "conditionvar").extend(conditions)
    if score is not None:
        action, value = score
        _sub(condition, "setvar", value, action=action, varname="SCORE")
    if feedback is not None:
        _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid=feedback)


def _choices(
    q: ChoiceQuestion | TrueFalse,
    options: Sequence[Option],
    idents: dict[Option, str],
    presentation: ET.Element,
    processing: ET.Element,
) -> list[tuple[str, str]]:
    cardinality = "Multiple" if isinstance(q, Multi) else "Single"
    render = _sub(
        _sub(presentation, "response_lid", ident="response1", rcardinality=cardinality), "render_choice"
    )
    feedback = []
    for o in options:
        label = _sub(render, "response_label", ident=idents[o])
        _sub(_sub(label, "material"), "mattext", markup.to_html(o.text), texttype="text/html")
    for o in options:
        if o.why:
            ident = idents[o]
            _condition(processing, "Yes", [_varequal("response1", ident)], feedback=f"{ident}_fb")
            feedback.append((f"{ident}_fb", f"<p>{markup.to_html(o.why)}</p>"))
    if isinstance(q, Multi):
        all_of = ET.Element("and")
        for o in options:
            test = _varequal("response1", idents[o])
            if o.correct:
                all_of.append(test)
            else:
                _sub(all_of, "not").append(test)
        _condition(processing, "No", [all_of], score=("Set", "100"))
    else:
        correct = next(o for o in options if o.correct)
        _condition(processing, "No", [_varequal("response1", idents[correct])], score=("Set", "100"))
    return feedback


def _text_box(presentation: ET.Element) -> None:
    response = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
    _sub(_sub(response, "render_fib"), "response_label", ident="answer1", rshuffle="No")


def _short_answer(q: Basic, presentation: ET.Element, processing: ET.Element) -> None:
    _text_box(presentation)
    accepted = [markup.plain(a) for a in (q.answer, *q.accept)]
    _condition(processing, "No", [_varequal("response1", a) for a in accepted], score=("Set", "100"))


def blank_names(q: Cloze) -> list[str]:
    """One name per deletion, ``c1``, ``c2`` … (``c1_2`` for a second ``c1``), never one that
    the text already holds as ``[name]`` (Canvas would make that text a blank too)."""
    found = deletions(q.text)
    rest = q.text
    for d in reversed(found):
        rest = rest[: d.start] + rest[d.end :]
    for prefix in ("c", "blank_c", "her2quiz_blank_c"):
        names: list[str] = []
        seen: dict[int, int] = {}
        for d in found:
            seen[d.number] = seen.get(d.number, 0) + 1
            names.append(f"{prefix}{d.number}" + (f"_{seen[d.number]}" if seen[d.number] > 1 else ""))
        if not any(f"[{n}]" in rest for n in names):
            return names
    # Only a text holding [c1], [blank_c1] and [her2quiz_blank_c1] literally gets here.
    raise ValueError(f"question '{q.id}': every blank name is already in the text")


def cloze_prompt(q: Cloze) -> str:
    """The cloze text with each deletion replaced by its blank, ``[c1]`` (and its hint)."""
    found = deletions(q.text)
    out, pos = [], 0
    for d, name in zip(found, blank_names(q), strict=True):
        out += [q.text[pos : d.start], f"[{name}]" + (f" ({d.hint})" if d.hint else "")]
        pos = d.end
    out.append(q.text[pos:])
    return "".join(out)


def _blanks(q: Cloze, presentation: ET.Element, processing: ET.Element) -> None:
    _html(presentation, cloze_prompt(q))
    names = blank_names(q)
    share = f"{100 / len(names):.2f}"
    for n, (name, answer, alternatives) in enumerate(
        zip(names, q.answer_texts(), q.accepted(), strict=True), start=1
    ):
        response = _sub(presentation, "response_lid", ident=f"response_{name}")
        _sub(_sub(response, "material"), "mattext", name)
        render = _sub(response, "render_choice")
        for k, text in enumerate((answer, *alternatives), start=1):
            label = _sub(render, "response_label", ident=f"{q.id}-{n}-{k}")
            _sub(_sub(label, "material"), "mattext", markup.plain(text), texttype="text/plain")
        _condition(processing, "Yes", [_varequal(f"response_{name}", f"{q.id}-{n}-1")], score=("Add", share))


def general_feedback(bank: Bank, q: AnyQuestion) -> str:
    """The explanation, the context note and the citations, as HTML paragraphs."""
    parts = []
    if isinstance(q, Basic) and not is_short(q):
        parts.append(f"<p><b>Answer:</b> {markup.to_html(q.answer)}</p>")
    if q.explain:
        parts.append(f"<p>{markup.to_html(q.explain)}</p>")
    if q.context:
        cited = "; ".join(markup.escape_html(bank.sources[c.source].dated) for c in q.context.cite)
        parts.append(f"<p><b>Since then:</b> {markup.to_html(q.context.text)} ({cited})</p>")
    for c in q.cite:
        source = markup.escape_html(bank.sources[c.source].dated)
        parts.append(f"<p><b>Source:</b> {source} — “{markup.escape_html(c.quote)}”</p>")
    return "".join(parts)
