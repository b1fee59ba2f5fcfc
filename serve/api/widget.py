"""The widget's look, set by the admin: `/api/v1/admin/widget`, read by every page view
through `GET /api/v1/widget/config` (no token: the loader runs before any visitor
exists), and the embed code to paste (`/api/v1/admin/widget/embed-code`).

Stored as the `widget` section of the center's settings; a field left null takes the
app's own default in the visitor's language (so an untouched center speaks both).
"""

from __future__ import annotations

import re
from urllib.parse import urlencode
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from actors.store.centers import get_center, set_center_section
from actors.store.skill_groups import get_skill_group
from serve.api.access import Caller, Runtime, require_role
from serve.api.error_responses import AUTHENTICATED, errors
from serve.errors import ApiError
from serve.ui.embed import embed_code

router = APIRouter(tags=["widget"])
SECTION = "widget"
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _image_url(value: str | None) -> str | None:
    # Shown as <img src>: only the web's own schemes, never javascript: or data:.
    if value is not None and not (value.startswith(("https://", "http://")) or
                                  (value.startswith("/") and not value.startswith("//"))):
        raise ValueError("an image URL starts with https://, http:// or /")
    return value


ImageUrl = Annotated[str, Field(max_length=1000), AfterValidator(_image_url)]
Color = Annotated[str, Field(pattern=COLOR.pattern, examples=["#1f6feb"])]


class MenuEntry(BaseModel):
    """A business the visitor may pick before chatting (导航菜单): its skill group and its
    label in each language (zh-CN falls back to the English one)."""

    model_config = ConfigDict(extra="forbid")
    skill_group: Annotated[str, Field(min_length=1, max_length=64)]
    label: Annotated[str, Field(min_length=1, max_length=60)]
    label_zh: Annotated[str, Field(min_length=1, max_length=60)] | None = None


MAX_MENU = 20


class WidgetSettings(BaseModel):
    """What a visitor sees before and around the chat; null: the default."""

    model_config = ConfigDict(extra="forbid")
    title: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    greeting: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    offline_message: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    color: Color | None = None
    position: Literal["right", "left"] | None = None
    logo_url: ImageUrl | None = None
    agent_icon_url: ImageUrl | None = None
    # Empty or null: no menu, the chat goes to the page's skill group (or the routing's).
    menu: Annotated[list[MenuEntry], Field(max_length=MAX_MENU)] | None = None


class WidgetConfig(BaseModel):
    """The settings with their defaults filled in where the default is not a text."""

    title: str | None
    greeting: str | None
    offline_message: str | None
    color: str
    position: Literal["right", "left"]
    logo_url: str | None
    agent_icon_url: str | None
    menu: list[MenuEntry]


class EmbedCode(BaseModel):
    html: str
    chat_url: str


DEFAULT_COLOR = "#1f6feb"


async def _stored(rt: Runtime) -> WidgetSettings:
    row = await get_center(rt.db, rt.center_id)
    section = ((row.settings or {}) if row else {}).get(SECTION) or {}
    known = {k: v for k, v in section.items() if k in WidgetSettings.model_fields}
    return WidgetSettings(**known)


def _config(settings: WidgetSettings) -> WidgetConfig:
    return WidgetConfig(title=settings.title, greeting=settings.greeting,
                        offline_message=settings.offline_message,
                        color=settings.color or DEFAULT_COLOR, position=settings.position or "right",
                        logo_url=settings.logo_url, agent_icon_url=settings.agent_icon_url,
                        menu=settings.menu or [])


@router.get("/api/v1/widget/config", response_model=WidgetConfig)
async def widget_config(rt: Runtime, response: Response) -> WidgetConfig:
    # Fetched by every page view of every customer site: a short shared cache.
    response.headers["Cache-Control"] = "public, max-age=60"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return _config(await _stored(rt))


@router.get("/api/v1/admin/widget", response_model=WidgetSettings, responses=errors(*AUTHENTICATED))
async def get_widget_settings(rt: Runtime, who: Caller) -> WidgetSettings:
    require_role(who, "admin", "supervisor")
    return await _stored(rt)


@router.put("/api/v1/admin/widget", response_model=WidgetSettings, responses=errors(*AUTHENTICATED, 422))
async def put_widget_settings(body: WidgetSettings, rt: Runtime, who: Caller) -> WidgetSettings:
    require_role(who, "admin")
    for entry in body.menu or ():
        if await get_skill_group(rt.db, rt.center_id, entry.skill_group) is None:
            raise ApiError(422, "unknown_skill_group", f"no skill group {entry.skill_group!r} for the menu")
    await set_center_section(rt.db, rt.center_id, SECTION, body.model_dump(exclude_none=True) or None)
    return await _stored(rt)


@router.get("/api/v1/admin/widget/embed-code", response_model=EmbedCode, responses=errors(*AUTHENTICATED))
async def get_embed_code(request: Request, rt: Runtime, who: Caller,
                         skill_group: Annotated[str | None, Query(max_length=64)] = None,
                         lang: Literal["en", "zh-CN"] | None = None) -> EmbedCode:
    require_role(who, "admin", "supervisor")
    center = str(request.base_url).rstrip("/")
    position = (await _stored(rt)).position
    query = urlencode({k: v for k, v in (("skill_group", skill_group), ("lang", lang)) if v})
    return EmbedCode(html=embed_code(center, skill_group, lang, position),
                     chat_url=f"{center}/chat" + (f"?{query}" if query else ""))
