"""Accounts: adding, listing and editing users, one-time passwords, one's own password, and
ending an account's sessions (log-out, a new password, disabling, an admin's 结束登录).

Operations named by an account (add, disable, unlock, reset, the CLI's paths) raise UserError
with one Chinese line; edits that come from a form (`update_user`, `change_own_password`) raise
FormError naming the field, like every other form.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from data import logins
from data.edits import check_version
from data.forms import FormError
from data.labels import UNIT, USER
from data.models import Unit, User
from data.reference import ROLE_NAMES, Role

MIN_PASSWORD = 8
PASSWORD_RULE = f"密码至少 {MIN_PASSWORD} 位，须同时包含字母和数字，且不能与用户名相同"
LAST_ADMIN = "至少要保留一个可用的管理员账号"
# One-time passwords: letters and digits without the look-alikes 0 O o 1 l I.
ONE_TIME_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ONE_TIME_LENGTH = 10
UNIT_PREFIX = "dw"
WORKBOOK_HEADERS = [USER["username"], UNIT["name"], USER["initial_password"]]
WORKBOOK_WIDTHS = [14, 40, 16]
_LETTER = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9]")


class UserError(ValueError):
    """A user that cannot be added or changed as asked (message in Chinese)."""


@dataclass(frozen=True)
class UserRow:
    """One account as the accounts list shows it."""

    id: int
    username: str
    display_name: str
    role: str
    unit_id: int | None
    unit_name: str | None
    active: bool
    locked: bool
    must_change_password: bool
    version: int

    @property
    def role_name(self) -> str:
        """The role's Chinese name."""
        return ROLE_NAMES.get(self.role, self.role)


def password_problem(password: str, username: str) -> str | None:
    """The rule's text when the password breaks PASSWORD_RULE, else None."""
    if (
        len(password) < MIN_PASSWORD
        or not _LETTER.search(password)
        or not _DIGIT.search(password)
        or password.casefold() == username.strip().casefold()
    ):
        return PASSWORD_RULE
    return None


def add_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    unit_name: str | None = None,
    display_name: str | None = None,
    must_change: bool = False,
) -> User:
    """Add a user with a hashed password; unit users need their unit."""
    username = username.strip()
    if not username:
        raise UserError("用户名不能为空")
    if role not in ROLE_NAMES:
        raise UserError(f"角色无效：{role}（可选 {', '.join(ROLE_NAMES)}）")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserError(f"用户名已存在：{username}")
    unit_id = None
    if role == Role.UNIT:
        if not unit_name:
            raise UserError("单位填报员必须指定 --unit 单位名称")
        unit_id = session.scalar(select(Unit.id).where(Unit.name == unit_name))
        if unit_id is None:
            raise UserError(f"单位不存在：{unit_name}")
    problem = password_problem(password, username)
    if problem:
        raise UserError(problem)
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=generate_password_hash(password),
        role=role,
        unit_id=unit_id,
        must_change_password=must_change,
    )
    session.add(user)
    session.flush()
    return user


def check_password(user: User, password: str) -> bool:
    """Whether the password matches the user's hash."""
    return check_password_hash(user.password_hash, password)


def list_users(session: Session, now: dt.datetime | None = None) -> list[UserRow]:
    """Every account with its unit and state, by role (as ROLE_NAMES orders them), then name."""
    now = now or dt.datetime.now()
    rows = session.execute(select(User, Unit.name).outerjoin(Unit, Unit.id == User.unit_id)).all()
    locked = logins.locked_names(session, now)
    order = {role: i for i, role in enumerate(ROLE_NAMES)}
    users = [
        UserRow(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            unit_id=user.unit_id,
            unit_name=unit_name,
            active=user.active,
            locked=user.username in locked,
            must_change_password=user.must_change_password,
            version=user.version,
        )
        for user, unit_name in rows
    ]
    return sorted(users, key=lambda row: (order.get(row.role, len(order)), row.username))


def _active_admins(session: Session) -> int:
    return (
        session.scalar(select(func.count()).where(User.role == Role.ADMIN, User.active.is_(True)))
        or 0
    )


def _is_last_admin(session: Session, user: User) -> bool:
    """Whether the user is the only active admin left."""
    return user.role == Role.ADMIN and user.active and _active_admins(session) <= 1


def update_user(
    session: Session,
    user_id: int,
    *,
    role: str,
    unit_id: int | None,
    display_name: str,
    expected_version: int | None = None,
    seen: dict[str, object] | None = None,
) -> User:
    """Change an account's role, unit and name; refused when invalid or changed meanwhile."""
    user = session.get(User, user_id)
    if user is None:
        raise FormError({"user": "账号不存在"})
    errors: dict[str, str] = {}
    display_name = (display_name or "").strip()
    if not display_name:
        errors["display_name"] = "姓名不能为空"
    elif len(display_name) > 50:
        errors["display_name"] = "姓名不能超过 50 个字"
    if role not in ROLE_NAMES:
        errors["role"] = "请选择角色"
    elif role != Role.ADMIN and _is_last_admin(session, user):
        errors["role"] = LAST_ADMIN
    if role == Role.UNIT:
        if unit_id is None:
            errors["unit_id"] = "单位填报员必须选择所属单位"
        elif session.get(Unit, unit_id) is None:
            errors["unit_id"] = "所选单位不存在"
    if errors:
        raise FormError(errors)
    check_version(user, expected_version, seen)
    user.role = role
    user.unit_id = unit_id if role == Role.UNIT else None
    user.display_name = display_name
    session.flush()
    return user


