"""``export --format html``: the offline self-test page, read back by an HTML parser and
driven in a real headless Chromium (Debian's ``chromium`` + ``chromium-driver``, Selenium).

Locally the browser tests skip, saying why, when Chromium is absent; under CI (``CI`` set)
they fail instead.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from browser import Chromium, Page, chromium_or_skip, selenium_or_skip, start
from click.testing import CliRunner

from her2quiz import api, markup
from her2quiz.bank import LETTERS, Bank, Basic, ChoiceQuestion, Cloze, Mcq, TrueFalse
from her2quiz.cli import main
from her2quiz.cloze import deletions
from her2quiz.formats import Job
from her2quiz.formats.html import STORAGE_PREFIX, render
from her2quiz.select import option_order, plan_quiz

from conftest import DEMO_BANK, DEMO_SOURCES, FIXTURES, REPO, SHARED_SOURCES

MAX_BYTES = 300_000  # the limit for the HER2 bank
MAX_FIRST_QUESTION_MS = 100.0

# A bank whose every text tries to break out of the page (its own source text beside it).
HOSTILE_BANK = """\
bank:
  id: hostile-html
  title: "Hostile </title><script>window.__pwned = 'title'</script> & co"
  deck: Hostile
topics:
  odd: "Topic <i>odd</i>"
sources:
  src:
    cite: "Source </script><!-- cite & more"
    file: hostile.txt
    date: "2024-05"
    status: pending human review
questions:
  - id: img-stem
    kind: mcq
    topic: odd
    difficulty: easy
    stem: "<img src=x onerror=alert(1)>"
    answer: "</script><script>window.__pwned = 'answer'</script>"
    distractors:
      - text: "<!-- a comment opens"
        why: "<b>not bold</b> & **really bold**"
      - "&amp; ]]> \\u2028 a line separator"
    explain: "Plain *italic* and <script>window.__pwned = 'explain'</script>"
    context:
      text: "Since <em>then</em> things moved on."
      cite:
        - source: src
          quote: "later evidence <script> moved on"
    cite:
      - source: src
        quote: "the quote with <tags> & ampersands"
  - id: long-basic
    kind: basic
    topic: odd
    difficulty: hard
    stem: "When do relapses of HER2-positive tumours peak?"
    answer: Within the first four years after surgery
    explain: The early peak.
    cite:
      - source: src
        quote: "the quote with <tags> & ampersands"
      - source: src
        quote: "later evidence <script> moved on"
  - id: short-basic
    kind: basic
    topic: odd
    difficulty: medium
    stem: Which drug is an antibody against HER2?
    answer: Trastuzumab
    accept: [Herceptin]
    explain: Trastuzumab (Herceptin).
    cite:
      - source: src
        quote: "the quote with <tags> & ampersands"
  - id: cloze-accept
    kind: cloze
    topic: odd
    difficulty: medium
    text: "The protein weighs {{c1::185 kd::mass}} and is called **{{c2::HER2}}**."
    accept:
      "185 kd": ["185 kDa", "185 kilodaltons"]
    explain: A 185 kd glycoprotein.
    cite:
      - source: src
        quote: "the quote with <tags> & ampersands"
