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
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import bm25s
import numpy as np
from rapidfuzz import fuzz

from agent.domain import Category, Incident, Precedent
from agent.pack.models import Taxonomy
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
class _Doc:
    incident: Incident
    terms: frozenset[str]
    title_norm: str


@dataclass
class Retriever:
    """An in-memory index over an archive; build once, query many times."""

    incidents: Sequence[Incident]
    taxonomy: Taxonomy | None = None
    _docs: list[_Doc] = field(init=False, default_factory=list)
    _idf: dict[str, float] = field(init=False, default_factory=dict)
    _bm25: bm25s.BM25 | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        corpus = [tokens(self._document_text(i)) for i in self.incidents]
        self._docs = [
            _Doc(i, frozenset(t), normalise(i.title))
            for i, t in zip(self.incidents, corpus, strict=True)
        ]
        self._idf = _idf(corpus)
        if corpus:
            self._bm25 = bm25s.BM25()
            self._bm25.index([t or ["_empty_"] for t in corpus], show_progress=False)

    def __len__(self) -> int:
        return len(self._docs)

    def search(
        self,
        text: str,
        *,
        category: Category | None = None,
        site: str | None = None,
        k: int = 5,
        threshold: float = 0.35,
        allow: Callable[[Incident], bool] | None = None,
    ) -> RetrievalResult:
        """The ``k`` most similar incidents scoring at least ``threshold``.

        ``allow`` filters incidents *before* scoring (need-to-know, leave-one-out),
        so a hidden incident can never influence what the caller sees.
        """
        query_terms = tokens(text)
        if not self._docs or not query_terms:
            return RetrievalResult([], True, 0)
        english = translated_groups(text)  # a French report, read in English too
        flat = [t for group in english for t in group]
        mask, filtered = self._mask(allow)
        candidates = self._candidates(query_terms + flat + self._expansion(category), mask)
        query_norm = normalise(text)
        as_written: list[tuple[str, ...]] = [(t,) for t in query_terms]
        queries = [as_written, list(english)] if english else [as_written]
        scored = [self._score(i, queries, query_norm, category, site) for i in candidates]
        scored.sort(key=lambda pair: (-pair[0], pair[1].incident.id))
        best = scored[0][0] if scored else 0.0
        kept = [_precedent(doc, score, why) for score, doc, why in scored if score >= threshold]
        return RetrievalResult(kept[:k], not kept, len(candidates), round(best, 4), filtered)

    def _document_text(self, incident: Incident) -> str:
        label = ""
        if self.taxonomy is not None:
            sub = self.taxonomy.subtype(incident.category)
            label = f" {sub.label}" if sub else ""
        return f"{incident.search_text}{label} {' '.join(incident.tags)}"

    def _expansion(self, category: Category | None) -> list[str]:
        """Terms of the predicted category, so a French report finds English precedents."""
        if category is None or self.taxonomy is None:
            return []
        sub = self.taxonomy.subtype(category.code)
        if sub is None:
            return []
        return tokens(" ".join([sub.label, *sub.keywords_en[:8]]))

    def _mask(self, allow: Callable[[Incident], bool] | None) -> tuple[np.ndarray | None, int]:
        if allow is None:
            return None, 0
        mask = np.fromiter(
            (allow(d.incident) for d in self._docs), dtype=bool, count=len(self._docs)
        )
        return mask.astype(np.float32), int(len(mask) - mask.sum())

    def _candidates(self, terms: list[str], mask: np.ndarray | None) -> list[_Doc]:
        assert self._bm25 is not None
        scores = self._bm25.get_scores(terms)
        if mask is not None:
            scores = np.where(mask > 0, scores, -1.0)
        n = min(CANDIDATES, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        return [self._docs[i] for i in top if scores[i] > 0]

    def _score(
        self,
        doc: _Doc,
        queries: list[list[tuple[str, ...]]],
        query_norm: str,
        category: Category | None,
        site: str | None,
    ) -> tuple[float, _Doc, list[str]]:
        lexical, shared = max(self._lexical(q, doc.terms) for q in queries)  # as written or EN
        title = fuzz.token_set_ratio(query_norm, doc.title_norm) / 100.0
        cat, cat_why = _category_similarity(category, doc.incident)
        same_site = 1.0 if site and doc.incident.site and site == doc.incident.site else 0.0
        score = (
            WEIGHTS["lexical"] * lexical
            + WEIGHTS["title"] * title
            + WEIGHTS["category"] * cat
            + WEIGHTS["site"] * same_site
        )
        why = [f"shared terms: {', '.join(shared[:6])}"] if shared else []
        why += [cat_why] if cat_why else []
        why += ["same site"] if same_site else []
        return round(score, 4), doc, why

    def _lexical(
        self, query: list[tuple[str, ...]], terms: frozenset[str]
    ) -> tuple[float, list[str]]:
        """IDF-weighted share of the query's words found in the incident.

        A word may have alternatives (its English terms): it weighs as the rarest of
        them and is found when any of them is.
        """
        unique = list(dict.fromkeys(query))
        weight = {g: max(self._idf.get(t, 1.0) for t in g) for g in unique}
        total = sum(weight.values())
        found = [g for g in unique if any(t in terms for t in g)]
        shared = [next(t for t in g if t in terms) for g in found]
        return (sum(weight[g] for g in found) / total if total else 0.0), shared


def _idf(corpus: Iterable[list[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency of every term."""
    df: Counter[str] = Counter()
    n = 0
    for doc in corpus:
        df.update(set(doc))
        n += 1
    return {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}


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


def _precedent(doc: _Doc, score: float, why: list[str]) -> Precedent:
    i = doc.incident
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
