"""Model management: list installed Argos packages, install them from a file or the index.

An ``.argosmodel`` is a zip holding one folder with ``metadata.json``, ``model/`` (the
CTranslate2 model) and ``sentencepiece.model``. Installing validates the zip (no absolute
paths or ``..`` in members, the files present, metadata readable) and unpacks it into a
temp folder beside the destination before one rename, so a failed install leaves nothing.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from subloc.engines.argos import ArgosPackage, find_packages, subloc_models_dir
from subloc.errors import InputError, ModelError

_MAX_UNPACKED = 8 * 2**30  # refuse zip bombs: no Argos model is near this


def list_packages() -> list[ArgosPackage]:
    return find_packages()


def validate_archive(archive: zipfile.ZipFile, path: Path) -> str:
    """Check an ``.argosmodel`` zip; return the name of its top-level folder."""
    names = archive.namelist()
    tops = set()
    for name in names:
        member = PurePosixPath(name)
        if member.is_absolute() or ".." in member.parts or "\\" in name or ":" in name:
            raise InputError(f"unsafe member {name!r} in the archive; refusing to install",
                             path=path)
        tops.add(member.parts[0])
    if len(tops) != 1:
        raise InputError("an .argosmodel must hold exactly one top-level folder", path=path)
    top = tops.pop()
    for required in ("metadata.json", "sentencepiece.model", "model/model.bin"):
        if f"{top}/{required}" not in names:
            raise InputError(f"not an Argos translate package: {required} is missing",
                             path=path)
    if sum(info.file_size for info in archive.infolist()) > _MAX_UNPACKED:
        raise InputError("archive unpacks to more than 8 GB; refusing to install", path=path)
    try:
        metadata = json.loads(archive.read(f"{top}/metadata.json"))
        metadata["from_code"], metadata["to_code"]
    except (ValueError, KeyError, TypeError) as error:
        raise InputError(f"metadata.json is not valid ({error})", path=path) from error
    return top


def install_file(path: Path, models_dir: Path | None = None) -> ArgosPackage:
    """Install an ``.argosmodel`` file into subloc's models directory, atomically."""
    destination_root = models_dir or subloc_models_dir()
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise InputError(f"cannot open as an .argosmodel zip: {error}", path=path) from error
    with archive:
        top = validate_archive(archive, path)
        destination_root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".install-", dir=destination_root))
        try:
            archive.extractall(staging)
            package = ArgosPackage.from_dir(staging / top)
            final = destination_root / f"translate-{package.from_code}_{package.to_code}"
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


def install_from_index(source: str, target: str, models_dir: Path | None = None) -> ArgosPackage:
    """Download a pair from the Argos package index (needs ``subloc[argos]`` and network)."""
    hint = ("download the .argosmodel file on a machine with network access and run "
            "'subloc models install FILE.argosmodel'")
    try:
        from argostranslate import package as argos_package
    except ImportError as error:
        raise ModelError(
            f"downloading models needs the optional argostranslate package "
            f"(pip install 'subloc[argos]'); or {hint}") from error
    try:
        argos_package.update_package_index()
        available = [p for p in argos_package.get_available_packages()
                     if p.from_code == source and p.to_code == target]
        if not available:
            raise ModelError(f"the Argos package index has no {source}->{target} model")
        downloaded = Path(available[0].download())
    except ModelError:
        raise
    except Exception as error:  # network errors come in many types from urllib
        raise ModelError(f"cannot download the {source}->{target} model ({error}); {hint}"
                         ) from error
    return install_file(downloaded, models_dir)
