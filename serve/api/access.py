"""Who is calling, checked on every call: the token, then the account behind it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from serve.auth import InvalidToken, Principal, read_token
from serve.errors import ApiError
from serve.runtime import GatewayRuntime
from serve.runtime import current as gateway_runtime
from serve.throttle import retry_after_header


async def runtime(request: Request) -> GatewayRuntime:
    return await gateway_runtime()


Runtime = Annotated[GatewayRuntime, Depends(runtime)]


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def principal(request: Request, rt: Runtime) -> Principal:
    token = bearer(request)
    if token is None:
        raise ApiError(401, "unauthorized", "send Authorization: Bearer <token>")
    try:
        who = read_token(token, rt.settings.token_secret)
    except InvalidToken:
        raise ApiError(401, "unauthorized", "the token is invalid or expired") from None
    if who.center_id != rt.center_id:
        raise ApiError(403, "forbidden", "the token belongs to another center")
    # The role comes from the account, and a disabled or deleted account, a new
    # password or a new role revoke every token issued before.
    current = await rt.accounts.principal(who)
    if current is None:
        raise ApiError(401, "unauthorized", "the token was revoked or the account is disabled")
    return current


Caller = Annotated[Principal, Depends(principal)]


def require_role(who: Principal, *roles: str) -> None:
    if not who.is_staff or who.role not in roles:
        raise ApiError(403, "forbidden", f"this needs the role {' or '.join(roles)}")


def client_ip(request: Request, rt: GatewayRuntime) -> str:
    """The address the throttles count by (X-Forwarded-For only from trusted proxies)."""
    peer = request.client.host if request.client else None
    return rt.regions.client_ip(peer, request.headers.get("x-forwarded-for")) or "unknown"


def too_many(retry_after_s: float, message: str) -> ApiError:
    return ApiError(429, "rate_limited", message, headers={"Retry-After": retry_after_header(retry_after_s)})
