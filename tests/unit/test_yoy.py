"""Year over year on the overview: the same point of last year's calendar, in words."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.state import same_day_last_year
from layouts.overview import yoy_count, yoy_rate


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 11, 20), dt.date(2025, 11, 20)),
        (dt.date(2024, 2, 29), dt.date(2023, 2, 28)),
        (dt.date(2025, 2, 28), dt.date(2024, 2, 28)),  # not moved to the leap day
        (dt.date(2024, 12, 31), dt.date(2023, 12, 31)),
        (dt.date(2025, 3, 1), dt.date(2024, 3, 1)),
    ],
)
def test_same_day_last_year(day: dt.date, expected: dt.date) -> None:
    assert same_day_last_year(day) == expected


@pytest.mark.parametrize(
    ("now", "before", "text"),
    [
        (12, 9, "去年同期 9（▲3）"),
        (5, 8, "去年同期 8（▼3）"),
        (4, 4, "去年同期 4（持平）"),
        (4, None, "去年同期 —"),
        (1200, 0, "去年同期 0（▲1,200）"),
    ],
)
def test_yoy_count(now: int, before: int | None, text: str) -> None:
    assert yoy_count(now, before) == text


@pytest.mark.parametrize(
    ("now", "before", "has", "text"),
    [
        (0.9, 0.8, True, "去年同期 80.0%（▲10.0 个百分点）"),
        (0.5, 0.75, True, "去年同期 75.0%（▼25.0 个百分点）"),
        (0.8, 0.8, True, "去年同期 80.0%（持平）"),
        (0.8, None, True, "去年同期 —"),
        (None, 0.8, True, "去年同期 80.0%"),
        (0.8, None, False, "去年同期 —"),
        # compared as shown: 85.3% against 85.2% is a rise even when 0.02 points apart
        (0.8526, 0.8524, True, "去年同期 85.2%（▲0.1 个百分点）"),
        (0.85244, 0.85206, True, "去年同期 85.2%（持平）"),
        (1.0, 0.0, True, "去年同期 0.0%（▲100.0 个百分点）"),
    ],
)
def test_yoy_rate(now: float | None, before: float | None, has: bool, text: str) -> None:
    assert yoy_rate(now, before, has) == text
