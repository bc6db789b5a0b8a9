"""`python -m agentsim_local.emulator [--port N] [--host H] [--call-seconds S ...]`."""

from __future__ import annotations

import argparse

from agentsim_local.emulator.server import base_urls, serve
from agentsim_local.emulator.settings import EmulatorSettings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m agentsim_local.emulator")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--queue-seconds", type=float, default=EmulatorSettings().queue_seconds)
    parser.add_argument("--call-seconds", type=float, default=EmulatorSettings().call_seconds)
    parser.add_argument("--summary-seconds", type=float, default=EmulatorSettings().summary_seconds)
    args = parser.parse_args(argv)
    settings = EmulatorSettings(
        queue_seconds=args.queue_seconds,
        call_seconds=args.call_seconds,
        summary_seconds=args.summary_seconds,
    )
    root = f"http://{args.host}:{args.port}"
    print(f"agentsim provider emulator on {root} (control plane: {root}/_emulator/)")
    for provider, url in base_urls(root).items():
        print(f"  {provider:<14} {url}", flush=True)
    serve(args.port, args.host, settings)


if __name__ == "__main__":
    main()
