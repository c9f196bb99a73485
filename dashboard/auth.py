"""Log-in, roles and the server-side gate every request and every callback passes through.

A Dash callback is a plain POST anyone can send, so hiding a button protects nothing: every
request except the log-in page and static files needs a signed-in user, and every write checks
the role on the server (`require_role`).

A session is a signed cookie, so a copy of it would live as long as the cookie does; to end it
on the server the cookie carries the account's `session_epoch`, and the account's row moves it
on at log-out, a new password, disabling and an admin's 结束登录 — every copy then reads as
signed out, on every worker and server. Log-in failures are throttled by account name and
address (data/logins.py).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import time
from dataclasses import dataclass
from typing import Any, NoReturn
from urllib.parse import quote, urlparse

from flask import Flask, Response, abort, has_request_context, redirect, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from markupsafe import escape
from sqlalchemy import select

from dashboard.context import get_db, get_settings, request_data_version
from data import logins
from data.denials import recently_denied, record_denied
from data.models import User
from data.reference import ROLE_NAMES, Role
from data.users import check_password, end_sessions

log = logging.getLogger(__name__)

# /login and /logout are public as exact paths only; the rest are folders of static files.
PUBLIC_PATHS = frozenset({"/login", "/logout"})
PUBLIC_PREFIXES = (
    "/vendor/",
    "/assets/",
    "/_dash-component-suites/",
    "/_favicon.ico",
    "/favicon.ico",
)
API_PREFIXES = ("/_dash-", "/_reload-hash")
ACCOUNT_PATH = "/account"
MUST_CHANGE = "请先修改初始密码"
WRONG = "用户名或密码错误"
LOCKED = "登录失败次数过多，请 {minutes} 分钟后再试"
EPOCH = "epoch"  # the session's copy of the account's session_epoch
# The idle clock moves in steps: re-signing the session cookie on every request costs time.
SEEN_AT_STEP = 30
# A signed-in user's account is read again when any write has moved the data version (a role,
# unit or active flag changed through the application), and at least this often in any case.
ACCOUNT_REUSE_SECONDS = 60
PLACE_LENGTH = 500  # of a refused callback's outputs, as recorded


@dataclass(frozen=True)
class Account(UserMixin):
    """The signed-in user as requests see it (a plain value, not an ORM object)."""

    id: int
    username: str
    display_name: str
    role: str
    unit_id: int | None
    must_change_password: bool = False
    session_epoch: int = 0

    def get_id(self) -> str:
        return str(self.id)

    @property
    def role_name(self) -> str:
        """The role's Chinese name."""
        return ROLE_NAMES.get(self.role, self.role)

    def may_reveal(self) -> bool:
        """Only admins may see a complainant's name and phone (DOMAIN.md)."""
        return self.role == Role.ADMIN


# Accounts read for requests: (database, user id) → (data version, when read, account or None).
_accounts: dict[tuple[str, int], tuple[int, float, Account | None]] = {}

# Calls made in-process (tests, the CLI) have no request and no user: they read as a leader.
SYSTEM = Account(0, "system", "系统", Role.LEADER, None)


def account_of(user: User) -> Account:
    return Account(
        user.id,
        user.username,
        user.display_name,
        user.role,
        user.unit_id,
        user.must_change_password,
        user.session_epoch,
    )


def current_account() -> Account:
    """The signed-in user; SYSTEM outside a request; 401 for an anonymous request."""
    if not has_request_context():
        return SYSTEM
    if not current_user.is_authenticated:
        abort(401)
    return current_user  # type: ignore[return-value]


def signed_in() -> Account | None:
    """The signed-in user, or None (no request, or nobody signed in)."""
    if has_request_context() and current_user.is_authenticated:
        return current_user  # type: ignore[return-value]
    return None


def require_role(*roles: str) -> Account:
    """The signed-in user if their role is one of `roles`; otherwise log the attempt and 403."""
    account = current_account()
    if account.role not in roles:
        deny(account, "无权限的操作被拒绝")
    return account


