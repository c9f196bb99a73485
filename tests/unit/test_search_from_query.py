"""A page opened with a query string keeps every value whole (layouts/common.search_from_query)."""

from __future__ import annotations

from dashboard.state import parse_state
from layouts.common import search_from_query


def test_a_value_with_an_ampersand_stays_one_value() -> None:
    search = search_from_query({"campaign": "2024", "township": "城关&东湖"})
    state = parse_state(search)
    assert state.campaign == 2024
    assert state.townships == ("城关&东湖",)


def test_repeated_values_and_blanks() -> None:
    state = parse_state(search_from_query({"kind": ["law_firm", "judicial_office"], "as_of": ""}))
    assert set(state.kinds) == {"law_firm", "judicial_office"}
    assert state.as_of is None
