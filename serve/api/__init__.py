"""The REST edge, one router per resource (DESIGN.md decision 12).

PROTOCOL.md's version-1 paths and shapes are kept exactly; the rest are
documented in the OpenAPI document (`/openapi.json`, `/docs`).
"""

from __future__ import annotations

from fastapi import APIRouter

from serve.api import (agents, answer_provider, attachments, browsing, canned_replies, center_settings,
                       conversations,
                       customer_reports, departments, directory, events, health, knowledge, knowledge_categories,
                       knowledge_promote, knowledge_search, left_message_reports,
                       left_messages, links, login, monitor, reports,
                       routing_rules,
                       skill_groups, staff_chat, visitors, widget, work_hours)

router = APIRouter()
# browsing before visitors: /api/v1/visitors/online is not a visitor id.
for resource in (health, login, agents, departments, skill_groups, work_hours, routing_rules,
                 center_settings, browsing, visitors, conversations, attachments, events, widget, canned_replies,
                 directory, staff_chat, links, reports, customer_reports, left_message_reports, monitor,
                 left_messages, knowledge_promote, knowledge, knowledge_categories, knowledge_search,
                 answer_provider):
    router.include_router(resource.router)
