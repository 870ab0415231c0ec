#!/usr/bin/env bash
# Installs the Debian packages the test suites use when they are missing: PostgreSQL (the
# indexer's throwaway cluster, scripts/pg-test-cluster.sh) and Chromium (the explorer's browser
# tests drive it through playwright-core, which never downloads a browser; CHROMIUM_PATH names
# another one). Idempotent; needs root (CI machines
# run as root) and Debian's package mirror, nothing else. `.ci/run` starts it in the background
# while npm installs, so the download overlaps the install instead of the tests.
set -euo pipefail
missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ -n "${CHROMIUM_PATH:-}" ] || [ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -eq 0 ]; then
  echo "ci-packages: nothing to install"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "ci-packages: ${missing[*]} missing and not root: install them with apt-get" >&2
  exit 1
fi
echo "ci-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}"
