# Sergeant: one image for the gRPC gateway (`serve`, the default) and for worker supervisors (`supervise ...`).
#
#   docker build -t sergeant .
#   docker run -p 50051:50051 -e SERGEANT_STORE=redis://redis:6379/0 sergeant
#   docker run -e SERGEANT_STORE=redis://redis:6379/0 -e SERGEANT_GATEWAY=gateway:50051 \
#       sergeant supervise examples.echo_worker:EchoWorker --workers 2
#
# BASE is any Debian-like image with python3 (>= 3.11) and its venv module, the same for both stages: the venv made
# in the build stage links to the base's interpreter (/usr/local/bin/python3 in python:3.11-slim, /usr/bin/python3 on
# a Debian base with python3-venv). CI builds this file on a locally made Debian base: see .ci/container.sh.
ARG BASE=python:3.11-slim

FROM ${BASE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python3 -m venv /opt/venv
# Dependencies (and the build backend) first, from pyproject.toml alone: this layer stays cached while only the
# code changes.
COPY pyproject.toml ./
RUN python3 -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb")); \
print("\n".join(r for r in p["build-system"]["requires"] + p["project"]["dependencies"] \
                if not r.startswith("sergeant-queue-client")))' >requirements.txt \
    && /opt/venv/bin/pip install --no-cache-dir -r requirements.txt
# sergeant/ holds symlinks to service/, worker/ and clients/python/client, and clients/python/sergeant/ symlinks
# back into sergeant/: copy what they point at too.
COPY README.md ./
COPY sergeant ./sergeant
COPY service ./service
COPY worker ./worker
COPY LICENSE setup.py ./
COPY clients/python ./clients/python
# The client distribution (sergeant-queue-client, built from clients/python) first: the server requires it.
RUN /opt/venv/bin/pip install --no-cache-dir --no-deps --no-build-isolation ./clients/python . \
    && /opt/venv/bin/pip uninstall --yes setuptools \
    && /opt/venv/bin/sergeant --help >/dev/null

FROM ${BASE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SERGEANT_LISTEN=0.0.0.0:50051 \
    SERGEANT_STORE=sqlite:////data/sergeant.db
RUN groupadd --system --gid 10001 sergeant \
    && useradd --system --uid 10001 --gid sergeant --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin sergeant \
    && mkdir -p /app /data \
    && chown sergeant:sergeant /data
COPY --from=build /opt/venv /opt/venv
COPY docker/entrypoint.sh /usr/local/bin/sergeant-entrypoint
# The example workers (examples.echo_worker:EchoWorker for the compose file); your own go beside them, on PYTHONPATH.
COPY examples /app/examples
WORKDIR /app
USER 10001:10001
VOLUME ["/data"]
EXPOSE 50051
# Gateway: the gRPC health service must report SERVING (it does not while the store is unreachable).
# Supervisor: healthy while it runs. The address comes from SERGEANT_LISTEN.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
    CMD ["sergeant-entrypoint", "healthcheck"]
ENTRYPOINT ["sergeant-entrypoint"]
CMD ["serve"]
