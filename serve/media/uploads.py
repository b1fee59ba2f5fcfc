"""What an upload must pass before it is stored: its size, its type by content, and
for an image a thumbnail that could really be made (pure, apart from the CPU work,
which the caller runs in a thread)."""

from __future__ import annotations

from dataclasses import dataclass

from serve.media.file_names import clean_name
from serve.media.limits import AttachmentLimits
from serve.media.sniffing import IMAGES, sniff
from serve.media.thumbnails import Thumbnail, TooManyPixels, UnreadableImage, thumbnail


class UploadRefused(ValueError):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    data: bytes
    thumbnail: Thumbnail | None


def check_upload(data: bytes, name: str | None, limits: AttachmentLimits) -> CheckedUpload:
    if not data:
        raise UploadRefused(422, "empty_file", "the file is empty")
    if len(data) > limits.max_bytes:
        raise UploadRefused(413, "too_large", f"files are limited to {limits.max_bytes} bytes")
    content_type = sniff(data)
    if not limits.allows(content_type):
        what = content_type or "unrecognised content"
        raise UploadRefused(415, "type_not_allowed",
                            f"{what} is not allowed here; allowed: {', '.join(limits.types)}")
    small = None
    if content_type in IMAGES:
        try:
            small = thumbnail(data)
        except TooManyPixels as error:
            raise UploadRefused(413, "too_many_pixels", f"the image is too large to show: {error}") from None
        except UnreadableImage:
            raise UploadRefused(415, "unreadable_image", f"the file starts like {content_type} "
                                "but is not a readable image") from None
    return CheckedUpload(clean_name(name), content_type, data, small)
