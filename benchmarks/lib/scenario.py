"""What every center scenario shares: the center it drives (given by --url, or
started here like `make up`), and the wall-clock base all its workers agree on."""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import psutil

from benchmarks.lib.local_center import LocalCenter

# Set by benchmarks.run when it started the center itself, so a scenario given
# --url can still measure that center's processes.
CENTER_PID_ENV = "KEFU_BENCH_CENTER_PID"
ADMIN_PASSWORD_ENV = "KEFU_BENCH_ADMIN_PASSWORD"


@dataclass
class Target:
    url: str
    admin_password: str
    # The center's processes, when they run on this machine and we know them.
    processes: Callable[[], list[psutil.Process]] | None


@contextlib.contextmanager
def center_for(args) -> Iterator[Target]:
    if args.url:
        password = os.environ.get(ADMIN_PASSWORD_ENV)
        if not password:
            raise SystemExit(f"--url needs the center's admin password in {ADMIN_PASSWORD_ENV}")
        pid = os.environ.get(CENTER_PID_ENV)

        def tree() -> list[psutil.Process]:
            root = psutil.Process(int(pid))
            return [root, *root.children(recursive=True)]

        yield Target(args.url.rstrip("/"), password, tree if pid else None)
        return
    center = LocalCenter.start()
    try:
        yield Target(center.url, center.admin_password, center.processes)
    finally:
        center.stop()


@dataclass
class Cast:
    """Who takes part in a scenario: a fresh skill group, its agents ({username,
    password}) with `cap` chats each, and new visitors' tokens."""

    group: str
    accounts: list[dict]
    tokens: list[str]
    cap: int


def cast_for(center: Target, prefix: str, agents: int, visitors: int, cap: int | None = None,
             connections: int = 10) -> Cast:
    """Creates the cast through the REST edge; the cap defaults to just enough for
    every visitor to be served at once."""
    import asyncio

    from benchmarks.lib.kefu_client import create_visitors, setup_group_and_agents

    cap = cap or -(-visitors // agents)
    group, accounts = asyncio.run(setup_group_and_agents(
        center.url, center.admin_password, prefix, agents, cap, connections))
    tokens = asyncio.run(create_visitors(center.url, visitors, connections))
    return Cast(group, accounts, tokens, cap)


# The load worker of every scenario with agents and visitors: it runs
# `<role>_worker` of the scenario module named in the config.
ROLE_WORKER = "benchmarks.lib.scenario:by_role"


async def by_role(config: dict, progress: Callable[[int], None]) -> dict:
    import importlib

    module = importlib.import_module(config["module"])
    return await getattr(module, f"{config['role']}_worker")(config, progress)


async def started(config: dict) -> float:
    """Wait at the start barrier; returns the base time every worker of the run shares
    (the barrier releases them together, so `time.time()` right after it agrees
    across processes to within milliseconds)."""
    from benchmarks.lib.procs import wait_for_start

    await wait_for_start(config)
    return time.time()


async def sleep_until(moment: float) -> None:
    import asyncio

    delay = moment - time.time()
    if delay > 0:
        await asyncio.sleep(delay)
