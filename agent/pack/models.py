"""Pydantic models for every YAML kind of a pack: SOP, taxonomy, severity scale.

One model per kind, ``extra="forbid"`` everywhere, so a typo in a key is an
error at lint time rather than a silently ignored instruction in a crisis.
The JSON Schemas in ``sops/`` are generated from these models.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SEVERITY_LEVELS = ("S1", "S2", "S3", "S4", "S5")
SeverityLevel = Literal["S1", "S2", "S3", "S4", "S5"]
Marking = Literal["public", "internal", "restricted", "secret"]
CategoryCode = Annotated[str, Field(pattern=r"^[A-Z]{3}\.[a-z_]+$")]
CategoryPattern = Annotated[str, Field(pattern=r"^(\*|[A-Z]{3}\.(\*|[a-z_]+))$")]
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.\-]+$", min_length=1, max_length=64)]
ANCHOR_PATTERN = re.compile(r"^(T0|condition|step:[A-Za-z0-9_.\-]+)$")


def _all_levels() -> list[SeverityLevel]:
    return ["S1", "S2", "S3", "S4", "S5"]


class Strict(BaseModel):
    """Base for every pack model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class ActionType(StrEnum):
    """Closed verb list (OpenC2 and CAP responseType); compliance is checked on it."""

    alert = "alert"
    notify = "notify"
    isolate = "isolate"
    evacuate = "evacuate"
    shelter = "shelter"
    contain = "contain"
    mitigate = "mitigate"
    assess = "assess"
    rescue = "rescue"
    communicate = "communicate"
    recover = "recover"


class Op(StrEnum):
    """Comparison operators allowed in a condition."""

    eq = "eq"
    ne = "ne"
    gt = "gt"
    gte = "gte"
    lt = "lt"
    lte = "lte"
    in_ = "in"
    contains = "contains"
    exists = "exists"


