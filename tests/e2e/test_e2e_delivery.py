"""Results pushed back, on the local stack: a run of a series that regresses (its one case
flipped to failing at the emulator) names a `notify` URL on a loopback receiver that answers
500 first, and a `github` commit. The receiver gets the signed detail again after its error;
the emulated GitHub gets a pending status then a failure; the emulated Slack one message.

A suite names its own `notify` (a receiver answering 200) and `github` commit: the receiver
gets the suite's signed detail once, the commit a pending then a success status in the suite's
context, and the suite's record lists each attempt.

On the session's e2e stack (AllowLoopbackTargets on, as every local stack deploys): two runs
and a suite of one run.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from support.json_server import json_server
from support.run_requests import SYNTHFLOW_PASSING_CASE, synthflow_request
from support.waiting import wait_until

from agentsim.runs.signing import verify
from agentsim_local.embedded import EmbeddedStack

FLIPPED_CASE = "Book an appointment"
"""The name of the Synthflow emulator's passing case (its key is SYNTHFLOW_PASSING_CASE)."""
REPOSITORY = "octo/voice-agent"
SHA = "3f786850e387550fdab836ed7e6dc881de23001b"
SUITE_SHA = "89e6c98d92887913cadf06b2adb97f26cde4849b"
DELIVERY_TIMEOUT = 30.0


@dataclass
class Receiver:
    """A notify URL on 127.0.0.1: answers 500 to its first POST, 200 to the others."""

    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    fails_first: bool = True

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
        with self.lock:
            self.received.append((headers, body))
            if self.fails_first and len(self.received) == 1:
                return 500, {"error": "not yet"}
            return 200, {"ok": 1}

    def wait_for(self, count: int) -> list[tuple[dict[str, str], bytes]]:
        deadline = time.monotonic() + DELIVERY_TIMEOUT
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.2)
        raise TimeoutError(f"{len(self.received)} of {count} deliveries after {DELIVERY_TIMEOUT}s")


@dataclass
class Pushed:
    """A run's or a suite's deliveries done: its record and what the receiver got."""

    stack: EmbeddedStack
    record: dict[str, Any]
    received: list[tuple[dict[str, str], bytes]]


@pytest.fixture(scope="module")
def local_stack(stack: EmbeddedStack) -> EmbeddedStack:
    """The session's e2e stack (AllowLoopbackTargets on, as every local stack deploys)."""
    return stack


def finished(stack: EmbeddedStack, request: dict[str, Any]) -> dict[str, Any]:
    record = stack.wait(stack.submit(request, trigger="webhook"), timeout=60)
    assert record["status"] == "COMPLETED", record
    return record


def ended_targets(record: dict[str, Any] | None, moment: str) -> set[str]:
    """The targets whose delivery of `moment` has ended (delivered or given up)."""
    return {
        d["target"]
        for d in (record or {}).get("deliveries") or []
        if d["moment"] == moment and d["outcome"] != "retrying"
    }


def deliveries_done(read: Callable[[], dict[str, Any] | None], targets: set[str]) -> dict[str, Any]:
    """The record `read` returns (a run's or a suite's) once its deliveries of the end to
    `targets` have ended."""
    record = wait_until(
        read, lambda r: targets <= ended_targets(r, "finished"), timeout=DELIVERY_TIMEOUT
    )
    assert record is not None
    return record


@pytest.fixture(scope="module")
def pushed(local_stack: EmbeddedStack) -> Iterator[Pushed]:
    stack = local_stack
    assert stack.emulator is not None
    failing = stack.emulator.url + "/_emulator/failing-cases"
    series = f"delivery/{uuid.uuid4().hex[:8]}"
    gate = {"fail_on_new_failures": True}
    receiver = Receiver()
    finished(stack, synthflow_request(series=series, gate=gate))
    httpx.put(failing, json={"names": [FLIPPED_CASE]}).raise_for_status()
    with json_server(receiver.answer) as url:
        try:
            record = finished(
                stack,
                synthflow_request(
                    series=series,
                    gate=gate,
                    notify={"url": f"{url}/agentsim"},
                    github={"repository": REPOSITORY, "sha": SHA},
                ),
            )
        finally:
            httpx.put(failing, json={"names": []}).raise_for_status()
        assert record["verdict"] == "REGRESSED", record
        received = receiver.wait_for(2)
        run_id = record["run_id"]
        record = deliveries_done(lambda: stack.get_run(run_id), {"notify"})
    yield Pushed(stack, record, received)


def test_the_receiver_gets_the_detail_again_after_answering_500(pushed: Pushed) -> None:
    bodies = [json.loads(body) for _, body in pushed.received]

    assert len(bodies) == 2
    assert bodies[0] == bodies[1]
    assert bodies[1]["run_id"] == pushed.record["run_id"]
    assert bodies[1]["verdict"] == "REGRESSED"


def test_each_delivery_is_signed_with_the_stacks_webhook_secret(pushed: Pushed) -> None:
    for headers, body in pushed.received:
        verify(pushed.stack.webhook_secret, body, headers)  # raises SignatureInvalid if not


