"""The registry of translation engines: ``ENGINES`` maps a name to its class.

To add an engine, subclass :class:`~subloc.engines.base.Engine` in a module of this
package and add it here.
"""

from __future__ import annotations

from subloc.engines.argos import ArgosEngine
from subloc.engines.base import Engine, EngineOptions
from subloc.engines.pseudo import PseudoEngine
from subloc.errors import UsageError

ENGINES: dict[str, type[Engine]] = {cls.name: cls for cls in (ArgosEngine, PseudoEngine)}


def create_engine(name: str, options: EngineOptions | None = None) -> Engine:
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
    return ENGINES[name](options)


__all__ = ["ENGINES", "Engine", "EngineOptions", "create_engine"]