def _find(session: Session, username_or_id: str | int) -> User:
    """The account with this id (an int) or user name (a str); UserError when there is none."""
    if isinstance(username_or_id, int):
        user = session.get(User, username_or_id)
    else:
        name = username_or_id.strip()
        user = session.scalars(select(User).where(User.username == name)).one_or_none()
    if user is None:
        raise UserError(f"用户不存在：{username_or_id}")
    return user


def end_sessions(session: Session, username_or_id: str | int) -> User:
    """End every session of an account, on every device and server: the next request of each
    needs a new log-in."""
    user = _find(session, username_or_id)
    _end_sessions(user)
    session.flush()
    return user


def _end_sessions(user: User) -> None:
    user.session_epoch = (user.session_epoch or 0) + 1


def set_active(session: Session, username_or_id: str | int, active: bool) -> User:
    """Enable or disable an account (disabling ends its sessions); the last active admin
    cannot be disabled."""
    user = _find(session, username_or_id)
    if not active and _is_last_admin(session, user):
        raise UserError(f"不能停用 {user.username}：{LAST_ADMIN}")
    if user.active != active:
        user.active = active
        if not active:
            _end_sessions(user)
        session.flush()
    return user


def unlock(session: Session, username_or_id: str | int) -> User:
    """Clear an account's failed log-ins and locks from every address, and every address's
    own lock (data/logins.py clear)."""
    user = _find(session, username_or_id)
    logins.clear(session, user.username)
    return user


def one_time_password() -> str:
    """A random readable password that satisfies PASSWORD_RULE."""
    while True:
        password = "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_LENGTH))
        if _LETTER.search(password) and _DIGIT.search(password):
            return password


# A one-time password is random (10 of 56 characters, about 58 bits) and replaced at the first
# log-in, so a lighter hash than the default scrypt (0.18 s) is enough: a county's hundreds of
# unit accounts are made in seconds, not minutes of a held write lock.
ONE_TIME_HASH = "pbkdf2:sha256:100000"


def one_time_hashes(passwords: Sequence[str]) -> list[str]:
    """The hashes of one-time passwords, computed on every core (hashlib releases the GIL)."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    def digest(password: str) -> str:
        return generate_password_hash(password, method=ONE_TIME_HASH)

    if len(passwords) < 4:
        return [digest(p) for p in passwords]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(digest, passwords))


def reset_password(session: Session, username_or_id: str | int) -> str:
    """Give an account a one-time password (returned, stored only hashed), end its sessions
    and unlock it."""
    user = _find(session, username_or_id)
    password = one_time_password()
    user.password_hash = one_time_hashes([password])[0]
    user.must_change_password = True
    _end_sessions(user)
    session.flush()
    logins.clear(session, user.username)
    return password


def _unit_username(unit_id: int, taken: set[str]) -> str:
    """`dw` + the unit's id in three digits, suffixed when the name is taken."""
    base = f"{UNIT_PREFIX}{unit_id:03d}"
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        name = f"{base}_{n}"
    taken.add(name.casefold())
    return name


def bulk_unit_accounts(session: Session) -> list[tuple[str, str, str]]:
    """One unit account per active unit without one: (user name, unit name, one-time password)."""
    has_account = exists().where(User.unit_id == Unit.id, User.role == Role.UNIT)
    units = session.execute(
        select(Unit.id, Unit.name).where(Unit.retired_on.is_(None), ~has_account).order_by(Unit.id)
    ).all()
    if not units:
        return []
    taken = {name.casefold() for name in session.scalars(select(User.username))}
    passwords = [one_time_password() for _ in units]
    created: list[tuple[str, str, str]] = []
    for (unit_id, unit_name), password, hashed in zip(
        units, passwords, one_time_hashes(passwords), strict=True
    ):
        username = _unit_username(unit_id, taken)
        session.add(
            User(
                username=username,
                display_name=unit_name[:50],
                password_hash=hashed,
                role=Role.UNIT,
                unit_id=unit_id,
                must_change_password=True,
            )
        )
        created.append((username, unit_name, password))
    session.flush()
    return created


def accounts_workbook(rows: Iterable[Sequence[str]]) -> bytes:
    """Initial passwords as an .xlsx: sheet 初始密码, header 用户名 / 单位名称 / 初始密码."""
    from data.workbook import SheetData, workbook_bytes

    sheet = SheetData(
        title="初始密码",
        headers=list(WORKBOOK_HEADERS),
        rows=[list(row) for row in rows],
        widths=list(WORKBOOK_WIDTHS),
    )
    return workbook_bytes([sheet])


def change_own_password(
    session: Session, user_id: int, current: str, new: str, confirm: str
) -> User:
    """Change one's own password after checking the current one; clears the one-time flag and
    ends the account's other sessions (the caller keeps its own: see `session_epoch`)."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise FormError({"current": "账号不存在或已停用"})
    errors: dict[str, str] = {}
    if not check_password(user, current):
        errors["current"] = "当前密码不正确"
    if new != confirm:
        errors["confirm"] = "两次输入的新密码不一致"
    problem = password_problem(new, user.username)
    if problem:
        errors["new"] = problem
    elif new == current:
        errors["new"] = "新密码不能与当前密码相同"
    if errors:
        raise FormError(errors)
    user.password_hash = generate_password_hash(new)
    user.must_change_password = False
    _end_sessions(user)
    session.flush()
    return user
