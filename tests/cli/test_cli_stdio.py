"""Lambda handlers' stdout logging stays out of the CLI's stdout."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path


def test_writes_to_stdout_and_fd_1_go_to_the_log_while_the_cli_keeps_stdout(
    tmp_path: Path,
) -> None:
    log = tmp_path / "lambda.log"
    script = textwrap.dedent(
        f"""
        import os, sys
        from pathlib import Path
        from agentsim_local.stdio import lambda_log, stdout_diverted
        with lambda_log(Path({str(log)!r})) as log:
            with stdout_diverted(log) as real:
                print("handler log line")
                os.write(1, b"fd-level line\\n")
                real.write("for the user\\n")
        print("after")
        """
    )

    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )

    assert done.stdout == "for the user\nafter\n"
    assert log.read_text().splitlines() == ["handler log line", "fd-level line"]
