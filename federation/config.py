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
        forward: [aftersales]     # businesses we may offer it
        accept: []                # businesses we take from it

A peer not listed, or one whose certificate does not chain to `ca`, is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9.-]*$")]
Business = Annotated[str, Field(min_length=1, max_length=64)]


class LinkConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    peer: Name
    address: str | None = None
    role: Literal["child", "parent", "partner"] = "partner"
    forward: tuple[Business, ...] = ()
    accept: tuple[Business, ...] = ()


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
