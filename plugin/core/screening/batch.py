"""The performance machinery of screening, apart from the rules: threads, chunks of sites, the paused collector.

Why it exists: a batch is cut into chunks screened side by side, one per core (GEOS runs outside the GIL),
long GEOS calls are split over threads, and the cycle collector is paused while a batch runs. What it buys:
on the 100k bench map (``make bench`` on 2 shared cores, 2026-12-07) a batch of 5,000 sites takes about 2.9 s
(4.6 s of CPU on one core, three quarters of it in GEOS), against 19.8 s for the same checks as a QGIS
Processing pipeline. None of it changes an answer: the chunks' results are taken in input
order and are the same, to the last bit, as screening the chunks one after another.
"""

from __future__ import annotations

import gc
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from itertools import islice
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")

#: Sites screened per vectorised chunk (cancellation and progress are checked between chunks).
CHUNK = 256
#: The smallest chunk the end of a batch is cut into (see :func:`_chunks`).
MIN_CHUNK = 32
#: GEOS calls on at least this many geometries are split across threads (shapely releases the GIL).
PARALLEL_MIN = 64

_pool: ThreadPoolExecutor | None = None
_chunk_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
#: Held while predicates run on prepared geometries shared between screenings (pack features, coverage):
#: GEOS prepared geometries are not thread-safe.
shared_prepared = threading.Lock()
_WORKERS = max(1, min(4, os.cpu_count() or 1))
#: ``in_chunk_worker`` is set in the threads that screen whole chunks: their GEOS calls are not split again.
_thread = threading.local()


def _workers() -> int:
    return _WORKERS


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Python's cycle collector paused while a batch runs (reference counting still frees everything).

    A batch makes hundreds of thousands of small acyclic objects (its findings); the full collections
    they set off walk every object of the loaded pack (a tenth of a second each at 100k features), holding
    the GIL the other chunks need, and find nothing. Collection resumes when the last batch ends, with the
    batch's objects moved to the oldest generation first (``gc.freeze()`` then ``gc.unfreeze()``: two list
    splices): otherwise the first young collection after the batch walks all of them at once (60-120 ms
    after a 5,000-site batch on the 100k bench map) to find nothing again. They are still collected by the
    next full collection, like any long-lived object. Skipped when something else keeps objects frozen.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                if gc.get_freeze_count() == 0:  # the batch's objects join the oldest generation
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()


def _chunk_workers() -> ThreadPoolExecutor:
    """The threads that screen chunks of a batch side by side (one per core)."""
    global _chunk_pool
    with _pool_lock:
        if _chunk_pool is None:
            _chunk_pool = ThreadPoolExecutor(max_workers=_workers(), thread_name_prefix="lnrs-chunk",
                                             initializer=_mark_chunk_worker)
        return _chunk_pool


def _mark_chunk_worker() -> None:
    _thread.in_chunk_worker = True


def vectorised(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` for a vectorised shapely function, split over threads when the arrays are long.

    Only for functions that neither use nor build prepared geometries (those are not thread-safe).
    In a chunk worker the call runs as it is: the other cores are busy with other chunks.
    """
    global _pool
    n = len(args[0])
    workers = _workers()
    if workers < 2 or n < PARALLEL_MIN or getattr(_thread, "in_chunk_worker", False):
        return fn(*args)
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lnrs-geos")
        pool = _pool
    cuts = np.linspace(0, n, workers + 1).astype(np.int64)
    futures = [pool.submit(fn, *(a[lo:hi] if isinstance(a, np.ndarray) and len(a) == n else a for a in args))
               for lo, hi in zip(cuts[:-1], cuts[1:])]
    return np.concatenate([f.result() for f in futures])


def run_in_chunks(n: int, chunk: Callable[[int, int], list[T]], is_cancelled: Callable[[], bool],
                  progress: Callable[[float], None]) -> list[T]:
    """``chunk(lo, hi)`` for each chunk of a batch of ``n`` sites, joined in input order.

    Stops between chunks when ``is_cancelled()`` turns true (returning the results so far) and reports the
    percentage done after each chunk.
    """
    out: list[T] = []
    total = max(1, n)
    bounds = _chunks(n, _workers())
    if len(bounds) < 2 or _workers() < 2:
        for lo, hi in bounds:
            if is_cancelled():
                break
            out.extend(chunk(lo, hi))
            progress(100.0 * hi / total)
        return out
    # chunks are screened side by side, one per core (GEOS runs outside the GIL), and taken in order
    pool = _chunk_workers()
    pending: deque[Future[list[T]]] = deque()
    queued = iter(bounds)
    with _gc_paused():
        try:
            for lo, hi in islice(queued, 2 * _workers()):
                pending.append(pool.submit(chunk, lo, hi))
            for _lo, hi in bounds:
                if is_cancelled():
                    break
                out.extend(pending.popleft().result())
                for nxt in islice(queued, 1):
                    pending.append(pool.submit(chunk, *nxt))
                progress(100.0 * hi / total)
        finally:
            for future in pending:
                future.cancel()
    return out


def _chunks(n: int, workers: int) -> list[tuple[int, int]]:
    """(start, end) of each chunk of a batch of ``n`` sites.

    On several cores the chunks get smaller towards the end of the batch (each at most a
    ``2 * workers``-th of what is left, at least ``MIN_CHUNK``), so the cores finish together.
    """
    out: list[tuple[int, int]] = []
    start = 0
    while start < n:
        size = CHUNK if workers < 2 else max(MIN_CHUNK, min(CHUNK, -(-(n - start) // (2 * workers))))
        out.append((start, min(n, start + size)))
        start += size
    return out

