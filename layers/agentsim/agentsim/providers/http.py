"""One HTTP core for every provider client: classification, bounded retries, no duplicate starts.

Retry rules (the reason this module exists):
- 429 and connection failures before the request was sent are retried for every call.
- Read timeouts, 5xx and malformed 2xx bodies are retried only for idempotent calls (GET, PUT,
  DELETE, stop). For a call that creates, starts or queues something (a paid run) the request may
  have been processed, so the client raises `ProviderUnavailable(ambiguous=True)` instead of
  repeating it; the caller reconciles against the provider's state before trying again. A 503 in
  the provider's own error shape is a refusal, not ambiguous, and is retried for every call.
- Backoff is exponential with full jitter, capped; `Retry-After` (seconds or HTTP date) is
  honoured when the provider sends it, up to `max_retry_after`.
- With a `Deadline` (the invocation's time budget), each phase of an attempt (connect, send,
  await the answer, read the body) waits no longer than the time left (`TimeLeft`), and no
  attempt or backoff begins that could not end before it: the call gives up with the classified
  error instead (`ProviderUnavailable`, ambiguous only if an attempt may have reached the
  provider), never running into the Lambda timeout.
- No error leaves this module carrying the API key, even when a provider echoes it back.

Connections: a warm function keeps one `httpx.Client` per provider and base URL (`ClientPool`).
The key travels as headers of each request, never as a client default, so a pooled client holds
no credential.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Self, TypedDict
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from agentsim.providers.deadline import Deadline
from agentsim.providers.errors import (
    ProviderAuthError,
    ProviderError,
    ProviderNotFound,
    ProviderRejected,
    ProviderThrottled,
    ProviderUnavailable,
)
from agentsim.providers.messages import fastapi_message

logger = logging.getLogger(__name__)

ErrorMessage = Callable[[Any], str | None]
"""Extracts the provider's own error message from a parsed error body."""

