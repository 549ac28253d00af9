#!/usr/bin/env bash
# A/B of the service's in-process embedding figures between two commits, with the PyTorch eager peer in
# every round: each round runs the peer, then EmbeddingBenchmark at commit A, then at commit B (two clones
# under target/ab/), so a busy spell of this shared machine hits all three. Prints one row per engine, model
# and batch: the peer's median, each side's median and median ratio to the peer (the rounds' ratios in
# brackets), and B / A. Same settings as bench/embed-bench.sh.
# Needs: /usr/bin/python3 with python3-torch and python3-torchvision. Output: target/ab/runs.tsv and the table.
#   bench/embed-ab.sh 8e561be 73b573e                   # cnn,resnet18,resnet50, 3 rounds
#   ROUNDS=4 ARCHS=cnn bench/embed-ab.sh HEAD~1 HEAD
set -euo pipefail
cd "$(dirname "$0")/.."
A=${1:?commit A}
B=${2:?commit B}
ROUNDS=${ROUNDS:-3}
ARCHS=${ARCHS:-cnn,resnet18,resnet50}
export THREADS=${THREADS:-2}
export WARMUP_SECONDS=${WARMUP_SECONDS:-5}
# the three run in one environment: the launchers' OMP_WAIT_POLICY, and glibc's malloc defaults unless the
# caller exports MALLOC_* settings (they then apply to all three)
export OMP_WAIT_POLICY=PASSIVE
ROOT=$PWD
OUT=$ROOT/target/ab
mkdir -p "$OUT"
for side in A B; do
  rev=${!side}
  rm -rf "$OUT/$side"
  git clone -q "$ROOT" "$OUT/$side"
  git -C "$OUT/$side" checkout -q "$rev"
done
: > "$OUT/runs.tsv"
for round in $(seq "$ROUNDS"); do
  echo "# round $round: PyTorch eager" >&2
  /usr/bin/python3 bench/pytorch_embed_bench.py "$OUT" "$ARCHS" | sed "s/^/$round\tpeer\t/" >> "$OUT/runs.tsv"
  for side in A B; do
    echo "# round $round: $side (${!side})" >&2
    (cd "$OUT/$side" && ./mvnw -B -ntp -q -Pbench test -Dtest=EmbeddingBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
      -Dimagesim.engine.threads="$THREADS" -Dimagesim.bench.archs="$ARCHS" \
      -Dimagesim.bench.warmup-seconds="$WARMUP_SECONDS" -Dimagesim.bench.torchscript-dir="$OUT") \
      | grep -P '^embed\t' | sed "s/^/$round\t$side\t/" >> "$OUT/runs.tsv"
  done
done

gawk -F'\t' -v a="$A" -v b="$B" '
  function median(list,    n, v) { n = split(list, v, " "); asort(v)
                                   return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
  # "img/s | ratio to PyTorch (the rounds)" of one side, or dashes for an engine that side does not have
  function side(s, k) { if (rate[s, k] == "") { onlyIn[k] = 1; return "— | —" }
                        return sprintf("%.1f | %.2f× (%s)", median(rate[s, k]), median(ratio[s, k]), substr(ratio[s, k], 2)) }
  $2 == "peer" { peer[$1, $5, $6] = $7; peers[$5, $6] = peers[$5, $6] " " $7; next }
  { key = $4 "\t" $5 "\t" $6; keys[key] = 1; rate[$2, key] = rate[$2, key] " " $7
    ratio[$2, key] = ratio[$2, key] " " sprintf("%.2f", $7 / peer[$1, $5, $6]) }
  END {
    printf "| engine | model | batch | PyTorch img/s | %s img/s | %s / PyTorch | %s img/s | %s / PyTorch | %s / %s |\n", a, a, b, b, b, a
    print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    n = asorti(keys, sorted)
    for (i = 1; i <= n; i++) { k = sorted[i]; split(k, f, "\t")
      printf "| %s | %s | %s | %.1f | %s | %s | %s |\n", f[1], f[2], f[3], median(peers[f[2], f[3]]),
        side("A", k), side("B", k),
        (k in onlyIn) ? "—" : sprintf("%.2f×", median(rate["B", k]) / median(rate["A", k])) }
  }' "$OUT/runs.tsv"
