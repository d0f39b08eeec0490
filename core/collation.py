"""Swedish alphabetical order: Å, Ä, Ö come after Z; W sorts with V only in old dictionaries, not here."""

import unicodedata

_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäö"
_ORDER = {ch: i for i, ch in enumerate(_ALPHABET)}
# Letters outside the Swedish alphabet sort with their base letter (é → e, ü → y as in Swedish dictionaries).
_FOLD = {"ü": "y", "æ": "ä", "ø": "ö"}


def _fold_char(ch: str) -> str:
    if ch in _ORDER:
        return ch
    if ch in _FOLD:
        return _FOLD[ch]
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base in _ORDER else ch


def swedish_sort_key(text: str) -> tuple:
    """A key that sorts strings as a Swedish dictionary does (case-insensitive)."""
    folded = [_fold_char(ch) for ch in (text or "").strip().lower()]
    return tuple((0, _ORDER[ch]) if ch in _ORDER else (1 if ch.isdigit() else 2, ord(ch)) for ch in folded)


def swedish_initial(text: str) -> str:
    """The letter a term is listed under: A–Ö, or '#' for anything else."""
    first = _fold_char((text or " ").strip()[:1].lower())
    return first.upper() if first in _ORDER else "#"
