"""The guard: does a text do one of the pack's forbidden actions, in any wording?

Every forbidden action of every SOP in the pack, plus the pack's never-allowed
list, is compiled once into concept patterns (see :class:`MatchPattern`). A text
is split into sentences; a pattern fires when its act occurs un-negated, what it
acts on occurs in the same or the previous sentence, and nothing in its
``unless`` list excuses it. Near-copies of the action's own wording are a
second, independent signal (not of its ``examples``: those test the patterns);
a forbidden action written without patterns is matched on its words alone.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz, process

from agent.guard.concepts import FILLERS, Lexicon, Occurrence
from agent.guard.folding import latin_cased, strip_accents
from agent.guard.negation import POST_CUES, PRE_CUES, near_negation, negated, waits_for
from agent.guard.numbers import below_minimum, required_number
from agent.guard.objects import awaited, out_of_reach, subject_of_denied_act
from agent.guard.terms_cache import compiled_terms
from agent.guard.tokens import Token, sentences
from agent.pack.models import ForbiddenAction, NeverList, Sop

NEVER = "never"
"""The source name of the pack-level never-allowed actions."""
ANAPHORS = frozenset(
    [
        "it",
        "them",
        "there",
        "that",
        "this",
        "these",
        "those",
        "y",
        "dessus",
        "dedans",
        "cela",
        "ca",
        "l",
        "lui",
        "he",
        "she",
        "him",
        "her",
        "they",
        "il",
        "elle",
        "ils",
        "elles",
        "eux",
        "leur",
    ]
)
"""Words that point back at the previous sentence ("...the leak. Hose it down")."""
PROPER_NAME = "proper_name"
"""A concept the guard fills itself: a capitalised word inside a sentence ("a mistake
from Julien"), so a named person can be the blamed party without being listed."""
_PROPER = re.compile(r"(?<=[a-z\u00e0-\u00ff,]\s)([A-Z\u00c0-\u00dd][a-z\u00e0-\u00ff]{2,})\b")
CACHE_SIZE = 4096
NEAR_COPY = 92
WORDS_ONLY = 0.6
"""Share of a pattern-less action's content words a sentence must carry to match it."""


@dataclass(frozen=True)
class GuardHit:
    """A text that does a forbidden action: which one, whose, on what basis, and why."""

    source: str
    """The SOP id, or ``never`` for the pack-level list."""
    forbidden_id: str
    forbidden_text: str
    basis: str | None
    evidence: str
    """What fired, e.g. ``'hose' (water_jet) + 'leak' (leak_point)``."""

    @property
    def ref(self) -> str:
        """``SOP-IND-TOX-001/F1`` or ``never/N3``."""
        return f"{self.source}/{self.forbidden_id}"


@dataclass(frozen=True)
class _Pattern:
    do: frozenset[str]
    with_: tuple[frozenset[str], ...]
    unless: frozenset[str]
    scope: str


@dataclass(frozen=True)
class Prohibition:
    """One forbidden action, compiled: its source, patterns and reference phrasings."""

    source: str
    action: ForbiddenAction
    patterns: tuple[_Pattern, ...]
    references: tuple[str, ...]
    words: tuple[frozenset[str], ...]
    """Content words of the action's own text, for packs that give it no pattern."""

    def hit(self, evidence: str) -> GuardHit:
        """A hit of this prohibition, with what fired."""
        a = self.action
        return GuardHit(self.source, a.id, a.text, a.basis, evidence)


@dataclass(frozen=True)
class _Sentence:
    tokens: list[Token]
    text: str
    occurrences: list[Occurrence]
    acts: list[Occurrence]
    negated: list[bool]
    has_cue: bool


class Guard:
    """Every prohibition of a pack, ready to check any text an operator will read."""

    def __init__(
        self,
        sops: Sequence[Sop],
        concepts: dict[str, list[str]],
        never: NeverList | None = None,
    ) -> None:
        merged = dict(concepts)
        for sop in sops:
            merged.update({f"{sop.id}::{k}": v for k, v in sop.concepts.items()})
        self.lexicon = Lexicon(merged, cache=compiled_terms)
        self.prohibitions = [
            _compile(sop.id, fa, sop.concepts, concepts)
            for sop in sops
            for fa in sop.forbidden_actions
        ]
        self._seen: dict[tuple[str, frozenset[str]], list[GuardHit]] = {}
        if never is not None:
            self.prohibitions += [
                _compile(NEVER, fa, {}, concepts) for fa in never.forbidden_actions
            ]

    @cached_property
    def _act_concepts(self) -> frozenset[str]:
        return frozenset(c for p in self.prohibitions for pat in p.patterns for c in pat.do)

    def check(self, text: str, selected: Collection[str] = ()) -> GuardHit | None:
        """The first forbidden action ``text`` does, or None when it is safe to show."""
        return next(iter(self.hits(text, selected)), None)

    def hits(self, text: str, selected: Collection[str] = ()) -> list[GuardHit]:
        """Every forbidden action ``text`` does (patterns of selected SOPs included).

        Results are remembered: the checker, repair and the last sweep read the same
        texts, and a crisis cell re-runs the same SOP texts all day.
        """
        key = (text, frozenset(selected))
        found = self._seen.get(key)
        if found is None:
            found = self._hits(text, key[1])
            if len(self._seen) >= CACHE_SIZE:
                self._seen.clear()
            self._seen[key] = found
        return list(found)

    def _hits(self, text: str, selected: Collection[str]) -> list[GuardHit]:
        names = _proper_names(text)
        split = sentences(text)
        required = required_number(split)
        parsed = [self._parse(s, names, required) for s in split]
        out: list[GuardHit] = []
        for p in self.prohibitions:
            hit = _first_hit(p, parsed, p.source in selected)
            if hit is not None:
                out.append(p.hit(hit))
        return out

    def _parse(
        self, tokens: list[Token], names: frozenset[str] = frozenset(), required: int | None = None
    ) -> _Sentence:
        occurrences = self.lexicon.find(tokens)
        occurrences += [
            Occurrence(PROPER_NAME, i, i + 1, t.text)
            for i, t in enumerate(tokens)
            if t.text in names
        ]
        occurrences += below_minimum(tokens, required)
        acts = [o for o in occurrences if o.concept in self._act_concepts]
        words = [t.text for t in tokens if not t.mark]
        cue = any(_has(words, c) for c in (*PRE_CUES, *POST_CUES)) or bool(
            words and words[0] in {"no", "pas", "aucun", "aucune"}
        )
        flags = negated(tokens, acts)
        return _Sentence(tokens, " ".join(words), occurrences, acts, flags, cue)


def _proper_names(text: str) -> frozenset[str]:
    """Folded forms of the capitalised words inside the text's sentences (not acronyms)."""
    return frozenset(strip_accents(m[1].lower()) for m in _PROPER.finditer(latin_cased(text)))


def _has(words: list[str], cue: tuple[str, ...]) -> bool:
    n = len(cue)
    return any(tuple(words[i : i + n]) == cue for i in range(len(words) - n + 1))


def _compile(
    source: str, fa: ForbiddenAction, local: dict[str, list[str]], shared: dict[str, list[str]]
) -> Prohibition:
    def names(ref: str) -> frozenset[str]:
        return frozenset(f"{source}::{n}" if n in local else n for n in ref.split("|"))

    patterns = tuple(
        _Pattern(
            names(m.do),
            tuple(names(w) for w in m.with_),
            frozenset().union(*(names(u) for u in m.unless)),
            m.scope,
        )
        for m in fa.match
    )
    refs = tuple(
        " ".join(t.text for s in sentences(x) for t in s if not t.mark) for x in (fa.text,)
    )
    words = tuple(
        t.keys
        for s in sentences(fa.text)
        for t in s
        if not t.mark and t.text not in FILLERS and t.text not in ("or", "and", "ou", "et")
    )
    return Prohibition(source, fa, patterns, refs, words)


def _first_hit(p: Prohibition, parsed: Sequence[_Sentence], selected: bool) -> str | None:
    heading = _heading(parsed)
    for n, sentence in enumerate(parsed):
        previous = parsed[n - 1] if n else None
        after = _verbless(parsed[n + 1]) if n + 1 < len(parsed) else None
        lent = heading if n else []
        for pattern in p.patterns:
            if pattern.scope == "selected" and not selected:
                continue
            evidence = _pattern_hit(pattern, sentence, previous, after, lent)
            if evidence is not None:
                return evidence
        evidence = _wording_hit(p, sentence)
        if evidence is not None:
            return evidence
    return None


HEADING_WORDS = 8
"""A first sentence opening on a short label and a colon ("Status page update at 14:30: ...")
titles the whole text: what the label names is where every later sentence goes."""


def _heading(parsed: Sequence[_Sentence]) -> list[tuple[_Sentence, Occurrence]]:
    """The occurrences of the text's heading (words before a colon opening the first sentence)."""
    if len(parsed) < 2:
        return []
    first = parsed[0]
    colon = next((i for i, t in enumerate(first.tokens) if t.text == ":"), None)
    if colon is None or colon > HEADING_WORDS or any(t.mark for t in first.tokens[:colon]):
        return []
    return [(first, o) for o in first.occurrences if o.end <= colon]


QUALIFIER_OPENERS = frozenset(["no", "without", "pas", "sans", "aucun", "aucune"])
"""How a fragment that only qualifies the sentence before begins: "...; no time to kit up"."""
SKIP_OPENERS = frozenset(["skip", "skipping", "zapper", "zappez", "sauter", "sautez"])
"""A next fragment that skips something is a "without": "sign the supplier; skip the audit"."""


def _verbless(s: _Sentence) -> _Sentence | None:
    """A next fragment that asks for nothing and opens on "no"/"pas"/"sans" qualifies this one."""
    words = s.text.split()
    if words and words[0] in SKIP_OPENERS:
        return s
    opens = bool(words) and words[0] in QUALIFIER_OPENERS
    return s if opens and all(neg for neg in s.negated) else None


def _pattern_hit(
    pattern: _Pattern,
    s: _Sentence,
    previous: _Sentence | None,
    after: _Sentence | None = None,
    lent: Sequence[tuple[_Sentence, Occurrence]] = (),
) -> str | None:
    acts = [
        a for a, neg in zip(s.acts, s.negated, strict=True) if not neg and a.concept in pattern.do
    ]
    acts = [
        a
        for a in acts
        if not any(
            o.concept in pattern.unless
            and not _waived(s.tokens, o.start, s.has_cue)
            and not _deferred(s.tokens, o.end)
            and _same_clause(s.tokens, a, o)
            for o in s.occurrences
        )
    ]
    if not acts:
        return None
    act = acts[0]
    found = [f"'{act.term}' ({_short(act.concept)})"]
    pool = [(s, o) for o in s.occurrences]
    if _refers_back(pattern, s, previous):
        assert previous is not None
        pool += [(previous, o) for o in previous.occurrences]
    if after is not None:  # "...; no time to kit up" lends what its opener is part of
        pool += [(after, o) for o in after.occurrences if o.start == 0]
    pool += lent
    for group in pattern.with_:
        match = next(
            (
                o
                for sent, o in pool
                if o.concept in group
                and not (sent is s and _overlaps(o, act))
                and not near_negation(sent.tokens, o.start, act if sent is s else None)
                and not _after_denied_act(sent, o, pattern.do)
                and not _put_aside(sent, o, act if sent is s else None, pattern.do)
                and not (sent is s and _own_clause_between(s.tokens, act.end, o.start))
            ),
            None,
        )
        if match is None:
            return None
        found.append(f"'{match.term}' ({_short(match.concept)})")
    return " + ".join(found)


SUBJECTS = frozenset(["il", "elle", "ils", "elles", "on", "c", "ca", "it", "they", "we", "nous"])
"""Pronouns that open a clause of its own: "..., il pleut trop dehors" is a reason given."""


def _same_clause(tokens: Sequence[Token], act: Occurrence, excuse: Occurrence) -> bool:
    """Whether an excuse qualifies the act (no colon, no own-subject clause between).

    An excuse does not cross a colon, nor open a clause with its own subject after a
    comma. In "tidy the export server: purge the access logs", "export" excuses nothing; in
    "put the generator in the workshop, it is raining outside", "outside" excuses nothing.
    """
    lo, hi = (act.end, excuse.start) if act.start <= excuse.start else (excuse.end, act.start)
    if any(t.text == ":" for t in tokens[lo:hi]):
        return False
    if act.start <= excuse.start and _result_between(tokens, lo, hi):
        return False
    if act.start > excuse.start:
        return True
    commas = [i for i in range(lo, hi) if tokens[i].text == ","]
    return not (commas and commas[-1] + 1 < hi and tokens[commas[-1] + 1].text in SUBJECTS)


OWN_REFLEXIVE = (("on", "se"), ("on", "s"), ("nous", "nous"), ("je", "me"), ("we", "ourselves"))
"""After "and"/"et"/a comma, a reflexive clause of our own ("et on se cache") is what we do
to ourselves: the hiding is ours, not where the message says people are."""


def _own_clause_between(tokens: Sequence[Token], lo: int, hi: int) -> bool:
    return any(
        tokens[i].text in ("and", "et", ",")
        and (tokens[i + 1].text, tokens[i + 2].text) in OWN_REFLEXIVE
        for i in range(lo, hi - 2)
    )


RESULT_WORDS = frozenset(["so", "donc"])
"""An excuse in a result clause does not qualify the act before it: "purge the logs so the
export traffic shows up in no audit", "on vide les journaux, comme ça rien ne remonte"."""


def _result_between(tokens: Sequence[Token], lo: int, hi: int) -> bool:
    words = [t.text for t in tokens[lo:hi]]
    return bool(RESULT_WORDS & set(words)) or any(
        words[i : i + 2] == ["comme", "ca"] for i in range(len(words) - 1)
    )


DEFERRED = ("later", "afterwards", "plus tard", "apres coup", "not needed", "not required",
            "not necessary", "can wait", "pas necessaire", "peut attendre", "peuvent attendre")
"""An excuse put off or dismissed excuses nothing: "spokesperson can catch up later",
"families later", "le COS nous rendra la zone plus tard", "spokesperson not needed"."""
DEFER_REACH = 5


def _deferred(tokens: Sequence[Token], end: int) -> bool:
    words: list[str] = []
    for t in tokens[end:]:
        if t.mark or len(words) >= DEFER_REACH:
            break
        words.append(t.text)
    text = f" {' '.join(words)} "
    return any(f" {d} " in text for d in DEFERRED)


def _after_denied_act(s: _Sentence, o: Occurrence, do: frozenset[str]) -> bool:
    """What a denied act would reach is denied with it: "sans passer par les trémies"."""
    for act, neg in zip(s.acts, s.negated, strict=True):
        gap = s.tokens[act.end : o.start]
        if not neg or any(t.mark for t in gap):
            continue
        before = tuple(t.text for t in s.tokens[: act.start] if t.text not in FILLERS)[-2:]
        denied = (act.concept in do and bool(DENYING & set(before[-1:]))) or before in INSTEAD
        if act.end <= o.start <= act.end + 3 and denied:
            return True
    return False


def _put_aside(
    s: _Sentence, o: Occurrence, act: Occurrence | None, do: frozenset[str]
) -> bool:
    """An object the sentence puts out of the act's reach (:mod:`agent.guard.objects`)."""
    return (
        out_of_reach(s.tokens, o.start)
        or (act is not None and awaited(s.tokens, o, act))
        or subject_of_denied_act(s.tokens, o, s.acts, s.negated, do)
    )


def _refers_back(pattern: _Pattern, s: _Sentence, previous: _Sentence | None) -> bool:
    """Borrow the previous sentence's objects for "it", "them", "there".

    Not when that sentence warned against the same act: "do not share their
    diagnoses; tell colleagues only that a case was reported" shares nothing.
    """
    if previous is None or not any(t.text in ANAPHORS for t in s.tokens):
        return False
    return not any(
        neg and a.concept in pattern.do
        for a, neg in zip(previous.acts, previous.negated, strict=True)
    )


def _wording_hit(p: Prohibition, s: _Sentence) -> str | None:
    """Near-copies of the action's text; without patterns, most of its words."""
    if s.has_cue or not s.text:
        return None
    if not p.patterns and len(p.words) >= 2:
        keys = frozenset().union(*(t.keys for t in s.tokens))
        share = sum(bool(w & keys) for w in p.words) / len(p.words)
        if share >= WORDS_ONLY:
            return f"{share:.0%} of the words of '{p.action.text}'"
    best = process.extractOne(s.text, p.references, scorer=fuzz.ratio, score_cutoff=NEAR_COPY)
    if best is None:
        return None
    return f"wording {best[1]:.0f}% like '{p.action.text}'"


# An excuse after these is denied: "without the COS", "before the BEA releases the scene",
# "no need for the spokesperson", "nor the prefect's agreement".
DENYING = frozenset(["without", "sans", "ni", "nor", "instead"])
INSTEAD = frozenset([("plutot", "que"), ("rather", "than")])
""""plutôt que de laisser filer à la rivière": the river is what the denied act reaches."""
BEFORE = frozenset(["before", "avant"])  # denies only in a sentence with no negation:
# "never name victims before the families are told" keeps its excuse
DENYING_PHRASES = ("no need", "pas besoin", "inutile", "not worth", "pas la peine")


def _waived(tokens: Sequence[Token], start: int, negated_sentence: bool = False) -> bool:
    """An excuse that is itself denied: "without waiting for the prefect", "sans le maire"."""
    before = [t.text for t in tokens[max(0, start - 4) : start] if not t.mark]
    wider = " ".join(t.text for t in tokens[max(0, start - 7) : start] if not t.mark)
    return (
        near_negation(tokens, start)
        or waits_for(tokens, start)
        or bool(DENYING & set(before))
        or (not negated_sentence and bool(BEFORE & set(_clause_before(tokens, start))))
        or any(f" {p} " in f" {wider} " for p in DENYING_PHRASES)
    )


def _clause_before(tokens: Sequence[Token], start: int, reach: int = 7) -> list[str]:
    """The words before ``start`` back to a mark (at most ``reach`` tokens).

    "before the fire chief has formally handed the area back" puts the hand-back after the act.
    """
    words: list[str] = []
    for t in reversed(tokens[max(0, start - reach) : start]):
        if t.mark:
            break
        words.append(t.text)
    return words


def _overlaps(a: Occurrence, b: Occurrence) -> bool:
    return a.start < b.end and b.start < a.end


def _short(concept: str) -> str:
    return concept.split("::")[-1]
