"""`POST /api/v1/auth/login`: staff sign in, throttled per client address and per account.

A wrong password counts against the username (known or not, so a lockout tells
nothing about which usernames exist); after KEFU_LOGIN_MAX_FAILURES in a row the
username is locked (429 with Retry-After, even for the right password) and each
later failure doubles the lock. A success clears the count. An unknown username
is checked against a stand-in hash of the same cost, so it takes as long.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from actors.store import agents
from serve.api.access import Runtime, client_ip, too_many
from serve.api.error_responses import errors
from serve.auth import Principal, issue_token, stand_in_hash, verify_password
from serve.errors import ApiError

router = APIRouter(tags=["accounts"])


class LoginBody(BaseModel):
    username: Annotated[str, Field(min_length=1, max_length=64)]
    password: Annotated[str, Field(min_length=1, max_length=200)]


class LoginAnswer(BaseModel):
    token: str
    agent_id: str
    role: Literal["admin", "supervisor", "agent"]


@router.post("/api/v1/auth/login", response_model=LoginAnswer, responses=errors(401, 403, 422, 429))
async def login(body: LoginBody, request: Request, rt: Runtime) -> LoginAnswer:
    throttles = rt.throttles
    wait = throttles.logins_per_ip.take(client_ip(request, rt))
    if wait:
        raise too_many(wait, "too many logins from this address; retry later")
    account_key = body.username.casefold()
    wait = throttles.login_failures.retry_after(account_key)
    if wait:
        raise too_many(wait, "too many failed logins for this username; retry later")
    agent = await agents.find_agent(rt.db, rt.center_id, body.username)
    known = agent is not None and not agent.deleted
    password_hash = (agent.password_hash if known
                     else await asyncio.to_thread(stand_in_hash, rt.settings.password_cost))
    # Hashing is deliberately slow: keep it off the event loop.
    matches = await asyncio.to_thread(verify_password, password_hash, body.password)
    if not (known and matches):
        throttles.login_failures.failed(account_key)
        raise ApiError(401, "invalid_credentials", "wrong username or password")
    throttles.login_failures.succeeded(account_key)
    if agent.disabled:
        raise ApiError(403, "account_disabled", "this account is disabled; ask an administrator")
    token = issue_token(Principal("staff", agent.id, rt.center_id, agent.role, agent.token_epoch),
                        rt.settings.token_secret, rt.settings.token_ttl_s)
    return LoginAnswer(token=token, agent_id=agent.id, role=agent.role)
