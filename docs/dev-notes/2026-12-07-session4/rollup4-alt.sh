#!/bin/bash
# alternate base (/work/main) and mine (/work/wt-rollup4): N rounds
N=${1:-2}
for i in $(seq 1 $N); do
  for who in base mine; do
    case $who in
      base) out=$(cd /work/main && .venv/bin/python /work/wt-rollup4/docs/dev-notes/2026-12-07-session4/rollup4-roll.py 2>&1 | grep -E "RESULT|DIGEST|Error" | tr '\n' ' ');;
      mine) out=$(cd /work/wt-rollup4 && .venv/bin/python /work/wt-rollup4/docs/dev-notes/2026-12-07-session4/rollup4-roll.py 2>&1 | grep -E "RESULT|DIGEST|Error" | tr '\n' ' ');;
    esac
    echo "$(date +%H:%M:%S) $who $out"
  done
done
