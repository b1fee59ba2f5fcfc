"""The pages load in chromium with their import map, modules and catalogues, and the
Content-Security-Policy lets nothing else run."""

from __future__ import annotations

import httpx
import pytest

from tests.integration.browser.conftest import ConsoleErrors, screenshot


@pytest.mark.parametrize("path,title,chinese", [("/chat", "Chat with us", "在线咨询"),
                                                ("/desk", "Agent workspace", "客服工作台"),
                                                ("/console", "Console", "管理控制台"),
                                                ("/help", "Help center", "帮助中心")])
def test_page_renders_in_both_languages(center, browser_context, path, title, chinese):
    for locale, heading in (("en-US", title), ("zh-CN", chinese)):
        page = browser_context(locale=locale).new_page()
        errors = ConsoleErrors(page)
        page.goto(center.url + path)
        page.get_by_role("heading", name=heading).wait_for()
        assert page.title() == heading
        errors.assert_none()
    screenshot(page, f"smoke{path.replace('/', '-')}-zh-CN")


def test_the_shell_forbids_inline_scripts_and_framing_of_staff_pages(center):
    for staff_page in ("/desk", "/console", "/help"):
        policy = httpx.get(center.url + staff_page).headers["content-security-policy"]
        assert "script-src 'self' 'sha256-" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
        assert "frame-ancestors 'none'" in policy
    assert "frame-ancestors *" in httpx.get(center.url + "/chat").headers["content-security-policy"]


def test_assets_outside_the_served_folders_are_not_found(center):
    for path in ("/ui/pages.py", "/ui/../config/settings.py", "/ui/vendor/lock.json/../../pages.py",
                 "/ui/shared/.hidden.mjs", "/ui/chat/"):
        response = httpx.get(center.url + path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"
    module = httpx.get(center.url + "/ui/shared/i18n.mjs")
    assert module.status_code == 200 and module.headers["content-type"].startswith("text/javascript")
    again = httpx.get(center.url + "/ui/shared/i18n.mjs", headers={"If-None-Match": module.headers["etag"]})
    assert again.status_code == 304
