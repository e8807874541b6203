"""A question's ``allow: {CODE: reason}``: what it silences, and W350/W351 when it is wrong."""

from __future__ import annotations

from collections import Counter

from ..bank import AnyQuestion
from .codes import ABOUT_ALLOWS, CODES
from .item import Finding

_SILENCEABLE = tuple(sorted(c for c in CODES if c not in ABOUT_ALLOWS))
_RANGE = f"{_SILENCEABLE[0]}-{_SILENCEABLE[-1]}"


def apply_allows(q: AnyQuestion, findings: list[Finding]) -> tuple[list[Finding], Counter[str]]:
    """The findings no allow silences, with W350/W351 for allows that are wrong; and how
    many findings each code had silenced."""
    fired = {f.code for f in findings}
    kept = [f for f in findings if f.code not in q.allow]
    silenced = Counter(f.code for f in findings if f.code in q.allow)
    for code, reason in q.allow.items():
        where = f"allow.{code}" if f"allow.{code}" in q.where else "allow"
        if code not in _SILENCEABLE:
            kept.append(Finding("W351", where, f"allow {code} is not a lint code; lint codes are {_RANGE}"))
        elif code not in fired:
            kept.append(
                Finding(
                    "W351",
                    where,
                    f"allow {code} is unused: {code} ({CODES[code]}) does not fire on this question; "
                    "remove it",
                )
            )
        elif not reason.strip():
            message = f"allow {code} has no reason; say why the warning does not apply here"
            kept.append(Finding("W350", where, message))
    return kept, silenced
