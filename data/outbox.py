"""Outgoing 催办 messages (#15): e-mail over the bureau's SMTP server and a group-robot webhook
(政务微信 / 钉钉 style JSON POST), both optional and off by default (data/chase_settings.py).

- `queue_for_steps` (called by the ladder run right after it makes steps) only writes
  outbox_message rows — once per key (ON CONFLICT DO NOTHING), so a second run or a second
  server queues nothing twice. E-mail goes to each account of the unit that has an address (an
  escalation to the leader in charge, or every leader when none is assigned; 重点督查 and the
  bureau's own questions to the admins, the 纠风办); the webhook gets one message per unit and day.
  The texts name the unit, the step, how many items and the nearest deadline: never an item's
  description, so never a complainant's name or phone.
- `send_due` (called every minute by the server's background job, dashboard/jobs.py) sends what
  is due with a timeout, records each attempt, retries with a growing pause and gives up after
  MAX_ATTEMPTS. It never raises, and no page ever sends: a dead receiver costs a page nothing.
  A message is claimed before it is sent (a conditional UPDATE), so two servers do not both send it.

Outbox rows are not evaluation data: written with Core statements on the connection — no history
row, no move of the figures' data version — like the log-in failures (data/logins.py). The
webhook address is read from the settings when sending (it usually carries the robot's key) and
the SMTP password from the environment (PINGYI_SMTP_PASSWORD): neither is stored in a message.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
import ssl
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from data.chase_settings import ChaseSettings, chase_settings, smtp_password
from data.db import Database
from data.models import ChaseStep, OutboxMessage, Unit, User
from data.notices import ITEM_KIND_NAMES, date_text
from data.reference import Role

log = logging.getLogger(__name__)

TIMEOUT = 10.0  # seconds a connection, a send or a webhook POST may take
MAX_ATTEMPTS = 5
# The pause after the n-th failed attempt (the last one is followed by giving up).
RETRY_PAUSES = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
CLAIM_FOR = dt.timedelta(minutes=10)  # a claimed message is left alone this long by others
BATCH = 100  # messages sent per call
CHUNK = 1000  # step ids per query
INSERT_ROWS = 200  # messages per INSERT (8 values each: within SQLite's parameter limit)
ERROR_CHARS = 500
CONTENT_CHARS = 1000  # a group robot takes about 2 kB of text
WEBHOOK_RECIPIENT = "群机器人"
BUREAU = "县司法局（本局）"
BRAND = "评议督导系统"

_table = OutboxMessage.__table__

STEP_SUBJECTS = {
    "remind": "【提醒】{unit}有 {n} 项工作即将到期",
    "chase": "【催办】{unit}有 {n} 项工作已逾期",
    "escalate": "【督办】{unit}有 {n} 项工作经催办仍逾期",
    "focus": "【重点督查】{unit}有 {n} 项工作逾期较久，建议列入重点督查",
}
STEP_LINES = {
    "remind": "{unit}有 {n} 项工作（{kinds}）即将到期，最早的期限是 {deadline}，请抓紧办理。",
    "chase": "{unit}有 {n} 项工作（{kinds}）已超过办理期限，最早的期限是 {deadline}，请抓紧办理。",
    "escalate": "{unit}有 {n} 项工作（{kinds}）经催办仍未办结，最早的期限是 {deadline}，"
    "现提请分管领导督办。",
    "focus": "{unit}有 {n} 项工作（{kinds}）逾期较久，最早的期限是 {deadline}，建议列入重点督查。",
}
STEP_SHORT = {"remind": "提醒", "chase": "催办", "escalate": "督办", "focus": "重点督查建议"}
FOOTER = "请登录{brand}查看“待办”。本消息由系统自动发送，不含投诉人信息。"


@dataclass
class SendResult:
    """What one call of send_due did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0  # given up
    error: str | None = None  # why the call itself could not work (it never raises)


def channels(settings: ChaseSettings) -> tuple[str, ...]:
    """The channels switched on and set up."""
    on: list[str] = []
    if settings.email_enabled and settings.smtp_host:
        on.append("email")
    if settings.webhook_enabled and settings.webhook_url:
        on.append("webhook")
    return tuple(on)


# ---- queueing ----------------------------------------------------------------------------------