def deny(account: Account, reason: str, target: tuple[str, Any] | None = None) -> NoReturn:
    """Log a refused attempt (also in the history, naming the record `target` — entity and id —
    when known) and answer 403."""
    log_denial(account, reason, target=target)
    abort(403)


def _request_place() -> tuple[str, dict[str, Any]]:
    """Where a refusal happened: a callback's outputs (and the input that triggered it, which
    names a row's record for pattern-matching buttons), else the request's path."""
    if not has_request_context():
        return "", {}
    details: dict[str, Any] = {"path": request.path}
    body = request.get_json(silent=True) if request.is_json else None
    if isinstance(body, dict) and isinstance(body.get("output"), str):
        details["callback"] = body["output"][:PLACE_LENGTH]
        changed = body.get("changedPropIds")
        if isinstance(changed, list) and changed and isinstance(changed[0], str):
            details["trigger"] = changed[0][:PLACE_LENGTH]
    return details.get("callback", request.path), details


def log_denial(
    account: Account,
    reason: str,
    action: str | None = None,
    target: tuple[str, Any] | None = None,
) -> None:
    """Log a refused attempt; record it in the history at most once a minute per account and
    place (data/denials.py), without moving the data version."""
    place, details = _request_place()
    log.warning(
        "denied: %s (%s) %s %s: %s",
        account.username,
        account.role,
        action or (request.method if has_request_context() else ""),
        place,
        reason,
    )
    details["role"] = account.role
    if action:
        details["action"] = action
    db, now = get_db(), dt.datetime.now()
    with db.read() as s:  # a repeated refusal is answered without the write lock
        if recently_denied(s, account.id, place, now):
            return
    with db.write(account.username, account.id) as s:
        record_denied(s, place, details, reason, target, now)


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after log-in (no open redirect)."""
    if not target:
        return "/"
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


LOGIN_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · 评议督导</title>
<link rel="stylesheet" href="/vendor/bootstrap5/css/bootstrap.min.css">
<link rel="stylesheet" href="/assets/app.css">
</head><body class="login-body">
<main class="container" style="max-width: 420px; padding-top: 12vh">
  <h1 class="h4 mb-1 fw-bold">民主评议政风行风 · 评议督导</h1>
  <p class="text-muted mb-4">请使用本人账号登录</p>
  {message}
  <form method="post" action="/login" class="card card-body shadow-sm" id="login-form">
    <input type="hidden" name="next" value="{next}">
    <label class="form-label" for="username">用户名</label>
    <input class="form-control mb-3" id="username" name="username" value="{username}"
           autocomplete="username" required autofocus>
    <label class="form-label" for="password">密码</label>
    <input class="form-control mb-3" id="password" name="password" type="password"
           autocomplete="current-password" required>
    <button class="btn btn-primary w-100" type="submit" id="login-submit">登录</button>
  </form>
</main></body></html>"""


def _login_page(
    message: str = "", username: str = "", next_url: str = "/", status: int = 200
) -> Response:
    alert = (
        f'<div class="alert alert-danger" id="login-error">{escape(message)}</div>'
        if message
        else ""
    )
    body = LOGIN_PAGE.format(message=alert, username=escape(username), next=escape(next_url))
    return Response(body, status=status, mimetype="text/html")


def _attempt_login(username: str, password: str, source: str) -> tuple[Account | None, str]:
    """Check a log-in from address `source`; failures of a name from an address, and of an
    address for any name, lock that pair (or address) for a growing, capped while."""
    if not username or not password:
        return None, WRONG
    db, now = get_db(), dt.datetime.now()
    with db.read() as s:
        wait = logins.locked_for(s, username, source, now)
        if wait:
            return None, LOCKED.format(minutes=max(1, math.ceil(wait.total_seconds() / 60)))
        user = s.scalars(select(User).where(User.username == username)).one_or_none()
        failures = logins.has_failures(s, username, source)
    # The password is checked outside any write transaction (hashing is deliberately slow).
    if user is None or not user.active:
        time.sleep(0.3)  # the same slowness for unknown names as for wrong passwords
        account = None
    else:
        account = account_of(user) if check_password(user, password) else None
    if account is None or failures:
        with db.write(f"login:{username}"[:100]) as s:
            if account is None:
                logins.failed(s, username, source, now)
            else:
                logins.succeeded(s, username, source)
    return account, "" if account is not None else WRONG


