"""What an `EmbeddedStack` reads through its API (runs and suites, as a user would) and how it
starts a suite (a signed `POST /suites` or a `StartSuite` event)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from agentsim.runs import ids
from agentsim.runs.record import Origin
from agentsim_local.embedded import rest_api
from agentsim_local.embedded.rest_api import EmbeddedStackError

if TYPE_CHECKING:
    import httpx

    from agentsim_local.runs_api import RunsApi

SUITE_DETAIL_TYPE = "StartSuite"
SUITE_ENDED = frozenset({"COMPLETED", "FAILED"})


class ApiCalls:
    """Runs and suites through the stack's API and bus (mixed into `EmbeddedStack`)."""

    api_url: str
    _http: httpx.Client

    @property
    def webhook_secret(self) -> str:
        raise NotImplementedError

    @property
    def runs_api(self) -> RunsApi:
        raise NotImplementedError

    def put_start_event(self, detail_type: str, detail: Mapping[str, Any]) -> str:
        raise NotImplementedError

    def submit_suite(
        self,
        request: Mapping[str, Any],
        trigger: str = "webhook",
        idempotency_key: str | None = None,
    ) -> tuple[str, list[str]]:
        """Start one suite through `trigger` (webhook or event): its id and its runs' ids."""
        if trigger == "event":
            event_id = self.put_start_event(SUITE_DETAIL_TYPE, request)
            suite_id = ids.suite_id_for(Origin.EVENT.value, event_id)
        elif trigger == "webhook":
            suite_id = rest_api.submit_webhook(
                self._http,
                self.api_url,
                self.webhook_secret,
                request,
                idempotency_key,
                path="/suites",
                id_field="suite_id",
            ).run_id
        else:
            raise EmbeddedStackError("a suite starts here from a webhook or an event")
        suite = request.get("suite")
        count = len(suite.get("runs") or []) if isinstance(suite, Mapping) else 0
        return suite_id, [ids.child_run_id(suite_id, index) for index in range(count)]

    def get_run(self, run_id: str) -> dict[str, Any] | None:
        """The run as `GET /simulations/{id}` shows it, or None while it does not exist."""
        return self.runs_api.get(run_id)

    def list_runs(self, since: datetime | None = None) -> list[dict[str, Any]]:
        """Every run (created at or after `since`), newest first, as `GET /simulations` lists."""
        return list(self.runs_api.runs(since=since))

    def get_suite(self, suite_id: str) -> dict[str, Any] | None:
        """The suite as `GET /suites/{id}` shows it, or None while it does not exist."""
        return self.runs_api.suite(suite_id)

    def wait_suite(self, suite_id: str, timeout: float = 120.0) -> dict[str, Any]:
        """The suite's final record, once it has ended."""
        deadline = time.monotonic() + timeout
        record: dict[str, Any] | None = None
        while time.monotonic() < deadline:
            record = self.get_suite(suite_id)
            if record is not None and record.get("status") in SUITE_ENDED:
                return record
            time.sleep(0.5)
        raise TimeoutError(f"suite {suite_id} not finished after {timeout}s; last: {record}")
