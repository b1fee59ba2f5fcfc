"""Data survives a full restart of `python -m serve.main` on the same data folder."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from serve.center_process import NotServing, wait_serving
from tests.integration.protocol_client import Api, Socket, unique

PORT = int(os.environ.get("KEFU_TEST_RESTART_PORT", "18100"))
PROJECT = Path(__file__).resolve().parents[2]
# This center's Ray runs beside the test session's: Serve's side ports must differ
# (serve/side_ports.py; the session's are at SESSION_SIDE_PORTS).
RESTART_SIDE_PORTS = os.environ.get("KEFU_TEST_RESTART_SIDE_PORT_BASE", "21000")


def start(data_dir: Path, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "KEFU_DATA_DIR": str(data_dir), "KEFU_PORT": str(PORT),
           "KEFU_ADMIN_PASSWORD": "restart-pw", "KEFU_SHARDS": "1", "KEFU_INSTANCE": "kefu-restart",
           "KEFU_MAX_CONNECTIONS": "200", "KEFU_SIDE_PORT_BASE": RESTART_SIDE_PORTS}
    env.pop("KEFU_DATABASE_URL", None)
    env.pop("KEFU_REDIS_URL", None)
    log = open(log_path, "ab")
    process = subprocess.Popen([sys.executable, "-m", "serve.main"], cwd=PROJECT, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_serving(f"http://127.0.0.1:{PORT}", process, 120)
    except NotServing as problem:
        if process.poll() is None:
            stop(process)
        raise AssertionError(f"{problem}: " + log_path.read_text()[-3000:]) from None
    return process


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


@pytest.fixture
def restart_dirs(tmp_path):
    return tmp_path / "data", tmp_path / "center.log"


async def test_history_accounts_and_open_conversations_survive_a_restart(restart_dirs):
    data_dir, log_path = restart_dirs
    base = f"http://127.0.0.1:{PORT}"
    process = await asyncio.to_thread(start, data_dir, log_path)
    try:
        admin = await Api(base).login("admin", "restart-pw")
        group = (await admin.create_group(unique("g")))["name"]
        username = unique("ag")
        agent_id = await admin.create_agent(username, {group: 1}, 2)
        agent_api = await Api(base).login(username, "secret-pw")
        agent = await Socket.open(base, "agent", agent_api.token)
        await agent.send({"type": "status", "status": "online"})
        await agent.next("status")
        _, visitor_token = await Api(base).new_visitor("Returning")
        guest = await Socket.open(base, "visitor", visitor_token)
        await guest.send({"type": "chat.request", "skill_group": group})
        cid = (await guest.next("assigned"))["conversation_id"]
        await guest.message(cid, "before the restart")
        await agent.message(cid, "noted")
        await guest.close()
        await agent.close()
    finally:
        await asyncio.to_thread(stop, process)

    process = await asyncio.to_thread(start, data_dir, log_path)
    try:
        # The same accounts, tokens and conversation; the seq goes on without a gap.
        agent_api = await Api(base).login(username, "secret-pw")
        history = await Api(base, visitor_token).call("GET", f"/api/v1/conversations/{cid}/messages")
        assert [(m["seq"], m["body"]) for m in history["messages"]] == [
            (1, "before the restart"), (2, "noted")]
        agent = await Socket.open(base, "agent", agent_api.token)
        welcome = await agent.next("welcome")
        assert welcome["agent_id"] == agent_id
        assert [c["conversation_id"] for c in welcome["conversations"]] == [cid]
        guest = await Socket.open(base, "visitor", visitor_token)
        assert (await guest.message(cid, "after the restart"))["seq"] == 3
        assert (await agent.next("message"))["message"]["seq"] == 3
        await guest.close()
        await agent.close()
    finally:
        await asyncio.to_thread(stop, process)
