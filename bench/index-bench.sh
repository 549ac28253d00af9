#!/usr/bin/env bash
# Side by side, in one run: C++ hnswlib (Debian libhnswlib-dev, g++ -O3 -march=native) and the service's
# HNSW index (VectorIndex, bench profile test IndexBenchmark), same data, M, efConstruction, thread counts
# and ef sweep. Data sets: fashion-mnist-784-euclidean (60,000 base, 10,000 queries), or random unit vectors
# with cosine (ROWS×DIM base, 10,000 queries, made once by the C++ driver with a fixed seed).
# Needs: g++, gawk, libhnswlib-dev, and dataset-fashion-mnist for the first. Output: target/bench/*.tsv
# and Markdown tables.
#   bench/index-bench.sh                          # fashion-mnist, M=16 efConstruction=200, threads 1,2, ef 10..320
#   DATASET=random bench/index-bench.sh           # 1,000,000 × 128-d cosine
#   THREADS=1 EFS=40,80 bench/index-bench.sh      # a quicker sweep
#   BUILD_THREADS=2 bench/index-bench.sh          # one build (2 threads), then the search sweep at each of THREADS
#   SCALAR=1 bench/index-bench.sh                 # also the Java side without the Vector API
#   HNSWLIB=0 bench/index-bench.sh                # without the hnswlib-core library's run (a collection's
#                                                 # "index":{"type":"hnswlib"}), which each round has by default
#   RUNS=5 bench/index-bench.sh                   # queries/s as the median of 5 runs (default 3)
#   SMALL_PAGES=1 bench/index-bench.sh            # the Java heap without transparent huge pages
#   CPP_THP=1 bench/index-bench.sh                # the C++ peer's memory on transparent huge pages too (glibc's
#                                                 # malloc tunable; the stock peer has small pages where THP is
#                                                 # "madvise", as the service's heap had before)
#   CPP_FLAGS="-O3 -march=native -mno-avx512f" bench/index-bench.sh
#                                                 # the peer compiled otherwise (here: its AVX2 kernels, not AVX-512)
#   GRAPHS=1 ROUNDS=3 bench/index-bench.sh        # each side saves its graph after the first build and later
#                                                 # runs load it: the rounds after the first only search (the
#                                                 # files stay in target/bench; delete them to build anew)
#   ROUNDS=3 bench/index-bench.sh                 # C++, Java, C++, Java, C++, Java: each figure the median of
#                                                 # the rounds, so a busy spell of the machine hits both sides
#   JVM=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/index-bench.sh
#                                                 # the Java side on another JVM (Maven and javac stay on the
#                                                 # default one; with GRAPHS=1 a second JVM only searches)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
OUT=target/bench
M=${M:-16}
EFC=${EFC:-200}
THREADS=${THREADS:-1,2}
EFS=${EFS:-10,20,40,80,160,320}
DATASET=${DATASET:-fashion-mnist}
mkdir -p "$OUT"

CPP_FLAGS=${CPP_FLAGS:--O3 -march=native}
# shellcheck disable=SC2086 # the flags are a list
g++ $CPP_FLAGS -std=c++17 -pthread -o "$OUT/hnswlib_bench" bench/hnswlib_bench.cpp
if [ "$DATASET" = random ]; then
  ROWS=${ROWS:-1000000}
  DIM=${DIM:-128}
  METRIC=cosine
  BASE="$OUT/random-${ROWS}x${DIM}.f32"
  QUERIES="$OUT/random-${ROWS}x${DIM}-queries.f32"
  GT="$OUT/random-${ROWS}x${DIM}-gt.i32"
  [ -f "$BASE" ] || "$OUT/hnswlib_bench" generate "$ROWS" "$DIM" 10000 42 "$BASE" "$QUERIES"
else
  METRIC=l2
  for f in train-images-idx3-ubyte t10k-images-idx3-ubyte; do
    [ -f "$OUT/$f" ] || gunzip -c "$DATA/$f.gz" > "$OUT/$f"
  done
  BASE="$OUT/train-images-idx3-ubyte"
  QUERIES="$OUT/t10k-images-idx3-ubyte"
  GT="$OUT/fashion-mnist-gt.i32"
fi
GRAPH=""
[ "${GRAPHS:-0}" = 1 ] && GRAPH="$PWD/$OUT/graph-$(basename "$BASE" .f32)-M$M-efc$EFC"

cpp_side() {
  echo "# native C++ hnswlib on $DATASET (the ground truth is computed on the first run)" >&2
  local tunables=${GLIBC_TUNABLES:-}
  [ "${CPP_THP:-0}" = 1 ] && tunables=glibc.malloc.hugetlb=1
  GLIBC_TUNABLES=$tunables GRAPH=${GRAPH:+$GRAPH.hnsw} "$OUT/hnswlib_bench" "$METRIC" "$BASE" "$QUERIES" "$GT" "$M" "$EFC" "$THREADS" "$EFS" | tee -a "$OUT/cpp.tsv" >&2
}

