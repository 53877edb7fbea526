"""Concepts: named sets of words and phrases, EN and FR, found in folded text.

A concept such as ``water_jet`` lists ``hose``, ``spray``, ``lance a eau``,
``arroser``...; a phrase matches consecutive content words (articles and
prepositions between them are skipped), a word ending in ``*`` matches any word
it begins, and a misspelt word that no dictionary knows ("amonia") matches the
vocabulary word it is one or two edits from.

Two markers keep false friends out. A word written ``=locals`` matches that form only
(not its lemma: the French "locaux" also lemmatises to "local"). A term written
``-fuite de gaz`` is an exclusion: an occurrence of its concept inside it is dropped,
so a gas leak is no data leak while a bare "fuite" still is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
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
VERB_FILLERS = frozenset(["pour"])
"""French fillers that are English verbs, kept when they open a phrase: "pour water" is not
"water" (a bare "water" would make every fire-water sentence a water jet)."""


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
        ending = raw in PARTICLES and n == len(raws) - 1 and n
        opening = raw in VERB_FILLERS and n == 0 and len(raws) > 1
        if raw in FILLERS and not (ending or opening):
            continue
        if raw in PARTICLES:
            words.append(Word(keys=PARTICLES[raw]))
        elif raw in VERB_FILLERS:
            words.append(Word(keys=frozenset([raw])))
        elif raw.startswith("=") and len(raw) > 1:
            words.append(Word(keys=frozenset([strip_accents(raw[1:])])))
        elif raw.endswith("*"):
            words.append(Word(prefix=strip_accents(raw[:-1])))
        else:
            words.append(Word(keys=word_keys(raw)))
    return Term(concept, source, tuple(words)) if words else None


Compiled = list[tuple[bool, "Term"]]
"""Each term with whether it is an exclusion (``-phrase``)."""
TermCache = Callable[[Mapping[str, Sequence[str]], Callable[[], Compiled]], Compiled]


@dataclass
class Lexicon:
    """Every concept the guard knows, compiled once per pack."""

    concepts: Mapping[str, Sequence[str]]
    terms: list[Term] = field(init=False)
    exclusions: list[Term] = field(init=False)
    """``-phrase`` terms: spans where their concept's own words mean something else."""
    _typos: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False)
    cache: TermCache | None = field(default=None, repr=False, compare=False)
    """Reads compiled terms back instead of compiling them (``agent.guard.terms_cache``)."""

    def __post_init__(self) -> None:
        compiled = (
            self.cache(self.concepts, self._compile_all) if self.cache else self._compile_all()
        )
        self.terms = [t for excluded, t in compiled if not excluded]
        self.exclusions = [t for excluded, t in compiled if excluded]

    def _compile_all(self) -> Compiled:
        """Every term with whether it is an exclusion (``-phrase``)."""
        return [
            (s.startswith("-"), t)
            for name, sources in self.concepts.items()
            for s in sources
            if (t := compile_term(name, s.removeprefix("-"))) is not None
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
        extra = [self.typo_keys(t) | _particle_typo(tokens, i) for i, t in enumerate(tokens)]
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
        return self._without_exclusions(out, tokens, extra)

    def _without_exclusions(
        self, found: list[Occurrence], tokens: Sequence[Token], extra: Sequence[frozenset[str]]
    ) -> list[Occurrence]:
        """Drop occurrences lying inside an exclusion of their concept ("fuite de gaz")."""
        concepts = {o.concept for o in found}
        spans: dict[str, list[tuple[int, int]]] = {}
        for term in self.exclusions:
            if term.concept not in concepts:
                continue
            for start in range(len(tokens)):
                end = _match_at(term, tokens, extra, start)
                if end is not None:
                    spans.setdefault(term.concept, []).append((start, end))
        return [
            o
            for o in found
            if not any(a <= o.start and o.end <= b for a, b in spans.get(o.concept, ()))
        ]


PARTICLE_TYPOS = {"of": frozenset(["off"])}
"""A particle typed one letter short right after a clause's first word, the imperative:
"switch of the fire pumps" is "switch off" (a "jet of water" is not)."""


def _particle_typo(tokens: Sequence[Token], i: int) -> frozenset[str]:
    clause_start = i == 1 or (i >= 2 and tokens[i - 2].mark)
    if tokens[i].text not in PARTICLE_TYPOS or not clause_start or tokens[i - 1].mark:
        return frozenset()
    return PARTICLE_TYPOS[tokens[i].text]


SPLIT_PARTICLES = frozenset(
    ["out", "back", "down", "off", "away", "in", "home", "seul", "seule", "seuls", "seules"]
)
"""A two-word verb ending in one of these may take its object inside: "get the locals out",
"send any employee with symptoms home", "laisser le blessé seul"."""
SPLIT_REACH = 3
"""Content words the object inside may hold (articles and prepositions not counted)."""
REFLEXIVES = frozenset(["himself", "herself", "themselves", "yourself", "myself", "ourselves"])
""""drive himself home" is not "drive [someone] home": the object inside is the subject."""


def _split_particle(term: Term, tokens: Sequence[Token], start: int) -> int | None:
    """The end of a split phrasal verb ("get" ... "out") from ``start``, or None."""
    verb, particle = term.words
    if not particle.keys & SPLIT_PARTICLES or not verb.matches(tokens[start], frozenset()):
        return None
    inside = 0
    for i in range(start + 1, len(tokens)):
        if tokens[i].mark or tokens[i].text in REFLEXIVES:
            return None
        if i > start + 1 and particle.matches(tokens[i], frozenset()):
            return start + 1  # the verb alone: the object inside is no part of the act
        inside += tokens[i].text not in FILLERS
        if inside > SPLIT_REACH:
            return None
    return None


def _match_at(
    term: Term, tokens: Sequence[Token], extra: Sequence[frozenset[str]], start: int
) -> int | None:
    """The end of ``term`` matched from ``start`` (fillers skipped), or None."""
    end = _match_words(term, tokens, extra, start)
    if end is None and len(term.words) == 2:
        return _split_particle(term, tokens, start)
    return end


def _match_words(
    term: Term, tokens: Sequence[Token], extra: Sequence[frozenset[str]], start: int
) -> int | None:
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
