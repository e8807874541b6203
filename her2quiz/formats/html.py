"""Bank → one offline HTML page: a self-test (the default) and a projector mode (``#present``).

The page is a single file with nothing to fetch: the stylesheet and the script
(``templates/html/``) are inlined, and a Content-Security-Policy in the page allows only
those two blocks, by their SHA-256 hashes (``default-src 'none'``, no ``unsafe-inline``).
The questions travel as JSON in ``<script type="application/json">``, with ``<``, ``>``,
``&``, U+2028 and U+2029 written as ``\\u003c`` and so on, so no text (``</script>``,
``<!--``) can end the block. The script puts every piece of bank text into the page as text
nodes; the bank's own ``**bold**``/``*italic*`` arrive pre-parsed here as runs (see
:func:`runs`) that the script builds as ``<strong>``/``<em>`` elements.

Options come in :func:`her2quiz.select.option_order` order with ``shuffle=None`` (bank,
sorted or as-written order); the page shuffles a "shuffle" question's options itself at
each showing. The projector shows the versions of
``plan_quiz(bank, count=None, versions=job.versions, seed=job.seed)``: with the same seed
and version letter, the printed quiz's question and option order.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from importlib import resources

from .. import markup
from ..bank import AnyQuestion, Bank, Basic, ChoiceQuestion, Citation, Cloze, Option
from ..cloze import deletions, outside
from ..plan import Plan, PlanItem
from ..select import option_order, plan_quiz
from . import Job, Rendered

DATA_ID = "h2q-data"
STORAGE_PREFIX = "her2quiz:"  # localStorage key: this prefix, then the bank's sha256
LONG_ANSWER_WORDS = 4  # a basic answer of more words is judged by the learner, not matched
_PLACEHOLDER = re.compile(r"@@([a-z]+)@@")
# Characters that could end or confuse a <script> block, as JSON escapes (same value).
_JSON_IN_SCRIPT = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)
Runs = str | list[list[str | int]]  # a plain string, or [text, flags] runs (1 bold, 2 italic)
Json = dict[str, object]


class TemplateError(Exception):
    """A page template or asset that cannot be inlined safely."""


def render(job: Job) -> Rendered:
    plan = plan_quiz(job.bank, count=None, versions=job.versions, seed=job.seed)
    page = build_page(job.bank, plan, title=job.title or job.bank.title)
    return Rendered(((job.target, page.encode("utf-8")),), projector_warnings(job.bank, plan))


def projector_warnings(bank: Bank, plan: Plan) -> tuple[str, ...]:
    """What to tell when the projector's versions do not hold every question (a printed
    quiz takes one question per family; the self-test keeps them all)."""
    planned, total = len(plan.ids), len(bank.questions)
    if planned == total:
        return ()
    return (
        f"the projector's versions hold {planned} of the {total} questions, one per family, "
        f"as the printed quiz with seed {plan.seed} does; the self-test has all {total}",
    )


def build_page(bank: Bank, plan: Plan, *, title: str) -> str:
    """The whole page as text: template, inlined CSS and JS, CSP and the JSON data."""
    style, script = _asset("style.css"), _asset("app.js")
    for name, text, end in (("style.css", style, "</style"), ("app.js", script, "</script")):
        if end in text.lower() or "<!--" in text:
            raise TemplateError(f"templates/html/{name} contains '{end}' or '<!--'; it could not be inlined")
    parts = {
        "csp": content_security_policy(style, script),
        "title": markup.escape_html(markup.plain(title)),
        "hash": markup.escape_html(bank.short_hash),
        "count": str(len(bank.questions)),
        "style": style,
        "script": script,
        "dataid": DATA_ID,
        "data": script_json(page_data(bank, plan, title=title)),
    }
    # One pass: a value is never scanned for placeholders, so no text can inject one.
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _asset("page.html"))


def content_security_policy(style: str, script: str) -> str:
    """Nothing but the page's own inline style and script, named by their hashes."""
    return (
        "default-src 'none'; "
        f"script-src '{csp_hash(script)}'; style-src '{csp_hash(style)}'; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; media-src 'none'; "
        "object-src 'none'; frame-src 'none'; worker-src 'none'; manifest-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def csp_hash(block: str) -> str:
    """The CSP source expression for an inline block: sha256 of its UTF-8 text, base64."""
    return "sha256-" + base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode("ascii")


def script_json(data: object) -> str:
    """JSON that a ``<script type="application/json">`` block can hold whatever its text."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_IN_SCRIPT)


@cache
def _asset(name: str) -> str:
    return (resources.files("her2quiz") / "templates" / "html" / name).read_text(encoding="utf-8")


# -- the data the script reads ------------------------------------------------------------


def page_data(bank: Bank, plan: Plan, *, title: str) -> Json:
    """Everything the page shows, as plain JSON-ready data."""
    index = {q.id: i for i, q in enumerate(bank.questions)}
    used = {q.topic for q in bank.questions}
    return {
        "bank": {"id": bank.id, "title": markup.plain(title), "hash": bank.short_hash},
        "storage": STORAGE_PREFIX + (bank.digest or bank.short_hash or bank.id),
        "topics": [[key, name] for key, name in bank.topics.items() if key in used],
        "sources": {key: s.dated for key, s in bank.sources.items()},
        "longWords": LONG_ANSWER_WORDS,
        "questions": [question_data(q) for q in bank.questions],
        "plan": {
            "seed": plan.seed,
            "versions": [
                {"label": v.label, "items": [_plan_item(bank, index, item) for item in v.items]}
                for v in plan.versions
            ],
        },
    }


def question_data(q: AnyQuestion) -> Json:
    """One question: its prompt and answers as runs, its feedback texts and citations."""
    data: Json = {
        "id": q.id,
        "kind": q.kind,
        "label": q.facts.label,
        "topic": q.topic,
        "level": q.difficulty,
        "points": q.worth,
        "explain": runs(q.explain) if q.explain else None,
        "context": (
            {"text": runs(q.context.text), "cite": _cites(q.context.cite)} if q.context is not None else None
        ),
        "cite": _cites(q.cite),
    }
    if isinstance(q, Cloze):
        data["parts"] = cloze_parts(q.text)
        data["answers"] = [
            [
                markup.plain(d.answer),
                [markup.plain(a) for a in alts],
                markup.plain(d.hint) if d.hint else None,
            ]
            for d, alts in zip(deletions(q.text), q.accepted(), strict=True)
        ]
        return data
    data["prompt"] = runs(q.prompt)
    if isinstance(q, Basic):
        data["answers"] = [[markup.plain(q.answer), [markup.plain(a) for a in q.accept], None]]
        data["answerRuns"] = runs(q.answer)
        return data
    data["options"] = [_option(o) for o in option_order(q, shuffle=None)]
    data["shuffle"] = isinstance(q, ChoiceQuestion) and q.facts.shuffles and q.order == "shuffle"
    return data


def _option(o: Option) -> list[object]:
    return [runs(o.text), 1 if o.correct else 0, runs(o.why) if o.why else None]


def _cites(cites: tuple[Citation, ...]) -> list[list[object]]:
    return [[c.source, runs(c.quote)] for c in cites]


def _plan_item(bank: Bank, index: dict[str, int], item: PlanItem) -> list[object]:
    """[question index, printed option order as indices into the page's options]."""
    q = bank.question(item.id)
    if isinstance(q, Cloze | Basic):
        return [index[item.id]]
    page_order = [o.text for o in option_order(q, shuffle=None)]
    return [index[item.id], [page_order.index(text) for text in item.options]]


def runs(text: str) -> Runs:
    """The text as one string when it has no markup, else as [text, flags] runs."""
    spans = markup.parse(text)
    if len(spans) == 1 and not (spans[0].bold or spans[0].italic):
        return spans[0].text
    return [[s.text, (1 if s.bold else 0) | (2 if s.italic else 0)] for s in spans]


def cloze_parts(text: str) -> list[object]:
    """The cloze text as [text, flags] runs with each deletion an integer (its 0-based index).

    The markup is parsed around the deletions as Anki and the PDF parse it
    (:func:`her2quiz.cloze.outside`).
    """
    joined, slot, _ = outside(text)
    parts: list[object] = []
    number = 0
    for span in markup.parse(joined):
        flags = (1 if span.bold else 0) | (2 if span.italic else 0)
        for j, piece in enumerate(span.text.split(slot)):
            if j:
                parts.append(number)
                number += 1
            if piece:
                parts.append([piece, flags])
    return parts