"""
HOSTILE_SOURCE = """A source text for the hostile page test.
It holds the quote with <tags> & ampersands, and later evidence <script> moved on.
"""


# -- building pages ------------------------------------------------------------------------


def load(path: Path, sources: Path) -> Bank:
    loaded = api.load_bank(path, sources=sources)
    assert loaded.bank is not None, [str(d) for d in loaded.diagnostics]
    return loaded.bank


def page_bytes(bank: Bank, *, seed: int = 1, versions: int = 1) -> bytes:
    rendered = render(
        Job(bank=bank, target=Path("page.html"), title=bank.title, seed=seed, versions=versions)
    )
    ((_, data),) = rendered.files
    return data


@pytest.fixture
def hostile(tmp_path: Path) -> Bank:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "hostile.txt").write_text(HOSTILE_SOURCE, encoding="utf-8")
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE_BANK, encoding="utf-8")
    return load(path, tmp_path / "sources")


@pytest.fixture(scope="module")
def demo() -> Bank:
    return load(DEMO_BANK, DEMO_SOURCES)


def her2_bank() -> Bank:
    """The real bank (retried: a colleague may be saving it right now)."""
    sources = SHARED_SOURCES if SHARED_SOURCES.is_dir() else REPO / "sources"
    for _ in range(5):
        loaded = api.load_bank(REPO / "questions.yaml", sources=sources)
        if loaded.bank is not None:
            return loaded.bank
        time.sleep(2)
    raise AssertionError([str(d) for d in loaded.diagnostics if d.is_error][:5])


class Parsed(HTMLParser):
    """Every tag with its attributes, and the text of each <script>/<style> block."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.blocks: list[tuple[str, dict[str, str | None], str]] = []
        self._open: tuple[str, dict[str, str | None]] | None = None
        self._text: list[str] = []
        self.title = ""
        self._in_title = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open, self._text = (tag, dict(attrs)), []
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open[0]:
            self.blocks.append((tag, self._open[1], "".join(self._text)))
            self._open = None
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)
        elif self._in_title:
            self.title += data


def page_json(text: str) -> Any:
    data = [body for tag, attrs, body in Parsed(text).blocks if attrs.get("type") == "application/json"]
    assert len(data) == 1
    return json.loads(data[0])


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def runs_text(runs: Any) -> str:
    return runs if isinstance(runs, str) else "".join(r[0] for r in runs)


# -- the file itself -------------------------------------------------------------------------


