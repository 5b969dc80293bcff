"""Language tags from users, config files and model packages, checked before any path is
built from them.

A tag must be a valid BCP 47 tag (checked against the IANA registry by ``langcodes``, not
a pattern of ours) made only of letters, digits, ``-`` and ``_``: so ``es``, ``pt-BR``,
``es-419`` and ``zh-Hant`` pass, and ``../../X`` or ``None`` never reach a file name.
"""

from __future__ import annotations

import re

from subloc.errors import UsageError

_SAFE = re.compile(r"[A-Za-z0-9]{1,8}(?:[-_][A-Za-z0-9]{1,8})*")
#: Codes Argos Translate's package index uses that are not BCP 47 (Traditional Chinese,
#: Brazilian Portuguese).
ARGOS_CODES = frozenset({"zt", "pb"})


def is_valid_tag(code: object) -> bool:
    """Whether ``code`` is a safe, valid BCP 47 language tag."""
    if not isinstance(code, str) or len(code) > 35 or not _SAFE.fullmatch(code):
        return False
    import langcodes  # 50 ms to import: only when a tag is checked

    return bool(langcodes.tag_is_valid(code))


def check_tags(codes: tuple[str, ...], what: str = "--to") -> tuple[str, ...]:
    """``codes`` unchanged, or a :class:`UsageError` naming the first invalid one."""
    for code in codes:
        if not is_valid_tag(code):
            raise UsageError(f"{what}: {code!r} is not a language tag; use codes like es, "
                             "fr, pt-BR, es-419 or zh-Hant")
    return codes
