"""Offline categorisation: lexicon, a model learned from the pack, facts, precedents, cascades.

The mode a crisis cell falls back on when the network is gone, so it explains
itself: every decision lists its top signals (lexicon terms, model features and
probability, facts, similar past incidents) and the cascade rules it applied.

Signals, added per code:

1. **lexicon** (:mod:`agent.rules.cues`): taxonomy keywords and the cue file, longest
   match first, negation-, cause- and headline-aware, verbs read by their subject;
2. **model** (:mod:`agent.rules.classifier`): naive Bayes on character n-grams, trained
   deterministically on the pack's own text when the pack is loaded;
3. **facts** (detectors, tankers, magnitudes, casualty counts) and **precedent votes**.

Then the main hazard wins over its consequences (:mod:`agent.rules.cascades`), and
consequences or causes the text states become secondary codes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz import fuzz

from agent.domain import Category
from agent.pack.models import Sop, Taxonomy
from agent.rules import cascades, classifier
from agent.rules.conditions import get_fact, has_fact
from agent.rules.cue_lexicon_cache import lexicon_for
from agent.rules.cues import Hit, match
from agent.rules.model_cache import DiskCache
from agent.rules.reading import Reading, fold, read, travelling

LEAD_BOOST = 1.3
CAUSE_SHARE_OF_WEIGHT = 0.4
RESOURCE_SHARE_OF_WEIGHT = 0.3
QUESTION_SHARE_OF_WEIGHT = 0.5
"""A word in a question ("du gasoil ??") is a guess, not a statement."""
WEAK = 0.5
WEAK_CAP = 1.5
"""Context words alone cannot make an event: their points are capped per code."""
REPEAT_WEIGHT = 0.5
MAX_REPEATS = 3
MODEL_WEIGHT = 2.0
MODEL_FLOOR = 0.05
PRECEDENT_WEIGHT = 0.6
CONSEQUENCE_DISCOUNT = 0.5
CAUSE_SHARE = 0.5
MIN_CAUSE = 1.0
MIN_SECONDARY = 1.0
SECONDARY_SHARE = 0.5
MAX_SECONDARY = 3
FIRM_SECONDARY = 1.5
"""Own points a secondary code needs, without a fact, to bring in its SOPs: on the dev
corpus, codes under it were right 22 % of the time, and "also involved" codes (neither
cascade nor cause of the primary) 15 % whatever their points."""
FIRM_SHARE = 0.9
"""A secondary code with this share of the primary's evidence is a rival reading, not a
word in passing: its SOPs stay (a cloud outage read as a "leak" keeps the IT SOP)."""
ACUTE_HAZARDS = frozenset({"IND.fire", "IND.explosion", "IND.toxic_release", "IND.radiological"})
"""Secondary codes always firm: a fire named in passing after an explosion still needs the
fire SOP (a missed life-safety procedure costs more than a longer plan)."""
MAX_REASONS = 8
MODEL_ONLY_CONFIDENCE = 0.4
ALWAYS_CONSEQUENCE = frozenset({"HLT.mass_casualty"})
"""Logged as a consequence whenever the text states a cause ("whatever the cause")."""
MASS_CASUALTY_DEATHS = 10
MASS_CASUALTY_VICTIMS = 20

# Structured facts that point at a subtype: (fact, predicate, code, weight).
FACT_HINTS: tuple[tuple[str, Any, str, float], ...] = (
    ("detectors.nh3_alarm", True, "IND.toxic_release", 2.0),
    ("detectors.cl2_alarm", True, "IND.toxic_release", 2.0),
    ("detectors.h2s_alarm", True, "IND.toxic_release", 2.0),
    ("detectors.gas_alarm", True, "IND.explosion", 1.0),
    ("detectors.fire_alarm", True, "IND.fire", 1.5),
    ("vehicle.tanker_involved", True, "TRN.hazmat_transport", 2.0),
    ("systems.encrypted", True, "CYB.ransomware", 2.0),
    ("ransom.demand", True, "CYB.ransomware", 1.0),
    ("personal_data.involved", True, "CYB.data_breach", 1.5),
    ("power.grid_lost", True, "INF.power_outage", 1.5),
    ("flood.water_on_site", True, "NAT.flood", 2.0),
    ("threat.suspicious_item", True, "SEC.bomb_threat", 1.5),
    ("threat.attacker_present", True, "SEC.violent_attack", 2.0),
    # The vehicle in trouble (:mod:`~agent.rules.transport`): a helicopter through a roof
    # is an air accident before it is a collapse. Road only on a public road (see
    # :data:`PUBLIC_ROAD`): a truck reversing in the yard into a worker is an injury.
    ("transport.mode", "air", "TRN.air", 1.5),
    ("transport.mode", "rail", "TRN.rail", 1.5),
    ("transport.mode", "maritime", "TRN.maritime", 1.5),
    ("transport.mode", "road", "TRN.road", 1.0),
)
PRESENCE_HINTS: tuple[tuple[str, str, float], ...] = (
    ("earthquake.magnitude", "NAT.earthquake", 2.0),
    ("wildfire.distance_km", "NAT.wildfire", 2.0),
    ("staff.absent_pct", "HLT.epidemic", 1.0),
    ("flood.vigilance", "NAT.flood", 1.0),
)
TEMPERATURE = re.compile(r"(?<![\w.,])(-|moins\s)?(\d{1,2})(?:[.,]\d)?\s?(?:°\s?c?|degres|degrees)")
HEAT_C = 35
COLD_C = -8
TRANSPORT_MODES = ("TRN.road", "TRN.rail", "TRN.maritime", "TRN.air")
TRAVEL_MODES = frozenset({"TRN.road", "TRN.rail", "TRN.air"})
HAZMAT = "TRN.hazmat_transport"
PUBLIC_ROAD = re.compile(
    r"\b(?:motorway|autoroute|highway|freeway|a\d{1,3}|m\d{1,2}|i-\d{1,3}|rn ?\d{1,3}|"
    r"n\d{2,3}|d\d{2,4}|rocade|ring road|periph\w*|carriageway|dual carriageway|"
    r"route (?:nationale|departementale))\b"
)
"""A public road named: a road vehicle in trouble there is a road accident."""
AT_A_SITE = re.compile(
    r"\b(?:(?:un)?loaded at|(?:un)?loading\b[^.;]{0,30}\b(?:at|bay|quay|dock|arm|station)\b|"
    r"(?:en )?(?:de)?chargeant|(?:de)?chargement (?:au|sur le|du) (?:quai|poste)|"
    r"(?:au|sur le) quai de (?:de)?chargement)"
)


@dataclass
class Evidence:
    """What speaks for one code: lexicon hits, facts, votes and the model's share."""

    hits: list[Hit] = field(default_factory=list)
    lexicon: float = 0.0
    cause_part: float = 0.0
    """The part of ``lexicon`` from hits that only name a stated cause."""
    strong: float = 0.0
    """Lexicon points from event words (not context words), stated causes excluded."""
    facts: float = 0.0
    votes: float = 0.0
    model: float = 0.0
    notes: list[str] = field(default_factory=list)
    points: dict[int, float] = field(default_factory=dict)
    """Hit start -> the points it scored before the cause share: what a secondary code reads."""

    @property
    def total(self) -> float:
        """Every signal added."""
        return self.lexicon + self.facts + self.votes + self.model

    @property
    def stated(self) -> float:
        """What the text and facts state themselves (no model, no precedent)."""
        return self.lexicon + self.facts

    @property
    def as_hazard(self) -> float:
        """The evidence that the code is happening, not only named as a cause."""
        return self.total - self.cause_part


