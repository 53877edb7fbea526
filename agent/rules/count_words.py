"""Counts as operators write them: digits, number words, vague quantities (EN and FR).

Digits ("1 200", "1,200"), words up to the thousands ("twenty-three", "deux cents",
"two thousand") and vague quantities ("several", "une dizaine").

One regex reads them all (:data:`NUM`); :func:`parse_number` turns the words it matched into
the count. A vague quantity is the lowest count it can mean: severity is a lower bound.

The ~900 number words make a ~9,400-character prefix tree, and ~30 reader patterns embed
it: compiling them all was a quarter of a ``crisiscell suggest`` process. So :data:`NUM`
is a template whose words are filled per text (:func:`fill`) with only the number words
that text contains (:func:`words_for`): the same matches, for a pattern a few hundred
characters long.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

UNITS_EN = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS_EN = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
UNITS_FR = [
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "dix-sept",
    "dix-huit",
    "dix-neuf",
]
TENS_FR = ["vingt", "trente", "quarante", "cinquante", "soixante"]
# Vague quantities, read as the lowest count they can mean (severity is a lower bound).
VAGUE = {
    "a": 1,
    "an": 1,
    "une": 1,
    "several": 2,
    "many": 2,
    "a few": 2,
    "plusieurs": 2,
    "quelques": 2,
    "nombreux": 2,
    "nombreuses": 2,
    "a dozen": 12,
    "une douzaine": 12,
    "dozens": 24,
    "dozens of": 24,
    "une dizaine": 10,
    "une quinzaine": 15,
    "une vingtaine": 20,
    "une trentaine": 30,
    "une quarantaine": 40,
    "une cinquantaine": 50,
    "une centaine": 100,
    "dizaines": 20,
    "hundreds": 200,
    "centaines": 200,
    "thousands": 2000,
    "milliers": 2000,
}


def _below_hundred() -> dict[str, int]:
    """1-99 in words, EN ("twenty-three") and FR ("vingt-trois", "soixante-dix")."""
    words = {w: i + 1 for i, w in enumerate(UNITS_EN)} | {w: i + 1 for i, w in enumerate(UNITS_FR)}
    for i, ten in enumerate(TENS_EN):
        words[ten] = 20 + 10 * i
        for j, unit in enumerate(UNITS_EN[:9]):
            words[f"{ten}-{unit}"] = words[f"{ten} {unit}"] = 21 + 10 * i + j
    for i, ten in enumerate(TENS_FR):
        words[ten] = 20 + 10 * i
        words[f"{ten} et un"] = words[f"{ten}-et-un"] = 21 + 10 * i
        for j, unit in enumerate(UNITS_FR[1:9]):
            words[f"{ten}-{unit}"] = 22 + 10 * i + j
    for j, unit in enumerate(UNITS_FR[9:]):
        words[f"soixante-{unit}"] = 70 + j
        words[f"quatre-vingt-{unit}"] = 90 + j
    words["soixante et onze"] = 71
    words["quatre-vingts"] = words["quatre-vingt"] = 80
    for j, unit in enumerate(UNITS_FR[:9]):
        words[f"quatre-vingt-{unit}"] = 81 + j
    return words


def _number_words() -> dict[str, int]:
    """Counts in words up to the thousands: "three hundred", "deux cents", "two thousand"."""
    small = _below_hundred()
    words = dict(small)
    for hundred, thousand in (("hundred", "thousand"), ("cent", "mille")):
        words[hundred] = words[f"a {hundred}"] = words[f"one {hundred}"] = 100
        words[thousand] = words[f"a {thousand}"] = words[f"one {thousand}"] = 1000
    for name, value in list(small.items()):
        if value < 10:
            words[f"{name} hundred"] = words[f"{name} cents"] = words[f"{name} cent"] = 100 * value
        words[f"{name} thousand"] = words[f"{name} mille"] = 1000 * value
    return {k: v for k, v in words.items() if k not in ("a", "an")} | VAGUE


NUMBER_WORDS = _number_words()


def trie_pattern(words: list[str]) -> str:
    """One regex for many words, as a prefix tree: "twenty-three" and "twelve" share "tw".

    A flat alternation of ~900 number words is tried branch by branch at every word;
    the tree keeps reading a report to a few milliseconds. Longest match first.
    """
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branch(tree)


def _branch(node: dict[str, Any]) -> str:
    options = [re.escape(char) + _branch(child) for char, child in sorted(node.items()) if char]
    if not options:
        return ""
    body = options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"
    return f"(?:{body})?" if "" in node else body


DIGITS = r"\d{1,3}(?:[ ,.]\d{3})+|\d+"
WORDS_SLOT = "(?<number words>)"
"""Where :func:`fill` puts the number words; compiled unfilled, it is a regex error, never
a pattern that silently reads no words."""
NUM = "(" + DIGITS + WORDS_SLOT + ")"
"""A count in digits or words, as one capturing group: a template for :func:`fill`."""
NUM_BODY = NUM[1:-1]
"""The same alternatives without the group, to embed in a larger group."""
ALL_WORDS = frozenset(NUMBER_WORDS)
SPECIALISED = 32
"""Texts a process fills the patterns for with their own words before it fills them with all
words for good (one compile of the full tree, then cached): a CLI run reads one report."""
_seen: set[frozenset[str]] = set()


def _by_head() -> dict[str, tuple[str, ...]]:
    """The number words by their first word ("twenty" for "twenty-three thousand")."""
    heads: dict[str, list[str]] = {}
    for word in NUMBER_WORDS:
        heads.setdefault(re.split(r"[- ]", word)[0], []).append(word)
    return {head: tuple(words) for head, words in heads.items()}


_HEADS = _by_head()


@lru_cache(maxsize=64)
def words_for(text: str) -> frozenset[str]:
    """The number words to fill the patterns that read ``text`` with.

    Every number word found anywhere in the text, not only at word starts: at any
    position, the words of the prefix tree that can match there are then all in the
    set, so the filled tree tries the same words in the same order (longest first)
    as the full one, and every pattern matches exactly as it would with all ~900.
    After :data:`SPECIALISED` distinct sets, all words, which is as exact.
    """
    if len(_seen) >= SPECIALISED:
        return ALL_WORDS
    words = frozenset(
        word for head, words in _HEADS.items() if head in text for word in words if word in text
    )
    _seen.add(words)
    return words


@lru_cache(maxsize=256)
def _words_regex(words: frozenset[str]) -> str:
    return trie_pattern(sorted(words))


MULTIPLIERS = ("hundred", "thousand", "cent", "cents", "mille")
_AFTER_MULTIPLIER = "(?:" + "|".join(f"(?<={m})" for m in MULTIPLIERS) + ")"


def fill(template: str, words: frozenset[str]) -> str:
    """``template`` with the number words of :data:`NUM` (none: digits only).

    After a multiplier, up to two more words make one count: "one hundred and twenty",
    "mille deux cents", "two thousand three hundred" (see :func:`parse_number`).
    """
    tree = _words_regex(words)
    if not tree:
        return template.replace(WORDS_SLOT, "")
    tail = f"(?:{_AFTER_MULTIPLIER}(?: and| et)? (?:{tree})){{0,2}}"
    return template.replace(WORDS_SLOT, f"|(?:{tree}){tail}")


def _compound(words: list[str]) -> int | None:
    """A count in several table words: a multiple of a hundred or thousand, then less."""
    for cut in range(len(words) - 1, 0, -1):
        head = " ".join(words[:cut])
        if head not in NUMBER_WORDS or not head.endswith(MULTIPLIERS):
            continue
        rest = words[cut + 1 :] if words[cut] in ("and", "et") else words[cut:]
        tail = parse_number(" ".join(rest)) if rest else None
        unit = 1000 if head.endswith(("thousand", "mille")) else 100
        if tail is not None and 0 < tail < unit:
            return NUMBER_WORDS[head] + tail
    return None


def parse_number(token: str) -> int | None:
    """Read '12', '1 200', '1,200' or a number word; None when it is not a count."""
    token = token.strip()
    if token in NUMBER_WORDS:
        return NUMBER_WORDS[token]
    if " " in token and not token[0].isdigit():
        return _compound(token.split())
    digits = re.sub(r"[\s.,]", "", token)
    return int(digits) if digits.isdigit() else None
