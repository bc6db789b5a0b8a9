"""GitHub records as its REST API shows them (the `issue-comment` and `status` schemas of
https://github.com/github/rest-api-description), and the `Link` header of a page.

`api` is the emulator's API root (`http://127.0.0.1:<port>/api/v3`), `web` its root standing
in for `https://github.com`.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from agentsim_local.emulator.github.records import Comment, Status, User


def timestamp(ts: float) -> str:
    """GitHub's time format: ISO 8601 in UTC, whole seconds, `Z`."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _node_id(kind: str, number: int) -> str:
    return base64.b64encode(f"{kind}{number}".encode()).decode().rstrip("=")


def user_view(user: User, api: str, web: str) -> dict[str, Any]:
    return {
        "login": user.login,
        "id": user.id,
        "node_id": _node_id("User", user.id),
        "avatar_url": f"{web}avatars/{user.login}",
        "url": f"{api}/users/{user.login}",
        "html_url": f"{web}{user.login}",
        "type": user.type,
        "site_admin": False,
    }


def comment_view(comment: Comment, api: str, web: str) -> dict[str, Any]:
    repo = f"{api}/repos/{comment.repository}"
    return {
        "id": comment.id,
        "node_id": _node_id("IssueComment", comment.id),
        "url": f"{repo}/issues/comments/{comment.id}",
        "html_url": (
            f"{web}{comment.repository}/issues/{comment.issue_number}#issuecomment-{comment.id}"
        ),
        "issue_url": f"{repo}/issues/{comment.issue_number}",
        "body": comment.body,
        "user": user_view(comment.user, api, web),
        "created_at": timestamp(comment.created_at),
        "updated_at": timestamp(comment.updated_at),
        "author_association": "NONE",
        "performed_via_github_app": None,
    }


def status_view(status: Status, api: str, web: str) -> dict[str, Any]:
    return {
        "url": f"{api}/repos/{status.repository}/statuses/{status.sha}",
        "avatar_url": f"{web}avatars/{status.creator.login}",
        "id": status.id,
        "node_id": _node_id("StatusContext", status.id),
        "state": status.state,
        "description": status.description,
        "target_url": status.target_url,
        "context": status.context,
        "created_at": timestamp(status.created_at),
        "updated_at": timestamp(status.updated_at),
        "creator": user_view(status.creator, api, web),
    }


def page[T](items: list[T], page_number: int, per_page: int) -> list[T]:
    start = (page_number - 1) * per_page
    return items[start : start + per_page]


def link_header(
    url: str, params: dict[str, str], page_number: int, per_page: int, total: int
) -> str | None:
    """`<url?page=2>; rel="next", <url?page=5>; rel="last"` (and prev, first), as GitHub
    paginates (https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api)."""
    last = max(1, -(-total // per_page))
    links = []

    def at(number: int) -> str:
        query = urlencode({**params, "per_page": str(per_page), "page": str(number)})
        return f"<{url}?{query}>"

    if page_number > 1:
        links += [f'{at(min(page_number - 1, last))}; rel="prev"', f'{at(1)}; rel="first"']
    if page_number < last:
        links += [f'{at(page_number + 1)}; rel="next"', f'{at(last)}; rel="last"']
    return ", ".join(links) or None
