"""The answer provider's admin API on a running center: the key is never answered (only
whether one is set and its last four characters), a change without a key keeps it, ""
clears it, bad settings are refused with the parser's message, agents and supervisors
are refused, and `…/test` runs the stored provider (the built-in search, or a local
fake OpenAI-compatible endpoint, falling back to the search when it fails)."""

from __future__ import annotations

import pytest

from tests.integration.conftest import ADMIN_PASSWORD
from tests.integration.fake_chat_completions import API_KEY, MODEL, REPLY_PREFIX, FakeChatCompletions
from tests.integration.protocol_client import Api, unique

PATH = "/api/v1/admin/answer-provider"


@pytest.fixture
async def admin(center):
    api = await Api(center.url).login("admin", ADMIN_PASSWORD)
    yield api
    # The center is the session's: leave it answering from the search, as it started.
    await api.call("PUT", PATH, {"kind": "builtin", "api_key": ""})


@pytest.fixture
def endpoint():
    fake = FakeChatCompletions().start()
    yield fake
    fake.stop()


async def published_article(admin: Api, title: str, body: str, visibility: str = "public") -> str:
    categories = (await admin.call("GET", "/api/v1/knowledge/categories"))["categories"]
    faq = next(c["id"] for c in categories if c["name"] == "FAQ")
    created = await admin.call("POST", "/api/v1/knowledge/articles", {
        "category_id": faq, "title": title, "body_html": body, "visibility": visibility}, expect=201)
    await admin.call("POST", f"/api/v1/knowledge/articles/{created['id']}/submit")
    await admin.call("POST", f"/api/v1/knowledge/articles/{created['id']}/approve")
    return created["id"]


async def test_the_key_stays_masked_and_is_kept_unless_replaced(center, admin, endpoint):
    assert (await admin.call("GET", PATH))["kind"] == "builtin"
    saved = await admin.call("PUT", PATH, {"kind": "openai_compatible", "base_url": endpoint.base_url,
                                           "model": MODEL, "api_key": API_KEY, "timeout_s": 5})
    assert saved == {"kind": "openai_compatible", "base_url": endpoint.base_url, "model": MODEL, "timeout_s": 5.0,
                     "api_key_set": True, "api_key_hint": "…" + API_KEY[-4:]}
    assert await admin.call("GET", PATH) == saved
    assert API_KEY not in str(await admin.call("GET", "/api/v1/admin/center"))
    # No key in the change: the stored one stays.
    kept = await admin.call("PUT", PATH, {"kind": "openai_compatible", "base_url": endpoint.base_url,
                                          "model": "other-model", "timeout_s": 3})
    assert (kept["model"], kept["api_key_set"], kept["api_key_hint"]) == ("other-model", True, "…abcd")
    cleared = await admin.call("PUT", PATH, {"kind": "openai_compatible", "base_url": endpoint.base_url,
                                             "model": MODEL, "api_key": ""})
    assert (cleared["api_key_set"], cleared["api_key_hint"]) == (False, "")
    assert (await admin.call("GET", PATH))["api_key_set"] is False


async def test_bad_settings_and_other_roles_are_refused(center, admin):
    for body, words in (({"kind": "openai_compatible", "base_url": "ftp://x", "model": "m"}, "http(s) URL"),
                        ({"kind": "openai_compatible", "base_url": "https://x.test/v1"}, "model is needed"),
                        ({"kind": "builtin", "timeout_s": 100}, "timeout_s"),
                        ({"kind": "magic"}, "kind"),
                        ({"kind": "builtin", "colour": "red"}, "colour")):
        refused = await admin.call("PUT", PATH, body, expect=422)
        assert refused["error"]["code"] == "invalid_request" and words in refused["error"]["message"], refused
    assert (await admin.call("GET", PATH))["kind"] == "builtin"  # nothing stored
    for role in ("agent", "supervisor"):
        name = unique(role[:2])
        await admin.create_agent(name, {}, 2, role=role)
        other = await Api(center.url).login(name, "secret-pw")
        for method, path, body in (("GET", PATH, None), ("PUT", PATH, {"kind": "builtin"}),
                                   ("POST", f"{PATH}/test", {"question": "x"})):
            assert (await other.call(method, path, body, expect=403))["error"]["code"] == "forbidden"
    await Api(center.url).call("GET", PATH, expect=401)


async def test_an_admin_tries_a_question_on_the_stored_provider(center, admin, endpoint):
    word = unique("bq")  # a word only this test's articles hold
    article = await published_article(admin, f"Change the delivery address {word}",
                                      f"<p>Open the order {word} and press <b>Edit address</b>.</p>")
    await published_article(admin, f"Staff only {word}x", f"<p>Internal {word}x notes.</p>", visibility="internal")
    tried = await admin.call("POST", f"{PATH}/test", {"question": f"delivery address {word}", "threshold": 0.3})
    assert (tried["provider"], tried["answered"], tried["article_id"]) == ("builtin", True, article)
    assert tried["text"] == f"Open the order {word} and press Edit address." and tried["error"] is None
    unsure = await admin.call("POST", f"{PATH}/test", {"question": f"delivery {word} unrelatedword", "threshold": 0.9})
    assert unsure["answered"] is False and unsure["text"] is None
    assert [c["article_id"] for c in unsure["choices"]] == [article]
    hidden = await admin.call("POST", f"{PATH}/test", {"question": f"{word}x"})
    assert (hidden["answered"], hidden["choices"]) == (False, [])
    await admin.call("POST", f"{PATH}/test", {"question": ""}, expect=422)
    await admin.call("POST", f"{PATH}/test", {"question": "x", "threshold": 2}, expect=422)
    # The OpenAI-compatible endpoint composes it, grounded in the article.
    await admin.call("PUT", PATH, {"kind": "openai_compatible", "base_url": endpoint.base_url, "model": MODEL,
                                   "api_key": API_KEY, "timeout_s": 2})
    composed = await admin.call("POST", f"{PATH}/test", {"question": f"delivery address {word}", "threshold": 0.3})
    assert (composed["provider"], composed["article_id"]) == ("openai_compatible", article)
    assert composed["text"] == REPLY_PREFIX + f"Change the delivery address {word}"
    assert "Edit address" in endpoint.requests[-1]["body"]["messages"][0]["content"]
    # The endpoint failing: the search's answer, and why, for the admin.
    endpoint.mode = "error"
    failed = await admin.call("POST", f"{PATH}/test", {"question": f"delivery address {word}", "threshold": 0.3})
    assert (failed["provider"], failed["article_id"]) == ("builtin", article)
    assert "500" in failed["error"]
