"""Need-to-know on the read paths asked for by id: a hidden record reads like a missing one.

For any record marking and any caller clearance, ``history show``, ``crisis show``,
``crisis log``, ``crisis export``, ``explain`` and ``llm calls RUN_ID`` either show the record (the
clearance allows it) or refuse it with exit 7 and *exactly* the answer an id that
does not exist gets, so the answer never confirms that a hidden id exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from agent.cli import app
from agent.crisis.service import CrisisService
from agent.domain import Event
from agent.errors import NotVisible
from agent.rules.need_to_know import MARKING_ORDER, Clearance, marking_of
from agent.settings import Settings
from agent.store.db import dispose_engines, engine_for
from agent.store.incidents import IncidentRepository
from tests.fakes import incident

MARKINGS = ["public", "internal", "restricted", "secret", "secret:ops", "internal:legal"]
TOKEN = "TOKEN{n}X"
runner = CliRunner()


@dataclass(frozen=True)
class Records:
    """One crisis, its run and one incident per marking, in one store."""

    env: dict[str, str]
    crises: dict[str, str]
    runs: dict[str, str]
    incidents: dict[str, str]


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory, pack_dir: Path) -> Iterator[Records]:
    home = tmp_path_factory.mktemp("reads")
    env = {"CRISISCELL_HOME": str(home), "CRISISCELL_SOPS_DIR": str(pack_dir),
           "CRISISCELL_HISTORY_DIR": str(home / "no-history"), "CRISISCELL_LLM": "offline"}
    config = Settings(home=home, sops_dir=pack_dir, history_dir=home / "no-history")
    crises, runs, incidents = {}, {}, {}
    with CrisisService(config) as service:
        for n, marking in enumerate(MARKINGS):
            text = f"Ammonia leak near compressor {n}, vapour cloud {TOKEN.format(n=n)}"
            opened = service.open(Event(text=text, site="SITE-01"), author="alice",
                                  clearance=marking, crisis_id=f"CR-READ-{n}")
            assert opened.suggestion is not None
            crises[marking], runs[marking] = opened.crisis.id, opened.suggestion.lineage.run_id
    level_comps = {m: marking_of(m) for m in MARKINGS}
    seeded = [
        incident(f"INC-READ-{n}", f"Fire {TOKEN.format(n=n)}", TOKEN.format(n=n), "IND.fire",
                 marking=level_comps[m][0], compartments=level_comps[m][1])
        for n, m in enumerate(MARKINGS)
    ]
    IncidentRepository(engine_for(config)).upsert(seeded, source="test")
    incidents = {m: f"INC-READ-{n}" for n, m in enumerate(MARKINGS)}
    yield Records(env, crises, runs, incidents)
    dispose_engines()


PATHS = {
    "history show": ["history", "show"],
    "crisis show": ["crisis", "show"],
    "crisis log": ["crisis", "log"],
    "crisis export": ["crisis", "export"],
    "explain": ["explain"],
    "llm calls": ["llm", "calls"],
}
MISSING = {"history": "INC-NOPE-1", "crisis": "CR-NOPE-1", "run": "0123456789abcdef"}


def args_for(path: str, records: Records, marking: str | None) -> list[str]:
    """The command of ``path`` asking for the record of ``marking`` (None: a missing id)."""
    kind = "history" if path.startswith("history") else "crisis" if path.startswith("crisis") \
        else "run"
    table = {"history": records.incidents, "crisis": records.crises, "run": records.runs}[kind]
    return [*PATHS[path], table[marking] if marking else MISSING[kind]]


def answer(records: Records, args: list[str], clearance: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr with the id asked for blanked out."""
    result = runner.invoke(app, args, env={**records.env, "CRISISCELL_CLEARANCE": clearance})
    wanted = args[-1]
    return result.exit_code, result.stdout.replace(wanted, "<ID>"), result.stderr.replace(
        wanted, "<ID>")


clearances = st.builds(
    lambda level, comps: str(Clearance(level, frozenset(comps))),
    st.sampled_from(MARKING_ORDER),
    st.lists(st.sampled_from(["ops", "legal"]), max_size=2, unique=True),
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(sorted(PATHS)), marking=st.sampled_from(MARKINGS),
       clearance=clearances)
def test_hidden_reads_exactly_like_missing(
    records: Records, path: str, marking: str, clearance: str
) -> None:
    code, out, err = answer(records, args_for(path, records, marking), clearance)
    if Clearance.parse(clearance).allows(*marking_of(marking)):
        assert code == 0, (path, marking, clearance, err)
        return
    assert code == NotVisible.exit_code, (path, marking, clearance, out, err)
    assert TOKEN.format(n=MARKINGS.index(marking)) not in out + err
    assert (code, out, err) == answer(records, args_for(path, records, None), clearance)
