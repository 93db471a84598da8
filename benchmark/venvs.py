"""One venv per peer under benchmark/.venvs/ (git-ignored), so that their dependencies never clash."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

VENVS = Path(__file__).resolve().parent / ".venvs"
INSTALL_TIMEOUT_S = 900.0


def package_root() -> Path:
    """A folder holding only a link to benchmark/: the one path entry drivers need, without the repository's
    root (whose ``sergeant`` package would shadow a peer's, the original Sergeant's)."""
    root = VENVS / "pkgroot"
    link = root / "benchmark"
    root.mkdir(parents=True, exist_ok=True)
    if not link.is_symlink():
        link.symlink_to(VENVS.parent, target_is_directory=True)
    return root


def python_of(name: str) -> Path:
    return VENVS / name / "bin" / "python"


def ensure_venv(name: str, requirements: Sequence[str], log: Path) -> Path:
    """Create ``benchmark/.venvs/<name>`` with exactly these pinned requirements; returns its python.

    A venv whose recorded requirements match is reused as it is; pip's output goes to ``log``."""
    root = VENVS / name
    python = python_of(name)
    marker = root / ".bench-requirements"
    wanted = "\n".join(requirements) + "\n"
    if python.exists() and marker.exists() and marker.read_text() == wanted:
        return python
    with log.open("a") as out:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, stdout=out, stderr=out, timeout=300)
        subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", *requirements],
                       check=True, stdout=out, stderr=out, timeout=INSTALL_TIMEOUT_S)
    marker.write_text(wanted)
    return python


def installed(python: Path) -> dict[str, str]:
    """Every distribution in an interpreter's environment, with its version (``pip freeze``, parsed)."""
    result = subprocess.run([str(python), "-m", "pip", "freeze", "--disable-pip-version-check"], capture_output=True,
                            text=True, timeout=120)
    packages = {}
    for line in result.stdout.splitlines():
        name, sep, version = line.partition("==")
        if sep:
            packages[name] = version
    return packages