def test_the_runs_deliveries_show_a_retry_then_the_delivery(pushed: Pushed) -> None:
    notify = [d for d in pushed.record["deliveries"] if d["target"] == "notify"]

    assert [(d["attempt"], d["outcome"], d["status_code"]) for d in notify] == [
        (1, "retrying", 500),
        (2, "delivered", 200),
    ]


def test_the_runs_deliveries_show_github_at_start_and_end_and_slack(pushed: Pushed) -> None:
    others = [
        (d["target"], d["moment"], d["outcome"], d["status_code"])
        for d in pushed.record["deliveries"]
        if d["target"] != "notify"
    ]

    assert sorted(others) == [
        ("github", "finished", "delivered", 201),
        ("github", "started", "delivered", 201),
        ("slack", "finished", "delivered", 200),
    ]


def github_statuses(stack: EmbeddedStack, sha: str = SHA) -> list[dict[str, Any]]:
    assert stack.emulator is not None
    url = f"{stack.emulator.github_api_url}/repos/{REPOSITORY}/commits/{sha}/statuses"
    answer = httpx.get(url, headers={"Authorization": "Bearer any"})
    answer.raise_for_status()
    statuses: list[dict[str, Any]] = answer.json()
    return statuses


def test_the_commit_status_goes_pending_then_failure(pushed: Pushed) -> None:
    statuses = list(reversed(github_statuses(pushed.stack)))  # oldest first

    assert [s["state"] for s in statuses] == ["pending", "failure"]
    assert {s["context"] for s in statuses} == {f"agentsim/{pushed.record['series']}"}
    told = json.loads(pushed.received[-1][1])
    assert statuses[1]["target_url"] == told["report_url"]
    report = f"/simulations/{pushed.record['run_id']}/report?"
    assert all(report in s["target_url"] for s in statuses)


def test_slack_gets_one_message_naming_the_verdict_and_the_flipped_case(pushed: Pushed) -> None:
    assert pushed.stack.emulator is not None
    listed = httpx.get(pushed.stack.emulator.url + "/_emulator/slack/messages").json()

    texts = [m["text"] for m in listed if pushed.record["run_id"] in m["text"]]
    assert len(texts) == 1
    assert "REGRESSED" in texts[0]
    assert f"Newly failing: `{SYNTHFLOW_PASSING_CASE}`" in texts[0]


def test_a_notify_url_at_the_metadata_address_is_refused_with_422(
    local_stack: EmbeddedStack,
) -> None:
    body = json.dumps(synthflow_request(notify={"url": "https://169.254.169.254/x"})).encode()
    headers = {"Content-Type": "application/json", **local_stack.signed_headers(body)}

    answer = local_stack.invoke_api("POST", "/simulations", body=body, headers=headers)

    assert answer.status == 422
    assert [e["path"] for e in answer.json["errors"]] == ["notify.url"]


@pytest.fixture(scope="module")
def suite_pushed(local_stack: EmbeddedStack) -> Iterator[Pushed]:
    stack = local_stack
    receiver = Receiver(fails_first=False)
    name = f"delivery-suite-{uuid.uuid4().hex[:8]}"
    with json_server(receiver.answer) as url:
        request = {
            "suite": {"name": name, "runs": [synthflow_request()]},
            "notify": {"url": f"{url}/suite"},
            "github": {"repository": REPOSITORY, "sha": SUITE_SHA},
        }
        suite_id, _ = stack.submit_suite(request)
        record = stack.wait_suite(suite_id, timeout=60)
        assert (record["status"], record["verdict"]) == ("COMPLETED", "PASSED"), record
        received = receiver.wait_for(1)
        record = deliveries_done(lambda: stack.get_suite(suite_id), {"notify", "github"})
    yield Pushed(stack, record, received)


def test_the_suites_receiver_gets_one_signed_delivery_of_the_suite(
    suite_pushed: Pushed,
) -> None:
    ((headers, body),) = suite_pushed.received

    verify(suite_pushed.stack.webhook_secret, body, headers)
    assert json.loads(body)["suite_id"] == suite_pushed.record["suite_id"]
    assert {k.lower(): v for k, v in headers.items()}[
        "x-agentsim-delivery"
    ] == f"{suite_pushed.record['suite_id']}/finished"


def test_the_suites_commit_goes_pending_then_success_in_the_suites_context(
    suite_pushed: Pushed,
) -> None:
    statuses = list(reversed(github_statuses(suite_pushed.stack, SUITE_SHA)))

    assert [s["state"] for s in statuses] == ["pending", "success"]
    assert {s["context"] for s in statuses} == {f"agentsim/suite/{suite_pushed.record['name']}"}
    assert all(
        f"/suites/{suite_pushed.record['suite_id']}/report?" in s["target_url"] for s in statuses
    )


def test_get_suite_lists_the_suites_deliveries(suite_pushed: Pushed) -> None:
    listed = sorted(
        (d["target"], d["moment"], d["outcome"]) for d in suite_pushed.record["deliveries"]
    )

    assert listed == [
        ("github", "finished", "delivered"),
        ("github", "started", "delivered"),
        ("notify", "finished", "delivered"),
    ]
