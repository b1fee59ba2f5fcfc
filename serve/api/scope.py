"""A caller's department scope (部门数据隔离), read once per call from the account.

`caller_scope` is what every conversation, queue, agent and report call asks; the
rule itself lives in actors/store/department_scope.py. Out-of-scope things answer
as if they did not exist (404 not_found), so ids do not leak across departments.
"""

from __future__ import annotations

from actors.store.department_scope import Scope
from actors.store.departments import conversation_visible, department_exists, staff_scope
from actors.store.left_messages import PoolViewer
from serve.auth import Principal
from serve.errors import ApiError
from serve.runtime import GatewayRuntime


async def caller_scope(rt: GatewayRuntime, who: Principal) -> Scope:
    """None (everything) for admins and supervisors without a department; else the
    supervisor's department and its subtree. Only meaningful for overseers: agents
    keep their own narrower rules (what they own or take part in)."""
    if not who.is_staff or who.role == "admin":
        return None
    return await staff_scope(rt.db, rt.center_id, who.id, who.role)


async def known_department(rt: GatewayRuntime, department_id: int | None) -> None:
    """A department an account or group is put in must exist in this center (422)."""
    if department_id is not None and not await department_exists(rt.db, rt.center_id, department_id):
        raise ApiError(422, "unknown_department", f"no department {department_id}")


async def overseen(rt: GatewayRuntime, who: Principal, conversation_id: str) -> bool:
    """Whether an overseer (admin, supervisor) may see and act on this conversation."""
    scope = await caller_scope(rt, who)
    return scope is None or await conversation_visible(rt.db, rt.center_id, conversation_id, scope)


async def pool_viewer(rt: GatewayRuntime, who: Principal) -> PoolViewer:
    """Who sees which left messages (留言): an agent their own and the unassigned ones of
    their groups; an overseer their departments' (actors/store/left_messages.py)."""
    if who.role == "agent":
        return PoolViewer(rt.center_id, agent_id=who.id)
    return PoolViewer(rt.center_id, scope=await caller_scope(rt, who))
