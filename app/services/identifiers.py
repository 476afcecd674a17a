"""Identifiers (codes of units, people, tasks): the one check used by every import and the API.

A code is NFC text (tone marks in the classic place, as everywhere) without control, format (zero-width,
bidi), private-use, unassigned or surrogate characters, NUL, or spaces other than the plain space. Two
codes that look alike (the same after NFKC, case folding and `dsl.text.fold`: "HT0012", "ht0012",
"ＨＴ００１２" in full width, "HT0012" with a tone mark) are one code: a new code whose key equals
that of another stored or imported code is refused."""

from __future__ import annotations

import unicodedata

from dsl.text import canon, fold

_REFUSED = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def check_identifier(text: str) -> str:
    """The code as stored (NFC, classic tone placement), or ValueError with a Vietnamese reason."""
    if text.isascii() and text.isprintable():  # the usual code: nothing to refuse, nothing to normalise
        return text
    for position, char in enumerate(text, 1):
        category = unicodedata.category(char)
        if category in _REFUSED or (category == "Zs" and char != " "):
            name = unicodedata.name(char, "không tên")
            raise ValueError(
                f"mã chứa ký tự điều khiển, vô hình hoặc không hợp lệ U+{ord(char):04X} ({name}) "
                f"ở vị trí {position}"
            )
    return canon(text)


def look_alike_key(text: str) -> str:
    """Codes with the same key are one code for people (case, diacritics, width and compatibility forms
    ignored)."""
    return fold(unicodedata.normalize("NFKC", canon(text)).casefold())


def look_alikes(new_codes, existing_codes) -> dict[str, str]:
    """new code -> the other code (stored, or earlier among the new ones) it looks like, for each new
    code that is not exactly that code."""
    keys: dict[str, str] = {}
    for code in existing_codes:
        keys.setdefault(look_alike_key(code), code)
    out: dict[str, str] = {}
    for code in new_codes:
        key = look_alike_key(code)
        other = keys.setdefault(key, code)
        if other != code:
            out[code] = other
    return out
