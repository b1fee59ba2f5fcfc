"""The one script tag a site pastes to get the widget (PROTOCOL.md version 1.1, pages)."""

from __future__ import annotations

import html


def embed_code(center_url: str, skill_group: str | None = None, lang: str | None = None,
               position: str | None = None) -> str:
    center = html.escape(center_url.rstrip("/"))
    attributes = [f'src="{center}/widget.js"', f'data-center="{center}"']
    for name, value in (("skill-group", skill_group), ("lang", lang), ("position", position)):
        if value:
            attributes.append(f'data-{name}="{html.escape(value)}"')
    return f"<script async {' '.join(attributes)}></script>"