@dataclass
class Decision:
    """The full reasoning behind a category: every code's evidence and what was decided."""

    evidence: dict[str, Evidence]
    effective: dict[str, float]
    prediction: classifier.Prediction | None
    demoted: dict[str, str]
    """Consequence code -> the cause that took precedence over it."""
    primary: str
    secondary: list[cascades.Link]
    negated: list[str]
    confidence: float
    fallback: bool = False

    def _frame_notes(self) -> list[str]:
        """How verbs were read by their subject, in the codes that were kept."""
        kept = [self.primary, *(link.code for link in self.secondary)]
        return [h.note for c in kept for h in self.evidence[c].hits if h.note]

    def category(self) -> Category:
        """The public result: code, confidence, secondary codes and reasons."""
        return Category(
            code=self.primary,
            confidence=self.confidence,
            secondary=[link.code for link in self.secondary],
            tentative=[link.code for link in self.secondary if not link.firm],
            reasons=self.reasons(),
            origin="rules",
        )

    def reasons(self) -> list[str]:
        """The top signals for the primary code, then the cascade rules that applied."""
        if self.fallback and self.prediction is not None:
            return [
                "no keyword, fact or precedent matched: pack model only, low confidence",
                _model_reason(self.primary, self.prediction),
            ]
        if self.fallback:
            return ["no keyword, fact or precedent matched: closest description, low confidence"]
        ev = self.evidence[self.primary]
        out = _lexicon_reasons(ev) + ev.notes
        out += [n for n in self._frame_notes() if n not in out][:2]
        if ev.model and self.prediction is not None:
            out.append(_model_reason(self.primary, self.prediction))
        out += [
            f"main hazard over its consequence {c} (x{CONSEQUENCE_DISCOUNT})"
            for c, cause in self.demoted.items()
            if cause == self.primary
        ][:1]
        out += [link.reason() for link in self.secondary]
        if self.negated:
            out.append("negated, not counted: " + ", ".join(f"'{t}'" for t in self.negated[:3]))
        return out[:MAX_REASONS]


