"""Link frames built from a center's own values: a stored message, a forward's state."""

from __future__ import annotations

from federation.v1 import link_pb2 as pb


def chat_frame(forward_id: str, message) -> pb.Frame:
    """A stored message as it crosses (its files' bytes go before it: federation/attachments.py)."""
    return pb.Frame(message=pb.ChatMessage(
        forward_id=forward_id, seq=message.seq, message_id=message.client_msg_id or "",
        sender=pb.Sender(kind=message.sender_kind.value, id=message.sender_id), body=message.body,
        ts_ms=int(message.ts.timestamp() * 1000), attachments=[
            pb.AttachmentRef(id=a.id, name=a.name, content_type=a.content_type, size=a.size)
            for a in message.attachments]))


def state_frame(forward_id: str, position: int = 0, assigned: tuple[str, str] | None = None) -> pb.Frame:
    if assigned is not None:
        return pb.Frame(state=pb.ForwardState(forward_id=forward_id, assigned=pb.Sender(
            kind="agent", id=assigned[0], display_name=assigned[1])))
    return pb.Frame(state=pb.ForwardState(forward_id=forward_id, queued=pb.Queued(position=position)))
