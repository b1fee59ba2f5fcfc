"""Vendor the web UIs' npm packages into serve/ui/vendor/ (DESIGN.md decision 11).

The UIs are buildless ES modules served by the center itself: no CDN, and `make up`
needs no Node. This script is how the vendored files got here, and the only way they
change: it fetches each pinned package with the ordinary npm client (`npm pack`),
checks the tarball against the integrity the registry published, copies the ES module
builds and licences the UIs use, and records every file's SHA-256 in
`vendor/lock.json`, which `tests/unit/test_vendored_ui.py` checks on every test run.

Usage (needs Node's npm; run from the project root):
    python -m serve.ui.vendor_packages          # fetch, verify, copy, write the lock
    python -m serve.ui.vendor_packages --check  # verify the vendored files against the lock
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parent / "vendor"
LOCK_FILE = VENDOR_DIR / "lock.json"


@dataclass(frozen=True)
class Package:
    name: str
    version: str  # pinned exactly: an update is a deliberate change of this line
    # Files taken from the tarball's package/ folder -> where they go under vendor/.
    files: tuple[tuple[str, str], ...]
    # The bare import specifiers these files answer to (the UIs' import map).
    imports: tuple[tuple[str, str], ...]


PACKAGES = (
    Package("preact", "11.2.0",
            files=(("dist/preact.mjs", "preact/preact.mjs"), ("hooks/dist/hooks.mjs", "preact/hooks.mjs"),
                   ("LICENSE", "preact/LICENSE")),
            imports=(("preact", "preact/preact.mjs"), ("preact/hooks", "preact/hooks.mjs"))),
    Package("htm", "3.1.1",
            files=(("dist/htm.mjs", "htm/htm.mjs"), ("preact/index.mjs", "htm/preact.mjs"),
                   ("LICENSE", "htm/LICENSE")),
            imports=(("htm", "htm/htm.mjs"), ("htm/preact", "htm/preact.mjs"))),
    Package("@preact/signals-core", "1.14.5",
            files=(("dist/signals-core.mjs", "signals-core/signals-core.mjs"),
                   ("LICENSE", "signals-core/LICENSE")),
            imports=(("@preact/signals-core", "signals-core/signals-core.mjs"),)),
    Package("@preact/signals", "2.11.4",
            files=(("dist/signals.mjs", "signals/signals.mjs"), ("LICENSE", "signals/LICENSE")),
            imports=(("@preact/signals", "signals/signals.mjs"),)),
    # The console's live series (DESIGN.md decision 11): small, fast, no dependencies.
    Package("uplot", "1.6.32",
            files=(("dist/uPlot.esm.js", "uplot/uPlot.esm.js"), ("dist/uPlot.min.css", "uplot/uPlot.min.css"),
                   ("LICENSE", "uplot/LICENSE")),
            imports=(("uplot", "uplot/uPlot.esm.js"),)),
)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _verify_integrity(tarball: bytes, integrity: str) -> None:
    algorithm, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if digest != expected:
        raise SystemExit(f"integrity mismatch: {integrity} vs {algorithm}-{digest}")


def _pack(package: Package, into: Path) -> tuple[bytes, str]:
    """The package's tarball, fetched by npm, and the integrity npm reported for it."""
    out = subprocess.run(["npm", "pack", f"{package.name}@{package.version}", "--json"],
                         cwd=into, check=True, capture_output=True, text=True).stdout
    (info,) = json.loads(out)
    if info["version"] != package.version:
        raise SystemExit(f"{package.name}: asked for {package.version}, got {info['version']}")
    return (into / info["filename"]).read_bytes(), info["integrity"]


def vendor() -> dict:
    lock: dict = {"packages": {}, "imports": {}}
    with tempfile.TemporaryDirectory() as scratch:
        for package in PACKAGES:
            tarball, integrity = _pack(package, Path(scratch))
            _verify_integrity(tarball, integrity)
            files = {}
            with tarfile.open(fileobj=io.BytesIO(tarball)) as archive:
                for source, target in package.files:
                    data = archive.extractfile(f"package/{source}").read()
                    path = VENDOR_DIR / target
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
                    files[target] = sha256(data)
            lock["packages"][package.name] = {"version": package.version, "integrity": integrity,
                                              "files": files}
            lock["imports"].update({spec: f"./{target}" for spec, target in package.imports})
    LOCK_FILE.write_text(json.dumps(lock, indent=2, sort_keys=True) + "\n")
    return lock


def check() -> list[str]:
    """What differs between the vendored files and the lock (empty when all is well)."""
    lock = json.loads(LOCK_FILE.read_text())
    problems = []
    for package in PACKAGES:
        entry = lock["packages"].get(package.name)
        if entry is None or entry["version"] != package.version:
            problems.append(f"{package.name}: lock does not pin {package.version}")
            continue
        for _, target in package.files:
            path = VENDOR_DIR / target
            if not path.exists() or sha256(path.read_bytes()) != entry["files"].get(target):
                problems.append(f"{target}: missing or changed")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the vendored files only")
    if parser.parse_args().check:
        problems = check()
        print("\n".join(problems) or "vendored files match vendor/lock.json")
        return 1 if problems else 0
    lock = vendor()
    print(f"vendored {len(lock['packages'])} packages into {VENDOR_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
