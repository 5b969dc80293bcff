"""Model management: list installed Argos packages, install them from a file, remove them
(downloading from the package index is :mod:`subloc.engines.download`).

An ``.argosmodel`` is a zip holding one folder with ``metadata.json``, ``model/`` (the
CTranslate2 model) and ``sentencepiece.model``. Installing validates the zip (no absolute
paths or ``..`` in members, no encrypted member, the files present, metadata readable, its
language codes valid) and unpacks it, counting the bytes really written and checking every
CRC, into a temp folder beside the destination before one rename, so a failed install
leaves nothing and nothing outside the models directory is touched.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from platformdirs import user_data_dir

from subloc.errors import InputError, ModelError, OutputError
from subloc.languages import ARGOS_CODES, is_valid_tag

log = logging.getLogger(__name__)

#: Refuse zip bombs: Argos models are 100-300 MB; no package is near this, unpacked.
MAX_UNPACKED = 4 * 2**30


def argos_packages_dir() -> Path:
    """Where argostranslate installs packages (``ARGOS_PACKAGES_DIR`` first)."""
    if os.environ.get("ARGOS_PACKAGES_DIR"):
        return Path(os.environ["ARGOS_PACKAGES_DIR"])
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "argos-translate" / "packages"


def subloc_models_dir() -> Path:
    """subloc's own models directory (``SUBLOC_MODELS_DIR`` overrides)."""
    if os.environ.get("SUBLOC_MODELS_DIR"):
        return Path(os.environ["SUBLOC_MODELS_DIR"])
    return Path(user_data_dir("subloc")) / "models"


@dataclass(frozen=True)
class ArgosPackage:
    """An installed (unzipped) Argos translate package."""

    path: Path
    from_code: str
    to_code: str
    version: str
    target_prefix: str
    metadata: dict[str, Any]

    @property
    def pair(self) -> tuple[str, str]:
        return self.from_code, self.to_code

    @property
    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())

    @classmethod
    def from_dir(cls, path: Path) -> ArgosPackage:
        meta_path = path / "metadata.json"
        try:
            metadata = json.loads(meta_path.read_text(encoding="utf-8"))
            from_code, to_code = metadata["from_code"], metadata["to_code"]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ModelError(f"not a valid Argos package ({error}); reinstall it",
                             path=path) from error
        if not (valid_code(from_code) and valid_code(to_code)):
            raise ModelError(f"not a valid Argos package (language codes {from_code!r}, "
                             f"{to_code!r}); reinstall it", path=path)
        if not (path / "model").is_dir() or not (path / "sentencepiece.model").is_file():
            raise ModelError("Argos package lacks model/ or sentencepiece.model; reinstall it",
                             path=path)
        return cls(path=path, from_code=from_code, to_code=to_code,
                   version=str(metadata.get("package_version", "0")),
                   target_prefix=str(metadata.get("target_prefix", "") or ""),
                   metadata=metadata)


def find_packages(extra: Sequence[Path] = ()) -> list[ArgosPackage]:
    """Installed translate packages: ``extra`` first, then subloc's, then argostranslate's.

    Where two provide the same pair, the first found wins (so ``--model`` paths and
    subloc's own directory take precedence over argostranslate's).
    """
    found: dict[tuple[str, str], ArgosPackage] = {}
    roots = [unpacked(path) if path.suffix == ".argosmodel" else path for path in extra]
    for root in (*roots, subloc_models_dir(), argos_packages_dir()):
        candidates = [root] if (root / "metadata.json").is_file() else (
            sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else [])
        for candidate in candidates:
            if not (candidate / "metadata.json").is_file():
                continue
            try:
                package = ArgosPackage.from_dir(candidate)
            except ModelError as error:
                log.warning("%s", error)
                continue
            if package.metadata.get("type", "translate") == "translate":
                found.setdefault(package.pair, package)
    return sorted(found.values(), key=lambda p: p.pair)


def unpacked(archive: Path) -> Path:
    """An ``.argosmodel`` given directly (``--model film.argosmodel``), unpacked once into
    the user cache (validated like an install) and reused while the file is unchanged."""
    from platformdirs import user_cache_dir

    stat = archive.stat()
    folder = Path(user_cache_dir("subloc")) / "argosmodels" / (
        f"{archive.stem}-{stat.st_size}-{int(stat.st_mtime)}")
    if not folder.is_dir() or not any(folder.iterdir()):
        install_file(archive, folder)
    return folder


def list_packages() -> list[ArgosPackage]:
    return find_packages()


def valid_code(code: object) -> bool:
    """A package's ``from_code``/``to_code``: a BCP 47 tag, or one of Argos's own codes."""
    return (isinstance(code, str) and code in ARGOS_CODES) or is_valid_tag(code)