class Condition(Strict):
    """A structured condition: a predicate ``{field, op, value, for}`` or ``all/any/not``.

    No free text: every condition can be evaluated deterministically on event facts.
    """

    field: str | None = Field(default=None, pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
    op: Op | None = None
    value: Any = None
    for_: timedelta | None = Field(default=None, alias="for")
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        forms = [
            self.field is not None,
            self.all is not None,
            self.any is not None,
            self.not_ is not None,
        ]
        if sum(forms) != 1:
            raise ValueError("a condition is exactly one of {field, op, value}, all, any or not")
        if self.field is not None and self.op is None:
            raise ValueError("a predicate needs 'op'")
        return self


class Substance(Strict):
    """A dangerous substance by UN number, with its ERG guide when known."""

    un: str = Field(pattern=r"^\d{4}$")
    erg_guide: int | None = Field(default=None, ge=111, le=174)
    name: str | None = None


class AppliesTo(Strict):
    """Where an SOP is a candidate: categories (``*`` and ``FAM.*`` allowed), severities, sites."""

    categories: list[CategoryPattern] = Field(min_length=1)
    severities: list[SeverityLevel] = Field(default_factory=lambda: _all_levels())
    sites: list[str] = Field(default_factory=list, description="Empty means every site.")
    substances: list[Substance] = Field(default_factory=list)


class Role(Strict):
    """A local role and the ICS position it fills."""

    ics: Literal[
        "incident_commander",
        "public_information_officer",
        "safety_officer",
        "liaison_officer",
        "operations_chief",
        "planning_chief",
        "logistics_chief",
        "finance_admin_chief",
        "technical_specialist",
    ]
    label: str | None = None


class Step(Strict):
    """One step of an SOP; ``deadline`` counts from ``anchor`` (T0 by default)."""

    id: Identifier
    phase: str
    action: str = Field(min_length=3)
    action_fr: str | None = Field(
        default=None,
        min_length=3,
        description="The action in French, shown for a French report; `action` stays the "
        "reference text that compliance and the guard read.",
    )
    action_type: ActionType
    owner: str
    deadline: timedelta | None = None
    anchor: str = "T0"
    mandatory: bool = False
    depends_on: list[str] = Field(default_factory=list)
    when: Condition | None = None
    on_failure: str | None = None
    parallel_group: str | None = None
    repeat_every: timedelta | None = None
    marking: Marking = "internal"
    compartments: list[str] = Field(default_factory=list)

    @field_validator("anchor")
    @classmethod
    def _anchor(cls, value: str) -> str:
        if not ANCHOR_PATTERN.match(value):
            raise ValueError("anchor must be T0, condition or step:<id>")
        return value


class CapInfo(Strict):
    """CAP 1.2 fields used when a notification becomes a public alert."""

    category: str | None = None
    urgency: Literal["Immediate", "Expected", "Future", "Past", "Unknown"] | None = None
    severity: Literal["Extreme", "Severe", "Moderate", "Minor", "Unknown"] | None = None
    certainty: Literal["Observed", "Likely", "Possible", "Unlikely", "Unknown"] | None = None
    response_type: str | None = None


class Notification(Strict):
    """A notification the SOP requires, with its legal or internal clock."""

    id: Identifier | None = Field(default=None, description="Defaults to notify.<to>.")
    to: Identifier
    within: timedelta
    when: Condition | None = None
    mandatory: bool = False
    basis: str | None = None
    cap: CapInfo | None = None

    @property
    def ref(self) -> str:
        """The id a scenario step cites for this notification."""
        return self.id or f"notify.{self.to}"


class Escalation(Strict):
    """If a condition holds, raise the severity floor, notify or activate other SOPs."""

    if_: Condition = Field(alias="if")
    set_severity_min: SeverityLevel | None = None
    notify: list[str] = Field(default_factory=list)
    activate: list[str] = Field(default_factory=list)
    flag: str | None = None


ConceptRef = Annotated[str, Field(pattern=r"^[a-z0-9_]+(\|[a-z0-9_]+)*$")]
"""One or more concept names joined by ``|`` (any of them)."""


class MatchPattern(Strict):
    """When a text does a forbidden action: an act, what it acts on, and what excuses it.

    ``do`` must occur without a negation ("do not aim water..." is advice); each
    entry of ``with`` must also occur in the same sentence (or the one before it);
    no ``unless`` concept may occur in the sentence of the act. ``scope: selected``
    applies the pattern only when its SOP is selected for the event (a broad
    wording that is only dangerous in that context, e.g. "reboot the servers"
    during ransomware).
    """

    do: ConceptRef
    with_: list[ConceptRef] = Field(default_factory=list, alias="with")
    unless: list[ConceptRef] = Field(default_factory=list)
    scope: Literal["pack", "selected"] = "pack"


class ForbiddenAction(Strict):
    """An action that must never appear in a scenario (ERG and ANSSI 'do not' lines).

    ``match`` says how to recognise it in any wording; ``examples`` must be caught
    and ``allowed`` must pass: ``crisiscell sops test`` runs both.
    """

    id: Identifier
    text: str = Field(min_length=3)
    text_fr: str | None = Field(
        default=None,
        min_length=3,
        description="The prohibition in French, shown as a don't of the hour for a French "
        "report (matching uses `match`, not this text).",
    )
    action_type: ActionType | None = None
    basis: str | None = None
    match: list[MatchPattern] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list, description="Phrasings that must be caught.")
    allowed: list[str] = Field(default_factory=list, description="Phrasings that must pass.")


class Sop(Strict):
    """A standard operating procedure, as the organisation authors it."""

    id: str = Field(pattern=r"^SOP-[A-Z]{3}-[A-Z]{3}-\d{3}$")
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    status: Literal["draft", "approved", "retired"]
    title: str
    title_fr: str | None = Field(default=None, description="The title in French.")
    owner: str
    approved_by: str | None = None
    valid_from: date
    review_by: date | None = None
    marking: Marking = "internal"
    compartments: list[str] = Field(default_factory=list)
    applies_to: AppliesTo
    triggers: Condition | None = None
    parameters: dict[str, int | float | str | bool] = Field(default_factory=dict)
    roles: dict[str, Role]
    steps: list[Step] = Field(min_length=1)
    notifications: list[Notification] = Field(default_factory=list)
    escalation: list[Escalation] = Field(default_factory=list)
    forbidden_actions: list[ForbiddenAction] = Field(default_factory=list)
    concepts: dict[Identifier, list[str]] = Field(
        default_factory=dict,
        description="Concepts only this SOP's match patterns use (word or phrase lists, EN/FR).",
    )
    exit_criteria: Condition | None = None
    records: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)

    def step(self, step_id: str) -> Step | None:
        """The step with this id, or None."""
        return next((s for s in self.steps if s.id == step_id), None)

    def notification(self, ref: str) -> Notification | None:
        """The notification cited by ``ref`` (``notify.<to>`` or its id), or None."""
        return next((n for n in self.notifications if n.ref == ref), None)

    def render(self, text: str) -> str:
        """Fill ``{parameter}`` placeholders in a step text with the SOP's parameters."""
        return re.sub(r"\{(\w+)\}", lambda m: str(self.parameters.get(m[1], m[0])), text)


