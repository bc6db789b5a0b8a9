"""Bluejay's webhooks: the events a run's results come back in, and how a delivery is signed.

Bluejay POSTs JSON events to one URL registered in its dashboard, discriminated by `type`
(https://bluejay.mintlify.app/core-concepts/webhook; payloads: the `webhooks.events_webhook`
schema of Bluejay's OpenAPI document). Two of them tell us about a run's results:
- `simulation_result_evaluated`: one conversation (result `id`, of run `simulation_run_id`)
  was graded;
- `simulation_ended`: one conversation ended (`status`, by default `CONVERSATION_ENDED`; its
  evaluation follows unless it ended in a failure).
Other types (`outbound_simulation_started`, `observability_call_evaluated`) are acknowledged
and ignored.

A delivery carries `X-Bluejay-Signature` (hex HMAC-SHA256 of the raw body under the webhook's
signing key, optionally prefixed `sha256=`) and `X-Bluejay-Delivery` (one id per delivery, the
same on each retry: deliveries are at least once). The dashboard docs name only an
`x-webhook-secret` header; this is the signed scheme agentsim asks of a sender.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Annotated, Literal

from pydantic import Field, TypeAdapter, ValidationError

from agentsim.providers.bluejay.statuses import ResultState, result_state
from agentsim.providers.lenient import LenientResponse, LooseId, LooseTime

SIGNATURE_HEADER = "X-Bluejay-Signature"
DELIVERY_HEADER = "X-Bluejay-Delivery"
MAX_SIGNATURE = 256
MAX_DELIVERY_ID = 128


class WebhookUnsigned(Exception):
    """A delivery whose signature is missing or does not match its body (`header` names it)."""

    def __init__(self, message: str, header: str = SIGNATURE_HEADER) -> None:
        self.header = header
        super().__init__(message)


class _ResultEvent(LenientResponse):
    id: LooseId
    """The simulation result (one conversation)."""
    simulation_run_id: LooseId
    status: str | None = None
    end_time: LooseTime = None


class ResultEvaluated(_ResultEvent):
    type: Literal["simulation_result_evaluated"]

    @property
    def settled(self) -> bool:
        return True


class ResultEnded(_ResultEvent):
    type: Literal["simulation_ended"]

    @property
    def settled(self) -> bool:
        """Whether nothing more comes for this result: it ended in a failure (an ended
        conversation that went well is evaluated next)."""
        return result_state(self.status) is ResultState.FAILED


ResultEvent = Annotated[ResultEvaluated | ResultEnded, Field(discriminator="type")]
_EVENT: TypeAdapter[ResultEvaluated | ResultEnded] = TypeAdapter(ResultEvent)
FOLLOWED = frozenset({"simulation_result_evaluated", "simulation_ended"})


def sign(key: bytes, body: bytes) -> str:
    """The `X-Bluejay-Signature` value of `body` (what the emulator sends)."""
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def verify(key: bytes, body: bytes, signature: str | None) -> None:
    """Raise WebhookUnsigned unless `signature` is `body`'s under `key`."""
    if not key:
        raise WebhookUnsigned("the Bluejay webhook secret is not configured")
    if not signature:
        raise WebhookUnsigned(f"missing {SIGNATURE_HEADER} header")
    value = signature.strip()
    if len(value) > MAX_SIGNATURE or not value.isascii():
        raise WebhookUnsigned(f"{SIGNATURE_HEADER} is malformed")
    value = value.removeprefix("sha256=")
    if not hmac.compare_digest(value.lower(), sign(key, body)):
        raise WebhookUnsigned("signature does not match the body")


def delivery_id(value: str | None) -> str:
    """The delivery id as sent; WebhookUnsigned naming the header when it is unusable."""
    key = (value or "").strip()
    if not 1 <= len(key) <= MAX_DELIVERY_ID or not key.isprintable():
        raise WebhookUnsigned(
            f"{DELIVERY_HEADER} must be 1 to {MAX_DELIVERY_ID} printable characters",
            DELIVERY_HEADER,
        )
    return key


def parse_event(body: bytes) -> ResultEvaluated | ResultEnded | None:
    """The result event in `body`; None for an event type agentsim does not follow.

    ValueError when the body is not a JSON object or a followed event misses a field.
    """
    document = json.loads(body)
    if not isinstance(document, dict):
        raise ValueError("a Bluejay event is a JSON object")
    if document.get("type") not in FOLLOWED:
        return None
    try:
        return _EVENT.validate_python(document)
    except ValidationError as exc:
        raise ValueError(
            f"malformed {document.get('type')} event: {exc.error_count()} errors"
        ) from exc
