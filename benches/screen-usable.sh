#!/bin/bash
# How long the review screen takes to become usable on a log, and its peak
# memory: starts `whoclicked --no-kb` in a detached tmux (160x40) and polls
# the screen until its status line says the log is loaded (table sorted,
# counts shown), then reads the process's peak RSS and quits it.
#
#   benches/screen-usable.sh BINARY LOG [DATABASE] [RUNS]
#
# The 1M-line log: `VS_KEEP_LOG=/tmp/vs1m.log cargo bench --bench vs_goaccess`.
set -euo pipefail
BIN=$1
LOG=$2
DB=${3:-$(dirname "$0")/../../shared/data/asn-real.mmdb}
RUNS=${4:-3}
SOCKET=whoclicked-usable-$$
trap 'tmux -L "$SOCKET" kill-server 2>/dev/null || true' EXIT
for run in $(seq 1 "$RUNS"); do
  start=$(date +%s%N)
  tmux -L "$SOCKET" new-session -d -x 160 -y 40 "$BIN --no-kb --mmdb $DB $LOG"
  pid=$(tmux -L "$SOCKET" list-panes -F '#{pane_pid}')
  until tmux -L "$SOCKET" capture-pane -p | grep -qE '^loaded [0-9,]+ accesses'; do
    if (( ($(date +%s%N) - start) / 1000000000 > 120 )); then
      echo "run $run: not usable after 120 s" >&2
      exit 1
    fi
    sleep 0.02
  done
  end=$(date +%s%N)
  peak=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  printf 'run %d: usable after %.2f s, peak RSS %d MB\n' "$run" \
    "$(echo "($end - $start) / 1000000000" | bc -l)" $((peak / 1024))
  tmux -L "$SOCKET" kill-server
done
