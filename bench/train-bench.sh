#!/usr/bin/env bash
# Training quality and speed side by side, in one run: the PyTorch peer (bench/pytorch_train_bench.py, Debian's
# python3-torch, CPU) and the service's own training jobs (ObjectiveBenchmark, over HTTP), on the same protocol:
# Fashion-MNIST train images of the seen classes (10% of each set aside for validation), the small CNN at 32 px,
# 64-d, P x K = 6 x 16, EPOCHS epochs, seed 0, the epoch with the best validation MAP@R kept; then leave-one-out
# retrieval (cosine) on the t10k test images of the seen and of the held-out classes. Both sides get the same
# thread count and OMP_WAIT_POLICY and run one after the other, never at once.
#
# Each entry of OBJECTIVES is a name and an objective as the service takes it (';'-separated). The service
# runs it as written, everything else at its defaults: what a user who names only the objective gets. The
# peer runs the recipe in PEER_OBJECTIVES (the same names), by default the plain PyTorch script's recipe:
# batch-hard triplets on plain distances, Adam 1e-3 at a constant rate; and the raw pixels as a baseline.
# SERVICE_REQUEST adds request fields to every service job (JSON members, e.g. '"learningRate":0.001').
# Needs /usr/bin/python3 with python3-torch and the dataset-fashion-mnist package (or FASHION=dir).
#   bench/train-bench.sh
#   HELD_OUT=0,2,4,6 bench/train-bench.sh       # the hard split: no held-out top has a sibling among the seen
#   PEER_ARCH=cnn OBJECTIVES='triplet={"type":"triplet"}' PEER_OBJECTIVES='triplet={"type":"triplet"}' \
#     SERVICE_REQUEST='"learningRate":0.001,"schedule":"constant","augmentation":{"flip":false,"cropPadding":0}' \
#     bench/train-bench.sh                      # one network, one recipe on both sides: training speed
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench
FASHION=${FASHION:-/usr/share/datasets/fashion-mnist}
HELD_OUT=${HELD_OUT:-6,7,8,9}
EPOCHS=${EPOCHS:-3}
# small3: the plain script's 3-stage CNN at 28 px; cnn: the service's own network, to compare implementations
PEER_ARCH=${PEER_ARCH:-small3}
export THREADS=${THREADS:-2}
export OMP_WAIT_POLICY=PASSIVE
OBJECTIVES=${OBJECTIVES:-'triplet={"type":"triplet"};contrastive={"type":"contrastive"};center={"type":"center"};softmax={"type":"softmax"}'}
PEER_OBJECTIVES=${PEER_OBJECTIVES:-'pixels={"type":"pixels"};triplet={"type":"triplet","miner":"batch-hard","squared":false};contrastive={"type":"contrastive"};center={"type":"center"};softmax={"type":"softmax"}'}
mkdir -p "$OUT"

echo "# PyTorch peer" >&2
/usr/bin/python3 bench/pytorch_train_bench.py --fashion "$FASHION" --held-out "$HELD_OUT" --epochs "$EPOCHS" \
  --threads "$THREADS" --arch "$PEER_ARCH" --objectives "$PEER_OBJECTIVES" | tee "$OUT/train-pytorch.tsv" >&2
echo "# imagesim training jobs" >&2
./mvnw -B -ntp -q -Pbench test -Dtest=ObjectiveBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dimagesim.engine.threads="$THREADS" -Dimagesim.bench.fashion-mnist="$FASHION" \
  -Dimagesim.bench.held-out="$HELD_OUT" -Dimagesim.bench.epochs="$EPOCHS" \
  -Dimagesim.bench.objectives="$OBJECTIVES" -Dimagesim.bench.request="${SERVICE_REQUEST:-}" | grep -P '^train\t' | tee "$OUT/train-imagesim.tsv" >&2

# columns: train, side, name, samples/s, seen R@1, seen MAP@R, unseen R@1, unseen MAP@R, epoch, train s, eval s
gawk -F'\t' '
  { row[$2, $3] = $0; names[$3] = 1 }
  END {
    print "| objective | side | train samples/s | seen R@1 | seen MAP@R | unseen R@1 | unseen MAP@R | epoch kept | train s | eval s |"
    print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    n = asorti(names, sorted)
    for (i = 1; i <= n; i++) {
      name = sorted[i]
      for (s = 1; s <= 2; s++) {
        side = s == 1 ? "pytorch" : "imagesim"
        if (!((side, name) in row)) continue
        split(row[side, name], f, "\t")
        printf "| %s | %s | %.0f | %.3f | %.3f | %.3f | %.3f | %s | %.0f | %.0f |\n", name, side, f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11]
      }
      if (((("pytorch", name) in row)) && ((("imagesim", name) in row))) {
        split(row["pytorch", name], p, "\t"); split(row["imagesim", name], q, "\t")
        printf "| %s | imagesim / pytorch | %.2f× | | | | **%.2f×** | | | |\n", name, q[4] / p[4], q[8] / p[8]
      }
    }
  }' "$OUT/train-pytorch.tsv" "$OUT/train-imagesim.tsv"
