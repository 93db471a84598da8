#!/usr/bin/env bash
# Every client built the way its ecosystem builds packages, then installed into a fresh app outside the repository
# exactly as its README says: the README's first `sh` block runs as it stands (with $SERGEANT = this checkout), then
# the README's example, then a round trip of every kind of value (.ci/packages/roundtrip.*: strings with NUL and
# emoji, ±2^63 and 2^64-1, floats, bytes 00-ff, nested and empty maps and lists, timestamps before 1970 and with
# microseconds, null, and a packed push-many with results) through a live gateway with a Python echo worker.
#   python       both wheels and sdists (python -m build), twine check, no file in both wheels; the client wheel alone
#                in a new venv; the server installed from the built wheels
#   go           new modules that `replace` the client module with this checkout
#   javascript   an npm app (an ES module) from the packed tarball, which also loads with require()
#   typescript   an npm app from the same tarball, compiled by tsc against the shipped types, as CommonJS and as ESM
#   java         a Maven project that depends on the artifact `mvn install` put in the local repository
set -uo pipefail
cd "$(dirname "$0")/.."
export SERGEANT=$PWD
export PATH="$SERGEANT/.venv/bin:$PATH"
APPS=$(mktemp -d /tmp/sergeant-apps.XXXXXX)
source .ci/backend.sh
cleanup() {
  stop_backend
  rm -rf "$APPS" "$SERGEANT/build" "$SERGEANT/sergeant_queue.egg-info" \
    "$SERGEANT/clients/python/build" "$SERGEANT/clients/python/sergeant_queue_client.egg-info"
}
trap cleanup EXIT
start_backend || exit 1

# block FILE LANG: the first fenced block of that language in FILE, as it stands.
block() { awk -v fence="\`\`\`$2" '$0 == fence {on = 1; next} on && /^```/ {exit} on {print}' "$1"; }
# install README: the README's install steps, in the current folder.
install() { block "$1" sh | bash -euo pipefail; }

python_app() {
  local readme=$SERGEANT/clients/python/README.md
  python -m build --outdir release "$SERGEANT/clients/python" >build.log 2>&1 \
    && python -m build --outdir release "$SERGEANT" >>build.log 2>&1 || { tail -30 build.log; return 1; }
  twine check --strict release/*
  names() { python -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1" \
    | grep -v dist-info/ | sort; }
  comm -12 <(names release/sergeant_queue_client-*.whl) <(names release/sergeant_queue-[0-9]*.whl) >overlap
  [ ! -s overlap ] || { echo "files in both wheels:"; cat overlap; return 1; }
  install "$readme"
  block "$readme" python >example.py
  .venv/bin/python example.py
  .venv/bin/python "$SERGEANT/.ci/packages/roundtrip.py"
  python3 -m venv server
  server/bin/pip install -q --find-links release sergeant-queue
  server/bin/sergeant --help >/dev/null
  server/bin/python -c 'import sergeant.client, sergeant.store.redis_store, sergeant.service'
}

go_example() {
  block "$SERGEANT/clients/go/README.md" go >main.go
  install "$SERGEANT/clients/go/README.md"
  go vet . && go run .
}

go_roundtrip() {
  cp "$SERGEANT/.ci/packages/roundtrip.go" main.go
  install "$SERGEANT/clients/go/README.md"
  go run .
}

javascript_app() {
  local readme=$SERGEANT/clients/node/README.md
  install "$readme"
  block "$readme" js >example.mjs
  node example.mjs
  cp "$SERGEANT/.ci/packages/roundtrip.mjs" .
  node roundtrip.mjs
  node -e 'const c = require("@sergeant-queue/client"); if (typeof c.SergeantClient !== "function") process.exit(1)'
}

typescript_app() {
  install "$SERGEANT/clients/node/README.md"
  npm install --no-audit --no-fund --loglevel=error --save-dev typescript@~5.9.3 @types/node@^20
  cp "$SERGEANT/.ci/packages/roundtrip.ts" .
  cat >tsconfig.json <<'EOF'
{ "compilerOptions": { "target": "ES2022", "module": "node16", "moduleResolution": "node16", "strict": true,
                       "types": ["node"], "outDir": "out" }, "files": ["roundtrip.ts"] }
EOF
  npx tsc -p . && node out/roundtrip.js
  # the same app as an ES module: the `import` condition's types (esm/index.d.mts) and runtime
  npm pkg set type=module && npx tsc -p . --outDir out-esm && node out-esm/roundtrip.js
}

java_app() {
  local readme=$SERGEANT/clients/java/README.md
  install "$readme"
  mkdir -p src/main/java
  block "$readme" java >src/main/java/Example.java
  cp "$SERGEANT/.ci/packages/RoundTrip.java" src/main/java/
  cat >pom.xml <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>app</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
$(block "$readme" xml)
  </dependencies>
  <build>
    <plugins>
      <plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
      <plugin><groupId>org.codehaus.mojo</groupId><artifactId>exec-maven-plugin</artifactId><version>3.5.0</version></plugin>
    </plugins>
  </build>
</project>
EOF
  local mvn=(mvn -B -q -ntp -Dstyle.color=never -Dexec.executable=java)
  "${mvn[@]}" compile exec:exec -Dexec.args="-cp %classpath Example"
  "${mvn[@]}" exec:exec -Dexec.args="-cp %classpath RoundTrip"
}

passed=0
failed=0
for app in python_app go_example go_roundtrip javascript_app typescript_app java_app; do
  mkdir -p "$APPS/$app"
  echo "::: app $app ($APPS/$app)"
  started=$SECONDS
  (cd "$APPS/$app" && set -euo pipefail && "$app")
  if [ $? -eq 0 ]; then
    echo "::: app $app passed in $((SECONDS - started))s"
    passed=$((passed + 1))
  else
    echo "::: app $app FAILED after $((SECONDS - started))s"
    failed=$((failed + 1))
  fi
done
echo "packages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
