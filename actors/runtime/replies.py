"""Replies every entity may give, whatever its own protocol."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rejected:
    """The command was refused; `code` and `message` reach the client as an error frame."""

    code: str
    message: str


@dataclass(frozen=True)
class Done:
    """The command was carried out and has nothing to report."""
