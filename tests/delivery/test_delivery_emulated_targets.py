"""The emulator takes what delivery sends it: a commit status for any SHA the `github` field
allows (SHA-256 included), a Slack message listed back with its text."""

from __future__ import annotations

from typing import Any

import httpx

from agentsim.delivery.targets import GithubTarget

SHA256 = "a" * 64


def test_a_status_for_a_sha256_commit_is_created_and_listed(emulator: Any) -> None:
    GithubTarget(repository="octo/agent", sha=SHA256)  # the request field allows it
    auth = {"Authorization": "Bearer local-token"}
    base = f"{emulator.github_api_url}/repos/octo/agent"

    created = httpx.post(f"{base}/statuses/{SHA256}", json={"state": "pending"}, headers=auth)
    listed = httpx.get(f"{base}/commits/{SHA256}/statuses", headers=auth).json()

    assert created.status_code == 201, created.text
    assert [s["state"] for s in listed] == ["pending"]


def test_a_slack_message_is_listed_back_with_its_text(emulator: Any) -> None:
    posted = httpx.post(emulator.slack_webhook_url(), json={"text": "*agentsim*: run `r` FAILED"})

    listed = httpx.get(emulator.url + "/_emulator/slack/messages").json()

    assert (posted.status_code, posted.text) == (200, "ok")
    assert [m["text"] for m in listed] == ["*agentsim*: run `r` FAILED"]
