"""One Filter shared by many Python threads (the GIL is released while posts are checked)."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pyarrow as pa

import coinsieve

POSTS = [
    "收U 6.95 微信 laozhang88",
    "今天去买了个U盘",
    "join our pump group, next pump 5pm GMT, 100x",
    "出 U 汇率 7.05，薇 abc_8899",
    "周末去爬了香山，人比树叶还多。",
    "B1TC01N to the mooooon 🚀 DM me",
    "",
]


def test_many_threads_share_one_filter(filt):
    want = [filt.check(p) for p in POSTS]
    want_arrow = filt.check_arrow(pa.array(POSTS * 20))
    barrier = threading.Barrier(8)

    def work(seed):
        barrier.wait()
        for i in range(200):
            j = (seed + i) % len(POSTS)
            assert filt.check(POSTS[j]) == want[j]
            if i % 50 == 0:
                assert filt.check_arrow(pa.array(POSTS * 20)).equals(want_arrow)
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(work, range(8)))


def test_filters_built_concurrently():
    with ThreadPoolExecutor(max_workers=4) as pool:
        filters = list(pool.map(lambda _: coinsieve.Filter(), range(4)))
    assert len({f.check(POSTS[0])["label"] for f in filters}) == 1


def test_gil_is_released_during_check_arrow(filt):
    """While one thread checks a large batch, another thread keeps running Python code: it ticks
    all through the call, not just in one switch interval at its start."""
    big = pa.array(POSTS * 6000)
    stamps = []
    state = {"in_call": False, "done": False}

    def ticker():
        while not state["done"]:
            if state["in_call"]:
                stamps.append(time.perf_counter())

    t = threading.Thread(target=ticker)
    t.start()
    try:
        state["in_call"] = True
        t0 = time.perf_counter()
        filt.check_arrow(big, parallel=False)
        t1 = time.perf_counter()
        state["in_call"] = False
    finally:
        state["done"] = True
        t.join()
    assert t1 - t0 > 0.05, "batch too small to measure"
    buckets = {int((s - t0) / (t1 - t0) * 10) for s in stamps if t0 <= s <= t1}
    assert len(buckets) >= 5, f"ticker ran in {len(buckets)} of 10 slices of the call"