def categorise(
    text: str,
    taxonomy: Taxonomy,
    facts: Mapping[str, Any] | None = None,
    precedent_votes: Sequence[tuple[str, float, str]] = (),
    *,
    sops: Sequence[Sop] | None = None,
) -> Category:
    """Score every subtype and return the best code, its cascades, confidence and reasons.

    ``precedent_votes`` are ``(category code, similarity, incident id)`` of similar past
    incidents found without a category, so history can tip an ambiguous report.
    ``sops`` are the pack's SOPs the model learns from (default: the configured pack's,
    when its taxonomy is this one).
    """
    return decide(text, taxonomy, facts, precedent_votes, sops=sops).category()


def decide(
    text: str,
    taxonomy: Taxonomy,
    facts: Mapping[str, Any] | None = None,
    precedent_votes: Sequence[tuple[str, float, str]] = (),
    *,
    sops: Sequence[Sop] | None = None,
) -> Decision:
    """Every signal for every code, then the primary code, secondary codes and confidence."""
    facts = facts or {}
    evidence: dict[str, Evidence] = defaultdict(Evidence)
    reading = read(text)
    hits = _travel_as_context(reading, match(reading, lexicon_for(taxonomy)))
    _score_hits(hits, evidence)
    _score_facts(facts, evidence, text)
    _score_temperature(text, evidence)
    _hazmat_in_transit(text, facts, evidence)
    _score_votes(precedent_votes, taxonomy, evidence)
    said = any(ev.total > 0 for ev in evidence.values())
    prediction = _score_model(text, taxonomy, sops, evidence)
    if not said:
        return _model_only(prediction) if prediction.known_features else _fallback(text, taxonomy)
    negated = sorted({h.span or h.term for h in hits if h.negated})
    return _choose(dict(evidence), prediction, negated)


# --- signals -------------------------------------------------------------------------------


def _score_hits(hits: Sequence[Hit], evidence: dict[str, Evidence]) -> None:
    """Lexicon points: headline words count more, stated causes less, repeats sub-linearly."""
    seen: dict[tuple[str, str], int] = defaultdict(int)
    weak: dict[str, float] = defaultdict(float)
    for hit in hits:
        if hit.negated:
            continue
        seen[(hit.code, hit.term)] += 1
        n = seen[(hit.code, hit.term)]
        if n > MAX_REPEATS:
            continue
        weight = hit.weight * (LEAD_BOOST if hit.lead else 1.0) * (1.0 if n == 1 else REPEAT_WEIGHT)
        if hit.resource:
            weight *= RESOURCE_SHARE_OF_WEIGHT
        if hit.question:
            weight *= QUESTION_SHARE_OF_WEIGHT
        if hit.weight <= WEAK:
            weight = min(weight, max(0.0, WEAK_CAP - weak[hit.code]))
            weak[hit.code] += weight
        ev = evidence[hit.code]
        ev.points[hit.start] = ev.points.get(hit.start, 0.0) + weight
        if hit.cause:
            weight *= CAUSE_SHARE_OF_WEIGHT
            ev.cause_part += weight
        elif hit.weight > WEAK:
            ev.strong += weight
        ev.lexicon += weight
        ev.hits.append(hit)
        if hit.note and hit.note not in ev.notes:
            ev.notes.append(hit.note)


