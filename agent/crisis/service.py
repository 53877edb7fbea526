"""Crisis threads: open, decide, update, log and close, across processes.

The graph state of each crisis lives in a LangGraph checkpointer (thread id = crisis
id), so a decision taken in another process, after the first one died, resumes the
same thread. Every step lands in the append-only crisis log.
"""

from __future__ import annotations

import getpass
import uuid
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command

from agent.context import Deps
from agent.crisis.checkpoint import (
    DURABILITY,
    failing_marks,
    open_checkpointer,
    recover,
    refuse_failed,
)
from agent.crisis.diff import diff_suggestions
from agent.crisis.streaming import OnNode, run_graph
from agent.domain import (
    ActionTaken,
    AdherenceReport,
    Approval,
    Decision,
    Event,
    Incident,
    Scenario,
    Suggestion,
    utcnow,
)
from agent.errors import DecisionConflict, InputError, RuleViolation
from agent.graph import build_crisis_graph
from agent.llm.base import LLM
from agent.llm.factory import make_llm
from agent.nodes.common import guard, selected_ids, selected_sops
from agent.nodes.decide import accept_unvetted as accept_unvetted_steps
from agent.rules.compliance import check_scenario
from agent.rules.facts import find_site, flatten
from agent.rules.need_to_know import Clearance, marking_of, require_found
from agent.settings import Settings
from agent.state import InputState, State
from agent.store.archive import archived_action
from agent.store.crisis_log import Crisis as Crisis  # re-exported: what callers read
from agent.store.crisis_log import CrisisLog, LogKind
from agent.store.crisis_log import LogEntry as LogEntry  # re-exported, as Crisis
from agent.store.db import engine_for
from agent.store.incidents import IncidentRepository
from agent.store.suggestions import SuggestionRepository

ARCHIVED_KINDS = ("note", "correction", "notified")
"""Log entries that close archives as actions taken: operators' notes and notifications done."""


@dataclass
class CrisisResult:
    """What a call on a crisis produced: the current suggestion, changes and new log entries."""

    crisis: Crisis
    suggestion: Suggestion | None
    approval: Approval | None = None
    diff: list[str] = field(default_factory=list)
    entries: list[LogEntry] = field(default_factory=list)
    waiting: bool = True


