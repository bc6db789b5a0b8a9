"""Provider clients on their scripted fakes, described alike so one test can run for each.

A provider's fake module builds its client and adapter through a `ProviderAccount` (a test key,
the provider's real base URL) and describes its client as a `ScriptedClient`: how to build the
fake and the client, how the key is sent and errors are worded, one read, the create and the paid
launch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from support.scripted_transport import Answer, ScriptedTransport, ok

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
    """One client operation: its route, the client method called (whose name the client's
    errors carry) with its arguments, a good answer's JSON and what the client reads in it."""

    method: str
    path: str
    name: str
    args: tuple[Any, ...]
    answer: Any
    """The JSON body of a good answer."""
    parsed: Callable[[Any], Any]
    """What of the client's answer to the good answer to compare with `expected`."""
    expected: Any

    def call(self, client: Any) -> Any:
        return getattr(client, self.name)(*self.args)

    def good_answer(self) -> httpx.Response:
        return ok(self.answer)


@dataclass(frozen=True)
class ScriptedClient:
    """A provider's client on its fake (`provider` is the name its errors carry).

    `read` is a read, `create` and `launch` the two calls that are never repeated when their
    outcome is unknown (the second one a paid run); `auth` the headers that carry the key.
    """

    provider: str
    account: ProviderAccount[Any, Any]
    fake: Callable[[], ScriptedTransport]
    auth: Callable[[str], dict[str, str]]
    error_body: Callable[[str], dict[str, Any]]
    """The JSON body in which the provider words an error message."""
    read: ScriptedOperation
    create: ScriptedOperation
    launch: ScriptedOperation

    @property
    def api_key(self) -> str:
        return self.account.api_key

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
        return operation.call(self.account.client(fake, sleeps, attempts))


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
