"""Bounded parsing of what a request carries: query parameters, callback inputs and states, the
ids kept in a form's meta.

Anything can arrive there — a forged request, a garbled link, an old page: a non-ASCII digit, a
number of forty digits, a list where one value belongs, a date that does not exist. Each parser
here answers None (or an empty value) for what is malformed or out of range, never an exception,
so that the caller answers in Chinese (or shows the default) instead of an HTTP 500. The bounds
are the forms' own (data/forms.py): ids that fit the database's integer column, years and dates
in a sane window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from data.forms import EARLIEST, LATEST, MAX_ID, MAX_YEAR, MIN_YEAR

MAX_DIGITS = 20  # longer digit strings are refused before int() is asked to read them
MAX_TEXT = 200  # a query parameter's or a choice's text
MAX_ITEMS = 100  # of a list a filter or a multi-select sends
NO_RECORD = 0  # an id no record has (ids start at 1)
MAX_SEARCH = 8000  # characters of a query string read; a longer one is not a page's address

Item = TypeVar("Item")


def integer(value: Any, low: int, high: int) -> int | None:
    """An integer from low to high: an int, or text of ASCII digits (a leading minus allowed)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        digits = value.removeprefix("-")
        if not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_DIGITS:
            return None
        value = int(value)
    if not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def record_id(value: Any) -> int | None:
    """A record's id (1 … the database's largest integer)."""
    return integer(value, 1, MAX_ID)


def meta_id(value: Any) -> int | None:
    """The id of the record a form edits, from its meta: None when the form is a new record's
    (no id), NO_RECORD when the id is malformed — so that such a save is refused as one of a
    record that is not there, never taken for a new record."""
    if value is None:
        return None
    parsed = record_id(value)
    return NO_RECORD if parsed is None else parsed


def year(value: Any) -> int | None:
    """A campaign year (MIN_YEAR … MAX_YEAR)."""
    return integer(value, MIN_YEAR, MAX_YEAR)


def day(value: Any) -> dt.date | None:
    """A date in ISO form (2024-06-03) between EARLIEST and LATEST."""
    if isinstance(value, dt.datetime):
        value = value.date()
    elif isinstance(value, str):
        if not (value.isascii() and len(value) == len("2024-06-03")):
            return None
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, dt.date):
        return None
    return value if EARLIEST <= value <= LATEST else None


def string(value: Any) -> str | None:
    """Text as typed (a form's text field): None for anything that is not a str."""
    return value if isinstance(value, str) else None


def text(value: Any, limit: int = MAX_TEXT) -> str | None:
    """Text of at most `limit` characters, without NUL (None for anything else)."""
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        return None
    return value


def search(value: Any) -> str:
    """A page's query string as its state Store keeps it (`?campaign=2024…`); empty for
    anything else, or for one longer than a page's address can be."""
    return text(value, MAX_SEARCH) or ""


def clicks(value: Any) -> int | None:
    """A button's click count (None for anything that is not one)."""
    return integer(value, 0, MAX_ID)


def clicked(value: Any) -> bool:
    """Whether a button's click count says it was pressed."""
    return bool(clicks(value))


def choice(value: Any, choices: Collection[str]) -> str | None:
    """One of `choices` (None for anything else, a list or a dict included)."""
    return value if isinstance(value, str) and value in choices else None


def chosen(value: Any, choices: Collection[str]) -> list[str]:
    """The options of a multi-select that are among `choices`."""
    return items(value, lambda item: choice(item, choices))


def items(value: Any, parse: Callable[[Any], Item | None], limit: int = MAX_ITEMS) -> list[Item]:
    """The items of a list that `parse` accepts (a single value counts as a list of one; at
    most `limit` items are read)."""
    if value is None:
        return []
    values = value if isinstance(value, list | tuple) else [value]
    parsed = (parse(item) for item in values[:limit])
    return [item for item in parsed if item is not None]


def mapping(value: Any) -> dict[str, Any]:
    """A dict (a Store's data, a form's meta); an empty one for anything else."""
    return dict(value) if isinstance(value, Mapping) else {}
