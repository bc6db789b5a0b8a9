"""Suites end to end on the local stack: the suite workflow starts each run as a child
execution of the run workflow, within the per-provider concurrency, and aggregates them; a run
that cannot start fails the suite; a suite run again regresses on a flipped case; a suite's
workflow started again starts no run twice."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import httpx
import pytest
from e2e_requests import bluejay, omnidimension, synthflow

from agentsim_local.embedded import EmbeddedStack

FLIPPED_CASE = "Confused caller"
LAUNCH_PATH = "queue-simulation-run"
RESULTS_PATH = "retrieve-simulation-results"


def suite(runs: Sequence[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {"suite": {"name": f"e2e-{uuid.uuid4().hex[:8]}", "runs": list(runs)}, **fields}


def finished(stack: EmbeddedStack, request: dict[str, Any]) -> dict[str, Any]:
    suite_id, _ = stack.submit_suite(request, idempotency_key=str(uuid.uuid4()))
    return stack.wait_suite(suite_id, timeout=180)


def bluejay_calls(stack: EmbeddedStack) -> list[dict[str, Any]]:
    assert stack.emulator is not None
    answer = httpx.get(stack.emulator.url + "/_emulator/calls", params={"provider": "bluejay"})
    return list(answer.raise_for_status().json()["calls"])


def most_in_flight(calls: Sequence[dict[str, Any]]) -> int:
    """The most Bluejay runs between their launch and their last results read, at once."""
    ends: dict[str, float] = {}
    for call in calls:
        if RESULTS_PATH in call["path"]:
            run = call["path"].rsplit("/", 1)[-1]
            ends[run] = max(ends.get(run, 0.0), call["at"])
    steps = [(c["at"], 1) for c in calls if LAUNCH_PATH in c["path"] and c["status"] < 300]
    steps += [(at, -1) for at in ends.values()]
    level = peak = 0
    for _, step in sorted(steps, key=lambda s: (s[0], s[1])):
        level += step
        peak = max(peak, level)
    return peak


@pytest.fixture
def failing_case(emulator_control: httpx.Client) -> Iterator[httpx.Client]:
    yield emulator_control
    emulator_control.put("/_emulator/failing-cases", json={"names": []}).raise_for_status()


def test_a_suite_across_providers_completes_with_each_run_recorded(e2e: EmbeddedStack) -> None:
    request = suite([bluejay(), synthflow(), omnidimension()], gate={"min_pass_rate": 0.3})

    record = finished(e2e, request)

    assert (record["status"], record["verdict"]) == ("COMPLETED", "PASSED"), record
    runs = record["runs"]
    assert [r["provider"] for r in runs] == ["bluejay", "synthflow", "omnidimension"]
    assert [r["status"] for r in runs] == ["COMPLETED"] * 3
    assert record["totals"]["runs"] == 3
    child = e2e.get_run(runs[0]["run_id"])
    assert child is not None and child["suite_id"] == record["suite_id"]
    assert child["series"].startswith(request["suite"]["name"] + "/")


def test_the_suite_list_shows_the_newest_suite_first(e2e: EmbeddedStack) -> None:
    record = finished(e2e, suite([synthflow()]))

    answer = e2e.invoke_api("GET", "/suites", headers=e2e.signed_headers(b""))

    assert answer.status == 200, answer.text
    assert answer.json["suites"][0]["suite_id"] == record["suite_id"]


def test_the_suite_report_page_opens_with_its_share_link(e2e: EmbeddedStack) -> None:
    record = finished(e2e, suite([synthflow(), bluejay()]))

    page = e2e.runs_api.report_page(record["report_url"])

    assert f"Suite {record['name']}" in page
    assert page.count('class="run-report"') == 2


def test_a_run_that_cannot_start_fails_the_suite_naming_it(e2e: EmbeddedStack) -> None:
    missing = bluejay(simulation_id="999999")
    del missing["simulation"]

    record = finished(e2e, suite([synthflow(), missing]))

    assert (record["status"], record["verdict"]) == ("COMPLETED", "FAILED"), record
    failed = record["runs"][1]
    assert failed["status"] == "FAILED"
    assert any(failed["run_id"] in reason for reason in record["verdict_reasons"])
    assert record["runs"][0]["status"] == "COMPLETED"


def test_a_suite_run_again_with_a_flipped_case_regresses_naming_it(
    e2e: EmbeddedStack, failing_case: httpx.Client
) -> None:
    request = suite(
        [bluejay(), synthflow()], gate={"min_pass_rate": 0.3, "fail_on_new_failures": True}
    )
    first = finished(e2e, request)
    failing_case.put("/_emulator/failing-cases", json={"names": [FLIPPED_CASE]}).raise_for_status()

    second = finished(e2e, request)

    assert first["verdict"] == "PASSED", first
    assert (second["status"], second["verdict"]) == ("COMPLETED", "REGRESSED"), second
    regressed = second["runs"][0]
    assert regressed["newly_failing"] == [FLIPPED_CASE]
    assert regressed["baseline_run_id"] == first["runs"][0]["run_id"]


def test_no_more_runs_than_the_concurrency_are_in_flight_at_the_provider(
    e2e: EmbeddedStack,
) -> None:
    before = len(bluejay_calls(e2e))

    record = finished(e2e, suite([bluejay(), bluejay(), bluejay()], concurrency={"bluejay": 1}))

    assert record["status"] == "COMPLETED", record
    calls = bluejay_calls(e2e)[before:]
    assert sum(LAUNCH_PATH in c["path"] for c in calls) == 3
    assert most_in_flight(calls) == 1


def test_a_suite_workflow_started_again_starts_no_run_twice(e2e: EmbeddedStack) -> None:
    record = finished(e2e, suite([bluejay(), synthflow()]))
    launches = sum(LAUNCH_PATH in c["path"] for c in bluejay_calls(e2e))
    sfn = e2e._client("stepfunctions")
    arn = e2e.outputs["SuiteStateMachineArn"]

    again = sfn.start_execution(
        stateMachineArn=arn,
        name=f"again-{uuid.uuid4().hex[:8]}",
        input=json.dumps({"suite_id": record["suite_id"]}),
    )

    described = sfn.describe_execution(executionArn=again["executionArn"])
    deadline = time.monotonic() + 120
    while described["status"] == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.5)
        described = sfn.describe_execution(executionArn=again["executionArn"])
    assert described["status"] == "SUCCEEDED", described
    assert sum(LAUNCH_PATH in c["path"] for c in bluejay_calls(e2e)) == launches
    after = e2e.get_suite(record["suite_id"])
    assert after is not None
    assert [r["run_id"] for r in after["runs"]] == [r["run_id"] for r in record["runs"]]
    assert after["finished_at"] == record["finished_at"]
