"""Is a model's sentence supported by the procedure's own words? Default-deny for free text.

The guard's patterns recognise the prohibitions they were written for; a model
can always find words nobody wrote a pattern for (held-out red-team texts still
got through). So, by default, the words a model writes itself reach an operator
only when they restate the applied SOPs: every sentence must be a near-restatement
of one SOP sentence, in both directions.

* every content word of the model's sentence occurs in that SOP sentence (compared
  lemmatised, folded, as the guard compares words), so nothing is added;
* it keeps at least :data:`MIN_KEPT` of the SOP sentence's content words, so a
  qualifier cannot be dropped ("send rescuers in" from "send rescuers in *with
  breathing apparatus*");
* it carries exactly the SOP sentence's polarity and ordering words ("not",
  "never", "without", "until", "before", "only", "sans", "jamais", "avant"...),
  so "do not re-enter until released" cannot become "re-enter".

Text that fails is not said to be forbidden: it is *unsupported*, withheld from the
briefing and kept in the call log for whoever audits the model.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from agent.guard.tokens import Token, sentences


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MIN_KEPT = 0.85
"""Share of the SOP sentence's content words a restatement must keep."""

FUNCTION_WORDS = _words(
    """a an the of to in on at for and or with by from into onto as is are be been being
    it its this that these those there their they them he she his her we our you your i
    s t do does did has have had shall should will would can could may might must
    le la les l un une des du de d et ou a au aux en dans sur pour par avec est sont etre
    il elle ils elles leur leurs son sa ses ce cet cette ces qui que quoi y se on nous
    vous je tout tous toute toutes"""
)
"""Words that carry no action or object; ignored on both sides."""

POLARITY_WORDS = _words(
    """no not never without nor none nobody nothing avoid don doesn didn isn aren won
    until unless before after only except once
    ne pas jamais sans aucun aucune rien personne ni plus sauf avant apres jusqu jusque
    tant seulement uniquement qu"""
)
"""Words that flip or order an instruction: they must match the SOP sentence exactly."""


@dataclass(frozen=True)
class _Sentence:
    content: tuple[frozenset[str], ...]
    """The key set of each content word."""
    polarity: Counter[str]


def _parse(tokens: Sequence[Token]) -> _Sentence:
    words = [t for t in tokens if not t.mark]
    polarity = Counter(t.text for t in words if t.text in POLARITY_WORDS)
    content = tuple(
        t.keys for t in words if t.text not in POLARITY_WORDS and t.text not in FUNCTION_WORDS
    )
    return _Sentence(content, polarity)


class SupportIndex:
    """The sentences of the applied SOPs that a model's words may restate."""

    def __init__(
        self, references: Iterable[str], min_kept: float = MIN_KEPT, clauses: bool = False
    ) -> None:
        """``clauses``: each clause of a reference stands alone (quoting a report)."""
        parts = [p for text in references for s in sentences(text) for p in _split(s, clauses)]
        self._refs = [_parse(p) for p in parts]
        self._min_kept = min_kept

    def supported(self, text: str) -> bool:
        """True when every sentence of ``text`` restates one SOP sentence."""
        parsed = [_parse(s) for s in sentences(text)]
        return bool(parsed) and all(self._restates_one(s) for s in parsed)

    def _restates_one(self, candidate: _Sentence) -> bool:
        return bool(candidate.content) and any(
            _restates(candidate, ref, self._min_kept) for ref in self._refs
        )


def _split(tokens: list[Token], clauses: bool) -> list[list[Token]]:
    """The sentence, or its clauses (between commas, colons and brackets)."""
    if not clauses:
        return [tokens]
    out: list[list[Token]] = [[]]
    for t in tokens:
        if t.mark:
            out.append([])
        else:
            out[-1].append(t)
    return [c for c in out if c]


def _restates(candidate: _Sentence, ref: _Sentence, min_kept: float) -> bool:
    """Nothing added, little dropped, same polarity."""
    if candidate.polarity != ref.polarity or not ref.content:
        return False
    if not all(any(c & r for r in ref.content) for c in candidate.content):
        return False
    kept = sum(1 for r in ref.content if any(r & c for c in candidate.content))
    return kept >= min_kept * len(ref.content)
