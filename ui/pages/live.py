"""Live crisis: open a crisis from an event, read the ICS-201 view, decide."""

from __future__ import annotations

import runpy
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from agent.crisis.service import CrisisResult, CrisisService
from agent.crisis.streaming import NodeProgress
from agent.domain import Scenario, Suggestion
from agent.errors import CrisisCellError, RuleViolation
from agent.event_input import event_from_text
from agent.pack import Pack
from agent.store.crisis_log import Crisis

if PagesManager.uses_pages_directory:  # run without the frame (deep link to a fresh server):
    PagesManager.uses_pages_directory = False  # ui/pages/ is not a v1 pages folder,
    runpy.run_path(str(Path(__file__).resolve().parents[1] / "app.py"))  # the frame
    st.stop()  # routes back to this page and renders it

from ui import backend, clocks, closing, views
from ui.state import StateKeys

PIPELINE_STEPS = 9
OWN = "__own__"


# --- shared bits ------------------------------------------------------------------------


def flash() -> None:
    message = st.session_state.pop(StateKeys.FLASH, None)
    if message:
        kind, text = message
        icon = ":material/check_circle:" if kind == "success" else ":material/info:"
        st.toast(text, icon=icon)


def origin_md(origin: str) -> str:
    label, colour, icon = views.origin_badge(origin)
    return f":{colour}-badge[{icon} {label}]"


def progress_line(p: NodeProgress) -> str:
    detail = f" — {p.detail}" if p.detail else ""
    return f":green[:material/check_circle:] **{p.label}**{detail} {origin_md(p.origin)}"


def run_with_progress(
    label: str, action: Callable[[CrisisService], CrisisResult]
) -> CrisisResult | None:
    """Run a service action inside a live status box, one line per finished graph node."""
    done: list[NodeProgress] = []
    with st.status(label, expanded=True) as status:
        bar = st.progress(0.0, text="Starting…")

        def on_node(p: NodeProgress) -> None:
            done.append(p)
            st.markdown(progress_line(p))
            bar.progress(
                min(p.index / PIPELINE_STEPS, 1.0), text=f"{p.label} ({p.elapsed_s:.1f} s)"
            )

        failure: CrisisCellError | None = None
        try:
            result = backend.run_streamed(action, on_node)
        except CrisisCellError as exc:
            failure = exc
            status.update(label=f"{label}: stopped", state="error", expanded=False)
        else:
            bar.progress(1.0, text="Done")
            took = done[-1].elapsed_s if done else 0.0
            status.update(
                label=f"{label}: done in {took:.1f} s, {len(done)} steps",
                state="complete",
                expanded=False,
            )
    if failure is not None:
        st.error(str(failure))
        return None
    st.session_state[StateKeys.PROGRESS] = done
    return result


def last_run() -> None:
    done: list[NodeProgress] = st.session_state.get(StateKeys.PROGRESS) or []
    if not done:
        return
    with st.status(
        f"Last analysis: {len(done)} steps in {done[-1].elapsed_s:.1f} s",
        state="complete",
        expanded=False,
    ):
        for p in done:
            st.markdown(progress_line(p))


# --- intake -----------------------------------------------------------------------------


def _fill_example() -> None:
    name = st.session_state.get(StateKeys.EXAMPLE)
    if not name or name == OWN:
        return
    event = backend.examples()[name]
    st.session_state[StateKeys.EVENT_TEXT] = event.text
    st.session_state[StateKeys.EVENT_SITE] = event.site or ""
    st.session_state[StateKeys.EVENT_FACTS] = backend.facts_yaml(event.facts)


