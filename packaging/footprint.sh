#!/usr/bin/env bash
# Prints one table: the installed size on disk of each camskit artifact next to the official
# equivalent's whole dependency closure. Run after the artifacts are built (the test command
# builds them first):
#   target/wheels-portable/*manylinux2014_x86_64*.whl   (packaging/python/build-wheels.sh)
#   bindings-wasm/pkg                                    (bindings-wasm/build.sh; packed here)
#   bindings-uniffi/maven/target/camskit-kotlin-*.jar    (bindings-uniffi/maven/build.sh)
# Needs PyPI, npm and Maven Central (official packages are installed into a scratch folder).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rows=()
row() { rows+=("$(printf '| %s | %s | %s |' "$1" "$2" "$3")"); }
mb() { awk -v b="$1" 'BEGIN { printf "%.2f MB", b / 1e6 }'; }
site_size() { # bytes a venv's site-packages grew by after installing "$@"
  local v=$tmp/venv-$RANDOM
  python3 -m venv "$v"
  local sp; sp=$("$v/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  local before; before=$(du -sb "$sp" | cut -f1)
  "$v/bin/pip" install -q --disable-pip-version-check "$@" >/dev/null
  echo $(( $(du -sb "$sp" | cut -f1) - before ))
}

# Python
wheel=$(ls "$root"/target/wheels-portable/camskit-*manylinux*_x86_64*.whl 2>/dev/null | head -1 || true)
if [ -n "$wheel" ]; then
  ours=$(site_size --no-index "$wheel")
  official=$(site_size alibabacloud-cams20200606==5.3.1)
  row "Python: site-packages after install" "$(mb "$ours") (camskit wheel)" "$(mb "$official") (alibabacloud-cams20200606 5.3.1 and its dependencies)"
else
  row "Python" "no wheel built (run packaging/python/build-wheels.sh)" "-"
fi

# JavaScript
if [ -d "$root/bindings-wasm/pkg" ]; then
  (cd "$root/bindings-wasm/pkg" && npm pack --silent --pack-destination "$tmp" >/dev/null)
  mkdir -p "$tmp/npm-ours" "$tmp/npm-official"
  (cd "$tmp/npm-ours" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund "$tmp"/camskit-*.tgz >/dev/null)
  (cd "$tmp/npm-official" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund @alicloud/cams20200606@1.4.2 >/dev/null)
  row "JavaScript: node_modules after install" "$(mb "$(du -sb "$tmp/npm-ours/node_modules" | cut -f1)") (camskit tarball)" \
    "$(mb "$(du -sb "$tmp/npm-official/node_modules" | cut -f1)") (@alicloud/cams20200606 1.4.2, $(ls "$tmp/npm-official/node_modules" | wc -l) top-level packages)"
else
  row "JavaScript" "no package built (run bindings-wasm/build.sh)" "-"
fi

# JVM
jar=$(ls "$root"/bindings-uniffi/maven/target/camskit-kotlin-*.jar 2>/dev/null | grep -v sources | head -1 || true)
if [ -n "$jar" ]; then
  jna=$(ls ~/.m2/repository/net/java/dev/jna/jna/*/jna-*.jar 2>/dev/null | grep -v sources | tail -1 || true)
  stdlib=$(ls ~/.m2/repository/org/jetbrains/kotlin/kotlin-stdlib/2.*/kotlin-stdlib-2.*.jar 2>/dev/null | grep -v sources | tail -1 || true)
  total=$(du -cb "$jar" ${jna:+"$jna"} ${stdlib:+"$stdlib"} | tail -1 | cut -f1)
  mkdir -p "$tmp/mvn"
  official="com.aliyun:cams20200606 is not served by this machine's Maven Central mirror"
  cat >"$tmp/mvn/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>x</groupId><artifactId>x</artifactId><version>1</version>
<dependencies><dependency><groupId>com.aliyun</groupId><artifactId>cams20200606</artifactId><version>5.3.1</version></dependency></dependencies>
</project>
POM
  if (cd "$tmp/mvn" && timeout 300 mvn -q -B dependency:copy-dependencies -DoutputDirectory="$tmp/mvn/jars" >/dev/null 2>&1); then
    official="$(mb "$(du -sb "$tmp/mvn/jars" | cut -f1)") (com.aliyun:cams20200606 5.3.1 and its jars)"
  fi
  row "JVM: jars on the class path" "$(mb "$total") (camskit-kotlin jar with the .so, JNA, kotlin-stdlib)" "$official"
else
  row "JVM" "no jar built (run bindings-uniffi/maven/build.sh)" "-"
fi

echo "| artifact | camskit | official SDK |"
echo "|---|---|---|"
printf '%s\n' "${rows[@]}"
