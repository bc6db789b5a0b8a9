"""`agentsim bench`'s poll schedule counts transitions along paths of its own: they must be
paths the deployed state machine takes, or the table would count what never runs."""

from __future__ import annotations

import itertools
import json
from typing import Any

from support.template_tables import REPO_ROOT

from agentsim_local.bench_waits import Outcome, callback_path, poll_path

STATES: dict[str, Any] = json.loads(
    (REPO_ROOT / "statemachine" / "run_simulation.asl.json").read_text()
)["States"]


def successors(name: str) -> set[str]:
    state = STATES[name]
    nexts = {state.get("Next"), state.get("Default")}
    nexts |= {c["Next"] for c in state.get("Choices", [])}
    nexts |= {c["Next"] for c in state.get("Catch", [])}
    return {n for n in nexts if n is not None}


def is_path(states: list[str]) -> bool:
    return all(b in successors(a) for a, b in itertools.pairwise(states))


def test_a_polled_run_follows_the_state_machine_from_register_to_its_end() -> None:
    for lost_chains in (0, 2):
        path = poll_path(lost_chains)
        assert path[0] == "Register" and STATES[path[-1]]["Type"] == "Succeed"
        assert is_path(path)


def test_a_run_woken_by_webhooks_follows_the_state_machine_from_register_to_its_end() -> None:
    for safety_polls in (0, 2):
        path = callback_path(safety_polls)
        assert path[0] == "Register" and STATES[path[-1]]["Type"] == "Succeed"
        assert is_path(path)


def test_a_polled_run_enters_as_many_states_whatever_its_number_of_polls() -> None:
    assert Outcome(polls=4, lag=5.0).transitions == Outcome(polls=40, lag=5.0).transitions == 9


def test_an_outcome_counts_every_state_its_path_enters() -> None:
    assert Outcome(polls=4, lag=5.0, schedule="old").transitions == 7 + 3 * 4
    assert Outcome(polls=1, lag=1.0, schedule="webhooks").transitions == 10
