"""A sticky pull request comment through GitHub's REST API: one comment per key, found again by
a hidden HTML marker in its body and edited in place, or posted when there is none yet.

Endpoints (https://docs.github.com/en/rest/issues/comments): list
`GET /repos/{owner}/{repo}/issues/{number}/comments` (pages of `per_page` up to 100, the next
one named by the `Link` header), create `POST .../issues/{number}/comments`, update
`PATCH /repos/{owner}/{repo}/issues/comments/{id}`. Every pull request is an issue, so a PR's
conversation comments are its issue comments. Headers as GitHub documents them:
`Authorization: Bearer <token>`, `Accept: application/vnd.github+json`,
`X-GitHub-Api-Version: 2022-11-28`. The token is never printed, logged or put in an error.

Reads and edits are retried after a throttle or a server error (429, 502, 503, 504, a
transport error); a create is not blindly resent: the comments are listed again first, so a
create whose answer was lost is edited rather than posted twice.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from agentsim_local.errors import CliError
from agentsim_local.webhook import send_until_answered

API_VERSION = "2022-11-28"
MAX_BODY = 65_536
"""GitHub refuses a comment body longer than this (422)."""
CUT_NOTE = "\n\n_… cut to fit a GitHub comment: the job summary and JUnit report hold it all._\n"
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')
_REPOSITORY = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


@dataclass(frozen=True)
class Posted:
    """What `upsert` did: `created` or `updated`, and the comment's page."""

    action: str
    comment_id: int
    html_url: str


def marker(key: str) -> str:
    """The hidden line that names a sticky comment (HTML comments do not render)."""
    safe = html.escape(key, quote=True).replace("--", "&#45;&#45;")
    return f"<!-- agentsim:sticky-comment {safe} -->"


def comment_body(key: str, markdown: str) -> str:
    """The comment: its marker, then `markdown` cut to fit GitHub's limit."""
    head = marker(key) + "\n"
    room = MAX_BODY - len(head)
    if len(markdown) > room:
        markdown = markdown[: room - len(CUT_NOTE)] + CUT_NOTE
    return head + markdown


def pull_request_number(event_path: str | None) -> int | None:
    """The pull request of a `pull_request`-like event payload (`$GITHUB_EVENT_PATH`), or of an
    issue comment on a pull request; None for any other event."""
    if not event_path:
        return None
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CliError(f"{event_path}: no such file ($GITHUB_EVENT_PATH)") from None
    except (OSError, ValueError) as exc:
        raise CliError(f"{event_path}: not a readable event payload: {exc}") from None
    if not isinstance(event, Mapping):
        return None
    pull = event.get("pull_request")
    if isinstance(pull, Mapping) and isinstance(pull.get("number"), int):
        return int(pull["number"])
    issue = event.get("issue")
    if (
        isinstance(issue, Mapping)
        and issue.get("pull_request")
        and isinstance(issue.get("number"), int)
    ):
        return int(issue["number"])
    return None


class GitHub:
    """The few calls a sticky comment needs, for one repository."""

    def __init__(self, api_url: str, repository: str, token: str, client: httpx.Client) -> None:
        if not _REPOSITORY.match(repository):
            raise CliError(f"repository {repository!r}: expected OWNER/NAME ($GITHUB_REPOSITORY)")
        if not token:
            raise CliError("no GitHub token: set $GITHUB_TOKEN")
        self.base = f"{api_url.rstrip('/')}/repos/{repository}"
        self._client = client
        self._headers = {
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": "agentsim",
        }

    def comments(self, number: int) -> Iterator[dict[str, Any]]:
        """The pull request's (or issue's) comments, oldest first, page after page."""
        url: str | None = f"{self.base}/issues/{number}/comments?per_page=100"
        while url:
            response = self._send("GET", url, retry=True)
            page = response.json()
            if not isinstance(page, list):
                raise CliError(f"GET {_shown(url)}: not a list of comments", exit_code=1)
            yield from (c for c in page if isinstance(c, dict))
            found = _NEXT.search(response.headers.get("link", ""))
            url = found.group(1) if found else None

    def find(self, number: int, key: str) -> dict[str, Any] | None:
        """The first comment carrying `key`'s marker."""
        wanted = marker(key)
        return next((c for c in self.comments(number) if wanted in str(c.get("body"))), None)

    def upsert(self, number: int, key: str, markdown: str) -> Posted:
        """Edit `key`'s comment to hold `markdown`, or post it when there is none yet."""
        body = {"body": comment_body(key, markdown)}
        for _ in range(2):
            existing = self.find(number, key)
            if existing is not None:
                url = f"{self.base}/issues/comments/{existing['id']}"
                return _posted("updated", self._send("PATCH", url, body, retry=True))
            try:
                created = self._send("POST", f"{self.base}/issues/{number}/comments", body)
            except _Unanswered:
                continue  # it may have been created: look again before posting again
            return _posted("created", created)
        raise CliError(
            f"POST {self.base}/issues/{number}/comments: no answer from GitHub", exit_code=1
        )

    def _send(
        self, method: str, url: str, body: Mapping[str, Any] | None = None, *, retry: bool = False
    ) -> httpx.Response:
        def send() -> httpx.Response:
            return self._client.request(method, url, json=body, headers=self._headers)

        try:
            response = send_until_answered(send).response if retry else send()
        except httpx.HTTPError as exc:
            if retry:
                reason = str(exc) or type(exc).__name__
                raise CliError(f"{method} {_shown(url)}: {reason}", exit_code=1) from None
            raise _Unanswered from None
        if not retry and response.status_code in (502, 503, 504):
            raise _Unanswered
        if response.is_error:
            raise CliError(
                f"{method} {_shown(url)}: HTTP {response.status_code}: {_message(response)}",
                exit_code=1,
            )
        return response


class _Unanswered(Exception):
    """A create whose outcome is unknown."""


def _posted(action: str, response: httpx.Response) -> Posted:
    answer = response.json()
    return Posted(action, int(answer["id"]), str(answer.get("html_url", "")))


def _message(response: httpx.Response) -> str:
    try:
        answer = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(answer, Mapping):
        return " ".join(str(answer.get("message", answer)).split())
    return str(answer)[:200]


def _shown(url: str) -> str:
    """The URL without its query (page numbers are noise in an error line)."""
    return url.split("?", 1)[0]
