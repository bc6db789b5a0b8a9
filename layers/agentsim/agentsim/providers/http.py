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
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack

import httpx
from pydantic import BaseModel, ValidationError

from agentsim.providers.classify import ErrorMessage, read_answer, transport_failure
from agentsim.providers.deadline import Deadline
from agentsim.providers.errors import ProviderError, ProviderThrottled, ProviderUnavailable
from agentsim.providers.messages import fastapi_message
from agentsim.providers.retry import RetryPolicy
from agentsim.providers.transport import DEFAULT_TIMEOUT, ClientPool, TimeLeft, new_client

logger = logging.getLogger(__name__)

BodyReader = Callable[[Any, str], Any]
"""A provider's reading of a 2xx body, given the operation: its payload, or raises the refusal
(ProviderRejected) the body states. Run inside `ProviderHttp.request`, so it is redacted too."""

MIN_ATTEMPT_SECONDS = 1.0
"""No attempt starts with less time left than this before the deadline: it could only time out,
and for a start that would leave an ambiguous launch behind where none need be."""
REDACTED = "[redacted]"


class CallOptions(TypedDict, total=False):
    """How one call goes: `idempotent` (default: by method; a start is not), its JSON body and
    query, and whether a 2xx must carry a body."""

    idempotent: bool | None
    json: Any
    params: Mapping[str, Any] | None
    expect_body: bool


@dataclass(frozen=True)
class _Call:
    method: str
    path: str
    operation: str
    idempotent: bool | None = None
    json: Any = None
    params: Mapping[str, Any] | None = None
    expect_body: bool = True

    @property
    def repeatable(self) -> bool:
        """Whether an attempt that may have been processed may be sent again."""
        if self.idempotent is None:
            return self.method.upper() in {"GET", "HEAD", "PUT", "DELETE"}
        return self.idempotent


class HttpOptions(TypedDict, total=False):
    """Transport knobs every client and adapter passes through to `ProviderHttp` unchanged."""

    retry: RetryPolicy | None
    timeout: httpx.Timeout | float
    transport: httpx.BaseTransport | None
    sleep: Callable[[float], None]
    clients: ClientPool | None
    deadline: Deadline | None


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
            new_client(root, self._timeout, transport)
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
        read: BodyReader | None = None,
        **options: Unpack[CallOptions],
    ) -> Any:
        """Send the request with retries; return the parsed JSON body (None for empty bodies),
        through `read` when given."""
        try:
            body = self._with_retries(_Call(method, path, operation, **options))
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

    def _with_retries(self, call: _Call) -> Any:
        attempt = 0
        reached = False  # whether an attempt so far may have been processed by the provider
        while True:
            self._require_time(call.operation, reached)
            try:
                return self._once(call)
            except ProviderError as error:
                reached = reached or (isinstance(error, ProviderUnavailable) and error.ambiguous)
                may_retry = isinstance(error, ProviderThrottled) or (
                    isinstance(error, ProviderUnavailable)
                    and (call.repeatable or not error.ambiguous)
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
                        "operation": call.operation,
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

    def _once(self, call: _Call) -> Any:
        request = self._client.build_request(
            call.method,
            call.path.lstrip("/"),
            json=call.json,
            params=_clean(call.params),
            headers=self._headers,
            timeout=self._timeout,
        )
        if self.deadline is not None:
            request.extensions["timeout"] = TimeLeft(self._timeout, self.deadline)
        try:
            response = self._client.send(request)
        except httpx.TransportError as exc:
            raise transport_failure(self.provider, exc, call.operation) from exc
        return read_answer(
            self.provider,
            response,
            call.operation,
            expect_body=call.expect_body,
            error_message=self._error_message,
        )


def _clean(params: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if params is None:
        return None
    return {k: v for k, v in params.items() if v is not None}
