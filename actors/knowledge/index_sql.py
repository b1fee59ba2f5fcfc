"""The full-text index of published articles (`knowledge_search`, migration 0014), on
SQLite FTS5 (bm25 over four weighted columns) or PostgreSQL (a tsvector of the
'simple' config, weighted A title and questions, B keywords and synonyms, D body,
ranked by ts_rank_cd). Both hold the words cut by jieba, joined by spaces.

It is written in the same transaction as the article's change that publishes,
re-publishes or withdraws it, so search never shows what is not live.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from actors.knowledge.rich_text import text_of
from actors.knowledge.segmenter import document_words

# bm25's weights per FTS5 column, in the table's order (the unindexed ones count for nothing).
BM25_WEIGHTS = (10.0, 8.0, 6.0, 1.0, 0, 0, 0, 0, 0, 0)
# ts_rank_cd's weights of D, C, B, A.
PG_WEIGHTS = "{0.1, 0.2, 0.6, 1.0}"


@dataclass(frozen=True)
class IndexedArticle:
    """What visitors see of an article: its published version's content."""

    article_id: str
    center_id: str
    visibility: str
    category_id: int
    title: str
    body_html: str
    keywords: list[str]
    synonyms: list[str]
    questions: list[str]


@dataclass(frozen=True)
class Candidate:
    article_id: str
    category_id: int
    visibility: str
    title: str
    body_text: str
    words: frozenset[str]
    score: float


def _columns(article: IndexedArticle) -> dict[str, str]:
    return {"title_terms": document_words(article.title),
            "question_terms": document_words(" \n ".join(article.questions)),
            "keyword_terms": document_words(" \n ".join(article.keywords + article.synonyms)),
            "body_terms": document_words(text_of(article.body_html))}


async def write(session: AsyncSession, article: IndexedArticle) -> None:
    await remove(session, article.article_id)
    columns = _columns(article)
    values = {**columns, "article_id": article.article_id, "center_id": article.center_id,
              "visibility": article.visibility, "category_id": article.category_id,
              "title": article.title, "body_text": text_of(article.body_html)}
    if session.bind.dialect.name == "sqlite":
        await session.execute(text(
            "INSERT INTO knowledge_search (title_terms, question_terms, keyword_terms, body_terms, "
            "article_id, center_id, visibility, category_id, title, body_text) VALUES (:title_terms, "
            ":question_terms, :keyword_terms, :body_terms, :article_id, :center_id, :visibility, "
            ":category_id, :title, :body_text)"), values)
        return
    values["words"] = " ".join(columns.values())
    await session.execute(text(
        "INSERT INTO knowledge_search (article_id, center_id, visibility, category_id, title, body_text, "
        "words, terms) VALUES (:article_id, :center_id, :visibility, :category_id, :title, :body_text, "
        ":words, setweight(to_tsvector('simple', :title_terms), 'A') || "
        "setweight(to_tsvector('simple', :question_terms), 'A') || "
        "setweight(to_tsvector('simple', :keyword_terms), 'B') || "
        "setweight(to_tsvector('simple', :body_terms), 'D'))"), values)


async def remove(session: AsyncSession, article_id: str) -> None:
    await session.execute(text("DELETE FROM knowledge_search WHERE article_id = :id"), {"id": article_id})


def _quoted(word: str) -> str:
    # An FTS5 string: the word as written, its quotes doubled (no query syntax gets in).
    return '"' + word.replace('"', '""') + '"'


async def candidates(session: AsyncSession, center_id: str, alternatives: list[str], visibilities: tuple[str, ...],
                     category_id: int | None, limit: int) -> list[Candidate]:
    """The best `limit` published articles holding any of the words, best first."""
    if not alternatives:
        return []
    params: dict = {"center": center_id, "limit": limit, "category": category_id}
    params.update({f"v{i}": v for i, v in enumerate(visibilities)})
    visible = ", ".join(f":v{i}" for i in range(len(visibilities)))
    category = "" if category_id is None else " AND category_id = :category"
    if session.bind.dialect.name == "sqlite":
        params["match"] = " OR ".join(_quoted(w) for w in alternatives)
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        rows = (await session.execute(text(
            f"SELECT article_id, category_id, visibility, title, body_text, title_terms || ' ' || "
            f"question_terms || ' ' || keyword_terms || ' ' || body_terms AS words, "
            f"-bm25(knowledge_search, {weights}) AS score FROM knowledge_search "
            f"WHERE knowledge_search MATCH :match AND center_id = :center AND visibility IN ({visible})"
            f"{category} ORDER BY bm25(knowledge_search, {weights}) LIMIT :limit"), params)).all()
    else:
        params.update({f"w{i}": w for i, w in enumerate(alternatives)})
        query = " || ".join(f"plainto_tsquery('simple', :w{i})" for i in range(len(alternatives)))
        rows = (await session.execute(text(
            f"SELECT article_id, category_id, visibility, title, body_text, words, "
            f"ts_rank_cd('{PG_WEIGHTS}', terms, q) AS score FROM knowledge_search, ({'SELECT ' + query}) "
            f"AS found(q) WHERE terms @@ q AND center_id = :center AND visibility IN ({visible}){category} "
            f"ORDER BY score DESC, article_id LIMIT :limit"), params)).all()
    return [Candidate(r.article_id, int(r.category_id), r.visibility, r.title, r.body_text,
                      frozenset(r.words.split()), float(r.score)) for r in rows]


async def listing(session: AsyncSession, center_id: str, visibilities: tuple[str, ...],
                  category_id: int | None, limit: int) -> list[tuple[str, str, int]]:
    """(article id, title, category id) of published articles, by title."""
    params: dict = {"center": center_id, "limit": limit, "category": category_id}
    params.update({f"v{i}": v for i, v in enumerate(visibilities)})
    visible = ", ".join(f":v{i}" for i in range(len(visibilities)))
    category = "" if category_id is None else " AND category_id = :category"
    rows = (await session.execute(text(
        f"SELECT article_id, title, category_id FROM knowledge_search WHERE center_id = :center "
        f"AND visibility IN ({visible}){category} ORDER BY title, article_id LIMIT :limit"), params)).all()
    return [(r.article_id, r.title, int(r.category_id)) for r in rows]


async def counts(session: AsyncSession, center_id: str, visibility: str) -> dict[int, int]:
    """Published articles of a visibility per category id."""
    rows = (await session.execute(text(
        "SELECT category_id, count(*) AS n FROM knowledge_search WHERE center_id = :center "
        "AND visibility = :visibility GROUP BY category_id"), {"center": center_id, "visibility": visibility})).all()
    return {int(r.category_id): int(r.n) for r in rows}
