#!/usr/bin/env bash
# Refresh requirements.lock: install the portal with its test extras into a scratch virtual environment,
# resolved afresh from pyproject.toml, and pin exactly what was installed. Usage: lock.sh PYTHON LOCKFILE
# Run `make test` afterwards: the lock is what make run, make test, CI and the Dockerfile install.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-python3.11}
lock=${2:-requirements.lock}
scratch=$(mktemp -d /tmp/portal-lock.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
echo "==> Resolving the dependencies of pyproject.toml in $scratch"
"$python" -m venv "$scratch/venv"
"$scratch/venv/bin/python" -m pip install -q --upgrade pip
"$scratch/venv/bin/python" -m pip install -q -r <("$python" scripts/requirements.py test)
{
  echo "# Pinned dependencies of Portal Klienta (runtime and test extras), used as pip constraints by"
  echo "# make run, make test and the Dockerfile. Made by 'make lock' on $(date -u +%Y-%m-%d) with $("$python" --version)."
  "$scratch/venv/bin/python" -m pip freeze --all | grep -v -E '^(pip|setuptools|wheel)=='
} >"$lock"
echo "==> $(grep -c '==' "$lock") packages pinned in $lock"
