"""``questions.lock``: per question (and per note type) a content hash and the time that
content last changed.

Anki updates an existing note on re-import only when the incoming modification time is
strictly newer, so each note must carry the time *its own* content changed, not the build
time. The lock remembers it between builds and is committed beside the bank::

    {
      "format": 2,
      "notetypes": {"mcq": {"hash": "…", "mtime": 1767225600}},
      "questions": {
        "relapse-early-peak": {"hash": "3f0c…", "mtime": 1767225600, "notetype": "mcq"},
        "drugs-size-cloze": {"cards": [0, 1], "hash": "…", "mtime": 1767225600, "notetype": "cloze"}
      }
    }

A question also keeps its note type and, when they are not just card 0, its card numbers:
that is what a later build needs to ship a *withdrawn* note under the same GUID with the
same cards once the question is gone from the bank. Format 1 (hash and mtime only) is
still read; the next build fills in the note types of the questions it has.

Entries are never dropped: a build of a filtered bank keeps the others as they were.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from operator import itemgetter
from pathlib import Path
from typing import Any

from .files import write_atomically

LOCK_FORMAT = 2
READS = (1, 2)  # format 1: no note types yet
SECTIONS = ("notetypes", "questions")
_HASH = re.compile(r"[0-9a-f]{16}")
_MAX_MTIME = 2**53  # far beyond any real time; keeps JSON numbers exact everywhere
_NOTETYPE = re.compile(r"[a-z][a-z0-9-]{0,31}")
_MAX_CARD = 499  # Anki's cloze numbers stop at c500


class LockError(Exception):
    """The lock file is damaged: not JSON, or not the shape this version writes."""


class Status(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Stamp:
    """A content hash and the time (seconds since the epoch) that content last changed; for
    a question, its note type and card numbers when known (what a withdrawn note needs)."""

    hash: str
    mtime: int
    notetype: str | None = None
    cards: tuple[int, ...] = ()  # card ords; () means card 0 only


@dataclass
class Lock:
    """Every stamp by section ("notetypes", "questions") and key."""

    sections: dict[str, dict[str, Stamp]] = field(default_factory=lambda: {s: {} for s in SECTIONS})

    def stamp(
        self,
        section: str,
        key: str,
        digest: str,
        now: int,
        *,
        notetype: str | None = None,
        cards: tuple[int, ...] = (),
    ) -> tuple[Stamp, Status]:
        """The stamp for content with this digest, recording it; an unchanged digest keeps
        its time, a changed one takes ``now`` but always moves strictly forward. The note
        type and cards are recorded as given (an unchanged digest may fill them in)."""
        entries = self.sections[section]
        old = entries.get(key)
        cards = () if cards == (0,) else cards
        if old is not None and old.hash == digest:
            if (old.notetype, old.cards) != (notetype, cards):
                entries[key] = Stamp(old.hash, old.mtime, notetype, cards)
            return entries[key], Status.UNCHANGED
        mtime = now if old is None else max(now, old.mtime + 1)
        entries[key] = Stamp(digest, mtime, notetype, cards)
        return entries[key], Status.NEW if old is None else Status.CHANGED

    def get(self, section: str, key: str) -> Stamp | None:
        """The stamp recorded for ``key``, or None."""
        return self.sections[section].get(key)

    def learn(self, key: str, notetype: str, cards: tuple[int, ...]) -> bool:
        """Record the note type and cards of question ``key`` where the lock has none (a
        format-1 entry), keeping its hash and time; True if it learned something."""
        old = self.sections["questions"].get(key)
        if old is None or old.notetype is not None:
            return False
        self.sections["questions"][key] = Stamp(old.hash, old.mtime, notetype, () if cards == (0,) else cards)
        return True

    def newest(self) -> int | None:
        """The latest time in the lock (None when it is empty): a reproducible build's epoch."""
        return max((s.mtime for entries in self.sections.values() for s in entries.values()), default=None)

    def to_json(self) -> str:
        """``json.dumps(…, sort_keys=True, indent=2, ensure_ascii=False)`` of the lock, plus a
        newline. Written out by hand: with ``indent`` the json module falls back to its
        pure-Python encoder, which is slow for ten thousand entries."""
        top = {"format": str(LOCK_FORMAT)} | {
            section: _entries(entries) for section, entries in self.sections.items()
        }
        body = ",\n".join(f"  {_string(key)}: {top[key]}" for key in sorted(top))
        return "{\n" + body + "\n}\n"


def _entries(entries: dict[str, Stamp]) -> str:
    """One section as ``json.dumps`` writes it one level deep with ``indent=2``."""
    if not entries:
        return "{}"
    rows = ",\n".join(
        f"    {_string(key)}: {{\n{_members(s)}\n    }}"
        for key, s in sorted(entries.items(), key=itemgetter(0))
    )
    return "{\n" + rows + "\n  }"


