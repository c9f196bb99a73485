"""#15 outgoing messages: queued once per key for the channels switched on, sent to a real SMTP
server (aiosmtpd) and a real webhook receiver (werkzeug) on 127.0.0.1, without complainant data;
a failing receiver is retried with a growing pause, given up after the last attempt, and never
slows or fails a page. Steps are inserted here with the models (data/chase.py makes them)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from data import outbox
from data.chase_settings import ChaseSettings, save_chase_settings
from data.db import Database
from data.models import ChaseStep, OutboxMessage, User
from data.outbox import queue_for_steps, send_due
from tests.factories import login, make_campaign, make_problem, make_unit, make_user

DAY = dt.date(2024, 10, 9)
NOW = dt.datetime(2024, 10, 9, 8, 30)
COMPLAINANT = "张三丰"
PHONE = "13812345678"
ROBOT_KEY = "robot-key-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---- the receivers -------------------------------------------------------------------------------


class Mailbox:
    """aiosmtpd's handler: keeps every message it is given."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpServer:
    """A real SMTP server on 127.0.0.1 (start and stop it to make the port dead or alive)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.box = Mailbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.box, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class Robot:
    """A group-robot webhook receiver (werkzeug) answering `fail` times 500 first."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.queries: list[str] = []
        self.fail = 0
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @Request.application  # type: ignore[misc]
    def app(self, request: Request) -> Response:
        if self.fail > 0:
            self.fail -= 1
            return Response("boom", status=500)
        self.posts.append(json.loads(request.get_data(as_text=True)))
        self.queries.append(request.query_string.decode())
        return Response(json.dumps({"errcode": 0, "errmsg": "ok"}), mimetype="application/json")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/cgi-bin/webhook/send?key={ROBOT_KEY}"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def robot() -> Iterator[Robot]:
    receiver = Robot()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.thread.join(5)


# ---- the county ----------------------------------------------------------------------------------


@pytest.fixture
def county(db: Database) -> dict[str, Any]:
    """Unit A with two staff e-mail addresses (and one without), its leader in charge, an admin;
    steps of DAY: 催办 of a problem with a complainant and of a question, 督办, 重点督查."""
    with db.write("test") as s:
        campaign = make_campaign(s)
        a = make_unit(s, "城关镇司法所")
        problem = make_problem(
            s,
            campaign,
            a,
            channel="hotline",
            description=f"投诉人{COMPLAINANT}（{PHONE}）反映办事推诿",
            complainant_name=COMPLAINANT,
            complainant_phone=PHONE,
            deadline=dt.date(2024, 9, 30),
        )
        other = make_problem(s, campaign, a, deadline=dt.date(2024, 9, 27))
        make_user(s, "unit_a1", "unit", "城关镇司法所")
        make_user(s, "unit_a2", "unit", "城关镇司法所")
        make_user(s, "unit_a3", "unit", "城关镇司法所")
        leader = make_user(s, "leader", "leader")
        make_user(s, "leader2", "leader")
        make_user(s, "admin", "admin")
        emails = {
            "unit_a1": "a1@example.gov.cn",
            "unit_a2": " a2@example.gov.cn ",
            "leader": "leader@example.gov.cn",
            "leader2": "leader2@example.gov.cn",
            "admin": "jiufeng@example.gov.cn",
        }
        for user in s.scalars(select(User)):
            user.email = emails.get(user.username)
            if user.username == "leader":  # in charge of 司法所 (unit A's kind)
                user.in_charge_of = ["judicial_office"]
            if user.username == "leader2":
                user.in_charge_of = ["law_firm"]
        rows = [
            ("problem", problem.id, problem.deadline, "chase", None),
            ("problem", other.id, other.deadline, "chase", None),
            ("problem", other.id, other.deadline, "escalate", leader),
            ("problem", other.id, other.deadline, "focus", None),
        ]
        steps = [
            ChaseStep(
                campaign_id=campaign.id,
                item_kind=kind,
                item_id=item_id,
                unit_id=a.id,
                step=step,
                deadline=deadline,
                due_on=DAY,
                created_on=DAY,
                recipient=a.name,
                leader_id=leader_id,
            )
            for kind, item_id, deadline, step, leader_id in rows
        ]
        s.add_all(steps)
        s.flush()
        return {"steps": [step.id for step in steps], "unit": a.id, "leader": leader}


