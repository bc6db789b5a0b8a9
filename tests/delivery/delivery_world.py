"""The outside world of the delivery tests: names resolving to public addresses as DNS would
answer them, receivers behind httpx.MockTransport, and the stack's secret values (sentinels)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import httpx

from agentsim.delivery.sending import Senders

PUBLIC_DNS = {
    "hooks.example.com": "93.184.215.14",
    "api.github.com": "140.82.112.6",
    "hooks.slack.com": "54.230.0.10",
}
GITHUB_STATES = [
    ({"verdict": "PASSED"}, "success"),
    ({"verdict": "NONE"}, "success"),
    ({"verdict": "FAILED"}, "failure"),
    ({"verdict": "REGRESSED"}, "failure"),
    ({"status": "FAILED", "verdict": "NONE"}, "error"),
    ({"status": "TIMED_OUT", "verdict": "NONE"}, "error"),
]
"""Changes to a finished detail and the GitHub commit state they lead to, as the CLI exits."""
NOTIFY_URL = "https://hooks.example.com/agentsim"
SIGNING_SECRET = "whsec-delivery-SENTINEL-4e1f"
GITHUB_TOKEN = "ghp_delivery-SENTINEL-93ab"
SLACK_URL = "https://hooks.slack.com/services/T000/B000/slack-SENTINEL-77c1"
SENDERS = Senders(
    signing_secret=SIGNING_SECRET,
    github_token=GITHUB_TOKEN,
    slack_url=SLACK_URL,
    github_api_url="https://api.github.com",
    api_url="https://api.example/v1/",
)


@dataclass
class World:
    """Receivers by name: what each was sent, and the statuses it answers (then 200)."""

    answers: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    sent: list[httpx.Request] = field(default_factory=list)
    dns: dict[str, str] = field(default_factory=lambda: dict(PUBLIC_DNS))

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        queued = self.answers[request.headers["Host"]]
        return httpx.Response(queued.pop(0) if queued else 200)

    def to(self, host: str) -> list[httpx.Request]:
        return [r for r in self.sent if r.headers["Host"] == host]

    def resolve(self, host: str, port: int) -> list[str]:
        return [self.dns[host]] if host in self.dns else []
