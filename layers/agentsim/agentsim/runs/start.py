"""Workflow step 2: start the simulation on the provider, at most once per run.

The paid launch is protected by what the record remembers, so a Step Functions retry (after a
throttle, a timeout, a lost Lambda answer) can never launch a second simulation:
1. already launched (`handle` stored): nothing to do;
2. a launch was attempted (`launch_attempted_at` stored) but its answer was lost: ask the
   provider with `find_launch`; launch again only if the provider shows no run of ours;
3. otherwise `prepare` (create/update: free), store the prepared ids, store the attempt time,
   then `launch` (paid), then store the handle and move the run to RUNNING.
"""

from __future__ import annotations

import contextlib
from datetime import datetime

from agentsim.providers.base import ProviderRun, SimulationProvider
from agentsim.providers.errors import ProviderError
from agentsim.runs.envelope import RunRequest, parse_request
from agentsim.runs.errors import RunAlreadyFinished
from agentsim.runs.record import RunRecord, RunStatus
from agentsim.runs.services import Services
from agentsim.runs.step import PollStep, wait_after

PENDING_ONLY = frozenset({RunStatus.PENDING})


def _first_step(services: Services, record: RunRecord, now: datetime) -> PollStep:
    return PollStep(
        count=record.poll_count,
        wait_seconds=wait_after(services.settings, record, 0, now),
        status=record.status.value,
        terminal=record.terminal,
        past_deadline=False,
    )


def start(services: Services, run_id: str) -> PollStep:
    record = services.repository.get(run_id)
    if record.terminal or record.handle is not None:
        return _first_step(services, record, services.clock())
    request = parse_request(record.request)
    with services.providers(record.expect_provider()) as provider:
        launched = _launch_once(services, record, request, provider)
        expected = provider.expected_duration_seconds(request.simulation, request.run)
        now = services.clock()
        try:
            record = services.repository.change(
                run_id,
                {
                    "handle": launched,
                    "simulation_id": launched.simulation_id,
                    "provider_run_id": launched.run_id,
                    "expected_seconds": expected,
                    "started_at": now,
                },
                status=RunStatus.RUNNING,
                note="launched on the provider",
            )
        except RunAlreadyFinished as ended:
            # Stopped (API) while we launched: do not leave a paid simulation running.
            _stop_quietly(provider, launched)
            record = ended.record
    return _first_step(services, record, now)


def _launch_once(
    services: Services, record: RunRecord, request: RunRequest, provider: SimulationProvider
) -> ProviderRun:
    repository = services.repository
    prepared = record.prepared
    if prepared is not None and record.launch_attempted_at is not None:
        found = provider.find_launch(
            prepared, idempotency_key=record.run_id, attempted_at=record.launch_attempted_at
        )
        if found is not None:
            return found
    if prepared is None:
        prepared = provider.prepare(request.simulation, simulation_id=request.simulation_id)
        repository.change(
            record.run_id,
            {"prepared": prepared, "simulation_id": prepared.simulation_id},
            allowed=PENDING_ONLY,
        )
    repository.change(
        record.run_id, {"launch_attempted_at": services.clock()}, allowed=PENDING_ONLY
    )
    return provider.launch(prepared, request.run, idempotency_key=record.run_id)


def _stop_quietly(provider: SimulationProvider, run: ProviderRun) -> None:
    with contextlib.suppress(ProviderError):
        provider.stop(run)
