"""The bureau's 催办 settings (#15): how days are counted, the ladder, the daily job, the channels.

Stored as JSON in the `setting` table under the key "chase" (audited like every setting), over
the defaults below. The SMTP password is never stored — the history would keep it — but read from
the environment (PINGYI_SMTP_PASSWORD) by whoever sends.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import asdict, dataclass, fields, replace
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, StringConstraints, model_validator
from pydantic import Field as PydanticField
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.edits import ConflictError, VersionMissing, check_version
from data.forms import MAX_ID, Form, FormError, clean_text, validate
from data.history import lock_writers
from data.models import Setting, Unit, User
from data.reference import KIND_NAMES, ROLE_NAMES, Role

CHASE_KEY = "chase"
DAY_COUNTS: tuple[str, ...] = ("calendar", "working")
SMTP_PASSWORD_ENV = "PINGYI_SMTP_PASSWORD"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChaseSettings:
    """How the bureau chases overdue work; the defaults are today's behaviour and DOMAIN.md's
    ladder (提醒 3 working days before, 督办 5 after the 催办 day, 重点督查 after 10)."""

    day_count: str = "calendar"
    remind_before: int = 3
    escalate_after: int = 5
    focus_after: int = 10
    job_enabled: bool = True
    email_enabled: bool = False
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_sender: str = ""
    webhook_enabled: bool = False
    webhook_url: str = ""

    @property
    def working_days(self) -> bool:
        """Whether days are counted in working days."""
        return self.day_count == "working"

    def to_dict(self) -> dict[str, Any]:
        """The settings as the JSON stored under the `chase` key."""
        return asdict(self)


def smtp_password() -> str:
    """The SMTP password from the environment ('' when unset): never in the database."""
    return os.environ.get(SMTP_PASSWORD_ENV, "")


def _valid(name: str, default: Any, value: Any) -> bool:
    """Whether a stored value has the type (and, for day_count, a value) the field takes."""
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    if name == "day_count":
        return value in DAY_COUNTS
    return isinstance(value, str)


def chase_settings_from_dict(stored: dict[str, Any] | None) -> ChaseSettings:
    """Defaults with the valid known fields of `stored` applied; anything else is ignored."""
    defaults = ChaseSettings()
    known = {f.name for f in fields(ChaseSettings)}
    changes: dict[str, Any] = {}
    for key, value in (stored or {}).items():
        if key not in known:
            log.warning("unknown chase setting %r ignored", key)
        elif not _valid(key, getattr(defaults, key), value):
            log.warning("chase setting %r=%r is not valid; default kept", key, value)
        else:
            changes[key] = value
    return replace(defaults, **changes)


def chase_settings(session: Session) -> ChaseSettings:
    """The bureau's 催办 settings (the defaults until an admin saves them)."""
    row = session.get(Setting, CHASE_KEY)
    return chase_settings_from_dict(row.value if row is not None else None)


def save_chase_settings(session: Session, settings: ChaseSettings) -> None:
    """Store the settings (recorded in the history; the figures follow at once). When days
    become counted in working days the work_day table is built for the years around today."""
    value = settings.to_dict()
    row = session.get(Setting, CHASE_KEY)
    if row is None:
        session.add(Setting(key=CHASE_KEY, value=value))
    elif row.value != value:
        row.value = value
    session.flush()
    if settings.working_days:
        from data.workdays import ensure_work_days, needed_years

        ensure_work_days(session, needed_years(session))


# ---- the admin's forms ---------------------------------------------------------------------

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
URL = re.compile(r"^https?://[^\s/]+\S*$")
Text200 = Annotated[str, StringConstraints(max_length=200)]


def _email(value: str) -> str:
    """An e-mail address, or ValueError saying it is not one."""
    if value and not EMAIL.match(value):
        raise ValueError("邮箱地址格式不对（例如 jfb@example.gov.cn）")
    return value


def _whole(value: Any) -> int:
    """A whole number from a number field (必填 when left empty, 应为整数 when not whole)."""
    if value is None:
        raise ValueError("必填")
    if isinstance(value, str):
        value = clean_text(value)
        if value is None:
            raise ValueError("必填")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError("应为整数") from None
    if isinstance(value, bool) or not number.is_integer():
        raise ValueError("应为整数")
    return int(number)