java_side() { # $1: output name, $2: JVM arguments (the Vector API module, or none for scalar distances),
               # $3: index type (hnsw, the service's own, unless given)
  echo "# Java ($1): the ${3:-hnsw} index" >&2
  ./mvnw -B -ntp -q -Pbench test -Dtest=IndexBenchmark -Dsurefire.failIfNoSpecifiedTests=false ${JVM:+-Djvm="$JVM"} \
    -Dimagesim.bench.index-type="${3:-hnsw}" \
    -Dvector.jvm.args="$2" ${SMALL_PAGES:+-Dheap.jvm.args=} \
    -Dimagesim.bench.metric="$METRIC" -Dimagesim.bench.base="$PWD/$BASE" \
    -Dimagesim.bench.queries="$PWD/$QUERIES" -Dimagesim.bench.ground-truth="$PWD/$GT" \
    -Dimagesim.bench.m="$M" -Dimagesim.bench.ef-construction="$EFC" -Dimagesim.bench.threads="$THREADS" \
    -Dimagesim.bench.build-threads="${BUILD_THREADS:-$THREADS}" -Dimagesim.bench.graph="${GRAPH:+$GRAPH.isix}" \
    -Dimagesim.bench.efs="$EFS" -Dimagesim.bench.runs="${RUNS:-3}" | grep -P '^(build|search)\tjava\t' | tee -a "$OUT/$1.tsv" >&2
}

table() { # $1: the C++ rows, $2: the Java rows; a figure given by several rounds is their median
  gawk -F'\t' '
    function median(key,    n, v) { n = split(all[key], v, " "); asort(v)
                                    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2 }
    function add(key, value) { all[key] = all[key] " " value }
    $1 == "build"  { side = FILENAME == ARGV[1] ? "cpp" : "java"; add("b" SUBSEP side SUBSEP $3, $4)
                     build[side, $3] = median("b" SUBSEP side SUBSEP $3); mem[side, $3] = $5; threads[$3] = 1 }
    $1 == "search" { side = FILENAME == ARGV[1] ? "cpp" : "java"; recall[side, $3, $4] = $5
                     add("q" SUBSEP side SUBSEP $3 SUBSEP $4, $6); qps[side, $3, $4] = median("q" SUBSEP side SUBSEP $3 SUBSEP $4)
                     efs[$4] = 1; threads[$3] = 1 }
    END {
      print "| threads | build Java s | build C++ s | Java/C++ | index Java MB | index C++ MB |"
      print "| ---: | ---: | ---: | ---: | ---: | ---: |"
      nt = asorti(threads, ts, "@ind_num_asc")
      for (j = 1; j <= nt; j++) { t = ts[j]
        if ((("java", t) in build)) printf "| %s | %.1f | %.1f | %.2f× | %.0f | %.0f |\n", t, build["java", t],
          build["cpp", t], build["java", t] / build["cpp", t], mem["java", t] / 1048576, mem["cpp", t] / 1048576 }
      print ""
      print "| threads | ef | recall@10 Java | recall@10 C++ | queries/s Java | queries/s C++ | Java/C++ |"
      print "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
      ne = asorti(efs, es, "@ind_num_asc")
      for (j = 1; j <= nt; j++) for (i = 1; i <= ne; i++) { t = ts[j]; e = es[i]
        if ((("java", t, e) in qps)) printf "| %s | %s | %.4f | %.4f | %.0f | %.0f | %.2f× |\n", t, e,
          recall["java", t, e], recall["cpp", t, e], qps["java", t, e], qps["cpp", t, e], qps["java", t, e] / qps["cpp", t, e] }
    }' "$1" "$2"
}

rm -f "$OUT/cpp.tsv" "$OUT/java.tsv" "$OUT/scalar.tsv" "$OUT/hnswlib.tsv"
for round in $(seq "${ROUNDS:-1}"); do
  echo "# round $round of ${ROUNDS:-1}" >&2
  cpp_side
  java_side java "--add-modules jdk.incubator.vector"
  [ "${HNSWLIB:-1}" = 0 ] || GRAPH="" java_side hnswlib "--add-modules jdk.incubator.vector" hnswlib
done
echo "Java with the Vector API (median of ${ROUNDS:-1} rounds):"
table "$OUT/cpp.tsv" "$OUT/java.tsv"
if [ "${HNSWLIB:-1}" != 0 ]; then
  echo
  echo "hnswlib-core, the Java library (\"index\":{\"type\":\"hnswlib\"}), in the Java columns:"
  table "$OUT/cpp.tsv" "$OUT/hnswlib.tsv"
fi
if [ "${SCALAR:-0}" = 1 ]; then
  java_side scalar ""
  echo
  echo "Java with scalar distances:"
  table "$OUT/cpp.tsv" "$OUT/scalar.tsv"
fi
