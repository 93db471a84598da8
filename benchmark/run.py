"""Run the benchmark suite: ``./dev bench`` (``python benchmark/run.py --help`` for the options)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `benchmark` is a package of the repository

from benchmark.cli import main

if __name__ == "__main__":
    sys.exit(main())
