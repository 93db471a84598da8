"""Command-line flags that an environment variable can set: the variable and the default are in ``--help``."""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable
from typing import Any

from sergeant.errors import InvalidArgument

DEFAULT_ADDRESS = "127.0.0.1:50051"
_UNITS = {"": 1, "b": 1, "k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
          "g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30}


def env_flag(parser: argparse.ArgumentParser | Any, flag: str, var: str, default: Any, help: str,
             type: Callable[[str], Any] = str) -> None:
    """Add ``flag``, defaulting to ``$var`` when set, else ``default``; a flag given on the command line wins."""
    raw = os.environ.get(var)
    value = default
    if raw:
        try:
            value = type(raw)
        except ValueError:
            parser.error(f"environment variable {var}={raw!r} is not a valid {flag} ({type.__name__} expected)")
    shown = str(default) if default != "" else "none"
    parser.add_argument(flag, type=type, default=value,
                        help=f"{help} [env {var}; default: {shown}]".replace("%", "%%"))


def parse_size(text: str) -> int:
    """'512MB' -> bytes. Units are binary (1 MB = 1024 * 1024 bytes), as RSS is counted in pages."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", text)
    if match is None or match.group(2).lower() not in _UNITS:
        raise InvalidArgument(f"cannot read memory size {text!r}: use e.g. 512MB, 2GB or 1048576", op="cli")
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def gateway_flags(parser: argparse.ArgumentParser | Any) -> None:
    """Where a gateway is and how to reach it: the settings the clients take (address, token, TLS)."""
    env_flag(parser, "--address", "SERGEANT_GATEWAY", DEFAULT_ADDRESS, "the gateway's host:port")
    env_flag(parser, "--token", "SERGEANT_TOKEN", "", "bearer token (operations need the admin role)")
    env_flag(parser, "--tls-ca", "SERGEANT_GATEWAY_CA", "", "PEM root certificate: talk TLS, trusting this CA")
    parser.add_argument("--tls", action="store_true", default=os.environ.get("SERGEANT_GATEWAY_TLS") == "1",
                        help="talk TLS, trusting the system's roots [env SERGEANT_GATEWAY_TLS=1; default: plaintext]")


def tls_setting(args: argparse.Namespace) -> bool | bytes:
    """What the clients' ``tls`` parameter takes: False, True (system roots) or a PEM root certificate."""
    if args.tls_ca:
        with open(args.tls_ca, "rb") as ca:
            return ca.read()
    return bool(args.tls)
