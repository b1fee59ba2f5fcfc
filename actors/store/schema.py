"""The tables. The database is the source of truth (DESIGN.md decision 2).

Entities keep their working state in memory and rebuild it from these rows when
a shard restarts: an agent's open conversations are the `assigned` rows naming
it, a queue's waiting line is the `queued` rows of its group, a conversation's
next seq is one past its highest stored message.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class CenterRow(Base):
    __tablename__ = "centers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Routing settings in the shape of actors.routing.rules.parse_center_routing,
    # minus the skill groups, which have their own table.
    routing: Mapped[dict] = mapped_column(JSON, default=dict)
    # Center settings other than routing (limits, switches); None: the defaults in code.
    settings: Mapped[dict | None] = mapped_column(JSON, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DepartmentRow(Base):
    """A department (部门): a tree per center; a name is unique among its siblings."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("center_id", "parent_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    center_id: Mapped[str] = mapped_column(ForeignKey("centers.id"))
    name: Mapped[str] = mapped_column(String(200))
    # None: a top-level department. Cycles are refused by the API (actors/store/department_tree.py).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), default=None)


class SkillGroupRow(Base):
    __tablename__ = "skill_groups"
    __table_args__ = (UniqueConstraint("center_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    center_id: Mapped[str] = mapped_column(ForeignKey("centers.id"))
    name: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    queue_timeout_s: Mapped[float | None] = mapped_column(default=None)
    overflow_to: Mapped[str | None] = mapped_column(String(64), default=None)
    work_hours: Mapped[dict | None] = mapped_column(JSON, default=None)
    # The department whose supervisors see this group's unserved conversations.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), default=None)
    # Its FAQ bot (actors/bot/settings.py, BotSettings.to_json()); None: no bot.
    bot: Mapped[dict | None] = mapped_column(JSON, default=None)


class AgentRow(Base):
    __tablename__ = "agents"
    __table_args__ = (UniqueConstraint("center_id", "username"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    center_id: Mapped[str] = mapped_column(ForeignKey("centers.id"))
    username: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # admin | supervisor | agent
    max_concurrent: Mapped[int] = mapped_column(Integer)
    # Chosen presence (online/away/offline); whether a socket is open is not stored.
    status: Mapped[str] = mapped_column(String(16), default="offline")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # Bumped when the password changes or the account is disabled: older tokens stop working.
    token_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Bumped each time the agent's entity is built: a slot granted by an earlier
    # incarnation is recorded only if none has been built since (agent/reservations.py).
    incarnation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # At most one department per account; it bounds a supervisor's view (department_scope.py).
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), default=None)


class AgentSkillRow(Base):
    __tablename__ = "agent_skills"

    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id"), primary_key=True)
    skill_group_id: Mapped[int] = mapped_column(ForeignKey("skill_groups.id"), primary_key=True)
    level: Mapped[int] = mapped_column(Integer, default=1)


class VisitorRow(Base):
    __tablename__ = "visitors"
    __table_args__ = (UniqueConstraint("center_id", "external_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    center_id: Mapped[str] = mapped_column(ForeignKey("centers.id"))
    # Set only for identities signed by the site (PROTOCOL.md "Visitor identity").
    external_id: Mapped[str | None] = mapped_column(String(200), default=None)
    name: Mapped[str] = mapped_column(String(200), default="")
    level: Mapped[int] = mapped_column(Integer, default=0)
    region: Mapped[str | None] = mapped_column(String(32), default=None)
    channel: Mapped[str] = mapped_column(String(16), default="web")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Returning visitors (actors/store/tracking.py): the hash of the key the widget keeps
    # in its first-party cookie, and visits (a new one after 30 min without activity).
    key_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    visits: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # Where they are (serve/region.py; `region` above is the code routing rules match)
    # and what they browse with (serve/device.py), as of their latest visit.
    country: Mapped[str | None] = mapped_column(String(8), default=None)
    province: Mapped[str | None] = mapped_column(String(32), default=None)
    city: Mapped[str | None] = mapped_column(String(64), default=None)
    device_type: Mapped[str | None] = mapped_column(String(16), default=None)
    os: Mapped[str | None] = mapped_column(String(64), default=None)
    browser: Mapped[str | None] = mapped_column(String(64), default=None)
    # The latest visit's landing page and source (actors/tracking/source.py);
    # `landing_visit` is the visit they belong to.
    landing_url: Mapped[str | None] = mapped_column(String(2000), default=None)
    referrer: Mapped[str | None] = mapped_column(String(2000), default=None)
    source_engine: Mapped[str | None] = mapped_column(String(64), default=None)
    source_keyword: Mapped[str | None] = mapped_column(String(200), default=None)
    source_host: Mapped[str | None] = mapped_column(String(255), default=None)
    utm: Mapped[dict | None] = mapped_column(JSON, default=None)
    landing_visit: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # How to reach them (a phone number, an address), as they gave it with a left message.
    contact: Mapped[str | None] = mapped_column(String(200), default=None)


class PageViewRow(Base):
    """One page a visitor was shown; `dwell_s` is set by their next page view or when
    the socket that reported it closes (None while they are still on it)."""

    __tablename__ = "page_views"
    __table_args__ = (Index("ix_page_views_visitor", "visitor_id", "at"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    center_id: Mapped[str] = mapped_column(String(64))
    visitor_id: Mapped[str] = mapped_column(ForeignKey("visitors.id"))
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(300))
    referrer: Mapped[str | None] = mapped_column(String(2000), default=None)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    dwell_s: Mapped[float | None] = mapped_column(Float, default=None)


class ConversationRow(Base):
    __tablename__ = "conversations"
    __table_args__ = (
        Index("ix_conversations_queue", "center_id", "status", "skill_group"),
        Index("ix_conversations_agent", "agent_id", "status"),
        Index("ix_conversations_visitor", "visitor_id", "requested_at"),
        Index("ix_conversations_left_pool", "center_id", "left_state", "left_submitted_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    center_id: Mapped[str] = mapped_column(ForeignKey("centers.id"))
    visitor_id: Mapped[str] = mapped_column(ForeignKey("visitors.id"))
    channel: Mapped[str] = mapped_column(String(16), default="web")
    status: Mapped[str] = mapped_column(String(16))  # see actors.lifecycle.ConversationStatus
    skill_group: Mapped[str | None] = mapped_column(String(64), default=None)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    preferred_agent_id: Mapped[str | None] = mapped_column(String(40), default=None)
    agent_id: Mapped[str | None] = mapped_column(String(40), default=None)
    # Epoch seconds, the waiting line's order key; kept across overflow so a
    # conversation moved to another group does not lose its place in time.
    enqueued_at: Mapped[float | None] = mapped_column(default=None)
    queue_deadline: Mapped[float | None] = mapped_column(default=None)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    ended_by: Mapped[str | None] = mapped_column(String(16), default=None)
    end_reason: Mapped[str | None] = mapped_column(String(40), default=None)
    # The visitor's rating (满意度), once per conversation (ConversationRated in the log).
    rating_score: Mapped[int | None] = mapped_column(Integer, default=None)
    rating_comment: Mapped[str | None] = mapped_column(Text, default=None)
    rated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # A left message's name and contact as the visitor gave them with it (the visitor's
    # row keeps the latest; these keep what this message said).
    left_name: Mapped[str | None] = mapped_column(String(200), default=None)
    left_contact: Mapped[str | None] = mapped_column(String(200), default=None)
    # Its place in the pool of left messages (留言记录, actors/conversation/left_pool.py):
    # None until the visitor sent it, then new | in_progress | replied | closed.
    left_state: Mapped[str | None] = mapped_column(String(16), default=None)
    left_assignee_id: Mapped[str | None] = mapped_column(String(40), default=None)
    left_submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    left_replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)  # the first reply
    left_reply_via: Mapped[str | None] = mapped_column(String(8), default=None)  # widget | email, the last reply's
    left_reply_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    left_closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class MessageRow(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("conversation_id", "seq"),
        # A resent client_msg_id finds the stored message instead of a second copy.
        UniqueConstraint("conversation_id", "client_msg_id"),
    )

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    seq: Mapped[int] = mapped_column(Integer)
    sender_kind: Mapped[str] = mapped_column(String(8))  # visitor | agent | system
    sender_id: Mapped[str] = mapped_column(String(200))  # a linked center's: <peer>:<agent id>
    body: Mapped[str] = mapped_column(Text)
    client_msg_id: Mapped[str | None] = mapped_column(String(100), default=None)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # public | internal (actors.participants.Visibility): internal ones never reach a visitor.
    visibility: Mapped[str] = mapped_column(String(8), default="public", server_default="public")
    # The attachments it carries, as objects (actors/store/attachments.py: Attachment.to_stored);
    # None: none. Kept on the row so every rendering of a message needs no join.
    attachments: Mapped[list | None] = mapped_column(JSON, default=None)
    # A bot message's extras (article_id, choices, handoff_offered, leave_message_offered:
    # actors/store/messages.py BotExtras); None on every other message.
    bot: Mapped[dict | None] = mapped_column(JSON, default=None)


class AttachmentRow(Base):
    """An uploaded file (serve/media/): its bytes are in the blob store under `blob_key`."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_conversation", "conversation_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    center_id: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    uploader_kind: Mapped[str] = mapped_column(String(16))  # visitor | agent
    uploader_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))  # as sniffed, never as claimed
    size: Mapped[int] = mapped_column(BigInteger)
    blob_key: Mapped[str] = mapped_column(String(200))
    thumbnail_key: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The message that carries it; None: not sent yet (one message per attachment).
    message_seq: Mapped[int | None] = mapped_column(Integer, default=None)


class ParticipantRow(Base):
    """Who besides the visitor and the owner (conversations.agent_id) takes part."""

    __tablename__ = "conversation_participants"
    __table_args__ = (Index("ix_participants_open", "participant_id", "left_at"),)

    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), primary_key=True)
    participant_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # actors.participants.PartyKind
    role: Mapped[str] = mapped_column(String(16))  # actors.participants.ParticipantRole
    mode: Mapped[str | None] = mapped_column(String(16), default=None)  # supervisors
    # A collaborator holding one of their slots (center setting collaborators_take_slot).
    holds_slot: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # One row per stint: an agent who leaves and is invited again gets a new row.
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    left_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class EventRow(Base):
    """The durable event log: append-only, written in the same commit as the change
    that caused each event (actors/store/event_log.py); reports are queries over it."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_center_at", "center_id", "at"),
        Index("ix_events_center_type_at", "center_id", "type", "at"),
        Index("ix_events_conversation", "conversation_id", "id"),
        Index("ix_events_agent_at", "agent_id", "at"),
    )

    # Increasing in insertion order: the log's sequence (per center too, with gaps).
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    center_id: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    conversation_id: Mapped[str | None] = mapped_column(String(40), default=None)
    agent_id: Mapped[str | None] = mapped_column(String(40), default=None)
    skill_group: Mapped[str | None] = mapped_column(String(64), default=None)
    visitor_id: Mapped[str | None] = mapped_column(String(40), default=None)
    data: Mapped[dict] = mapped_column(JSON)


class CannedReplyRow(Base):
    """A canned reply (常用语): an agent's own (owner set) or the center's public one."""

    __tablename__ = "canned_replies"
    __table_args__ = (Index("ix_canned_replies_center_owner", "center_id", "owner_agent_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    center_id: Mapped[str] = mapped_column(ForeignKey("centers.id"))
    owner_agent_id: Mapped[str | None] = mapped_column(String(40), default=None)  # None: public
    category: Mapped[str] = mapped_column(String(64), default="")
    title: Mapped[str] = mapped_column(String(100), default="")
    body: Mapped[str] = mapped_column(String(5000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StaffMessageRow(Base):
    """A message between two staff members (内部对话, actors/staff_chat/): `thread` names
    the pair (actors.staff_chat.protocol.thread_key), `seq` counts from 1 within it."""

    __tablename__ = "staff_messages"
    __table_args__ = (
        UniqueConstraint("thread", "sender_id", "client_msg_id"),
        Index("ix_staff_messages_recipient", "recipient_id", "thread", "seq"),
        Index("ix_staff_messages_sender", "sender_id", "thread"),
    )

    thread: Mapped[str] = mapped_column(String(200), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    center_id: Mapped[str] = mapped_column(String(64))
    sender_id: Mapped[str] = mapped_column(String(40))
    recipient_id: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    client_msg_id: Mapped[str | None] = mapped_column(String(100), default=None)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StaffReadRow(Base):
    """How far one member of a staff pair has read (their unread count is what follows)."""

    __tablename__ = "staff_reads"

    thread: Mapped[str] = mapped_column(String(200), primary_key=True)
    agent_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    read_seq: Mapped[int] = mapped_column(Integer, default=0)


class ForwardRow(Base):
    """A conversation that crossed a link (actors/store/forwards.py): `out` on the center
    the visitor came to, `in` on the one serving it."""

    __tablename__ = "forwards"
    __table_args__ = (
        UniqueConstraint("peer", "direction", "offer_id"),
        Index("ix_forwards_open", "state", "peer"),
        Index("ix_forwards_conversation", "conversation_id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    direction: Mapped[str] = mapped_column(String(3), primary_key=True)  # out | in
    peer: Mapped[str] = mapped_column(String(64))
    conversation_id: Mapped[str] = mapped_column(String(40))
    visitor_id: Mapped[str] = mapped_column(String(40))
    business: Mapped[str] = mapped_column(String(64))
    offer_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # open | closed
    disposition: Mapped[str | None] = mapped_column(String(32), default=None)
    # The highest of the peer's messages we stored (our Hello tells it after a reconnect).
    received_seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class LinkSwitchRow(Base):
    """An admin's isolate switch for a link (federation/peer.py, Peer.isolate): kept across
    restarts of the link actor and the center."""

    __tablename__ = "link_switches"

    peer: Mapped[str] = mapped_column(String(64), primary_key=True)
    isolated: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_by: Mapped[str | None] = mapped_column(String(40), default=None)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IndexCursorRow(Base):
    """How far a background indexer has read a table (actors/indexer/tailer.py): every
    row with an id up to `position` is indexed, so a restarted indexer resumes there."""

    __tablename__ = "index_cursors"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)  # "message_search"
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
