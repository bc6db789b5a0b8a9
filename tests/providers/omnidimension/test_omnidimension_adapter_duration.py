"""OmniDimensionProvider.expected_duration_seconds: waves of concurrent calls over the scenarios."""

from __future__ import annotations

from support.omni_adapter import scenario, spec
from support.omni_fake import FakeOmni, make_provider

from agentsim.providers.omnidimension import RunOptions, SimulationSpec


def expected(simulation: SimulationSpec | None, run: RunOptions | None = None) -> float:
    return make_provider(FakeOmni()).expected_duration_seconds(simulation, run)


def test_expected_duration_without_a_spec_is_one_wave_of_default_calls() -> None:
    assert expected(None) == 3 * 60


def test_expected_duration_of_one_call_is_its_maximum_length() -> None:
    assert expected(spec(max_call_duration_in_minutes=5)) == 5 * 60


def test_expected_duration_counts_waves_of_concurrent_calls_over_all_scenarios() -> None:
    # 3 scenarios x 3 calls = 9 calls, 2 at a time = 5 waves of 4 minutes
    many = spec(scenario("A"), scenario("B"), scenario("C"), number_of_call_to_make=3,
                concurrent_call_count=2, max_call_duration_in_minutes=4)  # fmt: skip
    assert expected(many) == 5 * 4 * 60


def test_expected_duration_uses_omnidimensions_default_concurrency_of_three() -> None:
    four = spec(scenario("A"), scenario("B"), scenario("C"), scenario("D"))
    assert expected(four) == 2 * 3 * 60


def test_expected_duration_counts_the_scenarios_given_at_start() -> None:
    options = RunOptions.model_validate({"scenarios": [scenario("A"), scenario("B")]})
    assert expected(spec(concurrent_call_count=1), options) == 2 * 3 * 60
