"""An article's review workflow (审核): which transition is allowed from which status,
by whom, and what an edit does to the status.

    draft --submit--> in_review --approve--> published
      ^                  |reject (comment)
      +------------------+
    draft | in_review | published --archive--> archived --restore--> draft

What visitors and the bot see is the article's `published_version` (None: nothing):
an agent's edit of a published article puts the new version in review while the
published one stays live; approving it publishes it. Archiving takes the article off
the help center and search; restoring makes it a draft to be approved again.
"""

from __future__ import annotations

from dataclasses import dataclass

AUTHOR_ROLES = ("admin", "supervisor", "agent")
REVIEW_ROLES = ("admin", "supervisor")
STATUSES = ("draft", "in_review", "published", "archived")


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    needs_comment: bool = False


TRANSITIONS = {
    "submit": Transition(("draft",), "in_review", AUTHOR_ROLES),
    "approve": Transition(("in_review",), "published", REVIEW_ROLES),
    "reject": Transition(("in_review",), "draft", REVIEW_ROLES, needs_comment=True),
    "archive": Transition(("draft", "in_review", "published"), "archived", REVIEW_ROLES),
    "restore": Transition(("archived",), "draft", REVIEW_ROLES),
}
# The workflow's record names the action done, in the past tense.
RECORDED = {"submit": "submitted", "approve": "approved", "reject": "rejected", "archive": "archived",
            "restore": "restored"}


class BadTransition(Exception):
    pass


def next_status(action: str, status: str) -> str:
    transition = TRANSITIONS[action]
    if status not in transition.sources:
        raise BadTransition(f"cannot {action} an article that is {status}")
    return transition.target


def published_after(action: str, version: int, published_version: int | None) -> int | None:
    """The live version after a transition."""
    if action == "approve":
        return version
    if action in ("archive", "restore"):
        return None
    return published_version


def status_after_edit(status: str, editor_role: str) -> str:
    """An edit of a published article by an agent goes to review; by a reviewer it stays
    published (and is published at once). Other statuses keep theirs."""
    if status == "published" and editor_role not in REVIEW_ROLES:
        return "in_review"
    return status
