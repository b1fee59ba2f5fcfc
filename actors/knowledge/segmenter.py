"""Words of knowledge articles and of questions asked of them, cut by jieba as the chat
records' search cuts them (actors/store/text_segmentation.py: documents in the search
mode, queries in the precise mode), with the center dictionary's terms (product names)
added to jieba's dictionary so a name is one word on both sides.

A question carries words that say nothing of its subject ("怎么", "吗", "how", "the"):
they are dropped from a query unless nothing else is left.
"""

from __future__ import annotations

import threading

import jieba

from actors.store.text_segmentation import document_terms, load_dictionary_now

_added: set[str] = set()
_adding = threading.Lock()
STOP_WORDS = frozenset(
    "的 了 吗 呢 吧 啊 呀 我 你 您 他 她 它 我们 是 在 有 和 与 或 就 都 也 要 想 能 可以 可 会 请问 请 "
    "怎么 怎么办 怎样 怎么样 如何 什么 为什么 为何 哪里 哪儿 哪个 多少 几 是否 一下 这个 那个 这 那 吗? "
    "a an the is are was were be to of in on at for and or how do does did can could i my me "
    "you your what why where when which who it its this that with from please should would".split())


def add_terms(terms: list[str]) -> None:
    """Make each term one word for jieba in this process (idempotent)."""
    fresh = [t for t in terms if t and t not in _added]
    if not fresh:
        return
    load_dictionary_now()
    with _adding:
        for term in fresh:
            jieba.add_word(term, freq=20000)
            _added.add(term)


def document_words(text: str) -> str:
    """The text's words as the index keeps them: lowercased, space-separated."""
    return document_terms(text)


def query_words(text: str) -> list[str]:
    """The words of a question, without the ones that say nothing of its subject."""
    load_dictionary_now()
    words = [w for w in ("".join(c for c in piece if c.isprintable()).strip().lower()
                         for piece in jieba.cut(text)) if any(c.isalnum() for c in w)]
    words = list(dict.fromkeys(words))
    meaningful = [w for w in words if w not in STOP_WORDS]
    return meaningful or words
