"""The console (`/console`) in a real browser: an admin changes a cap and a routing rule
and the next chat follows them; a supervisor finds a live chat in the records, monitors
it (messages and the visitor's typing), whispers to the agent (never to the visitor) and
takes it over; today's report shows the known counts and downloads as XLSX; an agent is
sent to the desk."""

from __future__ import annotations

import io
import re

import openpyxl
from playwright.sync_api import expect

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PASSWORD, PageProblems, people  # noqa: F401
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.protocol_client import Api, staff_member, unique


def sign_in(page, url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(url + "/console")
    # By field name, not label: the same steps in either language.
    page.locator('input[name="username"]').fill(username)
    page.locator('input[name="password"]').fill(password)
    page.locator('button[type="submit"]').click()


def supervisor(people) -> tuple[str, str]:
    """A new supervisor account (in no skill group): (agent id, username)."""
    username = unique("sv")
    return people.bg.run(people.admin.create_agent(username, {}, 3, role="supervisor",
                                                   display_name="Sue <i>")), username


def test_an_admin_changes_a_cap_and_a_routing_rule_and_the_next_chat_follows(center, people, browser_context):
    asked, served = people.group(), people.group()
    agent_id, agent_socket = people.bg.run(staff_member(people.admin, {served: 1}, 3))
    agent = people.bg.run(people.admin.call("GET", f"/api/v1/admin/agents/{agent_id}"))
    page = browser_context().new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, "admin", ADMIN_PASSWORD)
    page.get_by_role("link", name="Agents").click()
    row = page.locator(f'tr[data-agent="{agent["username"]}"]')
    row.get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Max. concurrent chats").fill("1")
    screenshot(page, "console-agent-en")
    dialog.get_by_role("button", name="Save").click()
    expect(row.locator("td.number")).to_have_text("1")
    assert people.bg.run(people.admin.call("GET", f"/api/v1/admin/agents/{agent_id}"))["max_concurrent"] == 1

    page.get_by_role("link", name="Routing rules").click()
    page.get_by_role("button", name="New rule").click()
    form = page.get_by_role("form", name="New rule")
    form.get_by_label("Requested groups").fill(asked)
    form.get_by_label("Then skill group").select_option(served)
    form.get_by_role("button", name="Add rule").click()
    rule = page.locator("tr[data-position]", has_text=f"asked for {asked}")
    expect(rule).to_be_visible()
    position = int(rule.get_attribute("data-position"))
    try:
        # The next chat asking for `asked` waits in `served` and reaches the agent there;
        # a second one finds the agent at the new cap of 1 and waits.
        first = people.visitor("First")
        assigned = people.request_chat(first, asked)
        assert assigned["agent"]["id"] == agent_id
        second = people.visitor("Second")
        queued = people.request_chat(second, asked, answer="queued")
        assert queued["skill_group"] == served
        problems.assert_none()
    finally:
        people.bg.run(people.admin.call("DELETE", f"/api/v1/admin/routing-rules/{position}", expect=204))
        people.bg.run(agent_socket.close())


