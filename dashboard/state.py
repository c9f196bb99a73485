"""The view state kept in the URL's query string: campaign, as-of date, unit kinds, townships."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

from dashboard import params
from data.reference import KIND_NAMES

MAX_FIELDS = 100  # parameters read from a query string
VISIT_KINDS = ("focus", "routine")  # `kind=focus`: a 重点督查 link's, not a unit kind


@dataclass(frozen=True)
class ViewState:
    """What a view shows; None means the default (latest campaign, today)."""

    campaign: int | None = None
    as_of: dt.date | None = None
    kinds: tuple[str, ...] = ()
    townships: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    def resolved_as_of(self, today: dt.date) -> dt.date:
        """The as-of date, defaulting to today."""
        return self.as_of or today


def _view_kind(value: Any) -> str | None:
    """A unit kind, or the kind of visit a 督导检查 link asks for."""
    return params.choice(value, (*KIND_NAMES, *VISIT_KINDS))


# The parameters every page shares and what each must be; parse_state leaves out the others.
SHARED: dict[str, Callable[[Any], Any]] = {
    "campaign": params.year,
    "as_of": params.day,
    "kind": _view_kind,
    "township": params.text,
}


def _query(search: Any) -> dict[str, list[str]]:
    """A query string's parameters (its first MAX_FIELDS; none of what is not one)."""
    fields = "&".join(params.search(search).lstrip("?").split("&")[:MAX_FIELDS])
    return parse_qs(fields, keep_blank_values=False)


def malformed(search: Any) -> list[str]:
    """`name=value` of every shared parameter in a query string whose value is malformed or
    out of range (parse_state leaves them out: a page shows its default instead)."""
    query = _query(search)
    return [
        f"{name}={value}"
        for name, parse in SHARED.items()
        for value in query.get(name, [])
        if parse(value) is None
    ]


def _first(query: dict[str, list[str]], key: str) -> str | None:
    """The first value of `key` in a parsed query string (None when it is not there)."""
    values = query.pop(key, [])
    return values[0] if values else None


def parse_state(search: Any) -> ViewState:
    """Parse `?campaign=2024&as_of=2024-11-15&kind=law_firm&township=城关镇` leniently: what
    is malformed or out of range (params) is left out, and so shows the default."""
    query = _query(search)
    campaign = params.year(_first(query, "campaign"))
    as_of = params.day(_first(query, "as_of"))
    kind_values = query.pop("kind", [])
    kinds = tuple(dict.fromkeys(k for k in kind_values if k in KIND_NAMES))
    # `kind=focus` (a 重点督查 link) is not a unit kind: keep it as the page's own parameter.
    visit_kinds = [k for k in kind_values if k in VISIT_KINDS]
    if visit_kinds:
        query.setdefault("visit_kind", visit_kinds[-1:])
    townships = tuple(params.items(query.pop("township", []), params.text))
    extra = {
        key: values[-1]
        for key, values in query.items()
        if values and params.text(key) and params.text(values[-1])
    }
    return ViewState(campaign, as_of, kinds, townships, extra)


def to_search(state: ViewState) -> str:
    """The query string for a state (empty values left out), with a leading `?` when not empty."""
    pairs: list[tuple[str, str]] = []
    if state.campaign is not None:
        pairs.append(("campaign", str(state.campaign)))
    if state.as_of is not None:
        pairs.append(("as_of", state.as_of.isoformat()))
    pairs += [("kind", kind) for kind in state.kinds]
    pairs += [("township", township) for township in state.townships]
    pairs += sorted(state.extra.items())
    return f"?{urlencode(pairs)}" if pairs else ""


def same_day_last_year(day: dt.date) -> dt.date:
    """The same point of last year's calendar (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)
