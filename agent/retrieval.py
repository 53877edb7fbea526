"""Similar-incident retrieval: bm25s for candidates, rapidfuzz and boosts for the score.

BM25 alone gives scores that only rank within one query, and rapidfuzz alone is
O(n) and ranks long texts badly. So bm25s proposes candidates over the whole
archive, then each candidate gets an absolute score in [0, 1] that a threshold
can be applied to:

    score = 0.45 lexical + 0.15 title + 0.30 category + 0.10 site

``lexical`` is the IDF-weighted share of the query's terms found in the incident,
``title`` a rapidfuzz token-set ratio on the title, ``category`` 1 for the same
subtype, 0.5 for the same family, 0.25 for a cascade code, and ``site`` 1 for the
same site. Below the threshold the result says ``no_precedent``.

The lexical side lives in :mod:`agent.retrieval_index` (which terms a document holds
and how rare they are come from the bm25s matrix itself); :mod:`agent.retrieval_cache`
saves it so a later process loads it instead of rebuilding it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz

from agent.domain import Category, Incident, Precedent
from agent.pack.models import Taxonomy
from agent.retrieval_index import LexicalIndex
from agent.rules.glossary import translated_groups
from agent.text import normalise, tokens

WEIGHTS = {"lexical": 0.45, "title": 0.15, "category": 0.30, "site": 0.10}
CANDIDATES = 50


@dataclass(frozen=True)
class RetrievalResult:
    """Top precedents above the threshold, and whether there was none."""

    precedents: list[Precedent]
    no_precedent: bool
    considered: int
    best_score: float = 0.0
    filtered: int = 0


@dataclass
class Retriever:
    """An index over an archive; build once (or load a saved one), query many times.

    ``index`` is a :class:`LexicalIndex` built elsewhere (loaded from the cache) over
    the same incidents in the same order; without it one is built from ``incidents``.
    ``incidents`` may be any sequence: scoring reads only the candidates, fetched in one
    ``take(positions)`` call when the sequence has one (a store-backed archive).
    """

    incidents: Sequence[Incident]
    taxonomy: Taxonomy | None = None
    index: LexicalIndex | None = None
    _position_of: dict[str, int] | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        if self.index is None and len(self.incidents):
            corpus = (document_tokens(i, self.taxonomy) for i in self.incidents)
            self.index = LexicalIndex.build(corpus, [i.id for i in self.incidents])
        if self.index is not None and len(self.index) != len(self.incidents):
            raise ValueError("the index and the incidents it was built on differ in length")

    def __len__(self) -> int:
        return len(self.incidents)

    def search(
        self,
        text: str,
        *,
        category: Category | None = None,
        site: str | None = None,
        k: int = 5,
        threshold: float = 0.35,
        allow: Callable[[Incident], bool] | None = None,
        exclude: Collection[str] = (),
    ) -> RetrievalResult:
        """The ``k`` most similar incidents scoring at least ``threshold``.

        ``allow`` filters incidents *before* scoring (need-to-know, leave-one-out),
        so a hidden incident can never influence what the caller sees. ``exclude``
        hides incidents by id the same way without reading every incident, which
        ``allow`` must do (use it over a store-backed archive of a million).
        """
        query_terms = tokens(text)
        if self.index is None or not query_terms:
            return RetrievalResult([], True, 0)
        english = translated_groups(text)  # a French report, read in English too
        flat = [t for group in english for t in group]
        mask, filtered = self._mask(allow, exclude)
        positions = self._candidates(query_terms + flat + self._expansion(category), mask)
        as_written: list[tuple[str, ...]] = [(t,) for t in query_terms]
        queries = [as_written, list(english)] if english else [as_written]
        scored = self._ranked(positions, queries, normalise(text), category, site)
        best = scored[0][0] if scored else 0.0
        kept = [_precedent(i, score, why) for score, i, why in scored if score >= threshold]
        return RetrievalResult(kept[:k], not kept, len(positions), round(best, 4), filtered)

    def _expansion(self, category: Category | None) -> list[str]:
        """Terms of the predicted category, so a French report finds English precedents."""
        if category is None or self.taxonomy is None:
            return []
        sub = self.taxonomy.subtype(category.code)
        if sub is None:
            return []
        return tokens(" ".join([sub.label, *sub.keywords_en[:8]]))

    def _mask(
        self, allow: Callable[[Incident], bool] | None, exclude: Collection[str]
    ) -> tuple[np.ndarray | None, int]:
        if allow is None and not exclude:
            return None, 0
        if allow is None:
            keep = np.ones(len(self), dtype=bool)
        else:
            keep = np.fromiter((allow(i) for i in self.incidents), dtype=bool, count=len(self))
        keep[self._positions(exclude)] = False
        return keep.astype(np.float32), int(len(keep) - keep.sum())

    def _positions(self, ids: Collection[str]) -> list[int]:
        """Where these ids sit in the index (a map built on first use)."""
        if not ids or self.index is None:
            return []
        if self._position_of is None:
            self._position_of = {incident_id: p for p, incident_id in enumerate(self.index.ids)}
        return [self._position_of[i] for i in ids if i in self._position_of]

    def _candidates(self, terms: list[str], mask: np.ndarray | None) -> list[int]:
        assert self.index is not None
        scores = self.index.scores(terms)
        if mask is not None:
            scores = np.where(mask > 0, scores, -1.0)
        n = min(CANDIDATES, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        return [int(i) for i in top if scores[i] > 0]

    def _take(self, positions: list[int]) -> list[Incident]:
        """The incidents at ``positions``, in one store query when the archive is stored."""
        take = getattr(self.incidents, "take", None)
        if callable(take):
            return list(take(positions))
        return [self.incidents[p] for p in positions]

    def _ranked(
        self,
        positions: list[int],
        queries: list[list[tuple[str, ...]]],
        query_norm: str,
        category: Category | None,
        site: str | None,
    ) -> list[tuple[float, Incident, list[str]]]:
        """The candidates scored, best first (ties by id, so the order is stable)."""
        assert self.index is not None
        weighted = [self._weights(q) for q in queries]
        asked = {t for query in queries for group in query for t in group}
        held = self.index.holds(positions, asked)
        scored = [
            self._score(incident, terms, weighted, query_norm, category, site)
            for incident, terms in zip(self._take(positions), held, strict=True)
        ]
        scored.sort(key=lambda triple: (-triple[0], triple[1].id))
        return scored

    def _score(
        self,
        incident: Incident,
        held: set[str],
        queries: list[dict[tuple[str, ...], float]],
        query_norm: str,
        category: Category | None,
        site: str | None,
    ) -> tuple[float, Incident, list[str]]:
        lexical, shared = max(self._lexical(q, held) for q in queries)  # as written or EN
        title = fuzz.token_set_ratio(query_norm, normalise(incident.title)) / 100.0
        cat, cat_why = _category_similarity(category, incident)
        same_site = 1.0 if site and incident.site and site == incident.site else 0.0
        score = (
            WEIGHTS["lexical"] * lexical
            + WEIGHTS["title"] * title
            + WEIGHTS["category"] * cat
            + WEIGHTS["site"] * same_site
        )
        why = [f"shared terms: {', '.join(shared[:6])}"] if shared else []
        why += [cat_why] if cat_why else []
        why += ["same site"] if same_site else []
        return round(score, 4), incident, why

    def _weights(self, query: list[tuple[str, ...]]) -> dict[tuple[str, ...], float]:
        """Each word of the query with its IDF; one with alternatives weighs as the rarest."""
        assert self.index is not None
        index = self.index
        return {g: max(index.idf(t) for t in g) for g in dict.fromkeys(query)}

    @staticmethod
    def _lexical(weight: dict[tuple[str, ...], float], terms: set[str]) -> tuple[float, list[str]]:
        """IDF-weighted share of the query's words the incident holds (any alternative counts)."""
        total = sum(weight.values())
        found = [g for g in weight if not terms.isdisjoint(g)]
        shared = [next(t for t in g if t in terms) for g in found]
        return (sum(weight[g] for g in found) / total if total else 0.0), shared


def document_tokens(incident: Incident, taxonomy: Taxonomy | None) -> list[str]:
    """The terms an incident is indexed under: its text, its subtype's label, its tags."""
    label = ""
    if taxonomy is not None:
        sub = taxonomy.subtype(incident.category)
        label = f" {sub.label}" if sub else ""
    return tokens(f"{incident.search_text}{label} {' '.join(incident.tags)}")


def _category_similarity(category: Category | None, incident: Incident) -> tuple[float, str]:
    if category is None:
        return 0.0, ""
    if incident.category == category.code:
        return 1.0, f"same category {category.code}"
    if incident.category.split(".")[0] == category.family:
        return 0.5, f"same family {category.family}"
    cascade = set(category.secondary) | {category.code}
    if cascade & ({incident.category} | set(incident.secondary)):
        return 0.25, "related category (cascade)"
    return 0.0, ""


def _precedent(i: Incident, score: float, why: list[str]) -> Precedent:
    return Precedent(
        id=i.id,
        title=i.title,
        score=score,
        category=i.category,
        occurred_at=i.occurred_at,
        site=i.site,
        resolution=i.resolution,
        outcome=i.outcome,
        actions=i.actions,
        lessons=i.lessons,
        why=why,
    )
