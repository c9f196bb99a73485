"""Production hardening: security headers, gzip, and no per-process state between workers."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import re
from base64 import b64encode
from typing import Any

import pytest
from dash import Dash

from dashboard.security import content_security_policy
from data.db import Database
from tests.conftest import MakeApp
from tests.factories import PASSWORD, login, make_campaign, make_unit, make_user

OVERVIEW_UPDATE = {
    "output": "overview-content.children",
    "outputs": {"id": "overview-content", "property": "children"},
    "inputs": [{"id": "overview-state", "property": "data", "value": "?campaign=2024"}],
    "changedPropIds": ["overview-state.data"],
}
GZIP = {"Accept-Encoding": "gzip, deflate"}


TODAY = dt.date(2024, 9, 1)


@pytest.fixture
def app(make_app: MakeApp, db: Database) -> Dash:
    with db.write("test") as s:
        make_campaign(s, 2024)
        make_unit(s, name="城关镇司法所")
        make_user(s, "leader", "leader")
    return make_app(today=TODAY)


def test_every_response_carries_the_security_headers(app: Dash) -> None:
    client = app.server.test_client()
    for path in ("/login", "/assets/app.css", "/overdue"):
        with client.get(path) as response:
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
            assert response.headers["Referrer-Policy"] == "same-origin"
            policy = response.headers["Content-Security-Policy"]
            assert "default-src 'self'" in policy
            assert "frame-ancestors 'self'" in policy
            assert "unsafe-eval" not in policy


def test_the_policy_allows_exactly_the_pages_inline_scripts(app: Dash) -> None:
    client = app.server.test_client()
    login(client, "leader")
    with client.get("/") as response:
        page = response.get_data(as_text=True)
        policy = response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"
    page = re.sub(r"<!--\[if IE\]>.*?<!\[endif\]-->", "", page, flags=re.S)  # never run
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    inline = [body for attrs, body in scripts if "src=" not in attrs and "json" not in attrs]
    assert inline, "Dash's start-up script should be inline"
    for body in inline:
        digest = b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert content_security_policy([]).startswith("default-src 'self'; script-src 'self';")


def test_large_text_answers_are_gzipped_when_accepted(app: Dash) -> None:
    client = app.server.test_client()
    login(client, "leader")
    with client.post("/_dash-update-component", json=OVERVIEW_UPDATE) as plain:
        assert plain.status_code == 200
        assert "Content-Encoding" not in plain.headers
        expected = plain.get_data()
    with client.post("/_dash-update-component", json=OVERVIEW_UPDATE, headers=GZIP) as packed:
        assert packed.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in packed.headers["Vary"]
        body = packed.get_data()
        assert int(packed.headers["Content-Length"]) == len(body) < len(expected)
        assert gzip.decompress(body) == expected


def test_static_files_are_gzipped_with_their_own_etag(app: Dash) -> None:
    client = app.server.test_client()
    with client.get("/vendor/bootstrap5/css/bootstrap.min.css") as plain:
        raw = plain.get_data()
        tag = plain.headers.get("ETag")
    for _ in range(2):  # the second answer comes from the worker's cache
        with client.get("/vendor/bootstrap5/css/bootstrap.min.css", headers=GZIP) as packed:
            assert packed.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(packed.get_data()) == raw
            assert packed.headers.get("ETag") != tag


def _page_files(client: Any) -> list[str]:
    """The scripts and stylesheets a signed-in Dash page links."""
    with client.get("/overview") as page:
        assert page.status_code == 200
        assert page.headers["Cache-Control"] == "no-store"
        html = page.get_data(as_text=True)
    return re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css)[^"]*)"', html)


def test_files_whose_address_names_their_version_are_kept_a_year(app: Dash) -> None:
    """Dash's fingerprinted bundles, /assets?m= and Bootstrap?v= change address with a new
    release: a browser keeps them, so a repeat visit downloads only data (#13 item 5)."""
    client, _ = sign_in(app)
    files = _page_files(client)
    assert any("/_dash-component-suites/" in f for f in files)
    assert any(f.startswith("/assets/") for f in files)
    assert any(f.startswith("/vendor/bootstrap5/css/bootstrap.min.css?v=") for f in files)
    for address in files:
        with client.get(address, headers=GZIP) as response:
            assert response.status_code == 200, address
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", (
                address
            )
    with client.post("/_dash-update-component", json=OVERVIEW_UPDATE, headers=GZIP) as data:
        assert data.status_code == 200
        assert data.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "address",
    [
        "/_dash-component-suites/plotly/package_data/plotly.min.js",
        "/_dash-component-suites/dash/dcc/async-graph.js",
        "/assets/app.css",
        "/vendor/bootstrap5/css/bootstrap.min.css",
    ],
)
def test_files_at_fixed_addresses_are_revalidated_gzipped_or_not(app: Dash, address: str) -> None:
    """plotly.min.js has one address for every release: the browser asks again, and gets a
    bodiless 304 when it holds the same file — also when what it holds is the gzipped one."""
    client = app.server.test_client()
    for headers in (GZIP, {"Accept-Encoding": "identity"}):
        with client.get(address, headers=headers) as first:
            assert first.status_code == 200
            assert first.headers["Cache-Control"] == "no-cache"
            tag = first.headers["ETag"]
        with client.get(address, headers={**headers, "If-None-Match": tag}) as again:
            assert again.status_code == 304, (address, headers)
            assert again.get_data() == b""
    with client.get(address, headers={**GZIP, "If-None-Match": '"another"'}) as changed:
        assert changed.status_code == 200
        assert len(changed.get_data()) > 0


