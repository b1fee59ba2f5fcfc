"""The FAQ bot's settings, routing to it, when a message asks for a person, and the
language it answers in: pure functions, no center needed."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from actors.bot.phrases import PHRASES, language_of
from actors.bot.settings import BotSettings, parse_bot_settings
from actors.routing.rules import parse_center_routing, route
from actors.routing.types import ChatRequest, VisitorProfile

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)  # Monday 11:00 in Shanghai
CLOSED = {"timezone": "UTC", "weekly": {}}


def routing(bot=None, work_hours=None):
    return parse_center_routing({"default_skill_group": "help", "skill_groups": [
        {"name": "help", "bot": bot, "work_hours": work_hours}, {"name": "plain"}]})


def test_a_group_with_an_enabled_bot_routes_to_it_and_others_do_not():
    decision = route(ChatRequest(), VisitorProfile("v1", level=2), routing({"enabled": True, "name": "Ava"}), NOW)
    assert (decision.skill_group, decision.bot.name, decision.out_of_hours, decision.priority) == ("help", "Ava", False, 2)
    assert route(ChatRequest("plain"), VisitorProfile("v1"), routing({"enabled": True}), NOW).bot is None
    assert route(ChatRequest(), VisitorProfile("v1"), routing({"enabled": False}), NOW).bot is None


def test_outside_work_hours_the_bot_serves_only_when_it_is_set_to():
    serving = route(ChatRequest(), VisitorProfile("v1"), routing({"enabled": True}, CLOSED), NOW)
    assert (serving.skill_group, serving.out_of_hours, serving.offline_reason) == ("help", True, None)
    closed = route(ChatRequest(), VisitorProfile("v1"), routing({"enabled": True, "out_of_hours": False}, CLOSED), NOW)
    assert (closed.skill_group, closed.bot, closed.offline_reason) == (None, None, "outside_work_hours")


@pytest.mark.parametrize("bad, named", [
    ({"threshold": 1.5}, "threshold"), ({"threshold": True}, "threshold"), ({"max_unanswered": -1}, "max_unanswered"),
    ({"handoff_keywords": "人工"}, "handoff_keywords"), ({"handoff_keywords": ["x" * 41]}, "handoff_keywords"),
    ({"name": "n" * 41}, "name"), ({"enabled": 1}, "enabled"), ({"tone": "warm"}, "tone"), ([], "JSON object"),
])
def test_unusable_settings_are_refused_naming_the_setting(bad, named):
    with pytest.raises(ValueError, match=named):
        parse_bot_settings(bad)
    with pytest.raises(ValueError, match="help"):  # the center's parser says which group
        routing(bad)


def test_settings_are_completed_with_defaults_and_cleaned():
    assert parse_bot_settings(None) is None
    bot = parse_bot_settings({"enabled": True, "handoff_keywords": [" 人工 ", "人工", "Agent"], "name": " Ava "})
    assert (bot.name, bot.handoff_keywords, bot.threshold) == ("Ava", ("人工", "Agent"), 0.5)
    assert parse_bot_settings(bot.to_json()) == bot


@pytest.mark.parametrize("text, asks", [
    ("我要转人工", True), ("人工客服在吗", True), ("I want an AGENT please", True), ("human?", True),
    ("my reagent order", False), ("humane treatment", False), ("how do I get a refund", False),
])
def test_a_hand_off_keyword_is_a_whole_word_in_latin_script_and_anywhere_in_chinese(text, asks):
    assert BotSettings().asks_for_human(text) is asks


def test_the_bot_answers_in_the_language_the_visitor_wrote_in():
    assert (language_of("怎么退款"), language_of("refund 怎么办"), language_of("refund please")) == ("zh-CN", "zh-CN", "en")
    assert all(set(texts) == {"en", "zh-CN"} and all(texts.values()) for texts in PHRASES.values())
