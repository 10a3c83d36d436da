#!/usr/bin/env bash
# Regenerates the screenshots in docs/images (the README shows the incident page): runs the browser test
# (npm run test:ui), which saves a screenshot of every page, and copies the ones the docs show.
set -euo pipefail
cd "$(dirname "$0")/.."
UI_SCREENSHOT_DIR="$PWD/artifacts/ui" npm run test:ui
cp artifacts/ui/incident.png docs/images/incident-page.png
cp artifacts/ui/incident-dark.png docs/images/incident-page-dark.png
cp artifacts/ui/incident-narrow.png docs/images/incident-page-narrow.png
cp artifacts/ui/trace.png docs/images/trace-page.png
cp artifacts/ui/map.png docs/images/service-map.png
cp artifacts/ui/slos.png docs/images/slos-page.png
echo "docs/images updated"
