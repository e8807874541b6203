"""Flashcard rules (the minimum information principle): W320-W323, one short fact a card."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .item import Finding, Item, rule
from .text import clip

CLOZE_MAX_WORDS = 5  # W320
CLOZE_MAX_DELETIONS = 3  # W321
BASIC_MAX_WORDS = 25  # W322
LIST_MIN_ITEMS = 3  # W323
LIST_ITEM_MAX_WORDS = 4  # W323: longer comma-separated parts are clauses, not items

_LIST_SPLIT = re.compile(r"\s*(?<!\d)[,;]\s*|\s*[,;](?!\d)\s*|\s+(?:and|or)\s+|\s*\n\s*(?:[-•*]\s*)?")
_LIST_HINTS = (",", ";", "\n", "and", "or")  # what _LIST_SPLIT splits at holds one of these


def cloze_deletions(item: Item) -> Sequence[Finding]:
    """W320, W321: short deletions, few per cloze."""
    found = []
    dels = item.dels
    for d, answer in zip(dels, item.answers, strict=True):
        n = len(answer.split())
        if n > CLOZE_MAX_WORDS:
            found.append(
                Finding(
                    "W320",
                    "text",
                    f"deletion c{int(d[1])} '{clip(answer)}' is {n} words; delete at most "
                    f"{CLOZE_MAX_WORDS} — the key term — and leave the rest as context",
                )
            )
    if len(dels) > CLOZE_MAX_DELETIONS:
        found.append(
            Finding(
                "W321",
                "text",
                f"the cloze has {len(dels)} deletions; keep at most {CLOZE_MAX_DELETIONS} "
                "(split it into several questions)",
            )
        )
    return found


def list_items(text: str) -> list[str]:
    """The parts of a list answer ('A, B and C'); [] when a part is a clause, not an item."""
    # Most answers hold no separator: testing for one before splitting saves 3% (10 ms).
    if not any(map(text.__contains__, _LIST_HINTS)):
        return []
    parts = [p for p in _LIST_SPLIT.split(text.strip().rstrip(".")) if p.strip()]
    if len(parts) < LIST_MIN_ITEMS or any(len(p.split()) > LIST_ITEM_MAX_WORDS for p in parts):
        return []
    return parts


def basic_answer(item: Item) -> Sequence[Finding]:
    """W322, W323: one short answer per card."""
    found = []
    text = item.answers[0]
    n = len(text.split())
    if n > BASIC_MAX_WORDS:
        found.append(
            Finding(
                "W322",
                "answer",
                f"the answer is {n} words; keep it under {BASIC_MAX_WORDS + 1} (one fact per card: move "
                "the rest to explain)",
            )
        )
    parts = list_items(text)
    if parts:
        found.append(
            Finding(
                "W323",
                "answer",
                f"the answer lists {len(parts)} items; a list is hard to recall as one card — ask it as a "
                "multi, or one cloze deletion per item",
            )
        )
    return found


RULES = (rule(cloze_deletions, "cloze"), rule(basic_answer, "basic"))
