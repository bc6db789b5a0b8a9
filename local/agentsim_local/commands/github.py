"""`agentsim github comment`: a run's summary as one sticky pull request comment.

Everything comes from the environment a GitHub Actions step has: `GITHUB_API_URL` (GitHub
Enterprise Server's too), `GITHUB_REPOSITORY`, the pull request from the event payload at
`GITHUB_EVENT_PATH`, and the token from `GITHUB_TOKEN` (set by the action from its
`github-token` input), which is never taken as an argument (arguments show in process lists).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import httpx

from agentsim_local.errors import CliError
from agentsim_local.github import GitHub, pull_request_number

DEFAULT_API_URL = "https://api.github.com"


def comment_command(args: argparse.Namespace) -> int:
    path = Path(args.summary)
    try:
        markdown = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{path}: cannot read ({exc})") from None
    number = args.pr or pull_request_number(os.environ.get("GITHUB_EVENT_PATH"))
    if number is None:
        event = os.environ.get("GITHUB_EVENT_NAME") or "unknown"
        print(f"agentsim: no pull request in this event ({event}): no comment", file=sys.stderr)
        return 0
    repository = os.environ.get("GITHUB_REPOSITORY", "")
    api_url = os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL
    token = os.environ.get("GITHUB_TOKEN", "")
    with httpx.Client(timeout=httpx.Timeout(30)) as client:
        posted = GitHub(api_url, repository, token, client).upsert(number, args.key, markdown)
    print(f"{posted.action} comment {posted.comment_id} on #{number}: {posted.html_url}")
    return 0