def intake(pack: Pack) -> None:
    st.title("Open a crisis")
    st.markdown(
        "Describe what is happening. crisiscell scores the severity and picks the SOPs by "
        "**rules**, finds similar past incidents, and drafts up to three courses of action "
        "checked against the SOPs. **You decide**; every decision goes to the crisis log."
    )
    examples = backend.examples()
    left, right = st.columns([3, 2], gap="large")
    with right:
        st.selectbox(
            "Start from a shipped example",
            [OWN, *examples],
            format_func=lambda x: "— write your own —" if x == OWN else x,
            key=StateKeys.EXAMPLE,
            on_change=_fill_example,
        )
        sites = {s.id: s for s in pack.sites.sites}
        st.selectbox(
            "Site",
            ["", *sites],
            format_func=lambda x: (
                "unspecified"
                if not x
                else (
                    f"{x} · {sites[x].name}"
                    + (f" (Seveso {sites[x].seveso})" if sites[x].seveso != "none" else "")
                )
            ),
            key=StateKeys.EVENT_SITE,
        )
        st.text_area(
            "Known facts (optional, YAML)",
            key=StateKeys.EVENT_FACTS,
            height=160,
            placeholder="casualties:\n  hospitalised_onsite: 2\ndetectors:\n  nh3_alarm: true",
            help="Structured facts the severity scale and SOP conditions read "
            "(see sops/facts.yaml). Facts found in the text are read too.",
        )
        st.caption(
            f"T0 is now. Decisions are logged as **{backend.operator()}** "
            f"with clearance **{backend.clearance()}** (see Settings)."
        )
    with left:
        st.text_area(
            "Event report",
            key=StateKeys.EVENT_TEXT,
            height=250,
            placeholder="e.g. Ammonia leak on the refrigeration unit of building B4, "
            "two operators evacuated to hospital, valve not yet closed…",
        )
        clicked = st.button(
            "Analyse and open the crisis",
            key=StateKeys.OPEN,
            type="primary",
            icon=":material/play_arrow:",
        )
    if clicked:
        open_crisis(examples)


def open_crisis(examples: dict[str, object]) -> None:
    text = st.session_state.get(StateKeys.EVENT_TEXT) or ""
    site = st.session_state.get(StateKeys.EVENT_SITE) or None
    example = backend.examples().get(st.session_state.get(StateKeys.EXAMPLE) or "")
    try:
        facts = backend.parse_facts(st.session_state.get(StateKeys.EVENT_FACTS) or "")
        extra = {}
        if example is not None and example.text == text.strip():
            extra = {"un_number": example.un_number, "language": example.language}
        event = event_from_text(
            text,
            "event report",
            site=site,
            facts=facts,
            reported_at=datetime.now().astimezone(),
            **extra,
        )
    except (ValueError, CrisisCellError) as exc:
        st.error(str(exc))
        return
    who, level = backend.operator(), backend.clearance()
    result = run_with_progress(
        "Analysing the event",
        lambda svc: svc.open(event, author=who, clearance=level),
    )
    if result is None:
        return
    st.session_state[StateKeys.CRISIS_ID] = result.crisis.id
    st.session_state[StateKeys.LAST_DIFF] = []
    st.session_state[StateKeys.FLASH] = (
        "success",
        f"Crisis {result.crisis.id} opened. Review the scenarios and decide.",
    )
    st.rerun()


# --- ICS-201 view


def can_mark(crisis: Crisis) -> bool:
    """Whether the operator may log a notification as done: an open crisis, a writing role."""
    return crisis.status == "open" and backend.can("note")


