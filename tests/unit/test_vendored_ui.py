"""The vendored UI packages are exactly what serve/ui/vendor_packages.py fetched and checked."""

from __future__ import annotations

import json
import re

from serve.ui import vendor_packages as vendor

BARE_IMPORT = re.compile(r"""(?:from|import)\s*["']([^"'./][^"']*)["']""")


def test_every_vendored_file_matches_its_recorded_checksum():
    assert vendor.check() == []


def test_the_check_notices_a_changed_file(tmp_path, monkeypatch):
    copy = tmp_path / "vendor"
    copy.mkdir()
    for path in vendor.VENDOR_DIR.rglob("*"):
        if path.is_file():
            target = copy / path.relative_to(vendor.VENDOR_DIR)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    (copy / "preact" / "preact.mjs").write_text("export const tampered = 1;")
    monkeypatch.setattr(vendor, "VENDOR_DIR", copy)
    monkeypatch.setattr(vendor, "LOCK_FILE", copy / "lock.json")
    assert vendor.check() == ["preact/preact.mjs: missing or changed"]


def test_every_bare_import_of_a_vendored_module_is_in_the_import_map():
    lock = json.loads(vendor.LOCK_FILE.read_text())
    for path in vendor.VENDOR_DIR.rglob("*.mjs"):
        for specifier in BARE_IMPORT.findall(path.read_text()):
            assert specifier in lock["imports"], f"{path.name} imports {specifier}"
