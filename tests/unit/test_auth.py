import time

import jwt
import pytest

from serve.auth import (InvalidToken, Principal, hash_password, identity_is_genuine,
                        identity_signature, issue_token, read_token, verify_password)


def test_passwords_are_hashed_and_verified():
    stored = hash_password("s3cret")
    assert "s3cret" not in stored
    assert verify_password(stored, "s3cret")
    assert not verify_password(stored, "wrong")
    assert not verify_password("not-a-hash", "s3cret")


def test_the_light_cost_is_cheaper_and_either_hash_verifies_whatever_the_setting():
    strong, light = hash_password("pw", "strong"), hash_password("pw", "light")
    # The costs are written into the hash: argon2id$v=19$m=...,t=...,p=...
    assert "m=65536,t=3,p=4" in strong and "m=19456,t=2,p=1" in light
    assert verify_password(strong, "pw") and verify_password(light, "pw")
    assert not verify_password(light, "other")


def test_tokens_round_trip_and_refuse_tampering_and_expiry():
    who = Principal("visitor", "v_1", "demo", "visitor")
    token = issue_token(who, "k" * 32, 60)
    assert read_token(token, "k" * 32) == who
    with pytest.raises(InvalidToken):
        read_token(token, "other-secret" * 3)
    expired = jwt.encode({"sub": "v_1", "knd": "visitor", "ctr": "demo", "rol": "visitor",
                          "exp": int(time.time()) - 5}, "k" * 32, algorithm="HS256")
    with pytest.raises(InvalidToken):
        read_token(expired, "k" * 32)


def test_identity_signature_covers_every_part():
    good = identity_signature("secret", "cust-1", "Ann", 3)
    assert identity_is_genuine("secret", "cust-1", "Ann", 3, good)
    assert identity_is_genuine("secret", "cust-1", "Ann", 3, good.upper())
    assert not identity_is_genuine("secret", "cust-1", "Ann", 9, good)
    assert not identity_is_genuine("secret", "cust-2", "Ann", 3, good)
    assert not identity_is_genuine("other", "cust-1", "Ann", 3, good)
    # Absent name and level sign as empty parts.
    assert identity_signature("s", "x", None, None) == identity_signature("s", "x", "", None)
