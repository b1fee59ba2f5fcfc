"""The console's customers report (客户统计) in a real browser: an admin opens today's
report for a skill group of known visitors and reads the counts, where they came from,
where they are and what they wrote, then downloads it as CSV and XLSX."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
from playwright.sync_api import expect
from sqlalchemy import update

from actors.store.clock import as_utc
from actors.store.database import create_engine, sessionmaker
from actors.store.schema import ConversationRow, EventRow

from tests.integration.browser.conftest import screenshot
from tests.integration.browser.desk_support import PageProblems, people  # noqa: F401
from tests.integration.browser.test_console import sign_in
from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.test_customer_reports_api import known_visitors


async def _the_day_before(center, conversation_id: str) -> None:
    """Moves a conversation's request a day back, so its visitor is a returning one today."""
    engine = create_engine(center.settings.database_url, pool_size=1)
    try:
        async with sessionmaker(engine)() as session, session.begin():
            # Computed here: SQLite keeps timestamps as text, where `at - interval` is no time.
            row = await session.get(ConversationRow, conversation_id)
            day_before = as_utc(row.requested_at) - timedelta(days=1)
            row.requested_at = day_before
            await session.execute(update(EventRow).where(EventRow.conversation_id == conversation_id,
                                                         EventRow.type == "ConversationRequested")
                                  .values(at=day_before))
    finally:
        await engine.dispose()


def test_todays_customers_report_shows_the_known_visitors(center, people, browser_context):  # noqa: F811
    known = people.bg.run(known_visitors(center.url, people.admin), 120)
    people.bg.run(_the_day_before(center, known["earlier"]))
    page = browser_context(locale="en-US").new_page()
    problems = PageProblems(page)
    sign_in(page, center.url, "admin", ADMIN_PASSWORD)
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("tab", name="Customers").click()
    form = page.get_by_role("form", name="Report filters")
    form.get_by_role("combobox", name="Skill group").select_option(known["group"])
    form.get_by_role("button", name="Show").click()

    # Today (the whole UTC day): v1 and v3 new, v2 back (her first chat was yesterday);
    # three conversations, all answered.
    counts = page.get_by_role("table", name="Customers")
    for column, text in (("visitors", "3"), ("new_visitors", "2"), ("returning_visitors", "1"),
                         ("visitors_served", "3"), ("conversations", "3"), ("conversations_per_visitor", "1")):
        expect(counts.locator(f'td[data-column="{column}"]').first).to_have_text(text)
    kinds = page.get_by_role("table", name="Source kinds")
    expect(kinds.get_by_role("row", name="Search engine 1 33.3%")).to_be_visible()
    expect(kinds.get_by_role("row", name="Unknown (no page seen) 1 33.3%")).to_be_visible()
    expect(page.get_by_role("table", name="Search keywords").locator("tbody tr")).to_have_text(["普洱茶133.3%"])
    expect(page.get_by_role("table", name="Cities").locator("tbody tr td").first).to_have_text("浙江 杭州")
    # 退货 twice in v1's chat (v2's of yesterday is not today's).
    words = page.get_by_role("table", name="Words visitors wrote").locator("tbody tr").first
    expect(words.locator("td").first).to_have_text("退货")
    expect(words.locator('td[data-column="count"]')).to_have_text("2")
    expect(page.get_by_text("Counted in 4 of the visitors' 4 messages.")).to_be_visible()
    screenshot(page, "console-report-customers-en")
    page.get_by_role("table", name="Words visitors wrote").scroll_into_view_if_needed()
    screenshot(page, "console-report-customers-words-en")

    with page.expect_download() as csv_download:
        form.get_by_role("button", name="CSV").click()
    assert csv_download.value.suggested_filename.startswith("kefu-customers-")
    with page.expect_download() as xlsx_download:
        form.get_by_role("button", name="XLSX").click()
    with open(xlsx_download.value.path(), "rb") as saved:
        book = openpyxl.load_workbook(io.BytesIO(saved.read()), read_only=True)
    total = list(book["Customers"].iter_rows(values_only=True))[-1]
    assert total == ("Total", 3, 2, 1, 3, 3, 1.0)
    problems.assert_none()
