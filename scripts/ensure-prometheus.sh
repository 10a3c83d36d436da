#!/usr/bin/env bash
# Installs Prometheus and Alertmanager from Debian's packages when they are missing (promtool for npm test, both
# servers for npm run test:e2e).
set -euo pipefail
if command -v prometheus >/dev/null && command -v prometheus-alertmanager >/dev/null; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "npm test needs promtool (prometheus), test:e2e also prometheus-alertmanager: sudo apt-get install -y prometheus prometheus-alertmanager" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus prometheus-alertmanager >/dev/null
# The packages start system services; the test runs its own instances on free ports.
(systemctl stop prometheus prometheus-alertmanager 2>/dev/null || service prometheus stop 2>/dev/null || true) >/dev/null 2>&1
