"""Render cards as a learner sees them: build the deck, import it into a fresh Anki
collection (the real engine, from PyPI), and show each card in headless Chromium the way
Anki's desktop reviewer does — the front's HTML put in one page and its scripts run, then
the back's in the same page — and screenshot both sides: day and night at desktop width,
day and night at phone width (``.mobile``).

    .venv/bin/python scripts/render_cards.py [BANK] [-o out/cards] [--id ID]... [--per-kind N]
        [--withdraw ID]...

``--withdraw ID`` renders the bank as if ID had been withdrawn since the last build (to see
a withdrawn note). Needs ``chromium`` and ``chromedriver`` (Debian: ``apt-get install
chromium chromium-driver``), ``selenium`` and the ``anki`` package. Writes PNGs and the
HTML they came from into the output folder; the bank's own questions.lock is never touched
(the build uses a throwaway lock).
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from anki.collection import Collection
from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest

from her2quiz.api import require_bank
from her2quiz.bank import Bank
from her2quiz.formats.anki import build_deck

if TYPE_CHECKING:
    from anki.cards import Card  # importing it before anki.collection is circular

EPOCH = 1_767_225_600


@dataclass(frozen=True)
class View:
    name: str
    width: int
    height: int
    classes: str


VIEWS = (
    View("day", 820, 1400, ""),
    View("night", 820, 1400, "nightMode night_mode"),
    View("phone", 390, 1800, "mobile"),
    View("phone-night", 390, 1800, "mobile nightMode night_mode"),
)
FLAGS = (
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
# One page for both sides, as in Anki's reviewer: #qa's HTML is replaced and its scripts re-run.
REVIEWER = """<!doctype html>
<html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body class="card {classes}"><div id="qa"></div><script>
window.showSide = function (html, ord) {{
  document.body.className = "card card" + ord + " {classes}";
  var qa = document.getElementById("qa");
  qa.innerHTML = html;
  Array.prototype.slice.call(qa.getElementsByTagName("script")).forEach(function (old) {{
    var s = document.createElement("script");
    s.appendChild(document.createTextNode(old.innerHTML));
    old.parentNode.replaceChild(s, old);
  }});
}};
</script></body></html>
"""


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    browser, driver_path = (
        shutil.which("chromium") or shutil.which("chromium-browser"),
        shutil.which("chromedriver"),
    )
    if browser is None or driver_path is None:
        print(
            "chromium or chromedriver not found (apt-get install chromium chromium-driver)", file=sys.stderr
        )
        return 2
    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        col = imported_collection(args.bank, args.sources, args.withdraw, Path(tmp))
        try:
            cards = pick_cards(col, args.id + args.withdraw, args.per_kind)
            with chromium(browser, driver_path, Path(tmp) / "profile") as driver:
                for view in VIEWS:
                    page = args.output / f"reviewer-{view.name}.html"
                    page.write_text(REVIEWER.format(classes=view.classes), encoding="utf-8")
                    driver.set_window_size(view.width, view.height)
                    driver.get(page.resolve().as_uri())
                    for card in cards:
                        render_card(driver, card, args.output, view)
        finally:
            col.close()
    print(f"wrote {len(cards) * len(VIEWS) * 2} PNGs to {args.output}")
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("bank", nargs="?", type=Path, default=Path("questions.yaml"))
    parser.add_argument("-o", "--output", type=Path, default=Path("out/cards"))
    parser.add_argument("--sources", type=Path, default=None, help="Source texts [default: beside BANK].")
    parser.add_argument("--id", action="append", default=[], help="Render this question (repeatable).")
    parser.add_argument("--per-kind", type=int, default=1, help="Cards per kind when no --id is given.")
    parser.add_argument(
        "--withdraw", action="append", default=[], help="Render ID as withdrawn (repeatable)."
    )
    return parser.parse_args(argv)


def imported_collection(bank_path: Path, sources: Path | None, withdraw: list[str], tmp: Path) -> Collection:
    bank = require_bank(bank_path, sources=sources)
    lock = tmp / "questions.lock"
    build_deck(bank, tmp / f"{bank.id}.apkg", lock_path=lock, epoch=EPOCH)
    (tmp / "collection").mkdir()
    col = Collection(str(tmp / "collection" / "collection.anki2"))
    import_package(col, tmp / f"{bank.id}.apkg")
    if withdraw:  # the next build, with those questions gone from the bank
        import_package(
            col, build_deck(without(bank, withdraw), tmp / "next.apkg", lock_path=lock, epoch=EPOCH + 1).path
        )
    return col


def without(bank: Bank, ids: list[str]) -> Bank:
    reasons = dict(bank.withdrawn) | {qid: "Shown withdrawn by render_cards.py --withdraw." for qid in ids}
    kept = tuple(q for q in bank.questions if q.id not in ids)
    return dataclasses.replace(bank, questions=kept, withdrawn=MappingProxyType(reasons))


def import_package(col: Collection, path: Path) -> None:
    col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    )


def pick_cards(col: Collection, ids: list[str], per_kind: int) -> list[Card]:
    """The cards of the given question ids, or the first ``per_kind`` cards of each kind."""
    picked: list[Card] = []
    seen: dict[str, int] = {}
    for cid in sorted(col.find_cards("")):
        card = col.get_card(cid)
        qid = card.note()["Id"]
        kinds = [t.rsplit("::", 1)[1] for t in card.note().tags if "::kind::" in t] or ["withdrawn"]
        if ids and qid not in ids:
            continue
        if not ids and seen.get(kinds[0], 0) >= per_kind:
            continue
        seen[kinds[0]] = seen.get(kinds[0], 0) + 1
        picked.append(card)
    return picked


@contextmanager
def chromium(browser: str, driver_path: str, profile: Path) -> Iterator[Any]:
    """A headless Chromium driven by Selenium, with its own profile; quits on exit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def render_card(driver: Any, card: Card, out: Path, view: View) -> None:
    """Front, then back in the same page (the back reads the order the front drew)."""
    stem = f"{card.note()['Id']}-c{card.ord + 1}"
    for side, html in (("front", card.question()), ("back", card.answer())):
        (out / f"{stem}-{side}.html").write_text(html, encoding="utf-8")
        driver.execute_script("showSide(arguments[0], arguments[1])", html, card.ord + 1)
        driver.save_screenshot(str(out / f"{stem}-{side}-{view.name}.png"))


if __name__ == "__main__":
    sys.exit(main())