BodyReader = Callable[[Any, str], Any]
"""A provider's reading of a 2xx body, given the operation: its payload, or raises the refusal
(ProviderRejected) the body states. Run inside `ProviderHttp.request`, so it is redacted too."""

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
MIN_ATTEMPT_SECONDS = 1.0
"""No attempt starts with less time left than this before the deadline: it could only time out,
and for a start that would leave an ambiguous launch behind where none need be."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 20.0
    max_retry_after: float = 60.0

    def backoff(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before attempt `attempt + 1` (attempt counts from 0)."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        ceiling = min(self.max_delay, self.base_delay * (2**attempt))
        return random.uniform(0, ceiling)  # noqa: S311 - jitter, not cryptography


NO_RETRY = RetryPolicy(attempts=1)
REDACTED = "[redacted]"


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
            client = self._clients[key] = _client(base_url, DEFAULT_TIMEOUT, self._transport)
        return client

    def __len__(self) -> int:
        return len(self._clients)

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()


class HttpOptions(TypedDict, total=False):
    """Transport knobs every client and adapter passes through to `ProviderHttp` unchanged."""

    retry: RetryPolicy | None
    timeout: httpx.Timeout | float
    transport: httpx.BaseTransport | None
    sleep: Callable[[float], None]
    clients: ClientPool | None
    deadline: Deadline | None


def parse_retry_after(value: str | None) -> float | None:
    """`Retry-After` as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class ProviderHttp:
    """One provider's HTTP calls: returns parsed JSON or raises a classified ProviderError.

    The httpx client comes from `clients` (shared, left open) or is made for this object alone
    (with `transport`, closed by `close`). `headers` (the key among them) go with every request.
    """

    def __init__(
        self,
        provider: str,
        base_url: str,
        headers: Mapping[str, str],
        *,
        error_message: ErrorMessage = fastapi_message,
        secret: str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clients: ClientPool | None = None,
        deadline: Deadline | None = None,
    ) -> None:
        self.provider = provider
        self.retry = retry or RetryPolicy()
        self.deadline = deadline
        self._secret = secret.strip() if secret else None
        self._error_message = error_message
        self._sleep = sleep
        self._timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self._headers = dict(headers)
        root = base_url.rstrip("/") + "/"
        if clients is not None and transport is not None:
            raise TypeError("pass a transport to the ClientPool, not to a pooled ProviderHttp")
        self._owns_client = clients is None
        self._client = (
            _client(root, self._timeout, transport)
            if clients is None
            else clients.client(provider, root)
        )

    @property
    def base_url(self) -> str:
        return str(self._client.base_url)

    def close(self) -> None:
        """Close the client if it is this object's own; a pooled one stays open for the next."""
        if self._owns_client:
            self._client.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        idempotent: bool | None = None,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        expect_body: bool = True,
        read: BodyReader | None = None,
    ) -> Any:
        """Send the request with retries; return the parsed JSON body (None for empty bodies),
        through `read` when given."""
        try:
            body = self._with_retries(
                method, path, operation, idempotent, json, params, expect_body
            )
            return body if read is None else read(body, operation)
        except ProviderError as error:
            self.redact(error)
            raise

    def parse[M: BaseModel](
        self, model: type[M], body: Any, operation: str, *, ambiguous: bool = False
    ) -> M:
        """Validate a 2xx body; an unusable shape is a provider fault (ambiguous for starts)."""
        try:
            return model.model_validate(body)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}"
                for e in exc.errors()[:3]
            )
            raise self.redact(
                ProviderUnavailable(
                    self.provider,
                    f"unexpected {model.__name__} body: {problems}",
                    status_code=200,
                    operation=operation,
                    ambiguous=ambiguous,
                )
            ) from None

    def redact[E: ProviderError](self, error: E) -> E:
        """`error` without the API key in its message, args or detail."""
        key = self._secret
        if key and (key in error.message or key in str(error.detail) or key in str(error)):
            error.message = error.message.replace(key, REDACTED)
            error.detail = None
            error.args = tuple(str(a).replace(key, REDACTED) for a in error.args)
        return error

    def _with_retries(
        self,
        method: str,
        path: str,
        operation: str,
        idempotent: bool | None,
        json: Any,
        params: Mapping[str, Any] | None,
        expect_body: bool,
    ) -> Any:
        if idempotent is None:
            idempotent = method.upper() in {"GET", "HEAD", "PUT", "DELETE"}
        attempt = 0
        reached = False  # whether an attempt so far may have been processed by the provider
        while True:
            self._require_time(operation, reached)
            try:
                return self._once(method, path, operation, json, params, expect_body)
            except ProviderError as error:
                reached = reached or (isinstance(error, ProviderUnavailable) and error.ambiguous)
                may_retry = isinstance(error, ProviderThrottled) or (
                    isinstance(error, ProviderUnavailable) and (idempotent or not error.ambiguous)
                )
                attempt += 1
                if not may_retry or attempt >= self.retry.attempts:
                    raise
                retry_after = error.retry_after if isinstance(error, ProviderThrottled) else None
                if retry_after is not None and retry_after > self.retry.max_retry_after:
                    raise
                delay = self.retry.backoff(attempt - 1, retry_after)
                if not self._leaves_time_after(delay):
                    raise  # the retry could not end before the deadline: Step Functions retries
                logger.warning(
                    "provider call failed, retrying",
                    extra={
                        "provider": self.provider,
                        "operation": operation,
                        "error": type(error).__name__,
                        "status_code": error.status_code,
                        "attempt": attempt,
                        "delay": round(delay, 3),
                    },
                )
                self._sleep(delay)

    def _require_time(self, operation: str, reached: bool) -> None:
        """Refuse to begin an attempt that could only time out (nothing is sent)."""
        if self.deadline is None:
            return
        left = self.deadline.remaining()
        if left < MIN_ATTEMPT_SECONDS:
            raise ProviderUnavailable(
                self.provider,
                f"no time left for the call before the invocation's deadline ({max(left, 0):.1f}s)",
                operation=operation,
                ambiguous=reached,
            )

    def _leaves_time_after(self, delay: float) -> bool:
        """Whether a retry after `delay` seconds would still start with time to finish."""
        return self.deadline is None or self.deadline.remaining() - delay >= MIN_ATTEMPT_SECONDS

    def _once(
        self,
        method: str,
        path: str,
        operation: str,
        json: Any,
        params: Mapping[str, Any] | None,
        expect_body: bool,
    ) -> Any:
        request = self._client.build_request(
            method,
            path.lstrip("/"),
            json=json,
            params=_clean(params),
            headers=self._headers,
            timeout=self._timeout,
        )
        if self.deadline is not None:
            request.extensions["timeout"] = TimeLeft(self._timeout, self.deadline)
        try:
            response = self._client.send(request)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise ProviderUnavailable(
                self.provider,
                f"could not connect: {type(exc).__name__}",
                operation=operation,
                ambiguous=False,
            ) from exc
        except httpx.TimeoutException as exc:
            raise ProviderUnavailable(
                self.provider,
                f"timed out waiting for the answer: {type(exc).__name__}",
                operation=operation,
                ambiguous=True,
            ) from exc
        except httpx.TransportError as exc:
            raise ProviderUnavailable(
                self.provider,
                f"connection failed mid-request: {type(exc).__name__}",
                operation=operation,
                ambiguous=True,
            ) from exc
        return self._parse(response, operation, expect_body)

    def _parse(self, response: httpx.Response, operation: str, expect_body: bool) -> Any:
        status = response.status_code
        body: Any = None
        parsed = False
        if response.content:
            try:
                body = response.json()
                parsed = True
            except ValueError:
                parsed = False
        if 200 <= status < 300:
            if not response.content:
                if expect_body:
                    raise ProviderUnavailable(
                        self.provider,
                        "empty body where JSON was expected",
                        status_code=status,
                        operation=operation,
                        ambiguous=True,
                    )
                return None
            if not parsed:
                raise ProviderUnavailable(
                    self.provider,
                    f"malformed body ({_content_type(response)}): {_snippet(response)}",
                    status_code=status,
                    operation=operation,
                    ambiguous=True,
                )
            return body
        message = (self._error_message(body) if parsed else None) or _snippet(response)
        message = message or response.reason_phrase or f"HTTP {status}"
        kwargs: dict[str, Any] = {
            "status_code": status,
            "operation": operation,
            "detail": body if parsed else None,
        }
        if status in (401, 403):
            raise ProviderAuthError(self.provider, message, **kwargs)
        if status == 404:
            raise ProviderNotFound(self.provider, message, **kwargs)
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            raise ProviderThrottled(self.provider, message, retry_after=retry_after, **kwargs)
        if status >= 500 or status == 408:
            # A 503 in the provider's own error shape refused before doing anything (RFC 9110
            # 15.6.4, "unable to handle the request"); a 500, a gateway's 502/504 or a page that
            # is not the provider's may come after the work was done.
            refused = status == 503 and parsed and self._error_message(body) is not None
            raise ProviderUnavailable(self.provider, message, ambiguous=not refused, **kwargs)
        raise ProviderRejected(self.provider, message, **kwargs)


