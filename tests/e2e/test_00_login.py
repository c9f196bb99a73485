"""The log-in flow in Chromium: redirect, a wrong password, then back to the page asked for."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_PASSWORD, LiveServer


def test_login_flow(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/overdue?campaign=2026")
    expect(page).to_have_url(f"{live_server.url}/login?next=/overdue%3Fcampaign%3D2026")
    page.fill("#username", "leader")
    page.fill("#password", "not-the-password")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_have_text("用户名或密码错误")
    expect(page.locator("#username")).to_have_value("leader")
    page.fill("#password", DEMO_PASSWORD)
    page.click("#login-submit")
    expect(page).to_have_url(f"{live_server.url}/overdue?campaign=2026")
    expect(page.locator("#shell-user")).to_contain_text("局领导")
    page.click("#shell-logout")
    expect(page).to_have_url(f"{live_server.url}/login")
