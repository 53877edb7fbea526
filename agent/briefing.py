"""An ICS-201-style text briefing of a suggestion, for the terminal and for exports.

Rule outputs and model outputs are labelled ``[rules]`` and ``[llm]`` so an
operator always knows which parts were decided deterministically.
"""

from __future__ import annotations

from datetime import timedelta

from agent.briefing_labels import label
from agent.domain import (
    Blocked,
    Category,
    Dont,
    Lesson,
    Precedent,
    Priority,
    Scenario,
    ScenarioStep,
    SopRef,
    Suggestion,
)
from agent.rules.facts import flatten
from agent.shared_steps import Shared, opening, ranges, sharing

RULE = "-" * 78


def fmt_delta(delta: timedelta | None) -> str:
    """``T+5m``, ``T+2h``, ``T+3d``; ``--`` when unknown."""
    if delta is None:
        return "  --  "
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"T+{minutes}m"
    if minutes < 48 * 60:
        return f"T+{minutes // 60}h" + (f"{minutes % 60:02d}" if minutes % 60 else "")
    return f"T+{minutes // 1440}d"


def render_briefing(s: Suggestion) -> str:
    """The whole briefing as text."""
    parts = [
        _header(s),
        _life_safety(s),
        _first_minutes(s),
        _donts(s),
        _situation(s),
        _sops(s),
        _notifications(s),
        _scenarios(s),
        _precedents(s),
        _footer(s),
    ]
    return "\n".join(p for p in parts if p) + "\n"


def _header(s: Suggestion) -> str:
    lines = [
        RULE,
        f"CRISISCELL BRIEFING (ICS-201)   run {s.lineage.run_id}",
        f"T0 {s.event.reported_at:%Y-%m-%d %H:%M %Z}   site {s.event.site or 'unspecified'}"
        f"   model {s.lineage.model}",
    ]
    if s.degraded:
        lines.append("DEGRADED MODE: " + "; ".join(s.degraded_reasons))
    lines += [RULE, f"{label(s.language, 'Report:')} {_clip(s.event.text, 600)}"]
    return "\n".join(lines)


def _life_safety(s: Suggestion) -> str:
    """Evacuate or shelter, said first, with its reason (see agent.rules.life_safety)."""
    ls = s.life_safety
    if ls is None or ls.decision == "not_applicable":
        return ""
    lang, decision = s.language, ls.decision.replace("_", " ").upper()
    lines = ["", f"{label(lang, 'LIFE SAFETY')}  [rules]  {label(lang, decision)}: {ls.reason}"]
    lines += [f"   {label(lang, 'otherwise')}: {ls.otherwise}"] if ls.otherwise else []
    lines += [f"   {label(lang, 'basis')}: {'; '.join(ls.basis)}"] if ls.basis else []
    lines += [f"   {label(lang, 'unknown')}: {u}" for u in ls.unknowns]
    lines += [f"   ! {c}" for c in ls.conflicts]
    if d := ls.distances:
        lines += [
            f"   ERG UN{d.un} {d.material} (guide {d.guide}): small spill {d.small_spill}; "
            f"large spill {d.large_spill}",
            *(f"      {line}" for line in d.large_spill_by_container),
            *([f"      ! {d.water_reactive}"] if d.water_reactive else []),
            f"      source: {d.source}",
        ]
    return "\n".join(lines)


def _first_minutes(s: Suggestion) -> str:
    """What the cell does first, before it reads anything else: the lead scenario's boxes."""
    if not s.scenarios or not s.scenarios[0].priorities:
        return ""
    lead = s.scenarios[0]
    lang = s.language
    lines = [
        "",
        f"{label(lang, '0. FIRST 30 MINUTES')}  [rules]  ({label(lang, 'scenario')} {lead.id}; "
        f"{label(lang, 'full plans in 4.')})",
    ]
    return "\n".join(lines + _boxes(lead.priorities, "   ", lang))


def _donts(s: Suggestion) -> str:
    """The selected SOPs' forbidden actions, said before the plan: what nobody does now."""
    if not s.donts:
        return ""
    heading = label(s.language, "DON'TS OF THE HOUR")
    lines = ["", f"   {heading}  [rules]"]
    lines += [
        f"   - {_clip(_dont(d, s.language), 110)}  "
        f"({d.ref}{', ' + _clip(d.basis, 40) if d.basis else ''})"
        for d in s.donts
    ]
    return "\n".join(lines)


