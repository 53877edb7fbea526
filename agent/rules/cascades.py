"""Cascades: which hazard brings which consequence, for the primary code and the secondary ones.

``CASCADES[cause]`` lists the events a cause commonly brings about (an earthquake
cracks a bund and spills product; a storm brings the lines down). Two uses:

* **the main hazard over its consequences**: when the text gives real evidence of a
  cause, its consequences count less for the primary code ("violent explosion, many
  injured, a fire is burning" is an explosion, with a fire and casualties);
* **secondary codes**: a consequence the text states is added as a cascade, and a
  cause the text only names ("since the storm") as the stated cause.

A consequence is never inferred: it must have its own evidence in the text or facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

CASUALTIES = ("HLT.mass_casualty", "HLT.occupational_injury")
UTILITIES = ("INF.power_outage", "INF.water_supply", "INF.telecom_outage")

CASCADES: Mapping[str, tuple[str, ...]] = {
    "NAT.flood": (
        *UTILITIES,
        "INF.building_systems",
        "INF.supplier_failure",
        "IND.liquid_spill",
        "IND.toxic_release",
        "IND.structural_collapse",
        "NAT.ground_movement",
        "TRN.road",
        "TRN.maritime",
        *CASUALTIES,
    ),
    "NAT.storm_wind": (
        *UTILITIES,
        "INF.building_systems",
        "NAT.flood",
        "IND.structural_collapse",
        "IND.fire",
        "TRN.road",
        "TRN.rail",
        "TRN.maritime",
        *CASUALTIES,
    ),
    "NAT.heat_cold_wave": (
        *UTILITIES,
        "INF.building_systems",
        "INF.supplier_failure",
        "IND.structural_collapse",
        "TRN.road",
        "NAT.wildfire",
        *CASUALTIES,
    ),
    "NAT.wildfire": ("IND.fire", *UTILITIES, "TRN.road", "IND.explosion", *CASUALTIES),
    "NAT.earthquake": (
        "IND.structural_collapse",
        "IND.liquid_spill",
        "IND.toxic_release",
        "IND.fire",
        "IND.explosion",
        "IND.radiological",
        "NAT.ground_movement",
        "NAT.flood",
        *UTILITIES,
        "INF.building_systems",
        *CASUALTIES,
    ),
    "NAT.ground_movement": (
        "IND.liquid_spill",
        "IND.structural_collapse",
        "TRN.road",
        "TRN.rail",
        *UTILITIES,
        *CASUALTIES,
    ),
    "IND.explosion": (
        "IND.fire",
        "IND.toxic_release",
        "IND.structural_collapse",
        "IND.liquid_spill",
        "INF.power_outage",
        *CASUALTIES,
    ),
    "IND.fire": (
        "IND.toxic_release",
        "IND.liquid_spill",
        "IND.structural_collapse",
        "INF.power_outage",
        "INF.telecom_outage",
        "CYB.it_ot_outage",
        *CASUALTIES,
    ),
    "IND.toxic_release": ("HLT.contamination", *CASUALTIES),
    "IND.liquid_spill": ("INF.water_supply", "HLT.contamination", *CASUALTIES),
    "IND.structural_collapse": CASUALTIES,
    "IND.radiological": ("HLT.contamination", *CASUALTIES),
    "TRN.hazmat_transport": (
        "TRN.road",
        "TRN.rail",
        "TRN.maritime",
        "IND.toxic_release",
        "IND.liquid_spill",
        "IND.fire",
        "IND.explosion",
        *CASUALTIES,
    ),
    "TRN.road": ("IND.fire", "INF.supplier_failure", *CASUALTIES),
    "TRN.rail": ("TRN.road", "IND.fire", "INF.supplier_failure", "INF.power_outage", *CASUALTIES),
    "TRN.air": ("IND.fire", "IND.structural_collapse", "INF.power_outage", *CASUALTIES),
    "TRN.maritime": ("IND.fire", "IND.liquid_spill", *CASUALTIES),
    "INF.power_outage": (
        "INF.building_systems",
        "INF.water_supply",
        "INF.telecom_outage",
        "CYB.it_ot_outage",
    ),
    "INF.telecom_outage": ("CYB.it_ot_outage",),
    "INF.water_supply": (),
    "INF.supplier_failure": (),
    "CYB.ransomware": (
        "CYB.it_ot_outage",
        "CYB.data_breach",
        "REP.media_crisis",
        *UTILITIES,
        "INF.building_systems",
        "INF.supplier_failure",
    ),
    "CYB.ddos": ("CYB.it_ot_outage", "INF.telecom_outage"),
    "CYB.account_compromise": (),
    "CYB.data_breach": ("REP.media_crisis", "REP.legal_regulatory"),
    "CYB.it_ot_outage": (
        "INF.water_supply",
        "INF.telecom_outage",
        "INF.building_systems",
        "INF.supplier_failure",
        "TRN.air",
        "TRN.rail",
    ),
    "HLT.epidemic": ("INF.supplier_failure",),
    "HLT.contamination": ("INF.water_supply", "REP.media_crisis", "REP.legal_regulatory"),
    "SEC.violent_attack": ("IND.explosion", "IND.fire", "TRN.road", *CASUALTIES),
    "SEC.bomb_threat": (
        "IND.explosion",
        "TRN.road",
        "TRN.rail",
        "TRN.air",
        "TRN.maritime",
        "TRN.hazmat_transport",
        "INF.power_outage",
    ),
    "SEC.civil_unrest": (
        "TRN.road",
        "TRN.rail",
        "IND.fire",
        "INF.supplier_failure",
        "SEC.intrusion_theft",
        *CASUALTIES,
    ),
    "SEC.intrusion_theft": (
        "INF.power_outage",
        "INF.telecom_outage",
        "INF.building_systems",
        "CYB.it_ot_outage",
        "IND.liquid_spill",
    ),
}


@dataclass(frozen=True)
class Link:
    """Why a secondary code is there: a cascade of the primary, or its stated cause."""

    code: str
    kind: str  # "cascade", "cause" or "also"
    via: str
    firm: bool = True
    """Stated firmly enough to bring in its own SOPs (see ``agent.rules.categorise``)."""

    def reason(self) -> str:
        """One line for the operator."""
        if not self.firm:
            return f"possible {self.code}, named in passing: its SOPs are not selected"
        if self.kind == "cascade":
            return f"cascade {self.via} -> {self.code}, stated in the text"
        if self.kind == "cause":
            return f"stated cause {self.code} -> {self.via}"
        return f"also involved: {self.code}"


def leads_to(cause: str, effect: str) -> bool:
    """True when ``cause`` commonly brings ``effect`` about."""
    return effect in CASCADES.get(cause, ())


def causes_of(effect: str, candidates: Mapping[str, float]) -> list[str]:
    """The candidate codes that can cause ``effect``, strongest first."""
    found = [c for c in candidates if c != effect and leads_to(c, effect)]
    return sorted(found, key=lambda c: (-candidates[c], c))


def link(primary: str, code: str) -> Link:
    """How ``code`` relates to the primary code."""
    if leads_to(primary, code):
        return Link(code, "cascade", primary)
    if leads_to(code, primary):
        return Link(code, "cause", primary)
    return Link(code, "also", primary)
