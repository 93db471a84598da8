"""The sergeant command: serve a gateway, supervise workers, check health, and operate queues, workers and dead
letters."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

import sergeant
from sergeant import logs
from sergeant.cli_flags import DEFAULT_ADDRESS, env_flag
from sergeant.errors import InvalidArgument, SergeantError
from sergeant.ops_cli import add_operations_commands


def _serve(args: argparse.Namespace) -> int:
    from sergeant.service.config import from_arguments

    if args.processes > 1 and args.metrics_listen:
        raise InvalidArgument("--metrics-listen serves one process's metrics: with --processes, run the gateways "
                              "as separate services, each with its own --metrics-listen", op="serve")
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sergeant", description=__doc__)
    parser.add_argument("--version", action="version", version=f"sergeant {sergeant.__version__}")
    env_flag(parser, "--log-level", "SERGEANT_LOG_LEVEL", "INFO", "DEBUG, INFO, WARNING or ERROR (logs are JSON lines "
             "on stderr)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    from sergeant.service.config import add_arguments

    serve = commands.add_parser("serve", help="run the gRPC gateway",
                                description="Run the gRPC gateway in front of a store. Each flag can also be set "
                                            "by the environment variable in its help; a flag wins.")
    add_arguments(serve)
    serve.add_argument("--processes", type=int, default=int(os.environ.get("SERGEANT_PROCESSES", "1")),
                       help="gateway processes sharing the port with SO_REUSEPORT (default: %(default)s)")
    serve.set_defaults(run=_serve)

    from sergeant.worker.supervisor_cli import add_supervise_command

    add_supervise_command(commands)

    health = commands.add_parser("health", help="check a gateway's gRPC health (exit 0 when SERVING)")
    health.add_argument("--address", default=DEFAULT_ADDRESS, help=f"the gateway's host:port [default: {DEFAULT_ADDRESS}]")
    health.add_argument("--tls-ca", default="", help="PEM root certificate: probe over TLS [default: plaintext]")
    health.add_argument("--server-name", default="", help="the name to check in the gateway's certificate "
                                                          "[default: the host of --address]")
    health.set_defaults(run=_health)

    add_operations_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
