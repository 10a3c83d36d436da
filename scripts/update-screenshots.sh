#!/usr/bin/env bash
# Regenerates the README's screenshot of the incident page: runs the browser test (npm run test:ui), which saves a
# screenshot of every page, and copies the incident page's into docs/images/.
set -euo pipefail
cd "$(dirname "$0")/.."
UI_SCREENSHOT_DIR="$PWD/artifacts/ui" npm run test:ui
cp artifacts/ui/incident.png docs/images/incident-page.png
echo "docs/images/incident-page.png updated"
