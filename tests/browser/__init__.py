"""Headless Chromium (Debian's ``chromium`` + ``chromium-driver``) driven by Selenium.

:func:`chromium_or_skip` gives the driver's path, or skips with the reason when the
browser is absent, except under CI (``CI`` set), where a missing browser fails the test.
:func:`start` opens a fresh browser with its own profile; :class:`Page` wraps the calls the
page tests need (console log, performance entries, layout shifts).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
BROWSERS = ("chromium", "chromium-browser")
DRIVERS = ("chromedriver", "chromium-driver")
INSTALL = "apt-get install -y chromium chromium-driver"

# Records every layout shift from the page's start (buffered), whatever caused it.
SHIFT_WATCH = """
window.__shifts = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { window.__shifts.push({value: e.value, at: e.startTime}); });
}).observe({type: "layout-shift", buffered: true});
"""


@dataclass(frozen=True)
class Chromium:
    browser: str
    driver: str


def find_chromium() -> Chromium | None:
    browser = next((p for p in map(shutil.which, BROWSERS) if p), None)
    driver = next((p for p in map(shutil.which, DRIVERS) if p), None)
    if browser is None or driver is None:
        return None
    return Chromium(browser, driver)


def chromium_or_skip() -> Chromium:
    """The browser, or a skip (locally) / a failure (in CI) saying how to install it."""
    found = find_chromium()
    if found is not None:
        return found
    reason = f"Chromium and its driver are not installed ({INSTALL})"
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must install them", pytrace=False)
    pytest.skip(reason)


def selenium_or_skip() -> None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        reason = "selenium is not installed (pip install selenium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must install it", pytrace=False)
        pytest.skip(reason)


@contextmanager
def start(chromium: Chromium, profile: Path, *, width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A headless Chromium with a fresh profile in ``profile``; quits on exit."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium.browser
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(chromium.driver), options=options)
    try:
        yield driver
    finally:
        driver.quit()


class Page:
    """The page open in ``driver``, with the checks every test makes."""

    def __init__(self, driver: Any, url: str) -> None:
        self.driver = driver
        self.url = url

    def open(self, fragment: str = "") -> None:
        self.driver.get(self.url + fragment)
        self.driver.execute_script(SHIFT_WATCH)

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def console(self) -> list[dict[str, Any]]:
        """Every browser log entry since the last call (console messages, CSP reports)."""
        return list(self.driver.get_log("browser"))

    def resources(self) -> list[str]:
        """URLs of every resource the page requested (performance entries)."""
        return list(
            self.js("return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
        )

    def navigation(self) -> list[str]:
        return list(
            self.js("return performance.getEntriesByType('navigation').map(function (e) { return e.name; })")
        )

    def now(self) -> float:
        return float(self.js("return performance.now()"))

    def shifted(self, since: float = 0.0) -> float:
        """The sum of the layout shifts since ``since`` (performance.now() milliseconds), whatever
        caused them (user input too)."""
        self.js(
            "return new Promise(function (done) { requestAnimationFrame(function () { setTimeout(done, 50); }); })"
        )
        return float(sum(s["value"] for s in self.js("return window.__shifts || []") if s["at"] >= since))

    def timing(self) -> dict[str, float]:
        """Milliseconds from navigation start: the page's script starts, the first question is
        in the page, first contentful paint, DOMContentLoaded."""
        return dict(
            self.js(
                """
                var start = performance.getEntriesByName('h2q-start')[0];
                var mark = performance.getEntriesByName('h2q-first-question')[0];
                var fcp = performance.getEntriesByName('first-contentful-paint')[0];
                var nav = performance.getEntriesByType('navigation')[0];
                return {script_start: start ? start.startTime : -1,
                        first_question: mark ? mark.startTime : -1,
                        first_contentful_paint: fcp ? fcp.startTime : -1,
                        dom_content_loaded: nav ? nav.domContentLoadedEventEnd : -1};
                """
            )
        )

    def phone(self, on: bool = True, *, width: int = 390, height: int = 844) -> None:
        """Emulate a phone (390 x 844 CSS pixels, scale 3, touch) or stop emulating."""
        if not on:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            self.driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": False})
            return
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 3, "mobile": True},
        )
        self.driver.execute_cdp_cmd(
            "Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5}
        )

    def dark(self, on: bool = True) -> None:
        """Emulate prefers-color-scheme (through the DevTools protocol)."""
        self.driver.execute_cdp_cmd(
            "Emulation.setEmulatedMedia",
            {"features": [{"name": "prefers-color-scheme", "value": "dark" if on else "light"}]},
        )
