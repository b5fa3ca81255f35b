"""Text from a pack, a sites file or a user, made safe to print on a terminal.

Escape sequences (which can recolour, retitle or rewrite a terminal), other control characters and
bidirectional overrides are shown as visible escapes; in one-line fields newlines are too, so a value
cannot forge an extra line of output.
"""

from __future__ import annotations

import unicodedata

#: Invisible characters that reorder text (the "Trojan source" overrides and isolates).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def _visible(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: object, one_line: bool = True) -> str:
    """``text`` with control characters (and, when ``one_line``, newlines and tabs) shown as visible escapes."""
    out = []
    for ch in str(text):
        if ch in "\n\t" and not one_line:
            out.append(ch)
        elif ch in _BIDI or unicodedata.category(ch) == "Cc":
            out.append(_visible(ch))
        else:
            out.append(ch)
    return "".join(out)


def safe_lines(lines: list[str]) -> str:
    """One line per item, whatever the items hold (each item is made one line)."""
    return "\n".join(terminal_safe(line) for line in lines)