def _boxes(items: list[Priority], indent: str, lang: str) -> list[str]:
    """Priorities grouped by time box, each with its clock, owner and citation."""
    lines: list[str] = []
    for window in ("now", "10 min", "30 min"):
        box = [p for p in items if p.window == window]
        if box:
            lines.append(f"{indent}{label(lang, window.upper())}:")
        for p in box:
            cite = f"{p.sop_id}/{p.step_id}" if p.sop_id else "off-SOP"
            clock = f"  {label(lang, 'clock running')}" if p.notification else ""
            cite += f" +{len(p.also_cites)} merged" if p.also_cites else ""
            lines.append(
                f"{indent}  {fmt_delta(p.deadline):>7}  {_clip(_words(p, lang), 100)}"
                f" - {p.owner or '?'}  ({cite}){clock}"
            )
    return lines


def _cascades(c: Category) -> str:
    """Secondary codes; those named only in passing (no SOP of theirs selected) marked "?"."""
    return ", ".join(f"{code}?" if code in c.tentative else code for code in c.secondary)


def _situation(s: Suggestion) -> str:
    c, sev = s.category, s.severity
    lines = [
        "",
        label(s.language, "1. SITUATION"),
        f"   {label(s.language, 'Category')}  {c.code}  confidence {c.confidence:.2f}  [{c.origin}]"
        + (f"  cascades: {_cascades(c)}" if c.secondary else ""),
    ]
    if c.reasons:
        lines.append(f"             why: {_clip('; '.join(c.reasons), 300)}")
    lines.append(
        f"   {label(s.language, 'Severity')}  {sev.display}  [rules]"
        + ("  REPORTABLE (Seveso Annex VI)" if sev.reportable else "")
    )
    lines += [
        f"             {c_.dimension}: {c_.value} -> {c_.level} ({c_.source}){_quoted(c_.spans)}"
        for c_ in sev.criteria
    ]
    if sev.unknowns:
        lines.append(f"             {label(s.language, 'unknown')}: {', '.join(sev.unknowns)}")
    return "\n".join(lines + _given(s) + _read_from_text(s))


def _given(s: Suggestion) -> list[str]:
    """Facts stated with the event (its form, ``--facts``): they win over the text."""
    given = flatten(s.event.facts)
    if not given:
        return []
    shown = ", ".join(f"{p} = {'unknown' if v is None else v}" for p, v in given.items())
    return [f"   {label(s.language, 'Facts given')}  [operator]  {_clip(shown, 300)}"]


def _read_from_text(s: Suggestion) -> list[str]:
    """Each fact read from the report with the words it came from, for the operator to check.

    A wrong one is corrected with ``--facts path=value`` (``crisis update --facts``).
    """
    if not s.spans:
        return []
    lang = s.language
    lines = [
        f"   {label(lang, 'Facts read from the text')}  [rules]  "
        + label(lang, "(correct with --facts path=value)")
    ]
    lines += [
        f"             {path} = {s.facts.get(path, '?')}{_quoted([words])}"
        for path, words in s.spans.items()
    ]
    return lines


def _quoted(spans: list[str]) -> str:
    """``  from text: 'at least two dead'``; nothing when no words of the report are behind it."""
    if not spans:
        return ""
    return "  from text: " + ", ".join(f"'{_clip(words, 80)}'" for words in spans)


def _sops(s: Suggestion) -> str:
    lines = ["", f"{label(s.language, '2. APPLICABLE SOPs')}  [rules]"]
    lines += [
        f"   {r.id} v{r.version}  {_title(r, s.language)}\n             why: {'; '.join(r.reasons)}"
        for r in s.sops
    ] or ["   none"]
    return "\n".join(lines)


def _notifications(s: Suggestion) -> str:
    lines = ["", f"{label(s.language, '3. NOTIFICATIONS DUE')}  [rules]"]
    for n in sorted(s.notifications, key=lambda n: n.within):
        tag = "conditional" if n.conditional else ("MANDATORY" if n.mandatory else "recommended")
        tag = label(s.language, tag)
        basis = f"  ({n.basis})" if n.basis else ""
        lines.append(
            f"   {fmt_delta(n.within):>7}  {n.to:<24} {label(s.language, 'by')} "
            f"{n.due_at:%H:%M %d/%m}  {tag}{basis}"
        )
    return "\n".join(lines if len(lines) > 2 else [*lines, "   none"])


