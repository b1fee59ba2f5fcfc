"""The built-in bot's rules, pure: how much of an article it posts (whole sentences or
paragraphs of it, never past the limit, nothing added but the "…" of a cut), when it
answers and when it offers choices; and how a chat completion is read."""

from __future__ import annotations

import pytest

from actors.bot.builtin_provider import answer_from_hits
from actors.bot.openai_provider import NO_ANSWER, completion_text, grounding_prompt
from actors.bot.trimming import MAX_ANSWER_CHARS, trimmed
from actors.knowledge.protocol import KnowledgeHit


def hit(article_id: str, confidence: float, body: str = "Body.", title: str | None = None) -> KnowledgeHit:
    return KnowledgeHit(article_id=article_id, title=title or f"Title {article_id}", category_id=1,
                        snippet_html="", score=confidence, confidence=confidence, body_text=body)


def test_a_short_text_is_posted_whole():
    assert trimmed("  Open the order page.\nClick Invoice.  ") == "Open the order page.\nClick Invoice."


def test_a_long_text_is_cut_at_a_paragraph_end():
    first = "A" * 700 + "."
    second = "B" * 400 + "."
    third = "C" * 400 + "."
    cut = trimmed("\n".join((first, second, third)))
    assert cut == f"{first}\n{second}\n…"
    assert len(cut) <= MAX_ANSWER_CHARS


def test_without_a_late_paragraph_end_the_cut_is_at_a_sentence_end():
    sentences = " ".join(f"Sentence number {n} says something useful." for n in range(60))
    cut = trimmed("Intro.\n" + sentences)
    assert len(cut) <= MAX_ANSWER_CHARS and cut.endswith("useful. …")
    assert cut.removesuffix(" …") in "Intro.\n" + sentences  # nothing invented


def test_chinese_sentences_end_at_the_full_stop():
    text = "退款会在三个工作日内到账。" * 200
    cut = trimmed(text)
    assert len(cut) <= MAX_ANSWER_CHARS and cut.endswith("到账。…")
    assert text.startswith(cut.removesuffix("…"))


def test_a_text_without_any_end_is_cut_at_a_word_or_at_the_limit():
    words = trimmed("word " * 400)
    assert len(words) <= MAX_ANSWER_CHARS and words.endswith("word…")
    solid = trimmed("字" * 2000)
    assert solid == "字" * (MAX_ANSWER_CHARS - 1) + "…"


def test_a_confident_best_hit_is_the_answer():
    answer = answer_from_hits([hit("kb_1", 0.8, "Click Invoice."), hit("kb_2", 0.4)], threshold=0.6)
    assert (answer.text, answer.article_id, answer.confidence, answer.choices) == ("Click Invoice.", "kb_1", 0.8, ())
    assert answer.answered and answer.provider == "builtin"


def test_an_unsure_search_offers_the_best_three_as_choices():
    hits = [hit(f"kb_{n}", 0.5 - n / 10) for n in range(5)]
    answer = answer_from_hits(hits, threshold=0.6)
    assert answer.text is None and not answer.answered and answer.article_id is None
    assert [(c.article_id, c.title) for c in answer.choices] == [(f"kb_{n}", f"Title kb_{n}") for n in range(3)]
    assert answer.confidence == pytest.approx(0.5)


def test_the_threshold_is_inclusive_and_no_hits_is_no_answer():
    assert answer_from_hits([hit("kb_1", 0.6)], threshold=0.6).article_id == "kb_1"
    nothing = answer_from_hits([], threshold=0.1)
    assert (nothing.text, nothing.choices, nothing.confidence) == (None, (), 0.0)


def test_a_completion_is_read_from_its_first_choice():
    assert completion_text({"choices": [{"message": {"role": "assistant", "content": " Hi \n"}}]}) == "Hi"
    assert completion_text({"choices": [{"message": {"content": None}}]}) == ""
    for bad in ({}, {"choices": []}, {"choices": [{"text": "x"}]}, [], {"choices": [{"message": {"content": 3}}]}):
        with pytest.raises(ValueError):
            completion_text(bad)


def test_the_prompt_holds_every_article_and_the_refusal_word():
    prompt = grounding_prompt([hit("kb_1", 0.9, "Refunds take 3 days.", "Refunds"), hit("kb_2", 0.5, "Invoices.")])
    assert "Article 1: Refunds\nRefunds take 3 days." in prompt and "Invoices." in prompt
    assert f"reply exactly {NO_ANSWER}" in prompt and "visitor's language" in prompt
