"""OmniDimensionProvider.results: one ungraded case per call recording, with its report and
transcript."""

from __future__ import annotations

from typing import Any

from support.omni_adapter import GET, launched
from support.omni_fake import FakeOmni, answer, make_provider, ok, recording, scenario_record

from agentsim.providers.base import CaseVerdict


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
