#!/usr/bin/env bash
# Side by side, in one run: PyTorch eager (Debian python3-torch / python3-torchvision, CPU) and the service's
# two DJL paths — the DJL-built eager trunk (as served: batch normalisation folded; and as built) and the
# TorchScript trunk traced from the PyTorch model — on the default model's small CNN (32 px grey) and
# ResNet-18 and ResNet-50 at 224 px, batch 1 and 32, same thread count and environment for both
# (OMP_WAIT_POLICY=PASSIVE, glibc's malloc defaults unless the caller exports MALLOC_* settings). Then the
# embedding endpoint over HTTP with 1, 4 and 16 concurrent single-image clients, each engine as the service's
# default model. Needs: /usr/bin/python3 with python3-torch and python3-torchvision. Output:
# target/bench/embed-*.tsv and two Markdown tables.
#   bench/embed-bench.sh                      # cnn,resnet18,resnet50 with 2 threads
#   ARCHS=resnet18 THREADS=1 bench/embed-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench
ARCHS=${ARCHS:-cnn,resnet18,resnet50}
export THREADS=${THREADS:-2}
# both sides warm up for this long at each batch size before they time (the JVM needs it; the peer gets the same)
export WARMUP_SECONDS=${WARMUP_SECONDS:-5}
export OMP_WAIT_POLICY=PASSIVE
mkdir -p "$OUT"

echo "# PyTorch eager (also traces the TorchScript bundles)" >&2
/usr/bin/python3 bench/pytorch_embed_bench.py "$OUT" "$ARCHS" | tee "$OUT/embed-pytorch.tsv" >&2
echo "# DJL: eager trunk and TorchScript trunk" >&2
./mvnw -B -ntp -q -Pbench test -Dtest=EmbeddingBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dimagesim.engine.threads="$THREADS" -Dimagesim.bench.archs="$ARCHS" \
  -Dimagesim.bench.warmup-seconds="$WARMUP_SECONDS" \
  -Dimagesim.bench.torchscript-dir="$PWD/$OUT" | grep -P '^embed\t' | tee "$OUT/embed-djl.tsv" >&2
echo "# DJL over HTTP: 1, 4, 16 concurrent single-image clients" >&2
./mvnw -B -ntp -q -Pbench test -Dtest=HttpEmbeddingBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dimagesim.engine.threads="$THREADS" -Dimagesim.bench.archs="$ARCHS" \
  -Dimagesim.bench.torchscript-dir="$PWD/$OUT" | grep -P '^http-embed\t' | tee "$OUT/embed-http.tsv" >&2

gawk -F'\t' '
  { rate[$2, $3, $4] = $5; ms[$2, $3, $4] = $6; key[$3 "\t" $4] = 1 }
  END {
    print "| model | batch | PyTorch eager img/s | DJL eager img/s | DJL eager / PyTorch | unfolded / PyTorch | DJL TorchScript img/s | TorchScript / PyTorch | ms per call PyTorch / DJL eager / TorchScript |"
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    n = asorti(key, keys)
    for (i = 1; i <= n; i++) { split(keys[i], k, "\t"); a = k[1]; b = k[2]; p = rate["pytorch-eager", a, b]
      printf "| %s | %s | %.1f | %.1f | %.2f× | %.2f× | %.1f | %.2f× | %s / %s / %s |\n", a, b, p,
        rate["djl-eager", a, b], rate["djl-eager", a, b] / p, rate["djl-eager-unfolded", a, b] / p,
        rate["djl-torchscript", a, b], rate["djl-torchscript", a, b] / p,
        ms["pytorch-eager", a, b], ms["djl-eager", a, b], ms["djl-torchscript", a, b] }
  }' "$OUT/embed-pytorch.tsv" "$OUT/embed-djl.tsv"

echo
gawk -F'\t' '
  FNR == NR { if ($2 == "pytorch-eager") rate[$3, $4] = $5; next }
  { key[++n] = $0 }
  END {
    print "| model | engine | HTTP clients | img/s | p50 ms | p99 ms | / PyTorch eager batch 1 | / PyTorch eager batch 32 |"
    print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (i = 1; i <= n; i++) { split(key[i], f, "\t")
      printf "| %s | %s | %s | %.1f | %s | %s | %.2f× | %.2f× |\n", f[3], f[2], f[4], f[5], f[6], f[7],
        f[5] / rate[f[3], 1], f[5] / rate[f[3], 32] }
  }' "$OUT/embed-pytorch.tsv" "$OUT/embed-http.tsv"
