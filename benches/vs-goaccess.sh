#!/bin/sh
# whoclicked's report against GoAccess on the same generated 1,000,000-line
# log, interleaved runs, medians and ratios (see benches/vs_goaccess.rs).
# Needs Debian's goaccess (apt-get install goaccess) and
# ../shared/data/asn-real.mmdb. VS_RUNS, VS_LINES and VS_DISTINCT adjust it.
set -eu
cd "$(dirname "$0")/.."
command -v goaccess >/dev/null || { echo "goaccess is not installed (apt-get install goaccess)" >&2; exit 1; }
exec cargo bench --bench vs_goaccess
