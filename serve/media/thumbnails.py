"""Thumbnails of uploaded images, with Pillow, bounded: an image is refused before it
is decoded when its header announces more pixels than MAX_PIXELS (a decompression
bomb is a small file that decodes to gigabytes), and decoding is checked to work at
all, so a file that only starts like an image is refused too."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # e.g. 8000 x 5000; phone cameras stay well below
THUMBNAIL_EDGE = 320
# Pillow's own guard: beyond twice this it raises before decoding, wherever it is used.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class TooManyPixels(ValueError):
    pass


class UnreadableImage(ValueError):
    pass


@dataclass(frozen=True)
class Thumbnail:
    data: bytes
    content_type: str  # image/jpeg, or image/png where the image has transparency
    suffix: str


def thumbnail(data: bytes, edge: int = THUMBNAIL_EDGE, max_pixels: int = MAX_PIXELS) -> Thumbnail:
    """A copy at most `edge` pixels on its longer side (the first frame of an animation),
    turned upright by its EXIF orientation."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise TooManyPixels(f"{width}x{height} is more than {max_pixels} pixels")
                image.draft("RGB", (edge, edge))  # JPEG: decode at a reduced scale
                image.load()
                small = ImageOps.exif_transpose(image)
                small.thumbnail((edge, edge))
                return _encode(small)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
        raise TooManyPixels(str(bomb)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        if isinstance(error, TooManyPixels):
            raise
        raise UnreadableImage(str(error) or type(error).__name__) from None


def _encode(image: Image.Image) -> Thumbnail:
    out = io.BytesIO()
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image.convert("RGBA").save(out, "PNG", optimize=True)
        return Thumbnail(out.getvalue(), "image/png", ".png")
    image.convert("RGB").save(out, "JPEG", quality=80)
    return Thumbnail(out.getvalue(), "image/jpeg", ".jpg")
