"""Generated banks for the quiz tests: n questions of every kind, each text unique and
easy to find in a PDF's text ("Stem 007", "Right 007", …). Quotes are from the demo source.

With ``families=k`` question i belongs to family ``fact-{i % k}`` (so families cross topics,
kinds and difficulties); with ``extras=True`` the source has a date and a status, every
fourth question a context note ("Since then: Later 004.") and written answers accepted
alternatives ("Basic 005 alt")."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from her2quiz.api import require_bank
from her2quiz.bank import Bank

SOURCES = Path(__file__).parent / "fixtures" / "sources"
QUOTE = "early peak of relapses in the first 4 years after surgery"
CONTEXT_QUOTE = "Some experts recommend FISH as the primary testing modality"
TOPICS = {"relapse": "Relapse timing", "testing": "Testing methods", "drugs": "Drug mechanisms"}
LEVELS = ("easy", "medium", "hard")


def question(i: int, topic: str, *, families: int = 0, extras: bool = False) -> dict[str, object]:
    """Question i (1-based): the kind cycles mcq, multi, truefalse, cloze, basic."""
    n = f"{i:03d}"
    common: dict[str, object] = {
        "id": f"{topic}-q{n}",
        "topic": topic,
        "difficulty": LEVELS[(i // 3) % 3],
        "explain": f"Explanation {n}.",
        "cite": [{"source": "demo", "quote": QUOTE}],
    }
    kind = ("mcq", "multi", "truefalse", "cloze", "basic")[(i - 1) % 5]
    if kind == "mcq":
        body = {
            "stem": f"Stem {n}: which one?",
            "answer": f"Right {n}",
            "distractors": [f"Wrong {n} {x}" for x in "xyz"],
        }
    elif kind == "multi":
        body = {
            "stem": f"Stem {n}: which ones?",
            "answers": [f"Right {n} a", f"Right {n} b"],
            "distractors": [f"Wrong {n} x", f"Wrong {n} y"],
        }
    elif kind == "truefalse":
        body = {"statement": f"Stem {n}: this is {'true' if i % 2 else 'false'}.", "answer": bool(i % 2)}
    elif kind == "cloze":
        body = {"text": f"Stem {n}: alpha is {{{{c1::Alpha {n}}}}} and beta {{{{c2::Beta {n}::hint}}}}."}
        if extras:
            body["accept"] = {f"Alpha {n}": [f"Alpha {n} alt", f"alpha-{n}"]}
    else:
        body = {"stem": f"Stem {n}: what is it?", "answer": f"Basic {n}"}
        if extras:
            body["accept"] = [f"Basic {n} alt"]
    if families:
        common["family"] = f"fact-{i % families}"
    if extras and i % 4 == 0:
        common["context"] = {"text": f"Later {n}.", "cite": [{"source": "demo", "quote": CONTEXT_QUOTE}]}
    return {"id": common.pop("id"), "kind": kind, **common, **body}


def bank_text(
    n: int,
    *,
    extra: list[dict[str, object]] = (),
    title: str = "Generated bank",
    families: int = 0,
    extras: bool = False,
) -> str:
    """A valid bank of n generated questions (topics in turn), plus ``extra`` questions."""
    topics = list(TOPICS)
    source: dict[str, str] = {"cite": "Demo source for the her2quiz test suite (2026).", "file": "demo.txt"}
    if extras:
        source |= {"date": "2026-03", "status": "pending human review"}
    data = {
        "bank": {"id": "gen", "title": title, "deck": "Generated"},
        "topics": TOPICS,
        "sources": {"demo": source},
        "questions": [
            question(i, topics[(i - 1) % len(topics)], families=families, extras=extras)
            for i in range(1, n + 1)
        ]
        + list(extra),
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def write(folder: Path, text: str, name: str = "questions.yaml") -> Path:
    """Write the bank into ``folder`` with the demo sources beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "sources").exists():
        shutil.copytree(SOURCES, folder / "sources")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load(folder: Path, text: str, name: str = "questions.yaml") -> Bank:
    """Write the bank into ``folder`` and load it (it must be valid)."""
    return require_bank(write(folder, text, name))