def test_a_supervisor_monitors_whispers_and_takes_over(center, people, browser_context):
    group = people.group()
    agent_id, agent_socket = people.bg.run(staff_member(people.admin, {group: 1}, 3))
    sue_id, username = supervisor(people)
    visitor = people.visitor("Tina")
    people.request_chat(visitor, group)
    people.say(visitor, "Where is my <b>order</b> 42?")

    page = browser_context().new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, username)
    page.get_by_role("link", name="Chat records").click()
    row = page.locator(f'tr[data-conversation="{visitor.conversation_id}"]')
    row.get_by_role("button", name="Watch").click()
    log = page.get_by_role("log", name="Messages")
    expect(log).to_contain_text("Where is my <b>order</b> 42?")

    actions = page.get_by_role("group", name="Supervision")
    actions.get_by_role("button", name="Monitor").click()
    expect(actions.get_by_role("button", name="Monitor")).to_have_attribute("aria-pressed", "true")
    people.type(visitor, "and the invoice")
    expect(log).to_contain_text("and the invoice")
    people.bg.run(agent_socket.message(visitor.conversation_id, "Checking now."))
    expect(log).to_contain_text("Checking now.")

    actions.get_by_role("button", name="Whisper").click()
    expect(actions.get_by_role("button", name="Whisper")).to_have_attribute("aria-pressed", "true")
    page.get_by_label("Whisper to the agent").fill("Offer the 10% coupon")
    page.get_by_role("button", name="Send whisper").click()
    whisper = people.bg.run(agent_socket.next("message", timeout=10))["message"]
    assert (whisper["body"], whisper["visibility"]) == ("Offer the 10% coupon", "internal")
    expect(log.locator("li.internal")).to_contain_text("Offer the 10% coupon")
    screenshot(page, "console-supervise-en")

    actions.get_by_role("button", name="Take over").click()
    expect(page.get_by_text("You serve this conversation")).to_be_visible()
    page.get_by_label("Message to the visitor").fill("Sue here, I will finish this.")
    page.get_by_role("button", name="Send").click()
    bodies: list[str] = []
    while "Sue here, I will finish this." not in bodies:
        bodies.append(people.bg.run(visitor.socket.next("message", timeout=10))["message"]["body"])
    # The visitor never got the whisper, and the supervisor now owns the conversation.
    assert "Offer the 10% coupon" not in [f["message"]["body"] for f in visitor.socket.all("message")]
    row = people.bg.run(people.admin.call("GET", f"/api/v1/conversations/{visitor.conversation_id}"))
    assert row["agent_id"] == sue_id
    problems.assert_none()
    people.bg.run(agent_socket.close())


