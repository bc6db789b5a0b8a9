"""Posting a signed webhook, and posting it again when the API did not answer it.

API Gateway answers 504 when its Lambda integration did not answer in time and 502 when the
function failed (https://repost.aws/knowledge-center/api-gateway-5xx-error), 429 when it
throttles and 503 when the service is unavailable: none of these says whether the run was stored
or started. Sending the request again is safe: the API makes one run of one key (Powertools
Idempotency on the key, a conditional put on the run id derived from it, an execution named
after the run), and a retry that finds the first attempt stored but not started starts it
(`agentsim.runs.submit`). With an `Idempotency-Key` the run id follows from the key alone, so
each attempt is signed afresh; without one the run id follows from the body and the signed
timestamp, so the *identical* request is sent, and only while its signature is still valid
(`signing.TOLERANCE_SECONDS`). The waits between attempts are capped exponential backoff with
full jitter (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/): a burst
of webhooks throttled together does not come back together.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx

from agentsim.runs.signing import TOLERANCE_SECONDS

RETRIED_STATUSES = frozenset({429, 502, 503, 504})
RETRY_DELAYS: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0, *(15.0,) * 16)
"""The longest wait, in seconds, before each further attempt (each wait is drawn below it)."""
SIGNATURE_MARGIN = 30.0
"""An identical request is not sent again later than this before its signature expires."""
READ_TIMEOUT = 300.0
"""How long one attempt may wait for its answer. API Gateway gives up after 29 s, but a local
AWS may first start a worker process for the function (a cold start under load can take
minutes on a busy machine): giving up on an attempt that is still being served would only
start another one beside it."""

Headers = Mapping[str, str] | Callable[[], Mapping[str, str]]
"""The signed headers, or a function signing afresh (only with an Idempotency-Key)."""


@dataclass(frozen=True)
class Posted:
    """The answer that ended the attempts, and how many attempts were made."""

    response: httpx.Response
    attempts: int


def post_signed(
    client: httpx.Client,
    url: str,
    body: bytes,
    headers: Headers,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    jitter: Callable[[float], float] = lambda cap: random.uniform(0, cap),  # noqa: S311
) -> Posted:
    """POST `body` signed; again after a 429/502/503/504 or a transport error (timeout, reset),
    up to `len(RETRY_DELAYS)` more times (fixed headers: while the signature stays valid). The
    last answer is returned; the last transport error is raised when no attempt was answered."""
    signed_at = clock()
    return send_until_answered(
        lambda: client.post(
            url, content=body, headers=dict(headers() if callable(headers) else headers)
        ),
        may_wait=lambda delay: not _stale(headers, signed_at, delay, clock),
        sleep=sleep,
        jitter=jitter,
    )


def send_until_answered(
    send: Callable[[], httpx.Response],
    *,
    may_wait: Callable[[float], bool] = lambda _: True,
    sleep: Callable[[float], None] = time.sleep,
    jitter: Callable[[float], float] = lambda cap: random.uniform(0, cap),  # noqa: S311
) -> Posted:
    """`send()`, and again after an answer that is none (`RETRIED_STATUSES`) or a transport
    error, while `RETRY_DELAYS` last and `may_wait(delay)` allows the next wait."""
    for attempt, cap in enumerate((*RETRY_DELAYS, None), start=1):
        delay = None if cap is None else jitter(cap)
        try:
            response = send()
        except httpx.TransportError:
            if delay is None or not may_wait(delay):
                raise
        else:
            if response.status_code not in RETRIED_STATUSES or delay is None or not may_wait(delay):
                return Posted(response, attempt)
        sleep(delay)
    raise AssertionError("unreachable: the last attempt returns or raises")


def _stale(headers: Headers, signed_at: float, delay: float, clock: Callable[[], float]) -> bool:
    """Whether the fixed signature would be too old for one more attempt after `delay`."""
    if callable(headers):
        return False
    return clock() + delay - signed_at > TOLERANCE_SECONDS - SIGNATURE_MARGIN
