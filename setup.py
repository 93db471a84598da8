"""The server distribution, sergeant-queue, leaves out what sergeant-queue-client ships (clients/python/pyproject.toml)
and depends on it instead, so the two never install the same file. Everything else is in pyproject.toml."""

from setuptools import setup
from setuptools.command.build_py import build_py

# The modules of the `sergeant` package that the client distribution owns; its subpackages (sergeant.client,
# sergeant.v1) are excluded in pyproject.toml.
CLIENT_MODULES = frozenset({"__init__", "errors", "task", "encoder"})


class BuildPy(build_py):
    def find_package_modules(self, package: str, package_dir: str) -> list[tuple[str, str, str]]:
        modules = super().find_package_modules(package, package_dir)
        return [m for m in modules if not (package == "sergeant" and m[1] in CLIENT_MODULES)]


setup(cmdclass={"build_py": BuildPy})