def test_todays_report_shows_the_known_counts_and_downloads_them_as_xlsx(center, people, browser_context):
    group = people.group()
    agent_id, agent_socket = people.bg.run(staff_member(people.admin, {group: 1}, 3))
    for score in (5, None):
        visitor = people.visitor("Rita")
        people.request_chat(visitor, group)
        people.say(visitor, "hello")
        people.leave(visitor)
        people.next_frame(visitor, "ended")
        if score:
            people.bg.run(visitor.socket.send({"type": "rating", "conversation_id": visitor.conversation_id,
                                               "score": score}))
            people.next_frame(visitor, "rated")
        people.close(visitor)
    page = browser_context(locale="zh-CN").new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, "admin", ADMIN_PASSWORD)
    page.get_by_role("link", name="报表统计").click()
    form = page.get_by_role("form", name="报表筛选")
    form.get_by_role("combobox", name="技能组").select_option(group)
    form.get_by_role("button", name="查询").click()
    table = page.get_by_role("table", name="会话统计")
    figures = {column: table.locator(f'td[data-column="{column}"]').first
               for column in ("conversations", "answered", "abandoned_in_queue", "ratings", "rating_avg")}
    expect(figures["conversations"]).to_have_text("2")
    for column, text in (("answered", "2"), ("abandoned_in_queue", "0"), ("ratings", "1"), ("rating_avg", "5")):
        expect(figures[column]).to_have_text(text)
    screenshot(page, "console-report-zh-CN")
    with page.expect_download() as download:
        form.get_by_role("button", name="XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as saved:
        sheet = openpyxl.load_workbook(io.BytesIO(saved.read()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    headers, total = rows[0], rows[-1]
    assert dict(zip(headers, total))["会话数"] == 2
    problems.assert_none()
    people.bg.run(agent_socket.close())


def test_an_agent_is_sent_to_the_desk(center, people, browser_context):
    agent = people.agent({})
    page = browser_context().new_page()
    sign_in(page, center.url, agent.username)
    expect(page.get_by_role("alert")).to_contain_text("The console is for supervisors and admins")
    expect(page.get_by_role("link", name="Agent workspace")).to_have_attribute("href", "/desk")
    expect(page.get_by_role("navigation", name="Console pages")).to_have_count(0)


def test_an_admin_closes_a_group_sets_a_public_reply_and_sees_the_embed_code(center, people, browser_context):
    group = people.group()
    page = browser_context().new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, "admin", ADMIN_PASSWORD)
    page.get_by_role("link", name="Work hours").click()
    page.get_by_label("Hours of").select_option(group)
    expect(page.get_by_text("This group has no hours of its own")).to_be_visible()
    hours = page.get_by_role("form", name="Work hours")
    hours.get_by_label("Time zone").fill("Asia/Shanghai")
    hours.get_by_label("Holidays (closed dates, one per line)").fill("2026-10-01")
    hours.get_by_role("button", name="Save").click()  # every day empty: closed
    expect(page.get_by_text("Spans like 09:00-12:00")).to_be_visible()
    stored = people.bg.run(people.admin.call("GET", f"/api/v1/admin/skill-groups/{group}/work-hours"))
    assert stored["work_hours"] == {"timezone": "Asia/Shanghai", "weekly": {}, "closed_dates": ["2026-10-01"]}
    offline = people.request_chat(people.visitor(), group, answer="offline")
    assert offline["reason"] == "outside_work_hours"

    page.get_by_role("link", name="Canned replies").click()
    page.get_by_role("button", name="New reply").click()
    form = page.get_by_role("form", name="Canned reply")
    title = unique("Refunds <b>")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Text").fill("Refunds take 3-5 working days.")
    form.get_by_role("button", name="Save").click()
    row = page.locator("tr[data-reply]", has_text=title)
    expect(row).to_contain_text("Refunds take 3-5 working days.")
    agent = people.agent({})
    agent_api = people.bg.run(Api(center.url).login(agent.username, PASSWORD))
    replies = people.bg.run(agent_api.call("GET", "/api/v1/canned-replies"))["replies"]
    assert [(r["scope"], r["body"]) for r in replies if r["title"] == title] == [
        ("public", "Refunds take 3-5 working days.")]
    row.get_by_role("button", name="Remove").click()
    expect(row).to_have_count(0)

    page.get_by_role("link", name="Widget").click()
    embed = page.get_by_role("textbox", name="Embed code")
    expect(embed).to_have_value(f'<script async src="{center.url}/widget.js" data-center="{center.url}"></script>')
    screenshot(page, "console-widget-en")
    problems.assert_none()


def test_the_navigation_menu_set_in_the_console_sends_the_visitor_to_the_chosen_group(
        center, people, browser_context):
    orders, refunds = people.group(), people.group()
    agent_id, agent_socket = people.bg.run(staff_member(people.admin, {refunds: 1}, 3))
    page = browser_context().new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, "admin", ADMIN_PASSWORD)
    page.get_by_role("link", name="Widget").click()
    try:
        for group, label, chinese in ((orders, "Orders", "订单"), (refunds, "Refunds <b>", "退款 <b>")):
            page.get_by_role("button", name="Add an entry").click()
            entry = page.get_by_role("group", name=f"Menu entry {1 if group == orders else 2}")
            entry.get_by_label("Skill group").select_option(group)
            entry.get_by_label("Label (English)").fill(label)
            entry.get_by_label("Label (Chinese)").fill(chinese)
        page.get_by_role("form", name="Widget").get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_have_text("Saved")
        menu = people.bg.run(people.admin.call("GET", "/api/v1/admin/widget"))["menu"]
        assert [(e["skill_group"], e["label"], e["label_zh"]) for e in menu] == [
            (orders, "Orders", "订单"), (refunds, "Refunds <b>", "退款 <b>")]

        visitor_page = browser_context(locale="zh-CN").new_page()
        visitor_page.goto(center.url + "/chat")
        expect(visitor_page.get_by_role("heading", name="请选择您要咨询的业务")).to_be_visible()
        screenshot(visitor_page, "widget-menu-zh-CN")
        visitor_page.get_by_role("button", name="退款 <b>").click()
        assigned = people.bg.run(agent_socket.next("assigned", timeout=15))
        assert assigned["skill_group"] == refunds
        expect(visitor_page.get_by_role("textbox")).to_be_visible()
        problems.assert_none()
    finally:
        people.bg.run(people.admin.call("PUT", "/api/v1/admin/widget", {}))
        people.bg.run(agent_socket.close())


def test_an_admin_changes_the_invitation_settings(center, people, browser_context):
    page = browser_context().new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, "admin", ADMIN_PASSWORD)
    page.get_by_role("link", name="Center settings").click()
    before = people.bg.run(people.admin.call("GET", "/api/v1/admin/center"))
    expect(page.get_by_label("Name", exact=True)).to_have_value(before["name"])
    part = page.get_by_role("form", name="Proactive invitations")
    try:
        part.get_by_label("An invitation stays open (s)").fill("45")
        part.get_by_label("Default invitation text").fill("Need help with <your> order?")
        part.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_have_text("Saved")
        after = people.bg.run(people.admin.call("GET", "/api/v1/admin/center"))["invitations"]
        assert (after["ttl_s"], after["text"], after["enabled"]) == (45, "Need help with <your> order?", True)
        screenshot(page, "console-center-en")
        problems.assert_none()
    finally:
        people.bg.run(people.admin.call("PATCH", "/api/v1/admin/center", {"invitations": before["invitations"]}))


