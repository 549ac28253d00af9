// Native peer for the index benchmark: C++ hnswlib (Debian libhnswlib-dev) on the same data, parameters
// and ef sweep as the Java side. Built by bench/index-bench.sh with -O3 -march=native.
//
// usage: hnswlib_bench l2|cosine <base> <queries> <ground-truth.i32> M efConstruction threads(,threads...) ef(,ef...)
//        hnswlib_bench generate <rows> <dim> <queries> <seed> <base.f32> <queries.f32>
// Reads uint8 IDX image files (*-ubyte) as float vectors, or .f32 files (int32 rows, int32 dim, then
// float32 values, little-endian) that `generate` writes: random Gaussian vectors scaled to unit length, so
// cosine distance is hnswlib's inner-product space. Writes the exact top-10 of every query to the
// ground-truth file when it does not exist yet. Prints tab-separated rows:
//   build  cpp  <threads>  <seconds>  <index bytes>
//   search cpp  <threads>  <ef>  <recall@10>  <queries/s>
// Environment: RUNS (timed runs a figure, the median printed; 3), BUILD_THREADS (the builds' thread counts
// when they differ from the searches'), GRAPH (a file: the graph is loaded from it when it exists, and
// built, then saved there, when it does not).
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int K = 10;

struct Matrix {
    size_t rows = 0;
    size_t dim = 0;
    std::vector<float> values;
    const float *row(size_t i) const { return values.data() + i * dim; }
};

uint32_t big_endian(std::ifstream &in) {
    unsigned char b[4];
    in.read(reinterpret_cast<char *>(b), 4);
    return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | uint32_t(b[3]);
}

Matrix read_f32(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    int32_t header[2];
    if (!in.read(reinterpret_cast<char *>(header), sizeof header)) throw std::runtime_error("cannot read " + path);
    Matrix m;
    m.rows = size_t(header[0]);
    m.dim = size_t(header[1]);
    m.values.resize(m.rows * m.dim);
    if (!in.read(reinterpret_cast<char *>(m.values.data()), m.values.size() * sizeof(float)))
        throw std::runtime_error("truncated: " + path);
    return m;
}

void write_f32(const Matrix &m, const std::string &path) {
    std::ofstream out(path, std::ios::binary);
    int32_t header[2] = {int32_t(m.rows), int32_t(m.dim)};
    out.write(reinterpret_cast<const char *>(header), sizeof header);
    out.write(reinterpret_cast<const char *>(m.values.data()), m.values.size() * sizeof(float));
}

Matrix random_unit(size_t rows, size_t dim, std::mt19937_64 &rng) {
    std::normal_distribution<float> gaussian;
    Matrix m;
    m.rows = rows;
    m.dim = dim;
    m.values.resize(rows * dim);
    for (size_t i = 0; i < rows; i++) {
        float *v = m.values.data() + i * dim;
        double norm = 0;
        for (size_t j = 0; j < dim; j++) norm += double(v[j] = gaussian(rng)) * v[j];
        for (size_t j = 0; j < dim; j++) v[j] = float(v[j] / std::sqrt(norm));
    }
    return m;
}

Matrix read_idx(const std::string &path) {
    if (path.size() > 4 && path.compare(path.size() - 4, 4, ".f32") == 0) return read_f32(path);
    std::ifstream in(path, std::ios::binary);
    if (!in || big_endian(in) != 0x803) throw std::runtime_error("not an IDX image file: " + path);
    Matrix m;
    m.rows = big_endian(in);
    m.dim = size_t(big_endian(in)) * big_endian(in);
    std::vector<unsigned char> bytes(m.rows * m.dim);
    in.read(reinterpret_cast<char *>(bytes.data()), bytes.size());
    m.values.assign(bytes.begin(), bytes.end());
    return m;
}

std::vector<int> parse_list(const std::string &text) {
    std::vector<int> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) out.push_back(std::stoi(item));
    return out;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

template <typename F> void parallel(int threads, size_t n, F body) {
    std::atomic<size_t> next(0);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; t++) {
        pool.emplace_back([&] {
            for (size_t i = next++; i < n; i = next++) body(i);
        });
    }
    for (auto &th : pool) th.join();
}