def _travel_as_context(reading: Reading, hits: list[Hit]) -> list[Hit]:
    """A vehicle someone rides in ("the CEO is on a flight") counts as a resource word."""
    out = []
    for hit in hits:
        if hit.code in TRAVEL_MODES and not hit.resource and travelling(reading, hit.start):
            note = f"'{hit.span}' read as someone's travel, not {hit.code}"
            hit = replace(hit, resource=True, note=note)
        out.append(hit)
    return out


def at_a_site(text: str) -> bool:
    """True when the text has a vehicle loaded or unloaded at a site (not in transit)."""
    return AT_A_SITE.search(fold(text)) is not None


def _score_facts(facts: Mapping[str, Any], evidence: dict[str, Evidence], text: str = "") -> None:
    for path, expected, code, weight in FACT_HINTS:
        if code == HAZMAT and at_a_site(text):
            continue
        if code == "TRN.road" and PUBLIC_ROAD.search(fold(text)) is None:
            continue
        if get_fact(facts, path) == expected:
            evidence[code].facts += weight
            evidence[code].notes.append(f"fact {path} = {expected}")
    for path, code, weight in PRESENCE_HINTS:
        value = get_fact(facts, path)
        if has_fact(facts, path) and value != "green":
            evidence[code].facts += weight
            evidence[code].notes.append(f"fact {path} = {value}")
    _mass_casualty(facts, evidence)


def _score_temperature(text: str, evidence: dict[str, Evidence]) -> None:
    """An extreme air temperature written as such (40 °C, -12 °C) points at a heat or cold wave."""
    for found in TEMPERATURE.finditer(fold(text)):
        value = int(found[2]) * (-1 if found[1] else 1)
        if value >= HEAT_C or value <= COLD_C:
            ev = evidence["NAT.heat_cold_wave"]
            ev.lexicon += 1.0
            ev.strong += 1.0
            ev.notes.append(f"temperature {value} °C")
            return


def _count(facts: Mapping[str, Any], path: str) -> int:
    value = get_fact(facts, path)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _mass_casualty(facts: Mapping[str, Any], evidence: dict[str, Evidence]) -> None:
    """Many dead or injured at once is a mass-casualty event, whatever the cause."""
    deaths = _count(facts, "casualties.deaths")
    victims = deaths + max(
        _count(facts, "casualties.injured"),
        _count(facts, "casualties.hospitalised_onsite")
        + _count(facts, "casualties.hospitalised_offsite"),
    )
    if deaths >= MASS_CASUALTY_DEATHS or victims >= MASS_CASUALTY_VICTIMS:
        ev = evidence["HLT.mass_casualty"]
        ev.facts += 1.0
        ev.notes.append(f"facts: {deaths} dead, {victims} victims in all")


def _hazmat_in_transit(text: str, facts: Mapping[str, Any], evidence: dict[str, Evidence]) -> None:
    """A named dangerous substance on a vehicle is a hazmat transport event (ERG applies).

    A vehicle must be named ("hazmat team" alone is firefighters). Not while the vehicle
    is loaded or unloaded at a site: that is the site's own release (its internal plan
    applies), whatever the vehicle.
    """
    modes = [evidence[m].strong for m in TRANSPORT_MODES if m in evidence]
    if not has_fact(facts, "substance.un") or not any(m > 0 for m in modes):
        return
    if at_a_site(text):
        return
    ev = evidence[HAZMAT]
    ev.facts += max(modes, default=0.0) + 1.0
    ev.notes.append(f"dangerous substance (UN {get_fact(facts, 'substance.un')}) in transport")


