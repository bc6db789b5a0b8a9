"""Start never follows another run's launch (issue 8), one rule per test: on moto and on the
emulator over real HTTP, runs sharing a Bluejay simulation, a Synthflow agent and suite, or an
OmniDimension simulation."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import httpx
import pytest
from support.aws_fixtures import API_KEYS, Stack
from support.run_requests import (
    SYNTHFLOW_AGENT,
    SYNTHFLOW_PASSING_CASE,
    SYNTHFLOW_SUITE,
    launches,
    omnidimension_request,
    synthflow_request,
    synthflow_suite_request,
)
from support.workflow import registered

from agentsim.providers import create_provider
from agentsim.providers.base import ProviderName, SimulationProvider
from agentsim.providers.bluejay import BluejayProvider, SimulationSpec
from agentsim.providers.errors import ProviderError, ProviderUnavailable
from agentsim.providers.retry import RetryPolicy
from agentsim.providers.synthflow import session_id_for
from agentsim.runs.claims import DynamoLaunchClaims
from agentsim.runs.errors import LaunchBusy, LaunchTaken
from agentsim.runs.record import RunRecord, RunStatus
from agentsim.runs.services import Services
from agentsim.runs.start import start
from agentsim.runs.stop import stop
from agentsim_local.emulator import EmulatorServer


@pytest.fixture
def hurried(services: Services, stack: Stack) -> Services:
    """Clients that give up quickly: a 0.5 s read timeout, two tries per call."""

    def make(name: ProviderName) -> SimulationProvider:
        return create_provider(
            name,
            API_KEYS[name.value],
            base_url=stack.base_urls[name.value],
            timeout=0.5,
            retry=RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02),
        )

    return replace(services, providers=make)


def started(services: Services, run_id: str, request: dict[str, Any]) -> RunRecord:
    start(services, registered(services, run_id, request))
    return services.runs.get(run_id)


def scope_is_free(services: Services, scope: str) -> bool:
    """Whether a run could take `scope` right now (tried as a throwaway run, then let go)."""
    assert isinstance(services.claims, DynamoLaunchClaims)
    probe = replace(services.claims, wait_seconds=0)
    try:
        probe.hold(scope, "probe")
    except LaunchBusy:
        return False
    probe.release(scope, "probe")
    return True


def calls(emulator: EmulatorServer, provider: str, path_part: str) -> list[dict[str, Any]]:
    return [c for c in emulator.calls.list(provider) if path_part in c["path"]]  # type: ignore[arg-type]


def shared_bluejay_simulation(stack: Stack) -> str:
    """An existing Bluejay simulation, made outside any run."""
    with BluejayProvider(API_KEYS["bluejay"], base_url=stack.base_urls["bluejay"]) as bluejay:
        return bluejay.prepare(SimulationSpec(agent_id="12", name="Shared line")).simulation_id


def on(simulation_id: str) -> dict[str, Any]:
    return {"provider": "bluejay", "simulation_id": simulation_id}


# a launch that answered -------------------------------------------------------------------------


def test_a_launch_that_answered_is_claimed_and_its_scope_let_go(
    services: Services, stack: Stack
) -> None:
    simulation_id = shared_bluejay_simulation(stack)

    record = started(services, "run-a", on(simulation_id))

    assert services.require_claims().owner(f"bluejay:run:{record.provider_run_id}") == "run-a"
    assert scope_is_free(services, f"bluejay:simulation:{simulation_id}")


# a lost answer ----------------------------------------------------------------------------------


def test_a_candidate_claimed_by_another_run_is_skipped(
    hurried: Services, stack: Stack, emulator: EmulatorServer
) -> None:
    # Given run A queued on the shared simulation (and claimed it), then run B's queue lost in
    # a gateway error that started nothing
    simulation_id = shared_bluejay_simulation(stack)
    first = started(hurried, "run-a", on(simulation_id))
    emulator.faults.add(provider="bluejay", kind="html", path_contains="queue", times=1)
    registered(hurried, "run-b", on(simulation_id))
    with pytest.raises(ProviderUnavailable) as lost:
        start(hurried, "run-b")
    assert lost.value.ambiguous

    # When the workflow retries B: A's run is the one candidate there is
    start(hurried, "run-b")

    # Then B did not take it: it looked, found it claimed, and queued its own
    second = hurried.runs.get("run-b")
    assert calls(emulator, "bluejay", "get-simulation-runs")
    assert second.status is RunStatus.RUNNING
    assert second.provider_run_id != first.provider_run_id
    assert len(launches(emulator, "bluejay")) == 2


def test_a_suite_never_follows_a_single_case_session(
    hurried: Services, emulator: EmulatorServer
) -> None:
    # Given a single case of the suite run on the same agent, then a suite run whose execute
    # was lost in a gateway error that started nothing
    single = started(hurried, "run-case", synthflow_request(SYNTHFLOW_PASSING_CASE))
    emulator.faults.add(provider="synthflow", kind="html", path_contains="execute", times=1)
    registered(hurried, "run-suite", synthflow_suite_request())
    with pytest.raises(ProviderUnavailable):
        start(hurried, "run-suite")

    # When the workflow retries the suite run
    start(hurried, "run-suite")

    # Then it executed the suite rather than follow the one-case session
    suite = hurried.runs.get("run-suite")
    assert single.provider_run_id == session_id_for("run-case")
    assert suite.handle is not None and suite.handle.kind == "session"
    assert suite.provider_run_id != single.provider_run_id
    assert len(calls(emulator, "synthflow", "/execute")) == 2
    with hurried.providers(ProviderName.SYNTHFLOW) as synthflow:
        assert synthflow.results(suite.handle).total == 3


def test_a_session_that_may_still_be_filling_up_is_waited_for_not_executed_again(
    hurried: Services, stack: Stack, emulator: EmulatorServer
) -> None:
    # Given a session of the agent holding one of the suite's cases that no run claims (a
    # suite execution still filling up looks the same), and a suite run whose execute was lost
    headers = {"Authorization": f"Bearer {API_KEYS['synthflow']}"}
    with httpx.Client(base_url=stack.base_urls["synthflow"], headers=headers) as http:
        body = {
            "simulation_case_id": SYNTHFLOW_PASSING_CASE,
            "target_agent_id": SYNTHFLOW_AGENT,
            "simulation_session_id": str(uuid.uuid4()),
        }
        http.post("simulations", json=body).raise_for_status()
    emulator.faults.add(provider="synthflow", kind="html", path_contains="execute", times=1)
    registered(hurried, "run-suite", synthflow_suite_request())
    with pytest.raises(ProviderUnavailable):
        start(hurried, "run-suite")

    # When the workflow retries it
    with pytest.raises(ProviderUnavailable, match="still filling up") as waiting:
        start(hurried, "run-suite")

    # Then it neither followed that session nor executed the suite again, and keeps its scope
    assert waiting.value.ambiguous
    assert hurried.runs.get("run-suite").handle is None
    assert len(calls(emulator, "synthflow", "/execute")) == 1
    assert not scope_is_free(hurried, f"synthflow:agent:{SYNTHFLOW_AGENT}:suite:{SYNTHFLOW_SUITE}")


# refusals that started nothing -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "run"),
    [
        ({"kind": "429"}, None),
        ({"kind": "5xx", "status": 503}, None),
        ({}, {"digital_human_ids": ["999999"]}),  # a 404 in Bluejay's words
    ],
    ids=["429", "503-in-bluejay-words", "404-in-bluejay-words"],
)
def test_a_refused_launch_is_not_reconciled_but_sent_again_cleanly(
    hurried: Services,
    stack: Stack,
    emulator: EmulatorServer,
    fault: dict[str, Any],
    run: dict[str, Any] | None,
) -> None:
    # Given every queue refused in a way that proves nothing was queued
    simulation_id = shared_bluejay_simulation(stack)
    if fault:
        emulator.faults.add(provider="bluejay", path_contains="queue", times=2, **fault)
    request = {**on(simulation_id), **({"run": run} if run else {})}
    registered(hurried, "run-a", request)

    with pytest.raises(ProviderError) as refused:
        start(hurried, "run-a")

    # Then the attempt is forgotten and the scope let go: nothing to reconcile
    assert refused.value.ambiguous is False
    assert hurried.runs.get("run-a").launch_attempted_at is None
    assert scope_is_free(hurried, f"bluejay:simulation:{simulation_id}")
    if fault:
        # And the retry queues at once, without looking for a launch that never happened
        start(hurried, "run-a")
        assert hurried.runs.get("run-a").status is RunStatus.RUNNING
        assert calls(emulator, "bluejay", "get-simulation-runs") == []
        assert len(launches(emulator, "bluejay")) == 1


# OmniDimension: the simulation is the run ------------------------------------------------------


def test_a_simulation_followed_by_a_live_run_is_not_started_for_another(
    services: Services, emulator: EmulatorServer
) -> None:
    # Given run A running an OmniDimension simulation
    emulator.configure(call_seconds=30)
    first = started(services, "run-a", omnidimension_request())
    assert first.simulation_id is not None
    again = {"provider": "omnidimension", "simulation_id": first.simulation_id}

    # When run B is asked to run the same simulation meanwhile
    registered(services, "run-b", again)
    with pytest.raises(LaunchTaken, match="run-a"):
        start(services, "run-b")

    # Then B never called start (it would follow A's run), and once A ended a run may
    assert len(launches(emulator, "omnidimension")) == 1
    stop(services, "run-a")
    third = started(services, "run-c", again)
    assert third.status is RunStatus.RUNNING
    assert (
        services.require_claims().owner(f"omnidimension:simulation:{first.simulation_id}")
        == "run-c"
    )
    assert len(launches(emulator, "omnidimension")) == 2
