"""`python -m agentsim_local.emulator [--port N] [--host H] [--call-seconds S ...]`.

The same as `agentsim emulator` (`commands/emulator.py`), on its own default port 8765.
"""

from __future__ import annotations

import sys

from agentsim_local.cli import main

if __name__ == "__main__":
    # argparse keeps the last --port given, so a port on the command line still wins.
    sys.exit(main(["emulator", "--port", "8765", *sys.argv[1:]]))
