"""Green / amber / red mean the same everywhere: one place decides which a figure gets."""

from __future__ import annotations

GOOD = "good"
WARN = "warn"
BAD = "bad"
NEUTRAL = "neutral"

HEX: dict[str, str] = {GOOD: "#1a7f37", WARN: "#d97706", BAD: "#c62828", NEUTRAL: "#475569"}

GOOD_RATE = 0.9


def rate_level(rate: float | None, threshold: float = 0.8) -> str:
    """A rate's colour: green from 90 %, amber from the bureau's threshold, red below it."""
    if rate is None:
        return NEUTRAL
    if rate >= GOOD_RATE:
        return GOOD
    return WARN if rate >= threshold else BAD


def count_level(count: int) -> str:
    """An overdue count's colour: green at zero, red otherwise."""
    return GOOD if count == 0 else BAD
