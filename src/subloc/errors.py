"""One exception hierarchy for everything subloc reports to a user.

Every error carries the fields a user needs to find the problem (file, line, cue, stage)
and a message that says what to do next. The CLI turns one into a single line and an
exit code; nothing below the CLI prints.
"""

from __future__ import annotations

from pathlib import Path

#: Exit codes shared by every command (documented in the README and in ``--help``).
EXIT_OK = 0
EXIT_QA = 1
EXIT_INPUT = 2
EXIT_ENGINE = 3
#: An unexpected exception: a bug in subloc (``--debug`` shows the traceback).
EXIT_BUG = 4
#: Interrupted by the user (Ctrl-C), as shells report it.
EXIT_INTERRUPTED = 130


class SublocError(Exception):
    """Base class. ``exit_code`` is what the CLI exits with when this is the worst error."""

    exit_code = EXIT_INPUT

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        cue: int | None = None,
        stage: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.cue = cue
        self.stage = stage

    def located(self, path: str | Path | None = None) -> SublocError:
        """Return self with ``path`` filled in when it was not known where raised."""
        if self.path is None and path is not None:
            self.path = str(path)
        return self

    def __str__(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where += f":{self.line}"
        if self.cue is not None:
            where += f" (cue {self.cue})"
        return f"{where}: {self.message}" if where else self.message


class InputError(SublocError):
    """The input cannot be read as a subtitle file."""


class FormatError(InputError):
    """Unknown, undetectable or unsupported subtitle format."""


class ParseError(InputError):
    """The file is in a known format but its content is malformed."""


class DecodeError(InputError):
    """The bytes cannot be decoded as text in any supported encoding."""


class UsageError(SublocError):
    """The command line or configuration is wrong."""


class OutputError(SublocError):
    """An output file cannot be written."""


class ModelError(SublocError):
    """A translation model is missing or cannot be loaded."""

    exit_code = EXIT_ENGINE


class EngineError(SublocError):
    """The translation engine failed while translating."""

    exit_code = EXIT_ENGINE
