"""Bluejay's webhooks, sent by the emulator when `bluejay_webhook_url` is set: each result's
`simulation_ended` when its call ends, then `simulation_result_evaluated` once graded (a result
that ended in an error gets only `simulation_ended`, with its status), signed as agentsim's
webhook route checks them (`X-Bluejay-Signature`, `X-Bluejay-Delivery`; see
`agentsim.providers.bluejay.webhooks`). A daemon thread looks for due events every `TICK`
seconds; a delivery that fails is sent again on the next tick with the same delivery id
(at least once, as Bluejay delivers).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from agentsim.providers.bluejay.webhooks import DELIVERY_HEADER, SIGNATURE_HEADER, sign
from agentsim_local.emulator.bluejay.backend import BluejayBackend
from agentsim_local.emulator.bluejay.records import Result
from agentsim_local.emulator.state import Store

TICK = 0.25
TIMEOUT = 5.0


@dataclass
class WebhookSender:
    store: Store
    backend: BluejayBackend
    sent: dict[tuple[int, str], str] = field(default_factory=dict)
    """(result id, event type) -> delivery id; delivered ones are marked done."""
    done: set[str] = field(default_factory=set)

    def due(self, now: float) -> Iterator[tuple[str, dict[str, object]]]:
        """(delivery id, event) for every event due and not yet delivered."""
        with self.store.lock:
            results = list(self.backend.results.values())
        for result in results:
            for kind, at in _events(result):
                if at <= now:
                    delivery = self.sent.setdefault((result.id, kind), f"dlv-{uuid.uuid4()}")
                    if delivery not in self.done:
                        yield delivery, _body(result, kind, now)

    def tick(self, client: httpx.Client) -> None:
        settings = self.store.settings
        if not settings.bluejay_webhook_url:
            return
        key = (settings.bluejay_webhook_secret or "").encode()
        for delivery, event in list(self.due(self.store.now())):
            body = json.dumps(event).encode()
            headers = {
                "Content-Type": "application/json",
                DELIVERY_HEADER: delivery,
                SIGNATURE_HEADER: sign(key, body),
            }
            try:
                answer = client.post(settings.bluejay_webhook_url, content=body, headers=headers)
            except httpx.HTTPError:
                continue  # the next tick sends it again
            if answer.status_code < 500:
                self.done.add(delivery)

    def reset(self) -> None:
        self.sent.clear()
        self.done.clear()

    def start(self) -> threading.Thread:
        def loop() -> None:
            with httpx.Client(timeout=TIMEOUT) as client:
                while True:
                    self.tick(client)
                    threading.Event().wait(TICK)

        thread = threading.Thread(target=loop, name="bluejay-webhooks", daemon=True)
        thread.start()
        return thread


def _events(result: Result) -> list[tuple[str, float]]:
    timeline = result.timeline
    if result.outcome == "error":
        return [("simulation_ended", timeline.call_end)]
    return [
        ("simulation_ended", timeline.call_end),
        ("simulation_result_evaluated", timeline.evaluated_at),
    ]


def _body(result: Result, kind: str, now: float) -> dict[str, object]:
    return {
        "type": kind,
        "id": result.id,
        "simulation_run_id": result.run_id,
        "digital_human_id": result.human.id,
        "status": result.status(now) if kind == "simulation_ended" else "COMPLETED",
        "end_time": _iso(result.timeline.call_end),
        "evaluations": [],
    }


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat()
