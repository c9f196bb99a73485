"""Users: adding them with a hashed password, checking a log-in."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from data.models import Unit, User
from data.reference import ROLE_NAMES, Role

MIN_PASSWORD = 8


class UserError(ValueError):
    """A user that cannot be added as asked (message in Chinese)."""


def add_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    unit_name: str | None = None,
    display_name: str | None = None,
) -> User:
    """Add a user with a hashed password; unit users need their unit."""
    username = username.strip()
    if not username:
        raise UserError("用户名不能为空")
    if role not in ROLE_NAMES:
        raise UserError(f"角色无效：{role}（可选 {', '.join(ROLE_NAMES)}）")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"密码至少 {MIN_PASSWORD} 位")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UserError(f"用户名已存在：{username}")
    unit_id = None
    if role == Role.UNIT:
        if not unit_name:
            raise UserError("单位填报员必须指定 --unit 单位名称")
        unit_id = session.scalar(select(Unit.id).where(Unit.name == unit_name))
        if unit_id is None:
            raise UserError(f"单位不存在：{unit_name}")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=generate_password_hash(password),
        role=role,
        unit_id=unit_id,
    )
    session.add(user)
    session.flush()
    return user


def check_password(user: User, password: str) -> bool:
    """Whether the password matches the user's hash."""
    return check_password_hash(user.password_hash, password)
