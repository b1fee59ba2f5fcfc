"""The knowledge base's REST shapes (serve/api/knowledge*.py), as /work/briefs' contract
and the README's "Knowledge base" section describe them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Visibility = Literal["public", "internal"]
Status = Literal["draft", "in_review", "published", "archived"]
# No NUL anywhere: PostgreSQL refuses it in text (422 rather than a server error).
NO_NUL = r"^[^\x00]*$"
CategoryRef = Annotated[int, Field(ge=1, le=2**31 - 1)]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NO_NUL)]
Tag = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NO_NUL)]
Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=NO_NUL)]
Tags = Annotated[list[Tag], Field(max_length=50)]
Questions = Annotated[list[Question], Field(max_length=50)]
AttachmentIds = Annotated[list[Annotated[str, Field(max_length=40, pattern=NO_NUL)]], Field(max_length=20)]
CategoryName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NO_NUL)]
Comment = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000, pattern=NO_NUL)]
BodyHtml = Annotated[str, Field(max_length=100_000)]


class Category(BaseModel):
    id: int
    parent_id: int | None
    name: str
    name_zh: str | None
    position: int
    article_count: int


class Categories(BaseModel):
    categories: list[Category]


class CategoryBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    parent_id: CategoryRef | None = None
    name: CategoryName
    name_zh: CategoryName | None = None
    position: Annotated[int, Field(ge=0, le=10_000)] = 0


class CategoryChange(BaseModel):
    """Only the fields given change; `parent_id` null puts it at the top."""

    model_config = ConfigDict(extra="forbid")
    parent_id: CategoryRef | None = None
    name: CategoryName | None = None
    name_zh: CategoryName | None = None
    position: Annotated[int, Field(ge=0, le=10_000)] | None = None


class ArticleSummary(BaseModel):
    id: str
    title: str
    category_id: int
    status: Status
    visibility: Visibility
    version: int
    updated_at: datetime
    updated_by: str


class ArticleList(BaseModel):
    articles: list[ArticleSummary]
    next_cursor: str | None


class WorkflowStep(BaseModel):
    action: str
    by: str
    at: datetime
    comment: str | None


class ArticleSource(BaseModel):
    kind: Literal["conversation", "left_message"]
    conversation_id: str


class Article(BaseModel):
    id: str
    category_id: int
    title: str
    body_html: str
    keywords: list[str]
    synonyms: list[str]
    questions: list[str]
    attachments: list[str]
    visibility: Visibility
    status: Status
    version: int
    published_version: int | None
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    source: ArticleSource | None
    workflow: list[WorkflowStep]


class ArticleBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    category_id: CategoryRef
    title: Title
    body_html: BodyHtml
    keywords: Tags = []
    synonyms: Tags = []
    questions: Questions = []
    visibility: Visibility = "internal"
    attachments: AttachmentIds = []


class ArticleChange(BaseModel):
    """Only the fields given change; `version` is the one the editor started from."""

    model_config = ConfigDict(extra="forbid")
    version: Annotated[int, Field(ge=1)]
    category_id: CategoryRef | None = None
    title: Title | None = None
    body_html: BodyHtml | None = None
    keywords: Tags | None = None
    synonyms: Tags | None = None
    questions: Questions | None = None
    visibility: Visibility | None = None
    attachments: AttachmentIds | None = None


class TransitionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment: Comment | None = None


class VersionSummary(BaseModel):
    version: int
    title: str
    edited_by: str
    edited_at: datetime


class Versions(BaseModel):
    versions: list[VersionSummary]


class VersionContent(BaseModel):
    version: int
    title: str
    body_html: str
    keywords: list[str]
    synonyms: list[str]
    questions: list[str]
    category_id: int
    visibility: Visibility
    edited_by: str
    edited_at: datetime


class SearchResult(BaseModel):
    article_id: str
    title: str
    category_id: int
    visibility: Visibility
    snippet_html: str
    score: float
    confidence: Annotated[float, Field(ge=0, le=1)]


class SearchResults(BaseModel):
    results: list[SearchResult]


class PromoteBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    conversation_id: Annotated[str, Field(min_length=1, max_length=40, pattern=NO_NUL)]


class DictionaryEntry(BaseModel):
    id: int
    term: str
    synonyms: list[str]


class Dictionary(BaseModel):
    entries: list[DictionaryEntry]


class DictionaryBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    term: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=NO_NUL)]
    synonyms: Annotated[list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64,
                                                              pattern=NO_NUL)]], Field(max_length=50)] = []


class HelpCategory(BaseModel):
    id: int
    parent_id: int | None
    name: str
    name_zh: str | None
    position: int
    article_count: int  # published public articles in it


class HelpCategories(BaseModel):
    categories: list[HelpCategory]


class HelpArticleSummary(BaseModel):
    id: str
    title: str
    category_id: int
    snippet_html: str | None  # for a search: escaped text with <mark>, else None


class HelpArticles(BaseModel):
    articles: list[HelpArticleSummary]


class HelpArticle(BaseModel):
    """The published version of a public article."""

    id: str
    title: str
    category_id: int
    body_html: str
    questions: list[str]
    keywords: list[str]
