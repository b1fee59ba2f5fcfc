"""Which centers this one is linked to, and what may cross each link
(`KEFU_LINKS_FILE`, YAML; no file: no links and no link server).

    name: hq                      # this center's link name: its certificate's
    listen: 127.0.0.1:7443        # where partners dial in (omit: dial out only)
    certificate: var/certs/hq.pem
    key: var/certs/hq-key.pem
    ca: var/certs/ca.pem          # the CA the peers' certificates must chain to
    links:
      - peer: branch              # the peer's certificate name
        address: 127.0.0.1:7444   # dial it (omit: it dials us)
        role: child               # child | parent | partner
        forward: [aftersales]     # businesses we offer it, always (it owns them)
        accept: []                # businesses we take from it
      - peer: partner
        address: 127.0.0.1:7445
        forward:                  # or with a rule: when to offer it
          - business: presales
            when: [overflow, out_of_hours]
            margin_s: 30          # its wait plus the hand-off must beat ours by this
            hysteresis_s: 10      # once forwarding, stop only below margin - hysteresis

A peer not listed, or one whose certificate does not chain to `ca`, is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from federation.policy import ForwardRule

Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9.-]*$")]
Business = Annotated[str, Field(min_length=1, max_length=64)]
When = Literal["always", "overflow", "out_of_hours"]


class ForwardConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    business: Business
    when: tuple[When, ...] = ("always",)
    margin_s: Annotated[float, Field(ge=0)] = 30.0
    hysteresis_s: Annotated[float, Field(ge=0)] = 10.0
    handoff_s: Annotated[float, Field(ge=0)] = 2.0


class LinkConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    peer: Name
    address: str | None = None
    role: Literal["child", "parent", "partner"] = "partner"
    forward: tuple[ForwardConfig, ...] = ()
    accept: tuple[Business, ...] = ()

    @field_validator("forward", mode="before")
    @classmethod
    def _plain_names(cls, value):
        """A plain business name is forwarded always (the peer owns it)."""
        return [{"business": item} if isinstance(item, str) else item for item in (value or ())]

    def forwarded(self) -> frozenset[str]:
        return frozenset(rule.business for rule in self.forward)

    def forward_rules(self) -> list[ForwardRule]:
        return [ForwardRule(self.peer, rule.business, rule.when, rule.margin_s, rule.hysteresis_s,
                            rule.handoff_s) for rule in self.forward]


class LinksConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name
    listen: str | None = None
    certificate: Path
    key: Path
    ca: Path
    links: tuple[LinkConfig, ...] = ()
    # Application heartbeats: one every `heartbeat_s`; a peer silent for `dead_after_s` is down.
    heartbeat_s: Annotated[float, Field(gt=0, le=60)] = 0.5
    dead_after_s: Annotated[float, Field(gt=0, le=600)] = 2.5
    # Adverts are pushed on change and at least this often; a receiver drops one past its TTL.
    advert_every_s: Annotated[float, Field(gt=0, le=60)] = 1.0
    advert_ttl_s: Annotated[float, Field(gt=0, le=600)] = 3.0
    # An offer not answered in this time counts as declined; the next partner (or the
    # local queue) is tried.
    offer_timeout_s: Annotated[float, Field(gt=0, le=60)] = 2.0
    # A conversation passes at most this many centers (A -> B -> C is two hops).
    max_hops: Annotated[int, Field(ge=1, le=16)] = 4
    # A partner down this long has the conversations we forwarded to it taken back
    # into our local queues (with their history).
    take_back_after_s: Annotated[float, Field(gt=0, le=86400)] = 30.0

    @field_validator("links")
    @classmethod
    def _one_link_per_peer(cls, links: tuple[LinkConfig, ...]) -> tuple[LinkConfig, ...]:
        peers = [link.peer for link in links]
        if len(set(peers)) != len(peers):
            raise ValueError("each peer may be linked once")
        return links

    @model_validator(mode="after")
    def _sensible(self) -> "LinksConfig":
        if any(link.peer == self.name for link in self.links):
            raise ValueError("a center cannot link to itself")
        if self.dead_after_s <= self.heartbeat_s:
            raise ValueError("dead_after_s must be longer than heartbeat_s")
        return self

    def link(self, peer: str) -> LinkConfig | None:
        return next((link for link in self.links if link.peer == peer), None)


def load_links(path: Path) -> LinksConfig:
    """The file's links; paths in it are relative to the file's folder."""
    data = yaml.safe_load(path.read_text()) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a mapping is expected")
    for key in ("certificate", "key", "ca"):
        if key in data and not Path(str(data[key])).is_absolute():
            data[key] = str(path.parent / str(data[key]))
    return LinksConfig.model_validate(data)
