"""Argos packages from a package index, with the standard library only (no torch).

The index is Argos Translate's JSON list of packages (``from_code``, ``to_code``,
``package_version``, ``links``; a mirror may add ``size`` in bytes and ``sha256``). It is
read from :data:`DEFAULT_INDEX`, or from the URL or path given with ``--index-url`` or in
``SUBLOC_MODELS_INDEX`` (a mirror, or a folder on a USB stick for an air-gapped
machine: ``file://`` URLs and plain paths work, and links relative to the index are
resolved against it).

A download goes to a temp file beside the models directory, is checked against the size
the index or the server announced (and the index's checksum, when it has one), and is
then installed through :func:`~subloc.engines.packages.install_file`, which validates and
unpacks it atomically; the temp file is removed whatever happens. Every network failure
is a :class:`~subloc.errors.ModelError` (one line, exit 3).
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import logging
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from subloc.engines.packages import (
    ArgosPackage,
    install_file,
    subloc_models_dir,
    valid_code,
    validate_archive,
)
from subloc.errors import InputError, ModelError, OutputError

log = logging.getLogger(__name__)

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
INDEX_ENV = "SUBLOC_MODELS_INDEX"
PIVOT = "en"
#: Seconds a connection may stay silent before the download is given up.
TIMEOUT = 30.0
#: An index is a few tens of KB; a package a few hundred MB.
MAX_INDEX = 16 * 2**20
MAX_PACKAGE = 4 * 2**30
_CHUNK = 1 << 16
_OFFLINE_HINT = ("without network access, download the .argosmodel file elsewhere and run "
                 "'subloc models install FILE.argosmodel', or point --index-url (or "
                 f"{INDEX_ENV}) at a mirror")


class DownloadProgress(Protocol):
    """Told about a download: its name and size (None if unknown), then bytes as they
    arrive."""

    def start(self, name: str, total: int | None) -> None: ...

    def advance(self, done: int) -> None: ...

    def finish(self) -> None: ...


class NoDownloadProgress:
    def start(self, name: str, total: int | None) -> None:
        pass

    def advance(self, done: int) -> None:
        pass

    def finish(self) -> None:
        pass


@dataclass(frozen=True)
class IndexEntry:
    """A translate package the index offers."""

    from_code: str
    to_code: str
    version: str
    links: tuple[str, ...]
    size: int | None = None
    sha256: str | None = None

    @property
    def pair(self) -> tuple[str, str]:
        return self.from_code, self.to_code

    @property
    def name(self) -> str:
        return f"translate-{self.from_code}_{self.to_code}"


def index_url(url: str | None = None) -> str:
    """The index to read: ``url``, else ``$SUBLOC_MODELS_INDEX``, else Argos's; a path
    becomes a ``file://`` URL."""
    chosen = url or os.environ.get(INDEX_ENV) or DEFAULT_INDEX
    if "://" not in chosen:
        return Path(chosen).expanduser().absolute().as_uri()
    return chosen


def read_index(url: str | None = None) -> list[IndexEntry]:
    """The translate packages of the index (entries it cannot use are skipped)."""
    location = index_url(url)
    data = bytearray()
    with _open(location, "the package index") as response:
        while chunk := _read(response, location, "the package index"):
            data += chunk
            if len(data) > MAX_INDEX:
                raise ModelError(f"the package index at {location} is larger than "
                                 f"{MAX_INDEX // 2**20} MB; is it an index?")
    try:
        items = json.loads(bytes(data).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise ModelError(f"the package index at {location} is not JSON ({error})") from error
    if not isinstance(items, list):
        raise ModelError(f"the package index at {location} is not a list of packages")
    entries = [entry for item in items if (entry := _entry(item, location)) is not None]
    return sorted(entries, key=lambda e: e.pair)


def _entry(item: object, base: str) -> IndexEntry | None:
    if not isinstance(item, dict) or item.get("type", "translate") != "translate":
        return None
    from_code, to_code = item.get("from_code"), item.get("to_code")
    links = item.get("links")
    if not (valid_code(from_code) and valid_code(to_code)) or not isinstance(links, list):
        log.info("package index: skipping an entry without valid codes or links: %.80r", item)
        return None
    assert isinstance(from_code, str) and isinstance(to_code, str)
    usable = tuple(urllib.parse.urljoin(base, link) for link in links
                   if isinstance(link, str) and urllib.parse.urlsplit(
                       urllib.parse.urljoin(base, link)).scheme in ("http", "https", "file"))
    size = item.get("size")
    checksum = item.get("sha256")
    return IndexEntry(
        from_code=from_code, to_code=to_code,
        version=str(item.get("package_version", "0")), links=usable,
        size=size if isinstance(size, int) and not isinstance(size, bool) and size > 0
        else None,
        sha256=checksum.lower() if isinstance(checksum, str) and len(checksum) == 64
        else None)


def plan(entries: Sequence[IndexEntry], source: str, target: str,
         pivot: bool = False) -> list[IndexEntry]:
    """The packages to install for a pair: the direct one; else, with ``pivot``, the two
    through English; else a :class:`ModelError` naming them."""
    found = {entry.pair: entry for entry in entries}
    if (source, target) in found:
        return [found[(source, target)]]
    first, second = found.get((source, PIVOT)), found.get((PIVOT, target))
    if first is not None and second is not None:
        if pivot:
            return [first, second]
        raise ModelError(
            f"the package index has no direct {source}->{target} model; translating "
            f"through English needs {first.name} {first.version} and {second.name} "
            f"{second.version}: install both with 'subloc models install {source} {target} "
            "--pivot'")
    if PIVOT in (source, target):
        raise ModelError(f"the package index has no {source}->{target} model; see "
                         "'subloc models list --available'")
    missing = [f"{a}->{b}" for a, b in ((source, PIVOT), (PIVOT, target))
               if (a, b) not in found]
    raise ModelError(f"the package index has no {source}->{target} model (nor "
                     f"{' and '.join(missing)} to go through English); "
                     "see 'subloc models list --available'")


def install_pair(source: str, target: str, *, url: str | None = None, pivot: bool = False,
                 models_dir: Path | None = None,
                 progress: DownloadProgress | None = None) -> list[ArgosPackage]:
    """Download and install the package(s) a pair needs; see the module docstring."""
    entries = plan(read_index(url), source, target, pivot)
    return [install_entry(entry, models_dir=models_dir, progress=progress)
            for entry in entries]


def install_entry(entry: IndexEntry, *, models_dir: Path | None = None,
                  progress: DownloadProgress | None = None) -> ArgosPackage:
    """Download one package (trying its links in order) and install it."""
    if not entry.links:
        raise ModelError(f"the package index lists no http(s) or file link for {entry.name}")
    root = (models_dir or subloc_models_dir()).absolute()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create the models directory: {error.strerror or error}",
                          path=root) from error
    failures: list[ModelError] = []
    for link in entry.links:
        try:
            downloaded = download(entry, link, root, progress or NoDownloadProgress())
        except ModelError as error:
            failures.append(error)
            continue
        try:
            pair = package_pair(downloaded)
            if pair != entry.pair:
                raise ModelError(f"{link} holds a {pair[0]}->{pair[1]} package, not "
                                 f"{entry.from_code}->{entry.to_code} as the index says; "
                                 "nothing was installed")
            return install_file(downloaded, root)
        except InputError as error:
            raise ModelError(f"the downloaded {entry.name} is not a valid package "
                             f"({error.message}); the index or mirror may be damaged; "
                             "nothing was installed") from error
        finally:
            downloaded.unlink(missing_ok=True)
    raise failures[-1]


