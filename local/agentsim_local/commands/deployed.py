"""`agentsim sign|start|status|runs`: commands against a deployed stack (or `local up`)."""

from __future__ import annotations

import argparse
import shlex
import sys

from agentsim.runs.signing import sign
from agentsim_local.deployed import WEBHOOK_PATH, Aws, DeployedStack
from agentsim_local.errors import CliError
from agentsim_local.follow import follow
from agentsim_local.jsonout import to_json
from agentsim_local.render import make_console, progress_for, record_table, runs_table
from agentsim_local.request_files import load_request
from agentsim_local.run_view import RunView


def _stack(args: argparse.Namespace) -> DeployedStack:
    return DeployedStack.find(args.stack, Aws(region=args.region, endpoint_url=args.endpoint_url))


def sign_command(args: argparse.Namespace) -> int:
    """Print the signature headers for the file's exact bytes, and a curl line sending them."""
    request = load_request(args.request)
    stack = None if args.secret else _stack(args)
    secret = args.secret or (stack.webhook_secret() if stack else "")
    headers = {"Content-Type": "application/json", **sign(secret, request.body)}
    for name, value in headers.items():
        print(f"{name}: {value}")
    url = args.url or (stack.webhook_url() if stack else f"http://127.0.0.1:3000{WEBHOOK_PATH}")
    parts = ["curl", "-sS", "-X", "POST", url]
    for name, value in headers.items():
        parts += ["-H", f"{name}: {value}"]
    parts += ["--data-binary", f"@{request.path}"]
    print(shlex.join(parts))
    return 0


def start_command(args: argparse.Namespace) -> int:
    request = load_request(args.request)
    stack = _stack(args)
    if args.via == "event":
        event_id = stack.put_start_event(request.data)
        print(f"StartSimulation event {event_id} put on {stack.output('EventBusName')}")
        return 0
    run_id = stack.post_webhook(request.body, api_url=args.api_url)
    print(run_id)
    print(
        f"follow it: agentsim status {run_id} --stack {stack.name} --watch",
        file=sys.stderr,
    )
    return 0


def status_command(args: argparse.Namespace) -> int:
    stack = _stack(args)
    record = stack.get_run(args.run_id)
    if record is None:
        raise CliError(f"no run {args.run_id} in stack {stack.name}", exit_code=1)
    if args.watch and not RunView.of(record).finished:
        console = make_console(stderr=True)
        label = f"{record.get('provider', '?')}/{record.get('trigger', '?')}"
        records = follow(
            stack.get_run,
            {args.run_id: label},
            progress_for(console),
            timeout=24 * 3600,
            known={args.run_id: record},
        )
        record = records.get(args.run_id, record)
    if args.json:
        print(to_json(record))
    else:
        make_console().print(record_table(record))
    return 0


def runs_command(args: argparse.Namespace) -> int:
    stack = _stack(args)
    views = [RunView.of(record) for record in stack.runs(limit=args.limit)]
    make_console().print(runs_table(views, title=f"Runs of {stack.name}"))
    return 0