def header(crisis: Crisis, s: Suggestion, result: CrisisResult, pack: Pack) -> None:
    top = st.columns([6, 1], vertical_alignment="center")
    top[0].header(views.short(crisis.title, 60), anchor=False)
    if top[1].button("New crisis", key=StateKeys.NEW_CRISIS, icon=":material/add:"):
        st.session_state[StateKeys.CRISIS_ID] = None
        st.session_state.pop(StateKeys.PROGRESS, None)
        st.rerun()
    site = next((x for x in pack.sites.sites if x.id == s.event.site), None)
    st.caption(
        f"**{crisis.id}** · site {s.event.site or 'unspecified'}"
        + (f" ({site.name})" if site else "")
        + f" · opened by {crisis.opened_by} · clearance {crisis.clearance} · run "
        f"{s.lineage.run_id}"
    )

    label, colour = views.severity_label(s.severity, pack)
    with st.container(horizontal=True, gap="small"):
        st.badge(
            label + (" · reportable" if s.severity.reportable else ""),
            color=colour,
            icon=":material/help:" if s.severity.unknowns else ":material/warning:",
        )
        st.badge(
            f"{s.category.code} ({s.category.confidence:.0%})",
            color="blue",
            icon=":material/category:",
        )
        if crisis.status == "closed":
            st.badge("Closed", color="gray", icon=":material/lock:")
        elif result.approval is not None:
            st.badge(
                f"Approved: {result.approval.scenario.id}. {result.approval.scenario.title}",
                color="green",
                icon=":material/task_alt:",
            )
        else:
            st.badge("Waiting for your decision", color="orange", icon=":material/gavel:")

    clocks.tiles(crisis.id, s, pack, can_mark(crisis))

    why, sops = st.columns(2, gap="large")
    with why:
        why_level = f">= {s.severity.level}" if s.severity.unknowns else s.severity.level
        st.markdown(f"**Why {why_level}** {origin_md('rules')}")
        if s.severity.criteria:
            st.markdown(
                "\n".join(
                    f"- {c.label}: **{c.value}** → {c.level} _(from {c.source})_"
                    for c in s.severity.criteria
                )
            )
        else:
            st.markdown("- no criterion fired: lowest level")
        if s.severity.unknowns:
            st.caption(
                "Not known yet (each could raise the level): "
                + ", ".join(u.replace("_", " ") for u in s.severity.unknowns)
            )
    with sops:
        st.markdown(f"**Active SOPs** {origin_md('rules')}")
        st.markdown(
            "\n".join(f"- **{r.id}** v{r.version} — {r.title}" for r in s.sops) or "- none applies"
        )
        st.caption(
            f"Category {origin_md(s.category.origin)} "
            + views.short("; ".join(s.category.reasons), 200)
        )

    if s.degraded:
        st.warning(
            "**Degraded mode**: the model was not used for part of this suggestion; rules "
            "and the offline backend filled in. " + "; ".join(s.degraded_reasons),
            icon=":material/cloud_off:",
        )
    hidden = {k: n for k, n in s.lineage.hidden.items() if n}
    if hidden:
        st.caption(
            ":material/visibility_off: Need-to-know: hidden from your clearance: "
            + ", ".join(f"{n} {k}" for k, n in hidden.items())
        )


def scenario_cards(s: Suggestion, result: CrisisResult, can_decide: bool) -> None:
    st.subheader("Courses of action")
    st.caption(
        "Each scenario cites the SOP step behind every action; compliance is checked by rules. "
        "Approve one as it is, or edit it first (below). "
        f"{origin_md('rules')} deterministic, from the SOP pack and the archive · "
        f"{origin_md('llm')} proposed by the language model, then checked by the rules · "
        f"{origin_md('operator')} edited by an operator."
    )
    if not s.scenarios:
        st.error(
            "No scenario: no SOP applies to this event. Ask for new scenarios with "
            "guidance, or add a situation update."
        )
        return
    approved = result.approval.scenario.id if result.approval else None
    cols = st.columns(len(s.scenarios), gap="medium")
    for n, (col, sc) in enumerate(zip(cols, s.scenarios, strict=True), 1):
        with col, st.container(border=True, height="stretch"):
            st.markdown(f"#### {sc.id}. {sc.title}")
            label, colour, icon = views.adherence_badge(sc.adherence)
            with st.container(horizontal=True, gap="small"):
                st.badge(label, color=colour, icon=icon)
                o_label, o_colour, o_icon = views.origin_badge(sc.origin)
                st.badge(o_label, color=o_colour, icon=o_icon)
                if approved == sc.id:
                    st.badge("Approved", color="green", icon=":material/task_alt:")
            accepted = unvetted_choice(sc, n, can_decide) if backend.can("decide") else []
            if backend.can("decide") and st.button(
                f"Approve {sc.id}",
                key=f"{StateKeys.APPROVE_PREFIX}{n}",
                type="primary",
                disabled=not can_decide,
                width="stretch",
                icon=":material/check:",
            ):
                decide(
                    lambda svc, n=n, accepted=accepted: svc.approve(
                        result.crisis.id, n, author=backend.operator(), accept_unvetted=accepted
                    ),
                    f"Scenario {sc.id} approved and logged.",
                )
            st.caption(sc.rationale)
            timed = [x.deadline for x in sc.steps if x.deadline is not None]
            st.markdown(
                f"**{len(sc.steps)}** steps · **{sum(1 for x in sc.steps if x.mandatory)}** "
                f"mandatory · last deadline **{views.duration(max(timed)) if timed else '-'}**"
            )
            first = [x for x in sc.steps if not x.conditional][:3]
            st.markdown(
                "**First actions**\n"
                + "\n".join(
                    f"- `{views.fmt_when(x)}` {views.short(x.action, 60)} · _{x.owner or '?'}_"
                    for x in first
                )
            )
            st.caption(views.adherence_counts(sc.adherence))
            if sc.adherence and sc.adherence.violations:
                st.error("\n".join(f"- {v.message}" for v in sc.adherence.violations))
            if sc.blocked:
                st.error(
                    "**Withheld by the guard** (rules)\n"
                    + "\n".join(f"- {b.summary}" for b in sc.blocked)
                )
            if sc.precedent_ids:
                st.caption("Informed by: " + ", ".join(sc.precedent_ids))