def _score_votes(
    votes: Sequence[tuple[str, float, str]], taxonomy: Taxonomy, evidence: dict[str, Evidence]
) -> None:
    for code, similarity, incident_id in votes:
        if taxonomy.subtype(code) is not None:
            evidence[code].votes += PRECEDENT_WEIGHT * similarity
            evidence[code].notes.append(f"similar past incident {incident_id} ({similarity:.2f})")


def _score_model(
    text: str, taxonomy: Taxonomy, sops: Sequence[Sop] | None, evidence: dict[str, Evidence]
) -> classifier.Prediction:
    """The learned model's posterior, as points for the codes it finds likely."""
    prediction = model(taxonomy, sops).predict(text)
    for code, p in prediction.probabilities.items():
        if p >= MODEL_FLOOR:
            evidence[code].model += MODEL_WEIGHT * p
    return prediction


_MODEL_OF: dict[tuple[int, int], tuple[Taxonomy, object, classifier.NaiveBayes]] = {}


def model(taxonomy: Taxonomy, sops: Sequence[Sop] | None = None) -> classifier.NaiveBayes:
    """The model learned from this taxonomy and the pack's SOPs (cached per training set)."""
    key = (id(taxonomy), id(sops))
    cached = _MODEL_OF.get(key)
    if cached is not None and cached[0] is taxonomy and cached[1] is sops:
        return cached[2]
    if sops is not None:
        fields = [classifier.sop_fields(s) for s in sops if s.status == "approved"]
    else:
        fields = _configured_pack_sops(taxonomy)
    learned = classifier.model_for(taxonomy, fields, DiskCache())
    _MODEL_OF[key] = (taxonomy, sops, learned)
    return learned


_PACK_SOPS: dict[int, tuple[Taxonomy, list[dict[str, Any]]]] = {}


def _configured_pack_sops(taxonomy: Taxonomy) -> list[dict[str, Any]]:
    """The configured pack's SOPs when its taxonomy is this one, read once per taxonomy."""
    cached = _PACK_SOPS.get(id(taxonomy))
    if cached is not None and cached[0] is taxonomy:
        return cached[1]
    from agent.settings import Settings

    found = classifier.read_pack_sops(Settings().sops_dir, taxonomy)
    _PACK_SOPS[id(taxonomy)] = (taxonomy, found)
    return found


# --- decision ------------------------------------------------------------------------------


def _choose(
    evidence: dict[str, Evidence], prediction: classifier.Prediction, negated: list[str]
) -> Decision:
    """Discount consequences of a stated hazard, pick the best, then the secondary codes."""
    totals = {c: ev.total for c, ev in evidence.items() if ev.total > 0}
    demoted = _demotions(evidence, totals)
    effective = {c: s * CONSEQUENCE_DISCOUNT if c in demoted else s for c, s in totals.items()}
    said = {c for c, ev in evidence.items() if ev.stated + ev.votes > 0}
    # A code only the model proposes never beats a code the text or history speaks for.
    ranked = sorted(effective.items(), key=lambda kv: (kv[0] not in said, -kv[1], kv[0]))
    primary, best = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    return Decision(
        evidence=evidence,
        effective=effective,
        prediction=prediction,
        demoted=demoted,
        primary=primary,
        secondary=_secondary(primary, evidence, totals),
        negated=negated,
        confidence=round(min(best / (best + runner_up + 0.5), 0.99), 3),
    )


def _demotions(evidence: dict[str, Evidence], totals: dict[str, float]) -> dict[str, str]:
    """Consequence -> cause, for each consequence whose cause the text shows happening."""
    hazard = {c: evidence[c].as_hazard for c in totals}
    out: dict[str, str] = {}
    for code, score in totals.items():
        share = 0.0 if code in ALWAYS_CONSEQUENCE else CAUSE_SHARE
        for cause in cascades.causes_of(code, hazard):
            real = evidence[cause].strong + evidence[cause].facts
            if real >= MIN_CAUSE and hazard[cause] >= max(MIN_CAUSE, share * score):
                out[code] = cause
                break
    return out


