#!/bin/sh
# The image's entry point. Its arguments choose what the container runs:
#   serve [flags]               the gRPC gateway (the default; flags alone, e.g. `--max-depth 1000`, mean serve)
#   supervise MODULE:CLASS ...  a supervisor running worker processes of that class
#   health [--address A]        probe a gateway's gRPC health (exit 0 when SERVING)
#   healthcheck                 the image's HEALTHCHECK: a gateway container is healthy when its own health service
#                               reports SERVING (over TLS when SERGEANT_TLS_CERT is set), a supervisor container
#                               while it runs
#   anything else               run as is (sh, python, ...)
# Settings come from SERGEANT_* environment variables (see `sergeant serve --help`); SERGEANT_LOG_LEVEL sets the
# log level (default INFO).
set -eu

role_file="${TMPDIR:-/tmp}/sergeant.role"

# The address the gateway listens on (--listen A, --listen=A or SERGEANT_LISTEN), as a local client reaches it.
listen_address() {
    address="${SERGEANT_LISTEN:-127.0.0.1:50051}"
    while [ $# -gt 0 ]; do
        case "$1" in
            --listen) [ $# -gt 1 ] && address="$2" && shift ;;
            --listen=*) address="${1#--listen=}" ;;
        esac
        shift
    done
    case "$address" in
        0.0.0.0:*) address="127.0.0.1:${address#0.0.0.0:}" ;;
        "[::]:"*) address="localhost:${address#\[::\]:}" ;;
        :*) address="127.0.0.1$address" ;;
    esac
    echo "$address"
}

case "${1:-serve}" in
    -*)
        set -- serve "$@"
        ;;
esac

case "${1:-serve}" in
    serve)
        [ $# -gt 0 ] && shift
        printf 'serve %s\n' "$(listen_address "$@")" >"$role_file" 2>/dev/null || true
        exec sergeant --log-level "${SERGEANT_LOG_LEVEL:-INFO}" serve "$@"
        ;;
    supervise)
        shift
        echo supervise >"$role_file" 2>/dev/null || true
        exec sergeant --log-level "${SERGEANT_LOG_LEVEL:-INFO}" supervise "$@"
        ;;
    health)
        shift
        exec sergeant health "$@"
        ;;
    healthcheck)
        role=$(cat "$role_file" 2>/dev/null || echo "serve $(listen_address)")
        case "$role" in
            serve*) ;;
            *) exit 0 ;;
        esac
        address="${SERGEANT_HEALTH_ADDRESS:-${role#serve }}"
        if [ -z "${SERGEANT_TLS_CERT:-}" ]; then
            exec sergeant health --address "$address"
        fi
        # A TLS gateway: trust SERGEANT_HEALTH_CA (default: its own certificate, right when it is self-signed) and
        # check the name SERGEANT_HEALTH_SERVER_NAME when the certificate does not name the loopback address.
        exec sergeant health --address "$address" --tls-ca "${SERGEANT_HEALTH_CA:-$SERGEANT_TLS_CERT}" \
            --server-name "${SERGEANT_HEALTH_SERVER_NAME:-}"
        ;;
    *)
        exec "$@"
        ;;
esac
