"""Choosing in a dcc.Dropdown from a test the way a person does: open it, (type to narrow it,)
click the option — and see it chosen before going on.

A person clicks what they see. A test clicks as soon as the option exists, and on a loaded
machine the list may still be redrawing (after a keystroke narrowed it, or as it opens): the click
then lands beside the option and chooses nothing. So the choice is checked, and when it did not
take, the list is closed and the choice made again (only then: a second click on a chosen option
of a multi-select would take it away)."""

from __future__ import annotations

import time

from playwright.sync_api import Locator, Page, expect

SETTLE = 3_000  # ms for a click to show in the dropdown before it is tried again


def choose(
    page: Page,
    dropdown: Locator,
    option: str,
    *,
    opener: Locator | None = None,
    search: bool = False,
    shown: Locator | None = None,
    timeout: float = 20_000,
) -> None:
    """Pick `option` (its exact name) in `dropdown` and wait until `shown` (the dropdown
    itself unless given) shows it. `opener`: what to click to open it (the dropdown);
    `search`: type the option's name first to narrow a long list."""
    shown = shown if shown is not None else dropdown
    opener = opener if opener is not None else dropdown
    deadline = time.monotonic() + timeout / 1000
    while True:
        opener.click(timeout=timeout)
        if search:
            page.keyboard.type(option)
        page.get_by_role("option", name=option, exact=True).click(timeout=timeout)
        try:
            expect(shown).to_contain_text(option, timeout=SETTLE)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            page.keyboard.press("Escape")  # closed, and its search cleared, for a new try
