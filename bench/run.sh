#!/usr/bin/env bash
# make bench: installs what the peer and the measurements need, then runs bench/run.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
/usr/bin/python3 -c 'import pandas, sklearn' 2>/dev/null || need+=(python3-pandas python3-sklearn)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "bench: installing ${need[*]} (Debian packages) for the peer script and peak-RSS measurement" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
exec node_modules/.bin/tsx bench/run.ts
