"""The machine a benchmark ran on, printed beside its figures."""

from __future__ import annotations

import os
import platform
import resource
import sqlite3
import sys


def machine_line() -> str:
    # The load average says whether something else was running: on two cores, other
    # processes move the figures a lot.
    load = f", load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return (
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()},"
        f" SQLite {sqlite3.sqlite_version}, {platform.machine()}, {sys.platform}{load}"
    )


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    Linux's VmHWM when there is one: ``ru_maxrss`` survives ``exec``, so a child started by
    a large parent would report the parent's peak (Linux reports KiB in both)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]
