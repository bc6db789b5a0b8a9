"""BluejayProvider poll and results: one case per conversation, graded, named by digital human."""

from __future__ import annotations

import httpx
import pytest
from pydantic import ValidationError
from support.bluejay_adapter import LAUNCHED, RESULTS
from support.bluejay_fake import (
    FakeBluejay,
    digital_humans,
    evaluation,
    make_provider,
    ok,
    result,
    run_results,
)

from agentsim.providers.base import CaseVerdict, SimulationStatus
from agentsim.providers.bluejay import BluejayLaunched


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
