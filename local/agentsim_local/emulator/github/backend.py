"""GitHub operations on its records, independent of HTTP: refusals are emulator errors."""

from __future__ import annotations

import re

from agentsim_local.emulator.errors import NotFound, ValidationFailed
from agentsim_local.emulator.github import schemas
from agentsim_local.emulator.github.records import (
    MAX_COMMENT_BODY,
    MAX_DESCRIPTION,
    MAX_STATUSES,
    STATES,
    Comment,
    Status,
    User,
    repo_key,
)
from agentsim_local.emulator.state import Backend

_SHA = re.compile(r"^([0-9a-fA-F]{7,40}|[0-9a-fA-F]{64})$")
"""An abbreviated or full SHA-1, or a full SHA-256 (a repository in SHA-256 object format)."""


class GitHubBackend(Backend):
    """Issue comments and commit statuses of any repository."""

    comments: dict[int, Comment]
    statuses: dict[int, Status]

    # -- issue comments -----------------------------------------------------------------

    def issue_comments(
        self, owner: str, repo: str, number: int, since: float | None = None
    ) -> list[Comment]:
        """An issue's (or pull request's) comments, oldest first (ascending ids)."""
        key = repo_key(owner, repo)
        with self.store.lock:
            return [
                c
                for c in sorted(self.comments.values(), key=lambda c: c.id)
                if repo_key(*c.repository.split("/")) == key
                and c.issue_number == number
                and (since is None or c.updated_at >= since)
            ]

    def comment(self, owner: str, repo: str, comment_id: int | None) -> Comment:
        with self.store.lock:
            found = self.comments.get(comment_id) if comment_id is not None else None
            if found is None or repo_key(*found.repository.split("/")) != repo_key(owner, repo):
                raise NotFound("Not Found")
            return found

    def create_comment(
        self, owner: str, repo: str, number: int, body: schemas.CommentIn, user: User
    ) -> Comment:
        _check_body(body.body)
        with self.store.lock:
            now = self.store.now()
            comment = Comment(
                id=self.store.next_id("github-comment", 1_000_001),
                repository=f"{owner}/{repo}",
                issue_number=number,
                body=body.body,
                user=user,
                created_at=now,
                updated_at=now,
            )
            return self.add(self.comments, comment)

    def update_comment(self, comment: Comment, body: schemas.CommentIn) -> Comment:
        _check_body(body.body)
        with self.store.lock:
            comment.body = body.body
            comment.updated_at = self.store.now()
            return comment

    def delete_comment(self, comment: Comment) -> None:
        with self.store.lock:
            self.comments.pop(comment.id, None)

    # -- commit statuses ----------------------------------------------------------------

    def create_status(
        self, owner: str, repo: str, sha: str, body: schemas.StatusIn, user: User
    ) -> Status:
        if not _SHA.match(sha):
            raise ValidationFailed(f"No commit found for SHA: {sha}")
        if body.state not in STATES:
            raise _invalid("Status", "state", "state is not included in the list")
        if body.description is not None and len(body.description) > MAX_DESCRIPTION:
            message = f"description is too long (maximum is {MAX_DESCRIPTION} characters)"
            raise _invalid("Status", "description", message)
        with self.store.lock:
            same = [s for s in self.commit_statuses(owner, repo, sha) if s.context == body.context]
            if len(same) >= MAX_STATUSES:
                raise _invalid(
                    "Status",
                    "context",
                    "This SHA and context has reached the maximum number of statuses.",
                )
            now = self.store.now()
            status = Status(
                id=self.store.next_id("github-status", 5_000_001),
                repository=f"{owner}/{repo}",
                sha=sha.lower(),
                state=body.state,
                context=body.context,
                target_url=body.target_url,
                description=body.description,
                creator=user,
                created_at=now,
                updated_at=now,
            )
            return self.add(self.statuses, status)

    def commit_statuses(self, owner: str, repo: str, ref: str) -> list[Status]:
        """A commit's statuses, newest first (a ref names a SHA here: branches are not kept)."""
        key = repo_key(owner, repo)
        with self.store.lock:
            return [
                s
                for s in sorted(self.statuses.values(), key=lambda s: s.id, reverse=True)
                if repo_key(*s.repository.split("/")) == key and s.sha == ref.lower()
            ]


def _check_body(body: str) -> None:
    if len(body) > MAX_COMMENT_BODY:
        message = f"body is too long (maximum is {MAX_COMMENT_BODY} characters)"
        raise _invalid("IssueComment", "body", message)


def _invalid(resource: str, field: str, message: str) -> ValidationFailed:
    error = {"resource": resource, "code": "custom", "field": field, "message": message}
    return ValidationFailed("Validation Failed", errors=[error])
