"""/snapshots: publish the figures of the view's campaign and date (leaders and admins), and
every published snapshot of the year against today's computation (#14 item 2)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash_bootstrap_components as dbc
from dash import Input, Output, callback
from sqlalchemy.orm import Session

from callbacks.content import read_view
from callbacks.forms import Action, Once, register_form
from dashboard import params
from dashboard.auth import current_account
from dashboard.ids import Snapshots as Ids
from dashboard.text import T
from data.forms import FormError
from data.reference import Role
from data.snapshots import compare, publish, snapshots
from layouts.common import empty_state
from layouts.forms import labels_of
from layouts.snapshots import (
    PUBLISH,
    publish_card,
    publish_fields,
    snapshot_card,
    snapshots_page,
)

PUBLISHERS = (Role.LEADER, Role.ADMIN)
READERS = (Role.LEADER, Role.ADMIN, Role.SUPERVISOR)


@callback(
    Output(Ids.CONTENT, "children"),
    Input(Ids.STATE, "data"),
    Input(Ids.REFRESH, "data"),
)
def render_snapshots(search: str | None, refresh: dict | None) -> Any:
    """The publish form for those who may publish, then the year's snapshots, each compared."""
    account = current_account()
    if account.role not in READERS:
        return dbc.Alert(
            T["snap_refused"].format(role=account.role_name), color="secondary", id="snap-refused"
        )
    notices = params.mapping(params.mapping(refresh).get("notices"))
    with read_view(search) as (session, view):
        if view is None:
            return empty_state(T["no_campaign"])
        cards = [snapshot_card(s, compare(session, s)) for s in snapshots(session, view.year)]
    form = (
        publish_card(view.year, view.as_of, notices.get(PUBLISH.prefix))
        if account.role in PUBLISHERS
        else None
    )
    return snapshots_page(form, cards, view.year)


def _publish(session: Session, raw: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    """Publish the figures the form was opened for; what the notice needs."""
    year = params.meta_id(meta.get("year"))
    try:
        as_of = dt.date.fromisoformat(str(meta.get("as_of")))
    except ValueError:
        as_of = None
    if year is None or as_of is None:
        raise FormError({"purpose": T["snap_bad_form"]})
    if raw.get("confirm") is not True:  # published figures can never be changed: said twice
        raise FormError({"confirm": T["snap_confirm_needed"]})
    snapshot = publish(session, year, as_of, raw.get("purpose") or "")
    return {"id": snapshot.id, "digest": snapshot.digest}


save_publish = register_form(
    PUBLISH,
    Ids.REFRESH,
    labels_of(publish_fields()),
    {
        PUBLISH.save: Action(
            T["snap_publish_what"],
            _publish,
            lambda done: T["snap_published_notice"].format(**done),
            once=Once("snapshot"),
        )
    },
    roles=PUBLISHERS,
)