def unvetted_choice(sc: Scenario, n: int, can_decide: bool) -> list[int]:
    """The model's off-SOP steps, apart; the operator picks those to add to the plan."""
    if not sc.unvetted:
        return []
    st.warning(
        f"**Unvetted model steps** {origin_md('llm')}: not in the plan, nor in its "
        "compliance, unless you accept them (logged in your name).\n"
        + "\n".join(
            f"{k}. {views.short(u.action, 90)}"
            + (f" (why: {views.short(u.justification, 60)})" if u.justification else "")
            for k, u in enumerate(sc.unvetted, 1)
        )
    )
    picked = st.multiselect(
        "Accept unvetted steps",
        options=list(range(1, len(sc.unvetted) + 1)),
        key=f"{StateKeys.APPROVE_PREFIX}unvetted_{n}",
        disabled=not can_decide,
    )
    return [int(k) for k in picked]


def scenario_details(s: Suggestion) -> None:
    if not s.scenarios:
        return
    now = datetime.now().astimezone()
    st.subheader("Actions against T0")
    tabs = st.tabs([f"{sc.id}. {sc.title}" for sc in s.scenarios])
    for tab, sc in zip(tabs, s.scenarios, strict=True):
        with tab:
            frame = views.timeline_frame(s, sc)
            if not frame.empty:
                st.altair_chart(views.timeline_chart(frame), width="stretch")
            st.dataframe(
                views.steps_frame(sc, s.event.reported_at, now),
                hide_index=True,
                width="stretch",
                height=views.table_height(len(sc.steps)),
                column_config={
                    "#": st.column_config.NumberColumn(width=40),
                    "Deadline": st.column_config.TextColumn(width=70),
                    "Action": st.column_config.TextColumn(width="large"),
                    "Mandatory": st.column_config.CheckboxColumn(width="small"),
                    "Status": st.column_config.TextColumn(
                        help="Against the clock: overdue, due in…, or only if triggered"
                    ),
                },
            )


def precedents(s: Suggestion) -> None:
    st.markdown(f"#### Similar past incidents {origin_md('rules')}")
    if s.no_precedent or not s.precedents:
        st.info(
            "**No precedent**: nothing in the archive is similar enough. Rely on the SOPs.",
            icon=":material/search_off:",
        )
        return
    for n, p in enumerate(s.precedents):
        with st.expander(
            f"{p.title} ({p.occurred_at:%Y}) · similarity {p.score:.2f}", expanded=n == 0
        ):
            st.markdown(f"**Resolution**: {p.resolution}")
            st.markdown(f"**Outcome**: {p.outcome}")
            if p.lessons:
                st.markdown("**Lessons**\n" + "\n".join(f"- {x}" for x in p.lessons))
            st.caption(f"{p.id} · {p.category} · " + "; ".join(p.why))


# --- decisions --------------------------------------------------------------------------


def decide(action: Callable[[CrisisService], CrisisResult], done: str) -> None:
    try:
        with backend.acting("decide") as svc:
            result = action(svc)
    except CrisisCellError as exc:
        st.error(str(exc))
        return
    st.session_state[StateKeys.LAST_DIFF] = result.diff
    st.session_state.pop(StateKeys.VIOLATIONS, None)
    st.session_state.pop(StateKeys.NO_CHANGE, None)
    st.session_state[StateKeys.FLASH] = ("success", done)
    st.rerun()


def rerun_decision(
    label: str, action: Callable[[CrisisService], CrisisResult], done: str, nothing: str
) -> None:
    """Run an update or regenerate; say ``nothing`` (not ``done``) when nothing changed."""
    result = run_with_progress(label, action)
    if result is None:
        return
    st.session_state[StateKeys.LAST_DIFF] = result.diff
    if result.diff:
        st.session_state.pop(StateKeys.NO_CHANGE, None)
        st.session_state[StateKeys.FLASH] = ("success", done)
    else:
        st.session_state[StateKeys.NO_CHANGE] = (result.crisis.id, nothing)
        st.session_state[StateKeys.FLASH] = ("info", nothing)
    st.rerun()


