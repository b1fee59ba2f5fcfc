"""The error shape of PROTOCOL.md as an OpenAPI model, and the statuses a route declares.

Every status a route can answer is declared on it, so the OpenAPI document is a
true contract (the schemathesis test checks that no undeclared status comes back).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

_MEANINGS = {
    400: "The request cannot be read",
    401: "No token, or the token is invalid, expired or revoked",
    403: "The caller may not do this",
    404: "No such thing in this center",
    409: "The change conflicts with what is stored (exists already, or still in use)",
    411: "The upload has no Content-Length",
    413: "The upload is larger than the center allows",
    415: "The upload's content is of a type the center does not allow",
    422: "The body or a parameter is invalid, or a setting the router cannot use",
    429: "Too many calls or failed logins; the Retry-After header says when to retry",
    502: "A server outside the center (a mail server) refused or did not answer; nothing was recorded",
    503: "A part of the center this needs is not running (retry later)",
}


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route that may answer these error statuses."""
    declared: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        declared[status] = {"model": ErrorBody, "description": _MEANINGS[status]}
        if status == 429:
            declared[status]["headers"] = {"Retry-After": {
                "description": "whole seconds to wait", "schema": {"type": "integer"}}}
    return declared


# What every route taking a token can answer besides its own errors.
AUTHENTICATED = (401, 403, 422)
