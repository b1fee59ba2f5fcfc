"""What the knowledge base's browser tests share: articles made and moved through their
workflow over the REST API (README "Knowledge base"), as a console user would."""

from __future__ import annotations

from tests.integration.browser.desk_support import Center
from tests.integration.protocol_client import unique


def category(people: Center, name: str = "", name_zh: str = "") -> dict:
    body = {"name": name or unique("cat"), **({"name_zh": name_zh} if name_zh else {})}
    return people.bg.run(people.admin.call("POST", "/api/v1/knowledge/categories", body, expect=201))


def article(people: Center, category_id: str, title: str, body_html: str, *, visibility: str = "public",
            keywords: tuple[str, ...] = (), questions: tuple[str, ...] = (), publish: bool = True) -> dict:
    made = people.bg.run(people.admin.call("POST", "/api/v1/knowledge/articles", {
        "category_id": category_id, "title": title, "body_html": body_html, "visibility": visibility,
        "keywords": list(keywords), "questions": list(questions)}, expect=201))
    if publish:
        people.bg.run(people.admin.call("POST", f"/api/v1/knowledge/articles/{made['id']}/submit", {}))
        made = people.bg.run(people.admin.call("POST", f"/api/v1/knowledge/articles/{made['id']}/approve", {}))
    return made
