#!/bin/bash
# alternate base (/work/main), prev (speed-rollup c32a3ce) and mine (/work/wt-rollup): N rounds
N=${1:-2}
for i in $(seq 1 $N); do
  for who in base prev mine; do
    case $who in
      base) out=$(cd /work/main && .venv/bin/python /tmp/bench-rollup/scripts/roll.py 2>&1 | grep -E "code|RESULT|DIGEST" | tr '\n' ' ');;
      prev) out=$(cd /work/prev-rollup2 && PYTHONPATH=/work/prev-rollup2/src /work/wt-rollup/.venv/bin/python /tmp/bench-rollup/scripts/roll.py 2>&1 | grep -E "code|RESULT|DIGEST" | tr '\n' ' ');;
      mine) out=$(cd /work/wt-rollup && .venv/bin/python /tmp/bench-rollup/scripts/roll.py 2>&1 | grep -E "code|RESULT|DIGEST" | tr '\n' ' ');;
    esac
    echo "$(date +%H:%M:%S) $who $out"
  done
done
