"""Generates the link's Python code from protos/ (`make protos`).

The generated modules are committed (federation/v1/), so a center runs without
grpcio-tools; tests/unit/test_link_protos.py regenerates them into a scratch
folder with the pinned grpcio-tools and fails if anything differs.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROTOS = ROOT / "protos"
SOURCES = ("federation/v1/link.proto",)
GENERATED = ("link_pb2.py", "link_pb2.pyi", "link_pb2_grpc.py")


def generate(out_dir: Path) -> list[Path]:
    """Writes the generated files under `out_dir` (mirroring protos/); their paths."""
    from grpc_tools import protoc

    out_dir.mkdir(parents=True, exist_ok=True)
    for source in SOURCES:
        code = protoc.main(["grpc_tools.protoc", f"-I{PROTOS}", f"--python_out={out_dir}",
                            f"--pyi_out={out_dir}", f"--grpc_python_out={out_dir}", str(PROTOS / source)])
        if code != 0:
            raise RuntimeError(f"protoc failed on {source} ({code})")
    return [out_dir / Path(source).parent / name for source in SOURCES for name in GENERATED]


if __name__ == "__main__":
    for path in generate(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