def _login() -> Any:
    if request.method == "GET":
        return _login_page(next_url=_safe_next(request.args.get("next")))
    username = (request.form.get("username") or "").strip()
    password = request.form.get("password") or ""
    next_url = _safe_next(request.form.get("next"))
    account, error = _attempt_login(username, password, request.remote_addr or "")
    if account is None:
        return _login_page(error, username, next_url, status=401)
    start_session(account)
    return redirect(next_url)


def start_session(account: Account) -> None:
    """Sign `account` in on this request's session as /login does, with its session epoch."""
    session.clear()
    login_user(account)
    session.permanent = True
    session[EPOCH] = account.session_epoch
    session["login_at"] = session["seen_at"] = time.time()


def _logout() -> Any:
    """Sign out: every copy of this account's session cookie ends with this one. A log-out
    sent from another site only signs this browser out."""
    account = signed_in()
    if account is not None and _same_origin():
        with get_db().write(account.username, account.id) as s:
            end_sessions(s, account.id)
    logout_user()
    session.clear()
    return redirect("/login")


ACCOUNT_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>修改密码 · 评议督导</title>
<link rel="stylesheet" href="/vendor/bootstrap5/css/bootstrap.min.css">
<link rel="stylesheet" href="/assets/app.css">
</head><body class="login-body">
<main class="container" style="max-width: 460px; padding-top: 10vh">
  <h1 class="h4 mb-1 fw-bold" id="account-heading">修改密码</h1>
  <p class="text-muted mb-4">{who}</p>
  {notice}
  {body}
