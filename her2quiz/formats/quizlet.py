"""Bank → Quizlet flashcards (``.txt``: Create → Import → paste; "Between term and
definition: Tab", "Between cards: New line").

One card a line, ``term<TAB>definition``, UTF-8, LF line ends:

| kind | term | definition |
|---|---|---|
| mcq | the stem | the answer |
| multi | the stem | the answers joined with "; " |
| truefalse | the statement | True or False |
| cloze | the text, each deletion as ``____`` (its hint after it in parentheses) | the deleted texts joined with "; " |
| basic | the stem | the answer |

Text is the bank's plain text (the paste box takes no formatting). A tab or a line break
would split a card, so each run of white space holding a tab or a line break (LF, CR,
VT, FF, NEL, U+2028, U+2029) becomes one space; other text is unchanged.

What does not travel: distractors, the explanation, the context note, the citations,
accepted alternatives, topic, difficulty and tags. A Quizlet card has a term and a
definition only.
"""

from __future__ import annotations

import re

from .. import markup
from ..bank import AnyQuestion, Basic, ChoiceQuestion, Cloze, TrueFalse
from ..cloze import deletions
from . import Job, Rendered

BLANK = "____"
JOIN = "; "
_BREAKS = re.compile(r"\s*[\t\n\r\v\f\x85\u2028\u2029]\s*")


def flat(text: str) -> str:
    """Plain text on one line with no tab: each run of white space holding a tab or a
    line break becomes one space."""
    return _BREAKS.sub(" ", markup.plain(text))


def card(q: AnyQuestion) -> tuple[str, str]:
    """(term, definition) of a question, flattened."""
    if isinstance(q, Cloze):
        found = deletions(q.text)
        parts, pos = [], 0
        for d in found:
            parts += [q.text[pos : d.start], BLANK + (f" ({d.hint})" if d.hint else "")]
            pos = d.end
        parts.append(q.text[pos:])
        return flat("".join(parts)), JOIN.join(flat(d.answer) for d in found)
    if isinstance(q, ChoiceQuestion):
        return flat(q.stem), JOIN.join(flat(a) for a in q.answers)
    if isinstance(q, TrueFalse):
        return flat(q.statement), q.answer_texts()[0]
    assert isinstance(q, Basic)
    return flat(q.stem), flat(q.answer)


def render(job: Job) -> Rendered:
    lines = ["\t".join(card(q)) + "\n" for q in job.bank.questions]
    return Rendered(((job.target, "".join(lines).encode("utf-8")),))
