"""What the bot says besides the knowledge base's answers, in the visitor's language.

The server does not know the widget's language, so the bot answers in the language
the visitor wrote in (as people do): Chinese when the message holds Chinese
characters, else English. Widgets word their own greeting when none is set.
"""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["en", "zh-CN"]
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

PHRASES: dict[str, dict[Language, str]] = {
    "choices": {
        "en": "I'm not sure I understood. Is it one of these?",
        "zh-CN": "我不太确定您的问题，是以下哪一个？",
    },
    "no_answer": {
        "en": "Sorry, I couldn't find an answer to that. Could you say it another way, or talk to a person?",
        "zh-CN": "抱歉，我没有找到答案。您可以换个说法，或者转人工客服。",
    },
    "handing_off": {
        "en": "Connecting you to a person. Everything you told me goes along.",
        "zh-CN": "正在为您转接人工客服，您刚才说的内容会一并转给客服。",
    },
    "leave_message": {
        "en": "No one can take your chat right now. Please leave a message and we will get back to you.",
        "zh-CN": "当前没有客服可以接待，请留言，我们会尽快回复您。",
    },
}


def language_of(text: str) -> Language:
    return "zh-CN" if _HAN.search(text) else "en"


def phrase(key: str, language: Language) -> str:
    return PHRASES[key][language]
