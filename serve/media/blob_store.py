"""Where attachment bytes live: an interface, and a folder under the data folder.

Blobs are written once under keys the center makes up (never from a file name),
read back whole or streamed, and deleted; that is all an S3-compatible store
would need to implement (put_object, get_object with a range, delete_object).
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
from abc import ABC, abstractmethod
from pathlib import Path
from typing import AsyncIterator

_KEY = re.compile(r"^[0-9a-f]{32}(\.[a-z0-9]{1,8})?$")
CHUNK = 256 * 1024


class UnknownBlob(LookupError):
    pass


def new_key(suffix: str = "") -> str:
    return secrets.token_hex(16) + suffix


def checked_key(key: str) -> str:
    # Keys are ours, but a key read back from the database still never names a path.
    if not _KEY.match(key):
        raise ValueError(f"not a blob key: {key!r}")
    return key


class BlobStore(ABC):
    @abstractmethod
    async def put(self, key: str, data: bytes) -> None:
        """Store `data` under a new key (never overwrites)."""

    @abstractmethod
    def stream(self, key: str) -> AsyncIterator[bytes]:
        """The blob in chunks; UnknownBlob if there is none."""

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Forget the blob (no error if it is gone)."""

    def local_path(self, key: str) -> Path | None:
        """A file the edge may serve directly (with range requests), if the store has one."""
        return None


class FolderBlobStore(BlobStore):
    """Blobs as files under `root` (the data folder's `attachments/`), in 256 folders
    by the key's first two characters so no folder grows past what a file system lists well."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        key = checked_key(key)
        return self.root / key[:2] / key

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(self._write, self._path(key), data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        # Only the center's user reads uploads; the rename makes a blob appear whole or not at all.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)

    async def stream(self, key: str) -> AsyncIterator[bytes]:
        path = self._path(key)
        try:
            file = await asyncio.to_thread(open, path, "rb")
        except FileNotFoundError:
            raise UnknownBlob(key) from None
        try:
            while chunk := await asyncio.to_thread(file.read, CHUNK):
                yield chunk
        finally:
            file.close()

    async def read(self, key: str) -> bytes:
        return b"".join([chunk async for chunk in self.stream(key)])

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, True)

    def local_path(self, key: str) -> Path | None:
        path = self._path(key)
        return path if path.is_file() else None
