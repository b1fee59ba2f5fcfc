"""Who may do what in the knowledge base, checked on the server on every call, and the
checks of what an article refers to (its category, its attachments) and of its body."""

from __future__ import annotations

from actors.knowledge.rich_text import UnsafeHtml, sanitize
from actors.knowledge.workflow import AUTHOR_ROLES, REVIEW_ROLES
from actors.store import knowledge_articles as articles
from actors.store import knowledge_categories as categories
from actors.store.attachments import attachments_by_id
from actors.store.knowledge_schema import KnowledgeArticleRow
from serve.api.access import require_role
from serve.auth import Principal
from serve.errors import ApiError
from serve.runtime import GatewayRuntime


def staff_reader(who: Principal) -> None:
    require_role(who, *AUTHOR_ROLES)


def author(who: Principal) -> None:
    require_role(who, *AUTHOR_ROLES)


def reviewer(who: Principal) -> None:
    require_role(who, *REVIEW_ROLES)


def admin(who: Principal) -> None:
    require_role(who, "admin")


async def article_of(rt: GatewayRuntime, article_id: str) -> KnowledgeArticleRow:
    row = await articles.get_article(rt.db, rt.center_id, article_id)
    if row is None:
        raise ApiError(404, "not_found", f"no knowledge article {article_id}")
    return row


async def known_category(rt: GatewayRuntime, category_id: int) -> None:
    if await categories.get_category(rt.db, rt.center_id, category_id) is None:
        raise ApiError(422, "unknown_category", f"no knowledge category {category_id}")


async def known_attachments(rt: GatewayRuntime, ids: list[str]) -> list[str]:
    unique = list(dict.fromkeys(ids))
    found = await attachments_by_id(rt.db, unique)
    missing = [i for i in unique if i not in found or found[i].center_id != rt.center_id]
    if missing:
        raise ApiError(422, "unknown_attachment", f"no uploaded attachment {', '.join(missing)}")
    return unique


def clean_body(body_html: str) -> str:
    try:
        return sanitize(body_html)
    except UnsafeHtml as error:
        raise ApiError(422, "unsafe_html", str(error)) from None


def tags(values: list[str]) -> list[str]:
    """Without repeats, in the order given."""
    return list(dict.fromkeys(v for v in values if v))