@dataclass
class _Group:
    """Steps of one day, step and unit."""

    day: dt.date
    step: str
    unit_id: int | None
    unit: str
    kind: str | None  # the unit's kind (None: the bureau's own question)
    count: int = 0
    nearest: dt.date | None = None
    kinds: dict[str, int] = field(default_factory=dict)
    # The group's first step: a later run the same day makes a batch (and a message) of its own.
    first: int | None = None

    @property
    def kinds_text(self) -> str:
        return "、".join(
            f"{ITEM_KIND_NAMES.get(kind, kind)} {n} 项" for kind, n in sorted(self.kinds.items())
        )

    def line(self) -> str:
        return STEP_LINES[self.step].format(
            unit=self.unit,
            n=self.count,
            kinds=self.kinds_text,
            deadline=date_text(self.nearest) if self.nearest else "—",
        )

    def subject(self) -> str:
        return STEP_SUBJECTS[self.step].format(unit=self.unit, n=self.count)


def _groups(session: Session, step_ids: list[int]) -> list[_Group]:
    """The steps counted by day, step, unit and item kind (in SQL, a chunk at a time)."""
    groups: dict[tuple[Any, ...], _Group] = {}
    s = ChaseStep
    for start in range(0, len(step_ids), CHUNK):
        chunk = step_ids[start : start + CHUNK]
        rows = session.execute(
            select(
                s.created_on,
                s.step,
                s.unit_id,
                Unit.name,
                Unit.kind,
                s.item_kind,
                func.count(),
                func.min(s.deadline),
                func.min(s.id),
            )
            .outerjoin(Unit, Unit.id == s.unit_id)
            .where(s.id.in_(chunk))
            .group_by(s.created_on, s.step, s.unit_id, Unit.name, Unit.kind, s.item_kind)
        )
        for day, step, unit_id, unit, unit_kind, kind, n, nearest, first in rows:
            key = (day, step, unit_id)
            group = groups.setdefault(key, _Group(day, step, unit_id, unit or BUREAU, unit_kind))
            group.count += n
            group.kinds[kind] = group.kinds.get(kind, 0) + n
            group.nearest = nearest if group.nearest is None else min(group.nearest, nearest)
            group.first = first if group.first is None else min(group.first, first)
    order = {step: i for i, step in enumerate(STEP_SUBJECTS)}
    return sorted(groups.values(), key=lambda g: (g.day, g.unit, order.get(g.step, 9)))


def _addresses(session: Session) -> dict[str, Any]:
    """Who has an e-mail address: unit staff by unit, admins (the 纠风办); and every active
    leader with the unit kinds in their charge and their address (None without one)."""
    rows = session.execute(
        select(User.id, User.role, User.unit_id, User.email, User.in_charge_of).where(
            User.active.is_(True)
        )
    )
    by_unit: dict[int, list[tuple[int, str]]] = defaultdict(list)
    leaders: list[tuple[int, str | None, list[str]]] = []
    admins: list[tuple[int, str]] = []
    for user_id, role, unit_id, raw, kinds in rows:
        email = raw.strip() if raw and "@" in raw else None
        if role == Role.LEADER:
            leaders.append((user_id, email, list(kinds or [])))
        elif email is None:
            continue
        elif role == Role.UNIT and unit_id is not None:
            by_unit[unit_id].append((user_id, email))
        elif role == Role.ADMIN:
            admins.append((user_id, email))
    return {"unit": by_unit, "leader": leaders, "admin": admins}


def _email_to(group: _Group, addresses: dict[str, Any]) -> list[tuple[int, str]]:
    """The accounts (id, address) a group's e-mail goes to: a 督办 to the leaders in charge of
    the unit's kind (every leader when none is), as the ladder names them."""
    if group.step == "focus" or (group.unit_id is None and group.step in ("remind", "chase")):
        return list(addresses["admin"])
    if group.step == "escalate":
        leaders: list[tuple[int, str | None, list[str]]] = addresses["leader"]
        in_charge = [(i, e) for i, e, kinds in leaders if group.kind in kinds]
        chosen = in_charge or [(i, e) for i, e, _kinds in leaders]
        return [(i, e) for i, e in chosen if e]
    return list(addresses["unit"].get(group.unit_id, []))


def _body(lines: list[str]) -> str:
    return "\n".join([*lines, "", FOOTER.format(brand=BRAND)])


