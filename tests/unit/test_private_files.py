"""Secrets and a generated admin password are readable by their owner only, from the start."""

from __future__ import annotations

import os
import stat

import pytest

from config.settings import write_private


def test_a_private_file_is_0600_from_its_creation(tmp_path):
    os.umask(0o022)
    path = tmp_path / "secret"
    write_private(path, "x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        write_private(path, "y")  # never rewritten in place
    assert path.read_text() == "x"


def test_generated_secrets_are_private(tmp_path, monkeypatch):
    from config.settings import Settings

    monkeypatch.setenv("KEFU_DATA_DIR", str(tmp_path))
    for name in ("KEFU_TOKEN_SECRET", "KEFU_IDENTITY_SECRET"):
        monkeypatch.delenv(name, raising=False)
    first = Settings.from_env()
    assert stat.S_IMODE((tmp_path / "secrets.json").stat().st_mode) == 0o600
    assert Settings.from_env().token_secret == first.token_secret  # kept across starts


def test_a_generated_admin_password_goes_to_a_private_file(tmp_path, monkeypatch):
    from config.settings import Settings
    from serve.bootstrap import keep_admin_password

    monkeypatch.setenv("KEFU_DATA_DIR", str(tmp_path))
    settings = Settings.from_env()
    path = keep_admin_password(settings, "first-pw")
    path = keep_admin_password(settings, "second-pw")  # a new database in the same folder
    assert path.read_text().strip() == "second-pw"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_build_app_logs_where_the_password_is_never_the_password(tmp_path, monkeypatch, caplog):
    import serve.bootstrap as bootstrap

    monkeypatch.setenv("KEFU_DATA_DIR", str(tmp_path))  # restored after the test
    monkeypatch.setattr(bootstrap, "prepare_center", lambda settings: "generated-pw-123")
    monkeypatch.setattr(bootstrap, "gateway_app", lambda settings: "app")
    with caplog.at_level("INFO"):
        assert bootstrap.build_app({"KEFU_DATA_DIR": str(tmp_path)}) == "app"
    assert "generated-pw-123" not in caplog.text
    assert str(tmp_path / bootstrap.ADMIN_PASSWORD_FILE) in caplog.text
