"""Words as the guard compares them: each token carries every form it may stand for.

"hosing", "hosed" and "hoses" all lemmatise to "hose"; "évacués" and a hurried
"evacues" both reach "evacu". A token therefore carries a small set of keys
(folded surface, folded lemma, light stem of each) and two tokens match when
their key sets meet. Lemmas come from simplemma (English and French
dictionaries, loaded on first use); what was derived for a word is kept on disk
for the next process (:mod:`agent.guard.lemma_store`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from agent.guard.folding import fold_glyphs, strip_accents
from agent.guard.lemma_store import LemmaStore, default_store
from agent.guard.lemmatiser import is_known, lemmatize

LANGS = ("en", "fr")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_ELISION = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)'", re.UNICODE)
_SENTENCE = re.compile(r"[.!?;\n]+|\s[-\u2013\u2014]\s")
# "de-energised", "dé-contaminer": the prefix undoes the verb, so it stays on it.
_UNDO_PREFIX = re.compile(r"\b([dD][eé])-(\w{4,})")
_BREAK_MARKS = re.compile(r"([,:()\[\]])")
# "à partir de" is "from" (a starting point), never "partir" (to leave).
_FROM = re.compile(r"\b[aà] partir (?=(?:de|du|des|d)\b)")
_SUFFIXES = (
    "ements",
    "ement",
    "ations",
    "ation",
    "ings",
    "ing",
    "ies",
    "ied",
    "ed",
    "es",
    "s",
    "e",
)


@dataclass(frozen=True)
class Token:
    """One word (or a punctuation mark that breaks a clause) of a folded sentence."""

    text: str
    """The folded surface form, accents removed."""
    keys: frozenset[str]
    """Every form this word may stand for: surface, lemmas, and their stems."""
    mark: bool = False
    """True for ``,`` ``:`` and brackets, which may end the scope of a negation."""
    word: str = ""
    """The word as written (lower case, accents kept): what a dictionary is asked about."""


def stem(word: str) -> str:
    """Strip one common English or French suffix, keeping at least four letters."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=131072)
def word_keys(word: str) -> frozenset[str]:
    """The keys of one lower-case word (accents kept): folded forms, lemmas, stems."""
    store = _store()
    stored = store.keys(word)
    if stored is not None:
        return stored
    forms = {word} | _unaccented_imperative(word)
    for lang in LANGS:
        forms.add(lemmatize(word, lang).lower())
    folded = {strip_accents(f) for f in forms}
    keys = frozenset(folded | {stem(f) for f in folded})
    store.add_keys(word, keys)
    return keys


def _unaccented_imperative(word: str) -> set[str]:
    """"evacuez" typed without its accent: the dictionary knows only "évacuez".

    A French "-ez" form no dictionary knows also stands for its "-er" infinitive, the
    form concept vocabularies are written in ("degagez" for "dégager").
    """
    if len(word) < 6 or not word.endswith("ez") or is_known(word, "fr"):
        return set()
    return {word[:-2] + "er"}


@lru_cache(maxsize=65536)
def is_dictionary_word(word: str) -> bool:
    """True when English or French knows the word, so it is not a typo of another."""
    store = _store()
    stored = store.known(word)
    if stored is not None:
        return stored
    known = any(is_known(word, lang) for lang in LANGS)
    store.add_known(word, known)
    return known


@lru_cache(maxsize=1)
def _store() -> LemmaStore:
    """Word keys kept across processes (:mod:`agent.guard.lemma_store`)."""
    return default_store(Path(__file__).read_bytes())


def sentences(text: str) -> list[list[Token]]:
    """The folded text as sentences of tokens; commas and colons kept as marks."""
    folded = _ELISION.sub(lambda m: m[0][:-1] + " ", fold_glyphs(text))
    folded = _UNDO_PREFIX.sub(lambda m: m[1] + m[2], folded)
    folded = _FROM.sub("depuis ", folded)
    out: list[list[Token]] = []
    for chunk in _SENTENCE.split(folded):
        tokens = _conjugated([t for part in _BREAK_MARKS.split(chunk) for t in _tokens(part)])
        if any(not t.mark for t in tokens):
            out.append(tokens)
    return out


FR_SUBJECTS = frozenset(["on", "il", "elle", "je", "j"])
"""After these, a word in "-e" may be an "-er" verb the dictionary reads as a noun or an
adjective: "on vide les journaux" (vider), "on règle la rançon" (régler)."""


def _conjugated(tokens: list[Token]) -> list[Token]:
    """Tokens where a French "-e" word after a subject pronoun also stands for its infinitive."""
    out = list(tokens)
    for i in range(1, len(out)):
        t = out[i]
        if out[i - 1].text in FR_SUBJECTS and not t.mark and len(t.word) >= 4 and t.word[-1] == "e":
            out[i] = Token(t.text, t.keys | word_keys(t.word + "r"), t.mark, t.word)
    return out


def _tokens(part: str) -> list[Token]:
    if _BREAK_MARKS.fullmatch(part):
        return [Token(part, frozenset(), mark=True)]
    return [Token(strip_accents(w), word_keys(w), word=w) for w in _WORD.findall(part)]
