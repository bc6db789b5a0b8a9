"""Starting a run from a signed webhook: who it is, the one guard against its duplicates, and
the answer. The route parses the body (the request envelope) and hands it over; this stores it.

The run id is also the execution's name (`ids.py`), and the record is created under it by one
conditional put, so a run id names one record and one execution however often it is submitted.
What differs is how a webhook gets its run id, hence its duplicate guard:

- With an `Idempotency-Key` header, the run id is the key's (uuid5): the key names one run for
  good, and the conditional put of the record is the whole guard (a repeated or concurrent
  delivery finds the record). The same key with another body within the idempotency window is a
  conflict (`IdempotencyKeyReused`, told by the stored request); after it, the key still names
  its first run.
- Without one, the body is the key for the idempotency window: its claim (`BodyClaims`, keyed by
  the canonical body's digest) is the guard. The claim names the run before anything else is
  written, so a resend (signed anew) or a concurrent duplicate finds that run at once, and the
  record is created under it by whichever gets there first. A new run's id comes from the body
  and its signed timestamp, so the same body sent after the window starts a new run.
"""

from __future__ import annotations

from agentsim.runs import ids
from agentsim.runs.errors import Problem, RequestInvalid, RunError
from agentsim.runs.record import Origin, Requested, RunRecord
from agentsim.runs.services import Services
from agentsim.runs.submit import Submitted, check_called_urls, start_execution, submit_checked

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_IDEMPOTENCY_KEY = 128


class IdempotencyKeyReused(RunError):
    """The Idempotency-Key was first used with a different body, within the window."""

    def __init__(self) -> None:
        super().__init__(f"{IDEMPOTENCY_HEADER} was already used with a different request body")


def submit_webhook(
    services: Services, request: Requested, *, idempotency_key: str | None, signed_at: str
) -> Submitted:
    """Store the run `request` asks for (once) and start its execution (once)."""
    check_called_urls(services, request)
    if idempotency_key is None:
        return _by_body(services, request, signed_at)
    run_id = ids.run_id_for_key(checked_key(idempotency_key))
    now = services.clock()
    record = RunRecord.new(run_id, Origin.WEBHOOK, now, request=request)
    current, created = services.runs.create_or_get(record)
    reused = not created and current.request != record.request
    if reused and now - current.created_at < services.require_bodies().window:
        raise IdempotencyKeyReused()
    start_execution(services, current)
    return Submitted(run_id, current.status, created)


def _by_body(services: Services, request: Requested, signed_at: str) -> Submitted:
    stored = request.stored()
    fresh = ids.run_id_for_body(stored, signed_at)
    bodies = services.require_bodies()
    run_id = bodies.claim(ids.body_digest(stored), fresh, at=services.clock())
    return submit_checked(services, run_id, request, Origin.WEBHOOK)


def checked_key(idempotency_key: str) -> str:
    """The key as sent (trimmed); RequestInvalid naming the header when it is unusable."""
    key = idempotency_key.strip()
    if not 1 <= len(key) <= MAX_IDEMPOTENCY_KEY or not key.isprintable():
        problem = f"must be 1 to {MAX_IDEMPOTENCY_KEY} printable characters"
        raise RequestInvalid([Problem(f"headers.{IDEMPOTENCY_HEADER}", problem)])
    return key