class ProviderClient:
    """What every raw provider client shares. A subclass sets `_http` in its `__init__`.

    `_call` sends through `ProviderHttp` and reads each 2xx body with `_answer`, which a provider
    whose 200s can state a refusal (or wrap the payload) overrides.
    """

    _http: ProviderHttp

    @property
    def base_url(self) -> str:
        return self._http.base_url

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _answer(self, body: Any, operation: str) -> Any:
        """The payload of a 2xx body: the body itself unless the provider says otherwise."""
        return body

    def _call(
        self,
        method: str,
        path: str,
        operation: str,
        *,
        idempotent: bool | None = None,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        expect_body: bool = True,
        refusal_ok: bool = False,
    ) -> Any:
        """The answer as `_answer` reads it; with `refusal_ok`, the 2xx body as it came."""
        return self._http.request(
            method,
            path,
            operation=operation,
            idempotent=idempotent,
            json=json,
            params=params,
            expect_body=expect_body,
            read=None if refusal_ok else self._answer,
        )

    def _path_id(
        self, value: int | str, field: str, operation: str, *, integer: bool = False
    ) -> str:
        """An id as one path segment (a stray `/` cannot reach another endpoint), checked first:
        blank or a bool (or, with `integer`, anything but ASCII digits) is refused naming `field`.
        """
        text = str(value).strip()
        if isinstance(value, bool) or not text:
            raise ProviderRejected(
                self._http.provider, f"{field}: an id is required", operation=operation
            )
        if integer and not (text.isascii() and text.isdigit()):
            raise ProviderRejected(
                self._http.provider,
                f"{field}: must be an integer id, got {text[:40]!r}",
                operation=operation,
            )
        return quote(text, safe="")


def _client(
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


def _clean(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if params is None:
        return None
    return {k: v for k, v in params.items() if v is not None}


def _content_type(response: httpx.Response) -> str:
    content_type: str = response.headers.get("Content-Type", "no content type")
    return content_type.split(";", maxsplit=1)[0]


def _snippet(response: httpx.Response) -> str:
    text = response.text.strip().replace("\n", " ")
    return text[:200]