def _messages(groups: list[_Group], on: tuple[str, ...], session: Session) -> list[dict[str, Any]]:
    now = dt.datetime.now()
    rows: list[dict[str, Any]] = []

    def add(channel: str, key: str, recipient: str, subject: str, body: str) -> None:
        rows.append(
            {
                "channel": channel,
                "key": key[:200],
                "recipient": recipient[:200],
                "subject": subject[:200],
                "body": body,
                "created_at": now,
                "attempts": 0,
                "next_attempt_at": None,  # due at once
            }
        )

    if "email" in on:
        addresses = _addresses(session)
        for g in groups:
            # Once per batch of steps: queuing the same steps again adds nothing; steps made
            # by a later run the same day have a later first step, so a message of their own.
            target = f"{g.day.isoformat()}/{g.step}/{g.unit_id or 'bureau'}/{g.first}"
            for user_id, email in _email_to(g, addresses):
                add("email", f"{target}/{user_id}", email, g.subject(), _body([g.line()]))
    if "webhook" in on:
        by_unit: dict[tuple[dt.date, int | None], list[_Group]] = defaultdict(list)
        for g in groups:
            by_unit[(g.day, g.unit_id)].append(g)
        for (day, unit_id), unit_groups in by_unit.items():
            unit = unit_groups[0].unit
            counts = "，".join(f"{STEP_SHORT[g.step]} {g.count} 项" for g in unit_groups)
            subject = f"【催办】{date_text(day)} {unit}：{counts}"
            body = _body([g.line() for g in unit_groups])
            first = min(g.first or 0 for g in unit_groups)
            add(
                "webhook",
                f"{day.isoformat()}/{unit_id or 'bureau'}/{first}",
                WEBHOOK_RECIPIENT,
                subject,
                body,
            )
    return rows


def queue_for_steps(session: Session, step_ids: list[int]) -> int:
    """Queue the messages of newly made chase steps on the channels switched on (nothing when
    none is); each once per key. Returns how many messages were newly queued."""
    on = channels(chase_settings(session))
    if not on or not step_ids:
        return 0
    rows = _messages(_groups(session, sorted(set(step_ids))), on, session)
    if not rows:
        return 0
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    queued = 0
    for start in range(0, len(rows), INSERT_ROWS):
        statement = (
            dialect.insert(_table)
            .values(rows[start : start + INSERT_ROWS])
            .on_conflict_do_nothing(index_elements=["channel", "key"])
            .returning(_table.c.id)
        )
        queued += len(session.connection().execute(statement).all())
    return queued


# ---- sending -----------------------------------------------------------------------------------


class ChannelDown(Exception):
    """The channel cannot be reached at all: every message of it waits (a Chinese reason)."""


class SendFailed(Exception):
    """One message was not accepted (a Chinese reason)."""


def _short(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text[:200]


def _smtp(settings: ChaseSettings) -> smtplib.SMTP:
    """A connection to the bureau's SMTP server (STARTTLS and log-in when set)."""
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT)
    except (OSError, smtplib.SMTPException) as error:
        raise ChannelDown(f"无法连接邮件服务器 {where}：{_short(error)}") from error
    try:
        client.ehlo()
        if settings.smtp_starttls:
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if settings.smtp_user:
            client.login(settings.smtp_user, smtp_password())
    except smtplib.SMTPAuthenticationError as error:
        client.close()
        raise ChannelDown(f"邮件服务器 {where} 拒绝登录（账号 {settings.smtp_user}）") from error
    except (OSError, smtplib.SMTPException) as error:
        client.close()
        raise ChannelDown(f"邮件服务器 {where} 连接失败：{_short(error)}") from error
    return client


def _email(settings: ChaseSettings, recipient: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    sender = settings.smtp_sender or settings.smtp_user
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body)
    return message


def _send_email(client: smtplib.SMTP, settings: ChaseSettings, m: Any) -> None:
    try:
        client.send_message(_email(settings, m.recipient, m.subject, m.body))
    except smtplib.SMTPRecipientsRefused as error:
        raise SendFailed(f"邮件服务器拒收收件人 {m.recipient}") from error
    except smtplib.SMTPServerDisconnected as error:
        raise ChannelDown(f"邮件服务器断开连接：{_short(error)}") from error
    except (OSError, smtplib.SMTPException) as error:
        raise SendFailed(f"邮件发送失败：{_short(error)}") from error


def _post(url: str, content: str) -> None:
    """POST the group-robot JSON; ChannelDown when nothing answers, SendFailed when refused."""
    if not url.lower().startswith(("http://", "https://")):
        raise ChannelDown("群机器人地址须以 http:// 或 https:// 开头")
    payload = json.dumps(
        {"msgtype": "text", "text": {"content": content[:CONTENT_CHARS]}}, ensure_ascii=False
    ).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=payload,
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            answer = response.read(65536)
    except urllib.error.HTTPError as error:
        raise SendFailed(f"群机器人地址返回 HTTP {error.code}") from error
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise ChannelDown(f"无法连接群机器人地址：{_short(reason)}") from error  # type: ignore[arg-type]
    try:
        answered = json.loads(answer or b"{}")
    except ValueError:
        return  # a receiver that answers 2xx with no JSON has taken it
    if isinstance(answered, dict) and answered.get("errcode") not in (None, 0):
        raise SendFailed(
            f"群机器人拒收：errcode {answered.get('errcode')} {answered.get('errmsg', '')}"[
                :ERROR_CHARS
            ]
        )


