"""#13 item 2: the Dash release is chosen by measurement. The lock pins the release the bench's
browser stage last ran on (bench/browser-measured.json, written by `make bench`); changing the pin
without rerunning the stage fails here, and so does running on another release than the pin."""

from __future__ import annotations

import json
import re
from pathlib import Path

import dash

ROOT = Path(__file__).resolve().parents[2]


def _pinned() -> str:
    found = re.search(r"^dash==(\S+)$", (ROOT / "requirements.lock").read_text(), re.MULTILINE)
    assert found is not None, "requirements.lock pins no dash release"
    return found.group(1)


def test_the_pinned_dash_is_the_one_the_browser_stage_measured() -> None:
    measured = json.loads((ROOT / "bench" / "browser-measured.json").read_text())
    assert _pinned() == measured["dash"], (
        f"requirements.lock pins dash {_pinned()}, the browser stage measured {measured['dash']}: "
        "run `make bench` (its browser stage) on the new release before changing the pin"
    )
    assert set(measured["sizes"]["small"]) >= {"overview", "evaluation", "unit", "present"}


def test_the_running_dash_is_the_pinned_one() -> None:
    assert dash.__version__ == _pinned()
