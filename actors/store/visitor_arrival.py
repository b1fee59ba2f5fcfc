"""What a visitor's socket tells the widget on arrival, read for many visitors at once.

Each visitor socket, once open, sends the visitor's open conversations (the
`welcome` frame) and the replies to their left messages the widget has not shown
yet. Read as two ORM queries a socket they cost the gateway ~2.3 ms of CPU, and
2,000 visitors arriving together (a campaign's landing page) waited seconds
behind them; batched (actors/store/batched_reads.py), sockets opening at about
the same time share one query without ORM objects.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from actors.store.conversations import OPEN_STATUSES
from actors.store.left_messages import REPLY_UNSEEN
from actors.store.schema import ConversationRow

_CONVERSATIONS = ConversationRow.__table__
_ARRIVALS = (
    select(_CONVERSATIONS.c.visitor_id, _CONVERSATIONS.c.id, _CONVERSATIONS.c.status, REPLY_UNSEEN)
    .where(_CONVERSATIONS.c.visitor_id.in_(bindparam("ids", expanding=True)),
           or_(_CONVERSATIONS.c.status.in_(OPEN_STATUSES), REPLY_UNSEEN))
    .order_by(_CONVERSATIONS.c.requested_at))


@dataclass(frozen=True)
class Arrival:
    open: tuple[tuple[str, str], ...] = ()  # (conversation id, status), oldest first
    replies_unseen: bool = False  # a left message was answered and the widget has not shown it


async def fetch_arrivals(conn: AsyncConnection, visitor_ids: list[str]) -> dict[str, Arrival]:
    opened: dict[str, list[tuple[str, str]]] = {}
    unseen: set[str] = set()
    for visitor_id, conversation_id, status, reply_unseen in await conn.execute(_ARRIVALS, {"ids": visitor_ids}):
        if status in OPEN_STATUSES:
            opened.setdefault(visitor_id, []).append((conversation_id, status))
        if reply_unseen:
            unseen.add(visitor_id)
    return {visitor_id: Arrival(tuple(opened.get(visitor_id, ())), visitor_id in unseen)
            for visitor_id in opened.keys() | unseen}
