"""`agentsim emulator`: the provider emulator alone, in the foreground."""

from __future__ import annotations

import argparse
import socket

from agentsim.providers import BASE_URL_ENV
from agentsim.providers.base import ProviderName
from agentsim_local.emulator import EmulatorSettings, serve
from agentsim_local.emulator.server import base_urls, github_api_url
from agentsim_local.errors import CliError


def _check_free(host: str, port: int) -> None:
    """uvicorn exits the process on a busy port; say it in one line instead."""
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise CliError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def command(args: argparse.Namespace) -> int:
    _check_free(args.host, args.port)
    root = f"http://{args.host}:{args.port}"
    print(f"Provider emulator on {root} (Ctrl-C stops it). Point agentsim at it with:")
    for provider, url in base_urls(root).items():
        print(f"  export {BASE_URL_ENV[ProviderName(provider)]}={url}")
    print(f"GitHub REST API (issue comments, commit statuses): {github_api_url(root)}")
    print(f"Control plane: {root}/_emulator/ (reset, faults, calls, settings)", flush=True)
    durations = {
        f"{name}_seconds": getattr(args, f"{name}_seconds")
        for name in ("queue", "call", "summary")
        if getattr(args, f"{name}_seconds") is not None
    }
    serve(args.port, host=args.host, settings=EmulatorSettings(**durations))
    return 0
