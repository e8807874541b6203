"""The bank's only inline markup: ``**bold**`` and ``*italic*``.

Text is split into :class:`Span` runs; each output escapes the runs its own way (HTML for
Anki, JSON data for the Typst template), so nothing in a question — ``<script>``, ``#``,
``$``, braces — can become markup of the output. An unpaired ``*`` is literal text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|\*(?=[^\s*])(.+?)(?<=[^\s*])\*", re.DOTALL)


# What html.escape(text, quote=True) does, as one translate (and without importing html,
# whose entity tables the quiz never needs).
_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def escape_html(text: str) -> str:
    return text.translate(_HTML_ESCAPES)


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False


def parse(text: str) -> list[Span]:
    """Runs of plain, bold and italic text (bold may contain italic and vice versa)."""
    return _parse(text, bold=False, italic=False)


def _parse(text: str, *, bold: bool, italic: bool) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() > pos:
            spans.append(Span(text[pos : m.start()], bold, italic))
        if m.group(1) is not None:
            spans.extend(_parse(m.group(1), bold=True, italic=italic))
        else:
            spans.extend(_parse(m.group(2), bold=bold, italic=True))
        pos = m.end()
    if pos < len(text):
        spans.append(Span(text[pos:], bold, italic))
    return spans


def plain(text: str) -> str:
    """The text without markup (for search, lints and plain-text outputs)."""
    return "".join(s.text for s in parse(text))


def to_html(text: str, *, escapes: dict[int, str] = _HTML_ESCAPES, newline: str = "<br>") -> str:
    """Escaped HTML with <b> and <i> for the markup; line breaks become ``newline``.
    ``escapes`` is the translate table of the characters to escape (outputs that need more
    or fewer than :func:`escape_html` give their own)."""
    out = []
    for span in parse(text):
        piece = span.text.translate(escapes).replace("\n", newline)
        if span.italic:
            piece = f"<i>{piece}</i>"
        if span.bold:
            piece = f"<b>{piece}</b>"
        out.append(piece)
    return "".join(out)


def to_data(text: str) -> list[dict[str, object]]:
    """JSON-ready runs for the Typst template: [{"t": text, "b": bold, "i": italic}]."""
    return [{"t": s.text, "b": s.bold, "i": s.italic} for s in parse(text)]
