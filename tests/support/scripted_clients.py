"""Provider clients on their scripted fakes, described alike so one test can run for each.

A provider's fake module builds its client and adapter through a `ProviderAccount` (a test key,
the provider's real base URL) and describes its client as a `ScriptedClient`: how to build the
fake and the client, how its errors are worded, one read and the paid launch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from support.scripted_transport import Answer, ScriptedTransport

from agentsim.providers.errors import ProviderError


@dataclass(frozen=True)
class ProviderAccount[C, P]:
    """A provider's client (`C`) and adapter (`P`) on a scripted fake, with quick retries."""

    api_key: str
    base_url: str
    client_type: Callable[..., C]
    provider_type: Callable[..., P]

    def client(
        self,
        fake: ScriptedTransport,
        sleeps: list[float] | None = None,
        attempts: int = 4,
        *,
        base_url: str | None = None,
    ) -> C:
        """The client, sending every request to `fake` (waits recorded in `sleeps` if given)."""
        options = fake.options(sleeps, attempts)
        return self.client_type(self.api_key, base_url=base_url or self.base_url, **options)

    def provider(
        self, fake: ScriptedTransport, sleeps: list[float] | None = None, attempts: int = 4
    ) -> P:
        """The adapter, its client sending every request to `fake`."""
        options = fake.options(sleeps, attempts)
        return self.provider_type(self.api_key, base_url=self.base_url, **options)


@dataclass(frozen=True)
class ScriptedOperation:
    """One client operation: its route, the call, a good answer and what the client reads in it."""

    method: str
    path: str
    name: str
    """The operation's name in the client's errors."""
    call: Callable[[Any], Any]
    good_answer: Callable[[], httpx.Response]
    parsed: Callable[[Any], Any]
    """What of the client's answer to the good answer to compare with `expected`."""
    expected: Any


@dataclass(frozen=True)
class ScriptedClient:
    """A provider's client on its fake (`provider` is the name its errors carry)."""

    provider: str
    api_key: str
    fake: Callable[[], ScriptedTransport]
    client: Callable[[ScriptedTransport, list[float] | None, int], Any]
    """The client on a fake: (fake, sleeps, attempts) -> client."""
    error_body: Callable[[str], dict[str, Any]]
    """The JSON body in which the provider words an error message."""
    read: ScriptedOperation
    launch: ScriptedOperation

    def script(self, operation: ScriptedOperation, *answers: Answer) -> ScriptedTransport:
        """A fake answering `operation` with `answers` (the last repeats)."""
        return self.fake().on(operation.method, operation.path, *answers)

    def call(
        self,
        operation: ScriptedOperation,
        fake: ScriptedTransport,
        *,
        attempts: int = 4,
        sleeps: list[float] | None = None,
    ) -> Any:
        """Call `operation` once with a client on `fake`: the client's answer."""
        return operation.call(self.client(fake, sleeps, attempts))


def assert_no_key(error: ProviderError, api_key: str) -> None:
    """The key is nowhere in the error: its text, message, detail, args or dict form."""
    for text in (
        str(error),
        error.message,
        repr(error.detail),
        repr(error.args),
        str(error.to_dict()),
    ):
        assert api_key not in text
