"""评议单位 callbacks: draw the roster for admins, fill the edit form when a unit is chosen, and
the saves (add; save, retire, restore) — each checked for the admin role on the server, refused
at the field with nothing written, recorded in history."""

from __future__ import annotations

from typing import Any

from dash import Input, Output, State, callback
from dash.exceptions import PreventUpdate
from sqlalchemy.orm import Session

from callbacks.content import admin_content
from callbacks.forms import Action, Once, feedback_names, register_form
from dashboard import params
from dashboard.auth import current_account
from dashboard.context import get_db, today
from dashboard.ids import AdminUnits as Ids
from dashboard.text import T, fmt_date
from dashboard.view import resolve_view
from data.figures import campaign_years
from data.forms import FormError
from data.models import Unit
from data.reference import Role
from data.units import (
    add_unit,
    deactivate_unit,
    reactivate_unit,
    set_caseload,
    unit_rows,
    update_unit,
)
from layouts.admin_units import (
    ADD,
    EDIT,
    EDIT_FIELDS,
    EXTRA_LABELS,
    RESTORE,
    RETIRE,
    add_fields,
    edit_fields,
    edit_meta,
    edit_values,
    units_page,
)
from layouts.forms import labels_of

NO_CAMPAIGN = T["adm_units_no_campaign"]
UNIT_FIELDS = ("name", "kind", "township")  # the edit form's fields that UnitForm checks


@admin_content(Ids.CONTENT, Ids.STATE, Ids.REFRESH, what=T["adm_units_what"])
def render_units_admin(search: str | None, refresh: dict | None) -> Any:
    """Every unit with the caseload of the campaign in the shell's filter, for admins."""
    refresh = params.mapping(refresh)
    with get_db().read() as session:
        view = resolve_view(session, search, today())
        year = view.year if view is not None else None
        rows = unit_rows(session, year)
    notices = params.mapping(refresh.get("notices"))
    return units_page(rows, year, notices, params.record_id(refresh.get("unit")))


@callback(
    *(Output(EDIT.field(name), "value") for name in EDIT_FIELDS),
    Output(EDIT.meta, "data"),
    Output(RETIRE, "disabled"),
    Output(RESTORE, "disabled"),
    Output(EDIT.message, "children", allow_duplicate=True),
    Output(EDIT.feedbacks(), "children", allow_duplicate=True),
    Input(EDIT.field("unit"), "value"),
    State(EDIT.meta, "data"),
    prevent_initial_call=True,
)
def choose_unit(unit_id: int | None, meta: dict | None) -> tuple[Any, ...]:
    """Fill the edit form with the chosen unit as it is now, and remember its version."""
    if current_account().role != Role.ADMIN:  # the form is only drawn for admins
        raise PreventUpdate
    year = params.year(params.mapping(meta).get("year"))
    unit_id = params.record_id(unit_id)
    row = None
    if unit_id is not None:
        with get_db().read() as session:
            row = next((r for r in unit_rows(session, year) if r.id == unit_id), None)
    values = edit_values(row)
    retired = row is not None and row.retired_on is not None
    return (
        *(values[name] for name in EDIT_FIELDS),
        edit_meta(row, year),
        row is None or retired,
        row is None or not retired,
        None,
        [None] * len(feedback_names(position=8)),
    )


def _add(session: Session, raw: dict[str, Any], _meta: dict[str, Any]) -> tuple[str, bool]:
    """Add a unit; returns its name and whether there are campaigns to give it tasks in."""
    return add_unit(session, raw).name, bool(campaign_years(session))


def _added(result: tuple[str, bool]) -> str:
    name, has_campaigns = result
    if has_campaigns:
        return T["adm_units_added"].format(name=name)
    return T["adm_units_added_no_campaign"].format(name=name)


add = register_form(
    ADD,
    Ids.REFRESH,
    labels_of(add_fields()),
    {ADD.save: Action(T["adm_units_add"], _add, _added, once=Once("unit"))},
)


def _chosen(raw: dict[str, Any]) -> int:
    """The id of the unit chosen in the edit form (FormError at the chooser when none; one that
    is not an id names no unit)."""
    unit_id = params.meta_id(raw.get("unit"))
    if unit_id is None:
        raise FormError({"unit": T["adm_units_choose_missing"]})
    return unit_id


def _save_unit(
    session: Session, raw: dict[str, Any], meta: dict[str, Any]
) -> tuple[int, str, str | None]:
    """Update the chosen unit and, when filled, its caseload (one transaction); returns its id,
    its name now and its former name when it was renamed."""
    unit_id = _chosen(raw)
    same = meta.get("unit_id") == unit_id
    found = session.get(Unit, unit_id) if isinstance(unit_id, int) else None
    before = found.name if found is not None else None
    unit = update_unit(
        session,
        unit_id,
        {name: raw.get(name) for name in UNIT_FIELDS},
        meta.get("version") if same else None,
        meta.get("seen") if same else None,
    )
    if raw.get("cases") not in (None, ""):
        year = meta.get("year")
        if not isinstance(year, int):
            raise FormError({"cases": NO_CAMPAIGN})
        set_caseload(session, year, unit.id, raw["cases"])
    return unit.id, unit.name, before if before != unit.name else None


def _retire(
    session: Session, raw: dict[str, Any], _meta: dict[str, Any]
) -> tuple[int, str, str | None]:
    """Retire the chosen unit from today."""
    unit = deactivate_unit(session, _chosen(raw), today())
    return unit.id, unit.name, None


def _restore(
    session: Session, raw: dict[str, Any], _meta: dict[str, Any]
) -> tuple[int, str, str | None]:
    """Bring the chosen unit back."""
    unit = reactivate_unit(session, _chosen(raw))
    return unit.id, unit.name, None


def _saved(result: tuple[int, str, str | None]) -> str:
    """What the edit form says after a save (and a rename)."""
    _unit_id, name, former = result
    if former is not None:
        return T["adm_units_renamed"].format(name=name, former=former)
    return T["adm_units_saved"].format(name=name)


def _retired(result: tuple[int, str, str | None]) -> str:
    return T["adm_units_retired_notice"].format(name=result[1], date=fmt_date(today()))


def _restored(result: tuple[int, str, str | None]) -> str:
    return T["adm_units_restored"].format(name=result[1])


def _edit_labels(meta: dict[str, Any]) -> dict[str, str]:
    """The edit form's names for its fields (the caseload's names the campaign's year)."""
    return {**labels_of(edit_fields([], meta.get("year"))), **EXTRA_LABELS}


def _stay(result: tuple[int, str, str | None]) -> dict[str, Any]:
    """The edit form stays on the unit just saved."""
    return {"unit": result[0]}


edit = register_form(
    EDIT,
    Ids.REFRESH,
    _edit_labels,
    {
        EDIT.save: Action(T["adm_units_edit"], _save_unit, _saved, _stay),
        RETIRE: Action(T["adm_units_retire_what"], _retire, _retired, _stay),
        RESTORE: Action(T["adm_units_restore_what"], _restore, _restored, _stay),
    },
    entity="unit",
)