def _scenarios(s: Suggestion) -> str:
    lines = ["", label(s.language, "4. SCENARIOS")]
    for n, (sc, shared) in enumerate(zip(s.scenarios, sharing(s.scenarios), strict=True)):
        lead = n == 0 and bool(sc.priorities)  # its priorities open the briefing (0.)
        lines += _scenario(sc, shared, s.scenarios, lead, s.language)
    lines += [f"   dropped: {d}" for d in s.dropped_scenarios]
    lines += _withheld([b for b in s.blocked if b.scenario_id is None], "   ")
    return "\n".join(lines if s.scenarios else [*lines, "   none: no applicable SOP"])


def _withheld(blocked: list[Blocked], indent: str) -> list[str]:
    """Forbidden and invented text one line each; unsupported model text on one line.

    By default most of a model's own words are withheld as unsupported by the SOPs:
    listing each would bury the lines that matter.
    """
    lines = [f"{indent}WITHHELD [rules] {b.summary}" for b in blocked if b.reason != "unsupported"]
    quiet = [b for b in blocked if b.reason == "unsupported"]
    if quiet:
        where = ", ".join(
            b.field.replace("_", " ") + (f" {b.position}" if b.position else "") for b in quiet
        )
        lines.append(
            f"{indent}WITHHELD [rules] model text the applied SOPs do not support ({where}); "
            "see crisiscell llm calls"
        )
    return lines


def _scenario(
    sc: Scenario, shared: Shared | None, scenarios: list[Scenario], lead: bool, lang: str
) -> list[str]:
    a = sc.adherence
    verdict = "not checked"
    if a is not None:
        verdict = ("COMPLIANT" if a.compliant else "NOT COMPLIANT") + (
            f" (followed {a.count('followed')}, conditional {a.count('conditional')}, "
            f"deviated {a.count('deviated')}, skipped {a.count('skipped')})"
        )
    lines = [f"   {sc.id}. {sc.title}  [{sc.origin}]  {verdict}", f"      {sc.rationale}"]
    if shared is not None:
        base = next(b for b in scenarios if b.id == shared.base)
        lines += _shared_plan(sc, shared, base, lang)
    else:
        if sc.priorities and not lead:
            lines += [f"      {label(lang, 'PRIORITIES')}", *_boxes(sc.priorities, "      ", lang)]
        lines.append(
            f"      {label(lang, 'FULL PLAN')}" + (f"  {label(lang, '(priorities: 0.)')}" * lead)
        )
        lines += [_step(step, n, lang=lang) for n, step in enumerate(sc.steps, start=1)]
    if sc.unvetted:
        lines.append("      UNVETTED [llm] off-SOP: not in the plan until an operator accepts")
        lines += [f"        {n}. {_step(step).strip()}" for n, step in enumerate(sc.unvetted, 1)]
    if a is not None:
        lines += [f"      ! {v.message}" for v in a.violations]
        lines += [f"      repaired: {r}" for r in a.repairs if not r.startswith("removed ")]
    return [*lines, *_withheld(sc.blocked, "      ")]


def _shared_plan(sc: Scenario, shared: Shared, base: Scenario, lang: str) -> list[str]:
    """A scenario drawn from an earlier one: its numbers, what differs, then its own steps."""
    steps = label(lang, "steps")
    lines = [
        f"      {label(lang, 'SAME AS')} {base.id}: {steps} {ranges(shared.positions)} "
        f"({len(shared.positions)} {steps}, {label(lang, 'same order and clocks')})"
    ]
    opens = opening(sc, shared)
    if opens:
        lines.append(f"      {label(lang, 'opens with')} {base.id}: {opens}")
    for i, n in zip(shared.shared, shared.positions, strict=True):
        extra = _step_extras(sc.steps[i], skip=base.steps[n - 1])
        lines += [f"      on {base.id}'s step {n}: {e}" for e in extra]
    if shared.own:
        lines.append(f"      {label(lang, 'PLUS ITS OWN')} ({len(shared.own)}):")
        lines += [_step(sc.steps[i], mark="+", lang=lang) for i in shared.own]
    else:
        lines.append(f"      {label(lang, 'nothing else')}")
    return lines


