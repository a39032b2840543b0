#!/usr/bin/env bash
# Builds the operations console for the Maven build (console/pom.xml runs it) and copies it to
# OUT (target/classes/static, so it lands in the server jar as classpath:/static/).
# Skips, saying why, when npm is missing or too old or when -Dconsole.skip=true: the server then
# builds and runs without a console. Rebuilds only when sources are newer than the last build.
set -euo pipefail
OUT=${1:?usage: build.sh OUT_DIR [skip]}
SKIP=${2:-false}
cd "$(dirname "${BASH_SOURCE[0]}")"

say() { echo "[console] $*"; }
rm -rf "$OUT" # a skipped build must not ship a console left over from an earlier one

if [ "$SKIP" = "true" ]; then
  say "skipped (-Dconsole.skip=true): the server jar will have no console"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  say "npm/node not found: skipping the console build; the server jar will have no console (install Node 20.19+ to include it)"
  exit 0
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  say "Node $(node -v) is older than 20.19: skipping the console build; the server jar will have no console"
  exit 0
fi

export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ -f dist/index.html ] && [ -z "$(find src public index.html package.json package-lock.json vite.config.ts tsconfig.json \
    -newer dist/index.html -type f -print -quit 2>/dev/null)" ]; then
  say "up to date (dist/ is newer than the sources)"
else
  start=$SECONDS
  say "npm run build"
  npm run build --silent
  say "built in $((SECONDS - start))s"
fi

mkdir -p "$OUT"
cp -R dist/. "$OUT"/
say "copied to $OUT"