def switch_on(db: Database, smtp_port: int | None, webhook: str | None, **more: Any) -> None:
    with db.write("admin") as s:
        save_chase_settings(
            s,
            ChaseSettings(
                email_enabled=smtp_port is not None,
                smtp_host="127.0.0.1" if smtp_port else "",
                smtp_port=smtp_port or 25,
                smtp_sender="jiufeng@example.gov.cn",
                webhook_enabled=webhook is not None,
                webhook_url=webhook or "",
                **more,
            ),
        )


def queue(db: Database, step_ids: list[int]) -> int:
    with db.write("system") as s:
        return queue_for_steps(s, step_ids)


def messages(db: Database) -> list[OutboxMessage]:
    with db.read() as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


# ---- queueing ------------------------------------------------------------------------------------


def test_nothing_is_queued_while_the_channels_are_off(db: Database, county: dict) -> None:
    assert queue(db, county["steps"]) == 0
    switch_on(db, None, None)
    assert queue(db, county["steps"]) == 0
    assert messages(db) == []


def test_messages_are_queued_once_per_key_for_the_right_people(db: Database, county: dict) -> None:
    switch_on(db, 2525, "http://127.0.0.1:9/robot")
    made = queue(db, county["steps"])
    rows = messages(db)
    assert made == len(rows)
    emails = {(m.recipient, m.subject) for m in rows if m.channel == "email"}
    assert emails == {
        ("a1@example.gov.cn", "【催办】城关镇司法所有 2 项工作已逾期"),
        ("a2@example.gov.cn", "【催办】城关镇司法所有 2 项工作已逾期"),
        ("leader@example.gov.cn", "【督办】城关镇司法所有 1 项工作经催办仍逾期"),
        ("jiufeng@example.gov.cn", "【重点督查】城关镇司法所有 1 项工作逾期较久，建议列入重点督查"),
    }
    hooks = [m for m in rows if m.channel == "webhook"]
    assert len(hooks) == 1  # one per unit and day
    assert hooks[0].recipient == "群机器人" and "robot" not in hooks[0].body
    assert "催办 2 项" in hooks[0].subject and "督办 1 项" in hooks[0].subject
    chase = next(m for m in rows if m.recipient == "a1@example.gov.cn")
    assert "最早的期限是 2024年9月27日" in chase.body and "问题 2 项" in chase.body
    for m in rows:
        assert COMPLAINANT not in m.body + m.subject and PHONE not in m.body + m.subject
    # A second run (or a second server) queues nothing again.
    assert queue(db, county["steps"]) == 0
    assert len(messages(db)) == len(rows)


def test_a_later_run_the_same_day_sends_its_own_steps(db: Database, county: dict) -> None:
    """The server's run in the morning made one 催办; a run by hand later that day makes the
    rest: their messages go too, not dropped as the morning's again."""
    switch_on(db, 2525, "http://127.0.0.1:9/robot")
    morning, later = county["steps"][:1], county["steps"][1:]
    assert queue(db, morning) > 0
    assert queue(db, later) > 0
    to_a1 = [m.subject for m in messages(db) if m.recipient == "a1@example.gov.cn"]
    assert to_a1 == ["【催办】城关镇司法所有 1 项工作已逾期"] * 2
    assert len([m for m in messages(db) if m.channel == "webhook"]) == 2
    # Each batch still goes once.
    assert queue(db, morning) == 0 and queue(db, later) == 0


def test_an_escalation_without_a_leader_goes_to_every_leader(db: Database, county: dict) -> None:
    switch_on(db, 2525, None)
    with db.write("test") as s:
        s.execute(ChaseStep.__table__.update().values(leader_id=None))
        for user in s.scalars(select(User).where(User.role == "leader")):
            user.in_charge_of = None
    queue(db, county["steps"])
    to = {m.recipient for m in messages(db) if m.subject.startswith("【督办】")}
    assert to == {"leader@example.gov.cn", "leader2@example.gov.cn"}


# ---- sending -------------------------------------------------------------------------------------


