"""Shared fixtures. No test may reach the network: sockets are blocked for every test."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_subs"
DATA = Path(__file__).resolve().parent / "data"


class NetworkBlocked(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def guard(*args: object, **kwargs: object) -> None:
        raise NetworkBlocked("tests must not use the network")

    original_connect = socket.socket.connect

    def connect(self: socket.socket, address: object) -> None:
        # Unix sockets are local (sqlite, multiprocessing); anything with a host is not.
        if self.family == socket.AF_UNIX:
            original_connect(self, address)  # type: ignore[arg-type]
            return
        guard()

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", guard)
    monkeypatch.setattr(socket, "getaddrinfo", guard)
    yield


@pytest.fixture
def samples() -> Path:
    return SAMPLES
