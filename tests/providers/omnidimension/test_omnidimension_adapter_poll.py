"""OmniDimensionProvider.poll: each status word mapped to a neutral status, progress clamped."""

from __future__ import annotations

from typing import Any

import pytest
from support.omni_adapter import GET, launched
from support.omni_fake import FakeOmni, answer, make_provider, ok

from agentsim.providers.base import SimulationStatus


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
