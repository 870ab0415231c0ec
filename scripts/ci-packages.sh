#!/usr/bin/env bash
# Installs the Debian packages the test suites use when they are missing: PostgreSQL (the
# indexer's throwaway cluster, scripts/pg-test-cluster.sh). Idempotent; needs root (CI machines
# run as root) and Debian's package mirror, nothing else. `.ci/run` starts it in the background
# while npm installs, so the download overlaps the install instead of the tests.
set -euo pipefail
missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
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
apt-get install -y -qq --no-install-recommends "${missing[@]}"