def edit_and_approve(crisis_id: str, s: Suggestion, can_decide: bool) -> None:
    if not s.scenarios:
        return
    with st.expander(
        "Edit a scenario before approving (remove, re-own, re-time steps)", icon=":material/edit:"
    ):
        n = st.selectbox(
            "Scenario",
            list(range(1, len(s.scenarios) + 1)),
            format_func=lambda i: f"{s.scenarios[i - 1].id}. {s.scenarios[i - 1].title}",
            key=StateKeys.EDIT_SCENARIO,
        )
        scenario: Scenario = s.scenarios[n - 1]
        st.caption(
            "Delete a row to remove a step; change its owner, deadline (minutes after T0) "
            "or wording. The rules re-check the edited scenario before it is approved."
        )
        edited = st.data_editor(
            views.editor_frame(scenario),
            key=f"{StateKeys.EDITOR_PREFIX}{s.lineage.run_id}_{n}",
            num_rows="delete",
            hide_index=True,
            width="stretch",
            disabled=["#", "SOP step", "Mandatory"],
            column_config={
                "Action": st.column_config.TextColumn(width="large"),
                "Deadline (min)": st.column_config.NumberColumn(min_value=0, step=1),
            },
        )
        candidate = views.scenario_from_editor(scenario, edited)
        changed = candidate is not scenario
        if st.button(
            "Approve the edited scenario",
            key=StateKeys.APPROVE_EDITED,
            type="primary",
            disabled=not (can_decide and changed),
        ):
            try:
                with backend.acting("decide") as svc:
                    svc.approve(crisis_id, n, author=backend.operator(), edited=candidate)
            except RuleViolation as exc:
                st.session_state[StateKeys.VIOLATIONS] = (n, str(exc))
            except CrisisCellError as exc:
                st.error(str(exc))
            else:
                st.session_state.pop(StateKeys.VIOLATIONS, None)
                st.session_state[StateKeys.FLASH] = (
                    "success",
                    f"Edited scenario {scenario.id} approved (still SOP-compliant).",
                )
                st.rerun()
        if not changed:
            st.caption("Nothing edited yet.")
        refused = st.session_state.get(StateKeys.VIOLATIONS)
        if refused and refused[0] == n:
            message = refused[1].split(": ", 1)[-1]
            problems = message.split(" (fix it")[0].split("; ")
            st.error(
                "**Refused: the edited scenario breaks the SOPs**\n"
                + "\n".join(f"- {p}" for p in problems)
            )
            rationale = st.text_input(
                "Rationale for approving anyway (logged)", key=StateKeys.FORCE_RATIONALE
            )
            if st.button(
                "Approve anyway (forced)",
                key=StateKeys.APPROVE_FORCED,
                disabled=not (rationale or "").strip(),
                icon=":material/warning:",
            ):
                decide(
                    lambda svc: svc.approve(
                        crisis_id,
                        n,
                        author=backend.operator(),
                        edited=candidate,
                        force=True,
                        rationale=rationale,
                    ),
                    f"Edited scenario {scenario.id} approved by force; the rationale is logged.",
                )


