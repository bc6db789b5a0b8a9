"""How each target is called: its URL, headers and body, with what the stack's secret holds.

A notify POST is signed as our inbound webhooks are (`agentsim.runs.signing`: timestamp and
`v1=` HMAC-SHA256 with the stack's webhook secret), so the caller that signs its requests checks
our deliveries with the same secret and code. GitHub gets the token as `Authorization: Bearer`
with its versioned media type (https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from agentsim.delivery import messages
from agentsim.delivery.attempts import Moment, Target
from agentsim.delivery.outbound import Outbound, Sent
from agentsim.delivery.targets import GithubTarget, NotifyTarget
from agentsim.runs.signing import sign

Send = Callable[[Outbound], Sent]
EVENT_HEADER = "X-Agentsim-Event"
DELIVERY_HEADER = "X-Agentsim-Delivery"
GITHUB_API_VERSION = "2022-11-28"
JSON = "application/json"


@dataclass(frozen=True)
class Senders:
    signing_secret: str
    github_token: str
    slack_url: str
    github_api_url: str
    api_url: str | None

    def planned(
        self,
        event_name: str,
        moment: Moment,
        request: Mapping[str, Any],
        detail: Mapping[str, Any],
    ) -> dict[Target, Send]:
        """What to send for `moment` of a run that `request` started, told by `detail`."""
        link = messages.run_link(detail, self.api_url)
        sends: dict[Target, Send] = {}
        github = _target(GithubTarget, request.get("github"))
        if github is not None:
            status = messages.github_status(moment, detail, link)
            sends[Target.GITHUB] = lambda out: self._github(out, github, status)
        if moment is Moment.STARTED:
            return sends
        notify = _target(NotifyTarget, request.get("notify"))
        if notify is not None:
            body = messages.notify_body(detail)
            delivery = f"{messages.subject_id(detail)}/{moment.value}"
            sends[Target.NOTIFY] = lambda out: self._notify(
                out, notify.url, body, event_name, delivery
            )
        if self.slack_url and messages.slack_wanted(detail):
            text = json.dumps(messages.slack_message(detail, link)).encode()
            sends[Target.SLACK] = lambda out: out.post(self.slack_url, text, {"Content-Type": JSON})
        return sends

    def _notify(self, out: Outbound, url: str, body: bytes, event: str, delivery: str) -> Sent:
        headers = {
            **sign(self.signing_secret, body),
            "Content-Type": JSON,
            EVENT_HEADER: event,
            DELIVERY_HEADER: delivery,
        }
        return out.post(url, body, headers)

    def _github(self, out: Outbound, target: GithubTarget, status: dict[str, str]) -> Sent:
        if not self.github_token:
            return Sent(error="GithubTokenMissing", final=True)
        url = f"{self.github_api_url.rstrip('/')}/repos/{target.repository}/statuses/{target.sha}"
        headers = {
            "Authorization": f"Bearer {self.github_token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": GITHUB_API_VERSION,
            "Content-Type": JSON,
        }
        return out.post(url, json.dumps(status).encode(), headers)


def _target[T: (GithubTarget, NotifyTarget)](model: type[T], stored: Any) -> T | None:
    """The stored request's target (validated when the run was submitted), None if absent."""
    if stored is None:
        return None
    try:
        return model.model_validate(stored)
    except ValidationError:
        return None
