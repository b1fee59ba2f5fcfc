from datetime import datetime, timedelta, timezone

import pytest

from actors.center.settings import parse_center_settings
from actors.store.tracking import key_hash, is_new_visit, new_key

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)


def test_a_visit_is_new_after_thirty_minutes_without_activity():
    assert not is_new_visit(None, NOW)  # never seen: the first visit, already counted
    assert not is_new_visit(NOW - timedelta(minutes=30), NOW)
    assert is_new_visit(NOW - timedelta(minutes=30, seconds=1), NOW)
    assert is_new_visit((NOW - timedelta(hours=5)).replace(tzinfo=None), NOW)  # SQLite's naive UTC


def test_visitor_keys_are_random_and_only_their_hash_is_kept():
    key, hashed = new_key()
    other, _ = new_key()
    assert key != other and len(key) >= 32
    assert hashed == key_hash(key) and key not in hashed and len(hashed) == 64


def test_invitation_settings_have_defaults_and_refuse_what_cannot_be_used():
    defaults = parse_center_settings(None).invitations
    assert (defaults.enabled, defaults.ttl_s, defaults.auto.enabled) == (True, 120.0, False)
    # No text by default: the widget words the invitation in the visitor's language.
    assert (defaults.text, defaults.auto.text) == ("", "")
    assert parse_center_settings({"invitations": {"text": ""}}).invitations.text == ""
    custom = parse_center_settings({"invitations": {"enabled": False, "auto": {
        "enabled": True, "after_s": 5, "url_pattern": "https://a.example/*", "text": "Hi"}}})
    assert custom.invitations.enabled is False
    assert (custom.invitations.auto.after_s, custom.invitations.auto.text) == (5.0, "Hi")
    for bad in ({"enabled": "yes"}, {"ttl_s": 0}, {"ttl_s": True}, {"text": "   "}, {"text": "x" * 501},
                {"auto": {"after_s": -1}}, {"auto": {"url_pattern": ""}}, {"auto": []}, []):
        with pytest.raises(ValueError):
            parse_center_settings({"invitations": bad})
