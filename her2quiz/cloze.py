"""Anki cloze deletions: ``{{c1::answer}}`` and ``{{c1::answer::hint}}``."""

from __future__ import annotations

import re
from dataclasses import dataclass

CLOZE = re.compile(r"\{\{c([0-9]+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)  # ASCII digits: Anki reads no others
MAX_NUMBER = 499  # the highest cN this tool writes (one card each; Anki's own limit is higher)


@dataclass(frozen=True)
class Deletion:
    number: int
    answer: str
    hint: str | None
    start: int  # offset of "{{" in the text
    end: int


def deletions(text: str) -> list[Deletion]:
    """The deletions of a cloze text, in reading order."""
    return [
        Deletion(int(m.group(1)), m.group(2), m.group(3), m.start(), m.end()) for m in CLOZE.finditer(text)
    ]


def numbers(text: str) -> list[int]:
    """The distinct cN numbers, ascending: one Anki card each."""
    return sorted({d.number for d in deletions(text)})


def problems(text: str) -> list[tuple[int, str]]:
    """(offset, message) for each way the text is not a well-formed cloze."""
    found: list[tuple[int, str]] = []
    depth = 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                found.append((i, "unbalanced braces: '}' with no '{' before it"))
                depth = 0
    if depth > 0:
        found.append((text.rfind("{"), f"unbalanced braces: {depth} '{{' never closed"))
    if found:
        return found
    dels = deletions(text)
    for d in dels:
        if not d.answer.strip():
            found.append((d.start, f"deletion c{d.number} is empty"))
        elif "{" in d.answer or "}" in d.answer:
            found.append((d.start, f"deletion c{d.number} contains a brace"))
        if not 1 <= d.number <= MAX_NUMBER:
            found.append((d.start, f"cloze number c{d.number} out of range; expected c1 to c{MAX_NUMBER}"))
    spans = [(d.start, d.end) for d in dels]
    for m in re.finditer(r"\{\{", text):
        if not any(start <= m.start() < end for start, end in spans):
            found.append((m.start(), "malformed cloze mark; expected {{c1::answer}} or {{c1::answer::hint}}"))
    if not dels and not found:
        found.append((0, "cloze text has no deletion; mark one as {{c1::answer}}"))
    return found


def placeholder(text: str) -> str:
    """A private-use character that ``text`` does not hold: it stands for each deletion
    while the text around the deletions is parsed for markup."""
    return next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)


def outside(text: str) -> tuple[str, str, list[Deletion]]:
    """The text with each deletion replaced by one placeholder character, that character,
    and the deletions in order. Every output parses the markup of this text, so markup
    that spans a deletion (``**a {{c1::b}} c**``) pairs up, and markup cut by one
    (``*a {{c1::b* c}}``) stays literal, alike in Anki and in the PDF."""
    found = deletions(text)
    slot = placeholder(text)
    pieces, pos = [], 0
    for d in found:
        pieces.append(text[pos : d.start])
        pos = d.end
    pieces.append(text[pos:])
    return slot.join(pieces), slot, found