def test_the_monitor_shows_a_new_waiting_visitor_and_its_alert_as_they_happen(center, people, browser_context):
    group = people.group()
    _, username = supervisor(people)
    page = browser_context().new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, username)
    expect(page.get_by_role("heading", name="Live monitor")).to_be_visible()
    conversations = page.locator('.kpi[data-figure="conversations"] .kpi-value')
    expect(conversations).not_to_have_text("—")
    before = int(conversations.inner_text().replace(",", ""))
    visitor = people.visitor("Wendy")
    people.request_chat(visitor, group, answer="queued")  # nobody in the group: it waits
    # Pushed, not polled: the figures follow within the 2 s the monitor promises.
    waiting = page.locator(f'tr[data-group="{group}"] td[data-figure="waiting_now"]')
    expect(waiting).to_have_text("1", timeout=2000)
    expect(conversations).to_have_text(str(before + 1), timeout=2000)
    expect(page.locator(".heat-cell[aria-label]").first).to_be_attached()
    screenshot(page, "console-monitor-en")
    people.leave(visitor)
    expect(waiting).to_have_text("0", timeout=2000)
    problems.assert_none()


def test_departments_are_a_tree_and_a_supervisor_sees_only_their_own(center, people, browser_context):
    page = browser_context().new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, "admin", ADMIN_PASSWORD)
    page.get_by_role("link", name="Departments").click()
    names = {"sales": unique("Sales <i>"), "east": unique("East"), "care": unique("Care")}
    for key, parent in (("sales", None), ("east", "sales"), ("care", None)):
        page.get_by_role("button", name="New department").click()
        form = page.get_by_role("form", name="Department")
        form.get_by_label("Name").fill(names[key])
        if parent:
            form.get_by_label("Under").select_option(label=names[parent])
        form.get_by_role("button", name="Save").click()
        expect(page.locator(f'tr[data-department="{names[key]}"]')).to_be_visible()
    tree = {d["name"]: d for d in people.bg.run(people.admin.call("GET", "/api/v1/admin/departments"))["departments"]}
    assert tree[names["east"]]["parent_id"] == tree[names["sales"]]["id"]
    screenshot(page, "console-departments-en")

    # A supervisor of Sales sees East's conversation (inside Sales), never Care's.
    groups = {key: people.bg.run(people.admin.create_group(unique("g"), department_id=tree[names[key]]["id"]))["name"]
              for key in ("east", "care")}
    served = {}
    for key in ("east", "care"):
        agent_id, socket = people.bg.run(staff_member(people.admin, {groups[key]: 1}, 3,
                                                      department_id=tree[names[key]]["id"]))
        visitor = people.visitor()
        people.request_chat(visitor, groups[key])
        served[key] = visitor.conversation_id
    username = unique("sv")
    people.bg.run(people.admin.create_agent(username, {}, 3, role="supervisor",
                                            department_id=tree[names["sales"]]["id"]))
    watcher = browser_context().new_page()
    watcher_problems = PageProblems(watcher)
    sign_in(watcher, center.url, username)
    expect(watcher.get_by_role("note")).to_contain_text("You see your departments'")
    # The monitor by department: Sales counts East's chat (a row holds its sub-departments).
    by_department = watcher.get_by_role("region", name="By department")
    sales_row = by_department.locator(f'tr[data-department="{tree[names["sales"]]["id"]}"]')
    east_row = by_department.locator(f'tr[data-department="{tree[names["east"]]["id"]}"]')
    expect(east_row.locator('td[data-figure="conversations"]')).to_have_text("1", timeout=5000)
    expect(sales_row.locator('td[data-figure="conversations"]')).to_have_text("1")
    expect(sales_row.locator("td").first).to_have_text(names["sales"])  # the name as text
    expect(by_department.get_by_text(names["care"])).to_have_count(0)
    by_department.scroll_into_view_if_needed()
    screenshot(watcher, "console-monitor-departments-en")
    # The report by department, picked from the supervisor's own tree (Care is not in it).
    watcher.get_by_role("link", name="Reports").click()
    filters = watcher.get_by_role("form", name="Report filters")
    department = filters.get_by_role("combobox", name="Department")
    expect(department.locator("option", has_text=names["care"])).to_have_count(0)
    department.select_option(str(tree[names["east"]]["id"]))
    filters.get_by_role("button", name="Show").click()
    expect(watcher.get_by_role("table", name="Conversations").locator('td[data-column="conversations"]').first
           ).to_have_text("1")
    watcher.get_by_role("link", name="Chat records").click()
    expect(watcher.locator(f'tr[data-conversation="{served["east"]}"]')).to_be_visible()
    expect(watcher.locator(f'tr[data-conversation="{served["care"]}"]')).to_have_count(0)
    watcher.goto(f'{center.url}/console#/records/{served["care"]}')
    expect(watcher.get_by_role("alert")).to_contain_text("Not found")
    problems.assert_none()
    watcher_problems.assert_none(allowed=((404, f'/api/v1/conversations/{served["care"]}'),
                                          (404, f'/api/v1/conversations/{served["care"]}/messages')))


