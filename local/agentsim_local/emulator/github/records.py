"""GitHub records: the user a token acts as, issue comments and commit statuses."""

from __future__ import annotations

from dataclasses import dataclass

STATES = ("error", "failure", "pending", "success")
"""A commit status's states (https://docs.github.com/en/rest/commits/statuses)."""
MAX_COMMENT_BODY = 65_536
"""The longest comment body GitHub takes, in characters."""
MAX_DESCRIPTION = 140
"""The longest commit status description GitHub takes."""
MAX_STATUSES = 1000
"""Statuses one SHA may have per context."""


@dataclass(frozen=True)
class User:
    login: str
    id: int
    type: str


ACTIONS_BOT = User("github-actions[bot]", 41898282, "Bot")
"""Who a workflow's GITHUB_TOKEN comments as."""


@dataclass
class Comment:
    id: int
    repository: str
    """`owner/repo` as first written (GitHub's names are case-insensitive: see `repo_key`)."""
    issue_number: int
    body: str
    user: User
    created_at: float
    updated_at: float


@dataclass
class Status:
    id: int
    repository: str
    sha: str
    state: str
    context: str
    target_url: str | None
    description: str | None
    creator: User
    created_at: float
    updated_at: float


def repo_key(owner: str, repo: str) -> str:
    """The key a repository's records are stored under (case-insensitive, as GitHub's names)."""
    return f"{owner}/{repo}".lower()
