"""BluejayProvider: the neutral contract on top of the raw client."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from pydantic import ValidationError
from support.bluejay_fake import (
    QUEUE_RESPONSE,
    SEED_CREATE_RESPONSE,
    FakeBluejay,
    digital_humans,
    evaluation,
    listing_runs,
    make_provider,
    ok,
    result,
    run_record,
    run_results,
    simulation,
)

from agentsim.providers.base import CaseVerdict, SimulationStatus
from agentsim.providers.bluejay import (
    BluejayLaunched,
    BluejayPrepared,
    RunOptions,
    SimulationSpec,
)
from agentsim.providers.errors import ProviderNotFound, ProviderRejected

PREPARED = BluejayPrepared(simulation_id="123", prepared="existing")
LAUNCHED = BluejayLaunched(
    simulation_id="123", prepared="existing", run_id="789", result_ids=["1001", "1002"]
)
RESULTS = "/v1/retrieve-simulation-results/789"
END = "/v1/end-conversations"


# prepare -------------------------------------------------------------------------------------


def test_prepare_with_a_spec_only_creates_a_simulation() -> None:
    fake = FakeBluejay().on("POST", "/v1/create-simulation", ok(SEED_CREATE_RESPONSE))
    prepared = make_provider(fake).prepare(SimulationSpec(agent_id="12", name="Checkout"))
    assert fake.body() == {"agent_id": "12", "name": "Checkout"}
    assert (prepared.provider, prepared.simulation_id, prepared.run_id) == ("bluejay", "123", None)


def test_prepare_with_an_id_only_just_checks_the_simulation_exists() -> None:
    fake = FakeBluejay().on("GET", "/v1/simulation/123", ok(simulation()))
    prepared = make_provider(fake).prepare(None, simulation_id="123")
    assert prepared.simulation_id == "123"
    assert [r.method for r in fake.requests] == ["GET"]


def test_prepare_of_a_missing_simulation_is_not_found() -> None:
    fake = FakeBluejay().on("GET", "/v1/simulation/404", httpx.Response(404, json={"detail": "x"}))
    with pytest.raises(ProviderNotFound):
        make_provider(fake).prepare(None, simulation_id="404")


def test_prepare_with_spec_and_id_sends_a_partial_update_without_agent_id() -> None:
    fake = (
        FakeBluejay()
        .on("GET", "/v1/simulation/123", ok(simulation(agent_id=12)))
        .on("PUT", "/v1/simulation/123", ok(simulation(name="v2")))
    )
    spec = SimulationSpec(
        agent_id="12", name="v2", max_call_duration=90, max_call_duration_units="seconds"
    )
    prepared = make_provider(fake).prepare(spec, simulation_id="123")
    assert [r.method for r in fake.requests] == ["GET", "PUT"]
    assert fake.body() == {
        "name": "v2",
        "max_call_duration": 90,
        "max_call_duration_units": "seconds",
    }
    assert prepared.simulation_id == "123"


def test_prepare_refuses_to_move_a_simulation_to_another_agent() -> None:
    fake = FakeBluejay().on("GET", "/v1/simulation/123", ok(simulation(agent_id=99)))
    with pytest.raises(ProviderRejected, match="agent_id"):
        make_provider(fake).prepare(SimulationSpec(agent_id="12"), simulation_id="123")
    assert [r.method for r in fake.requests] == ["GET"]


def test_prepare_refuses_a_field_no_update_accepts() -> None:
    fake = FakeBluejay().on("GET", "/v1/simulation/123", ok(simulation()))
    spec = SimulationSpec(agent_id="12", sequential_calling=True)
    with pytest.raises(ProviderRejected, match="sequential_calling"):
        make_provider(fake).prepare(spec, simulation_id="123")
    assert [r.method for r in fake.requests] == ["GET"]


def test_prepare_with_nothing_is_a_caller_error() -> None:
    with pytest.raises(ValueError, match="simulation_id"):
        make_provider(FakeBluejay()).prepare(None)


# launch and find_launch ----------------------------------------------------------------------


def test_launch_queues_the_simulation_and_keeps_run_and_result_ids() -> None:
    fake = FakeBluejay().on("POST", "/v1/queue-simulation-run", ok(QUEUE_RESPONSE))
    options = RunOptions.model_validate({"digital_human_ids": [45, 46]})
    launched = make_provider(fake).launch(PREPARED, options, idempotency_key="run-1")
    assert fake.body() == {"simulation_id": "123", "digital_human_ids": ["45", "46"]}
    assert (launched.simulation_id, launched.run_id) == ("123", "789")
    assert launched.result_ids == ["1001", "1002", "1003"]


def found_since(attempted_at: datetime, *runs: dict[str, Any]) -> BluejayLaunched | None:
    """What find_launch takes among `runs` of simulation 123 after an attempt at `attempted_at`."""
    provider = make_provider(listing_runs(*runs))
    return provider.find_launch(PREPARED, idempotency_key="run-1", attempted_at=attempted_at)


def test_find_launch_takes_the_newest_run_created_since_the_attempt() -> None:
    found = found_since(
        datetime(2025, 11, 20, 10, 0, tzinfo=UTC),
        run_record(5, "2025-11-20T09:00:00Z"),
        run_record(6, "2025-11-20T10:00:05Z"),
        run_record(7, "2025-11-20T10:00:09+00:00"),
    )
    assert found is not None
    assert (found.simulation_id, found.run_id) == ("123", "7")


def test_find_launch_allows_for_bluejays_clock_being_slightly_behind() -> None:
    # naive: UTC, 40 s before our attempt
    found = found_since(
        datetime(2025, 11, 20, 10, 0, tzinfo=UTC), run_record(8, "2025-11-20T09:59:20")
    )
    assert found is not None
    assert found.run_id == "8"


def test_find_launch_ignores_older_runs_and_runs_without_a_date() -> None:
    runs = [run_record(5, "2025-11-20T09:00:00Z"), run_record(9, None)]
    assert found_since(datetime(2025, 11, 20, 10, 0), *runs) is None


# poll and results ----------------------------------------------------------------------------


def test_poll_reads_the_run_results() -> None:
    fake = FakeBluejay().on(
        "GET", RESULTS, ok(run_results("RUNNING", result(1, "COMPLETED"), result(2, "RUNNING")))
    )
    polled = make_provider(fake).poll(LAUNCHED)
    assert (polled.status, polled.progress, polled.provider_status) == (
        SimulationStatus.RUNNING,
        50,
        "RUNNING",
    )


def test_a_launched_handle_always_names_its_run() -> None:
    with pytest.raises(ValidationError, match="run_id"):
        BluejayLaunched.model_validate({"simulation_id": "123", "prepared": "existing"})


def test_results_give_one_case_per_conversation_with_totals_and_names() -> None:
    body = run_results(
        "COMPLETED",
        result(1001, "COMPLETED", evaluation(True, "booked")),
        result(1002, "COMPLETED", evaluation(False, "gave up")),
        result(1003, "INCOMPLETED"),
        total_tests=3,
        tests_passed=1,
        tests_failed=2,
        summary="1 of 3 passed",
    )
    fake = (
        FakeBluejay()
        .on("GET", RESULTS, ok(body))
        .on(
            "GET", "/v1/digital-humans-by-simulation/123", ok(digital_humans((41, "Polite caller")))
        )
    )
    results = make_provider(fake).results(LAUNCHED)
    assert (results.total, results.passed, results.failed) == (3, 1, 2)
    assert results.has_verdicts is True
    assert results.summary == "1 of 3 passed"
    assert [(c.case_id, c.verdict) for c in results.cases] == [
        ("1001", CaseVerdict.PASSED),
        ("1002", CaseVerdict.FAILED),
        ("1003", CaseVerdict.FAILED),
    ]
    assert results.cases[0].name == "Polite caller"
    assert results.cases[1].reasoning == "gave up"
    assert results.raw["id"] == "789"


def test_results_survive_when_digital_human_names_are_unavailable() -> None:
    fake = (
        FakeBluejay()
        .on("GET", RESULTS, ok(run_results("COMPLETED", result(1, "COMPLETED", evaluation(True)))))
        .on(
            "GET",
            "/v1/digital-humans-by-simulation/123",
            httpx.Response(403, json={"detail": "no"}),
        )
    )
    results = make_provider(fake).results(LAUNCHED)
    assert (results.total, results.passed, results.failed) == (1, 1, 0)
    assert results.cases[0].name is None


# stop ----------------------------------------------------------------------------------------


def test_stop_ends_only_the_conversations_not_yet_ended() -> None:
    body = run_results(
        "RUNNING",
        result(1, "COMPLETED"),
        result(2, "RUNNING"),
        result(3, "QUEUED"),
        result(4, "EVALUATING"),
    )
    fake = (
        FakeBluejay()
        .on("GET", RESULTS, ok(body))
        .on(
            "POST",
            END,
            ok({"success": True, "ended_count": 2, "test_result_ids": [2, 3], "message": "ok"}),
        )
    )
    make_provider(fake).stop(LAUNCHED)
    assert fake.body() == {"test_result_ids": [2, 3]}


def test_stop_with_nothing_running_does_nothing() -> None:
    fake = FakeBluejay().on("GET", RESULTS, ok(run_results("COMPLETED", result(1, "COMPLETED"))))
    make_provider(fake).stop(LAUNCHED)
    assert fake.calls("POST") == []


def test_stop_before_results_exist_ends_the_queued_result_ids() -> None:
    fake = (
        FakeBluejay()
        .on("GET", RESULTS, ok(run_results("INITIALIZING")))
        .on(
            "POST",
            END,
            ok(
                {
                    "success": True,
                    "ended_count": 2,
                    "test_result_ids": [1001, 1002],
                    "message": "ok",
                }
            ),
        )
    )
    make_provider(fake).stop(LAUNCHED)
    assert fake.body() == {"test_result_ids": [1001, 1002]}


def test_stop_refused_by_bluejay_is_rejected() -> None:
    fake = (
        FakeBluejay()
        .on("GET", RESULTS, ok(run_results("RUNNING", result(2, "RUNNING"))))
        .on(
            "POST",
            END,
            ok(
                {
                    "success": False,
                    "ended_count": 0,
                    "test_result_ids": [2],
                    "failed_ids": [2],
                    "message": "nope",
                }
            ),
        )
    )
    with pytest.raises(ProviderRejected, match="nope"):
        make_provider(fake).stop(LAUNCHED)


def test_stop_refused_for_queued_ids_but_ending_the_running_ones_is_a_stop() -> None:
    # Given one call running and one still queued, which Bluejay cannot end yet
    fake = (
        FakeBluejay()
        .on("GET", RESULTS, ok(run_results("RUNNING", result(2, "RUNNING"), result(3, "QUEUED"))))
        .on("POST", END, ok({"success": False, "ended_count": 1, "test_result_ids": [2],
                             "failed_ids": [3], "message": "1 not running"}))
    )  # fmt: skip
    # When we stop, Then no error: the running call was ended
    make_provider(fake).stop(LAUNCHED)
    assert fake.body() == {"test_result_ids": [2, 3]}


def test_stop_refused_because_the_calls_just_ended_is_not_an_error() -> None:
    fake = (
        FakeBluejay()
        .on("GET", RESULTS, ok(run_results("RUNNING", result(2, "RUNNING"))),
            ok(run_results("RUNNING", result(2, "EVALUATING"))))
        .on("POST", END, ok({"success": False, "ended_count": 0, "test_result_ids": [],
                             "failed_ids": [2], "message": "not running"}))
    )  # fmt: skip
    make_provider(fake).stop(LAUNCHED)
    assert len(fake.calls("GET", RESULTS)) == 2


def test_stop_with_some_ids_not_ended_still_succeeds() -> None:
    fake = (
        FakeBluejay()
        .on("GET", RESULTS, ok(run_results("RUNNING", result(2, "RUNNING"), result(3, "QUEUED"))))
        .on(
            "POST",
            END,
            ok(
                {
                    "success": True,
                    "ended_count": 1,
                    "test_result_ids": [2, 3],
                    "failed_ids": [3],
                    "message": "partly",
                }
            ),
        )
    )
    make_provider(fake).stop(LAUNCHED)
    assert len(fake.calls("POST", END)) == 1


# expected duration ---------------------------------------------------------------------------


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
