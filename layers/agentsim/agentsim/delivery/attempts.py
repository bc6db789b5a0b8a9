"""What each delivery attempt did, as stored on the run (`RunRecord.deliveries`) and shown by
`GET /simulations/{id}`: when, to which kind of target, the HTTP status or the error's class.
Never a URL, a header or a body, so no token or webhook address can end up in a record."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Target(StrEnum):
    NOTIFY = "notify"
    """The request's `notify.url`."""
    GITHUB = "github"
    """A commit status on the request's `github` commit."""
    SLACK = "slack"
    """The stack's Slack incoming webhook."""


class Moment(StrEnum):
    """Which end of the run a delivery tells of."""

    STARTED = "started"
    FINISHED = "finished"


class Outcome(StrEnum):
    DELIVERED = "delivered"
    RETRYING = "retrying"
    """Failed; another attempt follows."""
    GAVE_UP = "gave_up"
    """Failed for good: refused, not retryable, or an hour of attempts passed."""


class DeliveryAttempt(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    target: Target
    moment: Moment
    attempt: int = Field(ge=1)
    at: datetime
    outcome: Outcome
    status_code: int | None = None
    error: str | None = Field(default=None, description="The error's class, when none answered.")


def attempts_of(
    deliveries: list[DeliveryAttempt], target: Target, moment: Moment
) -> list[DeliveryAttempt]:
    """The attempts of one delivery, oldest first."""
    return [a for a in deliveries if a.target is target and a.moment is moment]
