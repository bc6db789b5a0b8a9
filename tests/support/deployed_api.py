"""A stand-in for a deployed stack's API, for the CLI's commands against a deployed stack: a
small local HTTP server's handler that checks the signature, accepts webhooks and serves the
runs it holds as the API does (`GET /simulations[/{id}]`, newest first, paged)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from agentsim.runs.signing import verify
from agentsim_local.cli import main
from agentsim_local.deployed import WEBHOOK_PATH

SECRET = "s3cr3t-webhook-key"
REQUEST = {"provider": "bluejay", "simulation_id": "42", "gate": {"min_pass_rate": 0.5}}


class SigningApi:
    """Stands in for the stack's API: verifies the signature, answers with a run id."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.answer: tuple[int, dict[str, Any]] = (202, {"run_id": "run-0001"})
        self.unanswered = 0
        """How many requests get API Gateway's integration timeout (504) before the answer."""
        self.url = ""
        self.throttled_reads = 0
        """How many reads get API Gateway's throttle (429) before the answer."""
        self.start_delay = 0.0
        """Seconds a start (`POST /simulations`) takes to be answered."""
        self.stop_answer: tuple[int, dict[str, Any]] = (409, {"message": "run already finished"})
        self.read_failure: tuple[int, dict[str, Any]] | None = None
        """An answer every read of a run gets instead of the run (an API in trouble)."""
        self.runs: dict[str, dict[str, Any]] = {}
        """Run views by id, oldest first (the list answers newest first)."""
        self.upcoming: dict[str, list[dict[str, Any]]] = {}
        """Views each run takes after its next read (`put_run_in_turn`)."""

    def put_run(self, **fields: Any) -> None:
        self.runs.pop(str(fields["run_id"]), None)
        self.runs[str(fields["run_id"])] = fields

    def put_run_in_turn(self, *views: dict[str, Any]) -> None:
        """A run that changes as it is read: each read answers the next view, the last stays."""
        self.put_run(**views[0])
        self.upcoming[str(views[0]["run_id"])] = list(views[1:])

    def read(self, path: str, headers: dict[str, str]) -> tuple[int, Any]:
        """A signed GET of one run or of a page of runs (`limit`, `next_token`: an offset)."""
        self.requests.append({"method": "GET", "path": path, "body": "", "headers": headers})
        try:
            verify(SECRET, b"", headers)
        except Exception as exc:
            return 401, {"message": str(exc)}
        if self.throttled_reads:
            self.throttled_reads -= 1
            return 429, {"message": "Too Many Requests"}
        url = urlsplit(path)
        if self.read_failure and url.path.startswith(WEBHOOK_PATH + "/"):
            return self.read_failure
        if url.path.startswith(WEBHOOK_PATH + "/"):
            run_id = url.path.removeprefix(WEBHOOK_PATH + "/")
            run = self.runs.get(run_id)
            if self.upcoming.get(run_id):
                self.put_run(**self.upcoming[run_id].pop(0))
            return (200, run) if run else (404, {"message": "run not found"})
        if url.path.startswith("/suites/"):
            return 404, {"message": "suite not found"}
        query = parse_qs(url.query)
        start, limit = int(query.get("next_token", ["0"])[0]), int(query["limit"][0])
        newest_first = list(reversed(self.runs.values()))
        page = {"runs": newest_first[start : start + limit]}
        if start + limit < len(newest_first):
            page["next_token"] = str(start + limit)
        return 200, page

    def handle(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, Any]:
        self.requests.append(
            {"method": method, "path": path, "body": body.decode(), "headers": headers}
        )
        try:
            verify(SECRET, body, headers)
        except Exception as exc:
            return 401, {"message": str(exc)}
        if path.endswith("/stop"):
            return self.stop_answer
        time.sleep(self.start_delay)
        if self.unanswered:
            self.unanswered -= 1
            return 504, {"message": "Endpoint request timed out"}
        return self.answer


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


Start = Callable[..., tuple[int, str, str]]
"""`agentsim start` of the request file on the deployed stack, given further options."""
