"""OmniDimensionProvider: the neutral contract on top of the raw client."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from support.omni_fake import (
    SEED_CREATE_RESPONSE,
    START_RESPONSE,
    STOP_REFUSED,
    STOP_RESPONSE,
    FakeOmni,
    answer,
    make_provider,
    ok,
    recording,
    scenario_record,
)

from agentsim.providers import create_provider
from agentsim.providers.base import CaseVerdict, SimulationStatus
from agentsim.providers.errors import ProviderNotFound, ProviderRejected
from agentsim.providers.omnidimension import (
    OmniDimensionLaunched,
    OmniDimensionPrepared,
    RunOptions,
    SimulationSpec,
)

GET = "/simulations/456"
START = "/simulations/456/start"
STOP = "/simulations/456/stop"
AT = datetime(2026, 5, 8, 9, 15, tzinfo=UTC)


def scenario(name: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "description": f"Caller: {name}", "expected_result": "handled", **fields}


def spec(*scenarios: dict[str, Any], **fields: Any) -> SimulationSpec:
    return SimulationSpec.model_validate(
        {
            "name": "Dental clinic",
            "agent_id": 158910,
            "scenarios": list(scenarios) or [scenario("Book")],
            **fields,
        }
    )


def prepared(status: str | None = "Draft") -> OmniDimensionPrepared:
    return OmniDimensionPrepared(simulation_id="456", prepared="created", prepared_status=status)


def launched() -> OmniDimensionLaunched:
    return OmniDimensionLaunched(simulation_id="456", prepared="created", prepared_status="Draft")


def test_the_registry_passes_the_http_options_through() -> None:
    fake = FakeOmni().on("GET", GET, ok(answer()))
    provider = create_provider(
        "omnidimension", "omni-key-123", base_url="http://omni.test/api/v1",
        transport=httpx.MockTransport(fake), sleep=lambda _: None,
    )  # fmt: skip
    provider.prepare(None, simulation_id="456")
    assert str(fake.requests[0].url) == "http://omni.test/api/v1/simulations/456"


# prepare -------------------------------------------------------------------------------------


def test_prepare_with_a_spec_only_creates_a_draft() -> None:
    fake = FakeOmni().on("POST", "/simulations", ok(SEED_CREATE_RESPONSE))
    handle = make_provider(fake).prepare(spec())
    assert fake.body() == spec().body()
    assert (handle.provider, handle.simulation_id, handle.run_id) == ("omnidimension", "456", None)
    assert (handle.prepared, handle.prepared_status) == ("created", "Draft")


def test_prepare_with_an_id_only_just_checks_the_simulation_exists() -> None:
    fake = FakeOmni().on("GET", GET, ok(answer(status="Completed")))
    handle = make_provider(fake).prepare(None, simulation_id="456")
    assert [r.method for r in fake.requests] == ["GET"]
    assert handle.simulation_id == "456"
    assert (handle.prepared, handle.prepared_status) == ("existing", "Completed")


def test_prepare_of_a_missing_simulation_is_not_found() -> None:
    fake = FakeOmni().on("GET", "/simulations/404", httpx.Response(404, json={"error": "gone"}))
    with pytest.raises(ProviderNotFound, match="gone"):
        make_provider(fake).prepare(None, simulation_id="404")


def test_prepare_with_nothing_is_a_caller_error() -> None:
    with pytest.raises(ValueError, match="simulation_id"):
        make_provider(FakeOmni()).prepare(None)


def test_prepare_with_spec_and_id_puts_the_full_spec() -> None:
    fake = FakeOmni().on("GET", GET, ok(answer())).on("PUT", GET, ok(answer(name="v2")))
    handle = make_provider(fake).prepare(spec(name="v2"), simulation_id="456")
    assert [r.method for r in fake.requests] == ["GET", "PUT"]
    assert fake.body() == spec(name="v2").body()
    assert (handle.prepared, handle.prepared_status) == ("updated", "Draft")


def test_prepare_update_keeps_the_ids_of_scenarios_sent_again_by_name() -> None:
    # Given a simulation holding two scenarios
    existing = [scenario_record(5001, "Book"), scenario_record(5002, "Cancel")]
    fake = (
        FakeOmni().on("GET", GET, ok(answer(scenarios_ids=existing))).on("PUT", GET, ok(answer()))
    )
    # When the same scenarios come back without ids, plus a new one
    make_provider(fake).prepare(
        spec(scenario("Cancel"), scenario("Book"), scenario("Reschedule")), simulation_id="456"
    )
    # Then the existing ones are updated in place and only the new one is added
    assert [s.get("id") for s in fake.body()["scenarios"]] == [5002, 5001, None]


def test_prepare_update_never_reassigns_an_id_the_spec_already_names() -> None:
    existing = [scenario_record(5001, "Book"), scenario_record(5002, "Book again")]
    fake = (
        FakeOmni().on("GET", GET, ok(answer(scenarios_ids=existing))).on("PUT", GET, ok(answer()))
    )
    make_provider(fake).prepare(
        spec(scenario("Renamed", id=5001), scenario("Book")), simulation_id="456"
    )
    assert [s.get("id") for s in fake.body()["scenarios"]] == [5001, None]


def test_prepare_update_leaves_a_name_shared_by_several_scenarios_as_new() -> None:
    existing = [scenario_record(5001, "Book"), scenario_record(5002, "Book")]
    fake = (
        FakeOmni().on("GET", GET, ok(answer(scenarios_ids=existing))).on("PUT", GET, ok(answer()))
    )
    make_provider(fake).prepare(spec(scenario("Book")), simulation_id="456")
    assert "id" not in fake.body()["scenarios"][0]


def test_prepare_update_refused_while_running_is_rejected() -> None:
    refusal = {
        "error": "invalid_state",
        "error_description": "Cannot update a simulation that is in progress",
    }
    fake = (
        FakeOmni()
        .on("GET", GET, ok(answer(status="In Progress")))
        .on("PUT", GET, httpx.Response(400, json=refusal))
    )
    with pytest.raises(ProviderRejected, match="in progress"):
        make_provider(fake).prepare(spec(), simulation_id="456")


# launch and find_launch ----------------------------------------------------------------------


def test_launch_starts_the_prepared_simulation_with_the_sdks_empty_body() -> None:
    fake = FakeOmni().on("POST", START, ok(START_RESPONSE))
    started = make_provider(fake).launch(prepared(), None, idempotency_key="run-1")
    assert fake.body() == {}
    assert (started.simulation_id, started.run_id) == ("456", None)
    assert (started.launched_status, started.prepared_status) == ("Pending", "Draft")


def test_launch_sends_the_run_options_scenarios() -> None:
    fake = FakeOmni().on("POST", START, ok(START_RESPONSE))
    options = RunOptions.model_validate({"scenarios": [scenario("Book", id=5001)]})
    make_provider(fake).launch(prepared(), options, idempotency_key="run-1")
    assert fake.body() == {"scenarios": [scenario("Book", id=5001)]}


def test_launch_refused_by_omnidimension_is_rejected() -> None:
    refusal = {
        "error": "invalid_request",
        "error_description": "Simulation has no scenarios to run",
    }
    fake = FakeOmni().on("POST", START, httpx.Response(400, json=refusal))
    with pytest.raises(ProviderRejected, match="no scenarios"):
        make_provider(fake).launch(prepared(), None, idempotency_key="run-1")


def find(fake: FakeOmni, handle: OmniDimensionPrepared) -> OmniDimensionLaunched | None:
    return make_provider(fake).find_launch(handle, idempotency_key="run-1", attempted_at=AT)


def test_find_launch_of_a_simulation_still_in_draft_finds_nothing() -> None:
    assert find(FakeOmni().on("GET", GET, ok(answer(status="Draft"))), prepared()) is None


@pytest.mark.parametrize(
    "status", ["Pending", "In Progress", "Calculating Summary", "Completed", "Stopped", "Queued"]
)
def test_find_launch_of_a_new_draft_that_moved_on_finds_the_start(status: str) -> None:
    found = find(FakeOmni().on("GET", GET, ok(answer(status=status))), prepared("Draft"))
    assert found is not None
    assert found.simulation_id == "456"
    assert (found.found, found.launched_status) == (True, status)


def test_find_launch_of_a_finished_simulation_that_did_not_change_finds_nothing() -> None:
    fake = FakeOmni().on("GET", GET, ok(answer(status="Completed")))
    assert find(fake, prepared("Completed")) is None


@pytest.mark.parametrize(("before", "now"), [("Completed", "Pending"), ("Stopped", "Completed")])
def test_find_launch_of_a_rerun_sees_the_change_since_prepare(before: str, now: str) -> None:
    assert find(FakeOmni().on("GET", GET, ok(answer(status=now))), prepared(before)) is not None


# poll ------------------------------------------------------------------------------------------


def poll(**fields: Any) -> Any:
    fake = FakeOmni().on("GET", GET, ok(answer(**fields)))
    return make_provider(fake).poll(launched())


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Draft", SimulationStatus.PENDING),
        ("Pending", SimulationStatus.PENDING),
        ("In Progress", SimulationStatus.RUNNING),
        ("Calculating Summary", SimulationStatus.RUNNING),
        ("Completed", SimulationStatus.COMPLETED),
        ("Stopped", SimulationStatus.STOPPED),
        ("Failed", SimulationStatus.FAILED),
        ("Error", SimulationStatus.FAILED),
        ("IN_PROGRESS", SimulationStatus.RUNNING),
        ("completed", SimulationStatus.COMPLETED),
        ("calculating-summary", SimulationStatus.RUNNING),
    ],
)
def test_each_status_word_maps_to_its_neutral_status(word: str, status: SimulationStatus) -> None:
    polled = poll(status=word)
    assert (polled.status, polled.provider_status) == (status, word)


@pytest.mark.parametrize("word", ["Paused", "Generating Report", None])
def test_an_unknown_status_is_running_with_the_word_kept(word: str | None) -> None:
    polled = poll(status=word, progress=[40])
    assert polled.status is SimulationStatus.RUNNING
    assert polled.provider_status == (word or "UNKNOWN")
    assert polled.message is not None
    assert "unrecognised" in polled.message
    assert polled.progress == 40


def test_a_known_status_that_is_not_a_failure_has_no_message() -> None:
    assert poll(status="In Progress").message is None


def test_a_failure_carries_what_went_wrong_as_its_message() -> None:
    polled = poll(status="Failed", what_went_wrong="The agent never answered.")
    assert polled.message == "The agent never answered."


def test_a_failure_without_an_explanation_says_which_status_it_was() -> None:
    assert poll(status="Error").message == "OmniDimension simulation Error"


@pytest.mark.parametrize(
    ("progress", "expected"), [([0], 0), ([45], 45), (67.9, 67), ([150], 100), ([-5], 0)]
)
def test_progress_is_read_from_the_array_and_clamped_to_0_100(
    progress: object, expected: int
) -> None:
    assert poll(status="In Progress", progress=progress).progress == expected


def test_progress_without_a_value_is_counted_from_the_finished_calls() -> None:
    polled = poll(status="In Progress", progress=[], total_records=4,
                  total_simulation_finished_records=1)  # fmt: skip
    assert polled.progress == 25


def test_a_completed_simulation_is_at_100_whatever_progress_says() -> None:
    assert poll(status="Completed", progress=[95]).progress == 100


# results ---------------------------------------------------------------------------------------


def results_of(**fields: Any) -> Any:
    fake = FakeOmni().on("GET", GET, ok(answer(**{"status": "Completed", **fields})))
    return make_provider(fake).results(launched())


def test_results_are_one_ungraded_case_per_call_recording() -> None:
    results = results_of(
        summary="All 2 calls met their expected results.",
        simulation_call_recording=[recording(9001, 5001, "Book"), recording(9002, 5002, "Cancel")],
    )
    assert (results.total, results.passed, results.failed) == (2, 0, 0)
    assert results.has_verdicts is False
    assert results.summary == "All 2 calls met their expected results."
    assert [(c.case_id, c.name, c.verdict) for c in results.cases] == [
        ("9001", "Book", CaseVerdict.NONE),
        ("9002", "Cancel", CaseVerdict.NONE),
    ]


def test_a_case_carries_the_call_report_recording_and_duration() -> None:
    (case,) = results_of(simulation_call_recording=[recording(9001, 5001, "Book")]).cases
    assert case.status == "completed"
    assert case.reasoning == "The agent handled Book."
    assert case.recording_url == "https://cdn.omnidim.example/rec/9001.wav"
    assert case.duration_seconds == 42.5
    assert case.raw["call_report"]["sentiment"] == "Positive"
    assert case.raw["id"] == "9001"


def test_a_text_conversation_becomes_role_and_content_turns() -> None:
    (case,) = results_of(simulation_call_recording=[recording(9001, 5001, "Book")]).cases
    assert case.transcript == [
        {"role": "user", "content": "I would like a table"},
        {"role": "assistant", "content": "Booked for two."},
    ]


def test_a_conversation_sent_as_turns_is_kept_as_is() -> None:
    turns = [{"speaker": "bot", "text": "Hello"}, {"speaker": "caller", "text": "Hi"}]
    rec = recording(9001, 5001, "Book", call_report={"full_conversation": turns})
    (case,) = results_of(simulation_call_recording=[rec]).cases
    assert case.transcript == turns


def test_without_a_full_conversation_the_interactions_are_the_transcript() -> None:
    interactions = [{"user_query": "hi", "bot_response": "hello"}]
    rec = recording(9001, 5001, "Book", call_report={"full_conversation": False,
                                                     "interactions": interactions})  # fmt: skip
    (case,) = results_of(simulation_call_recording=[rec]).cases
    assert case.transcript == interactions


def test_a_recording_without_report_or_ids_still_makes_a_case() -> None:
    rec = {"scenario_id": 5001, "call_number": 2, "recording_url": False}
    (case,) = results_of(
        simulation_call_recording=[rec], scenarios_ids=[scenario_record(5001, "Book")]
    ).cases
    assert (case.case_id, case.name, case.verdict) == ("5001-2", "Book", CaseVerdict.NONE)
    assert (case.reasoning, case.transcript, case.recording_url) == (None, None, None)


def test_results_keep_the_simulation_body_without_repeating_the_recordings() -> None:
    results = results_of(
        analyticsData={"Positive": 1, "Negative": 0, "Neutral": 0},
        simulation_call_recording=[recording(9001, 5001, "Book")],
    )
    assert results.raw["id"] == "456"
    assert results.raw["analyticsData"]["Positive"] == 1
    assert "simulation_call_recording" not in results.raw


def test_results_of_a_simulation_without_recordings_are_empty() -> None:
    results = results_of(status="Stopped", simulation_call_recording=[])
    assert (results.total, results.passed, results.failed, results.cases) == (0, 0, 0, [])
    assert results.summary is None


# stop ------------------------------------------------------------------------------------------


def test_stop_posts_stop_for_the_simulation() -> None:
    fake = FakeOmni().on("POST", STOP, ok(STOP_RESPONSE))
    make_provider(fake).stop(launched())
    assert [(r.method, r.url.path) for r in fake.requests] == [("POST", "/api/v1" + STOP)]


def test_stop_refused_with_success_false_is_rejected_with_the_providers_message() -> None:
    fake = FakeOmni().on("POST", STOP, ok(STOP_REFUSED))
    with pytest.raises(ProviderRejected, match="Simulation is not running"):
        make_provider(fake).stop(launched())


# expected duration ---------------------------------------------------------------------------


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
