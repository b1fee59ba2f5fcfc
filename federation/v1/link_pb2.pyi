from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Reason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    REASON_UNSPECIFIED: _ClassVar[Reason]
    OWNERSHIP: _ClassVar[Reason]
    BUSINESS_TYPE: _ClassVar[Reason]
    OVERFLOW: _ClassVar[Reason]
    OUT_OF_HOURS: _ClassVar[Reason]
REASON_UNSPECIFIED: Reason
OWNERSHIP: Reason
BUSINESS_TYPE: Reason
OVERFLOW: Reason
OUT_OF_HOURS: Reason

class Batch(_message.Message):
    __slots__ = ("frames",)
    FRAMES_FIELD_NUMBER: _ClassVar[int]
    frames: _containers.RepeatedCompositeFieldContainer[Frame]
    def __init__(self, frames: _Optional[_Iterable[_Union[Frame, _Mapping]]] = ...) -> None: ...

class Frame(_message.Message):
    __slots__ = ("hello", "heartbeat", "advert", "offer", "answer", "message", "ack", "pull", "typing", "take_back", "close", "isolate", "refusal", "state", "chunk")
    HELLO_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    ADVERT_FIELD_NUMBER: _ClassVar[int]
    OFFER_FIELD_NUMBER: _ClassVar[int]
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    ACK_FIELD_NUMBER: _ClassVar[int]
    PULL_FIELD_NUMBER: _ClassVar[int]
    TYPING_FIELD_NUMBER: _ClassVar[int]
    TAKE_BACK_FIELD_NUMBER: _ClassVar[int]
    CLOSE_FIELD_NUMBER: _ClassVar[int]
    ISOLATE_FIELD_NUMBER: _ClassVar[int]
    REFUSAL_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    hello: Hello
    heartbeat: Heartbeat
    advert: Advert
    offer: Offer
    answer: OfferAnswer
    message: ChatMessage
    ack: Ack
    pull: GapPull
    typing: Typing
    take_back: TakeBack
    close: Close
    isolate: Isolate
    refusal: Refusal
    state: ForwardState
    chunk: AttachmentChunk
    def __init__(self, hello: _Optional[_Union[Hello, _Mapping]] = ..., heartbeat: _Optional[_Union[Heartbeat, _Mapping]] = ..., advert: _Optional[_Union[Advert, _Mapping]] = ..., offer: _Optional[_Union[Offer, _Mapping]] = ..., answer: _Optional[_Union[OfferAnswer, _Mapping]] = ..., message: _Optional[_Union[ChatMessage, _Mapping]] = ..., ack: _Optional[_Union[Ack, _Mapping]] = ..., pull: _Optional[_Union[GapPull, _Mapping]] = ..., typing: _Optional[_Union[Typing, _Mapping]] = ..., take_back: _Optional[_Union[TakeBack, _Mapping]] = ..., close: _Optional[_Union[Close, _Mapping]] = ..., isolate: _Optional[_Union[Isolate, _Mapping]] = ..., refusal: _Optional[_Union[Refusal, _Mapping]] = ..., state: _Optional[_Union[ForwardState, _Mapping]] = ..., chunk: _Optional[_Union[AttachmentChunk, _Mapping]] = ...) -> None: ...

class Hello(_message.Message):
    __slots__ = ("center_id", "protocol_version", "capabilities", "link_epoch", "received")
    CENTER_ID_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_VERSION_FIELD_NUMBER: _ClassVar[int]
    CAPABILITIES_FIELD_NUMBER: _ClassVar[int]
    LINK_EPOCH_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_FIELD_NUMBER: _ClassVar[int]
    center_id: str
    protocol_version: int
    capabilities: _containers.RepeatedScalarFieldContainer[str]
    link_epoch: int
    received: _containers.RepeatedCompositeFieldContainer[Received]
    def __init__(self, center_id: _Optional[str] = ..., protocol_version: _Optional[int] = ..., capabilities: _Optional[_Iterable[str]] = ..., link_epoch: _Optional[int] = ..., received: _Optional[_Iterable[_Union[Received, _Mapping]]] = ...) -> None: ...

class Received(_message.Message):
    __slots__ = ("forward_id", "last_seq")
    FORWARD_ID_FIELD_NUMBER: _ClassVar[int]
    LAST_SEQ_FIELD_NUMBER: _ClassVar[int]
    forward_id: str
    last_seq: int
    def __init__(self, forward_id: _Optional[str] = ..., last_seq: _Optional[int] = ...) -> None: ...

class Heartbeat(_message.Message):
    __slots__ = ("sent_at_ms", "echo_ms")
    SENT_AT_MS_FIELD_NUMBER: _ClassVar[int]
    ECHO_MS_FIELD_NUMBER: _ClassVar[int]
    sent_at_ms: int
    echo_ms: int
    def __init__(self, sent_at_ms: _Optional[int] = ..., echo_ms: _Optional[int] = ...) -> None: ...

