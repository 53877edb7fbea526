"""Offline categorisation: taxonomy lexicon (EN and FR), typo-tolerant matching, facts, precedents.

The mode a crisis cell falls back on when the network is gone, so it explains
itself: every point of score comes with a reason the operator can read.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from agent.domain import Category
from agent.pack.models import Taxonomy
from agent.rules.conditions import get_fact, has_fact
from agent.text import STOP_WORDS, normalise, stem

PHRASE_WEIGHT = 1.5
WORD_WEIGHT = 1.0
TYPO_WEIGHT = 0.7
TYPO_CUTOFF = 90
PRECEDENT_WEIGHT = 1.0
SECONDARY_SHARE = 0.5
MAX_SECONDARY = 2
MAX_REPEATS = 3

# Structured facts that point at a subtype: (fact, predicate, code, weight).
FACT_HINTS: tuple[tuple[str, Any, str, float], ...] = (
    ("detectors.nh3_alarm", True, "IND.toxic_release", 2.0),
    ("detectors.cl2_alarm", True, "IND.toxic_release", 2.0),
    ("detectors.h2s_alarm", True, "IND.toxic_release", 2.0),
    ("detectors.gas_alarm", True, "IND.explosion", 1.0),
    ("detectors.fire_alarm", True, "IND.fire", 1.5),
    ("vehicle.tanker_involved", True, "TRN.hazmat_transport", 2.0),
    ("systems.encrypted", True, "CYB.ransomware", 2.0),
    ("ransom.demand", True, "CYB.ransomware", 2.0),
    ("personal_data.involved", True, "CYB.data_breach", 1.5),
    ("power.grid_lost", True, "INF.power_outage", 1.5),
    ("flood.water_on_site", True, "NAT.flood", 2.0),
    ("threat.suspicious_item", True, "SEC.bomb_threat", 1.5),
    ("threat.attacker_present", True, "SEC.violent_attack", 2.0),
)
PRESENCE_HINTS: tuple[tuple[str, str, float], ...] = (
    ("earthquake.magnitude", "NAT.earthquake", 2.0),
    ("wildfire.distance_km", "NAT.wildfire", 2.0),
    ("staff.absent_pct", "HLT.epidemic", 1.0),
    ("flood.vigilance", "NAT.flood", 1.0),
)


@dataclass(frozen=True)
class _Lexicon:
    phrases: dict[str, list[tuple[str, str]]]  # code -> [(normalised phrase, original)]
    words: dict[str, list[tuple[str, str]]]  # code -> [(stem, original)]


def categorise(
    text: str,
    taxonomy: Taxonomy,
    facts: Mapping[str, Any] | None = None,
    precedent_votes: Sequence[tuple[str, float, str]] = (),
) -> Category:
    """Score every subtype and return the best code, its cascades, confidence and reasons.

    ``precedent_votes`` are ``(category code, similarity, incident id)`` of similar past
    incidents found without a category, so history can tip an ambiguous report.
    """
    scores: dict[str, float] = defaultdict(float)
    reasons: dict[str, list[str]] = defaultdict(list)
    _score_lexicon(text, taxonomy, scores, reasons)
    _score_facts(facts or {}, scores, reasons)
    _hazmat_in_transit(facts or {}, scores, reasons)
    for code, similarity, incident_id in precedent_votes:
        if taxonomy.subtype(code) is not None:
            scores[code] += PRECEDENT_WEIGHT * similarity
            reasons[code].append(f"similar past incident {incident_id} ({similarity:.2f})")
    if not any(v > 0 for v in scores.values()):
        return _fallback(text, taxonomy)
    return _decide(scores, reasons)


def _decide(scores: dict[str, float], reasons: dict[str, list[str]]) -> Category:
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    best_code, best = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    secondary = [c for c, s in ranked[1:] if s >= max(1.0, SECONDARY_SHARE * best)]
    confidence = best / (best + runner_up + 0.5)
    return Category(
        code=best_code,
        confidence=round(min(confidence, 0.99), 3),
        secondary=secondary[:MAX_SECONDARY],
        reasons=reasons[best_code][:8],
        origin="rules",
    )


def _score_lexicon(
    text: str, taxonomy: Taxonomy, scores: dict[str, float], reasons: dict[str, list[str]]
) -> None:
    """Phrases first; words inside a matched phrase do not count again on their own."""
    words = _stemmed_words(text)
    norm = f" {' '.join(words)} "
    lexicon = _lexicon(taxonomy)
    consumed: set[str] = set()
    for code, phrases in lexicon.phrases.items():
        for phrase, original in phrases:
            if f" {phrase} " in norm:
                scores[code] += PHRASE_WEIGHT
                reasons[code].append(f"phrase '{original}'")
                consumed.update(phrase.split())
    counts = Counter(w for w in words if w not in STOP_WORDS and w not in consumed)
    stems = set(counts)
    for code, entries in lexicon.words.items():
        for word_stem, original in entries:
            if word_stem in stems:
                scores[code] += WORD_WEIGHT * _repeat_weight(counts[word_stem])
                reasons[code].append(f"keyword '{original}'")
            elif len(word_stem) >= 6 and _typo_match(word_stem, stems):
                scores[code] += TYPO_WEIGHT
                reasons[code].append(f"close to keyword '{original}'")


def _repeat_weight(occurrences: int) -> float:
    """A word repeated in the report counts more, sub-linearly: 1, 1.5, 2 (capped)."""
    return 1.0 + 0.5 * (min(occurrences, MAX_REPEATS) - 1)


def _stemmed_words(text: str) -> list[str]:
    """Every word, folded and stemmed, stop words kept so phrases still line up."""
    return [stem(w) for w in re.findall(r"[a-z0-9]+", normalise(text))]


def _typo_match(word_stem: str, stems: set[str]) -> bool:
    candidates = [s for s in stems if len(s) >= 5 and s[0] == word_stem[0]]
    return (
        process.extractOne(word_stem, candidates, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF)
        is not None
    )


def _score_facts(
    facts: Mapping[str, Any], scores: dict[str, float], reasons: dict[str, list[str]]
) -> None:
    for path, expected, code, weight in FACT_HINTS:
        if get_fact(facts, path) == expected:
            scores[code] += weight
            reasons[code].append(f"fact {path} = {expected}")
    for path, code, weight in PRESENCE_HINTS:
        value = get_fact(facts, path)
        if has_fact(facts, path) and value != "green":
            scores[code] += weight
            reasons[code].append(f"fact {path} = {value}")


TRANSPORT_MODES = ("TRN.road", "TRN.rail", "TRN.maritime", "TRN.air")
HAZMAT = "TRN.hazmat_transport"


def _hazmat_in_transit(
    facts: Mapping[str, Any], scores: dict[str, float], reasons: dict[str, list[str]]
) -> None:
    """A named dangerous substance on a vehicle is a hazmat transport event (ERG applies)."""
    un = get_fact(facts, "substance.un")
    modes = [scores[m] for m in TRANSPORT_MODES if scores.get(m, 0) > 0]
    if not has_fact(facts, "substance.un") or not (modes or scores.get(HAZMAT, 0) > 0):
        return
    scores[HAZMAT] += max(modes, default=0.0) + 1.0
    reasons[HAZMAT].append(f"dangerous substance (UN {un}) in transport")


def _fallback(text: str, taxonomy: Taxonomy) -> Category:
    """No keyword, fact or precedent: closest subtype description, with low confidence."""
    norm = normalise(text)
    best_code, best_score = taxonomy.codes()[0], -1.0
    for family in taxonomy.families:
        for sub in family.subtypes:
            score = fuzz.token_set_ratio(norm, normalise(f"{sub.label} {sub.description}"))
            if score > best_score:
                best_code, best_score = f"{family.code}.{sub.code}", score
    return Category(
        code=best_code,
        confidence=round(min(best_score / 100.0, 1.0) * 0.3, 3),
        origin="rules",
        reasons=["no keyword, fact or precedent matched: closest description, low confidence"],
    )


_LEXICONS: dict[int, tuple[Taxonomy, _Lexicon]] = {}


def _lexicon(taxonomy: Taxonomy) -> _Lexicon:
    """The lexicon of a taxonomy, built once per taxonomy object."""
    cached = _LEXICONS.get(id(taxonomy))
    if cached is not None and cached[0] is taxonomy:
        return cached[1]
    lexicon = _build_lexicon(taxonomy)
    _LEXICONS[id(taxonomy)] = (taxonomy, lexicon)
    return lexicon


def _build_lexicon(taxonomy: Taxonomy) -> _Lexicon:
    phrases: dict[str, list[tuple[str, str]]] = defaultdict(list)
    words: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for family in taxonomy.families:
        for sub in family.subtypes:
            code = f"{family.code}.{sub.code}"
            seen: set[str] = set()
            for keyword in sorted({*sub.keywords_en, *sub.keywords_fr}):
                norm = " ".join(_stemmed_words(keyword))
                if not norm or norm in seen:
                    continue  # "flood", "floods", "flooded": one word, one hit
                seen.add(norm)
                (phrases if " " in norm else words)[code].append((norm, keyword))
    return _Lexicon(dict(phrases), dict(words))