def test_the_smtp_server_and_the_robot_receive_the_messages(
    db: Database, county: dict, smtp: SmtpServer, robot: Robot
) -> None:
    switch_on(db, smtp.port, robot.url)
    queued = queue(db, county["steps"])
    result = send_due(db, NOW)
    assert (result.sent, result.retrying, result.failed, result.error) == (queued, 0, 0, None)
    assert len(smtp.box.messages) == queued - 1 and len(robot.posts) == 1
    subjects = sorted(str(m["Subject"]) for m in smtp.box.messages)
    assert subjects[0].startswith("【催办】城关镇司法所")
    for message in smtp.box.messages:
        assert message["From"] == "jiufeng@example.gov.cn"
        body = message.get_content()  # type: ignore[attr-defined]
        assert "城关镇司法所" in body
        assert COMPLAINANT not in body and PHONE not in body
    assert {tuple(rcpt) for _sender, rcpt in smtp.box.envelopes} >= {("a1@example.gov.cn",)}
    post = robot.posts[0]
    assert post["msgtype"] == "text"
    content = post["text"]["content"]
    assert "城关镇司法所" in content and "催办 2 项" in content
    assert COMPLAINANT not in content and PHONE not in content
    assert robot.queries == [f"key={ROBOT_KEY}"]
    rows = messages(db)
    assert all(m.sent_at == NOW and m.attempts == 1 and m.last_error is None for m in rows)
    # Nothing is sent twice.
    assert send_due(db, NOW + dt.timedelta(hours=1)).sent == 0
    assert len(smtp.box.messages) == queued - 1 and len(robot.posts) == 1


def test_a_failing_robot_is_retried_with_a_growing_pause_and_later_succeeds(
    db: Database, county: dict, robot: Robot
) -> None:
    switch_on(db, None, robot.url)
    queue(db, county["steps"])
    robot.fail = 2
    first = send_due(db, NOW)
    assert (first.sent, first.retrying) == (0, 1)
    (row,) = messages(db)
    assert row.attempts == 1 and row.last_error == "群机器人地址返回 HTTP 500"
    assert row.next_attempt_at == NOW + dt.timedelta(minutes=1)
    assert ROBOT_KEY not in (row.last_error or "")
    # Not due again before its pause is over.
    assert send_due(db, NOW + dt.timedelta(seconds=30)).retrying == 0
    assert send_due(db, NOW + dt.timedelta(minutes=1)).retrying == 1
    (row,) = messages(db)
    assert row.attempts == 2 and row.next_attempt_at == NOW + dt.timedelta(minutes=6)
    later = send_due(db, NOW + dt.timedelta(minutes=6))
    assert later.sent == 1 and len(robot.posts) == 1
    (row,) = messages(db)
    assert row.attempts == 3 and row.sent_at is not None and row.last_error is None


def test_a_dead_smtp_port_is_retried_until_the_server_is_back(db: Database, county: dict) -> None:
    server = SmtpServer(free_port())  # nothing listens there yet
    switch_on(db, server.port, None)
    queued = queue(db, county["steps"])
    down = send_due(db, NOW)
    assert (down.sent, down.retrying, down.error) == (0, queued, None)
    assert all("无法连接邮件服务器 127.0.0.1" in (m.last_error or "") for m in messages(db))
    server.start()
    try:
        back = send_due(db, NOW + dt.timedelta(minutes=1))
        assert back.sent == queued and len(server.box.messages) == queued
    finally:
        server.stop()


def test_a_message_is_given_up_after_the_last_attempt(
    db: Database, county: dict, robot: Robot
) -> None:
    switch_on(db, None, robot.url)
    queue(db, county["steps"])
    robot.fail = 100
    when = NOW
    for _ in range(outbox.MAX_ATTEMPTS):
        send_due(db, when)
        when += dt.timedelta(days=1)
    (row,) = messages(db)
    assert row.attempts == outbox.MAX_ATTEMPTS and row.failed_at is not None
    assert send_due(db, when).retrying == 0 and robot.fail == 100 - outbox.MAX_ATTEMPTS
    assert row.sent_at is None and "HTTP 500" in (row.last_error or "")


def test_a_channel_switched_off_keeps_its_messages_unsent(
    db: Database, county: dict, robot: Robot
) -> None:
    switch_on(db, None, robot.url)
    queue(db, county["steps"])
    switch_on(db, None, None)
    assert send_due(db, NOW).sent == 0 and robot.posts == []
    switch_on(db, None, robot.url)
    assert send_due(db, NOW).sent == 1


