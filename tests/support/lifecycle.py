"""Provider lifecycle tests on the emulator: connect, poll a run to its end, read the call log."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Unpack

import pytest
from pydantic import BaseModel

from agentsim.providers.base import AnyProvider, PollResult
from agentsim.providers.errors import ProviderUnavailable
from agentsim.providers.http import HttpOptions
from agentsim.providers.retry import RetryPolicy
from agentsim_local.emulator import EmulatorServer
from agentsim_local.emulator.settings import Provider

FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.01, max_delay=0.05)


def connect[P: AnyProvider](
    factory: Callable[..., P],
    emulator: EmulatorServer,
    provider: Provider,
    api_key: str,
    **options: Unpack[HttpOptions],
) -> P:
    """`factory` (a provider class) on the emulator, with quick retries and a 5 s timeout.

    `options` override those defaults.
    """
    settings: HttpOptions = {"retry": FAST_RETRY, "timeout": 5.0, **options}
    return factory(api_key, base_url=emulator.base_urls[provider], **settings)


def start_run(
    provider: AnyProvider,
    simulation: BaseModel | None,
    *,
    simulation_id: str | None = None,
    run: BaseModel | None = None,
    idempotency_key: str,
) -> Any:
    """prepare then launch, as the workflow's Start step does without its bookkeeping."""
    prepared = provider.prepare(simulation, simulation_id=simulation_id)
    return provider.launch(prepared, run, idempotency_key=idempotency_key)


def poll_until_terminal(provider: AnyProvider, run: Any, timeout: float = 10.0) -> list[PollResult]:
    """Poll `run` every 100 ms until its status is terminal: every poll, the terminal one last.

    Fails the test when the run has not ended within `timeout` seconds.
    """
    seen: list[PollResult] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen.append(provider.poll(run))
        if seen[-1].status.terminal:
            return seen
        time.sleep(0.1)
    raise AssertionError(f"run did not end within {timeout}s: {seen[-1:]}")


def launch_into_a_fault(
    adapter: AnyProvider, prepared: Any, idempotency_key: str
) -> tuple[ProviderUnavailable, Any]:
    """Launch `prepared` while the emulator fails the launch call, then ask `find_launch` (given
    the time of the attempt) whether the provider started it anyway.

    The launch must fail with ProviderUnavailable: its error is returned with what was found.
    """
    attempted_at = datetime.now(UTC)
    with pytest.raises(ProviderUnavailable) as caught:
        adapter.launch(prepared, None, idempotency_key=idempotency_key)
    found = adapter.find_launch(
        prepared, idempotency_key=idempotency_key, attempted_at=attempted_at
    )
    return caught.value, found


def emulator_calls(
    emulator: EmulatorServer,
    provider: Provider,
    method: str | None = None,
    path: str | None = None,
) -> list[dict[str, Any]]:
    """The emulator's log of calls to `provider`, optionally only one method and one path."""
    return [
        c
        for c in emulator.calls.list(provider)
        if (method is None or c["method"] == method) and (path is None or c["path"] == path)
    ]


def lost_launch(
    factory: Callable[..., AnyProvider],
    emulator: EmulatorServer,
    provider: Provider,
    api_key: str,
    simulation: BaseModel,
    *,
    launch_path: str,
    idempotency_key: str,
) -> tuple[Any, Any, Any]:
    """A launch whose answer comes after the client gave up: the provider answers `launch_path`
    after 1.5 s, the client waits 0.5 s. The launch fails ambiguous and is not repeated.

    Returns the adapter (to close), the prepared handle and what `find_launch` recovered.
    """
    adapter = connect(factory, emulator, provider, api_key, timeout=0.5, sleep=lambda _: None)
    prepared = adapter.prepare(simulation)
    emulator.faults.add(provider=provider, kind="slow", path_contains=launch_path, delay=1.5)
    error, found = launch_into_a_fault(adapter, prepared, idempotency_key)
    assert error.ambiguous is True
    return adapter, prepared, found


def throttle_and_fail_now_and_then(
    emulator: EmulatorServer, provider: Provider, launch_path: str
) -> None:
    """The launch throttled twice (Retry-After: 1), and reads failing now and then: a 5xx,
    a gateway's HTML page and a 429, on the 2nd, 4th and 6th GET."""
    emulator.faults.add(
        provider=provider, kind="429-retry-after", path_contains=launch_path, retry_after=1, times=2
    )
    for nth, kind in ((2, "5xx"), (4, "html"), (6, "429")):
        emulator.faults.add(provider=provider, kind=kind, method="GET", nth=nth, times=1)