class Subtype(Strict):
    """A taxonomy subtype with the lexicon the offline categoriser uses (EN and FR)."""

    code: str = Field(pattern=r"^[a-z_]+$")
    label: str
    label_fr: str
    description: str
    keywords_en: list[str] = Field(default_factory=list)
    keywords_fr: list[str] = Field(default_factory=list)


class Family(Strict):
    """A hazard family (``NAT``, ``IND``...) and its CAP category."""

    code: str = Field(pattern=r"^[A-Z]{3}$")
    label: str
    label_fr: str
    cap_category: str
    subtypes: list[Subtype] = Field(min_length=1)


class Taxonomy(Strict):
    """The two-level hazard taxonomy ``FAMILY.subtype``."""

    kind: Literal["taxonomy"]
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    families: list[Family] = Field(min_length=1)

    def codes(self) -> list[str]:
        """Every ``FAMILY.subtype`` code, in taxonomy order."""
        return [f"{f.code}.{s.code}" for f in self.families for s in f.subtypes]

    def subtype(self, code: str) -> Subtype | None:
        """The subtype for a full code, or None when the code is unknown."""
        family, _, sub = code.partition(".")
        fam = next((f for f in self.families if f.code == family), None)
        return next((s for s in fam.subtypes if s.code == sub), None) if fam else None

    def matches(self, pattern: str) -> bool:
        """True when a category pattern (``*``, ``FAM.*``, ``FAM.sub``) names something real."""
        if pattern == "*":
            return True
        family, _, sub = pattern.partition(".")
        if sub == "*":
            return any(f.code == family for f in self.families)
        return self.subtype(pattern) is not None


class Band(Strict):
    """A numeric band: the level applies when the value is at least ``gte``."""

    level: SeverityLevel
    gte: float


class Dimension(Strict):
    """One severity dimension, read from one event fact (numeric bands or categorical values)."""

    id: Identifier
    label: str
    fact: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
    unit: str
    bands: list[Band] = Field(default_factory=list)
    values: dict[str, SeverityLevel] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _bands_or_values(self) -> Dimension:
        if bool(self.bands) == bool(self.values):
            raise ValueError("a dimension has either numeric 'bands' or categorical 'values'")
        return self


class Floor(Strict):
    """A regulatory floor (e.g. Seveso Annex VI): when it fires, severity is at least ``level``."""

    id: Identifier
    label: str
    if_: Condition = Field(alias="if")
    level: SeverityLevel
    flag: str | None = None


class LevelInfo(Strict):
    """Display data for one level: name, colour, CAP severity."""

    level: SeverityLevel
    name: str
    colour: str
    cap_severity: Literal["Minor", "Moderate", "Severe", "Extreme"]


class SeverityScale(Strict):
    """The S1-S5 scale: the highest level any known dimension reaches, then regulatory floors."""

    kind: Literal["severity_scale"]
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    levels: list[LevelInfo] = Field(min_length=5, max_length=5)
    dimensions: list[Dimension] = Field(min_length=1)
    floors: list[Floor] = Field(default_factory=list)


class Site(Strict):
    """A site the organisation operates, so events can name it and SOPs can target it."""

    id: Identifier
    name: str
    aliases: list[str] = Field(default_factory=list)
    seveso: Literal["none", "lower", "upper"] = "none"
    country: str | None = None


class SiteRegistry(Strict):
    """The organisation's sites."""

    kind: Literal["sites"]
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    sites: list[Site]


Condition.model_rebuild()


class FactSpec(Strict):
    """A fact an event may carry; conditions and severity dimensions may only read these."""

    path: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
    type: Literal["bool", "number", "enum", "string"]
    values: list[str] = Field(default_factory=list, description="Allowed values of an enum.")
    unit: str | None = None
    description: str


class FactRegistry(Strict):
    """The vocabulary of event facts, so a typo in a condition is a lint error."""

    kind: Literal["facts"]
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    facts: list[FactSpec] = Field(min_length=1)

    def get(self, path: str) -> FactSpec | None:
        """The spec for a fact path, or None when it is not registered."""
        return next((f for f in self.facts if f.path == path), None)


class Lexicon(Strict):
    """Pack-wide concepts for forbidden-action patterns: name -> words and phrases, EN and FR.

    A phrase matches consecutive content words; a word ending in ``*`` matches any
    word it begins ("evacu*"); words are compared lemmatised and without accents.
    """

    kind: Literal["lexicon"]
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    concepts: dict[Identifier, list[str]]


class NeverList(Strict):
    """Actions never allowed whatever the SOP: checked on every text an operator reads."""

    kind: Literal["never"]
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    forbidden_actions: list[ForbiddenAction] = Field(min_length=1)