def test_a_sensitive_word_set_in_the_console_raises_an_alert_in_the_monitor(center, people, browser_context):
    group = people.group()
    _, agent_socket = people.bg.run(staff_member(people.admin, {group: 1}, 3))
    word = unique("退款骗局")
    page = browser_context().new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, "admin", ADMIN_PASSWORD)
    before = people.bg.run(people.admin.call("GET", "/api/v1/admin/sensitive-words"))["words"]
    try:
        page.get_by_role("link", name="Center settings").click()
        words = page.get_by_role("form", name="Sensitive words")
        words.get_by_label("One per line").fill("\n".join([*before, word]))
        words.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_have_text("Saved")
        targets = page.get_by_role("form", name="Service targets and alerts")
        expect(targets.get_by_label("Service level: answered within (s)")).to_have_value(re.compile(r"^\d+(\.\d+)?$"))
        assert word in people.bg.run(people.admin.call("GET", "/api/v1/admin/sensitive-words"))["words"]

        page.get_by_role("link", name="Live monitor").click()
        visitor = people.visitor()
        people.request_chat(visitor, group)
        people.say(visitor, f"this looks like a {word.upper()} to me")
        alert = page.locator('.alert[data-alert="sensitive_word"]', has_text=word)
        expect(alert).to_be_visible(timeout=5000)
        alert.get_by_role("button", name="Watch").click()
        expect(page.get_by_role("log", name="Messages")).to_contain_text("this looks like a")
        problems.assert_none()
    finally:
        people.bg.run(people.admin.call("PUT", "/api/v1/admin/sensitive-words", {"words": before}))
        people.bg.run(agent_socket.close())


def test_the_skill_groups_report_by_hour_shows_the_groups_entries(center, people, browser_context):
    group = people.group()
    agent_id, agent_socket = people.bg.run(staff_member(people.admin, {group: 1}, 3))
    for _ in range(2):  # two visitors, both answered at once: 2 offered, 2 answered, 100 %
        visitor = people.visitor("Rita")
        people.request_chat(visitor, group)
        people.leave(visitor)
        people.next_frame(visitor, "ended")
        people.close(visitor)
    page = browser_context(locale="en-US").new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, "admin", ADMIN_PASSWORD)
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("tab", name="Skill groups").click()
    form = page.get_by_role("form", name="Report filters")
    form.get_by_role("combobox", name="Group by").select_option("hour")
    form.get_by_role("combobox", name="Skill group").select_option(group)
    form.get_by_role("button", name="Show").click()
    table = page.get_by_role("table", name="Skill groups")
    expect(table.locator("tbody tr").first.locator("td").first).to_contain_text(group)
    rows = table.locator("tbody tr")
    offered = sum(int(rows.nth(i).locator('td[data-column="offered"]').inner_text()) for i in range(rows.count()))
    answered = sum(int(rows.nth(i).locator('td[data-column="answered"]').inner_text()) for i in range(rows.count()))
    assert (offered, answered) == (2, 2)
    expect(rows.first.locator('td[data-column="service_level"]')).to_have_text("100%")
    screenshot(page, "console-report-skill-groups-en")
    with page.expect_download() as download:
        form.get_by_role("button", name="CSV").click()
    assert download.value.suggested_filename.startswith("kefu-skill-groups-")
    problems.assert_none()
    people.bg.run(agent_socket.close())
