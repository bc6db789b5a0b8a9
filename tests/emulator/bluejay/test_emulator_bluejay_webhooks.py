"""The emulator's Bluejay webhooks: sent over real HTTP to the configured URL as each result's
call ends and is graded, signed as agentsim's route checks them, at least once."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from support.emulator import ManualClock
from support.json_server import json_server

from agentsim.providers.bluejay.webhooks import parse_event, verify
from agentsim_local.emulator.bluejay import BluejayBackend
from agentsim_local.emulator.bluejay.schemas import CreateSimulationIn, QueueRunIn
from agentsim_local.emulator.bluejay.webhooks import WebhookSender
from agentsim_local.emulator.state import Store

KEY = "emulator-bluejay-key"


def queued(store: Store) -> tuple[WebhookSender, int]:
    backend = BluejayBackend(store)
    sim = backend.create(CreateSimulationIn(agent_id="5"))
    run = backend.queue(QueueRunIn(simulation_id=str(sim.id)))
    return WebhookSender(store, backend), run.id


def deliveries(store: Store, sender: WebhookSender, status: int = 200) -> list[dict[str, Any]]:
    received: list[dict[str, Any]] = []

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, Any]:
        received.append({"headers": headers, "body": body})
        return status, {}

    with json_server(answer) as url, httpx.Client() as client:
        store.settings.bluejay_webhook_url = f"{url}/webhooks/bluejay"
        store.settings.bluejay_webhook_secret = KEY
        sender.tick(client)
    return received


def test_nothing_is_sent_before_a_call_ends(store: Store) -> None:
    sender, _ = queued(store)

    assert deliveries(store, sender) == []


def test_each_graded_result_is_sent_signed_with_its_run(store: Store, clock: ManualClock) -> None:
    sender, run_id = queued(store)
    clock.advance(60)

    received = deliveries(store, sender)

    kinds = sorted(json.loads(d["body"])["type"] for d in received)
    assert kinds == ["simulation_ended"] * 3 + ["simulation_result_evaluated"] * 3
    for delivery in received:
        verify(KEY.encode(), delivery["body"], delivery["headers"]["X-Bluejay-Signature"])
        event = parse_event(delivery["body"])
        assert event is not None and event.simulation_run_id == str(run_id)


def test_a_delivered_event_is_not_sent_again(store: Store, clock: ManualClock) -> None:
    sender, _ = queued(store)
    clock.advance(60)
    deliveries(store, sender)

    assert deliveries(store, sender) == []


def test_a_failed_delivery_is_sent_again_with_the_same_delivery_id(
    store: Store, clock: ManualClock
) -> None:
    sender, _ = queued(store)
    clock.advance(60)

    first = deliveries(store, sender, status=503)
    again = deliveries(store, sender)

    ids = sorted(d["headers"]["X-Bluejay-Delivery"] for d in first)
    assert ids == sorted(d["headers"]["X-Bluejay-Delivery"] for d in again)


@pytest.mark.parametrize("url", [None, ""])
def test_without_a_target_url_nothing_is_sent(
    store: Store, clock: ManualClock, url: str | None
) -> None:
    sender, _ = queued(store)
    clock.advance(60)
    store.settings.bluejay_webhook_url = url

    with httpx.Client() as client:
        sender.tick(client)

    assert sender.sent == {}
