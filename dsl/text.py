"""Text normalisation: NFC, one tone-mark style, and folding for aliases and suggestions."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Tone marks as combining characters (after NFD).
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
# A syllable-final "oa", "oe" or "uy" (not after "q") whose tone sits on the second vowel: move it to
# the first ("hoà" -> "hòa", "huỷ" -> "hủy"). Works on the NFD form, so it sees the bare vowels.
_NEW_STYLE = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])([" + _TONES + r"])(?![^\W_]|[\u0300-\u036f])")
_PAIR_OK = {("o", "a"), ("o", "e"), ("u", "y")}


def _move_tone(m: re.Match[str]) -> str:
    first, second, tone = m.group(1), m.group(2), m.group(3)
    if (first.lower(), second.lower()) not in _PAIR_OK:
        return m.group(0)
    return first + tone + second


def canon(text: str) -> str:
    """NFC with the classic tone placement; the result has the same length as NFC(text)."""
    if text.isascii():
        return text
    nfd = unicodedata.normalize("NFD", text)
    nfd = _NEW_STYLE.sub(_move_tone, nfd)
    return unicodedata.normalize("NFC", nfd)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase without diacritics ("Hạn hoàn thành" -> "han hoan thanh"); đ becomes d."""
    nfd = unicodedata.normalize("NFD", text.lower())
    out = "".join(ch for ch in nfd if not unicodedata.combining(ch))
    return out.replace("đ", "d")


def header_key(text: str) -> str:
    """Key for matching column headers: folded, without spaces, underscores or dashes."""
    return re.sub(r"[\s_\-\.]+", "", fold(canon(text.strip().lstrip("\ufeff"))))


def identifier_of(label: str) -> str:
    """The identifier a Vietnamese label stands for: "Số lần sai sót lớn" -> "số_lần_sai_sót_lớn"."""
    return re.sub(r"\s+", "_", canon(label.strip()).lower())


def similarity_key(name: str) -> str:
    return fold(canon(name)).replace("_", "")


def suggest(name: str, candidates: list[str] | set[str] | tuple[str, ...]) -> str | None:
    """The candidate that matches `name` ignoring diacritics, else the closest one, else None."""
    import difflib

    key = similarity_key(name)
    keyed: dict[str, str] = {}
    for cand in sorted(candidates):
        keyed.setdefault(similarity_key(cand), cand)
    if key in keyed:
        return keyed[key]
    close = difflib.get_close_matches(key, list(keyed), n=1, cutoff=0.75)
    return keyed[close[0]] if close else None