def _step(
    step: ScenarioStep, number: int | None = None, mark: str = "", lang: str = "en"
) -> str:
    cite = "off-SOP" if step.off_sop else f"{step.sop_id}/{step.step_id}"
    marks = (f"{label(lang, 'MANDATORY')} " if step.mandatory else "") + (
        f"{label(lang, '(if triggered)')} " if step.conditional else ""
    )
    when = fmt_delta(step.deadline) if step.anchor == "T0" else f"{step.anchor}+"
    lead = f"{number:>4}. " if number is not None else f"{mark:>5} "
    line = (
        f"{lead}{when:>7}  [{step.action_type}] {_clip(_words(step, lang), 110)}"
        f" - {step.owner or '?'}  ({cite}) {marks}".rstrip()
    )
    return "\n".join([line, *(f"               {e}" for e in _step_extras(step))])


def _dont(d: Dont, lang: str) -> str:
    return d.text_fr if lang == "fr" and d.text_fr else d.text


def _title(ref: SopRef, lang: str) -> str:
    return ref.title_fr if lang == "fr" and ref.title_fr else ref.title


def _words(item: ScenarioStep | Priority, lang: str) -> str:
    """The action in the briefing's language: the SOP's French wording when it has one."""
    return item.action_fr if lang == "fr" and item.action_fr else item.action


def _step_extras(step: ScenarioStep, skip: ScenarioStep | None = None) -> list[str]:
    """What a step carries beyond its line (merged citations, precedent, model note).

    With ``skip``, only what differs from that step (the same step in another scenario).
    """
    extras: list[str] = []
    if step.also_cites and (skip is None or step.also_cites != skip.also_cites):
        merged = ", ".join(f"{c.sop_id}/{c.step_id}" for c in step.also_cites)
        extras.append(f"also does: {merged}")
    if step.justification and (skip is None or step.justification != skip.justification):
        label = "why" if step.off_sop else "precedent"
        extras.append(f"{label}: {_clip(step.justification, 160)}")
    if step.note and (skip is None or step.note != skip.note):
        label = "model's wording" if step.reworded else "note"
        extras.append(f"{label} [llm]: {_clip(step.note, 160)}")
    return extras


def _precedents(s: Suggestion) -> str:
    lines = ["", f"{label(s.language, '5. SIMILAR PAST INCIDENTS')}  [rules]"]
    if s.no_precedent:
        return "\n".join([*lines, "   No precedent: nothing in the archive is similar enough."])
    lessons = {item.precedent_id: item for item in s.lessons}
    for p in s.precedents:
        lines += _precedent(p)
        if p.id in lessons:
            lines += _lesson(lessons[p.id])
    return "\n".join(lines)


LESSON_MARK = {
    "mapped": "in plan as",
    "vetted": "vetted",
    "narrative": "lesson",
    "condemned": "DON'T",
}


def _lesson(item: Lesson) -> list[str]:
    """What was done, each judged: a lesson beside the plan, never a step by itself."""
    lines = ["      what was done (lessons, not steps):"]
    for past in item.done:
        mark = LESSON_MARK[past.verdict] + (f" {past.step}" if past.step else "")
        lines.append(f"        - [{mark}] {_clip(past.text, 110)}")
        if past.verdict == "condemned" and past.why:
            lines.append(f"            why: {_clip(past.why, 150)}")
    lines += [f"      went wrong: {_clip(w, 150)}" for w in item.went_wrong]
    return lines


def _precedent(p: Precedent) -> list[str]:
    return [
        f"   {p.id}  ({p.score:.2f})  {p.title}  [{p.category}, {p.occurred_at:%Y}]",
        f"      resolution: {_clip(p.resolution, 240)}",
        f"      outcome:    {_clip(p.outcome, 200)}",
    ]


def _footer(s: Suggestion) -> str:
    return "\n".join(
        [
            "",
            RULE,
            f"lineage: pack {s.lineage.pack_hash[:12]}  code "
            f"{s.lineage.code_version}  nodes {' > '.join(s.lineage.nodes)}",
            RULE,
        ]
    )


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
