"""The request envelope's push-back fields: `notify` (a URL told of the run's end) and `github`
(a commit whose status carries the run's verdict). Their shape is checked with the envelope;
what `notify.url` resolves to is checked when the run is submitted (`UrlPolicy`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from agentsim.delivery.urls import url_shape_problem

NOTIFY_URL_PATH = "notify.url"


def _shaped(url: str) -> str:
    problem = url_shape_problem(url)
    if problem is not None:
        raise ValueError(problem)
    return url


class NotifyTarget(BaseModel):
    """Where the finished event's detail is POSTed, signed as our webhooks are."""

    model_config = ConfigDict(extra="forbid")

    url: Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_shaped)] = Field(
        description="An https URL whose host resolves to public addresses only."
    )


class GithubTarget(BaseModel):
    """The commit that gets a status `agentsim/<series>`: pending, then the verdict."""

    model_config = ConfigDict(extra="forbid")

    repository: Annotated[
        str, StringConstraints(pattern=r"^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$")
    ] = Field(description="owner/name")
    sha: Annotated[str, StringConstraints(pattern=r"^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$")] = Field(
        description="The full commit SHA."
    )


NOTIFY_FIELD = Field(
    default=None,
    description="POST the finished event's detail here (signed; retried for up to an hour).",
)
GITHUB_FIELD = Field(
    default=None,
    description="Set a commit status (pending, then the verdict) on this commit.",
)
