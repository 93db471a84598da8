"""``python -m sergeant.supervisor``: the Sergeant 0.27 command, run as ``sergeant supervise`` (which it names)."""

from __future__ import annotations

import sys

from sergeant.worker.supervisor_cli import legacy_main

if __name__ == "__main__":
    sys.exit(legacy_main(sys.argv[1:]))
