"""Evidence rules: a question says only what its quotes support (W330 numbers, W331
hedges), explains its answer (W332), and shares a quote only within its family (W341).

(The module that matches quotes against source texts is :mod:`her2quiz.evidence`.)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..bank import AnyQuestion
from ..evidence import normalise
from .item import MAY_HEDGE, MAY_OPTION_DIGIT, MAY_STATED_DIGIT, NONE, Finding, Item, rule
from .text import numbers_in

HEDGE_HINTS = ("may", "might", "could", "potential", "possib", "suggest", "some", "preliminary")
_HEDGE_IN_QUOTE = re.compile(
    r"\b(?:may(?!\s+\d)|might|could|potentially|potential(?=\s+[a-z])(?!\s+(?:of|and|or|in|for|to|is|was)\b)"
    r"|suggest\w*|possibility|possibly|(?<!when\s)(?<!where\s)(?<!if\s)(?<!as\s)possible"
    r"|some\s+experts|preliminary)\b",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:may|might|could|can|potential\w*|suggest\w*|possib\w*|propos\w*|hypothes\w*|some\s+experts"
    r"|preliminary|likely|unlikely|appears?|seems?|believed?|uncertain|unknown|unclear|speculat\w*"
    r"|not\s+(?:yet\s+)?(?:established|proven|known))\b",
    re.IGNORECASE,
)


def unsupported_numbers(item: Item) -> Sequence[Finding]:
    """W330: every number the question asserts or explains is in one of its quotes."""
    if not item.may & (MAY_STATED_DIGIT | MAY_OPTION_DIGIT):
        return NONE  # a number needs a digit (a choice question states its answers: options)
    stated = [
        (f, found) for f, text in [*item.asserted, ("explain", item.explain)] if (found := numbers_in(text))
    ]
    if not stated:
        return NONE
    quoted = {n for quote in item.quotes for n in numbers_in(quote)}
    seen: set[str] = set()
    findings = []
    for f, found in stated:
        missing = [n for n in found if n not in quoted and n not in seen]
        if missing:
            seen.update(missing)
            listed = ", ".join(missing)
            findings.append(
                Finding(
                    "W330",
                    f,
                    f"{'number' if len(missing) == 1 else 'numbers'} {listed} in the "
                    f"{_field_name(f)} {'is' if len(missing) == 1 else 'are'} in none of the question's "
                    "quotes; quote the passage that gives it, or correct it",
                )
            )
    return findings


def _field_name(f: str) -> str:
    if f.startswith("answers") or f == "answer":
        return "answer"
    return {"text": "cloze text", "explain": "explanation"}.get(f, f)


def hedge_dropped(item: Item) -> Sequence[Finding]:
    """W331: the quote hedges (may, suggest, some experts…), the question does not."""
    if not item.may & MAY_HEDGE:
        return NONE
    for quote in item.quotes:
        m = _HEDGE_IN_QUOTE.search(quote)
        if m:
            break
    else:
        return NONE
    if any(_HEDGE.search(t) for t in [item.prompt, item.explain, *item.answers]):
        return NONE
    return [
        Finding(
            "W331",
            item.prompt_field,
            f"the quote hedges ('{m.group().lower()}') but the question states it as certain; keep a "
            "hedge (may, suggests, some experts …) in the question, answer or explanation",
        )
    ]


def no_explanation(item: Item) -> Sequence[Finding]:
    """W332: every question explains its answer."""
    if item.explain.strip():
        return NONE
    return [
        Finding("W332", "", "the question has no explanation; add `explain:` saying why the answer is right")
    ]


RULES = (rule(unsupported_numbers), rule(hedge_dropped), rule(no_explanation))


def quotes_across_families(questions: Sequence[AnyQuestion]) -> dict[int, list[Finding]]:
    """W341 at the later of two questions that cite the same quote (the same source, and
    the same text in :func:`her2quiz.evidence.normalise` form) but are in different
    families, or in none; it names the first such question. At most one per citation."""
    texts = list(map(normalise, [c.quote for q in questions for c in q.cite]))
    counts = Counter(texts)
    found: dict[int, list[Finding]] = {}
    if len(counts) == len(texts):
        return found  # the common case: no quote cited twice, whatever its source
    citing = [(i, j) for i, q in enumerate(questions) for j in range(len(q.cite))]
    # (source, quote) -> family -> the first question citing it in that family
    firsts: dict[tuple[str, str], dict[str | None, int]] = {}
    for text, (i, j) in zip(texts, citing, strict=True):
        if counts[text] < 2 or not text:
            continue
        q = questions[i]
        seen = firsts.setdefault((q.cite[j].source, text), {})
        others = [k for f, k in seen.items() if k != i and (f is None or f != q.family)]
        if others:
            other = questions[min(others)]
            finding = Finding("W341", f"cite.{j}.quote", _family_message(other, other.family, q.family))
            found.setdefault(i, []).append(finding)
        seen.setdefault(q.family, i)
    return found


def _family_message(other: AnyQuestion, theirs: str | None, ours: str | None) -> str:
    said = f"quote also cited by question '{other.id}' (line {other.line})"
    if theirs is None and ours is None:
        said += "; neither question has a family"
    elif theirs is None:
        said += f", which has no family (this one is in '{ours}')"
    elif ours is None:
        said += f", in family '{theirs}' (this one has none)"
    else:
        said += f", in family '{theirs}' (this one is in '{ours}')"
    return f"{said}; one passage is one fact: give both one family, or quote another passage"
