"""Passwords, signed tokens and signed visitor identities."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_ALGORITHM = "HS256"

# Argon2id costs (KEFU_PASSWORD_COST). "strong" is argon2-cffi's default, RFC 9106's
# low-memory profile: about 0.2 s of CPU per hash or check on this 2-core machine.
# "light" is OWASP's minimum for argon2id, a quarter of that; the benchmarks use it,
# since they create and log in thousands of agents and measure something else.
# A stored hash names its own costs, so changing the setting never locks anyone out.
PASSWORD_COSTS: dict[str, PasswordHasher] = {
    "strong": PasswordHasher(),
    "light": PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1),
}


def hash_password(password: str, cost: str = "strong") -> str:
    return PASSWORD_COSTS[cost].hash(password)


_stand_ins: dict[str, str] = {}


def stand_in_hash(cost: str) -> str:
    """A hash of nobody's password at the cost new accounts get: a login for an
    unknown username verifies against it, so it takes as long as a real one."""
    if cost not in _stand_ins:
        _stand_ins[cost] = hash_password(secrets.token_urlsafe(16), cost)
    return _stand_ins[cost]


def verify_password(password_hash: str, password: str) -> bool:
    try:
        # Verification reads the costs from the hash itself.
        return PASSWORD_COSTS["strong"].verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class Principal:
    """Who is calling: a visitor, or staff with a role (admin, supervisor, agent)."""

    kind: str  # "visitor" | "staff"
    id: str
    center_id: str
    role: str  # "visitor" for visitors
    # The account's token epoch when the token was issued (staff): a token of an
    # older epoch is revoked (serve/account_check.py).
    epoch: int = 0

    @property
    def is_staff(self) -> bool:
        return self.kind == "staff"

    def may_oversee(self) -> bool:
        return self.role in ("admin", "supervisor")


class InvalidToken(Exception):
    pass


def issue_token(principal: Principal, secret: str, ttl_s: int) -> str:
    now = int(time.time())
    claims = {"sub": principal.id, "knd": principal.kind, "ctr": principal.center_id,
              "rol": principal.role, "epc": principal.epoch, "iat": now, "exp": now + ttl_s}
    return jwt.encode(claims, secret, algorithm=TOKEN_ALGORITHM)


def read_token(token: str, secret: str) -> Principal:
    try:
        claims = jwt.decode(token, secret, algorithms=[TOKEN_ALGORITHM],
                            options={"require": ["sub", "exp"]})
        return Principal(claims["knd"], claims["sub"], claims["ctr"], claims["rol"],
                         int(claims.get("epc", 0)))
    except (jwt.PyJWTError, KeyError, TypeError, ValueError) as error:
        raise InvalidToken(str(error)) from None


def identity_signature(secret: str, external_id: str, name: str | None, level: int | None) -> str:
    """HMAC-SHA256 of `external_id|name|level` (absent parts as empty strings), hex."""
    payload = f"{external_id}|{name or ''}|{'' if level is None else level}"
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()


def identity_is_genuine(secret: str, external_id: str, name: str | None, level: int | None,
                        signature: str) -> bool:
    # As bytes: compare_digest refuses str with non-ASCII characters (a TypeError,
    # which answered 500 to an odd signature).
    expected = identity_signature(secret, external_id, name, level).encode()
    return hmac.compare_digest(expected, signature.lower().encode("utf-8", "replace"))
