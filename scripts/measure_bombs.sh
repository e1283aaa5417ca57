#!/bin/sh
# Peak memory (maximum resident set) and wall time of `hwf inspect` on each bomb of
# scripts/gen_bombs.py, plus /dev/zero and the funding file of the malformed catalogue.
# Usage: scripts/measure_bombs.sh /tmp/hwf-bombs [path/to/hwf]
dir=$1
hwf=${2:-target/release/hwf}
run() {
    /usr/bin/time -f "%M KB %e s" "$@" >/dev/null 2>/tmp/hwf-measure.err
    code=$?
    printf '%s | exit %s | %s | %s\n' "$*" "$code" "$(tail -n 1 /tmp/hwf-measure.err)" \
        "$(head -n 1 /tmp/hwf-measure.err | cut -c1-160)"
}
for f in "$dir"/* tests/fixtures/malformed/px_keys_* tests/fixtures/malformed/px_dense_* \
    tests/fixtures/malformed/jsonstat_sparse_* tests/fixtures/malformed/xlsx_*; do
    run "$hwf" inspect "$f"
done
run "$hwf" inspect /dev/zero
run "$hwf" allocate funding tests/fixtures/malformed/funding_period_huge.csv
run "$hwf" report --funding tests/fixtures/malformed/funding_period_huge.csv --out /tmp/hwf-measure-out