def validate_archive(archive: zipfile.ZipFile, path: Path) -> str:
    """Check an ``.argosmodel`` zip; return the name of its top-level folder."""
    names = archive.namelist()
    tops = set()
    for info in archive.infolist():
        name = info.filename
        member = PurePosixPath(name)
        if member.is_absolute() or ".." in member.parts or "\\" in name or ":" in name:
            raise InputError(f"unsafe member {name!r} in the archive; refusing to install",
                             path=path)
        if info.flag_bits & 0x1:
            raise InputError(f"member {name!r} is encrypted; an Argos package never is, "
                             "refusing to install", path=path)
        tops.add(member.parts[0])
    if len(tops) != 1:
        raise InputError("an .argosmodel must hold exactly one top-level folder", path=path)
    top = tops.pop()
    for required in ("metadata.json", "sentencepiece.model", "model/model.bin"):
        if f"{top}/{required}" not in names:
            raise InputError(f"not an Argos translate package: {required} is missing",
                             path=path)
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
        raise InputError(f"archive unpacks to more than {MAX_UNPACKED // 2**30} GB; refusing "
                         "to install", path=path)
    try:
        metadata = json.loads(_read_member(archive, f"{top}/metadata.json", path))
        codes = metadata["from_code"], metadata["to_code"]
    except (ValueError, KeyError, TypeError) as error:
        raise InputError(f"metadata.json is not valid ({error})", path=path) from error
    for field, code in zip(("from_code", "to_code"), codes, strict=True):
        if not valid_code(code):
            raise InputError(f"metadata.json: {field} {code!r} is not a language code; "
                             "refusing to install", path=path)
    return top


def _read_member(archive: zipfile.ZipFile, name: str, path: Path) -> bytes:
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise InputError(f"the archive is damaged ({name}: {error}); download it again",
                         path=path) from error


def _extract(archive: zipfile.ZipFile, staging: Path, path: Path) -> None:
    """Unpack every member as a regular file, counting the bytes really written (declared
    sizes can lie) and checking each member's CRC as zipfile reads it."""
    written = 0
    for info in archive.infolist():
        target = staging.joinpath(*PurePosixPath(info.filename).parts)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with archive.open(info) as source, open(target, "wb") as out:
                while chunk := source.read(1 << 20):
                    written += len(chunk)
                    if written > MAX_UNPACKED:
                        raise InputError(f"archive unpacks to more than "
                                         f"{MAX_UNPACKED // 2**30} GB; refusing to install",
                                         path=path)
                    out.write(chunk)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
            raise InputError(f"the archive is damaged ({info.filename}: {error}); download "
                             "it again", path=path) from error
        except OSError as error:
            raise OutputError(f"cannot unpack the model: {error.strerror or error}",
                              path=staging.parent) from error


def install_file(path: Path, models_dir: Path | None = None) -> ArgosPackage:
    """Install an ``.argosmodel`` file into subloc's models directory, atomically.

    Nothing outside the models directory is ever renamed or deleted: the install path is
    built only from validated language codes and checked to be a child of that directory.
    """
    destination_root = (models_dir or subloc_models_dir()).absolute()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise InputError(f"cannot open as an .argosmodel zip: {error}", path=path) from error
    with archive:
        top = validate_archive(archive, path)
        try:
            destination_root.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".install-", dir=destination_root))
        except OSError as error:
            raise OutputError(f"cannot create the models directory: {error.strerror or error}",
                              path=destination_root) from error
        try:
            _extract(archive, staging, path)
            package = ArgosPackage.from_dir(staging / top)
            final = _install_path(destination_root, package)
            if final.exists():
                old = final.with_name(final.name + ".old")
                shutil.rmtree(old, ignore_errors=True)
                final.rename(old)
                (staging / top).rename(final)
                shutil.rmtree(old, ignore_errors=True)
            else:
                (staging / top).rename(final)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return ArgosPackage.from_dir(final)


def _install_path(root: Path, package: ArgosPackage) -> Path:
    """``root/translate-<from>_<to>``, from validated codes, checked to stay in ``root``."""
    if not (valid_code(package.from_code) and valid_code(package.to_code)):
        raise InputError(f"metadata.json: {package.from_code!r}->{package.to_code!r} are not "
                         "language codes; refusing to install", path=package.path)
    final = root / f"translate-{package.from_code}_{package.to_code}"
    if final.resolve().parent != root.resolve():
        raise InputError("the package would install outside the models directory; refusing",
                         path=package.path)
    return final


def remove_package(source: str, target: str, models_dir: Path | None = None) -> Path:
    """Remove an installed pair from subloc's models directory (renamed aside first, so a
    failure half-way leaves no package that looks whole); returns where it was."""
    root = (models_dir or subloc_models_dir()).absolute()
    own = [p for p in find_packages_in(root) if p.pair == (source, target)]
    if not own:
        elsewhere = [p for p in find_packages() if p.pair == (source, target)]
        if elsewhere:
            raise ModelError(f"{source}->{target} is installed in {elsewhere[0].path}, not in "
                             f"subloc's models directory ({root}); remove it with the tool "
                             "that installed it (argospm remove)")
        raise ModelError(f"no {source}->{target} model is installed in {root}; see "
                         "'subloc models list'")
    removed = []
    for package in own:
        path = package.path
        if path.resolve().parent != root.resolve():
            raise InputError("the package is not inside the models directory; refusing to "
                             "remove it", path=path)
        aside = Path(tempfile.mkdtemp(prefix=".remove-", dir=root))
        try:
            path.rename(aside / path.name)
        except OSError as error:
            shutil.rmtree(aside, ignore_errors=True)
            raise OutputError(f"cannot remove the model: {error.strerror or error}",
                              path=path) from error
        shutil.rmtree(aside, ignore_errors=True)
        removed.append(path)
    return removed[0]


def find_packages_in(root: Path) -> list[ArgosPackage]:
    """The translate packages directly inside ``root``."""
    if not root.is_dir():
        return []
    found = []
    for candidate in sorted(p for p in root.iterdir() if p.is_dir()):
        if not (candidate / "metadata.json").is_file():
            continue
        try:
            package = ArgosPackage.from_dir(candidate)
        except ModelError as error:
            log.warning("%s", error)
            continue
        if package.metadata.get("type", "translate") == "translate":
            found.append(package)
    return found
