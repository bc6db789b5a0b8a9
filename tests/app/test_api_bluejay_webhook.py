"""`POST /webhooks/bluejay`: a delivery signed by Bluejay (`X-Bluejay-Signature`, HMAC-SHA256 of
the raw body under the stack secret's `bluejay_webhook_secret`) records its result on the run
and, with the last expected one, marks the run complete; an unsigned, badly signed, replayed or
stale delivery changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters
from support.aws_fixtures import API_KEYS, WEBHOOK_SECRET, Stack
from support.handlers import LambdaContext, answer, load_handler, sample_event

from agentsim.providers.base import ProviderName
from agentsim.providers.bluejay.handles import BluejayLaunched
from agentsim.providers.bluejay.webhooks import sign
from agentsim.runs.record import Change, Origin, RunRecord, RunStatus
from agentsim.runs.services import Services

BLUEJAY_SECRET = "bluejay-webhook-SENTINEL-91c2"
RUN_ID = "run-webhook-1"
STARTED = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def running(stack: Stack, services: Services) -> RunRecord:
    """A Bluejay run waiting for results r1 and r2 of provider run 77, the webhook set up."""
    value = {
        "webhook_secret": WEBHOOK_SECRET,
        **{f"{p}_api_key": k for p, k in API_KEYS.items()},
        "bluejay_webhook_secret": BLUEJAY_SECRET,
    }
    boto3.client("secretsmanager").put_secret_value(
        SecretId=stack.secret_arn, SecretString=json.dumps(value)
    )
    parameters.clear_caches()
    record = RunRecord.new(RUN_ID, Origin.WEBHOOK, STARTED, provider=ProviderName.BLUEJAY)
    services.runs.create(record)
    handle = BluejayLaunched(
        simulation_id="12", prepared="existing", run_id="77", result_ids=["r1", "r2"]
    )
    change = Change.move(RunStatus.RUNNING, handle=handle, started_at=STARTED)
    services.require_claims().claim("bluejay:run:77", RUN_ID)
    return services.runs.change(RUN_ID, change)


def delivery(
    result_id: str,
    delivery_id: str,
    *,
    kind: str = "simulation_result_evaluated",
    key: str = BLUEJAY_SECRET,
    end_time: datetime = STARTED + timedelta(minutes=30),
    signed: bool = True,
) -> dict[str, Any]:
    body = json.dumps(
        {"type": kind, "id": result_id, "simulation_run_id": 77, "end_time": end_time.isoformat()}
    )
    headers = {"Content-Type": "application/json", "X-Bluejay-Delivery": delivery_id}
    if signed:
        headers["X-Bluejay-Signature"] = sign(key.encode(), body.encode())
    event = sample_event("api_bluejay_webhook.json")
    return {**event, "body": body, "headers": headers, "multiValueHeaders": {}}


def recorded(services: Services) -> set[str]:
    """The result ids the callback log holds for the run."""
    return services.require_callback_log().results(RUN_ID)


def progress(services: Services) -> tuple[set[str], bool]:
    """The result ids recorded for the run, and whether the run is marked complete."""
    return recorded(services), services.runs.get(RUN_ID).callback_complete_at is not None


def post(event: dict[str, Any]) -> tuple[int, Any]:
    api = load_handler("api")
    status, _, body = answer(api.lambda_handler(event, LambdaContext()))
    return status, body


def test_a_signed_result_is_recorded_on_its_run(running: RunRecord, services: Services) -> None:
    status, body = post(delivery("r1", "d-1"))

    assert (status, body) == (200, {"outcome": "recorded"})
    assert progress(services) == ({"r1"}, False)


def test_the_last_expected_result_marks_the_run_complete(
    running: RunRecord, services: Services
) -> None:
    post(delivery("r1", "d-1"))

    status, body = post(delivery("r2", "d-2"))

    assert (status, body) == (200, {"outcome": "complete"})
    assert services.runs.get(RUN_ID).callback_complete_at is not None


def test_a_delivery_signed_with_another_key_is_refused_and_changes_nothing(
    running: RunRecord, services: Services
) -> None:
    status, body = post(delivery("r1", "d-1", key="not-the-secret"))

    assert status == 401
    assert body["errors"][0]["path"] == "headers.X-Bluejay-Signature"
    assert recorded(services) == set()
    assert not services.require_callback_log().seen("bluejay", "d-1")


def test_an_unsigned_delivery_is_refused_and_changes_nothing(
    running: RunRecord, services: Services
) -> None:
    status, _ = post(delivery("r1", "d-1", signed=False))

    assert status == 401
    assert recorded(services) == set()


def test_a_delivery_to_a_stack_without_a_bluejay_secret_is_refused_not_a_fault(
    stack: Stack, services: Services
) -> None:
    # Given the stack's secret as deployed, with no bluejay_webhook_secret
    parameters.clear_caches()

    status, body = post(delivery("r1", "d-1"))

    assert status == 401
    assert body["errors"][0]["path"] == "headers.X-Bluejay-Signature"
    assert not services.require_callback_log().seen("bluejay", "d-1")


def test_a_replayed_delivery_changes_nothing(running: RunRecord, services: Services) -> None:
    post(delivery("r1", "d-1"))

    status, body = post(delivery("r2", "d-1"))  # the same delivery id, another body

    assert (status, body) == (200, {"outcome": "duplicate"})
    assert progress(services) == ({"r1"}, False)


def test_a_result_from_before_the_run_started_is_stale(
    running: RunRecord, services: Services
) -> None:
    status, body = post(delivery("r1", "d-1", end_time=STARTED - timedelta(days=1)))

    assert (status, body) == (200, {"outcome": "stale"})
    assert recorded(services) == set()


def test_a_result_for_a_finished_run_is_stale(running: RunRecord, services: Services) -> None:
    services.runs.change(RUN_ID, Change.move(RunStatus.STOPPED))

    status, body = post(delivery("r1", "d-1"))

    assert (status, body) == (200, {"outcome": "stale"})
    assert recorded(services) == set()


def test_an_ended_conversation_waits_for_its_evaluation(
    running: RunRecord, services: Services
) -> None:
    status, body = post(delivery("r1", "d-1", kind="simulation_ended"))

    assert (status, body) == (200, {"outcome": "recorded"})
    assert recorded(services) == set()


def test_an_event_type_agentsim_does_not_follow_is_acknowledged(running: RunRecord) -> None:
    event = delivery("r1", "d-1")
    body = json.dumps({"type": "outbound_simulation_started", "simulation_run_id": 77})
    event["body"] = body
    event["headers"]["X-Bluejay-Signature"] = sign(BLUEJAY_SECRET.encode(), body.encode())

    assert post(event) == (200, {"outcome": "ignored"})
