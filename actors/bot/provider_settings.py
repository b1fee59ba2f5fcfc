"""Which answer provider a center's bot uses (centers.settings' `answer_provider`
section). The built-in one needs nothing; an OpenAI-compatible chat endpoint needs its
URL, a model and usually a key. The key is a secret: the admin API shows it masked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlparse

ProviderKind = Literal["builtin", "openai_compatible"]
KINDS = ("builtin", "openai_compatible")


@dataclass(frozen=True)
class AnswerProviderSettings:
    kind: ProviderKind = "builtin"
    base_url: str = ""  # e.g. https://api.example.com/v1 (POST {base_url}/chat/completions)
    model: str = ""
    api_key: str = ""
    timeout_s: float = 8.0  # past it the bot answers from the search alone

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "base_url": self.base_url, "model": self.model,
                "api_key": self.api_key, "timeout_s": self.timeout_s}

    def masked(self) -> dict[str, Any]:
        """For the admin API: the key never leaves the center, only whether there is one."""
        wire = self.to_json()
        del wire["api_key"]
        wire["api_key_set"] = bool(self.api_key)
        wire["api_key_hint"] = ("…" + self.api_key[-4:]) if len(self.api_key) >= 8 else ""
        return wire


def parse_answer_provider(data: Any) -> AnswerProviderSettings:
    if data is None:
        return AnswerProviderSettings()
    if not isinstance(data, dict):
        raise ValueError("answer_provider must be a JSON object")
    unknown = set(data) - set(AnswerProviderSettings.__dataclass_fields__)
    if unknown:
        raise ValueError(f"answer_provider: unknown setting {sorted(unknown)[0]!r}")
    kind = data.get("kind", "builtin")
    if kind not in KINDS:
        raise ValueError(f"answer_provider.kind must be one of {', '.join(KINDS)}")
    texts = {}
    for key, limit in (("base_url", 500), ("model", 200), ("api_key", 500)):
        value = data.get(key, "")
        if not isinstance(value, str) or len(value) > limit:
            raise ValueError(f"answer_provider.{key} must be text of at most {limit} characters")
        texts[key] = value.strip()
    timeout = data.get("timeout_s", 8.0)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0.5 <= timeout <= 60:
        raise ValueError("answer_provider.timeout_s must be a number of seconds from 0.5 to 60")
    if kind == "openai_compatible":
        url = urlparse(texts["base_url"])
        if url.scheme not in ("http", "https") or not url.netloc:
            raise ValueError("answer_provider.base_url must be an http(s) URL")
        if not texts["model"]:
            raise ValueError("answer_provider.model is needed for an openai_compatible provider")
    return AnswerProviderSettings(kind=kind, timeout_s=float(timeout), **texts)