def package_pair(path: Path) -> tuple[str, str]:
    """The language pair an ``.argosmodel`` says it is (validated as an install does)."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise InputError(f"not a zip archive: {error}", path=path) from error
    with archive:
        top = validate_archive(archive, path)
        metadata = json.loads(archive.read(f"{top}/metadata.json"))
    return str(metadata["from_code"]), str(metadata["to_code"])


def download(entry: IndexEntry, link: str, directory: Path,
             progress: DownloadProgress) -> Path:
    """``link`` into a temp file in ``directory``, checked against the announced size and
    checksum; the temp file is removed on any failure."""
    handle, name = tempfile.mkstemp(prefix=".download-", suffix=".argosmodel",
                                    dir=directory)
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as out, _open(link, entry.name) as response:
            announced = _content_length(response)
            if entry.size is not None and announced is not None and announced != entry.size:
                raise ModelError(f"{link} is {announced:,} bytes, but the index says "
                                 f"{entry.size:,}; the mirror may hold another version; "
                                 "nothing was installed")
            expected = entry.size if entry.size is not None else announced
            digest = hashlib.sha256()
            written = 0
            progress.start(f"{entry.name} {entry.version}", expected)
            try:
                while chunk := _read(response, link, entry.name):
                    written += len(chunk)
                    if written > (expected if expected is not None else MAX_PACKAGE):
                        raise ModelError(f"{link} sent more than the {expected or MAX_PACKAGE}"
                                         " bytes announced; nothing was installed")
                    out.write(chunk)
                    digest.update(chunk)
                    progress.advance(len(chunk))
            finally:
                progress.finish()
        if expected is not None and written != expected:
            raise ModelError(f"the download of {entry.name} was cut short ({written:,} of "
                             f"{expected:,} bytes); nothing was installed; try again")
        if entry.sha256 is not None and digest.hexdigest() != entry.sha256:
            raise ModelError(f"the download of {entry.name} does not match the index's "
                             "checksum; nothing was installed; try again or use another "
                             "mirror")
        return path
    except OSError as error:
        path.unlink(missing_ok=True)
        raise OutputError(f"cannot write the download: {error.strerror or error}",
                          path=directory) from error
    except BaseException:
        path.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _open(url: str, what: str) -> Iterator[Any]:
    request = urllib.request.Request(url, headers={"User-Agent": "subloc"})
    try:
        response = urllib.request.urlopen(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as error:
        raise ModelError(f"cannot download {what} from {url}: HTTP {error.code} "
                         f"{error.reason}; {_OFFLINE_HINT}") from error
    except Exception as error:  # URLError, timeouts, refused, DNS: many types
        raise ModelError(f"cannot download {what} from {url} ({_reason(error)}); "
                         f"{_OFFLINE_HINT}") from error
    with response:
        yield response



def _read(response: Any, url: str, what: str) -> bytes:
    try:
        return bytes(response.read(_CHUNK))
    except http.client.IncompleteRead as error:
        raise ModelError(f"the connection closed in the middle of {what} from {url} "
                         f"({len(error.partial):,} bytes of the last chunk); nothing was "
                         "installed; try again") from error
    except Exception as error:  # timeouts, resets
        raise ModelError(f"the download of {what} from {url} failed ({_reason(error)}); "
                         "nothing was installed; try again") from error


def _content_length(response: Any) -> int | None:
    value = response.headers.get("Content-Length") if hasattr(response, "headers") else None
    try:
        length = int(value) if value is not None else None
    except ValueError:
        return None
    return length if length is not None and length >= 0 else None


def _reason(error: BaseException) -> str:
    if isinstance(error, urllib.error.URLError):
        reason = error.reason
        return str(getattr(reason, "strerror", None) or reason)
    if isinstance(error, TimeoutError):
        return f"no answer for {TIMEOUT:g} s"
    return str(error) or type(error).__name__
