"""The relay scenario's stepper and CPU figures, from what its workers return
(benchmarks/relay.py runs them)."""

from __future__ import annotations

from benchmarks.lib import center_cpu
from benchmarks.lib.fragment import metric
from benchmarks.lib.open_loop import P99_BOUND_MS, Step, capacity, describe, step_summary
from benchmarks.lib.stats import percentile


def step_phase(index: int) -> str:
    """The phase name a step's messages carry."""
    return f"step{index}"


def stepper_steps(plan: dict, visitors: list[dict], latencies: dict[str, list[float]],
                  acked: dict[str, list[str]], received: set[str]) -> list[Step]:
    """The steps every visitor process ran, with all processes' figures."""
    found = []
    for index, rate in enumerate(plan["step_rates"]):
        phase = step_phase(index)
        if not all(phase in v["sent"] for v in visitors):
            break
        lost = sum(1 for cid in acked.get(phase, []) if cid not in received)
        found.append(Step(rate, sum(v["sent"][phase] for v in visitors),
                          latencies.get(phase, []), lost))
    return found


def add_stepper(plan: dict, visitors: list[dict], latencies: dict[str, list[float]],
                acked: dict[str, list[str]], received: set[str], metrics: dict, series: dict,
                notes: list[str]) -> str | None:
    """The capacity metric; returns the phase of the highest step that held."""
    ran = stepper_steps(plan, visitors, latencies, acked, received)
    lines = step_summary(ran)
    metrics["relay_capacity_msgs_per_s_at_p99_100ms"] = metric(
        capacity(ran), "msg/s", goal=">= 0.25x serve echo (relay_capacity_vs_serve_echo)")
    series["steps:relay"] = lines
    notes.append(f"relay: open-loop stepper at {plan['conversations']} conversations, "
                 f"{plan['step_s']} s a step, evenly spaced, latency from the scheduled send, "
                 f"a step holds at p99 <= {P99_BOUND_MS:.0f} ms with nothing lost or late: "
                 f"{describe(lines, plan['step_rates'])}")
    top = capacity(ran)
    return None if top is None else step_phase(plan["step_rates"].index(top))


def add_cpu(plan: dict, cpu_by_phase: dict[str, center_cpu.CpuSpent], held_phase: str | None,
            latencies: dict[str, list[float]], metrics: dict, notes: list[str]) -> None:
    """CPU per message over the highest step that held (the busiest steady state
    measured), else over the phase at cpu_rate."""
    fixed = f"rate{plan['cpu_rate']}"
    if fixed in cpu_by_phase and latencies.get(fixed):
        # The same rate in every run, for comparing runs (per-message CPU falls as
        # the rate rises: fixed costs spread over more messages).
        metrics[f"relay_cpu_ms_per_message_at_{plan['cpu_rate']}_per_s"] = metric(
            center_cpu.ms_per_message(cpu_by_phase[fixed], len(latencies[fixed]))[0], "CPU ms/msg")
    phase = held_phase if held_phase in cpu_by_phase else fixed
    cpu = cpu_by_phase.get(phase)
    relayed = len(latencies.get(phase, []))
    if cpu is None:
        notes.append("relay_cpu_ms_per_message: not measured (the center's processes are not "
                     "on this machine, or the phase was not reached)")
        return
    seconds = plan["step_s"] if phase.startswith("step") else plan["phase_s"]
    rate = plan["step_rates"][int(phase[4:])] if phase.startswith("step") else plan["cpu_rate"]
    total, without_daemons = center_cpu.ms_per_message(cpu, relayed)
    metrics["relay_cpu_ms_per_message"] = metric(total, "CPU ms/msg", goal="<= 0.5")
    metrics["relay_cpu_ms_per_message_without_ray_daemons"] = metric(without_daemons, "CPU ms/msg")
    p99 = percentile(latencies[phase], 99) if relayed else None
    idle = cpu_by_phase.get("idle")
    if idle is not None and relayed:
        # The idle center's CPU rate over the same length of time, taken off.
        marginal = (cpu.total_s - idle.total_s / plan["idle_s"] * seconds) * 1000 / relayed
        metrics["relay_cpu_ms_per_message_above_idle"] = metric(marginal, "CPU ms/msg")
        notes.append(f"relay_cpu_ms_per_message: the idle center (no socket open) burned "
                     f"{idle.total_s / plan['idle_s'] * 1000:.0f} CPU ms a second over "
                     f"{plan['idle_s']} s; above that the relay cost {marginal:.2f} ms a message")
    notes.append(f"relay_cpu_ms_per_message: user+system CPU of all {cpu.processes} center "
                 f"processes (driver, GCS and raylet included, HAProxy, every Ray worker; the "
                 f"load generators excluded) over the {seconds} s open-loop phase at "
                 f"{rate:.0f} msg/s: {cpu.total_s:.2f} s for {relayed} messages relayed "
                 f"(GCS + raylet {cpu.ray_daemons_s:.2f} s of it; phase p99 "
                 f"{'-' if p99 is None else f'{p99:.0f} ms'})")
