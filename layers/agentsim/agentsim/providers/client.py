"""The base of every raw provider client: its constructor owns what they all share.

As `openai-python`'s `SyncAPIClient` (`src/openai/_base_client.py`) or stripe-python's
`_APIRequestor`: one place checks the API key (refused before any call, never logged), builds
the HTTP core (`ProviderHttp`: classification, retries, the deadline, the kept httpx client) and
sends each call. A provider's client only says how its key travels (`_key_headers`), where its
paths start (`_api_root`), how its error bodies read (`_error_message`) and how a 2xx body
carries its payload (`_answer`), then adds one method per operation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Self, Unpack
from urllib.parse import quote

from pydantic import BaseModel

from agentsim.providers.base import ProviderName
from agentsim.providers.errors import ProviderAuthError, ProviderRejected
from agentsim.providers.http import CallOptions, HttpOptions, ProviderHttp
from agentsim.providers.messages import fastapi_message


class ProviderClient:
    """One provider's API over HTTP. Subclasses set `provider` and `default_base_url`."""

    provider: ClassVar[ProviderName]
    default_base_url: ClassVar[str]

    def __init__(
        self, api_key: str, *, base_url: str | None = None, **options: Unpack[HttpOptions]
    ) -> None:
        key = (api_key or "").strip()
        if not key:
            raise ProviderAuthError(
                self.provider.value, "no API key configured (api_key)", operation="configure"
            )
        self._http = ProviderHttp(
            self.provider.value,
            self._api_root(base_url or self.default_base_url),
            self._key_headers(key),
            error_message=self._error_message,
            secret=key,
            **options,
        )

    @property
    def base_url(self) -> str:
        return self._http.base_url

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # What a provider says about itself ----------------------------------------------------------

    def _key_headers(self, key: str) -> dict[str, str]:
        """The headers that carry the key (and anything else every request sends)."""
        return {"Authorization": f"Bearer {key}"}

    def _api_root(self, base_url: str) -> str:
        """The URL the operations' paths are relative to."""
        return base_url

    def _error_message(self, body: Any) -> str | None:
        """The provider's own words in an error body."""
        return fastapi_message(body)

    def _answer(self, body: Any, operation: str) -> Any:
        """The payload of a 2xx body: the body itself unless the provider says otherwise."""
        return body

    # Sending --------------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        operation: str,
        *,
        refusal_ok: bool = False,
        **options: Unpack[CallOptions],
    ) -> Any:
        """The answer as `_answer` reads it; with `refusal_ok`, the 2xx body as it came."""
        read = None if refusal_ok else self._answer
        return self._http.request(method, path, operation=operation, read=read, **options)

    def _get[M: BaseModel](
        self, model: type[M], path: str, operation: str, params: Mapping[str, Any] | None = None
    ) -> M:
        """GET `path` and read the answer as `model`."""
        return self._http.parse(model, self._call("GET", path, operation, params=params), operation)

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
