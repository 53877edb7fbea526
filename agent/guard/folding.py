"""Fold text the way an adversary cannot undo: invisible characters, look-alikes, case.

A model (or a pasted event) can hide "spray" as "ѕрrау" (Cyrillic), "spr\u200bay"
(zero-width space), "ＳＰＲＡＹ" (full width) or "s p r a y". Folding maps all of
them to the same plain lower-case letters before anything is matched, while
keeping French accents for the lemmatiser (they are folded later, per token).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACED_LETTERS = re.compile(r"\b(?:[^\W\d_][ .\-]){3,}[^\W\d_]\b")
_WITHOUT = re.compile(r"\bw/o\b|\bw/out\b")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})


@lru_cache(maxsize=1)
def _homoglyphs() -> dict[str, str]:
    """Non-Latin characters that look like a Latin letter or digit, mapped to it.

    Built once from the Unicode confusables table shipped by confusable-homoglyphs.
    """
    from confusable_homoglyphs import confusables

    table: dict[str, str] = {}
    for char, glyphs in confusables.confusables_data.items():
        if len(char) != 1 or char.isascii() or _is_latin(char):
            continue
        for glyph in glyphs:
            target = glyph["c"]
            if len(target) == 1 and target.isascii() and target.isalnum():
                table[char] = target.lower()
                break
    return table


_PLAIN = re.compile("[^\u00d7\u02db-\u1fff\u2070-\u209f\u20d0-\u218f\u2200-\U0010ffff]*")
"""Text in which no character can be a look-alike: below U+02DB (Latin, accents) but the
multiplication sign, general punctuation, currency signs, arrows (a test holds every
character of the table outside these ranges)."""


def _may_hide_letters(text: str) -> bool:
    """Whether ``text`` has a character the look-alike table may map (building it is 30 ms)."""
    return _PLAIN.fullmatch(text) is None


def _is_latin(char: str) -> bool:
    return "LATIN" in unicodedata.name(char, "")


def visible(text: str) -> str:
    """NFKC text without format characters (zero-width spaces, joiners, soft hyphens, BOM)."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def fold_glyphs(text: str) -> str:
    """Lower-case text with look-alike letters replaced by the Latin ones; accents kept."""
    text = visible(text).translate(_APOSTROPHES).lower()
    if _may_hide_letters(text):
        table = _homoglyphs()
        text = "".join(table.get(c, c) for c in text)
    text = _WITHOUT.sub("without", text)
    return _SPACED_LETTERS.sub(lambda m: re.sub(r"[ .\-]", "", m[0]), text)


def latin_cased(text: str) -> str:
    """Visible text with look-alike letters replaced by Latin ones, case kept.

    Proper names are told by their capital ("a mistake from Juliеn" with a Cyrillic "е").
    """
    text = visible(text)
    if not _may_hide_letters(text):
        return text
    table = _homoglyphs()
    return "".join(
        (table[c].upper() if c.isupper() else table[c]) if c in table else c for c in text
    )


@lru_cache(maxsize=65536)
def strip_accents(word: str) -> str:
    """``évacués`` -> ``evacues``: the form typed on a keyboard without accents."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))