def _own_evidence(code: str, primary: str, evidence: dict[str, Evidence]) -> float:
    """What the text says for ``code`` in words the primary code did not already use.

    Each word counts what it scored: a resource ("fire brigade on scene", "the CEO is on
    a flight"), a guess in a question or a repeat cannot alone make a secondary code.
    """
    taken = {h.start for h in evidence[primary].hits}
    ev = evidence[code]
    return ev.facts + sum(w for start, w in ev.points.items() if start not in taken)


def _secondary(
    primary: str, evidence: dict[str, Evidence], totals: dict[str, float]
) -> list[cascades.Link]:
    """Codes the text itself states: cascades of the primary, its stated cause, or as strong."""
    best = totals[primary]
    own = {c: _own_evidence(c, primary, evidence) for c in totals if c != primary}
    out: list[cascades.Link] = []
    for code in sorted(own, key=lambda c: (-own[c], c)):
        if own[code] < MIN_SECONDARY:
            continue
        link = cascades.link(primary, code)
        if link.kind != "also" or totals[code] >= SECONDARY_SHARE * best:
            rival = totals[code] >= FIRM_SHARE * best
            out.append(replace(link, firm=rival or _firm(link, own[code], evidence[code])))
    return out[:MAX_SECONDARY]


def _firm(link: cascades.Link, own: float, evidence: Evidence) -> bool:
    """An acute hazard, a fact, or a cascade or cause stated more than in passing."""
    if link.code in ACUTE_HAZARDS or evidence.facts > 0:
        return True
    return link.kind != "also" and own >= FIRM_SECONDARY


def _lexicon_reasons(ev: Evidence) -> list[str]:
    """The lexicon terms behind a code, strongest first, as 'keyword' and 'phrase' reasons."""
    weights: dict[str, float] = defaultdict(float)
    first: dict[str, Hit] = {}
    for hit in ev.hits:
        words = hit.span or hit.term
        weights[words] += hit.weight
        first.setdefault(words, hit)
    top = sorted(weights, key=lambda t: (-weights[t], t))[:4]
    out = []
    for term in top:
        hit = first[term]
        kind = "phrase" if " " in term else "keyword"
        if hit.source == "typo":
            kind = "close to keyword"
        where = " (first sentence)" if hit.lead else ""
        cause = " (stated cause)" if hit.cause else ""
        out.append(f"{kind} '{term}'{where}{cause}")
    return out


def _model_reason(code: str, prediction: classifier.Prediction) -> str:
    p = prediction.probabilities.get(code, 0.0)
    grams = ", ".join(f"'{g}'" for g in prediction.top_features.get(code, []))
    return f"pack model p={p:.2f}" + (f" on n-grams {grams}" if grams else "")


def _model_only(prediction: classifier.Prediction) -> Decision:
    """No keyword, fact or precedent: the pack model's best guess, with a capped confidence."""
    code, p = prediction.best()
    return Decision(
        evidence={code: Evidence(model=MODEL_WEIGHT * p)},
        effective={code: MODEL_WEIGHT * p},
        prediction=prediction,
        demoted={},
        primary=code,
        secondary=[],
        negated=[],
        confidence=round(min(p, 1.0) * MODEL_ONLY_CONFIDENCE, 3),
        fallback=True,
    )


def _fallback(text: str, taxonomy: Taxonomy) -> Decision:
    """No keyword, fact or precedent: closest subtype description, with low confidence."""
    norm = fold(text)
    best_code, best_score = taxonomy.codes()[0], -1.0
    for family in taxonomy.families:
        for sub in family.subtypes:
            score = fuzz.token_set_ratio(norm, fold(f"{sub.label} {sub.description}"))
            if score > best_score:
                best_code, best_score = f"{family.code}.{sub.code}", score
    return Decision(
        evidence={},
        effective={},
        prediction=None,
        demoted={},
        primary=best_code,
        secondary=[],
        negated=[],
        confidence=round(min(best_score / 100.0, 1.0) * 0.3, 3),
        fallback=True,
    )
