"""Baseline: one Ray actor call round trip, a part no relay can avoid.

An async actor calls another async actor (`await actor.method.remote(payload)`)
with a message-sized payload, as the center's gateway replica calls an entity
shard; the caller times each call itself, so the driver's own call to collect
samples is not counted.
"""

from __future__ import annotations

import time

import ray
from tqdm import tqdm

from benchmarks.lib import ports
from benchmarks.lib.fragment import common_args, metric, write_fragment
from benchmarks.lib.stats import summarize

CHUNK = 100
PAYLOAD = {"type": "message", "conversation_id": "c-0123456789abcdef", "client_msg_id": "m-42",
           "body": "x" * 100}


@ray.remote
class Target:
    async def echo(self, payload: dict) -> dict:
        return payload


@ray.remote
class Caller:
    async def measure(self, target: "ray.actor.ActorHandle", calls: int) -> list[float]:
        samples = []
        for _ in range(calls):
            started = time.perf_counter()
            await target.echo.remote(PAYLOAD)
            samples.append((time.perf_counter() - started) * 1000)
        return samples


def measure(calls: int, warmup: int) -> list[float]:
    target, caller = Target.remote(), Caller.remote()
    ray.get(caller.measure.remote(target, warmup))
    samples: list[float] = []
    with tqdm(total=calls, desc="ray actor rtt", unit="call") as bar:
        # In chunks, only to move the bar.
        while len(samples) < calls:
            chunk = ray.get(caller.measure.remote(target, min(CHUNK, calls - len(samples))))
            samples.extend(chunk)
            bar.update(len(chunk))
    return samples


def main() -> None:
    args = common_args(__doc__).parse_args()
    calls, warmup = (200, 50) if args.quick else (2000, 200)
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
             object_store_memory=200 * 1024**2, _metrics_export_port=ports.RAY_ACTOR_RTT_METRICS)
    try:
        samples = measure(calls, warmup)
    finally:
        ray.shutdown()
    summary = summarize(samples)
    write_fragment(args.out, {
        "ray_actor_rtt_p50_ms": metric(summary["p50"], "ms"),
        "ray_actor_rtt_p99_ms": metric(summary["p99"], "ms"),
    }, series={"cdf:ray actor call": samples})


if __name__ == "__main__":
    main()
