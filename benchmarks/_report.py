"""What the benchmarks share: the alternating order of the runs and the verdict line."""

from __future__ import annotations

import statistics
import subprocess
from collections.abc import Iterator


def alternating(runs: int, ours: str, floor: str) -> Iterator[tuple[int, str]]:
    """(run, name) for every run of each, ours first in even runs and the floor first in odd
    ones, so neither always meets the warmer (or busier) machine."""
    for run in range(runs):
        for name in (ours, floor) if run % 2 == 0 else (floor, ours):
            yield run, name


def medians(values: dict[str, list[float]], *names: str) -> list[float]:
    return [statistics.median(values[name]) for name in names]


def verdict(ratio: float, goal: float, *, at_most: bool = False) -> str:
    """'goal >= 0.8x: met' (or '<=' where less is better)."""
    met = ratio <= goal if at_most else ratio >= goal
    return f"goal {'<=' if at_most else '>='} {goal}x: {'met' if met else 'NOT met'}"


def stop(portal: subprocess.Popen) -> None:
    portal.terminate()
    portal.wait(30)