class Advert(_message.Message):
    __slots__ = ("business", "expected_wait_s", "agents_available", "agents_staffed", "queue_length", "open_now", "next_opening_ms", "sequence", "ttl_ms")
    BUSINESS_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_WAIT_S_FIELD_NUMBER: _ClassVar[int]
    AGENTS_AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    AGENTS_STAFFED_FIELD_NUMBER: _ClassVar[int]
    QUEUE_LENGTH_FIELD_NUMBER: _ClassVar[int]
    OPEN_NOW_FIELD_NUMBER: _ClassVar[int]
    NEXT_OPENING_MS_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TTL_MS_FIELD_NUMBER: _ClassVar[int]
    business: str
    expected_wait_s: float
    agents_available: int
    agents_staffed: int
    queue_length: int
    open_now: bool
    next_opening_ms: int
    sequence: int
    ttl_ms: int
    def __init__(self, business: _Optional[str] = ..., expected_wait_s: _Optional[float] = ..., agents_available: _Optional[int] = ..., agents_staffed: _Optional[int] = ..., queue_length: _Optional[int] = ..., open_now: _Optional[bool] = ..., next_opening_ms: _Optional[int] = ..., sequence: _Optional[int] = ..., ttl_ms: _Optional[int] = ...) -> None: ...

class Visitor(_message.Message):
    __slots__ = ("id", "name", "channel", "region", "level")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    channel: str
    region: str
    level: int
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., channel: _Optional[str] = ..., region: _Optional[str] = ..., level: _Optional[int] = ...) -> None: ...

class Offer(_message.Message):
    __slots__ = ("offer_id", "business", "reason", "hops", "deadline_ms", "visitor", "forward_id", "ownership_epoch", "history")
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    BUSINESS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    HOPS_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_MS_FIELD_NUMBER: _ClassVar[int]
    VISITOR_FIELD_NUMBER: _ClassVar[int]
    FORWARD_ID_FIELD_NUMBER: _ClassVar[int]
    OWNERSHIP_EPOCH_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    offer_id: str
    business: str
    reason: Reason
    hops: _containers.RepeatedScalarFieldContainer[str]
    deadline_ms: int
    visitor: Visitor
    forward_id: str
    ownership_epoch: int
    history: _containers.RepeatedCompositeFieldContainer[ChatMessage]
    def __init__(self, offer_id: _Optional[str] = ..., business: _Optional[str] = ..., reason: _Optional[_Union[Reason, str]] = ..., hops: _Optional[_Iterable[str]] = ..., deadline_ms: _Optional[int] = ..., visitor: _Optional[_Union[Visitor, _Mapping]] = ..., forward_id: _Optional[str] = ..., ownership_epoch: _Optional[int] = ..., history: _Optional[_Iterable[_Union[ChatMessage, _Mapping]]] = ...) -> None: ...

class OfferAnswer(_message.Message):
    __slots__ = ("offer_id", "accepted", "declined")
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    DECLINED_FIELD_NUMBER: _ClassVar[int]
    offer_id: str
    accepted: Accepted
    declined: Declined
    def __init__(self, offer_id: _Optional[str] = ..., accepted: _Optional[_Union[Accepted, _Mapping]] = ..., declined: _Optional[_Union[Declined, _Mapping]] = ...) -> None: ...

class Accepted(_message.Message):
    __slots__ = ("position", "expected_wait_s")
    POSITION_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_WAIT_S_FIELD_NUMBER: _ClassVar[int]
    position: int
    expected_wait_s: float
    def __init__(self, position: _Optional[int] = ..., expected_wait_s: _Optional[float] = ...) -> None: ...

class Declined(_message.Message):
    __slots__ = ("reason", "retry_after_ms")
    REASON_FIELD_NUMBER: _ClassVar[int]
    RETRY_AFTER_MS_FIELD_NUMBER: _ClassVar[int]
    reason: str
    retry_after_ms: int
    def __init__(self, reason: _Optional[str] = ..., retry_after_ms: _Optional[int] = ...) -> None: ...

class Sender(_message.Message):
    __slots__ = ("kind", "id", "display_name")
    KIND_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    kind: str
    id: str
    display_name: str
    def __init__(self, kind: _Optional[str] = ..., id: _Optional[str] = ..., display_name: _Optional[str] = ...) -> None: ...

