"""BluejayProvider.stop: only the conversations not yet ended are ended; a partial refusal is
still a stop."""

from __future__ import annotations

import pytest
from support.bluejay_adapter import END, LAUNCHED, RESULTS
from support.bluejay_fake import FakeBluejay, make_provider, ok, result, run_results

from agentsim.providers.errors import ProviderRejected


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
