"""Shared fixtures. No test may reach the network: sockets are blocked for every test.

A test marked ``@pytest.mark.loopback`` may connect to 127.0.0.1, ::1 and localhost only
(a server it runs itself, e.g. a package index); everything else stays blocked.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_subs"
DATA = Path(__file__).resolve().parent / "data"


class NetworkBlocked(RuntimeError):
    pass


def _is_loopback(host: object) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
                ) -> Iterator[None]:
    loopback = request.node.get_closest_marker("loopback") is not None

    def guard(*args: object, **kwargs: object) -> None:
        raise NetworkBlocked("tests must not use the network")

    original_connect = socket.socket.connect
    original_create_connection = socket.create_connection
    original_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: object) -> None:
        # Unix sockets are local (sqlite, multiprocessing); anything with a host is not,
        # unless the test is marked loopback and the host is this machine.
        if self.family == socket.AF_UNIX or (
                loopback and isinstance(address, tuple) and _is_loopback(address[0])):
            original_connect(self, address)  # type: ignore[arg-type]
            return
        guard()

    def create_connection(address: tuple[str, int], *args: object, **kwargs: object
                          ) -> socket.socket:
        if loopback and _is_loopback(address[0]):
            return original_create_connection(address, *args, **kwargs)  # type: ignore[arg-type]
        raise NetworkBlocked("tests must not use the network")

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if loopback and _is_loopback(host):
            return original_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]
        raise NetworkBlocked("tests must not use the network")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield


@pytest.fixture
def samples() -> Path:
    return SAMPLES