class ChatMessage(_message.Message):
    __slots__ = ("forward_id", "seq", "message_id", "sender", "body", "ts_ms", "internal", "attachments")
    FORWARD_ID_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_ID_FIELD_NUMBER: _ClassVar[int]
    SENDER_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    TS_MS_FIELD_NUMBER: _ClassVar[int]
    INTERNAL_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    forward_id: str
    seq: int
    message_id: str
    sender: Sender
    body: str
    ts_ms: int
    internal: bool
    attachments: _containers.RepeatedCompositeFieldContainer[AttachmentRef]
    def __init__(self, forward_id: _Optional[str] = ..., seq: _Optional[int] = ..., message_id: _Optional[str] = ..., sender: _Optional[_Union[Sender, _Mapping]] = ..., body: _Optional[str] = ..., ts_ms: _Optional[int] = ..., internal: _Optional[bool] = ..., attachments: _Optional[_Iterable[_Union[AttachmentRef, _Mapping]]] = ...) -> None: ...

class AttachmentRef(_message.Message):
    __slots__ = ("id", "name", "content_type", "size")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    content_type: str
    size: int
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., content_type: _Optional[str] = ..., size: _Optional[int] = ...) -> None: ...

class AttachmentChunk(_message.Message):
    __slots__ = ("forward_id", "attachment_id", "offset", "data")
    FORWARD_ID_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENT_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    forward_id: str
    attachment_id: str
    offset: int
    data: bytes
    def __init__(self, forward_id: _Optional[str] = ..., attachment_id: _Optional[str] = ..., offset: _Optional[int] = ..., data: _Optional[bytes] = ...) -> None: ...

class ForwardState(_message.Message):
    __slots__ = ("forward_id", "queued", "assigned")
    FORWARD_ID_FIELD_NUMBER: _ClassVar[int]
    QUEUED_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_FIELD_NUMBER: _ClassVar[int]
    forward_id: str
    queued: Queued
    assigned: Sender
    def __init__(self, forward_id: _Optional[str] = ..., queued: _Optional[_Union[Queued, _Mapping]] = ..., assigned: _Optional[_Union[Sender, _Mapping]] = ...) -> None: ...

class Queued(_message.Message):
    __slots__ = ("position", "expected_wait_s")
    POSITION_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_WAIT_S_FIELD_NUMBER: _ClassVar[int]
    position: int
    expected_wait_s: float
    def __init__(self, position: _Optional[int] = ..., expected_wait_s: _Optional[float] = ...) -> None: ...

class Ack(_message.Message):
    __slots__ = ("forward_id", "up_to_seq")
    FORWARD_ID_FIELD_NUMBER: _ClassVar[int]
    UP_TO_SEQ_FIELD_NUMBER: _ClassVar[int]
    forward_id: str
    up_to_seq: int
    def __init__(self, forward_id: _Optional[str] = ..., up_to_seq: _Optional[int] = ...) -> None: ...

class GapPull(_message.Message):
    __slots__ = ("forward_id", "after_seq")
    FORWARD_ID_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQ_FIELD_NUMBER: _ClassVar[int]
    forward_id: str
    after_seq: int
    def __init__(self, forward_id: _Optional[str] = ..., after_seq: _Optional[int] = ...) -> None: ...

class Typing(_message.Message):
    __slots__ = ("forward_id", "text", "sender")
    FORWARD_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    SENDER_FIELD_NUMBER: _ClassVar[int]
    forward_id: str
    text: str
    sender: Sender
    def __init__(self, forward_id: _Optional[str] = ..., text: _Optional[str] = ..., sender: _Optional[_Union[Sender, _Mapping]] = ...) -> None: ...

class TakeBack(_message.Message):
    __slots__ = ("forward_id", "reason", "ownership_epoch")
    FORWARD_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OWNERSHIP_EPOCH_FIELD_NUMBER: _ClassVar[int]
    forward_id: str
    reason: str
    ownership_epoch: int
    def __init__(self, forward_id: _Optional[str] = ..., reason: _Optional[str] = ..., ownership_epoch: _Optional[int] = ...) -> None: ...

class Close(_message.Message):
    __slots__ = ("forward_id", "disposition", "by")
    FORWARD_ID_FIELD_NUMBER: _ClassVar[int]
    DISPOSITION_FIELD_NUMBER: _ClassVar[int]
    BY_FIELD_NUMBER: _ClassVar[int]
    forward_id: str
    disposition: str
    by: str
    def __init__(self, forward_id: _Optional[str] = ..., disposition: _Optional[str] = ..., by: _Optional[str] = ...) -> None: ...

class Isolate(_message.Message):
    __slots__ = ("isolated",)
    ISOLATED_FIELD_NUMBER: _ClassVar[int]
    isolated: bool
    def __init__(self, isolated: _Optional[bool] = ...) -> None: ...

class Refusal(_message.Message):
    __slots__ = ("code", "message", "forward_id", "offer_id")
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    FORWARD_ID_FIELD_NUMBER: _ClassVar[int]
    OFFER_ID_FIELD_NUMBER: _ClassVar[int]
    code: str
    message: str
    forward_id: str
    offer_id: str
    def __init__(self, code: _Optional[str] = ..., message: _Optional[str] = ..., forward_id: _Optional[str] = ..., offer_id: _Optional[str] = ...) -> None: ...
