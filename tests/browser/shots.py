"""Screenshots of the self-test page, to look at: desktop, phone, dark, projector.

    .venv/bin/python tests/browser/shots.py BANK SOURCES OUT_DIR [SEED VERSIONS]

BANK may be a page already written (``.html``); SOURCES is then ignored.

Writes the page to OUT_DIR/page.html and PNGs beside it. Not a test: a person looks.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from browser import Page, find_chromium, start
from her2quiz import api


def answer_wrong(page: Page) -> None:
    """Give a wrong answer to whatever question is shown (a distractor, or a wrong text)."""
    qid = page.js("return document.querySelector('#stage article').dataset.qid")
    kind = page.js("return document.querySelector('#stage article').className")
    if "kind-mcq" in kind or "kind-truefalse" in kind or "kind-multi" in kind:
        page.js(
            """
            var data = JSON.parse(document.getElementById('h2q-data').textContent);
            var q = data.questions.find(function (x) { return x.id === arguments[0]; });
            var opts = Array.from(document.querySelectorAll('#stage .opt'));
            var wrong = opts.filter(function (b) { return !q.options[+b.dataset.option][1]; });
            var withWhy = wrong.filter(function (b) { return q.options[+b.dataset.option][2]; });
            (withWhy[0] || wrong[0]).click();
            var check = document.getElementById('check');
            if (check) check.click();
            """.replace("arguments[0]", repr(qid))
        )
    else:
        page.js(
            """
            document.querySelectorAll('#stage input, #stage textarea').forEach(function (i) { i.value = 'not sure'; });
            document.getElementById('check').click();
            """
        )


def main(bank: str, sources: str, out: str, seed: int = 1, versions: int = 1) -> None:
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "page.html"
    if bank.endswith(".html"):  # a page already written
        target.write_bytes(Path(bank).read_bytes())
    else:
        api.export(bank, "html", target, sources=sources, seed=seed, versions=versions)
    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("chromium and chromium-driver are needed")
    with tempfile.TemporaryDirectory() as profile, start(chromium, Path(profile)) as driver:
        page = Page(driver, target.resolve().as_uri())

        def shot(name: str) -> None:
            time.sleep(0.15)
            driver.save_screenshot(str(out_dir / f"{name}.png"))

        page.open()
        shot("desktop-question")
        answer_wrong(page)
        shot("desktop-feedback")
        page.js("document.getElementById('setup').open = true")
        page.js("window.scrollTo(0, 0)")
        shot("desktop-setup")
        page.js("document.getElementById('setup').open = false")
        page.phone()
        page.open()
        shot("phone-question")
        answer_wrong(page)
        page.js("document.getElementById('feedback').scrollIntoView()")
        shot("phone-feedback")
        page.phone(False)
        page.dark()
        page.open()
        answer_wrong(page)
        shot("dark-feedback")
        page.js("document.getElementById('end').click()")
        shot("dark-summary")
        page.dark(False)
        driver.set_window_size(1600, 900)
        page.open("#present")
        shot("projector-question")
        page.js("document.getElementById('p-reveal-btn').click()")
        shot("projector-revealed")
        page.dark()
        page.js("document.getElementById('p-timer-btn').click()")
        shot("projector-dark-revealed")
        print(page.console())


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0], args[1], args[2], *(int(a) for a in args[3:5]))