def test_small_answers_and_refusing_clients_get_plain_bodies(app: Dash) -> None:
    client = app.server.test_client()
    with client.get("/login", headers={"Accept-Encoding": "identity"}) as response:
        assert "Content-Encoding" not in response.headers
    with client.get("/login", headers={"Accept-Encoding": "gzip;q=0"}) as response:
        assert "Content-Encoding" not in response.headers
    with client.post("/_dash-update-component", json=OVERVIEW_UPDATE, headers=GZIP) as response:
        assert response.status_code == 401  # tiny JSON error: under the threshold
        assert "Content-Encoding" not in response.headers


def test_the_login_lockout_is_shared_by_every_worker(app: Dash, make_app: MakeApp) -> None:
    """Two apps on one database stand for two gunicorn workers: failures add up across them."""
    other = make_app(today=TODAY)
    clients = [app.server.test_client(), other.server.test_client()]
    for attempt in range(5):
        client = clients[attempt % 2]
        with client.post("/login", data={"username": "leader", "password": "wrong"}) as r:
            assert r.status_code == 401
    for client in clients:
        with client.post("/login", data={"username": "leader", "password": PASSWORD}) as r:
            assert r.status_code == 401
            assert "登录失败次数过多" in r.get_data(as_text=True)


def test_a_session_signed_in_on_one_worker_is_valid_on_another(
    app: Dash, make_app: MakeApp
) -> None:
    other = make_app(today=TODAY)
    client = app.server.test_client()
    login(client, "leader")
    cookie = client.get_cookie("session")
    assert cookie is not None
    second = other.server.test_client()
    second.set_cookie("session", cookie.value)
    with second.post("/_dash-update-component", json=OVERVIEW_UPDATE) as response:
        assert response.status_code == 200


# ---- HTTPS and trusted proxies (issue 16, finding 10) ----------------------------------------

FORWARDED_HTTPS = {"X-Forwarded-Proto": "https"}


def sign_in(app: Dash, **client: Any) -> tuple[Any, Any]:
    """Log in through the form: the test client and the log-in response."""
    test_client = app.server.test_client()
    response = test_client.post(
        "/login", data={"username": "leader", "password": PASSWORD}, **client
    )
    response.close()
    return test_client, response


def served_over_https(app: Dash, **client: Any) -> bool:
    """Whether a log-in gets a Secure session cookie and HSTS (and then either both or none)."""
    test_client, response = sign_in(app, **client)
    cookie = test_client.get_cookie("session", domain="localhost")
    assert cookie is not None
    hsts = response.headers.get("Strict-Transport-Security")
    assert bool(hsts) == cookie.secure
    assert hsts in (None, "max-age=31536000")
    return cookie.secure


def test_over_https_the_cookie_is_secure_and_hsts_is_sent(app: Dash) -> None:
    assert served_over_https(app, base_url="https://localhost")
    assert not served_over_https(app)
    with app.server.test_client().get("/login", base_url="https://localhost") as response:
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_forwarded_proto_counts_from_a_trusted_proxy_only(app: Dash, make_app: MakeApp) -> None:
    assert not served_over_https(app, headers=FORWARDED_HTTPS)  # no proxy is trusted
    behind = make_app(today=TODAY, trusted_proxies=("127.0.0.1", "10.0.0.0/24"))
    assert served_over_https(behind, headers=FORWARDED_HTTPS)
    assert served_over_https(
        behind, headers=FORWARDED_HTTPS, environ_base={"REMOTE_ADDR": "10.0.0.7"}
    )
    assert not served_over_https(
        behind, headers=FORWARDED_HTTPS, environ_base={"REMOTE_ADDR": "192.0.2.5"}
    )
    assert not served_over_https(behind)  # the proxy itself says plain HTTP


def test_trusted_proxies_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.config import Settings

    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.5, 10.0.1.0/24,")
    assert Settings(secret_key="t").trusted_proxies == ("10.0.0.5", "10.0.1.0/24")
    monkeypatch.delenv("TRUSTED_PROXIES")
    assert Settings(secret_key="t").trusted_proxies == ()