def _members(s: Stamp) -> str:
    """A stamp's members, sorted by key, as ``json.dumps`` indents them three levels deep."""
    members = []
    if s.cards:
        members.append('"cards": [\n' + ",\n".join(f"        {c}" for c in s.cards) + "\n      ]")
    members += [f'"hash": {_string(s.hash)}', f'"mtime": {s.mtime}']
    if s.notetype is not None:
        members.append(f'"notetype": {_string(s.notetype)}')
    return ",\n".join(f"      {m}" for m in members)


_string: Callable[[str], str] = json.encoder.encode_basestring  # what ensure_ascii=False uses


def read_lock(path: Path) -> Lock:
    """The lock at ``path``; an empty one when the file does not exist.

    Raises LockError naming the file and what is wrong with it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Lock()
    except OSError as e:
        raise LockError(f"{path}: cannot read the lock: {e.strerror}") from None
    try:
        tree = json.loads(data.decode("utf-8"), object_pairs_hook=_no_duplicates)
    except UnicodeDecodeError as e:
        raise LockError(f"{path}: not UTF-8 (byte {e.start}); {_ADVICE}") from None
    except json.JSONDecodeError as e:
        raise LockError(f"{path}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}; {_ADVICE}") from None
    except _DuplicateKey as e:
        raise LockError(f"{path}: key '{e.args[0]}' appears twice; {_ADVICE}") from None
    try:
        return _parse(tree)
    except _Shape as e:
        raise LockError(f"{path}: {e.args[0]}; {_ADVICE}") from None


_ADVICE = "fix it (a merge conflict?) or restore it from version control"


def write_lock(path: Path, lock: Lock) -> bool:
    """Write the lock atomically unless the file already holds exactly this; True if written."""
    text = lock.to_json()
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_atomically(path, text.encode("utf-8"))
    return True


class _DuplicateKey(Exception):
    pass


class _Shape(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen = dict(pairs)
    if len(seen) == len(pairs):
        return seen  # no key twice: the common case, checked at C speed
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    raise AssertionError("unreachable: fewer keys than pairs means a key repeats")


def _parse(tree: object) -> Lock:
    if not isinstance(tree, dict):
        raise _Shape(f"expected a JSON object at the top, found {_kind(tree)}")
    expected = {"format", *SECTIONS}
    if set(tree) != expected:
        missing, unknown = sorted(expected - set(tree)), sorted(set(tree) - expected)
        parts = [
            f"{label} {', '.join(keys)}"
            for label, keys in (("missing", missing), ("unknown", unknown))
            if keys
        ]
        raise _Shape(f"expected keys format, notetypes, questions: {'; '.join(parts)}")
    version = tree["format"]
    if type(version) is not int or version not in READS:
        raise _Shape(f"format {json.dumps(version)} is not supported (this her2quiz writes {LOCK_FORMAT})")
    return Lock({section: _section(section, tree[section], version) for section in SECTIONS})


def _section(name: str, entries: object, version: int) -> dict[str, Stamp]:
    if not isinstance(entries, dict):
        raise _Shape(f"'{name}' must be an object, found {_kind(entries)}")
    return {key: _stamp(name, key, value, version) for key, value in entries.items()}


_REQUIRED = {"hash", "mtime"}
_OPTIONAL = {"notetype", "cards"}


def _stamp(section: str, key: str, value: object, version: int) -> Stamp:
    optional = _OPTIONAL if version >= 2 and section == "questions" else set()
    if not isinstance(value, Mapping) or not _REQUIRED <= set(value) <= _REQUIRED | optional:
        also = " (and optionally 'notetype', 'cards')" if optional else ""
        raise _Shape(f"{section}['{key}'] must be an object with exactly 'hash' and 'mtime'{also}")
    digest, mtime = value["hash"], value["mtime"]
    if not isinstance(digest, str) or not _HASH.fullmatch(digest):
        raise _Shape(f"{section}['{key}']: hash must be 16 lowercase hex digits, found {json.dumps(digest)}")
    if type(mtime) is not int or not 0 <= mtime < _MAX_MTIME:
        raise _Shape(
            f"{section}['{key}']: mtime must be a whole number of seconds, found {json.dumps(mtime)}"
        )
    notetype = value.get("notetype")
    if notetype is not None and not (isinstance(notetype, str) and _NOTETYPE.fullmatch(notetype)):
        raise _Shape(f"{section}['{key}']: notetype must be a note type key, found {json.dumps(notetype)}")
    cards = value.get("cards", [])
    if not (
        isinstance(cards, list)
        and all(type(c) is int and 0 <= c <= _MAX_CARD for c in cards)
        and cards == sorted(set(cards))
    ):
        raise _Shape(
            f"{section}['{key}']: cards must be ascending card numbers 0 to {_MAX_CARD}, found {json.dumps(cards)}"
        )
    return Stamp(digest, mtime, notetype, () if cards == [0] else tuple(cards))


def _kind(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")