</main></body></html>"""

ACCOUNT_FORM = """<form method="post" action="/account" class="card card-body shadow-sm"
        id="account-form" novalidate>
    <p class="small text-muted mb-3" id="account-rule">{rule}</p>
    {fields}
    <button class="btn btn-primary w-100" type="submit" id="account-submit">修改密码</button>
  </form>
  {back}"""

ACCOUNT_FIELD = """<label class="form-label" for="{name}">{label}</label>
    <input class="form-control{invalid}" id="{name}" name="{name}" type="password"
           autocomplete="{autocomplete}" required>
    <div class="invalid-feedback d-block mb-3" id="{name}-error">{error}</div>"""

# (field, label, autocomplete); the fields of data.users.change_own_password.
ACCOUNT_FIELDS = (
    ("current", "当前密码", "current-password"),
    ("new", "新密码", "new-password"),
    ("confirm", "再次输入新密码", "new-password"),
)
BACK_LINK = '<p class="mt-3"><a href="/" id="account-back">返回总览</a></p>'


def _account_page(
    account: Account, errors: dict[str, str] | None = None, done: bool = False, status: int = 200
) -> Response:
    """The own-password page: the form with each error by its field, or the success notice."""
    from data.users import PASSWORD_RULE

    errors = errors or {}
    notices = []
    if done:
        notices.append('<div class="alert alert-success" id="account-done">密码已修改</div>')
    elif account.must_change_password:
        notices.append(
            '<div class="alert alert-warning" id="account-forced">'
            "首次登录或密码已重置，请先设置新密码</div>"
        )
    field_names = {name for name, _, _ in ACCOUNT_FIELDS}
    others = [message for key, message in errors.items() if key not in field_names]
    notices += [
        f'<div class="alert alert-danger" id="account-error">{escape(message)}</div>'
        for message in others
    ]
    if done:
        body = BACK_LINK
    else:
        fields = "\n    ".join(
            ACCOUNT_FIELD.format(
                name=name,
                label=label,
                autocomplete=autocomplete,
                invalid=" is-invalid" if name in errors else "",
                error=escape(errors.get(name, "")),
            )
            for name, label, autocomplete in ACCOUNT_FIELDS
        )
        back = "" if account.must_change_password else BACK_LINK
        body = ACCOUNT_FORM.format(rule=escape(PASSWORD_RULE), fields=fields, back=back)
    page = ACCOUNT_PAGE.format(
        who=escape(f"{account.display_name}（{account.username}）"),
        notice="\n  ".join(notices),
        body=body,
    )
    return Response(page, status=status, mimetype="text/html")


def _same_origin() -> bool:
    """Whether the Origin and Referer headers, where sent, name this host (a simple CSRF check)."""
    for header in ("Origin", "Referer"):
        value = request.headers.get(header)
        if value and urlparse(value).netloc != request.host:
            return False
    return True


def _account_view() -> Any:
    """GET: the own-password form; POST: change the password (same-origin requests only)."""
    from data.forms import FormError
    from data.users import change_own_password

    account = current_account()
    if request.method == "GET":
        return _account_page(account)
    if not _same_origin():
        return _account_page(account, {"origin": "请求来源无效，请在本系统页面中提交"}, status=403)
    try:
        with get_db().write(account.username, account.id) as s:
            user = change_own_password(
                s,
                account.id,
                request.form.get("current") or "",
                request.form.get("new") or "",
                request.form.get("confirm") or "",
            )
            epoch = user.session_epoch
    except FormError as exc:
        return _account_page(account, exc.errors, status=400)
    # Every other session of the account has ended; this one carries on with the new epoch.
    # The write moved the data version, so the next request reads the account afresh.
    session[EPOCH] = epoch
    return _account_page(account, done=True)


def _expired() -> bool:
    """Whether the session is past its idle or maximum age."""
    settings = get_settings()
    now = time.time()
    login_at = session.get("login_at", 0)
    seen_at = session.get("seen_at", 0)
    return (
        now - seen_at > settings.session_idle_minutes * 60
        or now - login_at > settings.session_max_hours * 3600
    )


def _gate() -> Any:
    """Before every request: public paths pass; others need a live session."""
    path = request.path
    if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES):
        return None
    if current_user.is_authenticated and _expired():
        logout_user()
        session.clear()
    if not current_user.is_authenticated:
        if path.startswith(API_PREFIXES) or request.method != "GET":
            return Response(
                '{"error": "未登录或登录已过期"}', status=401, mimetype="application/json"
            )
        target = request.full_path if request.query_string else path
        return redirect(f"/login?next={quote(target)}")
    now = time.time()
    if now - session.get("seen_at", 0) > SEEN_AT_STEP:
        session["seen_at"] = now  # a new cookie at most every SEEN_AT_STEP seconds
    if current_user.must_change_password and path != ACCOUNT_PATH:
        # A one-time password opens the password page and nothing else.
        if path.startswith(API_PREFIXES) or request.method != "GET":
            return Response(
                json.dumps({"error": MUST_CHANGE}, ensure_ascii=False),
                status=403,
                mimetype="application/json",
            )
        return redirect(ACCOUNT_PATH)
    return None


def _account(user_id: str) -> Account | None:
    """The active account of a session's user id, read again only when the data version has
    moved (ending sessions moves it) or ACCOUNT_REUSE_SECONDS have passed."""
    if not user_id.isdigit():
        return None
    db = get_db()
    key = (str(db.engine.url), int(user_id))
    version = request_data_version()
    now = time.monotonic()
    known = _accounts.get(key)
    if known is not None and known[0] == version and now - known[1] < ACCOUNT_REUSE_SECONDS:
        return known[2]
    with db.read() as s:
        user = s.get(User, int(user_id))
        account = account_of(user) if user is not None and user.active else None
    _accounts[key] = (version, now, account)
    return account


def init_auth(server: Flask) -> None:
    """Install the log-in manager, the /login and /logout routes and the gate."""
    manager = LoginManager()
    manager.init_app(server)

    @manager.user_loader
    def _load(user_id: str) -> Account | None:
        account = _account(user_id)
        # A session from before the account's sessions were ended reads as signed out.
        if account is None or session.get(EPOCH) != account.session_epoch:
            return None
        return account

    server.add_url_rule("/login", "login", _login, methods=["GET", "POST"])
    server.add_url_rule("/logout", "logout", _logout)
    server.add_url_rule(ACCOUNT_PATH, "account", _account_view, methods=["GET", "POST"])
    server.before_request(_gate)
