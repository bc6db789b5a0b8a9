"""Reading runs through the stack's public API, as any client of it does: signed GETs of
`/simulations/{id}`, of its `/cases` and of the indexed, newest-first, paginated `/simulations`;
and stopping one (`POST /simulations/{id}/stop`, signed like every call).

The CLI and the local tooling never read the tables: the API is the contract (the stored item
shape is the layer's to change), and its list is ordered where a table scan is not.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from agentsim.runs.signing import sign
from agentsim_local.errors import CliError
from agentsim_local.webhook import send_until_answered

PAGE_LIMIT = 100
"""The most runs (or cases) the API lists in one page."""
READ_TIMEOUT = 30.0
"""The longest one read waits for its answer under a deadline (else: the client's timeout)."""

Params = Mapping[str, str | Sequence[str]]
"""Query parameters; a sequence repeats the parameter (`label=a:1&label=b:2`)."""


class DeadlineReached(Exception):
    """A read could not be answered before the caller's deadline (`time.monotonic()`)."""


class StopRefused(Exception):
    """The API did not stop the run; the message says why in one line."""


class NoSuchRun(Exception):
    """The API knows no run of that id (404)."""


class RunsApi:
    """The runs of one stack, read through its API stage (`base_url` ends with the stage)."""

    def __init__(self, base_url: str, secret: Callable[[], str], client: httpx.Client) -> None:
        self.base_url = base_url.rstrip("/")
        self._secret = secret
        self._client = client

    def get(self, run_id: str, *, deadline: float | None = None) -> dict[str, Any] | None:
        """The run as the API shows it; None while the API knows no such run.

        With a `deadline` (`time.monotonic()`), no attempt outlasts it: `DeadlineReached`.
        """
        answer = self._get(_run_path(run_id), {}, missing_ok=True, deadline=deadline)
        if answer is None:
            return None
        if isinstance(answer.get("report_url"), str):
            answer["report_url"] = self.rebased(answer["report_url"])
        return dict(answer)

    def suite(self, suite_id: str, *, deadline: float | None = None) -> dict[str, Any] | None:
        """The suite and its runs as the API shows them; None while there is no such suite."""
        path = f"/suites/{quote(suite_id, safe='')}"
        answer = self._get(path, {}, missing_ok=True, deadline=deadline)
        if answer is None:
            return None
        if isinstance(answer.get("report_url"), str):
            answer["report_url"] = self.rebased(answer["report_url"])
        return dict(answer)

    def rebased(self, report_url: str) -> str:
        """A share link under the stage URL this client reaches the API at: the API makes it
        under the host it was reached at, which a local stage's path form does not show. The
        link's signature covers only its route path and expiry, so it holds under any base."""
        route = max(report_url.rfind("/simulations/"), report_url.rfind("/suites/"))
        return report_url if route < 0 else self.base_url + report_url[route:]

    def report_page(self, report_url: str) -> str:
        """The HTML page a share link opens (unsigned: the link is the credential)."""
        url = self.rebased(report_url)
        try:
            response = send_until_answered(lambda: self._client.get(url)).response
        except httpx.HTTPError as exc:
            raise CliError(f"GET report page: {exc or type(exc).__name__}", exit_code=1) from None
        if response.is_error:
            raise CliError(f"GET report page: HTTP {response.status_code}", exit_code=1)
        return response.text

    def cases(self, run_id: str) -> list[dict[str, Any]]:
        """Every case (or call) of the run, in call order, page after page."""
        cases: list[dict[str, Any]] = []
        params: dict[str, str] = {"limit": str(PAGE_LIMIT)}
        while True:
            page = self._get(_run_path(run_id) + "/cases", params)
            assert page is not None
            cases += [dict(case) for case in page.get("cases") or [] if isinstance(case, Mapping)]
            token = page.get("next_token")
            if not token:
                return cases
            params["next_token"] = str(token)

    def stop(self, run_id: str, *, within: float) -> dict[str, Any] | None:
        """Stop the run (on the provider, then its workflow): the stopped run as the API shows
        it, or None when it had already finished (409); `NoSuchRun` (404). Every attempt ends
        within `within` seconds; `StopRefused` when the API did not stop it by then."""
        deadline = time.monotonic() + within
        url = self.base_url + _run_path(run_id) + "/stop"

        def send() -> httpx.Response:
            timeout = max(0.1, deadline - time.monotonic())
            return self._client.post(
                url, content=b"", headers=sign(self._secret(), b""), timeout=timeout
            )

        try:
            response = send_until_answered(
                send, may_wait=lambda delay: time.monotonic() + delay < deadline
            ).response
        except httpx.HTTPError as exc:
            raise StopRefused(f"POST {url}: {exc or type(exc).__name__}") from None
        if response.status_code == 409:
            return None
        if response.status_code == 404:
            raise NoSuchRun(run_id)
        answer = _json(response)
        if response.is_error or not isinstance(answer, dict):
            raise StopRefused(f"POST {url}: HTTP {response.status_code}: {_detail(answer)}")
        return answer

    def runs(
        self,
        *,
        limit: int | None = None,
        since: datetime | None = None,
        filters: Params | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Runs newest first, page after page, at most `limit` of them. `filters` are the API's
        (`provider`, `status`, `label` repeated for AND)."""
        params: dict[str, str | Sequence[str]] = dict(filters or {})
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
        self,
        path: str,
        params: Params,
        *,
        missing_ok: bool = False,
        deadline: float | None = None,
    ) -> dict[str, Any] | None:
        url = self.base_url + path
        query = httpx.QueryParams(
            [(k, v) for k, vs in params.items() for v in ([vs] if isinstance(vs, str) else vs)]
        )

        def send() -> httpx.Response:
            timeout = httpx.USE_CLIENT_DEFAULT if deadline is None else _remaining(deadline)
            headers = sign(self._secret(), b"")
            return self._client.get(url, params=query, headers=headers, timeout=timeout)

        def may_wait(delay: float) -> bool:
            return deadline is None or time.monotonic() + delay < deadline

        try:  # a read is safe to send again: after a throttle or a gateway timeout it is
            response = send_until_answered(send, may_wait=may_wait).response
        except httpx.HTTPError as exc:
            if deadline is not None and time.monotonic() >= deadline:
                raise DeadlineReached(f"GET {url}") from None
            raise CliError(f"GET {url}: {exc or type(exc).__name__}", exit_code=1) from None
        if response.status_code == 404 and missing_ok:
            return None
        answer = _json(response)
        if response.is_error or not isinstance(answer, dict):
            detail = _detail(answer)
            raise CliError(f"GET {url}: HTTP {response.status_code}: {detail}", exit_code=1)
        return answer


def _run_path(run_id: str) -> str:
    return f"/simulations/{quote(run_id, safe='')}"


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise DeadlineReached("no time left")
    return min(READ_TIMEOUT, left)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return {"message": response.text[:200]}


def _detail(answer: Any) -> Any:
    return answer.get("message", answer) if isinstance(answer, dict) else answer
