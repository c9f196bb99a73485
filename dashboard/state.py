"""The view state kept in the URL's query string: campaign, as-of date, unit kinds, townships."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from data.reference import KIND_NAMES


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


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_state(search: str | None) -> ViewState:
    """Parse `?campaign=2024&as_of=2024-11-15&kind=law_firm&township=城关镇` leniently."""
    query = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    campaign_text = (query.pop("campaign", [""]) or [""])[0]
    campaign = int(campaign_text) if campaign_text.isdigit() else None
    as_of = _parse_date((query.pop("as_of", [""]) or [""])[0])
    kind_values = query.pop("kind", [])
    kinds = tuple(k for k in kind_values if k in KIND_NAMES)
    # `kind=focus` (a 重点督查 link) is not a unit kind: keep it as the page's own parameter.
    visit_kinds = [k for k in kind_values if k in ("focus", "routine")]
    if visit_kinds:
        query.setdefault("visit_kind", visit_kinds[-1:])
    townships = tuple(t for t in query.pop("township", []) if t)
    extra = {key: values[-1] for key, values in query.items() if values}
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
