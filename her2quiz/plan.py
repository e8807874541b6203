"""The quiz plan: per version, per number, the question id, its printed option order and
the correct letters (or the expected texts). Plain data, no I/O but :func:`read_plan`.

The quiz PDF, the key, ``plan.json`` and grading all read one plan, so a key cannot drift
from what was printed. ``plan.json`` carries :data:`PLAN_FORMAT`; :func:`read_plan` refuses
any other, and every other malformation, with a located :class:`PlanError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bank import KINDS, LETTERS, Kind, kind_facts
from .diagnostics import InputFileError

PLAN_FORMAT = 2  # 1: the unversioned plan.json of 0.1 (no "format" key, no points)
MAX_PLAN_BYTES = 64 * 1024 * 1024


class PlanError(InputFileError):
    """A plan.json that cannot be read back; ``str()`` names the file and the place."""


@dataclass(frozen=True)
class PlanItem:
    """One numbered question of one version, as printed."""

    number: int
    id: str
    kind: Kind
    options: tuple[str, ...] = ()  # printed order (choice kinds)
    correct: tuple[str, ...] = ()  # letters of the correct options
    answers: tuple[str, ...] = ()  # expected texts (cloze, basic)
    accepted: tuple[tuple[str, ...], ...] = ()  # per expected text, its accepted alternatives
    points: int = 1

    @property
    def is_choice(self) -> bool:
        return kind_facts(self.kind).choice

    def letter_texts(self) -> list[tuple[str, str]]:
        """(letter, option text) for each correct option."""
        return [(letter, self.options[LETTERS.index(letter)]) for letter in self.correct]

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"number": self.number, "id": self.id, "kind": self.kind}
        if self.is_choice:
            data["options"] = list(self.options)
            data["correct"] = list(self.correct)
        else:
            data["answers"] = list(self.answers)
            data["accepted"] = [list(a) for a in self.accepted]
        data["points"] = self.points
        return data


@dataclass(frozen=True)
class PlanVersion:
    """One version (A, B, …): its items in printed order."""

    label: str
    items: tuple[PlanItem, ...]

    @property
    def points(self) -> int:
        return sum(item.points for item in self.items)

    def to_dict(self) -> dict[str, object]:
        return {"label": self.label, "points": self.points, "items": [item.to_dict() for item in self.items]}


@dataclass(frozen=True)
class Plan:
    """The whole quiz: ``to_dict()`` is the ``plan.json`` document.

    ``bank_id`` names the bank (its ``bank.id``); ``bank`` is the short hash of the bank file
    printed in every footer. ``warnings`` (not part of the JSON) says when the plan is not
    what was asked for.
    """

    seed: int
    bank: str
    versions: tuple[PlanVersion, ...]
    bank_id: str = ""
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def ids(self) -> tuple[str, ...]:
        """The sampled question ids, in the order of version A."""
        return tuple(item.id for item in self.versions[0].items) if self.versions else ()

    def version(self, label: str) -> PlanVersion | None:
        return next((v for v in self.versions if v.label == label), None)

    def to_dict(self) -> dict[str, object]:
        return {
            "format": PLAN_FORMAT,
            "bank_id": self.bank_id,
            "bank": self.bank,
            "seed": self.seed,
            "versions": [v.to_dict() for v in self.versions],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


# -- reading back ---------------------------------------------------------------------


def read_plan(path: str | Path) -> Plan:
    """The plan in ``path`` (a ``plan.json`` that ``quiz --plan`` wrote), or PlanError."""
    path = Path(path)
    try:
        if not path.is_file():
            raise PlanError(f"{path}: not a file")
        if path.stat().st_size > MAX_PLAN_BYTES:
            raise PlanError(f"{path}: larger than {MAX_PLAN_BYTES // (1024 * 1024)} MiB; not a plan")
        text = path.read_bytes().decode("utf-8")
    except OSError as e:
        raise PlanError(f"{path}: cannot read: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise PlanError(f"{path}: not UTF-8 (byte {e.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise PlanError(f"{path}:{e.lineno}:{e.colno}: not JSON: {e.msg}") from None
    return plan_from_dict(data, str(path))


def plan_from_dict(data: Any, where: str = "plan.json") -> Plan:
    """A plan from its JSON document; PlanError names the first field at fault."""
    reader = _Reader(where)
    root = reader.mapping(data, "the plan")
    found = root.get("format")
    if found != PLAN_FORMAT:
        raise PlanError(
            f"{where}: plan format {found!r}; this her2quiz reads format {PLAN_FORMAT} "
            "(write the plan again with 'her2quiz quiz --plan')"
        )
    versions = tuple(
        _version(reader, v, f"versions[{i}]")
        for i, v in enumerate(reader.items(root, "versions", "the plan"))
    )
    if not versions:
        raise PlanError(f"{where}: the plan has no versions")
    labels = [v.label for v in versions]
    if len(set(labels)) != len(labels):
        raise PlanError(f"{where}: a version label repeats ({', '.join(labels)})")
    return Plan(
        seed=reader.integer(root, "seed", "the plan"),
        bank=reader.text(root, "bank", "the plan"),
        bank_id=reader.text(root, "bank_id", "the plan"),
        versions=versions,
    )


def _version(reader: _Reader, data: Any, at: str) -> PlanVersion:
    node = reader.mapping(data, at)
    label = reader.text(node, "label", at)
    if len(label) != 1 or label not in LETTERS:
        raise PlanError(f"{reader.where}: {at}.label is {label!r}; expected a letter A-Z")
    items = tuple(
        _item(reader, item, f"{at}.items[{i}]") for i, item in enumerate(reader.items(node, "items", at))
    )
    numbers = [item.number for item in items]
    if numbers != list(range(1, len(items) + 1)):
        raise PlanError(f"{reader.where}: {at}: items are not numbered 1 to {len(items)}")
    return PlanVersion(label, items)


def _item(reader: _Reader, data: Any, at: str) -> PlanItem:
    node = reader.mapping(data, at)
    kind = reader.text(node, "kind", at)
    if kind not in KINDS:
        raise PlanError(f"{reader.where}: {at}.kind is {kind!r}; expected one of {', '.join(KINDS)}")
    number, qid, points = reader.integer(node, "number", at), reader.text(node, "id", at), 1
    if "points" in node:
        points = reader.integer(node, "points", at)
    if kind_facts(kind).choice:
        options = tuple(reader.texts(node, "options", at))
        correct = tuple(reader.texts(node, "correct", at))
        if not 2 <= len(options) <= len(LETTERS):
            raise PlanError(f"{reader.where}: {at} has {len(options)} options; expected 2 to {len(LETTERS)}")
        bad = [c for c in correct if c not in LETTERS[: len(options)]]
        if bad or not correct:
            raise PlanError(
                f"{reader.where}: {at}.correct is {list(correct)}; expected letters of its options"
            )
        return PlanItem(number, qid, kind, options, correct, points=points)
    answers = tuple(reader.texts(node, "answers", at))
    accepted_node = node.get("accepted", [[] for _ in answers])
    if not isinstance(accepted_node, list) or len(accepted_node) != len(answers):
        raise PlanError(f"{reader.where}: {at}.accepted must list one list per answer")
    accepted = tuple(tuple(reader.texts({"accepted": a}, "accepted", at)) for a in accepted_node)
    return PlanItem(number, qid, kind, answers=answers, accepted=accepted, points=points)


@dataclass
class _Reader:
    where: str

    def mapping(self, value: Any, at: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise PlanError(f"{self.where}: {at} must be an object")
        return value

    def items(self, node: dict[str, Any], key: str, at: str) -> list[Any]:
        value = node.get(key)
        if not isinstance(value, list):
            raise PlanError(f"{self.where}: {at}: '{key}' must be a list")
        return value

    def text(self, node: dict[str, Any], key: str, at: str) -> str:
        value = node.get(key)
        if not isinstance(value, str):
            raise PlanError(f"{self.where}: {at}: '{key}' must be text")
        return value

    def texts(self, node: dict[str, Any], key: str, at: str) -> list[str]:
        values = self.items(node, key, at)
        if not all(isinstance(v, str) for v in values):
            raise PlanError(f"{self.where}: {at}: every item of '{key}' must be text")
        return values

    def integer(self, node: dict[str, Any], key: str, at: str) -> int:
        value = node.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise PlanError(f"{self.where}: {at}: '{key}' must be a whole number")
        return value
