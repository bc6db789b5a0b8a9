"""Reading runs through the stack's public API, as any client of it does: signed GETs of
`/simulations/{id}` and of the indexed, newest-first, paginated `/simulations`.

The CLI and the local tooling never read the tables: the API is the contract (the stored item
shape is the layer's to change), and its list is ordered where a table scan is not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from agentsim.runs.signing import sign
from agentsim_local.errors import CliError
from agentsim_local.webhook import send_until_answered

PAGE_LIMIT = 100
"""The most runs the API lists in one page."""


class RunsApi:
    """The runs of one stack, read through its API stage (`base_url` ends with the stage)."""

    def __init__(self, base_url: str, secret: Callable[[], str], client: httpx.Client) -> None:
        self.base_url = base_url.rstrip("/")
        self._secret = secret
        self._client = client

    def get(self, run_id: str) -> dict[str, Any] | None:
        """The run as the API shows it; None while the API knows no such run."""
        answer = self._get(f"/simulations/{quote(run_id, safe='')}", {}, missing_ok=True)
        return None if answer is None else dict(answer)

    def runs(
        self,
        *,
        limit: int | None = None,
        since: datetime | None = None,
        filters: Mapping[str, str] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Runs newest first, page after page, at most `limit` of them."""
        params: dict[str, str] = dict(filters or {})
        if since is not None:
            params["since"] = since.isoformat()
        count = 0
        while True:
            wanted = PAGE_LIMIT if limit is None else min(PAGE_LIMIT, limit - count)
            page = self._get("/simulations", {**params, "limit": str(wanted)})
            assert page is not None
            for run in page.get("runs", []):
                yield dict(run)
                count += 1
                if limit is not None and count >= limit:
                    return
            token = page.get("next_token")
            if not token:
                return
            params["next_token"] = str(token)

    def _get(
        self, path: str, params: Mapping[str, str], *, missing_ok: bool = False
    ) -> dict[str, Any] | None:
        url = self.base_url + path
        try:  # a read is safe to send again: after a throttle or a gateway timeout it is
            response = send_until_answered(
                lambda: self._client.get(url, params=params, headers=sign(self._secret(), b""))
            ).response
        except httpx.HTTPError as exc:
            raise CliError(f"GET {url}: {exc or type(exc).__name__}", exit_code=1) from None
        if response.status_code == 404 and missing_ok:
            return None
        try:
            answer: Any = response.json()
        except ValueError:
            answer = {"message": response.text[:200]}
        if response.is_error or not isinstance(answer, dict):
            detail = answer.get("message", answer) if isinstance(answer, dict) else answer
            raise CliError(f"GET {url}: HTTP {response.status_code}: {detail}", exit_code=1)
        return answer