class CrisisService:
    """One entry point for the CLI and the console; use it as a context manager."""

    def __init__(
        self, settings: Settings | None = None, llm: LLM | None = None, deps: Deps | None = None
    ) -> None:
        self.settings = settings or (deps.settings if deps else Settings())
        self.deps = deps or Deps(llm=llm or make_llm(self.settings), settings=self.settings)
        self.engine = engine_for(self.settings)
        self.log = CrisisLog(self.engine)
        self.suggestions = SuggestionRepository(self.engine)
        self._stack = ExitStack()
        saver = self._stack.enter_context(open_checkpointer(self.settings))
        self.graph = build_crisis_graph(saver)
        self.observer: OnNode | None = None
        """Told of every node a run finishes (the console's progress); see ``streaming``."""

    def run(self, input: Any, config: RunnableConfig) -> None:
        """One run of the crisis graph with this service's dependencies as its context."""
        run_graph(
            self.graph, input, config, self.observer, context=self.deps, durability=DURABILITY
        )

    def __enter__(self) -> CrisisService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close_resources()

    def close_resources(self) -> None:
        """Close the checkpointer connection."""
        self._stack.close()

    @property
    def clearance(self) -> Clearance:
        """The caller's clearance (``CRISISCELL_CLEARANCE`` or ``--clearance``)."""
        try:
            return Clearance.parse(self.settings.clearance)
        except ValueError as exc:
            raise InputError(str(exc)) from None

    def require(self, crisis_id: str) -> Crisis:
        """The crisis, if the caller's clearance may see it: every read and decision goes here.

        Raises:
            NotVisible: no such crisis, or one opened above the caller's clearance (the
                same message for both, so an unseen id's existence is not revealed).
        """
        crisis = self.log.get(crisis_id)
        marking = marking_of(crisis.clearance) if crisis else None
        require_found(self.clearance, marking, f"crisis {crisis_id}")
        assert crisis is not None
        return crisis

    def find(self, crisis_id: str) -> Crisis | None:
        """The crisis if the caller may see it; None when there is no such crisis.

        For commands where a new id is not an error (``open --id``, ``suggest --crisis``).

        Raises:
            NotVisible: it exists above the caller's clearance, with the message a missing
                id gets where a missing id is an error (it never says the crisis exists).
        """
        crisis = self.log.get(crisis_id)
        if crisis is not None:
            require_found(self.clearance, marking_of(crisis.clearance), f"crisis {crisis_id}")
        return crisis

    def crises(self) -> list[Crisis]:
        """The crises the caller's clearance may see, newest first."""
        held = self.clearance
        return [c for c in self.log.crises() if held.allows(*marking_of(c.clearance))]

    def entries(self, crisis_id: str) -> list[LogEntry]:
        """The crisis log of a crisis the caller may see."""
        self.require(crisis_id)
        return self.log.entries(crisis_id)

    def author(self, author: str | None) -> str:
        """Who is deciding: explicit, else ``CRISISCELL_OPERATOR``, else the OS user."""
        return author or self.settings.operator or getpass.getuser()

    def open(
        self,
        event: Event,
        *,
        author: str | None = None,
        clearance: str | None = None,
        crisis_id: str | None = None,
    ) -> CrisisResult:
        """Start a crisis thread and run the pipeline up to the first decision point.

        With the id of a crisis a crash left half-open, resume it instead. A failure
        during the run leaves the crisis ``failed`` (retry or close it), never half-open.
        """
        if crisis_id and (known := self.find(crisis_id)) is not None:
            refuse_failed(known)
            if recover(self, crisis_id):
                return self.current(crisis_id)  # a crashed open of this id, resumed
        self._check_site(event)
        who = self.author(author)
        level = str(Clearance.parse(clearance or self.settings.clearance))
        crisis = Crisis(
            id=crisis_id or _new_id(event.reported_at),
            title=_title(event.text),
            site=event.site,
            status="open",
            opened_at=utcnow(),
            opened_by=who,
            clearance=level,
        )
        self.log.open(crisis)
        with failing_marks(self, crisis.id, "open"):
            entries = [
                self.log.append(
                    crisis.id,
                    "event",
                    event.text,
                    author=who,
                    payload={"site": event.site, "facts": event.facts},
                )
            ]
            state = InputState(event=event, clearance=level, crisis_id=crisis.id)
            self.run(state, self._config(crisis.id))
            return self._after_run(crisis.id, who, None, entries)

    def open_or_update(self, crisis_id: str, event: Event) -> CrisisResult:
        """Open crisis ``crisis_id`` with this event, or add it as an update if it exists.

        A crisis above the caller's clearance is refused like any unseen id (exit 7).
        """
        if self.find(crisis_id) is None:
            return self.open(event, crisis_id=crisis_id)
        return self.update(crisis_id, text=event.text, facts=event.facts)

    def retry(self, crisis_id: str, *, author: str | None = None) -> CrisisResult:
        """Run again what failed on a ``failed`` crisis, from its last checkpoint.

        Raises:
            InputError: the crisis is not failed.
            DecisionConflict: another operator's retry of it started first.
        """
        crisis = self.require(crisis_id)
        if crisis.status != "failed":
            raise InputError(f"crisis {crisis_id} has not failed (it is {crisis.status})")
        who = self.author(author)
        if not self.log.reopen_failed(crisis_id):
            raise DecisionConflict(f"crisis {crisis_id}: someone retried it first; look at "
                                   "the crisis again (crisiscell crisis show)")
        with failing_marks(self, crisis_id, "retry"):
            self.log.append(crisis_id, "note", "retry of the failed run", author=who)
            recover(self, crisis_id, force=True)
            self._finish_close(crisis_id)
            return self.current(crisis_id)

    def _finish_close(self, crisis_id: str) -> None:
        """Archive a crisis whose close decision was applied but whose archiving failed."""
        snapshot = self.graph.get_state(self._config(crisis_id))
        state = State.model_validate(snapshot.values) if snapshot.values else None
        if state and state.decision and state.decision.kind == "close" and not snapshot.next:
            self._archive(self.require(crisis_id), state, state.decision)

    def _check_site(self, event: Event) -> None:
        """Refuse an unknown site before a crisis exists, not half-way through its run."""
        sites = self.deps.pack.sites
        if event.site is not None and find_site(sites, event.site) is None:
            known = ", ".join(s.id for s in sites.sites) or "none registered"
            raise InputError(f"unknown site '{event.site}' (known sites: {known})")

    def approve(
        self,
        crisis_id: str,
        scenario: int,
        *,
        author: str | None = None,
        edited: Scenario | None = None,
        force: bool = False,
        rationale: str | None = None,
        accept_unvetted: list[int] | None = None,
    ) -> CrisisResult:
        """Approve scenario N (1-based), optionally edited; an edit is re-checked first.

        ``accept_unvetted`` moves those of the scenario's unvetted model steps into the
        approved plan, in the operator's name (logged with the decision).
        """
        state = self._waiting_state(crisis_id)
        if edited is not None:
            report = self.check_edit(crisis_id, edited)
            if not report.compliant and not force:
                problems = "; ".join(v.message for v in report.violations)
                raise RuleViolation(
                    f"the edited scenario breaks the SOPs: {problems} "
                    "(fix it, or approve with --force and a rationale)"
                )
        elif not 1 <= scenario <= len(state.scenarios):
            raise InputError(f"scenario {scenario} does not exist (1..{len(state.scenarios)})")
        decision = Decision(
            kind="approve",
            author=self.author(author),
            scenario=scenario,
            edited=edited,
            reason=rationale,
            accept_unvetted=accept_unvetted or [],
        )
        if decision.accept_unvetted and edited is None:
            accept_unvetted_steps(state.scenarios[scenario - 1], decision.accept_unvetted, "check")
        return self._decide(crisis_id, decision)

    def reject(self, crisis_id: str, *, reason: str, author: str | None = None) -> CrisisResult:
        """Reject the current scenarios, with a reason."""
        self._waiting_state(crisis_id)
        return self._decide(
            crisis_id,
            Decision(kind="reject", author=self.author(author), reason=_required(reason, "reason")),
        )

    def regenerate(
        self, crisis_id: str, *, guidance: str, author: str | None = None
    ) -> CrisisResult:
        """Ask for new scenarios with guidance."""
        self._waiting_state(crisis_id)
        return self._decide(
            crisis_id,
            Decision(
                kind="regenerate",
                author=self.author(author),
                guidance=_required(guidance, "guidance"),
            ),
        )

    def update(
        self,
        crisis_id: str,
        *,
        text: str | None = None,
        facts: dict[str, Any] | None = None,
        author: str | None = None,
    ) -> CrisisResult:
        """Add new information; severity, category and scenarios are re-evaluated."""
        self._waiting_state(crisis_id)
        if not (text and text.strip()) and not facts:
            raise InputError("an update needs text or facts")
        decision = Decision(kind="update", author=self.author(author), text=text, facts=facts or {})
        return self._decide(crisis_id, decision)

    def deescalate(
        self, crisis_id: str, *, to_level: str, reason: str, author: str | None = None
    ) -> CrisisResult:
        """Lower the severity floor by an explicit, logged decision."""
        self._waiting_state(crisis_id)
        decision = Decision.model_validate(
            {
                "kind": "deescalate",
                "author": self.author(author),
                "to_level": to_level,
                "reason": _required(reason, "reason"),
            }
        )
        return self._decide(crisis_id, decision)

    def note(
        self, crisis_id: str, text: str, *, author: str | None = None, corrects: int | None = None
    ) -> LogEntry:
        """Add a note, or a correction referencing an earlier entry; nothing is ever edited."""
        self.require(crisis_id)
        kind: LogKind = "correction" if corrects is not None else "note"
        return self.log.append(
            crisis_id, kind, _required(text, "text"), author=self.author(author), corrects=corrects
        )

    def close(
        self, crisis_id: str, *, resolution: str, outcome: str, author: str | None = None
    ) -> CrisisResult:
        """End the thread and turn the crisis into a historical incident.

        A ``failed`` crisis is closed without running the graph again; it is archived
        when its state got as far as a category and a severity.
        """
        if self.require(crisis_id).status == "failed":
            return self._close_failed(crisis_id, resolution, outcome, self.author(author))
        state = self._waiting_state(crisis_id)
        decision = Decision(
            kind="close",
            author=self.author(author),
            resolution=_required(resolution, "resolution"),
            outcome=_required(outcome, "outcome"),
        )
        result = self._decide(crisis_id, decision)
        with failing_marks(self, crisis_id, "close"):  # retry archives it
            self._archive(result.crisis, state, decision)
        result.crisis = self.require(crisis_id)
        return result

    def _close_failed(
        self, crisis_id: str, resolution: str, outcome: str, author: str
    ) -> CrisisResult:
        """Close a failed crisis: the close is logged (compare-and-set), the graph not run."""
        decision = Decision(kind="close", author=author,
                            resolution=_required(resolution, "resolution"),
                            outcome=_required(outcome, "outcome"))
        snapshot = self.graph.get_state(self._config(crisis_id))
        state = State.model_validate(snapshot.values) if snapshot.values else None
        entry = self.log.decide(  # on the latest decision, applied or not: the run failed
            crisis_id, self.log.decision_version(crisis_id), "close",
            f"closed after a failed run: {decision.resolution}",
            author=author, rationale=_rationale(decision),
            payload=decision.model_dump(mode="json", exclude_none=True),
        )
        crisis = self.require(crisis_id)
        if state is not None and state.category and state.severity:
            self._archive(crisis, state, decision)
        else:
            self.log.set_status(crisis_id, status="closed")
        suggestion = state.suggestion if state else None
        approval = state.approval if state else None
        return CrisisResult(self.require(crisis_id), suggestion, approval, entries=[entry],
                            waiting=False)

    def _archive(self, crisis: Crisis, state: State, decision: Decision) -> None:
        """The closed crisis as a historical incident, and the register row closed."""
        incident = self._incident(crisis, state, decision)
        IncidentRepository(self.engine).upsert([incident], source=f"crisis:{crisis.id}")
        self.deps.forget_archive()
        self.log.set_status(crisis.id, status="closed", incident_id=incident.id)

    def current(self, crisis_id: str) -> CrisisResult:
        """The crisis as it stands: latest suggestion, approval, whether it waits for a decision."""
        crisis = self.require(crisis_id)
        snapshot = self.graph.get_state(self._config(crisis_id))
        state = State.model_validate(snapshot.values) if snapshot.values else None
        return CrisisResult(
            crisis,
            state.suggestion if state else None,
            state.approval if state else None,
            # a crashed or failed run is not waiting
            waiting="await_decision" in snapshot.next and crisis.status == "open",
        )

    def check_edit(self, crisis_id: str, scenario: Scenario) -> AdherenceReport:
        """The compliance verdict an edited scenario would get, without deciding anything."""
        state = self._waiting_state(crisis_id)
        return check_scenario(scenario, selected_sops(state, self.deps), state.facts,
                              guard(self.deps), selected_ids(state))

    def _decide(self, crisis_id: str, decision: Decision) -> CrisisResult:
        state = self._state(crisis_id)
        before = state.suggestion
        summary = _decision_summary(decision, state)
        entry = self.log.decide(  # compare-and-set: one of two deciders wins
            crisis_id,
            self.log.version_for(crisis_id, state.decision.at if state.decision else None),
            "close" if decision.kind == "close" else "decision",
            summary,
            author=decision.author,
            rationale=_rationale(decision),
            payload=decision.model_dump(mode="json", exclude_none=True),
        )
        with failing_marks(self, crisis_id, decision.kind):
            self.run(Command(resume=decision.model_dump(mode="json")), self._config(crisis_id))
            return self._after_run(crisis_id, decision.author, before, [entry], decision)

    def _after_run(
        self,
        crisis_id: str,
        author: str,
        before: Suggestion | None,
        entries: list[LogEntry],
        decision: Decision | None = None,
    ) -> CrisisResult:
        snapshot = self.graph.get_state(self._config(crisis_id))
        state = State.model_validate(snapshot.values)
        suggestion = state.suggestion
        changes: list[str] = []
        if suggestion is not None and (
            before is None or suggestion.lineage.run_id != before.lineage.run_id
        ):
            suggestion = self._record(crisis_id, suggestion, snapshot.config)
            changes = diff_suggestions(before, suggestion)
            entries.append(
                self.log.append(
                    crisis_id,
                    "suggestion",
                    _suggestion_summary(suggestion),
                    author="crisiscell",
                    run_id=suggestion.lineage.run_id,
                    payload={"diff": changes},
                )
            )
            if suggestion.blocked:
                entries.append(self._log_blocked(crisis_id, suggestion))
        crisis = self.log.require(crisis_id)  # the caller was let in before this run
        return CrisisResult(
            crisis, suggestion, state.approval, changes, entries, waiting=bool(snapshot.next)
        )

    def _log_blocked(self, crisis_id: str, suggestion: Suggestion) -> LogEntry:
        """What the guard withheld from this suggestion, for the main courante and audit."""
        lines = [b.summary for b in suggestion.blocked]
        return self.log.append(
            crisis_id,
            "blocked",
            f"guard withheld {len(lines)} text(s): " + "; ".join(lines),
            author="crisiscell",
            run_id=suggestion.lineage.run_id,
            payload={"blocked": [b.model_dump(mode="json") for b in suggestion.blocked]},
        )

    def _record(self, crisis_id: str, suggestion: Suggestion, config: Any) -> Suggestion:
        checkpoint = (config or {}).get("configurable", {}).get("checkpoint_id")
        lineage = suggestion.lineage.model_copy(update={"checkpoint_id": checkpoint})
        suggestion = suggestion.model_copy(update={"lineage": lineage})
        self.suggestions.save(suggestion)
        self.log.set_status(crisis_id, last_run_id=lineage.run_id)
        return suggestion

    def _state(self, crisis_id: str) -> State:
        self.require(crisis_id)
        snapshot = self.graph.get_state(self._config(crisis_id))
        if not snapshot.values:
            raise InputError(f"crisis {crisis_id} has no graph state (was it opened here?)")
        return State.model_validate(snapshot.values)

    def _waiting_state(self, crisis_id: str) -> State:
        crisis = self.require(crisis_id)
        if crisis.status == "closed":
            raise InputError(f"crisis {crisis_id} is closed")
        refuse_failed(crisis)
        recover(self, crisis_id)  # finish a run a crash left half-done, if any
        snapshot = self.graph.get_state(self._config(crisis_id))
        if "await_decision" not in snapshot.next:
            raise InputError(f"crisis {crisis_id} is not waiting for a decision")
        return State.model_validate(snapshot.values)

    def _incident(self, crisis: Crisis, state: State, decision: Decision) -> Incident:
        assert state.category is not None and state.severity is not None
        plan = state.approval.scenario.steps if state.approval else []
        notes = [e for e in self.entries(crisis.id) if e.kind in ARCHIVED_KINDS]
        actions = [archived_action(s) for s in plan]
        actions += [ActionTaken(text=e.summary, at=e.at - crisis.opened_at) for e in notes]
        return Incident(
            id=f"INC-{crisis.opened_at:%Y}-{crisis.id}",
            title=crisis.title,
            occurred_at=state.event.reported_at,
            site=crisis.site,
            category=state.category.code,
            secondary=state.category.secondary,
            severity=state.severity_floor or state.severity.level,
            summary=state.event.text,
            actions=actions,
            resolution=decision.resolution or "",
            outcome=decision.outcome or "",
            source=f"crisiscell crisis {crisis.id}",
            marking=marking_of(crisis.clearance)[0],
            compartments=marking_of(crisis.clearance)[1],
        )

    @staticmethod
    def _config(crisis_id: str) -> RunnableConfig:
        return {"configurable": {"thread_id": crisis_id}}


