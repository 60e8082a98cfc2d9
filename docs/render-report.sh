#!/usr/bin/env bash
# Rendering check of `shardman report --html`: starts a throwaway local cluster (3 workers, random ports in
# 56000-59000, its own directory under /tmp), runs the demo on it (examples/cluster.yaml and sample rows),
# writes the report, screenshots it with headless Chromium and stops the cluster again.
#
#   docs/render-report.sh [OUTPUT_DIR]     # default: docs/ (report-sample.html, report-screenshot.png)
#
# Needs chromium (Debian: apt-get install chromium) besides JDK 17 and Maven; CI has no browser, so this is
# run by hand when the page's template changes. Exit 0 when both files were written and Chromium rendered
# the page without error.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
output="$(cd "${1:-$root/docs}" && pwd)"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$browser" ]; then
  echo "render-report: no chromium on PATH (Debian: apt-get install chromium)" >&2
  exit 1
fi

base_port=$((56000 + RANDOM % 2990))
work="$(mktemp -d /tmp/shardman-report-XXXXXX)"
cleanup() {
  "$root/shardman" local down --dir "$work/local" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"$root/shardman" local up --dir "$work/local" --base-port "$base_port" --workers 3 >/dev/null
# examples/cluster.yaml names ports 17430 (shardlord) to 17433 (w3): move them to this cluster's.
sed -e "s/port=17430/port=$base_port/" -e "s/port=17431/port=$((base_port + 1))/" \
    -e "s/port=17432/port=$((base_port + 2))/" -e "s/port=17433/port=$((base_port + 3))/" \
    "$root/examples/cluster.yaml" > "$work/cluster.yaml"
"$root/shardman" demo --no-local --no-color -f "$work/cluster.yaml" >/dev/null

"$root/shardman" report -f "$work/cluster.yaml" --html "$output/report-sample.html"
# --no-sandbox: browsers refuse their sandbox as root (containers, CI images).
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1150 \
    --screenshot="$output/report-screenshot.png" "file://$output/report-sample.html" 2>"$work/chromium.log" \
  || { cat "$work/chromium.log" >&2; exit 1; }
echo "wrote $output/report-sample.html and $output/report-screenshot.png"
