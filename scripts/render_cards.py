"""Render cards as a learner sees them: build the deck, import it into a fresh Anki
collection (the real engine, from PyPI), and screenshot the HTML Anki produces for each
card's front and back with headless Chromium — day and night mode at desktop width, and
day and night at phone width with ``.mobile``.

    .venv/bin/python scripts/render_cards.py [BANK] [-o out/cards] [--id ID]... [--per-kind N]

Needs ``chromium`` (Debian: ``apt-get install chromium``) and the ``anki`` package. Writes
PNGs and the HTML they came from into the output folder; the bank's own questions.lock is
never touched (the build uses a throwaway lock).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from anki.collection import Collection
from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

from her2quiz.api import require_bank
from her2quiz.formats.anki import build_deck

if TYPE_CHECKING:
    from anki.cards import Card  # importing it before anki.collection is circular


@dataclass(frozen=True)
class View:
    name: str
    width: int
    height: int
    classes: str


VIEWS = (
    View("day", 820, 1300, ""),
    View("night", 820, 1300, "nightMode night_mode"),
    View("phone", 390, 1700, "mobile"),
    View("phone-night", 390, 1700, "mobile nightMode night_mode"),
)
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)
PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body class="card card{ord} {classes}"><div id="qa">{html}</div></body></html>
"""


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        print("chromium not found (apt-get install chromium)", file=sys.stderr)
        return 2
    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        col = imported_collection(args.bank, args.sources, Path(tmp))
        try:
            cards = pick_cards(col, args.id, args.per_kind)
            for card in cards:
                render_card(card, args.output, browser, Path(tmp) / "profile")
        finally:
            col.close()
    print(f"wrote {len(cards) * len(VIEWS) * 2} PNGs to {args.output}")
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bank", nargs="?", type=Path, default=Path("questions.yaml"))
    parser.add_argument("-o", "--output", type=Path, default=Path("out/cards"))
    parser.add_argument("--sources", type=Path, default=None, help="Source texts [default: beside BANK].")
    parser.add_argument("--id", action="append", default=[], help="Render this question (repeatable).")
    parser.add_argument("--per-kind", type=int, default=1, help="Cards per kind when no --id is given.")
    return parser.parse_args(argv)


def imported_collection(bank_path: Path, sources: Path | None, tmp: Path) -> Collection:
    bank = require_bank(bank_path, sources=sources)
    result = build_deck(bank, tmp / f"{bank.id}.apkg", lock_path=tmp / "questions.lock", epoch=1_767_225_600)
    (tmp / "collection").mkdir()
    col = Collection(str(tmp / "collection" / "collection.anki2"))
    request = ImportAnkiPackageRequest(package_path=str(result.path), options=ImportAnkiPackageOptions())
    col.import_anki_package(request)
    return col


def pick_cards(col: Collection, ids: list[str], per_kind: int) -> list[Card]:
    """The cards of the given question ids, or the first ``per_kind`` cards of each kind."""
    picked: list[Card] = []
    seen: dict[str, int] = {}
    for cid in sorted(col.find_cards("")):
        card = col.get_card(cid)
        qid = card.note()["Id"]
        kind = next(t.rsplit("::", 1)[1] for t in card.note().tags if "::kind::" in t)
        if ids and qid not in ids:
            continue
        if not ids and seen.get(kind, 0) >= per_kind:
            continue
        seen[kind] = seen.get(kind, 0) + 1
        picked.append(card)
    return picked


def render_card(card: Card, out: Path, browser: str, profile: Path) -> None:
    stem = f"{card.note()['Id']}-c{card.ord + 1}"
    for side, html in (("front", card.question()), ("back", card.answer())):
        for view in VIEWS:
            page = out / f"{stem}-{side}-{view.name}.html"
            page.write_text(PAGE.format(ord=card.ord + 1, classes=view.classes, html=html), encoding="utf-8")
            screenshot(browser, page, page.with_suffix(".png"), view, profile)


def screenshot(browser: str, page: Path, png: Path, view: View, profile: Path) -> None:
    command = [
        browser,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        f"--window-size={view.width},{view.height}",
        f"--screenshot={png.resolve()}",
        page.resolve().as_uri(),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120)


if __name__ == "__main__":
    sys.exit(main())
