"""The registry of translation engines: ``ENGINES`` maps a name to its class.

To add an engine, subclass :class:`~subloc.engines.base.Engine` in a module of this
package (its docstring says what to set) and add a line to :data:`REGISTRY`: ``--engine``
(choices and help), ``engine = ...`` in ``subloc.toml`` and ``subloc models list`` all read
it. An engine's module is imported only when the engine is used, so ``subloc --help``
stays fast.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any

from subloc.errors import UsageError

if TYPE_CHECKING:
    from subloc.engines.base import Engine, EngineOptions

#: name -> (module, class, one line for ``--help`` and ``subloc models list``).
REGISTRY: dict[str, tuple[str, str, str]] = {
    "argos": ("subloc.engines.argos", "ArgosEngine",
              "installed Argos Translate models (subloc models install en es)"),
    "apertium": ("subloc.engines.apertium", "ApertiumEngine",
                 "Apertium's rule-based pairs, installed with apt (apertium-eng-spa, ...)"),
    "pseudo": ("subloc.engines.pseudo", "PseudoEngine",
               "pseudo-localization, no model (test layout and line lengths)"),
}


class _Engines(Mapping[str, "type[Engine]"]):
    """The registry's classes, each imported when first asked for."""

    def __getitem__(self, name: str) -> type[Engine]:
        module, class_name, _summary = REGISTRY[name]
        engine_class: type[Engine] = getattr(import_module(module), class_name)
        return engine_class

    def __iter__(self) -> Iterator[str]:
        return iter(REGISTRY)

    def __len__(self) -> int:
        return len(REGISTRY)


ENGINES: Mapping[str, type[Engine]] = _Engines()


def summary(name: str) -> str:
    return REGISTRY[name][2]


def __getattr__(name: str) -> Any:
    # Engine and EngineOptions come from the base module, imported when first used.
    if name in ("Engine", "EngineOptions"):
        return getattr(import_module("subloc.engines.base"), name)
    raise AttributeError(f"module 'subloc.engines' has no attribute {name!r}")


def create_engine(name: str, options: EngineOptions | None = None) -> Engine:
    if name not in REGISTRY:
        raise UsageError(f"unknown engine {name!r}; choose one of: {', '.join(REGISTRY)}")
    return ENGINES[name](options)


def engines_help() -> str:
    """One line per engine, for ``--help``."""
    return "; ".join(f"{name}: {summary(name)}" for name in REGISTRY)


__all__ = ["ENGINES", "REGISTRY", "Engine", "EngineOptions", "create_engine", "engines_help",
           "summary"]
