"""Posting a signed webhook, and posting it again when the API did not answer it.

API Gateway answers 504 when its Lambda integration did not answer in time and 502 when the
function failed (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html,
https://repost.aws/knowledge-center/api-gateway-5xx-error), 429 when it throttles and 503 when
the service is unavailable: none of these says whether the run was stored or started. Sending
the *identical* request again (the same bytes, signature and Idempotency-Key) is safe: the API
makes one run of one key (Powertools Idempotency on the key, a conditional put on the run id
derived from it, an execution named after the run), and without an Idempotency-Key the same
signed body names the same run. A retry that finds the first attempt stored but not started
starts it (`agentsim.runs.submit`). The signature stays valid for `signing.TOLERANCE_SECONDS`;
the backoff below ends well within it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx

RETRIED_STATUSES = frozenset({429, 502, 503, 504})
RETRY_DELAYS: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0, 16.0)
"""Seconds before each further attempt. With the API's 29 s timeout per attempt, the last one
is sent at most about 3 minutes after the first, inside the 5-minute signature window."""


@dataclass(frozen=True)
class Posted:
    """The answer that ended the attempts, and how many attempts were made."""

    response: httpx.Response
    attempts: int


def post_signed(
    client: httpx.Client,
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> Posted:
    """POST `body` with its signature `headers`; again, identical, after a 429/502/503/504 or a
    transport error (timeout, reset), up to `len(RETRY_DELAYS)` more times. The last answer is
    returned; the last transport error is raised when no attempt was answered."""
    sent = dict(headers)
    delays = RETRY_DELAYS
    for attempt, delay in enumerate((*delays, None), start=1):
        try:
            response = client.post(url, content=body, headers=sent)
        except httpx.TransportError:
            if delay is None:
                raise
        else:
            if response.status_code not in RETRIED_STATUSES or delay is None:
                return Posted(response, attempt)
        sleep(delay)
    raise AssertionError("unreachable: the last attempt returns or raises")
