"""BluejayProvider.expected_duration_seconds: batches of concurrent calls, their limit and units."""

from __future__ import annotations

from support.bluejay_fake import FakeBluejay, make_provider

from agentsim.providers.bluejay import RunOptions, SimulationSpec


def expected(simulation: SimulationSpec | None, run: RunOptions | None = None) -> float:
    return make_provider(FakeBluejay()).expected_duration_seconds(simulation, run)


def test_expected_duration_defaults_to_three_parallel_ten_minute_calls() -> None:
    assert expected(None) == 600 + 30


def test_expected_duration_uses_the_call_limit_and_its_units() -> None:
    assert expected(SimulationSpec(agent_id="1", max_call_duration=2)) == 120 + 30
    spec = SimulationSpec(agent_id="1", max_call_duration=45, max_call_duration_units="seconds")
    assert expected(spec) == 45 + 30


def test_expected_duration_counts_batches_of_max_concurrent_calls() -> None:
    spec = SimulationSpec(agent_id="1", max_call_duration=1, max_concurrent=2)
    options = RunOptions.model_validate({"digital_human_ids": [1, 2, 3, 4, 5]})
    assert expected(spec, options) == 3 * 60 + 30


def test_expected_duration_multiplies_runs_per_digital_human() -> None:
    spec = SimulationSpec(agent_id="1", max_call_duration=1, max_concurrent=3)
    options = RunOptions(runs_per_digital_human=2)
    assert expected(spec, options) == 2 * 60 + 30


def test_expected_duration_of_sequential_calling_is_one_call_at_a_time() -> None:
    spec = SimulationSpec(agent_id="1", max_call_duration=1, sequential_calling=True)
    assert expected(spec) == 3 * 60 + 30
