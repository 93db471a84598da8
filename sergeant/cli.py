"""The ``sergeant`` command: ``serve`` a gateway, ``supervise`` workers, ``health`` for containers."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from sergeant import logs
from sergeant.errors import SergeantError


def _serve(args: argparse.Namespace) -> int:
    from sergeant.service.config import from_arguments

    if args.processes > 1:
        from sergeant.service.processes import serve_processes

        return serve_processes(from_arguments(args), args.processes, args.log_level)
    from sergeant.service.server import serve

    asyncio.run(serve(from_arguments(args)))
    return 0


def _health(args: argparse.Namespace) -> int:
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    if args.tls_ca:
        with open(args.tls_ca, "rb") as ca:
            credentials = grpc.ssl_channel_credentials(root_certificates=ca.read())
        options = [("grpc.ssl_target_name_override", args.server_name)] if args.server_name else []
        channel = grpc.secure_channel(args.address, credentials, options)
    else:
        channel = grpc.insecure_channel(args.address)
    try:
        with channel:
            reply = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=3)
    except grpc.RpcError as exc:
        print(f"unhealthy: {exc.code().name}: {exc.details()}", file=sys.stderr)
        return 1
    status = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
    print(status)
    return 0 if reply.status == health_pb2.HealthCheckResponse.SERVING else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sergeant", description=__doc__)
    parser.add_argument("--log-level", default="INFO")
    commands = parser.add_subparsers(dest="command", required=True)

    from sergeant.service.config import add_arguments

    serve = commands.add_parser("serve", help="run the gRPC gateway")
    add_arguments(serve)
    serve.add_argument("--processes", type=int, default=int(os.environ.get("SERGEANT_PROCESSES", "1")),
                       help="gateway processes sharing the port with SO_REUSEPORT (default: %(default)s)")
    serve.set_defaults(run=_serve)

    health = commands.add_parser("health", help="check a gateway's gRPC health (exit 0 when SERVING)")
    health.add_argument("--address", default="127.0.0.1:50051")
    health.add_argument("--tls-ca", default="", help="PEM root certificate: probe over TLS")
    health.add_argument("--server-name", default="", help="the name to check in the gateway's certificate")
    health.set_defaults(run=_health)

    from sergeant.worker.supervisor_cli import add_supervise_command

    add_supervise_command(commands)

    args = parser.parse_args(argv)
    logs.configure(args.log_level)
    try:
        code: int = args.run(args)
    except SergeantError as exc:
        print(f"sergeant: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
