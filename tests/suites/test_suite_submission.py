"""Submitting a suite (moto, the emulator's URLs): one record per child under derived ids, the
suite's record, one suite execution; a repeat creates and starts nothing; an invalid suite
writes nothing, or (from a schedule or an event) is recorded FAILED with its problems."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from support.aws_fixtures import Stack
from support.run_requests import synthflow_request
from support.suite_requests import suite_request, ungated_bluejay

from agentsim.runs import ids
from agentsim.runs.errors import RequestInvalid
from agentsim.runs.record import Origin, RunStatus
from agentsim.runs.services import Services
from agentsim.runs.webhook import IdempotencyKeyReused
from agentsim.suites.record import SuiteStatus
from agentsim.suites.request import parse_suite
from agentsim.suites.submit import record_rejected_suite, submit_suite, submit_suite_webhook

SUITE_ID = "suite-test-1"
SIGNED_AT = "1767225600"


def submit(services: Services, data: dict[str, Any] | None = None) -> Any:
    return submit_suite(services, SUITE_ID, parse_suite(data or suite_request()), Origin.EVENT)


def test_submit_stores_one_run_per_child_under_derived_ids(services: Services) -> None:
    submitted = submit(services)

    expected = [ids.child_run_id(SUITE_ID, i) for i in range(3)]
    assert submitted.runs == expected
    records = [services.runs.get(run_id) for run_id in expected]
    assert [r.suite_id for r in records] == [SUITE_ID] * 3
    assert [r.expect_provider().value for r in records] == ["bluejay", "synthflow", "omnidimension"]
    assert {r.status for r in records} == {RunStatus.PENDING}


def test_submit_stores_each_child_with_its_filled_request(services: Services) -> None:
    submit(services, suite_request(ungated_bluejay(), labels={"env": "prod"}))

    record = services.runs.get(ids.child_run_id(SUITE_ID, 0))
    assert record.labels == {"env": "prod"}
    assert record.series == "nightly/bluejay/12/Support line regression"


def test_submit_stores_the_suite_record(services: Services) -> None:
    submit(services, suite_request(concurrency={"bluejay": 2}, labels={"env": "prod"}))

    suite = services.require_suites().get(SUITE_ID)
    assert (suite.status, suite.name, suite.trigger) == (
        SuiteStatus.PENDING,
        "nightly",
        Origin.EVENT,
    )
    assert [c.run_id for c in suite.children] == [ids.child_run_id(SUITE_ID, i) for i in range(3)]
    assert suite.concurrency == {"bluejay": 2}
    assert suite.labels == {"env": "prod"}


def test_submit_starts_one_suite_execution_and_no_run_execution(
    services: Services, stack: Stack
) -> None:
    submit(services)

    assert stack.suite_executions() == [SUITE_ID]
    assert stack.run_executions() == []


def test_submitting_again_creates_nothing_new_and_starts_nothing(
    services: Services, stack: Stack
) -> None:
    first = submit(services)
    items = stack.stored_items()

    again = submit(services)

    assert (again.created, again.runs) == (False, first.runs)
    assert stack.stored_items() == items
    assert stack.suite_executions() == [SUITE_ID]


def test_webhook_suite_with_an_idempotency_key_gets_the_keys_id(services: Services) -> None:
    request = parse_suite(suite_request())

    submitted = submit_suite_webhook(services, request, idempotency_key="k-1", signed_at=SIGNED_AT)

    assert submitted.suite_id == ids.suite_id_for("idempotency-key", "k-1")
    assert submitted.created is True


def test_the_same_key_with_the_same_suite_finds_the_first(services: Services, stack: Stack) -> None:
    request = parse_suite(suite_request())
    first = submit_suite_webhook(services, request, idempotency_key="k-1", signed_at=SIGNED_AT)

    again = submit_suite_webhook(services, request, idempotency_key="k-1", signed_at="1767225999")

    assert (again.suite_id, again.created) == (first.suite_id, False)
    assert len(stack.suite_executions()) == 1


def test_the_same_key_with_another_suite_within_the_window_is_refused(
    services: Services, stack: Stack
) -> None:
    submit_suite_webhook(
        services, parse_suite(suite_request()), idempotency_key="k-1", signed_at=SIGNED_AT
    )
    other = parse_suite(suite_request(synthflow_request()))

    with pytest.raises(IdempotencyKeyReused):
        submit_suite_webhook(services, other, idempotency_key="k-1", signed_at=SIGNED_AT)
    assert len(stack.suite_executions()) == 1


def test_the_same_key_with_another_suite_after_the_window_finds_the_first(
    services: Services, stack: Stack
) -> None:
    first = submit_suite_webhook(
        services, parse_suite(suite_request()), idempotency_key="k-1", signed_at=SIGNED_AT
    )
    later = services.clock() + services.require_bodies().window + timedelta(minutes=1)
    services.clock = lambda: later
    other = parse_suite(suite_request(synthflow_request()))

    again = submit_suite_webhook(services, other, idempotency_key="k-1", signed_at=SIGNED_AT)

    assert (again.suite_id, again.created, again.runs) == (first.suite_id, False, first.runs)


def test_a_notify_url_to_instance_metadata_is_refused_and_nothing_is_written(
    services: Services, stack: Stack
) -> None:
    hostile = synthflow_request(notify={"url": "http://169.254.169.254/latest/meta-data/"})
    request = parse_suite(suite_request(synthflow_request(), hostile))

    with pytest.raises(RequestInvalid) as refused:
        submit_suite(services, SUITE_ID, request, Origin.EVENT)

    assert [p.path for p in refused.value.problems] == ["suite.runs.1.notify.url"]
    assert stack.stored_items() == 0
    assert stack.suite_executions() == []


def rejected(services: Services, raw: dict[str, Any]) -> Any:
    with pytest.raises(RequestInvalid) as refused:
        parse_suite(raw)
    return record_rejected_suite(services, SUITE_ID, Origin.SCHEDULE, refused.value, raw)


def test_record_rejected_suite_stores_a_failed_suite_with_its_problems(
    services: Services, stack: Stack
) -> None:
    raw = suite_request(synthflow_request(), {"provider": "vapi"}, labels={"env": "prod"})

    answer = rejected(services, raw)

    suite = services.require_suites().get(SUITE_ID)
    assert (answer.status, answer.created) == (SuiteStatus.FAILED, True)
    assert (suite.status, suite.name, suite.children) == (SuiteStatus.FAILED, "nightly", [])
    assert suite.error is not None and suite.error.type == "RequestInvalid"
    assert [p["path"] for p in suite.error.problems or []] == ["suite.runs.1.provider"]
    assert suite.finished_at is not None
    assert stack.suite_executions() == []


def test_record_rejected_suite_twice_records_it_once(services: Services) -> None:
    raw = suite_request(name=" ")
    rejected(services, raw)

    again = rejected(services, raw)

    assert again.created is False
    assert services.require_suites().get(SUITE_ID).name == "(invalid suite)"