std::vector<int32_t> ground_truth(hnswlib::SpaceInterface<float> &space, const Matrix &base, const Matrix &queries,
                                  const std::string &path) {
    std::vector<int32_t> gt(queries.rows * K);
    std::ifstream existing(path, std::ios::binary);
    if (existing) {
        existing.read(reinterpret_cast<char *>(gt.data()), gt.size() * sizeof(int32_t));
        return gt;
    }
    auto distance = space.get_dist_func();
    void *param = space.get_dist_func_param();
    parallel(int(std::thread::hardware_concurrency()), queries.rows, [&](size_t q) {
        std::vector<std::pair<float, int32_t>> all(base.rows);
        for (size_t i = 0; i < base.rows; i++) all[i] = {distance(queries.row(q), base.row(i), param), int32_t(i)};
        std::partial_sort(all.begin(), all.begin() + K, all.end());
        for (int j = 0; j < K; j++) gt[q * K + j] = all[j].second;
    });
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char *>(gt.data()), gt.size() * sizeof(int32_t));
    return gt;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc == 8 && std::string(argv[1]) == "generate") {
        std::mt19937_64 rng(std::stoull(argv[5]));
        write_f32(random_unit(std::stoul(argv[2]), std::stoul(argv[3]), rng), argv[6]);
        write_f32(random_unit(std::stoul(argv[4]), std::stoul(argv[3]), rng), argv[7]);
        return 0;
    }
    std::string metric = argc == 9 ? argv[1] : "";
    if (metric != "l2" && metric != "cosine") {
        std::fprintf(stderr, "usage: %s l2|cosine base queries gt.i32 M efConstruction threads,.. ef,..\n"
                             "       %s generate rows dim queries seed base.f32 queries.f32\n", argv[0], argv[0]);
        return 2;
    }
    Matrix base = read_idx(argv[2]);
    Matrix queries = read_idx(argv[3]);
    std::unique_ptr<hnswlib::SpaceInterface<float>> metric_space;
    if (metric == "l2") {
        metric_space = std::make_unique<hnswlib::L2Space>(base.dim);
    } else {
        metric_space = std::make_unique<hnswlib::InnerProductSpace>(base.dim);
    }
    hnswlib::SpaceInterface<float> &space = *metric_space;
    std::vector<int32_t> gt = ground_truth(space, base, queries, argv[4]);
    size_t m = std::stoul(argv[5]);
    size_t ef_construction = std::stoul(argv[6]);
    std::vector<int> thread_counts = parse_list(argv[7]);
    std::vector<int> efs = parse_list(argv[8]);
    const char *runs_env = std::getenv("RUNS");
    int runs = runs_env ? std::max(1, std::atoi(runs_env)) : 3;

    const char *build_env = std::getenv("BUILD_THREADS");
    std::vector<int> build_counts = build_env && *build_env ? parse_list(build_env) : thread_counts;

    const char *graph_env = std::getenv("GRAPH");
    std::string graph = graph_env ? graph_env : "";
    bool saved = !graph.empty() && std::ifstream(graph).good();
    if (saved) build_counts.clear();

    std::unique_ptr<hnswlib::HierarchicalNSW<float>> index;
    if (saved) index = std::make_unique<hnswlib::HierarchicalNSW<float>>(&space, graph);
    for (int threads : build_counts) {
        index.reset();
        index = std::make_unique<hnswlib::HierarchicalNSW<float>>(&space, base.rows, m, ef_construction, 100);
        auto start = std::chrono::steady_clock::now();
        index->addPoint(base.row(0), 0);
        parallel(threads, base.rows - 1, [&](size_t i) { index->addPoint(base.row(i + 1), i + 1); });
        double built = seconds_since(start);
        size_t links = 0;
        for (size_t i = 0; i < base.rows; i++) links += index->element_levels_[i] * index->size_links_per_element_;
        size_t bytes = base.rows * index->size_data_per_element_ + links;
        std::printf("build\tcpp\t%d\t%.2f\t%zu\n", threads, built, bytes);
        std::fflush(stdout);
    }
    if (!graph.empty() && !saved) index->saveIndex(graph);
    for (int threads : thread_counts) {
        for (int ef : efs) {
            index->setEf(ef);
            std::vector<int> hits(queries.rows);
            std::vector<double> rates;
            for (int run = 0; run < runs; run++) {
                auto start = std::chrono::steady_clock::now();
                parallel(threads, queries.rows, [&](size_t q) {
                    auto found = index->searchKnn(queries.row(q), K);
                    int h = 0;
                    while (!found.empty()) {
                        auto label = int32_t(found.top().second);
                        found.pop();
                        for (int j = 0; j < K; j++) h += gt[q * K + j] == label;
                    }
                    hits[q] = h;
                });
                rates.push_back(queries.rows / seconds_since(start));
            }
            std::sort(rates.begin(), rates.end());
            double recall = 0;
            for (int h : hits) recall += h;
            recall /= double(queries.rows) * K;
            std::printf("search\tcpp\t%d\t%d\t%.4f\t%.1f\n", threads, ef, recall, rates[rates.size() / 2]);
            std::fflush(stdout);
        }
    }
    return 0;
}
