#!/usr/bin/env bash
# Install the Debian packages the portal needs, only those missing. Usage: system-deps.sh run|test
set -euo pipefail
profile=${1:-run}
# WeasyPrint renders PDFs through Pango; DejaVu has every Polish diacritic. The BPMN modeler measures and
# draws its names in Arial: Liberation Sans has Arial's metrics, so a browser on this machine wraps them as
# on any other (with DejaVu Sans in its place, long words broke inside).
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation2)
if [ "$profile" = test ]; then
  packages+=(chromium postgresql redis-server poppler-utils)
fi
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
