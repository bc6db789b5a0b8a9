"""A scripted provider for unit tests: an httpx.MockTransport handler routing by method and path.

Each provider's fake (`FakeBluejay`, `FakeOmni`, `FakeSynthflow`) is a `ScriptedTransport`
that says how a request path maps to a route and what its API answers for an unknown route.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Self

import httpx

from agentsim.providers.http import HttpOptions
from agentsim.providers.retry import RetryPolicy

Answer = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def ok(body: Any) -> httpx.Response:
    """A 200 with `body` as its JSON."""
    return httpx.Response(200, json=body)


class ScriptedTransport:
    """Answers each (method, route) from its own script; the last answer repeats.

    An answer is a response, an exception to raise, or a function of the request. Every
    request is recorded in `requests`. By default a route is the raw request path (still
    percent-encoded, without the query); subclasses change `route` and `route_of`.
    """

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], list[Answer]] = {}
        self.requests: list[httpx.Request] = []

    def route(self, path: str) -> str:
        """The route of a path as the tests write it (in `on` and `calls`)."""
        return path

    def route_of(self, request: httpx.Request) -> str:
        """The route a request is answered from."""
        return request.url.raw_path.decode().split("?", 1)[0]

    def not_found(self, request: httpx.Request) -> httpx.Response:
        """The answer to a request no route was scripted for."""
        return httpx.Response(404, json={"detail": "Not Found"})

    def on(self, method: str, path: str, *answers: Answer) -> Self:
        self.routes[(method.upper(), self.route(path))] = list(answers)
        return self

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        script = self.routes.get((request.method, self.route_of(request)))
        if script is None:
            return self.not_found(request)
        answer = script.pop(0) if len(script) > 1 else script[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        return answer(request)

    def calls(self, method: str | None = None, path: str | None = None) -> list[httpx.Request]:
        """The requests seen, optionally only those of one method and one route."""
        return [
            r
            for r in self.requests
            if (method is None or r.method == method)
            and (path is None or self.route_of(r) == self.route(path))
        ]

    def body(self, which: int | httpx.Request = -1) -> Any:
        """The JSON body of the request at index `which` (the last by default), or of `which`."""
        request = self.requests[which] if isinstance(which, int) else which
        return json.loads(request.content) if request.content else None

    def options(self, sleeps: list[float] | None = None, attempts: int = 4) -> HttpOptions:
        """Client options that send every request here, with quick retries.

        The waits between retries are recorded in `sleeps` when given, skipped otherwise.
        """
        return {
            "retry": RetryPolicy(attempts=attempts, base_delay=0.01, max_delay=0.05),
            "transport": httpx.MockTransport(self),
            "sleep": sleeps.append if sleeps is not None else lambda _: None,
        }
