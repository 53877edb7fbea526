"""Reading an event text for categorisation: folded, stemmed tokens with their clause and sentence.

The categoriser needs more than a bag of words: which words are negated ("no fire"),
which name a stated cause ("since the storm"), which come first (the headline), and
which noun a verb applies to ("two workers collapsed" vs "the roof collapsed"). This
module only reads; it knows nothing of the taxonomy.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from agent.text import stem as strip_suffix

EMOJI = "\U0001f000-\U0001faff\u2600-\u27bf"
TOKEN = re.compile(
    rf"[^\W\d_]*\d+(?:[.,]\d+)+|[^\W_]+|[.!?;:,()\n]|[\u2013\u2014]| - |#|[{EMOJI}]+"
)
SIGN_OFF = re.compile(rf"#|[{EMOJI}]+")
"""A hashtag or an emoji closes the clause: "je suis pas la seule 😬 #RGPD" negates no tag."""
FOLDED_WORD = re.compile(r"[a-z0-9]+")
SENTENCE_END = frozenset({".", "!", "?", ";", "\n"})
CLAUSE_END = SENTENCE_END | {",", ":", "(", ")", "\u2013", "\u2014", " - "}
LEAD_TOKENS = 28
"""Words counted as the report's headline: the main hazard is usually stated first."""


@dataclass(frozen=True)
class Token:
    """One word of the text: folded form, stem, position, clause and sentence numbers."""

    word: str
    stem: str
    index: int
    clause: int
    sentence: int
    start: int = 0
    """Character offsets of the word in the original text."""
    end: int = 0


@dataclass(frozen=True)
class Reading:
    """The words of a text and the sentences that end with a question mark."""

    tokens: tuple[Token, ...]
    questions: frozenset[int]
    """Sentence numbers that end with '?'."""
    text: str = ""

    def span(self, start: int, end: int) -> str:
        """The original words of tokens ``start`` to ``end`` (exclusive), as written."""
        if not self.text or start >= end:
            return " ".join(t.word for t in self.tokens[start:end])
        return " ".join(self.text[self.tokens[start].start : self.tokens[end - 1].end].split())

    def window_before(self, start: int, size: int, scope: str = "clause") -> list[Token]:
        """Up to ``size`` tokens before ``start`` in its clause (or sentence), nearest first."""
        if start >= len(self.tokens):
            return []
        here = self.tokens[start]
        out: list[Token] = []
        for tok in reversed(self.tokens[max(0, start - size) : start]):
            same = tok.clause == here.clause if scope == "clause" else tok.sentence == here.sentence
            if not same:
                break
            out.append(tok)
        return out

    def window_after(self, end: int, size: int) -> list[Token]:
        """Up to ``size`` tokens from ``end`` on, in the clause of the token before ``end``."""
        if end <= 0 or end > len(self.tokens):
            return []
        clause = self.tokens[end - 1].clause
        out: list[Token] = []
        for tok in self.tokens[end : end + size]:
            if tok.clause != clause:
                break
            out.append(tok)
        return out

    def in_lead(self, index: int) -> bool:
        """True for a token of the first sentence or among the first :data:`LEAD_TOKENS` words."""
        tok = self.tokens[index]
        return tok.sentence == self.tokens[0].sentence or index < LEAD_TOKENS


KEPT_APART = {"plane": "plane", "planes": "plane"}
"""Words whose stem is another language's common word: English "plane" is not French "plan"
(the PPI, the "plan blanc"), so an aircraft keyword must not read every emergency plan."""


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Strip EN/FR suffixes until none is left: "bloquées", "bloqué", "bloque" are one stem."""
    if word in KEPT_APART:
        return KEPT_APART[word]
    for _ in range(3):
        shorter = strip_suffix(word)
        if shorter == word:
            break
        word = shorter
    return word


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case, accents stripped, typographic apostrophes and ligatures made plain."""
    text = text.replace("\u2019", "'").replace("\u0153", "oe").replace("\u00e6", "ae")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stems(text: str) -> tuple[str, ...]:
    """The stemmed words of a short text (a keyword or a phrase), punctuation dropped."""
    return tuple(stem(w) for w in re.findall(r"[a-z0-9]+", fold(text)))


@lru_cache(maxsize=256)
def read(text: str) -> Reading:
    """Tokenise ``text`` into words that know their clause and sentence."""
    text = unicodedata.normalize("NFC", text)
    tokens: list[Token] = []
    clause = sentence = 0
    questions: set[int] = set()
    for match in TOKEN.finditer(text):
        piece = match.group(0)
        if piece in CLAUSE_END or SIGN_OFF.fullmatch(piece):
            if piece == "?":
                questions.add(sentence)
            if tokens and tokens[-1].clause == clause:
                clause += 1
            if piece in SENTENCE_END and tokens and tokens[-1].sentence == sentence:
                sentence += 1
            continue
        if not piece.isalnum():
            piece = re.sub(r"[.,]", "", piece)  # 6.1 and 1,200 stay one number
        for word in FOLDED_WORD.findall(fold(piece)):
            start, end = match.span()
            tokens.append(Token(word, stem(word), len(tokens), clause, sentence, start, end))
    return Reading(tuple(tokens), frozenset(questions), text)


TRAVELLER_WORDS = (
    "ceo", "cfo", "coo", "md", "chairman", "chairwoman", "president", "director", "manager",
    "boss", "executive", "pdg", "dg", "directeur", "directrice", "dirigeant", "dirigeante",
    "patron", "patronne", "presidente",
)  # fmt: skip
TRAVELLERS = frozenset(stem(w) for w in TRAVELLER_WORDS)
"""People whose whereabouts a report mentions in passing ("the CEO is on a flight")."""
RIDING = frozenset(
    ["on", "aboard", "board", "in", "dans", "bord", "pris", "prend", "took", "taking"]
)
RIDING_WINDOW = 3
TRAVEL_WINDOW = 10


def travelling(reading: Reading, start: int) -> bool:
    """True when the vehicle at ``start`` is one a named person rides in, not an event.

    "Le PDG est dans l'avion", "the site manager is on a plane back from Madrid": a
    role before the vehicle in its sentence, and a riding word just before it.
    """
    before = reading.window_before(start, TRAVEL_WINDOW, scope="sentence")
    if not any(tok.word in RIDING for tok in before[:RIDING_WINDOW]):
        return False
    return any(tok.stem in TRAVELLERS for tok in before)