def _begin(database: Database) -> Any:
    return database.engine.execution_options(sqlite_immediate=True).begin()


def _claim(database: Database, m: Any, now: dt.datetime) -> bool:
    """Take a due message for this sender (False: another sender took it first)."""
    with _begin(database) as connection:
        taken = connection.execute(
            update(_table)
            .where(
                _table.c.id == m.id,
                _table.c.sent_at.is_(None),
                _table.c.failed_at.is_(None),
                _table.c.attempts == m.attempts,
            )
            .values(attempts=m.attempts + 1, next_attempt_at=now + CLAIM_FOR)
        )
        return taken.rowcount == 1


def _settle(
    database: Database, m: Any, now: dt.datetime, error: str | None, result: SendResult
) -> None:
    """Record one attempt's outcome: sent, or the error and when to try again (or given up)."""
    attempts = m.attempts + 1
    if error is None:
        values: dict[str, Any] = {"sent_at": now, "next_attempt_at": None, "last_error": None}
        result.sent += 1
        log.info("outbox %s #%s sent to %s", m.channel, m.id, m.recipient)
    elif attempts >= MAX_ATTEMPTS:
        values = {"failed_at": now, "next_attempt_at": None, "last_error": error[:ERROR_CHARS]}
        result.failed += 1
        log.warning(
            "outbox %s #%s given up after %s attempts: %s", m.channel, m.id, attempts, error
        )
    else:
        pause = RETRY_PAUSES[min(attempts, len(RETRY_PAUSES)) - 1]
        values = {"next_attempt_at": now + pause, "last_error": error[:ERROR_CHARS]}
        result.retrying += 1
        log.warning("outbox %s #%s attempt %s failed: %s", m.channel, m.id, attempts, error)
    with _begin(database) as connection:
        connection.execute(update(_table).where(_table.c.id == m.id).values(**values))


def _due(database: Database, on: tuple[str, ...], now: dt.datetime, limit: int) -> list[Any]:
    with database.read() as session:
        return list(
            session.execute(
                select(
                    _table.c.id,
                    _table.c.channel,
                    _table.c.recipient,
                    _table.c.subject,
                    _table.c.body,
                    _table.c.attempts,
                )
                .where(
                    _table.c.sent_at.is_(None),
                    _table.c.failed_at.is_(None),
                    _table.c.channel.in_(on),
                    or_(_table.c.next_attempt_at.is_(None), _table.c.next_attempt_at <= now),
                )
                .order_by(_table.c.id)
                .limit(limit)
            )
        )


def _send_emails(
    database: Database,
    settings: ChaseSettings,
    batch: list[Any],
    now: dt.datetime,
    result: SendResult,
) -> None:
    try:
        if not (settings.smtp_sender or settings.smtp_user):
            raise ChannelDown("没有设置发件人地址（催办设置中的邮件发件人）")
        client = _smtp(settings)
    except ChannelDown as down:
        for m in batch:
            _settle(database, m, now, str(down), result)
        return
    try:
        for index, m in enumerate(batch):
            try:
                _send_email(client, settings, m)
            except SendFailed as error:
                _settle(database, m, now, str(error), result)
            except ChannelDown as down:
                for rest in batch[index:]:
                    _settle(database, rest, now, str(down), result)
                return
            else:
                _settle(database, m, now, None, result)
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()


def _send_webhooks(
    database: Database,
    settings: ChaseSettings,
    batch: list[Any],
    now: dt.datetime,
    result: SendResult,
) -> None:
    for index, m in enumerate(batch):
        try:
            _post(settings.webhook_url, f"{m.subject}\n{m.body}")
        except SendFailed as error:
            _settle(database, m, now, str(error), result)
        except ChannelDown as down:
            for rest in batch[index:]:
                _settle(database, rest, now, str(down), result)
            return
        else:
            _settle(database, m, now, None, result)


def send_due(database: Database, now: dt.datetime, *, limit: int = BATCH) -> SendResult:
    """Send the messages due at `now` on the channels switched on; never raises (a failure is
    recorded on its message, and anything else is logged and said in the result)."""
    result = SendResult()
    try:
        with database.read() as session:
            settings = chase_settings(session)
        on = channels(settings)
        if not on:
            return result
        claimed = [m for m in _due(database, on, now, limit) if _claim(database, m, now)]
        emails = [m for m in claimed if m.channel == "email"]
        hooks = [m for m in claimed if m.channel == "webhook"]
        if emails:
            _send_emails(database, settings, emails, now, result)
        if hooks:
            _send_webhooks(database, settings, hooks, now, result)
    except Exception as error:  # noqa: BLE001 — the background job must keep running
        log.exception("outbox: sending failed")
        result.error = _short(error)
    return result
