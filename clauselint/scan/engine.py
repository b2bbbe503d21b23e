"""Run ``scan_file`` over many files: in-process, on a local process pool, or on a Dask cluster.

The parent hashes each file, reuses a stored result when the content and the rule set are
unchanged, sends the others to the workers a few at a time (memory stays flat whatever the
number of files) and stores each result as it arrives.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clauselint.errors import ClauselintError
from clauselint.scan.analyse import Options, error_entry, scan_file
from clauselint.scan.store import Store

FILE_TIMEOUT = 120  # seconds one file may take before it is given up


@dataclass
class RunStats:
    run: int = 0
    total: int = 0
    analysed: int = 0
    cached: int = 0
    errors: int = 0
    seconds: float = 0.0
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


Progress = Callable[[int, int], None]  # (files done, files in all)


class _Timeout(Exception):
    pass


def _alarm(_signum, _frame):
    raise _Timeout()


def guarded_scan(path: str, options: Options, timeout: int = FILE_TIMEOUT) -> dict[str, Any]:
    """``scan_file`` that never raises: an internal error or a timeout becomes the file's error."""
    use_alarm = timeout > 0 and threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")
    previous = None
    if use_alarm:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(timeout)
    try:
        return scan_file(path, options)
    except _Timeout:
        return error_entry(f"analyse interrompue après {timeout} s : fichier trop complexe, vérifiez-le à part")
    except MemoryError:
        return error_entry("mémoire insuffisante pour analyser ce fichier : vérifiez-le à part")
    except Exception as exc:  # noqa: BLE001 — one bad file never stops the batch
        return error_entry(f"erreur interne ({type(exc).__name__}: {exc}) ; signalez-la avec ce fichier")
    finally:
        if use_alarm:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous or signal.SIG_DFL)


# --- workers of the local pool: options are sent once per process, not once per file ---

_WORKER_OPTIONS: Options | None = None


def _init_worker(options: Options) -> None:
    global _WORKER_OPTIONS
    _WORKER_OPTIONS = options
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C


def _worker_scan(path: str) -> dict[str, Any]:
    assert _WORKER_OPTIONS is not None
    return guarded_scan(path, _WORKER_OPTIONS)


def _pool_results(paths: list[str], options: Options, jobs: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, entry) as workers finish; a worker that dies takes only its own file down."""
    import multiprocessing

    queue = list(reversed(paths))
    attempts: dict[str, int] = {}
    window = max(2, jobs * 4)
    context = multiprocessing.get_context("forkserver" if os.name == "posix" else "spawn")
    while queue:
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker, initargs=(options,))
        running: dict[Future, str] = {}
        broken = False
        try:
            while queue or running:
                while queue and len(running) < window:
                    path = queue.pop()
                    running[pool.submit(_worker_scan, path)] = path
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    path = running.pop(future)
                    try:
                        yield path, future.result()
                    except BrokenProcessPool:
                        broken = True
                        attempts[path] = attempts.get(path, 0) + 1
                        if attempts[path] >= 2:
                            yield path, error_entry("le processus d'analyse s'est arrêté sur ce fichier "
                                                    "(fichier piégé ou trop lourd) : vérifiez-le à part")
                        else:
                            queue.append(path)
                if broken:
                    # Every file still running on the dead pool is retried once on a new pool.
                    for future, path in running.items():
                        attempts[path] = attempts.get(path, 0) + 1
                        queue.append(path)
                    running.clear()
                    break
        finally:
            pool.shutdown(wait=not broken, cancel_futures=True)


def _dask_results(paths: list[str], options: Options, jobs: int, scheduler: str | None,
                  local_cluster: dict[str, Any] | None) -> Iterator[tuple[str, dict[str, Any]]]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ClauselintError("moteur dask indisponible : installez-le avec « pip install 'clauselint[dask]' »") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="20s")
        else:
            settings = {"n_workers": jobs, "threads_per_worker": 1, "processes": True, "dashboard_address": None}
            settings.update(local_cluster or {})
            cluster = LocalCluster(**settings)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        raise ClauselintError(f"ordonnanceur Dask injoignable ({exc}) ; vérifiez l'adresse de --scheduler "
                              "(ex. tcp://hote:8786)", where=scheduler) from None
    try:
        shared = client.scatter(options, broadcast=True)
        window = max(4, jobs * 8)
        queue = list(reversed(paths))
        futures = as_completed()
        keys: dict[str, str] = {}

        def submit() -> None:
            path = queue.pop()
            future = client.submit(guarded_scan, path, shared, pure=False)
            keys[future.key] = path
            futures.add(future)

        for _ in range(min(window, len(queue))):
            submit()
        for future in futures:
            path = keys.pop(future.key)
            try:
                entry = future.result()
            except Exception as exc:  # noqa: BLE001 — a lost worker: the file is reported, the batch goes on
                entry = error_entry(f"le nœud Dask a échoué sur ce fichier ({type(exc).__name__}) : vérifiez-le à part")
            future.release()
            if queue:
                submit()
            yield path, entry
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_scan(files: list[Path], options: Options, store: Store, jobs: int = 1, engine: str = "local",
             scheduler: str | None = None, progress: Progress | None = None,
             local_cluster: dict[str, Any] | None = None) -> RunStats:
    """Scan ``files`` into ``store`` and return the run's figures (entries are read from the store)."""
    start = time.perf_counter()
    ruleset = options.ruleset()
    stats = RunStats(run=store.start_run(ruleset), total=len(files))
    done = 0
    pending: dict[str, list[str]] = {}  # sha256 → paths with that content
    first_path: dict[str, str] = {}
    for path in files:
        key = str(path)
        try:
            digest = store.content_hash(path)
        except OSError as exc:
            store.add_file(stats.run, key, None, error=f"lecture impossible ({exc.strerror or exc}) : vérifiez le fichier")
            stats.errors += 1
            done += 1
            continue
        if store.has_result(digest, ruleset) and digest not in pending:
            store.add_file(stats.run, key, digest, cached=True)
            stats.cached += 1
            done += 1
        else:
            store.add_file(stats.run, key, digest)
            if digest in pending:
                pending[digest].append(key)
            else:
                pending[digest] = [key]
                first_path[key] = digest
        store.maybe_commit(every=500)
        if progress and done % 50 == 0:
            progress(done, stats.total)
    store.commit()
    if progress:
        progress(done, stats.total)

    paths = list(first_path)
    if engine == "dask":
        results = _dask_results(paths, options, jobs, scheduler, local_cluster)
    elif jobs > 1 and len(paths) > 1:
        results = _pool_results(paths, options, jobs)
    else:
        results = ((path, guarded_scan(path, options)) for path in paths)
    for path, entry in results:
        digest = first_path[path]
        store.put_result(digest, ruleset, entry)
        stats.analysed += 1
        if entry.get("error"):
            stats.errors += len(pending[digest])
        done += len(pending[digest])
        store.maybe_commit()
        if progress:
            progress(done, stats.total)
    store.finish_run(stats.run)
    stats.seconds = time.perf_counter() - start
    return stats
