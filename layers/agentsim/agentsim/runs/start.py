"""Workflow step 2: start the simulation on the provider, at most once per run, and follow only
a launch of the run's own.

The paid launch is protected by what the record remembers, so a Step Functions retry (after a
throttle, a timeout, a lost Lambda answer) can never launch a second simulation; and by claims
(`claims.py`), so a run never follows another run's launch:
1. already launched (`handle` stored): nothing to do;
2. `prepare` (create/update: free) once, the prepared ids stored;
3. hold the launch scope: one run at a time launches among those whose launches look alike
   (one Bluejay simulation, one Synthflow suite); it is held until the launch is claimed;
4. a launch was attempted (`launch_attempted_at` stored) but its answer was lost: ask the
   provider for `launch_candidates` and claim the first one no other run claimed, which under
   the scope is ours; launch again only if there is none (never while one may still fill up);
5. otherwise claim what the launch will be known by, if that is known ahead, store the attempt
   time, `launch` (paid) and claim the launch the provider named;
6. store the handle, move the run to RUNNING, let the scope go.
A launch refused in a way that proves nothing started (a 429, a 503 or 4xx in the provider's
words) forgets its attempt and lets the scope go, so the retry launches cleanly; an ambiguous
one keeps both, so the retry looks for it under the same scope.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import TYPE_CHECKING

from agentsim.providers.base import AnyProvider
from agentsim.providers.errors import ProviderError, ProviderUnavailable
from agentsim.providers.handles import LaunchedHandle, PreparedHandle
from agentsim.runs.errors import LaunchTaken, RunAlreadyFinished
from agentsim.runs.pacing import PollStep, wait_after
from agentsim.runs.ports import LaunchClaims
from agentsim.runs.record import Change, RunRecord, RunStatus
from agentsim.runs.services import Services

if TYPE_CHECKING:
    from agentsim.runs.envelope import RunRequest

PENDING_ONLY = frozenset({RunStatus.PENDING})


def _first_step(services: Services, record: RunRecord, now: datetime) -> PollStep:
    return PollStep(
        count=record.poll_count,
        wait_seconds=wait_after(services.pacing, record, [], now),
        status=record.status.value,
        terminal=record.terminal,
        past_deadline=False,
    )


def start(services: Services, run_id: str) -> PollStep:
    from agentsim.runs.envelope import parse_request  # noqa: PLC0415 (every provider's models)

    record = services.runs.get(run_id)
    if record.terminal or record.handle is not None:
        return _first_step(services, record, services.clock())
    request = parse_request(record.request)
    claims = services.require_claims()
    with services.providers(record.expect_provider()) as provider:
        prepared = _prepare_once(services, record, request, provider)
        scope = provider.launch_scope(prepared, idempotency_key=run_id)
        claims.hold(scope, run_id)
        launched = _Launch(services, claims, provider, record, prepared, scope).run(request)
        expected = provider.expected_duration_seconds(request.simulation, request.run)
        now = services.clock()
        try:
            change = Change.move(
                RunStatus.RUNNING,
                note="launched on the provider",
                handle=launched,
                simulation_id=launched.simulation_id,
                provider_run_id=launched.run_id,
                expected_seconds=expected,
                started_at=now,
            )
            record = services.runs.change(run_id, change)
        except RunAlreadyFinished as ended:
            # Stopped (API) while we launched: do not leave a paid simulation running.
            _stop_quietly(provider, launched)
            record = ended.record
        claims.release(scope, run_id)
    return _first_step(services, record, now)


def _prepare_once(
    services: Services, record: RunRecord, request: RunRequest, provider: AnyProvider
) -> PreparedHandle:
    if record.prepared is not None:
        return record.prepared
    prepared: PreparedHandle = provider.prepare(
        request.simulation, simulation_id=request.simulation_id, attempts=request.attempts
    )
    change = Change.within(PENDING_ONLY, prepared=prepared, simulation_id=prepared.simulation_id)
    services.runs.apply(record.run_id, change)
    return prepared


class _Launch:
    """One run's launch inside its held scope: found again, or made, and claimed."""

    def __init__(
        self,
        services: Services,
        claims: LaunchClaims,
        provider: AnyProvider,
        record: RunRecord,
        prepared: PreparedHandle,
        scope: str,
    ) -> None:
        self.services = services
        self.claims = claims
        self.provider = provider
        self.run_id = record.run_id
        self.prepared = prepared
        self.scope = scope
        self.outstanding = record.launch_attempted_at
        """An earlier attempt whose answer was lost: it may have started something."""
        self.reusable = provider.reuses_launch_keys

    def run(self, request: RunRequest) -> LaunchedHandle:
        if self.outstanding is not None:
            found = self._adopt(self.outstanding)
            if found is not None:
                return found
        ahead = self.provider.launch_key_ahead(self.prepared, idempotency_key=self.run_id)
        try:
            if ahead is not None and not self.claims.claim(
                ahead, self.run_id, reusable=self.reusable
            ):
                raise LaunchTaken(self.run_id, ahead, self.claims.owner(ahead))
            if self.outstanding is None:
                attempt = Change.within(PENDING_ONLY, launch_attempted_at=self.services.clock())
                self.services.runs.apply(self.run_id, attempt)
            launched: LaunchedHandle = self.provider.launch(
                self.prepared, request.run, idempotency_key=self.run_id
            )
        except ProviderError as error:
            if not error.ambiguous:
                self._forget(ahead)
            raise
        except LaunchTaken:
            self._forget(None)
            raise
        except RunAlreadyFinished:  # stopped before the paid call
            self._forget(ahead)
            raise
        key = self.provider.launch_key(launched)
        if not self.claims.claim(key, self.run_id, reusable=self.reusable):
            # No other run launches in our scope, so only an outside hand can have claimed it.
            self.claims.release(self.scope, self.run_id)
            raise LaunchTaken(self.run_id, key, self.claims.owner(key))
        return launched

    def _adopt(self, attempted_at: datetime) -> LaunchedHandle | None:
        """Our lost launch: the first candidate no other run claimed. Under our scope nobody
        else's launch is unclaimed, so that is ours; one still filling up means wait."""
        candidates = self.provider.launch_candidates(
            self.prepared, idempotency_key=self.run_id, attempted_at=attempted_at
        )
        filling: list[str] = []
        for candidate in candidates:
            if not candidate.settled:
                if self.claims.owner(candidate.key) in (None, self.run_id):
                    filling.append(candidate.key)
            elif self.claims.claim(candidate.key, self.run_id, reusable=self.reusable):
                found: LaunchedHandle = candidate.run
                return found
        if filling:
            raise ProviderUnavailable(
                self.provider.name,
                f"{filling[0]} may be the launch whose answer was lost and is still filling up; "
                "looking again later instead of launching again",
                operation="find_launch",
                ambiguous=True,
            )
        return None

    def _forget(self, ahead: str | None) -> None:
        """After a refusal that started nothing: drop what this attempt wrote, let the scope go.

        An earlier lost attempt still stands (it may have started something), so then the
        attempt time and the scope stay, and the retry looks for that launch again.
        """
        if self.outstanding is not None:
            return
        if ahead is not None:
            self.claims.unclaim(ahead, self.run_id)
        with contextlib.suppress(RunAlreadyFinished):
            forgotten = Change.within(PENDING_ONLY, launch_attempted_at=None)
            self.services.runs.apply(self.run_id, forgotten)
        self.claims.release(self.scope, self.run_id)


def _stop_quietly(provider: AnyProvider, run: LaunchedHandle) -> None:
    with contextlib.suppress(ProviderError):
        provider.stop(run)
