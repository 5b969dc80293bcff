import socket
import urllib.request

import pytest

from conftest import NetworkBlocked


def test_sockets_cannot_connect() -> None:
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("127.0.0.1", 9))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(NetworkBlocked):
        sock.connect(("127.0.0.1", 9))
    sock.close()


def test_urllib_cannot_fetch() -> None:
    with pytest.raises((NetworkBlocked, OSError)):
        urllib.request.urlopen("http://example.com", timeout=1)
