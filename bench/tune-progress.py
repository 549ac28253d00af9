#!/usr/bin/env python3
"""Follows a background ef tuning (POST/GET /collections/{c}/index/tune) of a running service, once a second,
so the percent and ETA it reports can be held against when it really ends. Fills the collection first with
random 128-d cosine vectors (batches of 250 through images:batch) when it does not exist. Standard library
only. The tuning is a dry run (apply: false). Prints one line a second and, at the end, the sweep.
    java --add-modules jdk.incubator.vector -XX:+ExplicitGCInvokesConcurrent -jar target/imagesim-*.jar --server.port=8099 &
    bench/tune-progress.py --url http://127.0.0.1:8099 --vectors 200000 --sample 2000 --target 0.9
"""
import argparse
import json
import random
import time
import urllib.error
import urllib.request


def call(base, method, path, body=None):
    request = urllib.request.Request(base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=600) as reply:
            return reply.status, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def fill(base, collection, vectors):
    status, body = call(base, "POST", "/collections", {"name": collection, "dimension": 128, "distance": "cosine"})
    assert status == 201, body
    rng = random.Random(1)
    start = time.time()
    for first in range(0, vectors, 250):
        items = [{"id": f"v{i}", "vector": [round(rng.gauss(0, 1), 4) for _ in range(128)]}
                 for i in range(first, min(vectors, first + 250))]
        status, body = call(base, "POST", f"/collections/{collection}/images:batch", {"items": items})
        assert status == 200, body
    print(f"ingested {vectors} vectors in {time.time() - start:.0f} s", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--collection", default="tune-progress")
    parser.add_argument("--vectors", type=int, default=200000)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--target", type=float, default=0.95)
    args = parser.parse_args()
    base = args.url + "/api/v1"
    if call(base, "GET", f"/collections/{args.collection}")[0] == 404:
        fill(base, args.collection, args.vectors)
    start = time.time()
    status, tuning = call(base, "POST", f"/collections/{args.collection}/index/tune",
                          {"targetRecall": args.target, "sampleSize": args.sample, "apply": False})
    assert status == 202, tuning
    while tuning["finishedAt"] is None:
        time.sleep(1)
        tuning = call(base, "GET", f"/collections/{args.collection}/index/tune")[1]
        print(f"{time.time() - start:6.1f} s {tuning['state']:9} {tuning['phase'] or '':5} "
              f"scanned {tuning['scanned']:>8} ef {tuning['ef'] or '':>5} queries {tuning['searched']:>5} "
              f"{tuning['percent']:5.1f}% eta {tuning['etaSeconds']} s", flush=True)
    print(json.dumps(tuning["result"] or tuning["error"]))


if __name__ == "__main__":
    main()
