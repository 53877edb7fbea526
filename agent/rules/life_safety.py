"""The life-safety decision, first: evacuate or shelter in place, from the facts, with why.

In the first minutes a cell must say one thing to the people on site, and say it once.
The order of precedence is fixed and deterministic:

1. an order from the fire service or an authority read in the report ("le COS demande la
   mise à l'abri") is followed: public protection is theirs to decide;
2. otherwise the most pressing hazard decides: an attacker (escape, else hide), an
   explosion risk (move away: walls do not stop blast and fragments), a suspicious item,
   a fire (evacuate upwind), a toxic or radioactive cloud (shelter: a cloud passes faster
   than people walk out of it), a damaged structure, an earthquake, a wildfire by its
   distance (the shipped SOP's 3 km and 1 km trigger points), water on site;
3. with no such hazard it is ``not_applicable``, and with a hazard but not the facts to
   decide it is ``undecided``, with ``unknown: ...`` for what is missing.

Then every scenario is read for steps that evacuate and shelter the same people: each
step that goes against the decision is listed with why (its trigger), never silently.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from agent.domain import Category, LifeSafety, Scenario, ScenarioStep
from agent.rules.orders import read_order

HAZARD_CODES = {
    "SEC.violent_attack": "attack",
    "IND.explosion": "explosion",
    "SEC.bomb_threat": "bomb_threat",
    "IND.fire": "fire",
    "IND.toxic_release": "toxic_cloud",
    "TRN.hazmat_transport": "toxic_cloud",
    "IND.radiological": "radiological",
    "IND.structural_collapse": "collapse",
    "NAT.earthquake": "earthquake",
    "NAT.wildfire": "wildfire",
    "NAT.flood": "flood",
}
HAZARD_FACTS = {
    "threat.attacker_present": "attack",
    "detectors.gas_alarm": "explosion",
    "fire.tank_involved": "explosion",
    "threat.suspicious_item": "bomb_threat",
    "detectors.fire_alarm": "fire",
    "fire.spreading": "fire",
    "detectors.nh3_alarm": "toxic_cloud",
    "detectors.cl2_alarm": "toxic_cloud",
    "detectors.h2s_alarm": "toxic_cloud",
    "radiation.alarm": "radiological",
    "structure.damage_observed": "collapse",
    "flood.water_on_site": "flood",
}
PRECEDENCE = (
    "attack", "explosion", "bomb_threat", "fire", "toxic_cloud", "radiological",
    "collapse", "earthquake", "wildfire", "flood",
)
WILDFIRE_EVACUATE_KM = 3.0
WILDFIRE_ROADS_CUT_KM = 1.0
OPPOSITE = {"evacuate": "shelter", "shelter_in_place": "evacuate"}

Facts = Mapping[str, Any]


def hazards(category: Category, facts: Facts) -> list[tuple[str, str]]:
    """(hazard, what shows it) in precedence order: category codes, then facts that are true."""
    found: dict[str, str] = {}
    for code in (category.code, *category.secondary):
        if code in HAZARD_CODES:
            found.setdefault(HAZARD_CODES[code], f"category {code}")
    for path, hazard in HAZARD_FACTS.items():
        if facts.get(path) is True:
            found.setdefault(hazard, f"{path}=true")
    return [(h, found[h]) for h in PRECEDENCE if h in found]


def decide(
    text: str, category: Category, facts: Facts, scenarios: Sequence[Scenario] = ()
) -> LifeSafety:
    """The decision for the people on site, its reason, what is unknown, and any conflict."""
    found = hazards(category, facts)
    decision = _ordered(text, found) or _by_hazard(found, facts)
    if facts.get("authority.evacuation_order") is True and decision.order is None:
        decision.unknowns.append(
            "whether the authorities' order (authority.evacuation_order) is to evacuate or "
            "to shelter: follow their order"
        )
    decision.conflicts = conflicts(decision, scenarios)
    return decision


def _ordered(text: str, found: list[tuple[str, str]]) -> LifeSafety | None:
    order = read_order(text)
    if order is None:
        return None
    verb = "evacuate" if order.direction == "evacuate" else "shelter in place"
    return LifeSafety(
        decision=order.direction,
        reason=f"{order.by} ordered it: public protection is theirs to decide; {verb} as ordered",
        hazard=found[0][0] if found else None,
        order=order.words,
        basis=[f"order: '{order.words}'", *(why for _, why in found[:2])],
        otherwise="change only on a new order from the same authority",
    )


def _by_hazard(found: list[tuple[str, str]], facts: Facts) -> LifeSafety:
    if not found:
        return LifeSafety(
            decision="not_applicable",
            reason="nothing in the report puts people on site at physical risk where they are",
        )
    hazard, why = found[0]
    decision = RULES[hazard](facts, {h for h, _ in found})
    decision.hazard = hazard
    decision.basis = [why, *(w for _, w in found[1:3]), *decision.basis]
    return decision


def _attack(facts: Facts, _: set[str]) -> LifeSafety:
    return LifeSafety(
        decision="evacuate",
        reason="an attacker: escape away from the attackers if a safe route exists",
        otherwise="when escape is impossible, hide: lock and barricade, lights off, silence",
        unknowns=_unknown(facts, "threat.attacker_present", "whether the attacker is still there"),
    )


def _explosion(facts: Facts, _: set[str]) -> LifeSafety:
    return LifeSafety(
        decision="evacuate",
        reason="explosion risk: move everyone out beyond the isolation distance, away from "
        "windows; walls and shelters do not stop blast and fragments",
    )


def _bomb(facts: Facts, _: set[str]) -> LifeSafety:
    if facts.get("threat.suspicious_item") is True:
        return LifeSafety(
            decision="evacuate",
            reason="a suspicious item is found: evacuate by routes away from it, out of its sight",
            otherwise="do not evacuate past the item: wait where you are if it blocks the exit",
        )
    return LifeSafety(
        decision="undecided",
        reason="a threat without an item found: evacuation depends on the threat assessment",
        unknowns=[
            *_unknown(facts, "threat.suspicious_item", "whether a suspicious item has been found"),
            *_unknown(facts, "threat.credible", "whether the threat is credible"),
        ],
    )


def _fire(facts: Facts, found: set[str]) -> LifeSafety:
    smoke = "toxic_cloud" in found or facts.get("effects.offsite") is True
    return LifeSafety(
        decision="evacuate",
        reason="fire: evacuate the buildings at risk to the upwind muster point and count staff",
        otherwise="people downwind of the smoke, outside the fire area, shelter indoors with "
        "windows shut and ventilation off" if smoke else None,
    )


def _cloud(facts: Facts, found: set[str]) -> LifeSafety:
    unknowns = _unknown(facts, "leak.isolated", "whether the leak is stopped (a long release "
                        "may call for evacuation, by the fire service)")
    unknowns += _unknown(facts, "effects.offsite", "whether the cloud reaches beyond the fence")
    return LifeSafety(
        decision="shelter_in_place",
        reason="toxic cloud: shelter indoors, doors and windows shut, ventilation off; a cloud "
        "passes faster than people can walk out of it",
        otherwise="evacuate crosswind only on the fire service's or the prefect's order, or "
        "if the gas reaches the shelter",
        unknowns=unknowns,
    )


def _radiological(facts: Facts, _: set[str]) -> LifeSafety:
    return LifeSafety(
        decision="shelter_in_place",
        reason="radioactive release: shelter indoors, shut windows and ventilation, keep away "
        "from the source",
        otherwise="evacuate only on the authority's order",
    )


def _collapse(facts: Facts, _: set[str]) -> LifeSafety:
    return LifeSafety(
        decision="evacuate",
        reason="structural damage: evacuate the damaged building and the ones next to it",
    )


def _earthquake(facts: Facts, _: set[str]) -> LifeSafety:
    return LifeSafety(
        decision="evacuate",
        reason="earthquake: when the shaking stops, evacuate buildings to open muster points",
        otherwise="while the ground shakes: drop, take cover, hold on, away from windows",
    )


def _wildfire(facts: Facts, _: set[str]) -> LifeSafety:
    km = facts.get("wildfire.distance_km")
    if not isinstance(km, int | float):
        return LifeSafety(
            decision="undecided",
            reason="wildfire: evacuate early once the front is within the trigger distance",
            unknowns=["wildfire.distance_km: how far the fire front is from the site"],
        )
    if km > WILDFIRE_EVACUATE_KM:
        return LifeSafety(
            decision="undecided",
            reason=f"wildfire front {km:g} km away, beyond the {WILDFIRE_EVACUATE_KM:g} km "
            "trigger: prepare the escape route, re-check spread and wind",
            basis=[f"wildfire.distance_km={km:g}"],
        )
    return LifeSafety(
        decision="evacuate",
        reason=f"wildfire front {km:g} km away: evacuate early by the scouted route, before "
        "smoke closes the roads",
        otherwise="if the roads are cut, shelter in the safety-zone building, doors and vents shut",
        basis=[f"wildfire.distance_km={km:g}"],
    )


def _flood(facts: Facts, _: set[str]) -> LifeSafety:
    if facts.get("flood.water_on_site") is True:
        return LifeSafety(
            decision="evacuate",
            reason="water on site: move people out of the flooded and low areas",
        )
    return LifeSafety(
        decision="undecided",
        reason="flood warning: prepare; move people when water reaches the site",
        unknowns=_unknown(facts, "flood.water_on_site", "whether water has reached the site"),
    )


RULES: dict[str, Callable[[Facts, set[str]], LifeSafety]] = {
    "attack": _attack,
    "explosion": _explosion,
    "bomb_threat": _bomb,
    "fire": _fire,
    "toxic_cloud": _cloud,
    "radiological": _radiological,
    "collapse": _collapse,
    "earthquake": _earthquake,
    "wildfire": _wildfire,
    "flood": _flood,
}


def _unknown(facts: Facts, path: str, what: str) -> list[str]:
    return [] if path in facts else [f"{path}: {what}"]


def conflicts(decision: LifeSafety, scenarios: Sequence[Scenario]) -> list[str]:
    """Steps that evacuate and shelter the same people in one scenario, each with why."""
    out: list[str] = []
    for scenario in scenarios:
        moves = {t: [s for s in scenario.steps if s.action_type == t] for t in OPPOSITE.values()}
        if not (moves["evacuate"] and moves["shelter"]):
            continue
        against = OPPOSITE.get(decision.decision)
        for kind in [against] if against else list(moves):
            other = moves["shelter" if kind == "evacuate" else "evacuate"]
            first = min((s.deadline for s in other if s.deadline is not None), default=None)
            out += [
                _conflict(scenario.id, kind, s, decision, first) for s in moves[kind] if _now(s)
            ]
    return out


def _now(step: ScenarioStep) -> bool:
    """A step that waits for its trigger says why itself ("if triggered"); others do not."""
    return not (step.conditional or step.anchor == "condition")


def _conflict(
    scenario_id: str,
    kind: str,
    step: ScenarioStep,
    decision: LifeSafety,
    first_other: timedelta | None,
) -> str:
    cite = f"{step.sop_id}/{step.step_id}" if not step.off_sop else "off-SOP"
    if step.deadline is not None and first_other is not None and step.deadline < first_other:
        why = "it comes first, a brief protective action before the other: a sequence"
    elif decision.otherwise:
        why = f"for other people or a change of plan: {decision.otherwise}"
    else:
        why = "check who it is for: the same people cannot do both"
    return f"scenario {scenario_id}: {cite} would {kind} ({why})"


__all__ = ["conflicts", "decide", "hazards"]
