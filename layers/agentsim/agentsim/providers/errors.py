"""Provider faults, classified once so every caller decides retry the same way.

Only `ProviderThrottled` and `ProviderUnavailable` are transient. The error class names are
what the state machine's Retry/Catch clauses match on, so they are part of the public contract.
An error never carries the API key: messages come from the provider's body, which we trim.
"""

from __future__ import annotations

from typing import ClassVar, TypedDict, Unpack

_MAX_MESSAGE = 500


class ErrorFields(TypedDict, total=False):
    """What any provider error may carry besides its provider and message: one keyword set
    that every error class takes, so a classifier passes it on unchanged."""

    status_code: int | None
    operation: str | None
    detail: object | None


class ProviderError(Exception):
    """Base class: a provider call did not give a usable answer."""

    retryable: ClassVar[bool] = False
    ambiguous: bool = False
    """Whether the call may have taken effect all the same. Only `ProviderUnavailable` can be:
    every other error is a refusal that provably did nothing (a 4xx, a 429, a body stating the
    refusal), so a start that failed with one may simply be sent again."""

    def __init__(self, provider: str, message: str, **fields: Unpack[ErrorFields]) -> None:
        self.provider = provider
        self.message = message[:_MAX_MESSAGE]
        self.status_code = fields.get("status_code")
        self.operation = fields.get("operation")
        self.detail = fields.get("detail")
        where = f" {self.operation}" if self.operation else ""
        status = f" HTTP {self.status_code}" if self.status_code is not None else ""
        super().__init__(f"{provider}{where}{status}: {self.message}")

    def to_dict(self) -> dict[str, object]:
        """A JSON-safe description, used in run records and workflow error causes."""
        return {
            "type": type(self).__name__,
            "provider": self.provider,
            "operation": self.operation,
            "status_code": self.status_code,
            "message": self.message,
        }


class ProviderAuthError(ProviderError):
    """401/403: the key is missing, wrong, or lacks a permission. Retrying cannot help."""


class ProviderNotFound(ProviderError):
    """404: the simulation, run or case does not exist for this key."""


class ProviderRejected(ProviderError):
    """400/409/422, or a 200 whose body says the provider refused (`success: false`)."""


class ProviderThrottled(ProviderError):
    """429: try again later, after `retry_after` seconds when the provider said so."""

    retryable = True

    def __init__(
        self,
        provider: str,
        message: str,
        *,
        retry_after: float | None = None,
        **fields: Unpack[ErrorFields],
    ) -> None:
        fields.setdefault("status_code", 429)
        super().__init__(provider, message, **fields)
        self.retry_after = retry_after


class ProviderUnavailable(ProviderError):
    """5xx, timeouts, connection errors, malformed or non-JSON bodies.

    `ambiguous` is set when the request may have been processed (a read timeout, a 500, a
    gateway's 502/504, a malformed 2xx): for a call that creates or starts something, the caller
    must check the provider's state before trying again instead of repeating the call. A failed
    connection or a 503 in the provider's own error shape is not ambiguous.
    """

    retryable = True

    def __init__(
        self, provider: str, message: str, *, ambiguous: bool = False, **fields: Unpack[ErrorFields]
    ) -> None:
        super().__init__(provider, message, **fields)
        self.ambiguous = ambiguous
