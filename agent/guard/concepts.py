"""Concepts: named sets of words and phrases, EN and FR, found in folded text.

A concept such as ``water_jet`` lists ``hose``, ``spray``, ``lance a eau``,
``arroser``...; a phrase matches consecutive content words (articles and
prepositions between them are skipped), a word ending in ``*`` matches any word
it begins, and a misspelt word that no dictionary knows ("amonia") matches the
vocabulary word it is one or two edits from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from agent.guard.folding import fold_glyphs, strip_accents
from agent.guard.tokens import Token, is_dictionary_word, word_keys

FILLERS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "at",
        "on",
        "in",
        "into",
        "onto",
        "for",
        "with",
        "by",
        "from",
        "its",
        "it",
        "this",
        "that",
        "these",
        "those",
        "their",
        "our",
        "your",
        "his",
        "her",
        "any",
        "some",
        "all",
        "every",
        "each",
        "de",
        "du",
        "des",
        "la",
        "le",
        "les",
        "l",
        "d",
        "un",
        "une",
        "au",
        "aux",
        "en",
        "sur",
        "dans",
        "par",
        "pour",
        "avec",
        "vers",
        "sa",
        "son",
        "ses",
        "leur",
        "leurs",
        "ce",
        "cet",
        "cette",
        "ces",
        "y",
    ]
)
"""Words skipped inside phrases: "jet of water" matches "jet d'eau" and "water jet"."""
PARTICLES = {
    "on": frozenset(["on", "onto", "upon"]),
    "in": frozenset(["in", "into", "inside"]),
    "into": frozenset(["in", "into", "inside"]),
    "onto": frozenset(["on", "onto", "upon"]),
    "it": frozenset(["it", "this", "that"]),
}
"""Fillers kept when they end a phrase: "switch on" is not "switched off", "go in" not "go",
"out of it" not "out"."""


@dataclass(frozen=True)
class Word:
    """One word of a term: exact keys, or a prefix when written with a trailing ``*``."""

    keys: frozenset[str] = frozenset()
    prefix: str | None = None

    def matches(self, token: Token, extra: frozenset[str]) -> bool:
        """True when the token (or a typo correction of it) is this word."""
        if self.prefix is not None:
            return token.text.startswith(self.prefix)
        return bool(self.keys & (token.keys | extra))


@dataclass(frozen=True)
class Term:
    """A word or phrase of a concept, as written by the author."""

    concept: str
    source: str
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Occurrence:
    """Where a concept was found in a sentence: token span and the term that matched."""

    concept: str
    start: int
    end: int
    term: str


def _same_stem(word: str, other: str) -> bool:
    """The two differ only in their last two letters (an inflection, not another word)."""
    common = next((i for i, (a, b) in enumerate(zip(word, other, strict=False)) if a != b),
                  min(len(word), len(other)))
    return common >= max(len(word), len(other)) - 2


def compile_term(concept: str, source: str) -> Term | None:
    """A term ready to match, or None when it holds only filler words."""
    words: list[Word] = []
    raws = fold_glyphs(source).replace("'", " ").split()
    for n, raw in enumerate(raws):
        if raw in FILLERS and not (raw in PARTICLES and n == len(raws) - 1 and n):
            continue
        if raw in PARTICLES:
            words.append(Word(keys=PARTICLES[raw]))
        elif raw.endswith("*"):
            words.append(Word(prefix=strip_accents(raw[:-1])))
        else:
            words.append(Word(keys=word_keys(raw)))
    return Term(concept, source, tuple(words)) if words else None


@dataclass
class Lexicon:
    """Every concept the guard knows, compiled once per pack."""

    concepts: Mapping[str, Sequence[str]]
    terms: list[Term] = field(init=False)
    _typos: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.terms = [
            t
            for name, sources in self.concepts.items()
            for s in sources
            if (t := compile_term(name, s)) is not None
        ]

    @cached_property
    def vocabulary(self) -> list[str]:
        """Exact word keys of every term, for typo correction."""
        return sorted({k for t in self.terms for w in t.words for k in w.keys if len(k) >= 4})

    @cached_property
    def _known(self) -> frozenset[str]:
        return frozenset(self.vocabulary)

    def typo_keys(self, token: Token) -> frozenset[str]:
        """Vocabulary words a misspelt token stands for.

        A word a dictionary knows as written ("évaluer", "dégagés") is no typo: it may
        only stand for a vocabulary word that differs in its ending, as an inflection
        does ("dégagés" for "dégager"), never in its stem ("évaluer" is not "évacuer").
        """
        word = token.text
        if token.mark or len(word) < 5 or token.keys & self._known:
            return frozenset()
        hits = self._near(word)
        if token.word and is_dictionary_word(token.word):
            return frozenset(h for h in hits if _same_stem(word, h))
        return hits

    def _near(self, word: str) -> frozenset[str]:
        if word not in self._typos:
            limit = 2 if len(word) >= 9 else 1
            hits = process.extract(
                word,
                self.vocabulary,
                scorer=DamerauLevenshtein.distance,
                score_cutoff=limit,
                limit=5,
            )
            self._typos[word] = frozenset(h[0] for h in hits)
        return self._typos[word]

    @cached_property
    def _by_first_key(self) -> dict[str, list[Term]]:
        index: dict[str, list[Term]] = {}
        for term in self.terms:
            for key in term.words[0].keys:
                index.setdefault(key, []).append(term)
        return index

    @cached_property
    def _prefix_first(self) -> list[Term]:
        return [t for t in self.terms if t.words[0].prefix is not None]

    def _candidates(self, token: Token, extra: frozenset[str]) -> list[Term]:
        found = {id(t): t for k in token.keys | extra for t in self._by_first_key.get(k, ())}
        for term in self._prefix_first:
            if term.words[0].matches(token, extra):
                found[id(term)] = term
        return list(found.values())

    def find(self, tokens: Sequence[Token], names: Iterable[str] | None = None) -> list[Occurrence]:
        """Every occurrence of the named concepts (all when None) in one sentence."""
        wanted = None if names is None else set(names)
        extra = [self.typo_keys(t) for t in tokens]
        out: list[Occurrence] = []
        for start, token in enumerate(tokens):
            if token.mark:
                continue
            for term in self._candidates(token, extra[start]):
                if wanted is not None and term.concept not in wanted:
                    continue
                end = _match_at(term, tokens, extra, start)
                if end is not None:
                    out.append(Occurrence(term.concept, start, end, term.source))
        return out


def _match_at(
    term: Term, tokens: Sequence[Token], extra: Sequence[frozenset[str]], start: int
) -> int | None:
    """The end of ``term`` matched from ``start`` (fillers skipped), or None."""
    i = start
    for n, word in enumerate(term.words):
        while (
            n
            and i < len(tokens)
            and not tokens[i].mark
            and tokens[i].text in FILLERS
            and not word.matches(tokens[i], extra[i])
        ):
            i += 1
        if i >= len(tokens) or tokens[i].mark or not word.matches(tokens[i], extra[i]):
            return None
        i += 1
    return i
