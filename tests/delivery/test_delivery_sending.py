"""What each target is sent: a notify POST signed as our inbound webhooks are (and checked
with the very verifier the API uses), GitHub's commit status call, and nothing secret in any
body."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from delivery_world import GITHUB_TOKEN, NOTIFY_URL, SENDERS, SIGNING_SECRET, SLACK_URL, World

from agentsim.delivery.attempts import Moment, Target
from agentsim.delivery.outbound import Outbound
from agentsim.runs.signing import SignatureInvalid, verify

SHA = "3f786850e387550fdab836ed7e6dc881de23001b"
REQUEST = {"notify": {"url": NOTIFY_URL}, "github": {"repository": "octo/agent", "sha": SHA}}
DETAIL: dict[str, Any] = {
    "run_id": "run-1",
    "provider": "synthflow",
    "status": "COMPLETED",
    "verdict": "REGRESSED",
    "series": "nightly",
    "results": {"passed": 0, "total": 1},
    "comparison": {"newly_failing": ["book"]},
    "report_url": "https://api.example/v1/simulations/run-1/report?expires=1&signature=ab",
}


def send_all(outbound: Outbound, moment: Moment = Moment.FINISHED) -> dict[Target, Any]:
    planned = SENDERS.planned("SimulationRunFinished", moment, REQUEST, DETAIL)
    return {target: send(outbound) for target, send in planned.items()}


def test_the_notify_post_is_the_detail_verifiable_with_the_webhook_verifier(
    outbound: Outbound, world: World
) -> None:
    send_all(outbound)

    (posted,) = world.to("hooks.example.com")
    verify(SIGNING_SECRET, posted.content, dict(posted.headers))  # raises if not signed
    assert json.loads(posted.content) == DETAIL
    assert posted.headers["X-Agentsim-Event"] == "SimulationRunFinished"
    assert posted.headers["X-Agentsim-Delivery"] == "run-1/finished"


def test_the_notify_signature_does_not_verify_with_another_secret(
    outbound: Outbound, world: World
) -> None:
    send_all(outbound)

    (posted,) = world.to("hooks.example.com")
    with pytest.raises(SignatureInvalid, match="does not match"):
        verify("another-secret", posted.content, dict(posted.headers))


def test_github_gets_a_commit_status_with_the_token_as_bearer(
    outbound: Outbound, world: World
) -> None:
    send_all(outbound)

    (posted,) = world.to("api.github.com")
    assert posted.url.path == f"/repos/octo/agent/statuses/{SHA}"
    assert posted.headers["Authorization"] == f"Bearer {GITHUB_TOKEN}"
    assert posted.headers["Accept"] == "application/vnd.github+json"
    assert json.loads(posted.content)["state"] == "failure"


def test_the_start_sends_github_pending_and_nothing_else(outbound: Outbound, world: World) -> None:
    sent = send_all(outbound, Moment.STARTED)

    assert list(sent) == [Target.GITHUB]
    assert json.loads(world.sent[0].content)["state"] == "pending"


def test_no_secret_is_in_any_body_and_the_token_goes_to_github_only(
    outbound: Outbound, world: World
) -> None:
    send_all(outbound)

    assert {r.headers["Host"] for r in world.sent} == {
        "hooks.example.com",
        "api.github.com",
        "hooks.slack.com",
    }
    for request in world.sent:
        for secret in (SIGNING_SECRET, GITHUB_TOKEN, SLACK_URL, "SENTINEL"):
            assert secret not in request.content.decode()
        if request.headers["Host"] != "api.github.com":
            assert GITHUB_TOKEN not in json.dumps(dict(request.headers))


def test_a_request_with_no_target_sends_nothing_but_slack_for_a_regression() -> None:
    planned = SENDERS.planned("SimulationRunFinished", Moment.FINISHED, {}, DETAIL)

    assert list(planned) == [Target.SLACK]


def test_without_a_github_token_the_status_is_given_up_unsent(
    outbound: Outbound, world: World
) -> None:
    senders = dataclasses.replace(SENDERS, github_token="")
    planned = senders.planned("SimulationRunFinished", Moment.FINISHED, REQUEST, DETAIL)

    sent = planned[Target.GITHUB](outbound)

    assert (sent.error, sent.retryable) == ("GithubTokenMissing", False)
    assert world.to("api.github.com") == []