def _port(value: Any) -> int:
    """The SMTP port (25 when left empty)."""
    return 25 if value is None or (isinstance(value, str) and not value.strip()) else _whole(value)


Days = Annotated[int, BeforeValidator(_whole)]


class ChaseForm(Form):
    """The settings form: the ladder's numbers checked against each other, a channel switched
    on only with what it needs to send."""

    day_count: Literal["calendar", "working"]
    remind_before: Annotated[Days, PydanticField(ge=0, le=30)]
    escalate_after: Annotated[Days, PydanticField(ge=1, le=60)]
    focus_after: Annotated[Days, PydanticField(ge=1, le=120)]
    job_enabled: bool = False
    email_enabled: bool = False
    smtp_host: Text200 = ""
    smtp_port: Annotated[int, BeforeValidator(_port), PydanticField(ge=1, le=65535)] = 25
    smtp_starttls: bool = False
    smtp_user: Text200 = ""
    smtp_sender: Annotated[Text200, AfterValidator(_email)] = ""
    webhook_enabled: bool = False
    webhook_url: Annotated[str, StringConstraints(max_length=500)] = ""

    @model_validator(mode="after")
    def _consistent(self) -> ChaseForm:
        errors: dict[str, str] = {}
        if self.focus_after <= self.escalate_after:
            errors["focus_after"] = "应大于督办的天数（先督办，后列入重点督查）"
        if self.email_enabled and not self.smtp_host:
            errors["smtp_host"] = "启用邮件时必填"
        if self.email_enabled and not self.smtp_sender:
            errors["smtp_sender"] = "启用邮件时必填"
        if self.webhook_url and not URL.match(self.webhook_url):
            errors["webhook_url"] = "应为 http:// 或 https:// 开头的地址"
        elif self.webhook_enabled and not self.webhook_url:
            errors["webhook_url"] = "启用群机器人时必填"
        if errors:
            raise FormError(errors)
        return self


def check_seen(current: dict[str, Any], seen: dict[str, Any] | None) -> None:
    """ConflictError when what the form was drawn with is no longer what is stored;
    VersionMissing when the save does not say what it was drawn with."""
    if not isinstance(seen, dict) or not seen:
        raise VersionMissing
    changes = {k: (seen.get(k), v) for k, v in current.items() if k in seen and seen[k] != v}
    if changes:
        raise ConflictError(changes)


def update_chase_settings(
    session: Session, raw: dict[str, Any], seen: dict[str, Any] | None
) -> ChaseSettings:
    """Replace the settings from the admin's form, checked as a whole (FormError naming each
    wrong field; ConflictError when another admin saved since the form was drawn)."""
    lock_writers(session)  # no other admin's save between this check and this one's
    check_seen(chase_settings(session).to_dict(), seen)
    form = validate(ChaseForm, raw)
    settings = ChaseSettings(**form.model_dump())
    save_chase_settings(session, settings)
    return settings


# ---- who gets what: leaders in charge and e-mail addresses ---------------------------------


@dataclass(frozen=True)
class Contact:
    """An account as the 催办 page shows it: its e-mail and, for a leader, the kinds in charge."""

    id: int
    username: str
    display_name: str
    role: str
    unit: str | None
    active: bool
    email: str | None
    in_charge_of: tuple[str, ...]
    version: int


def contacts(session: Session) -> list[Contact]:
    """Every account with its e-mail and charge, by role (as ROLE_NAMES orders them), then name."""
    order = {role: i for i, role in enumerate(ROLE_NAMES)}
    rows = session.execute(select(User, Unit.name).outerjoin(Unit, Unit.id == User.unit_id))
    found = [
        Contact(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            unit=unit,
            active=user.active,
            email=user.email,
            in_charge_of=tuple(user.in_charge_of or ()),
            version=user.version,
        )
        for user, unit in rows
    ]
    return sorted(found, key=lambda c: (order.get(c.role, len(order)), c.username))


def _clean_email(field: str, value: Any, errors: dict[str, str]) -> str | None:
    """A typed e-mail address (None when blank); a wrong one is noted in `errors`."""
    text = clean_text(value) if isinstance(value, str) else None
    if text is None:
        return None
    if len(text) > 200:
        errors[field] = "不能超过 200 个字"
    elif not EMAIL.match(text):
        errors[field] = "邮箱地址格式不对（例如 jfb@example.gov.cn）"
    return text


