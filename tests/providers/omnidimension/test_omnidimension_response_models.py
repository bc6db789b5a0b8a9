"""OmniDimension response bodies: every documented example and every quirk parses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from support.omni_fake import (
    DELETE_RESPONSE,
    ENHANCE_RESPONSE,
    LIST_RESPONSE,
    SEED_CREATE_RESPONSE,
    SEED_GET_RESPONSE,
    SEED_UPDATE_RESPONSE,
    START_RESPONSE,
    STOP_REFUSED,
    STOP_RESPONSE,
    recording,
    simulation,
)

from agentsim.providers.omnidimension import responses


def parse(**overrides: Any) -> responses.Simulation:
    return responses.Simulation.model_validate(simulation(**overrides))


# Every documented example --------------------------------------------------------------------


@pytest.mark.parametrize(
    "body", [SEED_CREATE_RESPONSE, SEED_GET_RESPONSE], ids=["seed-000-create", "seed-002-get"]
)
def test_the_seed_create_and_get_examples_parse_with_every_field(body: dict[str, Any]) -> None:
    sim = responses.SimulationAnswer.model_validate(body).simulation
    assert (sim.id, sim.name, sim.status) == ("456", "Customer Support Test", "Draft")
    assert (sim.agent_id, sim.bot_id and sim.bot_id.name) == ("1234", "Customer Support Agent")
    assert (sim.number_of_call_to_make, sim.concurrent_call_count) == (1, 3)
    assert sim.max_call_duration_in_minutes == 3
    assert (sim.progress, sim.total_records, sim.can_stop, sim.active_calls_count) == (
        0,
        0,
        False,
        0,
    )
    assert sim.analytics is not None
    assert (sim.analytics.positive, sim.analytics.negative, sim.analytics.neutral) == (0, 0, 0)
    assert sim.create_date == datetime(2026, 5, 8, 9, 10, 29, tzinfo=UTC)
    assert (sim.scenarios_ids, sim.simulation_call_recording) == ([], [])


def test_the_seed_update_example_parses_although_it_is_partial() -> None:
    sim = responses.SimulationAnswer.model_validate(SEED_UPDATE_RESPONSE).simulation
    assert (sim.id, sim.name, sim.max_call_duration_in_minutes) == (
        "456",
        "Customer Support Test (Updated)",
        5,
    )
    assert (sim.progress, sim.summary, sim.scenarios_ids) == (None, None, [])


def test_the_list_example_parses() -> None:
    page = responses.SimulationPage.model_validate(LIST_RESPONSE)
    assert [r.id for r in page.records] == ["456"]
    assert page.total_records == 0


def test_the_start_example_parses_with_its_partial_simulation() -> None:
    started = responses.StartedSimulation.model_validate(START_RESPONSE)
    assert started.simulation is not None
    assert (started.success, started.simulation.status) == (True, "Pending")


def test_the_stop_example_parses_with_its_disconnect_counts() -> None:
    stopped = responses.StoppedSimulation.model_validate(STOP_RESPONSE)
    assert stopped.success is True
    assert stopped.disconnect_results is not None
    assert stopped.disconnect_results.pending_stopped == 0


def test_the_stop_refusal_parses_without_disconnect_results() -> None:
    stopped = responses.StoppedSimulation.model_validate(STOP_REFUSED)
    assert (stopped.success, stopped.disconnect_results) == (False, None)


def test_the_delete_example_parses() -> None:
    assert responses.DeletedSimulation.model_validate(DELETE_RESPONSE).message == (
        "Simulation deleted successfully"
    )


def test_the_enhance_prompt_example_parses() -> None:
    enhanced = responses.EnhancedPrompt.model_validate(ENHANCE_RESPONSE)
    assert [s.title for s in enhanced.prompt_breakdown] == ["Goal"]
    assert [s.title for s in enhanced.previous_context] == ["Agent prompt"]


# Quirks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("progress", "expected"),
    [([0], 0), ([55], 55), (55, 55), (33.5, 33.5), ("70", 70), ([], None), (None, None),
     ("soon", None)],
)  # fmt: skip
def test_progress_is_read_from_the_one_element_array_or_a_bare_number(
    progress: object, expected: float | None
) -> None:
    assert parse(progress=progress).progress == expected


@pytest.mark.parametrize(
    "field", ["what_went_wrong", "suggestions_for_improvement", "prompt_suggestion", "summary"]
)
def test_string_or_false_fields_read_false_as_none_and_keep_text(field: str) -> None:
    assert getattr(parse(**{field: False}), field) is None
    assert getattr(parse(**{field: "Callers were not greeted."}), field) == (
        "Callers were not greeted."
    )


@pytest.mark.parametrize("value", [456, "456"])
def test_simulation_ids_sent_as_int_or_str_are_held_as_the_same_text(value: object) -> None:
    assert parse(id=value).id == "456"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("05/06/2026 13:31:54", datetime(2026, 5, 6, 13, 31, 54, tzinfo=UTC)),
        ("12/31/2025 23:59:59", datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("05/06/2026", datetime(2026, 5, 6, tzinfo=UTC)),
        ("2026-05-06T13:31:54Z", datetime(2026, 5, 6, 13, 31, 54, tzinfo=UTC)),
        ("2026-05-06T13:31:54", datetime(2026, 5, 6, 13, 31, 54, tzinfo=UTC)),
        ("13/31/2026 10:00:00", None),
        ("last tuesday", None),
        (None, None),
    ],
)
def test_create_date_is_read_month_first_or_iso_and_never_fails_the_body(
    value: str | None, expected: datetime | None
) -> None:
    assert parse(create_date=value).create_date == expected


@pytest.mark.parametrize(
    ("bot", "agent_id", "name"),
    [
        ({"id": 1234, "name": "Support"}, "1234", "Support"),
        (1234, "1234", None),
        ("1234", "1234", None),
        (None, None, None),
    ],
)
def test_bot_id_may_be_an_object_or_a_bare_id(
    bot: object, agent_id: str | None, name: str | None
) -> None:
    sim = parse(bot_id=bot)
    assert sim.agent_id == agent_id
    assert (sim.bot_id.name if sim.bot_id else None) == name


@pytest.mark.parametrize("field", ["scenarios_ids", "simulation_call_recording"])
def test_missing_or_null_lists_are_empty(field: str) -> None:
    assert getattr(parse(**{field: None}), field) == []
    body = simulation()
    del body[field]
    assert getattr(responses.Simulation.model_validate(body), field) == []


def test_scenarios_ids_entries_may_be_objects_or_bare_ids() -> None:
    sim = parse(scenarios_ids=[{"id": 5001, "name": "Book", "extra": 1}, 5002, "5003"])
    assert [(s.id, s.name) for s in sim.scenarios_ids] == [
        ("5001", "Book"),
        ("5002", None),
        ("5003", None),
    ]


@pytest.mark.parametrize("status", ["Draft", "In Progress", "Calculating Summary", "Paused", None])
def test_any_status_word_parses(status: str | None) -> None:
    assert parse(status=status).status == status


def test_unknown_fields_are_kept_in_raw() -> None:
    raw = parse(new_field={"a": 1}, id=7).raw()
    assert raw["new_field"] == {"a": 1}
    assert raw["id"] == "7"
    assert raw["analyticsData"] == {"Positive": 0, "Negative": 0, "Neutral": 0}


def test_a_body_without_a_simulation_id_is_refused() -> None:
    body = simulation()
    del body["id"]
    with pytest.raises(ValueError, match="id"):
        responses.Simulation.model_validate(body)


# Call recordings -----------------------------------------------------------------------------


def test_a_call_recording_in_the_emulator_shape_parses() -> None:
    rec = responses.CallRecording.model_validate(recording(9001, 5001, "Book"))
    assert (rec.id, rec.scenario_id, rec.scenario_name, rec.call_number) == (
        "9001",
        "5001",
        "Book",
        1,
    )
    assert (rec.call_status, rec.duration_seconds) == ("completed", 42.5)
    assert rec.call_report is not None
    assert rec.call_report.summary == "The agent handled Book."
    assert rec.call_report.full_conversation == (
        "user: I would like a table\nassistant: Booked for two."
    )
    assert len(rec.call_report.interactions) == 2


def test_a_recording_url_of_false_means_no_recording() -> None:
    assert (
        responses.CallRecording.model_validate(
            recording(1, 2, "x", recording_url=False)
        ).recording_url
        is None
    )


def test_a_full_conversation_may_be_a_list_of_turns_under_either_spelling() -> None:
    turns = [{"role": "user", "content": "hi"}]
    for key in ("full_conversation", "fullConversation"):
        rec = responses.CallRecording.model_validate({"call_report": {key: turns}})
        assert rec.call_report is not None
        assert rec.call_report.full_conversation == turns


def test_a_bare_recording_with_no_report_parses() -> None:
    rec = responses.CallRecording.model_validate({})
    assert (rec.id, rec.call_report, rec.duration_seconds) == (None, None, None)


def test_a_duration_under_the_name_duration_is_read() -> None:
    assert responses.CallRecording.model_validate({"duration": "61"}).duration_seconds == 61.0


def test_recordings_are_read_from_the_simulation() -> None:
    sim = parse(simulation_call_recording=[recording(1, 5001, "A"), recording(2, 5001, "A")])
    assert [r.id for r in sim.simulation_call_recording] == ["1", "2"]
