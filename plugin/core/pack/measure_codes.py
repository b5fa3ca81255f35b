"""Measure codes: parsing the lists councils write into their opportunity layers."""

from __future__ import annotations

import re
from collections.abc import Iterable

#: Default separators: any of ``;`` ``,`` ``|`` or whitespace.
DEFAULT_SEPARATORS = re.compile(r"[;,|\s]+")
#: What a measure code may contain after trimming and upper-casing.
CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._\-/]{0,31}$")


def parse_measure_codes(value: object, separator: str | None = None) -> tuple[str, ...]:
    """Split ``value`` into trimmed, upper-cased, de-duplicated codes (first seen order).

    ``separator`` is a literal string; ``None`` means any of ``; , |`` or whitespace.
    """
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        parts: Iterable[str] = (str(v) for v in value)
    else:
        text = str(value)
        parts = text.split(separator) if separator else DEFAULT_SEPARATORS.split(text)
    seen: dict[str, None] = {}
    for part in parts:
        code = part.strip().upper()
        if code and code != "NULL":
            seen.setdefault(code, None)
    return tuple(seen)


def invalid_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """Codes that do not look like measure codes (e.g. injection attempts)."""
    return tuple(c for c in codes if not CODE_PATTERN.match(c))


def join_codes(codes: Iterable[str]) -> str:
    """The canonical stored form: codes joined by ``;``."""
    return ";".join(codes)