def test_page_fetches_nothing_and_allows_only_its_own_blocks(demo: Bank) -> None:
    text = page_bytes(demo).decode("utf-8")
    parsed = Parsed(text)
    assert [
        t
        for t, _ in parsed.tags
        if t in ("link", "img", "iframe", "object", "embed", "base", "audio", "video")
    ] == []
    for tag, attrs in parsed.tags:
        assert "src" not in attrs, tag
        assert "style" not in attrs, tag
        assert not any(a.startswith("on") for a in attrs), tag
        href = attrs.get("href")
        assert href is None or href.startswith("#"), href
    (csp,) = [
        a["content"]
        for t, a in parsed.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert csp is not None
    directives = dict((d.split()[0], d.split()[1:]) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == ["'none'"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    styles = [body for tag, _, body in parsed.blocks if tag == "style"]
    scripts = [body for tag, attrs, body in parsed.blocks if tag == "script" and "type" not in attrs]
    assert len(styles) == 1 and len(scripts) == 1
    assert directives["style-src"] == [sha256_source(styles[0])]
    assert directives["script-src"] == [sha256_source(scripts[0])]
    assert directives["base-uri"] == ["'none'"] and directives["form-action"] == ["'none'"]


def test_page_data_is_the_bank(demo: Bank) -> None:
    data = page_json(page_bytes(demo).decode("utf-8"))
    assert data["storage"] == STORAGE_PREFIX + demo.digest
    assert data["bank"] == {"id": demo.id, "title": demo.title, "hash": demo.short_hash}
    assert data["sources"] == {k: s.dated for k, s in demo.sources.items()}
    assert [q["id"] for q in data["questions"]] == [q.id for q in demo.questions]
    for q, got in zip(demo.questions, data["questions"], strict=True):
        assert (got["kind"], got["topic"], got["level"], got["points"]) == (
            q.kind,
            q.topic,
            q.difficulty,
            q.worth,
        )
        assert runs_text(got["explain"]) == markup.plain(q.explain or "")
        assert [[c[0], runs_text(c[1])] for c in got["cite"]] == [
            [c.source, markup.plain(c.quote)] for c in q.cite
        ]
        if isinstance(q, ChoiceQuestion | TrueFalse):
            expected = [
                (markup.plain(o.text), o.correct, markup.plain(o.why or ""))
                for o in option_order(q, shuffle=None)
            ]
            assert [(runs_text(o[0]), bool(o[1]), runs_text(o[2] or "")) for o in got["options"]] == expected
            assert got["shuffle"] == (isinstance(q, ChoiceQuestion) and q.order == "shuffle")
        elif isinstance(q, Cloze):
            blanks = [p for p in got["parts"] if isinstance(p, int)]
            assert blanks == list(range(len(q.answer_texts())))
            assert [a[0] for a in got["answers"]] == list(q.answer_texts())
        else:
            assert isinstance(q, Basic)
            assert runs_text(got["prompt"]) == markup.plain(q.stem)
            assert got["answers"] == [[q.answer, list(q.accept), None]]


def test_no_text_can_break_out_of_the_page(hostile: Bank) -> None:
    text = page_bytes(hostile).decode("utf-8")
    parsed = Parsed(text)
    # Exactly the page's own three blocks; nothing in the bank opened another.
    assert [(t, a.get("type")) for t, a, _ in parsed.blocks] == [
        ("style", None),
        ("script", "application/json"),
        ("script", None),
    ]
    assert parsed.title == hostile.title
    data_block = parsed.blocks[1][2]
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in data_block
    data = page_json(text)
    q = data["questions"][0]
    assert runs_text(q["prompt"]) == "<img src=x onerror=alert(1)>"
    assert runs_text(q["options"][0][0]) == "</script><script>window.__pwned = 'answer'</script>"
    assert runs_text(q["options"][2][0]) == "&amp; ]]> \u2028 a line separator"
    # The bank's markup arrives parsed: "**really bold**" is a bold run, "<b>" is text.
    assert q["options"][1][2] == [["<b>not bold</b> & ", 0], ["really bold", 1]]
    assert data["sources"]["src"] == "Source </script><!-- cite & more (2024-05; pending human review)"


def test_projector_versions_follow_the_printed_plan(demo: Bank) -> None:
    data = page_json(page_bytes(demo, seed=7, versions=3).decode("utf-8"))
    plan = plan_quiz(demo, count=None, versions=3, seed=7)
    assert data["plan"]["seed"] == 7
    assert [v["label"] for v in data["plan"]["versions"]] == ["A", "B", "C"]
    for version, printed in zip(data["plan"]["versions"], plan.versions, strict=True):
        ids = [data["questions"][item[0]]["id"] for item in version["items"]]
        assert ids == [item.id for item in printed.items]
        for item, planned in zip(version["items"], printed.items, strict=True):
            q = demo.question(planned.id)
            if isinstance(q, ChoiceQuestion | TrueFalse):
                options = data["questions"][item[0]]["options"]
                shown = [runs_text(options[i][0]) for i in item[1]]
                assert shown == [markup.plain(t) for t in planned.options]
                assert [o.text for o in option_order(q, shuffle=f"7:{printed.label}")] == list(
                    planned.options
                )


def test_page_is_reproducible(demo: Bank) -> None:
    assert page_bytes(demo, seed=3, versions=2) == page_bytes(demo, seed=3, versions=2)


def test_her2_page_is_under_300_kb() -> None:
    size = len(page_bytes(her2_bank()))
    assert size < MAX_BYTES, f"{size} bytes"


def test_cli_writes_the_page(demo_bank: Path, tmp_path: Path) -> None:
    out = tmp_path / "revise.html"
    result = CliRunner().invoke(
        main,
        [
            "export",
            str(demo_bank),
            "--format",
            "html",
            "-o",
            str(out),
            "--seed",
            "4",
            "--versions",
            "2",
            "--kind",
            "mcq,multi",
        ],
    )
    assert result.exit_code == 0, result.output
    data = page_json(out.read_text(encoding="utf-8"))
    bank = load(demo_bank, demo_bank.parent / "sources")
    assert [q["id"] for q in data["questions"]] == [
        q.id for q in bank.questions if q.kind in ("mcq", "multi")
    ]
    assert [v["label"] for v in data["plan"]["versions"]] == ["A", "B"] and data["plan"]["seed"] == 4


# -- in the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> Chromium:
    selenium_or_skip()
    return chromium_or_skip()


@pytest.fixture(scope="module")
def driver(chromium: Chromium, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with start(chromium, tmp_path_factory.mktemp("profile")) as d:
        yield d


@pytest.fixture
def open_page(driver: Any, tmp_path: Path) -> Iterator[Callable[..., Page]]:
    """open_page(bank, fragment="", **render options) -> the page, fresh storage."""
    driver.set_window_size(1280, 900)
    driver.get_log("browser")  # drop what earlier tests left

    def open_(bank: Bank, fragment: str = "", name: str = "page.html", **options: Any) -> Page:
        path = tmp_path / name
        path.write_bytes(page_bytes(bank, **options))
        page = Page(driver, path.resolve().as_uri())
        page.open(fragment)
        page.js("localStorage.clear()")
        page.open(fragment)
        return page

    yield open_
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def by_id(page: Page, id_: str) -> Any:
    from selenium.webdriver.common.by import By

    return page.driver.find_element(By.ID, id_)


def css(page: Page, selector: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return list(page.driver.find_elements(By.CSS_SELECTOR, selector))


def keys(page: Page, *typed: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    chain = ActionChains(page.driver)
    for k in typed:
        chain.send_keys(k)
    chain.perform()


def only(page: Page, *, kinds: tuple[str, ...] = (), size: int = 0) -> None:
    """Use the set-up form: keep only ``kinds``, pick the set size (0: one at a time), Start."""
    by_id(page, "setup").find_element("tag name", "summary").click()
    if kinds:
        for box in css(page, "input[name=kind]"):
            if (box.get_attribute("value") in kinds) != box.is_selected():
                box.click()
    css(page, f"input[name=size][value='{size}']")[0].click()
    by_id(page, "start").click()


def current(page: Page, bank: Bank) -> Any:
    return bank.question(css(page, "#stage article")[0].get_attribute("data-qid"))


def shown_options(page: Page) -> list[str]:
    return [b.find_element("css selector", ".opt-text").text for b in css(page, "#stage .opt")]


def letter_of(page: Page, text: str) -> str:
    return LETTERS[shown_options(page).index(markup.plain(text))]


def no_problems(page: Page) -> None:
    assert page.console() == []
    assert page.resources() == []
    assert [url.split("#")[0] for url in page.navigation()] == [page.url.split("#")[0]]


def feedback(page: Page) -> str:
    return str(by_id(page, "feedback").text)


def test_answer_by_click_shows_the_feedback_of_the_bank(open_page: Callable[..., Page], demo: Bank) -> None:
    page = open_page(demo)
    only(page, kinds=("mcq",))
    q = current(page, demo)
    assert isinstance(q, Mcq) and q.id == "relapse-early-peak"
    assert by_id(page, "q-prompt").text == markup.plain(q.stem)
    # order: sorted, so the page shows the options as option_order gives them
    assert shown_options(page) == [markup.plain(o.text) for o in option_order(q, shuffle=None)]
    wrong = next(d for d in q.distractors if d.why)
    before = page.now()
    css(page, "#stage .opt")[shown_options(page).index(wrong.text)].click()
    text = feedback(page)
    assert text.startswith("✗ Not quite.")
    assert f"Answer: {letter_of(page, q.answer)}. {q.answer}" in text
    assert f"Why not “{wrong.text}”: {wrong.why}" in text
    assert f"Explanation: {q.explain}" in text
    assert f"“{q.cite[0].quote}”" in text and demo.sources["demo"].dated in text
    assert by_id(page, "score").text == "Right 0 of 1"
    assert by_id(page, "retry-n").text == "1"
    assert page.shifted(since=before) == 0
    no_problems(page)


def test_answer_by_keyboard(open_page: Callable[..., Page], demo: Bank) -> None:
    page = open_page(demo)
    only(page, kinds=("multi", "truefalse"), size=5)  # two match: a set of 2
    for _ in range(2):
        q = current(page, demo)
        if isinstance(q, TrueFalse):
            keys(page, "1" if q.answer else "2")  # True is option 1, False option 2
        else:
            assert isinstance(q, ChoiceQuestion)
            keys(page, *[letter_of(page, a).lower() for a in q.answers], "\ue007")  # Enter checks
        assert feedback(page).startswith("✓ Right."), feedback(page)
        keys(page, "\ue007")  # Enter: next
    assert by_id(page, "sum-score").text.startswith("2 of 2 right")
    assert css(page, "#missed") == []
    no_problems(page)


def test_typed_answers_are_normalised(open_page: Callable[..., Page], hostile: Bank) -> None:
    page = open_page(hostile)
    only(page, kinds=("cloze",))
    blanks = css(page, "input.blank")
    assert [b.get_attribute("placeholder") for b in blanks] == ["mass", "2"]
    blanks[0].send_keys("185  KILODALTONS!")  # an accepted alternative, in other case and spacing
    blanks[1].send_keys("her-2\ue007")
    assert feedback(page).startswith("✓ Right.")
    assert "185 kd (also accepted: 185 kDa, 185 kilodaltons)" in feedback(page)
    only(page, kinds=("basic",), size=5)  # two match
    for _ in range(2):
        q = current(page, hostile)
        assert isinstance(q, Basic)
        if q.id == "short-basic":
            by_id(page, "answer").send_keys(" herceptin.\ue007")
            assert feedback(page).startswith("✓ Right.")
            assert "Answer: Trastuzumab (also accepted: Herceptin)" in feedback(page)
            keys(page, "\ue007")
        else:  # a long answer: the learner judges
            by_id(page, "answer").send_keys("Early, in the first years\ue007")
            assert "Compare with the expected answer:" in feedback(page)
            assert f"Answer: {q.answer}" in feedback(page)
            assert "You wrote: “Early, in the first years”" in feedback(page)
            # one source, two quotes: its reference once, under both
            (figure,) = css(page, "#feedback .fb-source figure")
            assert [b.text for b in figure.find_elements("css selector", "blockquote")] == [
                f"“{c.quote}”" for c in q.cite
            ]
            assert figure.find_element("css selector", "cite").text == hostile.sources["src"].dated
            keys(page, "n")
            assert feedback(page).startswith("✗ You marked it wrong.")
            keys(page, "\ue007")
    assert by_id(page, "sum-score").text.startswith("1 of 2 right")
    assert [li.get_attribute("data-qid") for li in css(page, "#missed li")] == ["long-basic"]
    no_problems(page)


def test_set_score_and_retry_list(open_page: Callable[..., Page], demo: Bank) -> None:
    page = open_page(demo)
    only(page, size=5)
    missed, points, total = [], 0, 0
    for n in range(5):
        assert by_id(page, "counter").text == f"Question {n + 1} of 5"
        q = current(page, demo)
        before = page.now()
        if isinstance(q, ChoiceQuestion | TrueFalse):
            right = n % 2 == 0
            options = option_order(q, shuffle=None)
            pick = [o for o in options if o.correct] if right else [next(o for o in options if not o.correct)]
            for o in pick:
                css(page, "#stage .opt")[shown_options(page).index(markup.plain(o.text))].click()
            if q.kind == "multi":
                by_id(page, "check").click()
        else:
            right = False
            for box in css(page, "#stage input.blank, #answer"):
                box.send_keys("no idea")
            by_id(page, "check").click()
        if not right:
            missed.append(q.id)
        points, total = points + (q.worth if right else 0), total + q.worth
        assert feedback(page).startswith("✓ Right." if right else "✗ Not quite."), (q.id, feedback(page))
        assert page.shifted(since=before) == 0, q.id  # the feedback moved nothing on screen
        assert by_id(page, "score").text == f"Right {n + 1 - len(missed)} of {n + 1}"
        by_id(page, "next").click()
    assert by_id(page, "sum-score").text == f"{5 - len(missed)} of 5 right ({points} of {total} points)"
    assert [li.get_attribute("data-qid") for li in css(page, "#missed li")] == missed
    assert by_id(page, "retry-n").text == str(len(missed))
    by_id(page, "retry-set").click()
    assert by_id(page, "counter").text == f"Question 1 of {len(missed)}"
    assert current(page, demo).id in missed
    no_problems(page)


def test_progress_is_kept_across_a_reload_and_keyed_by_the_bank(
    open_page: Callable[..., Page], demo: Bank
) -> None:
    page = open_page(demo)
    only(page, kinds=("truefalse",))
    q = current(page, demo)
    assert isinstance(q, TrueFalse)
    keys(page, "2" if q.answer else "1")  # the wrong one
    page.driver.refresh()
    assert by_id(page, "retry-n").text == "1"
    assert "1 of 5 questions answered, 0 right the last time, 1 to retry" in by_id(
        page, "progress"
    ).get_attribute("textContent")
    stored = json.loads(page.js("return localStorage.getItem(arguments[0])", STORAGE_PREFIX + demo.digest))
    assert stored["q"] == {q.id: [0, 1, 0]}
    by_id(page, "retry").click()
    assert current(page, demo).id == q.id
    # Another bank (another hash) starts fresh, beside the first one's progress.
    other = replace(demo, digest="f" * 64)
    page2 = Page(page.driver, page.url.replace("page.html", "other.html"))
    Path(page.url.removeprefix("file://")).with_name("other.html").write_bytes(page_bytes(other))
    page2.open()
    assert by_id(page2, "retry-n").text == "0"
    assert page2.js("return Object.keys(localStorage).sort()") == sorted([STORAGE_PREFIX + demo.digest])
    no_problems(page2)


def test_hostile_text_is_shown_literally_and_runs_nothing(
    open_page: Callable[..., Page], hostile: Bank
) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    page = open_page(hostile)
    assert page.driver.title == hostile.title
    assert by_id(page, "title").text == hostile.title
    only(page, kinds=("mcq",))
    q = hostile.question("img-stem")
    assert isinstance(q, ChoiceQuestion)
    assert by_id(page, "q-prompt").text == "<img src=x onerror=alert(1)>"
    texts = [t.get_attribute("textContent") for t in css(page, "#stage .opt-text")]
    assert sorted(texts) == sorted(markup.plain(o.text) for o in q.options())
    css(page, "#stage .opt")[shown_options(page).index("<!-- a comment opens")].click()
    text = feedback(page)
    assert "Why not “<!-- a comment opens”: <b>not bold</b> & really bold" in text
    assert "Since then: Since <em>then</em> things moved on." in text
    assert "“later evidence <script> moved on”" in text
    assert "Source </script><!-- cite & more (2024-05; pending human review)" in text
    why = css(page, ".fb-why strong")
    assert [s.text for s in why] == ["really bold"]
    assert page.js("return document.images.length") == 0
    assert page.js("return document.scripts.length") == 2
    assert page.js("return window.__pwned === undefined")
    with pytest.raises(NoAlertPresentException):
        page.driver.switch_to.alert.text  # noqa: B018
    no_problems(page)


def test_projector_reveals_in_place_in_the_printed_order(open_page: Callable[..., Page], demo: Bank) -> None:
    page = open_page(demo, "#present-B", seed=5, versions=2)
    plan = plan_quiz(demo, count=None, versions=2, seed=5)
    version_b = plan.versions[1]
    assert by_id(page, "p-which").text == f"seed 5 · version B · bank {demo.short_hash}"
    seen = []
    for n, item in enumerate(version_b.items, start=1):
        assert by_id(page, "p-counter").text == f"{n} / {len(version_b.items)}"
        card = css(page, ".p-q")[0]
        seen.append(card.get_attribute("data-qid"))
        answer = by_id(page, "p-answer")
        assert answer.value_of_css_property("visibility") == "hidden"
        if item.is_choice:
            texts = [li.find_element("css selector", ".opt-text").text for li in css(page, ".p-opt")]
            assert texts == [markup.plain(t) for t in item.options]
        before = page.now()
        keys(page, " ")
        assert answer.value_of_css_property("visibility") == "visible"
        assert page.shifted(since=before) == 0
        q = demo.question(item.id)
        if item.is_choice:
            letters = "; ".join(f"{letter}. {markup.plain(t)}" for letter, t in item.letter_texts())
            label = "Answer: " if len(item.correct) == 1 else "Answers: "
            assert answer.text.startswith(label + letters)
            right = [li.find_element("css selector", ".opt-key").text for li in css(page, ".p-opt.is-right")]
            assert right == list(item.correct)
        elif isinstance(q, Cloze):
            assert [b.text for b in css(page, ".p-blank-a")] == list(q.answer_texts())
        if q.explain:
            assert f"Explanation: {q.explain}" in answer.text
        keys(page, "\ue014")  # arrow right
    assert seen == [item.id for item in version_b.items]
    keys(page, "\ue012")  # arrow left: back to the last but one
    assert by_id(page, "p-counter").text == f"{len(version_b.items) - 1} / {len(version_b.items)}"
    keys(page, "t")
    assert re.fullmatch(r"0:[23]\d", by_id(page, "p-timer").text)
    keys(page, "\ue00c")  # Escape: back to the self-test
    assert by_id(page, "test").is_displayed() and not by_id(page, "projector").is_displayed()
    no_problems(page)


def test_first_question_is_fast(open_page: Callable[..., Page]) -> None:
    page = open_page(her2_bank())
    assert css(page, "#stage .card")
    times = []
    for _ in range(5):  # the best of five: the machine is shared
        page.open()
        times.append(page.timing())
    best = min(t["first_question"] for t in times)
    assert 0 < best < MAX_FIRST_QUESTION_MS, times
    work = min(t["first_question"] - t["script_start"] for t in times)  # the page's own script
    assert 0 < work < MAX_FIRST_QUESTION_MS / 2, times
    no_problems(page)


def test_phone_width_and_dark_mode(open_page: Callable[..., Page], demo: Bank) -> None:
    page = open_page(demo)
    page.phone()
    try:
        page.open()
        assert page.js("return window.innerWidth") == 390
        assert page.js("return document.documentElement.scrollWidth") <= 390  # nothing sideways
        only(page, kinds=("mcq",))
        heights = [b.size["height"] for b in css(page, "#stage .opt")]
        assert min(heights) >= 44  # a finger's width
        assert not css(page, "#hint")[0].is_displayed()  # no keys to name on a touch screen
        light = page.js("return getComputedStyle(document.body).backgroundColor")
        page.dark()
        dark = page.js("return getComputedStyle(document.body).backgroundColor")
        assert light == "rgb(255, 255, 255)" and dark == "rgb(23, 26, 30)"
        css(page, "#stage .opt")[0].click()
        assert page.js("return document.documentElement.scrollWidth") <= 390
    finally:
        page.phone(False)
    no_problems(page)


def test_keyboard_only(open_page: Callable[..., Page], demo: Bank) -> None:
    """Tab to the question, answer with the keys, Enter for the next: five in a row."""
    page = open_page(demo)
    for n in range(5):
        for _ in range(12):
            if page.js("return document.activeElement.matches('.opt, input.blank, #answer')"):
                break
            keys(page, "\ue004")  # Tab
        else:
            raise AssertionError("Tab never reached the question")
        q = current(page, demo)
        if isinstance(q, Cloze):
            keys(page, "\ue004".join(q.answer_texts()), "\ue007")  # blanks in turn (Tab), Enter
        elif isinstance(q, Basic):
            keys(page, q.answer, "\ue007")
        elif q.kind == "multi":
            focused = page.js("return document.activeElement.querySelector('.opt-text').textContent")
            assert focused == shown_options(page)[0]
            for letter in (letter_of(page, a) for a in q.answer_texts()):
                keys(page, letter)
            keys(page, "\ue007")
        else:
            for _ in range(shown_options(page).index(markup.plain(q.answer_texts()[0]))):
                keys(page, "\ue004")  # Tab along the options to the right one
            keys(page, "\ue007")  # Enter on the focused option
        assert feedback(page).startswith("✓ Right."), (q.id, feedback(page))
        assert page.js("return document.activeElement.id") == "next"
        keys(page, "\ue007")
        assert by_id(page, "score").text == f"Right {n + 1} of {n + 1}"
    no_problems(page)


def ax_tree(page: Page) -> list[dict[str, Any]]:
    """What a screen reader reads: Chromium's accessibility tree (DevTools protocol)."""
    return list(page.driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"])


def ax_names(nodes: list[dict[str, Any]], role: str) -> list[str]:
    return [
        str(n.get("name", {}).get("value", ""))
        for n in nodes
        if n.get("role", {}).get("value") == role and not n.get("ignored")
    ]


def test_screen_reader_hears_options_and_feedback(open_page: Callable[..., Page], demo: Bank) -> None:
    page = open_page(demo)
    only(page, kinds=("mcq",))
    q = demo.question("relapse-early-peak")
    assert isinstance(q, Mcq)
    letters = {markup.plain(t): letter_of(page, t) for t in (o.text for o in q.options())}
    buttons = [n for n in ax_names(ax_tree(page), "button") if n.startswith("Option ")]
    assert sorted(buttons) == sorted(f"Option {letters[t]}: {t}" for t in letters)
    wrong = q.distractors[0].text
    css(page, "#stage .opt")[shown_options(page).index(wrong)].click()
    nodes = ax_tree(page)
    buttons = ax_names(nodes, "button")
    assert f"Option {letters[wrong]}: {wrong} (your answer, wrong)" in buttons
    assert f"Option {letters[q.answer]}: {q.answer} (correct)" in buttons
    assert "Feedback" in ax_names(nodes, "status")
    assert by_id(page, "feedback").get_attribute("aria-live") == "polite"
    assert "Mode" in ax_names(nodes, "navigation")


def test_projector_takes_one_question_per_family_as_the_print(write_bank: Callable[..., Path]) -> None:
    text = DEMO_BANK.read_text(encoding="utf-8")
    for qid in ("drugs-her2-protein-size", "drugs-trastuzumab-target"):
        text = text.replace(f"  - id: {qid}\n", f"  - id: {qid}\n    family: her2-drugs\n")
    path = write_bank(text)
    bank = load(path, path.parent / "sources")
    rendered = render(Job(bank=bank, target=Path("page.html"), title=bank.title, seed=2, versions=2))
    data = page_json(rendered.files[0][1].decode("utf-8"))
    plan = plan_quiz(bank, count=None, versions=2, seed=2)
    assert len(plan.ids) == 4
    for version, printed in zip(data["plan"]["versions"], plan.versions, strict=True):
        assert [data["questions"][item[0]]["id"] for item in version["items"]] == [
            i.id for i in printed.items
        ]
    assert len(data["questions"]) == 5
    assert rendered.warnings == (
        "the projector's versions hold 4 of the 5 questions, one per family, "
        "as the printed quiz with seed 2 does; the self-test has all 5",
    )


def test_hostile_fixture_reads_literally_in_the_projector(open_page: Callable[..., Page]) -> None:
    """tests/fixtures/valid/hostile.yaml (issue 13): every text of every question, as the bank says."""
    bank = load(FIXTURES / "valid" / "hostile.yaml", DEMO_SOURCES)
    plan = plan_quiz(bank, count=None, versions=1, seed=1)
    assert set(plan.ids) == {q.id for q in bank.questions}
    page = open_page(bank, "#present")

    def text(selector: str) -> str:
        return str(page.js("return document.querySelector(arguments[0]).textContent", selector))

    for item in plan.versions[0].items:
        q = bank.question(item.id)
        if isinstance(q, Cloze):
            pieces, pos = [], 0
            for n, d in enumerate(deletions(q.text), start=1):
                pieces += [markup.plain(q.text[pos : d.start]), f"{n}{markup.plain(d.answer)}"]
                pos = d.end
            assert text("#p-prompt") == "".join([*pieces, markup.plain(q.text[pos:])])
        else:
            assert text("#p-prompt") == markup.plain(q.prompt)
        if item.is_choice:
            shown = page.js(
                "return Array.from(document.querySelectorAll('.p-opt .opt-text')).map(e => e.textContent)"
            )
            assert shown == [markup.plain(t) for t in item.options]
        if isinstance(q, Basic):
            assert text(".p-answer .fb-answer") == f"Answer: {markup.plain(q.answer)}"
        assert text(".p-answer .fb-explain") == f"Explanation: {markup.plain(q.explain or '')}"
        if q.context is not None:
            assert text(".p-answer .fb-context").startswith(f"Since then: {markup.plain(q.context.text)}")
        cites = page.js(
            "return Array.from(document.querySelectorAll('.fb-source cite')).map(e => e.textContent)"
        )
        assert cites == [bank.sources[key].dated for key in dict.fromkeys(c.source for c in q.cite)]
        keys(page, "\ue014")
    assert page.js("return document.images.length === 0 && document.scripts.length === 2")
    no_problems(page)