def _new_id(at: datetime) -> str:
    return f"CR-{at:%Y%m%d}-{uuid.uuid4().hex[:6]}"


def _title(text: str) -> str:
    first = text.strip().splitlines()[0]
    return first if len(first) <= 80 else first[:79] + "…"


def _required(value: str | None, name: str) -> str:
    if value is None or not value.strip():
        raise InputError(f"{name} must not be empty")
    return value.strip()


def _decision_summary(d: Decision, state: State) -> str:
    if d.kind == "approve":
        picked = d.edited or (state.scenarios[d.scenario - 1] if d.scenario else None)
        label = f"{picked.id}: {picked.title}" if picked else "?"
        accepted = (f"; accepted unvetted step(s) {', '.join(map(str, d.accept_unvetted))}"
                    if d.accept_unvetted else "")
        return (f"approved scenario {d.scenario} ({label}" + (", edited)" if d.edited else ")")
                + accepted)
    if d.kind == "update":
        facts = ", ".join(f"{k}={v}" for k, v in flatten(d.facts).items())
        return "situation update: " + "; ".join(x for x in (d.text, facts) if x)
    if d.kind == "deescalate":
        return f"de-escalated to {d.to_level}"
    if d.kind == "regenerate":
        return f"asked for new scenarios: {d.guidance}"
    if d.kind == "close":
        return f"closed: {d.resolution}"
    return "rejected the scenarios"


def _rationale(d: Decision) -> str | None:
    return d.reason or d.guidance or (d.outcome if d.kind == "close" else None)


def _suggestion_summary(s: Suggestion) -> str:
    verdicts = ", ".join(
        f"{sc.id} {'compliant' if sc.adherence and sc.adherence.compliant else 'NOT compliant'}"
        for sc in s.scenarios
    )
    degraded = " (degraded)" if s.degraded else ""
    return (
        f"{s.category.code}, {s.severity.display}, SOPs {', '.join(r.id for r in s.sops)}; "
        f"scenarios: {verdicts or 'none'}{degraded}"
    )
