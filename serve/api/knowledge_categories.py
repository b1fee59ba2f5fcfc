"""Knowledge categories and the center dictionary: `/api/v1/knowledge/categories`,
`/api/v1/knowledge/dictionary`. Any staff member reads them; admins write them."""

from __future__ import annotations


from fastapi import APIRouter, Response

from actors.store import knowledge_articles as articles
from actors.store import knowledge_categories as store
from actors.store import knowledge_dictionary as dictionary
from actors.store.knowledge_schema import KnowledgeCategoryRow
import serve.api.knowledge_access as check
from serve.api.access import Caller, Runtime
from serve.api.error_responses import AUTHENTICATED, errors
from serve.api.knowledge_models import (Categories, Category, CategoryBody, CategoryChange, Dictionary,
                                        DictionaryBody, DictionaryEntry)
from serve.api.row_ids import RowIdPath
from serve.errors import ApiError
from serve.runtime import GatewayRuntime

router = APIRouter(prefix="/api/v1/knowledge", tags=["knowledge base"])


def _out(row: KnowledgeCategoryRow, counts: dict[int, int]) -> Category:
    return Category(id=row.id, parent_id=row.parent_id, name=row.name, name_zh=row.name_zh,
                    position=row.position, article_count=counts.get(row.id, 0))


async def _known_parent(rt: GatewayRuntime, parent_id: int | None) -> None:
    if parent_id is not None and await store.get_category(rt.db, rt.center_id, parent_id) is None:
        raise ApiError(422, "unknown_category", f"no knowledge category {parent_id}")


@router.get("/categories", response_model=Categories, responses=errors(*AUTHENTICATED))
async def list_categories(rt: Runtime, who: Caller) -> Categories:
    """Every category, by position; `article_count` counts articles of every status."""
    check.staff_reader(who)
    counts = await articles.count_in_categories(rt.db, rt.center_id)
    return Categories(categories=[_out(r, counts) for r in await store.list_categories(rt.db, rt.center_id)])


@router.post("/categories", response_model=Category, status_code=201, responses=errors(*AUTHENTICATED, 409))
async def create_category(body: CategoryBody, rt: Runtime, who: Caller) -> Category:
    check.admin(who)
    await _known_parent(rt, body.parent_id)
    try:
        row = await store.create_category(rt.db, rt.center_id, body.model_dump())
    except store.TooManyCategories as error:
        raise ApiError(409, "too_many", str(error)) from None
    return _out(row, {})


@router.patch("/categories/{category_id}", response_model=Category, responses=errors(*AUTHENTICATED, 404))
async def change_category(category_id: RowIdPath, body: CategoryChange, rt: Runtime, who: Caller) -> Category:
    check.admin(who)
    changes = body.model_dump(exclude_unset=True)
    if changes.get("name", "") is None:
        raise ApiError(422, "invalid_request", "a category's name cannot be removed")
    await _known_parent(rt, changes.get("parent_id"))
    try:
        row = await store.update_category(rt.db, rt.center_id, category_id, changes)
    except store.CategoryCycle as error:
        raise ApiError(422, "category_cycle", str(error)) from None
    if row is None:
        raise ApiError(404, "not_found", f"no knowledge category {category_id}")
    return _out(row, await articles.count_in_categories(rt.db, rt.center_id))


@router.delete("/categories/{category_id}", status_code=204, response_class=Response,
               responses=errors(*AUTHENTICATED, 404, 409))
async def delete_category(category_id: RowIdPath, rt: Runtime, who: Caller) -> Response:
    """Only an empty one (no article of any status, no subcategory): 409 category_not_empty."""
    check.admin(who)
    try:
        deleted = await store.delete_category(rt.db, rt.center_id, category_id)
    except store.CategoryNotEmpty as error:
        raise ApiError(409, "category_not_empty", str(error)) from None
    if not deleted:
        raise ApiError(404, "not_found", f"no knowledge category {category_id}")
    return Response(status_code=204)


@router.get("/dictionary", response_model=Dictionary, responses=errors(*AUTHENTICATED))
async def list_dictionary(rt: Runtime, who: Caller) -> Dictionary:
    check.staff_reader(who)
    rows = await dictionary.list_entries(rt.db, rt.center_id)
    return Dictionary(entries=[DictionaryEntry(id=r.id, term=r.term, synonyms=r.synonyms) for r in rows])


@router.post("/dictionary", response_model=DictionaryEntry, status_code=201, responses=errors(*AUTHENTICATED, 409))
async def add_dictionary_entry(body: DictionaryBody, rt: Runtime, who: Caller) -> DictionaryEntry:
    """A term kept whole by the segmenter, with synonyms searched along with it."""
    check.admin(who)
    synonyms = [s for s in check.tags(body.synonyms) if s != body.term]
    try:
        row = await dictionary.add_entry(rt.db, rt.center_id, body.term, synonyms)
    except dictionary.DuplicateTerm as error:
        raise ApiError(409, "duplicate_term", str(error)) from None
    except dictionary.TooManyEntries as error:
        raise ApiError(409, "too_many", str(error)) from None
    rt.knowledge.forget_dictionary(rt.center_id)
    # The articles already published that hold it are cut again with it as one word.
    await articles.reindex_mentioning(rt.db, rt.center_id, [row.term, *row.synonyms])
    return DictionaryEntry(id=row.id, term=row.term, synonyms=row.synonyms)


@router.delete("/dictionary/{entry_id}", status_code=204, response_class=Response,
               responses=errors(*AUTHENTICATED, 404))
async def delete_dictionary_entry(entry_id: RowIdPath, rt: Runtime, who: Caller) -> Response:
    check.admin(who)
    if not await dictionary.delete_entry(rt.db, rt.center_id, entry_id):
        raise ApiError(404, "not_found", f"no dictionary entry {entry_id}")
    rt.knowledge.forget_dictionary(rt.center_id)
    return Response(status_code=204)
