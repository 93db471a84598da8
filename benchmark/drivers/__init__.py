"""Driver scripts: one per system, run as ``python -m benchmark.drivers.<name>`` by each peer's own interpreter.

Only ``benchmark/`` is on their path (``benchmark/.venvs/pkgroot`` holds a link to it), never
the repository root: the repository's ``sergeant`` package must not shadow the original one.
Nothing here imports anything from the harness.
"""