def _account(
    session: Session,
    user_id: int,
    versions: dict[str, Any],
    seen: dict[str, Any],
    fields: dict[str, str],
) -> User:
    """The account a form row was drawn for. Its version moves on with every sign-in, sign-out
    and password too: when it has, only the values the form shows (`fields`: form key →
    column) are compared with those it was drawn with (`seen`), and a change to one of them
    is a conflict naming it."""
    if not 1 <= user_id <= MAX_ID:
        raise FormError({"account": "账号不存在"})
    user = session.get(User, user_id)
    if user is None:
        raise FormError({"account": "账号不存在"})
    try:
        check_version(user, versions.get(str(user_id)), {})
    except VersionMissing:
        raise
    except ConflictError:
        changes = {}
        for key, column in fields.items():
            now = _shown(getattr(user, column))
            if key not in seen or _shown(seen[key]) != now:
                changes[key] = (_said(column, seen.get(key)), _said(column, now))
        if changes:
            raise ConflictError(changes) from None
    return user


def _said(column: str, value: Any) -> Any:
    """A value as a conflict names it: unit kinds by their names."""
    if column == "in_charge_of" and isinstance(value, list | tuple):
        return [KIND_NAMES.get(k, str(k)) if isinstance(k, str) else str(k) for k in value]
    return value


def _shown(value: Any) -> Any:
    """A value as the leaders' and e-mail forms show it (none: no kinds, no address)."""
    if value in (None, "", [], ()):
        return None
    if isinstance(value, list | tuple):
        return sorted(value, key=str)
    return value


def update_leaders(
    session: Session, raw: dict[str, Any], versions: dict[str, Any], seen: dict[str, Any]
) -> int:
    """Set each leader's kinds in charge (`kinds_<id>`) and e-mail (`email_<id>`) from the
    leaders form (drawn with the values `seen`, by the same keys); returns how many accounts
    changed. FormError naming the field when wrong; ConflictError naming the fields another
    admin changed meanwhile."""
    errors: dict[str, str] = {}
    wanted: dict[int, tuple[list[str] | None, str | None]] = {}
    for key in raw:
        prefix, _, number = key.partition("_")
        if prefix != "kinds" or not number.isdigit():
            continue
        user_id = int(number)
        if user_id > MAX_ID:
            errors[key] = "账号不存在"
            continue
        kinds = raw.get(key) or []
        if not isinstance(kinds, list) or any(k not in KIND_NAMES for k in kinds):
            errors[key] = "请选择有效的单位类别"
            continue
        ordered = [k for k in KIND_NAMES if k in kinds] or None
        wanted[user_id] = (
            ordered,
            _clean_email(f"email_{number}", raw.get(f"email_{number}"), errors),
        )
    if errors:
        raise FormError(errors)
    changed = 0
    for user_id, (kinds, email) in wanted.items():
        fields = {f"kinds_{user_id}": "in_charge_of", f"email_{user_id}": "email"}
        user = _account(session, user_id, versions, seen, fields)
        if user.role != Role.LEADER:
            raise FormError({f"kinds_{user_id}": "只有局领导账号可分管单位类别"})
        if user.in_charge_of != kinds or user.email != email:
            user.in_charge_of, user.email = kinds, email
            changed += 1
    session.flush()
    return changed


def update_email(
    session: Session, raw: dict[str, Any], versions: dict[str, Any], seen: dict[str, Any]
) -> str:
    """Set (or, left blank, clear) one account's e-mail from the e-mail form (drawn with the
    addresses `seen`, by account id); returns the account's name. FormError naming the field
    when wrong; ConflictError when another admin changed that address meanwhile."""
    errors: dict[str, str] = {}
    account = raw.get("account")
    if isinstance(account, bool) or not isinstance(account, int):
        errors["account"] = "请选择账号"
    email = _clean_email("email", raw.get("email"), errors)
    if errors:
        raise FormError(errors)
    shown = {"email": seen[str(account)]} if str(account) in seen else {}
    user = _account(session, account, versions, shown, {"email": "email"})
    if user.email != email:
        user.email = email
        session.flush()
    return user.display_name
