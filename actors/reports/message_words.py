"""The most frequent words of what the visitors wrote in the customers report's
conversations (their public messages), cut by jieba in its precise mode; stopwords
(actors/reports/stopwords.py), punctuation, words with a digit (order and phone
numbers say nothing about a topic) and single characters left out.

Bounded by a systematic sample. The database counts the messages (n); past SAMPLE it
reads every k-th by id (k = ceil(n / SAMPLE): `id % k = 0`, ids interleave across
conversations, so it is spread over the whole range), at most SAMPLE of them and the
first BODY_CHARS characters of each: at most 400,000 characters, which jieba cuts in
about 1.3 s (measured here: ~320,000 characters a second on one core; a chat message
is rarely 40 characters, so 2,000 of them take ~0.25 s), with a Counter the size of the
sample's vocabulary. Why a sample and not a streamed count of every message: cutting
Chinese is Python work in the gateway (neither database can, and the full-text index
keeps search-mode words, "开发票" as 开发 + 发票 + 开发票, which would count a word
two or three times), and a year of messages would take the gateway's CPU for minutes.
The top words of 2,000 messages are the top words of all of them unless two are close;
the answer says how many messages there were and how many were read.
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

import jieba
from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from actors.reports.customer_report import counted_conversations
from actors.reports.scope import ReportScope
from actors.reports.stopwords import STOPWORDS
from actors.store.schema import MessageRow
from actors.store.text_segmentation import load_dictionary, load_dictionary_now

MESSAGES = MessageRow.__table__
SAMPLE = 2000
BODY_CHARS = 200
TOP = 20
MAX_WORD_CHARS = 20  # longer "words" are links and codes


@dataclass(frozen=True)
class WordCount:
    word: str
    count: int  # times it was written in the messages read


@dataclass(frozen=True)
class MessageWords:
    words: list[WordCount] = field(default_factory=list)
    messages: int = 0  # the visitors' public messages in the conversations counted
    messages_read: int = 0  # of which read for the words (all of them up to SAMPLE)


async def message_words(db: async_sessionmaker, scope: ReportScope) -> MessageWords:
    counted = counted_conversations(scope).subquery("counted")
    theirs = and_(MESSAGES.c.conversation_id.in_(select(counted.c.conversation_id)),
                  MESSAGES.c.sender_kind == "visitor", MESSAGES.c.visibility == "public")
    async with db() as session:
        total = int(await session.scalar(select(func.count()).select_from(MESSAGES).where(theirs)) or 0)
        if not total:
            return MessageWords()
        sample = select(func.substr(MESSAGES.c.body, 1, BODY_CHARS)).where(theirs)
        step = math.ceil(total / SAMPLE)
        if step > 1:
            sample = sample.where(MESSAGES.c.id % step == 0)
        bodies = list(await session.scalars(sample.limit(SAMPLE)))
    await load_dictionary()
    counts = await asyncio.to_thread(count_words, bodies)
    return MessageWords(top_words(counts), total, len(bodies))


def count_words(bodies: Iterable[str]) -> Counter[str]:
    load_dictionary_now()
    counts: Counter[str] = Counter()
    for body in bodies:
        counts.update(word for word in (piece.strip().lower() for piece in jieba.cut(body or "")) if keeps(word))
    return counts


def keeps(word: str) -> bool:
    letters = word.replace("-", "").replace("'", "")  # "e-mail", "don't"
    return (2 <= len(word) <= MAX_WORD_CHARS and letters.isalpha() and word not in STOPWORDS)


def top_words(counts: Counter[str], top: int = TOP) -> list[WordCount]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [WordCount(word, count) for word, count in ranked]
