"""What the docs say about installing: activate the venv the quick start made, never install someone else's package."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_no_doc_tells_to_install_the_unrelated_pypi_sergeant() -> None:
    """`sergeant` on PyPI is the original 0.27, without sergeant.client."""
    docs = [p for p in REPO.rglob("*.md") if not {".venv", "node_modules", "benchmark"} & set(p.parts)]
    offenders = [f"{p.relative_to(REPO)}: {m.group(0)}" for p in docs
                 for m in re.finditer(r"pip install (-U )?sergeant(\[[^\]]*\])?(?=[\s`]|$)", p.read_text())]
    assert offenders == []


def test_the_quick_start_puts_sergeant_on_the_path() -> None:
    readme = REPO.joinpath("README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert "./dev demo" in quick_start and "source .venv/bin/activate" in quick_start
    assert re.search(r"^sergeant serve --store \S+ --listen \S+$", readme, re.M), "no plain `sergeant serve` line"
    # ./dev setup installs the console script next to the venv's python, which activating puts first on PATH.
    script = Path(sys.executable).parent / "sergeant"
    assert script.exists()
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("sergeant ")
