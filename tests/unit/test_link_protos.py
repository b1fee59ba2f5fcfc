"""The committed link code is what protos/ generates (with the pinned grpcio-tools)."""

from __future__ import annotations

from federation.codegen import GENERATED, ROOT, SOURCES, generate


def test_the_generated_link_code_matches_the_proto(tmp_path):
    fresh = generate(tmp_path)
    assert len(fresh) == len(SOURCES) * len(GENERATED)
    for path in fresh:
        committed = ROOT / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), (
            f"{committed.relative_to(ROOT)} is stale: run `make protos` and commit it")
