#!/bin/bash
# alternate base (/work/main) and mine (/work/wt-rollup): N rounds
N=${1:-2}
for i in $(seq 1 $N); do
  for who in base mine; do
    if [ $who = base ]; then d=/work/main; else d=/work/wt-rollup; fi
    out=$(cd $d && .venv/bin/python /tmp/bench-rollup/scripts/roll.py 2>&1 | grep -E "RESULT|DIGEST" | tr '\n' ' ')
    echo "$(date +%H:%M:%S) $who $out"
  done
done
