"""The server distribution, sergeant-queue, leaves out what sergeant-queue-client ships (clients/python/pyproject.toml)
and depends on it instead, so the two never install the same file. Everything else is in pyproject.toml."""

from setuptools import setup
from setuptools.command.build_py import build_py

# The modules that the client distribution owns, by package (clients/python/sergeant holds a symlink to each); its
# subpackages sergeant.client and sergeant.v1 are excluded in pyproject.toml.
CLIENT_MODULES = {
    "sergeant": frozenset({"__init__", "errors", "limits", "task", "encoder", "packed"}),
    "sergeant.store": frozenset({"__init__", "base"}),  # sergeant.packed's types
}


class BuildPy(build_py):
    def find_package_modules(self, package: str, package_dir: str) -> list[tuple[str, str, str]]:
        modules = super().find_package_modules(package, package_dir)
        owned = CLIENT_MODULES.get(package, frozenset())
        return [m for m in modules if m[1] not in owned]


setup(cmdclass={"build_py": BuildPy})