def other_decisions(crisis_id: str, can_decide: bool) -> None:
    st.subheader("Other decisions")
    reject, regen, update = st.columns(3, gap="medium")
    with reject, st.container(border=True, height="stretch"):
        st.markdown("**Reject all scenarios**")
        reason = st.text_input(
            "Reason", key=StateKeys.REJECT_REASON, placeholder="e.g. the valve is already closed"
        )
        if st.button(
            "Reject", key=StateKeys.REJECT, disabled=not can_decide, icon=":material/block:"
        ):
            decide(
                lambda svc: svc.reject(crisis_id, reason=reason, author=backend.operator()),
                "Scenarios rejected; the reason is logged.",
            )
    with regen, st.container(border=True, height="stretch"):
        st.markdown("**Ask for new scenarios**")
        guidance = st.text_input(
            "Guidance",
            key=StateKeys.REGEN_GUIDANCE,
            placeholder="e.g. prioritise the evacuation of the school",
        )
        if st.button(
            "Regenerate",
            key=StateKeys.REGENERATE,
            disabled=not can_decide,
            icon=":material/refresh:",
        ):
            rerun_decision(
                "Drafting new scenarios",
                lambda svc: svc.regenerate(crisis_id, guidance=guidance, author=backend.operator()),
                "New scenarios drafted.",
                "Regenerate changed nothing: the same category, severity, SOPs, "
                "notifications and steps as before.",
            )
    with update, st.container(border=True, height="stretch"):
        st.markdown("**Situation update**")
        text = st.text_area(
            "What is new",
            key=StateKeys.UPDATE_TEXT,
            height=80,
            placeholder="e.g. valve closed at 08:20, plume dissipating",
        )
        facts_text = st.text_area(
            "New facts (YAML, optional)",
            key=StateKeys.UPDATE_FACTS,
            height=68,
            placeholder="casualties:\n  deaths: 0",
        )
        if st.button(
            "Add update and re-assess",
            key=StateKeys.UPDATE,
            disabled=not can_decide,
            icon=":material/update:",
        ):
            try:
                facts = backend.parse_facts(facts_text or "")
            except ValueError as exc:
                st.error(str(exc))
                return
            rerun_decision(
                "Re-assessing with the update",
                lambda svc: svc.update(
                    crisis_id, text=text or None, facts=facts or None, author=backend.operator()
                ),
                "Situation update logged; severity, SOPs and scenarios re-assessed.",
                "Situation update logged, but it changed nothing: the same category, "
                "severity, SOPs, notifications and steps as before.",
            )


def crisis_view(crisis_id: str, pack: Pack) -> None:
    try:
        result = backend.current(crisis_id)
    except CrisisCellError as exc:
        st.error(str(exc))
        return
    s = result.suggestion
    if s is None:
        st.title(result.crisis.title)
        st.warning("This crisis has no suggestion yet.")
        return
    header(result.crisis, s, result, pack)
    flash()
    last_run()
    diff = st.session_state.get(StateKeys.LAST_DIFF)
    if diff:
        st.info(
            "**What changed**\n" + "\n".join(f"- {d}" for d in diff), icon=":material/difference:"
        )
    can_decide = result.waiting and result.crisis.status == "open"
    rejected = views.rejection(backend.entries(crisis_id))
    approved_here = result.approval is not None and result.approval.run_id == s.lineage.run_id
    can_approve = can_decide and not (approved_here and rejected is None)
    no_change = st.session_state.get(StateKeys.NO_CHANGE)
    if no_change and no_change[0] == crisis_id:
        st.info(no_change[1], icon=":material/sync_disabled:")
    if result.approval is not None:
        a = result.approval
        st.success(
            f"**Approved plan: {a.scenario.id}. {a.scenario.title}** by {a.author} at "
            f"{a.at.astimezone():%d/%m %H:%M}"
            + (" · edited" if a.edited else "")
            + (" · SOP-compliant" if a.compliant else " · NOT compliant (forced)"),
            icon=":material/task_alt:",
        )
    if rejected is not None:
        st.warning(
            f"**Scenarios rejected** by {rejected.author} at "
            f"{rejected.at.astimezone():%d/%m %H:%M}: {rejected.rationale or 'no reason'}. "
            "They stay below for the record; ask for new scenarios or add a situation update.",
            icon=":material/block:",
        )
    scenario_cards(s, result, can_approve)
    if can_decide and not can_approve:
        st.caption(
            ":material/lock: A plan is approved: the other approve buttons are off. To change "
            "course, reject, ask for new scenarios or add a situation update."
        )
    if backend.can("decide"):
        edit_and_approve(crisis_id, s, can_approve)
    scenario_details(s)
    left, right = st.columns([3, 2], gap="large")
    with left:
        clocks.notifications(crisis_id, s, can_mark(result.crisis))
    with right:
        precedents(s)
    if backend.can("decide"):
        other_decisions(crisis_id, can_decide)
        closing.section(crisis_id, s, can_decide)
    else:
        st.info(
            f"You are signed in as **{backend.identity().role}**: you can read this crisis, "
            "not decide on it.",
            icon=":material/visibility:",
        )


pack = backend.pack()
crisis_id = st.session_state.get(StateKeys.CRISIS_ID)
if crisis_id:
    crisis_view(crisis_id, pack)
elif backend.can("decide"):
    flash()
    intake(pack)
else:
    st.title("Live crisis")
    st.info(
        f"You are signed in as **{backend.identity().role}**: pick a crisis in the sidebar "
        "to follow it; opening one is for operators.",
        icon=":material/visibility:",
    )
