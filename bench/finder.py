"""Commune finder benchmark: index build time, then p50/p95 per query, beside a baseline.

Run standalone: ``python bench/finder.py [--iterations N]`` (or ``make bench``). It sets up
Django on a temporary SQLite database, migrates, loads the shipped territory, then times:

- the finder (``find_communes`` over the prebuilt in-memory index, as a request does);
- ``get_index()`` as a request calls it: with the communes checked at most every
  ``FINDER_CHECK_SECONDS`` (the default), and with a COUNT on every call (0), the old way;
- a baseline measured in the same run: a plain accent-folded linear scan over every
  commune (substring of the folded name, or postal/INSEE code), sorted by population.

Targets: index build < 2 s, finder p95 < 2 ms per query.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.benchdb import setup_django  # noqa: E402

# (query, INSEE code a person typing it means)
QUERIES = [
    ("Calaisn", "62193"),
    ("calais", "62193"),
    ("saint etienne au mont", "62746"),
    ("St-Étienne-au-Mont", "62746"),
    ("neufchatel hardelot", "62604"),
    ("Boulogne", "62160"),
    ("Boulogn sur mr", "62160"),
    ("Lens", "62498"),
    ("Pontoise", "95500"),
    ("Bethnue", "62119"),
    ("henin beaumon", "62427"),
    ("hesdin l'abbe", "62448"),
    ("ste catherine", "62744"),
    ("marseile", "13055"),
    ("62360", "62746"),
    ("62100", "62193"),
    ("2A004", "2A004"),
    ("sa", None),
    ("st", None),
    ("mont", None),
]


def baseline_table():
    from solidaire.lib.text import fold
    from solidaire.territory.models import Commune

    rows = []
    for insee, name, postal, pop in Commune.objects.values_list(
        "insee_code", "name", "postal_codes", "population"
    ):
        rows.append((fold(name), insee, name, postal.split(";"), pop))
    return rows


def baseline_search(rows, query: str, limit: int = 10):
    """Accent-folded linear scan: every commune is looked at for every query."""
    from solidaire.lib.text import fold

    key = fold(query)
    if len(key) < 2:
        return []
    found = [row for row in rows if key in row[0] or key in row[3] or key == row[1].lower()]
    found.sort(key=lambda row: (row[0] != key, not row[0].startswith(key), -row[4]))
    return [row[1] for row in found[:limit]]


def percentiles(samples):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def time_calls(func, iterations):
    """Wall-clock and CPU (this thread) percentiles: on a shared, busy machine the
    wall clock also counts the time other processes held the CPU."""
    wall, cpu = [], []
    result = None
    for _ in range(iterations):
        started, started_cpu = time.perf_counter(), time.thread_time()
        result = func()
        cpu.append(time.thread_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return result, percentiles(wall), percentiles(cpu)


def settings_check_seconds() -> int:
    from django.conf import settings

    return settings.FINDER_CHECK_SECONDS


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--baseline-iterations", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        setup_django(str(Path(tmp) / "bench.sqlite3"))
        from solidaire.territory.finder import (
            build_index,
            find_communes,
            index_from_database,
            index_rows,
        )

        started = time.perf_counter()
        index = index_from_database()
        total_build = time.perf_counter() - started
        rows = index_rows()
        started = time.perf_counter()
        build_index(rows, "62")
        memory_build = time.perf_counter() - started
        print(
            f"index: {len(index)} communes, built in {total_build:.2f} s "
            f"(database read included; in-memory part {memory_build:.2f} s) — target < 2 s"
        )
        table = baseline_table()
        from django.test import override_settings

        from solidaire.territory.finder import get_index

        get_index()
        for seconds in (settings_check_seconds(), 0):
            with override_settings(FINDER_CHECK_SECONDS=seconds):
                _, (g50, g95), _ = time_calls(lambda: find_communes("calais", 10), args.iterations)
            print(
                f"find_communes('calais') through get_index(), FINDER_CHECK_SECONDS={seconds}: "
                f"p50 {g50:.3f} ms, p95 {g95:.3f} ms"
            )

        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print("times in ms: wall-clock p50/p95, then CPU p95; 'first' = best match")
        header = (
            f"{'query':22} {'finder p50':>10} {'p95':>6} {'cpu95':>6} {'first':>6}    "
            f"{'scan p50':>8} {'p95':>6} {'cpu95':>6} {'first':>6}"
        )
        print(header)
        print("-" * len(header))
        finder_p95, finder_cpu, scan_p95, scan_cpu = [], [], [], []
        for query, expected in QUERIES:
            found, (f50, f95), (_, fc95) = time_calls(
                lambda q=query: find_communes(q, 10, index=index), args.iterations
            )
            scanned, (s50, s95), (_, sc95) = time_calls(
                lambda q=query: baseline_search(table, q), args.baseline_iterations
            )
            first = found[0].insee_code if found else "-"
            scan_first = scanned[0] if scanned else "-"
            mark = "" if expected is None else (" ok" if first == expected else " ✗")
            scan_mark = "" if expected is None else (" ok" if scan_first == expected else " ✗")
            print(
                f"{query[:22]:22} {f50:10.3f} {f95:6.2f} {fc95:6.2f} {first:>6}{mark:3}  "
                f"{s50:8.2f} {s95:6.2f} {sc95:6.2f} {scan_first:>6}{scan_mark}"
            )
            finder_p95.append(f95)
            finder_cpu.append(fc95)
            scan_p95.append(s95)
            scan_cpu.append(sc95)
        print("-" * len(header))
        for label, values, scan in (
            ("worst p95", max, max),
            ("mean p95", statistics.mean, statistics.mean),
        ):
            print(
                f"{label}: finder {values(finder_p95):.3f} ms wall / {values(finder_cpu):.3f} ms CPU "
                f"(target < 2 ms); linear scan {scan(scan_p95):.2f} ms wall / "
                f"{scan(scan_cpu):.2f} ms CPU"
            )


if __name__ == "__main__":
    main()
