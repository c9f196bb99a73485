"""Bounded parsing of what a request carries (issue 16, finding 8): dashboard/params.py, the URL
state, the forms' date window and the downloads' parameters — malformed values get the default
or a Chinese refusal, never an exception."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from dashboard import params
from dashboard.state import malformed, parse_state
from data.db import Database
from data.forms import FormError, RectificationForm, VisitForm, validate
from data.models import SupervisionVisit
from tests.conftest import MakeApp
from tests.factories import login, make_campaign, make_unit, make_user

HUGE = "9" * 40


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, 12),
        ("12", 12),
        (12.0, 12),
        (0, None),
        (-1, None),
        ("-1", None),
        (2**31 - 1, 2**31 - 1),
        (2**31, None),
        (2**63, None),
        (HUGE, None),
        ("１２", None),  # full-width digits
        ("²", None),  # a digit to str.isdigit() that int() refuses
        ("1e3", None),
        (" 12", None),
        ("", None),
        (None, None),
        (True, None),
        ([1], None),
        ({}, None),
        (float("inf"), None),
    ],
    ids=repr,
)
def test_record_id(value: Any, expected: int | None) -> None:
    assert params.record_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024", 2024),
        (2000, 2000),
        ("2100", 2100),
        ("1999", None),
        ("2101", None),
        ("２０２４", None),
    ],
)
def test_year(value: Any, expected: int | None) -> None:
    assert params.year(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-06-03", dt.date(2024, 6, 3)),
        (dt.date(2024, 6, 3), dt.date(2024, 6, 3)),
        ("2024-02-30", None),
        ("0001-01-01", None),
        ("9999-12-31", None),
        ("1999-12-31", None),
        ("2100-12-31", dt.date(2100, 12, 31)),
        ("２０２４-０６-０３", None),
        ("2024-6-3", None),
        (20240603, None),
        (["2024-06-03"], None),
    ],
    ids=repr,
)
def test_day(value: Any, expected: dt.date | None) -> None:
    assert params.day(value) == expected


def test_lists_choices_and_mappings() -> None:
    assert params.items(["1", "x", 2, HUGE], params.record_id) == [1, 2]
    assert params.items("3", params.record_id) == [3]  # one value where a list belongs
    assert params.items(None, params.record_id) == []
    assert len(params.items(list(range(1, 1000)), params.record_id)) == params.MAX_ITEMS
    assert params.choice("law_firm", {"law_firm"}) == "law_firm"
    assert params.choice(["law_firm"], {"law_firm"}) is None
    assert params.mapping([1, 2]) == {} and params.mapping({"a": 1}) == {"a": 1}
    assert params.text("a\x00b") is None and params.text("x" * 201) is None
    assert params.search(["?campaign=2024"]) == "" and params.search("?a=1") == "?a=1"


def test_a_meta_id_that_is_malformed_names_no_record() -> None:
    assert params.meta_id(None) is None  # a new record's form
    assert params.meta_id(7) == 7
    assert params.meta_id(HUGE) == params.NO_RECORD == params.meta_id("abc")


def test_click_counts() -> None:
    assert params.clicked(1) and params.clicked("2")
    assert not any(map(params.clicked, (0, None, -1, [], "abc", True, HUGE)))


@pytest.mark.parametrize(
    "search",
    [
        "?campaign=²",
        "?campaign=１２",
        f"?campaign={HUGE}",
        "?campaign=-1",
        "?as_of=2024-02-30",
        "?as_of=0001-01-01",
        "?as_of=9999-12-31",
        "?kind=<script>",
        "?township=%00",
        "&".join(f"?a{n}=1" for n in range(500)),
    ],
)
def test_a_malformed_url_state_shows_the_default(search: str) -> None:
    state = parse_state(search)
    assert state.campaign is None and state.as_of is None and state.kinds == ()
    assert state.townships == ()


def test_the_url_state_keeps_what_is_well_formed() -> None:
    state = parse_state("?campaign=2024&as_of=2024-11-15&kind=law_firm&township=城关镇&visit=3")
    assert (state.campaign, state.as_of) == (2024, dt.date(2024, 11, 15))
    assert state.kinds == ("law_firm",) and state.townships == ("城关镇",)
    assert state.extra == {"visit": "3"}
    assert parse_state(["?campaign=2024"]) == parse_state(None)  # a forged Store's value


def test_malformed_names_the_parameters() -> None:
    assert malformed("?campaign=2024&as_of=2024-11-15&kind=focus") == []
    assert malformed("?campaign=²&as_of=2024-02-30&kind=x") == [
        "campaign=²",
        "as_of=2024-02-30",
        "kind=x",
    ]


# ---- the forms' date window ----------------------------------------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"])
def test_a_form_date_outside_the_window_is_refused(day: str) -> None:
    with pytest.raises(FormError) as caught:
        validate(VisitForm, {"unit_id": 1, "visited_on": day, "supervisors": "王督导"})
    assert caught.value.errors == {
        "visited_on": f"日期超出范围：{day}（应在 2000-01-01 至 2100-12-31 之间）"
    }
    with pytest.raises(FormError) as caught:
        validate(RectificationForm, {"status": "done", "completed_on": day})
    assert "日期超出范围" in caught.value.errors["completed_on"]


@pytest.mark.parametrize("unit_id", [2**63, -1, 0, HUGE])
def test_a_chosen_id_beyond_the_database_is_refused(unit_id: Any) -> None:
    with pytest.raises(FormError) as caught:
        validate(VisitForm, {"unit_id": unit_id, "visited_on": "2024-06-03", "supervisors": "王"})
    assert caught.value.errors == {"unit_id": "请选择有效的选项"}


def test_the_visit_form_names_the_field_of_a_date_out_of_range(
    make_app: MakeApp, db: Database
) -> None:
    with db.write("test") as s:
        make_campaign(s, 2024)
        unit = make_unit(s, name="城关镇司法所")
        make_user(s, "supervisor", "supervisor")
    client = make_app().server.test_client()
    login(client, "supervisor").close()
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if "sup-message.children" in d["output"])
    values = {
        "sup-save.n_clicks": 1,
        "sup-state.data": "?campaign=2024",
        "sup-meta.data": {},
        "sup-unit.value": unit.id,
        "sup-date.value": "0001-01-01",
        "sup-supervisors.value": "王督导",
        "sup-next-visit.value": "9999-12-31",
    }

    def item(spec: dict[str, Any]) -> Any:
        if spec["id"].startswith("{"):
            return []
        key = f"{spec['id']}.{spec['property']}"
        return {"id": spec["id"], "property": spec["property"], "value": values.get(key)}

    body = {
        "output": dep["output"],
        "outputs": [
            {"id": "sup-message", "property": "children"},
            [
                {"id": {"type": "sup-feedback", "field": f}, "property": "children"}
                for f in ("visited_on", "next_visit_on")
            ],
            [],
            {"id": "shell-url", "property": "search"},
        ],
        "inputs": [item(s) for s in dep["inputs"]],
        "state": [item(s) for s in dep["state"]],
        "changedPropIds": ["sup-save.n_clicks"],
    }
    with client.post("/_dash-update-component", json=body) as response:
        assert response.status_code == 200
        text = json.dumps(response.get_json(), ensure_ascii=False)
    assert "督导日期：日期超出范围：0001-01-01" in text
    assert "下次督导日期：日期超出范围：9999-12-31" in text
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(SupervisionVisit)) == 0


# ---- the downloads' parameters --------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("campaign=2024", 200),
        ("campaign=²", 400),
        ("campaign=１２", 400),
        (f"campaign={HUGE}", 400),
        ("as_of=2024-02-30", 400),
        ("as_of=0001-01-01", 400),
        ("kind=<script>", 400),
        ("campaign=2024&reveal=<script>", 200),
    ],
)
def test_a_download_with_a_malformed_parameter_is_refused_in_chinese(
    make_app: MakeApp, db: Database, query: str, status: int
) -> None:
    with db.write("test") as s:
        make_campaign(s, 2024)
        make_unit(s, name="城关镇司法所")
        make_user(s, "leader", "leader")
    client = make_app().server.test_client()
    login(client, "leader").close()
    with client.get(f"/download/report.xlsx?{query}") as response:
        assert response.status_code == status
        if status == 400:
            page = response.get_data(as_text=True)
            assert "下载地址中的参数无效" in page and "<script>" not in page
