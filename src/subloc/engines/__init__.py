"""The registry of translation engines: ``ENGINES`` maps a name to its class.

To add an engine, subclass :class:`~subloc.engines.base.Engine` in a module of this
package (its docstring says what to set) and add the class here: ``--engine`` (choices
and help), ``engine = ...`` in ``subloc.toml`` and ``subloc models list`` all read this.
"""

from __future__ import annotations

from subloc.engines.apertium import ApertiumEngine
from subloc.engines.argos import ArgosEngine
from subloc.engines.base import Engine, EngineOptions
from subloc.engines.pseudo import PseudoEngine
from subloc.errors import UsageError

ENGINES: dict[str, type[Engine]] = {
    cls.name: cls for cls in (ArgosEngine, ApertiumEngine, PseudoEngine)}


def create_engine(name: str, options: EngineOptions | None = None) -> Engine:
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
    return ENGINES[name](options)


def engines_help() -> str:
    """One line per engine, for ``--help``."""
    return "; ".join(f"{name}: {cls.summary}" for name, cls in ENGINES.items())


__all__ = ["ENGINES", "Engine", "EngineOptions", "create_engine", "engines_help"]
