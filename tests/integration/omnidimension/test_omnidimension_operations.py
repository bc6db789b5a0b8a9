"""OmniDimensionProvider against the emulator: stop, list and delete, and enhance-prompt."""

from __future__ import annotations

import pytest
from support.lifecycle import poll_until_terminal, start_run
from support.omni_lifecycle import SPEC
from support.waiting import wait_until

from agentsim.providers.base import SimulationStatus
from agentsim.providers.errors import ProviderNotFound, ProviderRejected
from agentsim.providers.omnidimension import OmniDimensionProvider
from agentsim_local.emulator import EmulatorServer


def test_stop_mid_run_ends_the_simulation_stopped(
    emulator: EmulatorServer, provider: OmniDimensionProvider
) -> None:
    # Given calls that would last 30 s, under way
    emulator.configure(call_seconds=30)
    run = start_run(provider, SPEC, idempotency_key="agentsim-run-stop")
    wait_until(lambda: provider.poll(run).provider_status, lambda status: status == "In Progress")
    # When we stop
    provider.stop(run)
    # Then the simulation is Stopped at once, and a second stop is refused as not running
    polled = provider.poll(run)
    assert (polled.status, polled.provider_status) == (SimulationStatus.STOPPED, "Stopped")
    with pytest.raises(ProviderRejected) as caught:
        provider.stop(run)
    assert (caught.value.status_code, caught.value.operation) == (200, "stop_simulation")
    assert "not running" in caught.value.message


def test_stop_of_a_draft_is_refused(provider: OmniDimensionProvider) -> None:
    prepared = provider.prepare(SPEC)
    with pytest.raises(ProviderRejected, match="Draft"):
        provider.stop(prepared)


def test_list_pages_through_simulations_and_delete_removes_one(
    provider: OmniDimensionProvider,
) -> None:
    ids = [provider.client.create_simulation(SPEC).id for _ in range(3)]
    first = provider.client.list_simulations(pageno=1, pagesize=2)
    second = provider.client.list_simulations(pageno=2, pagesize=2)
    assert first.total_records == 3
    assert sorted(r.id for r in first.records + second.records) == sorted(ids)
    assert len(first.records) == 2
    provider.client.delete_simulation(ids[0])
    with pytest.raises(ProviderNotFound):
        provider.client.get_simulation(ids[0])
    assert provider.client.list_simulations(pagesize=150).total_records == 2


def test_enhance_prompt_is_refused_before_completion_and_answers_after(
    provider: OmniDimensionProvider,
) -> None:
    run = provider.prepare(SPEC)
    with pytest.raises(ProviderRejected) as caught:
        provider.client.enhance_prompt(run.simulation_id)
    assert caught.value.message.startswith("Enhanced prompt suggestions are only available")
    provider.launch(run, None, idempotency_key="agentsim-run-enhance")
    poll_until_terminal(provider, run)
    enhanced = provider.client.enhance_prompt(run.simulation_id)
    assert enhanced.prompt_breakdown
    assert all(s.title and s.prompt for s in enhanced.prompt_breakdown)
