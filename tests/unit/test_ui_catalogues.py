"""Every UI string exists in English and zh-CN (issue: both languages complete).

Each app folder under serve/ui/ has i18n/en.json and i18n/zh-CN.json, merged over
shared/i18n/. A key used in code as t('key') must be in the app's or the shared
catalogue, and every catalogue key must be in both languages with a non-empty text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "serve" / "ui"
LANGUAGES = ("en", "zh-CN")
APPS = sorted(p.parent.name for p in UI.glob("*/i18n") if p.parent.name != "shared")
T_CALL = re.compile(r"""\bt\(\s*(['"])([\w.\-]+)\1""")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def catalogue(folder: str, language: str) -> dict[str, str]:
    return json.loads((UI / folder / "i18n" / f"{language}.json").read_text(encoding="utf-8"))


def used_keys(folder: str) -> set[str]:
    keys = set()
    for path in (UI / folder).rglob("*.mjs"):
        keys |= {match.group(2) for match in T_CALL.finditer(path.read_text(encoding="utf-8"))}
    return keys


@pytest.mark.parametrize("folder", ["shared", *APPS])
def test_both_languages_have_the_same_keys_and_placeholders(folder):
    english, chinese = (catalogue(folder, language) for language in LANGUAGES)
    assert sorted(set(english) - set(chinese)) == [], "missing in zh-CN"
    assert sorted(set(chinese) - set(english)) == [], "missing in en"
    for key, text in english.items():
        assert isinstance(text, str) and text.strip(), f"{key}: empty in en"
        assert isinstance(chinese[key], str) and chinese[key].strip(), f"{key}: empty in zh-CN"
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(chinese[key])), key


@pytest.mark.parametrize("folder", APPS)
def test_every_key_the_code_uses_is_in_a_catalogue(folder):
    known = set(catalogue(folder, "en")) | set(catalogue("shared", "en"))
    assert sorted(used_keys(folder) - known) == []


def test_the_shared_modules_use_only_shared_keys():
    assert sorted(used_keys("shared") - set(catalogue("shared", "en"))) == []


def test_there_are_apps_to_check():
    assert {"chat", "desk"} <= set(APPS)
