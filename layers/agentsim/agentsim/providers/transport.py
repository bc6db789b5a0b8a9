"""The httpx side of the provider clients: the kept clients of a warm function, and request
timeouts that never outlast the invocation's deadline.
"""

from __future__ import annotations

import httpx

from agentsim.providers.deadline import Deadline

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class ClientPool:
    """httpx clients kept for as long as the warm function lives: one per provider and base URL.

    A new `httpx.Client` builds an SSL context and loads certifi's CA bundle, which costs more
    than a poll's whole request; a kept one also reuses its open connections ("use a Client
    instance", https://www.python-httpx.org/advanced/clients/). The clients carry no credential
    (each request sends its own key) and are never closed by the `ProviderHttp` using them.
    A connection idle longer than httpx's `keepalive_expiry` (5 s) is dropped rather than reused,
    so one left over from a poll minutes ago is not sent on; the client and its SSL context are.
    One invocation at a time uses them (Lambda runs one per execution environment).
    """

    def __init__(self, *, transport: httpx.BaseTransport | None = None) -> None:
        self._transport = transport
        self._clients: dict[tuple[str, str], httpx.Client] = {}

    def client(self, provider: str, base_url: str) -> httpx.Client:
        """The client for `provider` at `base_url`, made on first use."""
        key = (provider, base_url)
        client = self._clients.get(key)
        if client is None or client.is_closed:
            client = self._clients[key] = new_client(base_url, DEFAULT_TIMEOUT, self._transport)
        return client

    def __len__(self) -> int:
        return len(self._clients)

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()


def new_client(
    base_url: str, timeout: httpx.Timeout, transport: httpx.BaseTransport | None
) -> httpx.Client:
    """A client without credentials: only `Accept` is a default header."""
    return httpx.Client(
        base_url=base_url,
        headers={"Accept": "application/json"},
        timeout=timeout,
        transport=transport,
    )


class TimeLeft(dict[str, float | None]):
    """A request's `timeout` extension whose values never exceed the time left.

    httpx timeouts bound each connect, write and read rather than the whole exchange
    (https://www.python-httpx.org/advanced/timeouts/). httpcore takes each value from this
    mapping (`.get`) as that phase begins: connect, send, await the headers, read the body
    (https://www.encode.io/httpcore/extensions/#timeout; httpcore 1.0 `_sync/http11.py`). So a
    provider that is slow to connect, to answer or to finish the body is cut off at the
    deadline; only one that keeps trickling bytes within one phase can stretch it.
    """

    def __init__(self, configured: httpx.Timeout, deadline: Deadline) -> None:
        super().__init__(configured.as_dict())
        self.deadline = deadline

    def get(self, key: str, default: float | None = None) -> float | None:  # type: ignore[override]
        configured = super().get(key, default)
        left = max(self.deadline.remaining(), 0.0)
        return left if configured is None else min(configured, left)

    def __getitem__(self, key: str) -> float | None:
        super().__getitem__(key)  # KeyError for a phase it does not know
        return self.get(key)
