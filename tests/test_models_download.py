"""``subloc models install SOURCE TARGET`` with the core install: the Argos package index
read with the standard library from a local HTTP server on 127.0.0.1 (never the outside
network), downloads checked and installed atomically, and every failure one line, exit 3,
with nothing left half-installed."""

from __future__ import annotations

import hashlib
import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from argos_factory import build_argos_package
from conftest import NetworkBlocked
from subloc.cli import main
from subloc.engines import download
from subloc.engines.download import IndexEntry, install_pair, plan, read_index
from subloc.engines.packages import find_packages
from subloc.errors import ModelError

pytestmark = pytest.mark.loopback


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Tiny real packages: en->es, de->en (for a pivot to es) and en->de."""
    out = tmp_path_factory.mktemp("index-packages")
    return {f"{a}_{b}": build_argos_package(out, from_code=a, to_code=b, seed=seed,
                                            size="tiny").read_bytes()
            for seed, (a, b) in enumerate([("en", "es"), ("de", "en"), ("en", "de")])}


@dataclass
class Route:
    """What the server answers for a path: ``body``; ``length`` announced (default: the
    body's); ``send`` bytes of it then ``stop`` (``close`` or ``stall``); or ``status``."""

    body: bytes = b""
    length: int | None = None
    send: int | None = None
    stop: str = "close"
    status: int = 200


@dataclass
class Server:
    url: str
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    stalled = threading.Event()
    state = Server(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.hits.append(self.path)
            route = state.routes.get(self.path)
            if route is None or route.status != 200:
                self.send_error(route.status if route else 404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(route.length if route.length is not None
                                                   else len(route.body)))
            self.end_headers()
            self.wfile.write(route.body[: route.send])
            self.wfile.flush()
            if route.send is not None and route.stop == "stall":
                stalled.wait(10)
            if route.send is not None:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)

        def log_message(self, *args: object) -> None:
            pass

    class Quiet(http.server.ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that hangs up early is what several tests do

    httpd = Quiet(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield state
    finally:
        stalled.set()
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SUBLOC_MODELS_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "argos-empty"))
    monkeypatch.delenv(download.INDEX_ENV, raising=False)
    return tmp_path / "models"


def entry(from_code: str, to_code: str, link: str, **extra: object) -> dict[str, object]:
    return {"package_version": "1.0", "argos_version": "1.0", "from_code": from_code,
            "from_name": from_code, "to_code": to_code, "to_name": to_code,
            "links": [link], "code": f"translate-{from_code}_{to_code}", **extra}


def publish(server: Server, items: list[dict[str, object]], files: dict[str, bytes]) -> str:
    server.routes["/index.json"] = Route(json.dumps(items).encode())
    for name, data in files.items():
        server.routes[f"/{name}"] = Route(data)
    return f"{server.url}/index.json"


def install(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["models", "install", *args])
    return result.exit_code, result.stdout, result.stderr


def leftovers(models: Path) -> list[str]:
    return sorted(p.name for p in models.iterdir()) if models.exists() else []


def test_install_a_pair_from_the_index_then_list_and_remove(
        server: Server, models_dir: Path, tiny: dict[str, bytes]) -> None:
    data = tiny["en_es"]
    url = publish(server, [entry("en", "es", "/files/en_es.argosmodel", size=len(data),
                                 sha256=hashlib.sha256(data).hexdigest()),
                           entry("de", "en", "files/de_en.argosmodel")],  # relative link
                  {"files/en_es.argosmodel": data, "files/de_en.argosmodel": tiny["de_en"]})
    code, out, err = install("en", "es", "--index-url", url)
    assert code == 0, err
    assert out.startswith("Installed en->es 1.0 in ") and err == ""
    assert leftovers(models_dir) == ["translate-en_es"]
    assert [p.pair for p in find_packages()] == [("en", "es")]

    result = CliRunner().invoke(main, ["models", "list", "--available", "--index-url", url])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"2 packages in {url}"
    (de_en,) = [line for line in lines if line.startswith("de->en")]
    assert not de_en.rstrip().endswith("yes")
    (en_es,) = [line for line in lines if line.startswith("en->es")]
    assert en_es.rstrip().endswith("yes") and "translate-en_es" in en_es

    result = CliRunner().invoke(main, ["models", "list"])
    assert "en->es" in result.stdout and str(models_dir) in result.stdout

    result = CliRunner().invoke(main, ["models", "remove", "en-es"])
    assert result.exit_code == 0 and "Removed en->es" in result.stdout
    assert leftovers(models_dir) == []
    result = CliRunner().invoke(main, ["models", "remove", "en", "es"])
    assert result.exit_code == 3 and "no en->es model is installed" in result.stderr


def test_the_index_url_comes_from_the_environment_and_may_be_a_path(
        tmp_path: Path, models_dir: Path, tiny: dict[str, bytes],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An air-gapped machine: the index and the package in a folder, links relative."""
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "en_es.argosmodel").write_bytes(tiny["en_es"])
    (mirror / "index.json").write_text(json.dumps([entry("en", "es", "en_es.argosmodel")]))
    monkeypatch.setenv("SUBLOC_MODELS_INDEX", str(mirror / "index.json"))
    code, _, err = install("en", "es")
    assert code == 0, err
    assert leftovers(models_dir) == ["translate-en_es"]


def test_a_pair_without_a_direct_package_names_the_two_a_pivot_needs(
        server: Server, models_dir: Path, tiny: dict[str, bytes]) -> None:
    url = publish(server, [entry("de", "en", "/de_en.argosmodel"),
                           entry("en", "es", "/en_es.argosmodel")],
                  {"de_en.argosmodel": tiny["de_en"], "en_es.argosmodel": tiny["en_es"]})
    code, out, err = install("de", "es", "--index-url", url)
    assert code == 3 and out == ""
    assert err.count("\n") == 1
    assert "no direct de->es model" in err
    assert "translate-de_en 1.0 and translate-en_es 1.0" in err
    assert "subloc models install de es --pivot" in err
    assert leftovers(models_dir) == []

    code, out, err = install("de", "es", "--pivot", "--index-url", url)
    assert code == 0, err
    assert out.splitlines()[0].startswith("Installed de->en 1.0")
    assert out.splitlines()[1].startswith("Installed en->es 1.0")
    assert leftovers(models_dir) == ["translate-de_en", "translate-en_es"]


def _one_line_exit_3(args: list[str], models: Path, *expected: str) -> str:
    code, out, err = install(*args)
    assert code == 3, (code, out, err)
    assert out == "" and err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for text in expected:
        assert text in err, err
    assert leftovers(models) == [], "nothing may be left half-installed"
    return err


def test_a_truncated_download_is_refused(server: Server, models_dir: Path,
                                         tiny: dict[str, bytes]) -> None:
    data = tiny["en_es"]
    # The index knows the size: the short file is caught before it is opened.
    url = publish(server, [entry("en", "es", "/en_es.argosmodel", size=len(data))],
                  {"en_es.argosmodel": data[: len(data) // 2]})
    _one_line_exit_3(["en", "es", "--index-url", url], models_dir, "but the index says")
    # It does not: the server announces the short length, and the zip is refused.
    url = publish(server, [entry("en", "es", "/en_es.argosmodel")],
                  {"en_es.argosmodel": data[: len(data) // 2]})
    _one_line_exit_3(["en", "es", "--index-url", url], models_dir,
                     "the downloaded translate-en_es is not a valid package")


def test_a_corrupt_zip_is_refused(server: Server, models_dir: Path,
                                  tiny: dict[str, bytes]) -> None:
    data = bytearray(tiny["en_es"])
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(b ^ 0xFF for b in data[middle : middle + 64])
    url = publish(server, [entry("en", "es", "/en_es.argosmodel")],
                  {"en_es.argosmodel": bytes(data)})
    _one_line_exit_3(["en", "es", "--index-url", url], models_dir,
                     "is not a valid package", "damaged")
    # With a checksum in the index, the damage is caught before unpacking.
    url = publish(server, [entry("en", "es", "/en_es.argosmodel",
                                 sha256=hashlib.sha256(tiny["en_es"]).hexdigest())],
                  {"en_es.argosmodel": bytes(data)})
    _one_line_exit_3(["en", "es", "--index-url", url], models_dir,
                     "does not match the index's checksum")


def test_an_index_naming_a_package_that_is_not_there(server: Server, models_dir: Path
                                                     ) -> None:
    url = publish(server, [entry("en", "es", "/gone.argosmodel")], {})
    _one_line_exit_3(["en", "es", "--index-url", url], models_dir, "HTTP 404")
    _one_line_exit_3(["en", "fr", "--index-url", url], models_dir,
                     "the package index has no en->fr model")
    _one_line_exit_3(["en", "es", "--index-url", f"{server.url}/no-index.json"],
                     models_dir, "HTTP 404", "subloc models install FILE.argosmodel")
    server.routes["/bad.json"] = Route(b"<html>not json</html>")
    _one_line_exit_3(["en", "es", "--index-url", f"{server.url}/bad.json"], models_dir,
                     "is not JSON")


def test_a_server_that_stops_mid_file(server: Server, models_dir: Path,
                                      tiny: dict[str, bytes],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    data = tiny["en_es"]
    url = publish(server, [entry("en", "es", "/en_es.argosmodel")], {})
    server.routes["/en_es.argosmodel"] = Route(data, send=len(data) // 3)
    _one_line_exit_3(["en", "es", "--index-url", url], models_dir, "nothing was installed")
    # ...or goes silent: given up after the timeout.
    monkeypatch.setattr(download, "TIMEOUT", 0.5)
    server.routes["/en_es.argosmodel"] = Route(data, send=len(data) // 3, stop="stall")
    started = time.monotonic()
    _one_line_exit_3(["en", "es", "--index-url", url], models_dir, "failed", "try again")
    assert time.monotonic() - started < 8


def test_a_mirror_with_a_second_link_is_tried_when_the_first_fails(
        server: Server, models_dir: Path, tiny: dict[str, bytes]) -> None:
    item = entry("en", "es", "/missing.argosmodel")
    item["links"] = ["/missing.argosmodel", "ipfs://Qm-ignored", "/en_es.argosmodel"]
    url = publish(server, [item], {"en_es.argosmodel": tiny["en_es"]})
    code, _, err = install("en", "es", "--index-url", url)
    assert code == 0, err
    assert server.hits == ["/index.json", "/missing.argosmodel", "/en_es.argosmodel"]


def test_a_package_that_is_not_the_pair_the_index_says(server: Server, models_dir: Path,
                                                       tiny: dict[str, bytes]) -> None:
    url = publish(server, [entry("en", "es", "/en_es.argosmodel")],
                  {"en_es.argosmodel": tiny["en_de"]})
    _one_line_exit_3(["en", "es", "--index-url", url], models_dir,
                     "holds a en->de package, not en->es")


def test_progress_is_told_of_every_byte(server: Server, models_dir: Path,
                                        tiny: dict[str, bytes]) -> None:
    data = tiny["en_es"]
    url = publish(server, [entry("en", "es", "/en_es.argosmodel")],
                  {"en_es.argosmodel": data})
    events: list[tuple[str, object]] = []

    class Recorder:
        def start(self, name: str, total: int | None) -> None:
            events.append(("start", (name, total)))

        def advance(self, done: int) -> None:
            events.append(("advance", done))

        def finish(self) -> None:
            events.append(("finish", None))

    (package,) = install_pair("en", "es", url=url, progress=Recorder())
    assert package.pair == ("en", "es")
    assert events[0] == ("start", ("translate-en_es 1.0", len(data)))
    assert sum(n for kind, n in events if kind == "advance") == len(data)  # type: ignore[misc]
    assert events[-1] == ("finish", None)


def test_index_entries_that_cannot_be_used_are_skipped(server: Server) -> None:
    items = [entry("en", "es", "/a"), entry("../..", "es", "/b"), {"type": "sbd"},
             "nonsense", entry("en", "de", "/c", size="big", sha256="short")]
    url = publish(server, items, {})
    entries = read_index(url)
    assert [(e.pair, e.size, e.sha256) for e in entries] == [
        (("en", "de"), None, None), (("en", "es"), None, None)]
    assert entries[1].links == (f"{server.url}/a",)


def test_plan_prefers_the_direct_package() -> None:
    entries = [IndexEntry("de", "en", "1", ()), IndexEntry("en", "es", "1", ()),
               IndexEntry("de", "es", "2", ())]
    assert [e.name for e in plan(entries, "de", "es")] == ["translate-de_es"]
    assert [e.name for e in plan(entries[:2], "de", "es", pivot=True)] == [
        "translate-de_en", "translate-en_es"]
    with pytest.raises(ModelError, match="nor es->en and en->de"):
        plan(entries, "es", "de")


def test_without_the_loopback_mark_the_guard_still_blocks_everything() -> None:
    """The mark opens loopback only; other hosts stay blocked even here."""
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("10.1.2.3", 80), timeout=1)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(NetworkBlocked):
        sock.connect(("192.0.2.1", 80))
    sock.close()


def test_a_refused_connection_is_one_line(models_dir: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _one_line_exit_3(["en", "es", "--index-url", f"http://127.0.0.1:{port}/index.json"],
                     models_dir, "cannot download the package index", "refused")


def test_the_download_bar_counts_megabytes(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from subloc.cli.models import _DownloadBar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    bar = _DownloadBar()
    bar.start("translate-en_es 1.0", 3 * 2**20)
    for _ in range(3):
        bar.advance(2**20)
    bar.finish()
    bar.start("translate-de_en 1.0", None)
    bar.finish()
    shown = terminal.getvalue()
    assert "translate-en_es 1.0" in shown and "3.0 of 3.0 MB" in shown and "100%" in shown
    assert "downloading translate-de_en 1.0 (size unknown)" in shown
