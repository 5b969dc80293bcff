"""report.html in a real browser: a reviewer edits a cue, comments, approves, reloads (the
edits are still there), downloads the corrections, and ``subloc review import`` puts them
into the track. With JavaScript off the page is the read-only report.

Chromium runs headless and is driven through the Chrome DevTools Protocol over a pipe
(``--remote-debugging-pipe``: no port, no network). The test skips, saying why, when no
Chromium is installed (``apt-get install chromium``; .ci/run installs it).
"""

from __future__ import annotations

import fcntl
import json
import os
import queue
import shutil
import subprocess
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from subloc.cli import main
from subloc.engines.cache import TranslationCache
from subloc.io.read import load

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str | None:
    named = os.environ.get("SUBLOC_CHROMIUM")
    if named:
        return named
    return next((path for path in map(shutil.which, BROWSERS) if path), None)


BROWSER = find_browser()
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no Chromium to run report.html in (apt-get install chromium, or "
                            "set SUBLOC_CHROMIUM to a Chrome or Chromium binary)")


class DevTools:
    """A headless Chromium driven over the DevTools protocol on fds 3 and 4."""

    def __init__(self, executable: str, profile: Path) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # Lift the child's ends above 4, so moving them onto 3 and 4 clobbers nothing.
        child_in = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
        child_out = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
        os.close(to_child_r)
        os.close(from_child_w)

        def onto_3_and_4() -> None:
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self.process = subprocess.Popen(
            [executable, "--headless=new", "--remote-debugging-pipe", "--no-sandbox",
             "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", "--no-pings",
             f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(3, 4, child_in, child_out), preexec_fn=onto_3_and_4,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(child_in)
        os.close(child_out)
        self.writer = os.fdopen(to_child_w, "wb", buffering=0)
        self.reader = os.fdopen(from_child_r, "rb", buffering=0)
        self.replies: dict[int, dict[str, Any]] = {}
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.ready = threading.Condition()
        self.counter = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buffer = b""
        while chunk := self.reader.read(1 << 16):
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self.ready:
                        self.replies[message["id"]] = message
                        self.ready.notify_all()
                else:
                    self.events.put(message)

    def send(self, method: str, session: str | None = None, timeout: float = 30,
             **params: Any) -> dict[str, Any]:
        self.counter += 1
        number = self.counter
        message: dict[str, Any] = {"id": number, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        self.writer.write(json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self.ready:
            while number not in self.replies:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{method}: no answer from the browser")
                self.ready.wait(left)
            reply = self.replies.pop(number)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply["result"]
        return result

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
            self.process.wait(10)
        except Exception:
            self.process.kill()
            self.process.wait(10)


class Page:
    def __init__(self, browser: DevTools) -> None:
        self.browser = browser
        target = browser.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = browser.send("Target.attachToTarget", targetId=target,
                                    flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            browser.send(f"{domain}.enable", self.session)

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        return self.browser.send(method, self.session, **params)

    def js(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait(self, expression: str, timeout: float = 20) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = self.js(expression)
            except AssertionError:
                value = None
            if value:
                return value
            time.sleep(0.1)
        raise TimeoutError(expression)

    def open(self, url: str) -> None:
        self.send("Page.navigate", url=url)
        self.wait("document.readyState === 'complete'")

    def reload(self) -> None:
        self.js("window.subloc_marker = 1")
        self.send("Page.reload")
        self.wait("document.readyState === 'complete' && window.subloc_marker === undefined")

    def problems(self) -> list[str]:
        """Uncaught exceptions and console errors (a CSP refusal among them) so far."""
        found = []
        while not self.browser.events.empty():
            event = self.browser.events.get()
            params = event.get("params", {})
            if event["method"] == "Runtime.exceptionThrown":
                found.append(json.dumps(params["exceptionDetails"])[:500])
            elif event["method"] == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(params["entry"]["text"])
        return found


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[DevTools]:
    assert BROWSER is not None
    devtools = DevTools(BROWSER, tmp_path / "profile")
    try:
        devtools.send("Browser.getVersion", timeout=60)
        yield devtools
    finally:
        devtools.close()


FILM = textwrap.dedent("""\
    1
    00:00:01,000 --> 00:00:03,000
    Hello there, my friend.

    2
    00:00:04,000 --> 00:00:06,000
    This is <b>really</b> important.

    3
    00:00:07,000 --> 00:00:09,000
    Thank you.
    """)


def cue(index: int) -> str:
    return f"document.querySelectorAll('section.job')[0].querySelectorAll('article.cue')[{index}]"


def test_edit_in_the_report_download_and_import(browser: DevTools, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "film.srt").write_text(FILM, encoding="utf-8")
    result = CliRunner().invoke(main, ["localize", "film.srt", "--to", "es", "--from", "en",
                                       "--engine", "pseudo", "-o", "out", "--cache",
                                       "cache.sqlite", "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    track = tmp_path / "out" / "film.es.srt"
    before = track.read_text(encoding="utf-8").split("\n\n")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.send("Browser.setDownloadBehavior", behavior="allow", downloadPath=str(downloads))
    page = Page(browser)
    page.open((tmp_path / "out" / "report.html").as_uri())
    page.wait("document.querySelectorAll('.rv-tools').length === 3")
    assert page.js("document.getElementById('rv').hidden") is False

    # Edit cue 1 and comment on it.
    page.js(f"{cue(0)}.querySelector('.rv-edit').click()")
    page.js(f"{cue(0)}.querySelector('textarea').value = '¡Hola, amigo mío!'")
    page.js(f"{cue(0)}.querySelector('.rv-comment').value = 'más cálido'")
    page.js(f"{cue(0)}.querySelector('.rv-save').click()")
    assert page.js(f"{cue(0)}.querySelector('.txt.tgt').firstChild.textContent") == \
        "¡Hola, amigo mío!"
    # An edit that loses the cue's tag is refused in the page.
    page.js(f"{cue(1)}.querySelector('.rv-edit').click()")
    page.js(f"{cue(1)}.querySelector('textarea').value = 'Esto es muy importante.'")
    page.js(f"{cue(1)}.querySelector('.rv-save').click()")
    assert "Keep the cue's tags" in page.js(f"{cue(1)}.querySelector('.rv-error').textContent")
    page.js(f"{cue(1)}.querySelector('textarea').value = 'Esto es <b>muy</b> importante.'")
    page.js(f"{cue(1)}.querySelector('.rv-save').click()")
    # Approve cue 3 as it is.
    page.js(f"{cue(2)}.querySelector('.rv-approve').click()")
    assert page.js("document.getElementById('rv-status').textContent") == \
        "2 edited, 1 approved, 1 commented"

    # The edits survive a reload.
    page.reload()
    page.wait("document.querySelectorAll('.rv-tools').length === 3")
    assert page.js(f"{cue(0)}.querySelector('.txt.tgt').firstChild.textContent") == \
        "¡Hola, amigo mío!"
    assert page.js(f"{cue(2)}.querySelector('.rv-approve').getAttribute('aria-pressed')") == \
        "true"
    assert page.js("document.getElementById('rv-status').textContent") == \
        "2 edited, 1 approved, 1 commented"

    page.js("document.getElementById('rv-download').click()")
    deadline = time.monotonic() + 20
    while not (files := [p for p in downloads.glob("*.json")]) and time.monotonic() < deadline:
        time.sleep(0.1)
    (corrections,) = files
    assert corrections.name.startswith("corrections-")
    document = json.loads(corrections.read_text(encoding="utf-8"))
    assert document["schema"] == "subloc.corrections/1"
    assert [c["id"] for c in document["jobs"][0]["cues"]] == [1, 2, 3]
    # Downloaded: a reload starts clean.
    page.reload()
    page.wait("document.querySelectorAll('.rv-tools').length === 3")
    assert page.js("document.getElementById('rv-status').textContent") == "No corrections yet"
    assert page.problems() == []

    result = CliRunner().invoke(main, ["review", "import", str(corrections), "--cache",
                                       "cache.sqlite", "--report-dir", "reviewed",
                                       "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    after = track.read_text(encoding="utf-8").split("\n\n")
    assert after[0].endswith("¡Hola, amigo mío!")
    assert after[1].endswith("Esto es <b>muy</b> importante.")
    assert after[2] == before[2]
    assert [(c.start_ms, c.end_ms) for c in load(track).cues] == [
        (1000, 3000), (4000, 6000), (7000, 9000)]
    report = json.loads((tmp_path / "reviewed" / "report.json").read_text())
    comments = [i["message"] for i in report["jobs"][0]["issues"]
                if i["rule"] == "review-comment"]
    assert comments == ["más cálido"]
    cache = TranslationCache(tmp_path / "cache.sqlite")
    try:
        human = cache.get_human("en", "es", ["Hello there, my friend.", "Thank you."])
    finally:
        cache.close()
    assert human["Hello there, my friend."].translation == "¡Hola, amigo mío!"
    assert human["Thank you."].state == "final"


def test_without_javascript_the_report_is_read_only(browser: DevTools, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "film.srt").write_text(FILM, encoding="utf-8")
    result = CliRunner().invoke(main, ["localize", "film.srt", "--to", "es", "--from", "en",
                                       "--engine", "pseudo", "-o", "out", "--no-cache",
                                       "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    page = Page(browser)
    page.send("Emulation.setScriptExecutionDisabled", value=True)
    page.open((tmp_path / "out" / "report.html").as_uri())
    assert page.js("document.querySelectorAll('article.cue').length") == 3
    assert page.js("document.querySelectorAll('.rv-tools, textarea').length") == 0
    assert page.js("getComputedStyle(document.getElementById('rv')).display") == "none"
    assert "Hello there, my friend." in page.js("document.body.innerText")
