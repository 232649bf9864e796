# shellcheck shell=bash
# Shared by the benchmark scripts: source "$(dirname "$0")/lib.sh".

# median [DECIMALS]: the median of the numbers on stdin, one per line (the mean of the two middle ones for an even count),
# printed with DECIMALS decimals (default 2)
median() {
  sort -g | awk -v decimals="${1:-2}" '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%." decimals "f", m }'
}