def test_send_due_never_raises(db: Database, county: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    switch_on(db, 2525, None)
    queue(db, county["steps"])

    def broken(*_args: Any) -> list[Any]:
        raise RuntimeError("database went away")

    monkeypatch.setattr(outbox, "_due", broken)
    result = send_due(db, NOW)
    assert result.error == "database went away" and result.sent == 0


def test_two_senders_at_once_send_each_message_once(
    db: Database, county: dict, smtp: SmtpServer, robot: Robot
) -> None:
    switch_on(db, smtp.port, robot.url)
    queued = queue(db, county["steps"])
    results: list[Any] = []
    threads = [threading.Thread(target=lambda: results.append(send_due(db, NOW))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sum(r.sent for r in results) == queued
    assert len(smtp.box.messages) + len(robot.posts) == queued


def test_a_dead_receiver_never_slows_a_page(
    db: Database, county: dict, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A receiver that accepts and never answers holds the sender until its timeout, in the
    background; meanwhile pages and downloads answer at once."""
    monkeypatch.setattr(outbox, "TIMEOUT", 3.0)
    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hole.listen(8)
    switch_on(db, None, f"http://127.0.0.1:{hole.getsockname()[1]}/robot")
    queue(db, county["steps"])
    app = make_app(today=DAY)
    client = app.server.test_client()
    login(client, "admin").close()
    results: list[Any] = []
    sender = threading.Thread(target=lambda: results.append(send_due(db, NOW)))
    started = time.monotonic()
    try:
        sender.start()
        time.sleep(0.3)
        assert sender.is_alive()  # waiting on the dead receiver
        with client.get("/download/notice-template/chase.docx") as response:
            assert response.status_code == 200
        with client.get("/admin/chase") as response:
            assert response.status_code == 200
        assert time.monotonic() - started < 2.5
        sender.join(10)
    finally:
        hole.close()
    assert not sender.is_alive()
    (result,) = results
    assert result.retrying == 1 and result.error is None
    with db.read() as s:
        assert (
            s.scalar(select(func.count()).where(OutboxMessage.last_error.contains("群机器人"))) == 1
        )


def test_an_escalation_goes_to_every_leader_in_charge_of_the_kind(
    db: Database, county: dict
) -> None:
    switch_on(db, 2525, None)
    with db.write("test") as s:
        second = s.scalars(select(User).where(User.username == "leader2")).one()
        second.in_charge_of = ["law_firm", "judicial_office"]
    queue(db, county["steps"])
    to = {m.recipient for m in messages(db) if m.subject.startswith("【督办】")}
    assert to == {"leader@example.gov.cn", "leader2@example.gov.cn"}
    # The unit account without an address gets none.
    with db.read() as s:
        silent = s.scalars(select(User.id).where(User.username == "unit_a3")).one()
    assert str(silent) not in {m.key.rsplit("/", 1)[-1] for m in messages(db)}


def test_only_a_web_address_is_posted_to(db: Database, county: dict) -> None:
    switch_on(db, None, "file:///etc/passwd")
    queue(db, county["steps"])
    result = send_due(db, NOW)
    assert result.retrying == 1
    (row,) = messages(db)
    assert row.last_error == "群机器人地址须以 http:// 或 https:// 开头"


def test_starttls_and_the_password_from_the_environment(
    db: Database, county: dict, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server that takes mail only after STARTTLS and a log-in: the certificate is checked
    (the bureau's own CA through SSL_CERT_FILE) and the password comes from the environment."""
    import ssl
    import subprocess

    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(str(cert), str(key))
    logins: list[tuple[bytes, bytes]] = []

    def check(_server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any) -> Any:
        assert isinstance(data, LoginPassword)
        logins.append((data.login, data.password))
        return AuthResult(success=data.password == b"s3cret-from-env")

    box = Mailbox()
    port = free_port()
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=port,
        tls_context=server_tls,
        require_starttls=True,
        authenticator=check,
        auth_required=True,
    )
    controller.start()
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        monkeypatch.setenv("PINGYI_SMTP_PASSWORD", "s3cret-from-env")
        switch_on(db, port, None, smtp_starttls=True, smtp_user="jfb@example.gov.cn")
        queued = queue(db, county["steps"])
        result = send_due(db, NOW)
        assert (result.sent, result.retrying) == (queued, 0)
        assert len(box.messages) == queued
        assert logins == [(b"jfb@example.gov.cn", b"s3cret-from-env")]
    finally:
        controller.stop()
