#!/bin/sh
# Prints the peak memory and time of `whoclicked lookup` on N generated
# addresses (default 4,000,000), to show that it streams. A figure, not a test.
# Usage: benches/lookup_memory.sh [PATH/TO/whoclicked] [N]
set -eu
bin=${1:-target/release/whoclicked}
n=${2:-4000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 -c "
import sys
w = sys.stdout.write
for n in range($n): w('10.%d.%d.%d\n' % (n >> 16 & 255, n >> 8 & 255, n & 255))
" > "$dir/input"
for mode in --json ""; do
    WHOCLICKED_NO_DEFAULT_MMDB=1 XDG_DATA_HOME="$dir" XDG_CONFIG_HOME="$dir" \
        /usr/bin/time -f "lookup --no-kb $mode, $n lines: peak RSS %M KiB, %e s" \
        "$bin" lookup --no-kb $mode < "$dir/input" > /dev/null
done
