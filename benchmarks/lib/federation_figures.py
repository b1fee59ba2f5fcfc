"""The federation benchmark's figures, from what its phases measured
(benchmarks/federation.py): the fragment `benchmarks.run` merges into the results."""

from __future__ import annotations

from pathlib import Path

from benchmarks.lib.crossing_chats import AGENT_SAYS, FORWARDED, LOCAL, VISITOR_SAYS
from benchmarks.lib.fragment import metric, write_fragment
from benchmarks.lib.stats import percentile, summarize

# The targets (2-core machine).
LINK_TARGET_MSGS_PER_S = 5000
REQUEST_BATCH_NOTE = "10 requests at a time, ended and replaced"


def _latency(results: dict, kind: str, directions: tuple[str, ...] = (VISITOR_SAYS, AGENT_SAYS)) -> list[float]:
    return [ms for d in directions for ms in results["latencies"].get(f"latency|{kind}|{d}", [])]


def _p(samples: list[float], p: float) -> float | None:
    return percentile(samples, p) if samples else None


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def message_figures(results: dict) -> dict:
    forwarded, local = _latency(results, FORWARDED), _latency(results, LOCAL)
    out = {}
    for p in (50, 99):
        out[f"federation_forward_extra_p{p}_ms"] = metric(
            _minus(_p(forwarded, p), _p(local, p)), "ms", _p(local, p), "<= 2" if p == 50 else "<= 10")
    for kind, samples in ((FORWARDED, forwarded), (LOCAL, local)):
        for p in (50, 99):
            out[f"federation_{kind}_p{p}_ms"] = metric(_p(samples, p), "ms")
    for kind in (FORWARDED, LOCAL):
        for direction, name in ((VISITOR_SAYS, "visitor_to_agent"), (AGENT_SAYS, "agent_to_visitor")):
            samples = _latency(results, kind, (direction,))
            out[f"federation_{kind}_{name}_p50_ms"] = metric(_p(samples, 50), "ms")
    return out


def offer_figures(results: dict) -> dict:
    # A forwarded request whose offer got no answer in time is served by hq itself: its
    # time (the offer timeout included) stays among the forwarded ones, and is counted.
    first = {kind: [a for a, _ in results["offers"][kind]] for kind in (FORWARDED, LOCAL)}
    served = {kind: [b for _, b in results["offers"][kind]] for kind in (FORWARDED, LOCAL)}
    out = {"federation_offer_extra_p99_ms": metric(
        _minus(_p(first[FORWARDED], 99), _p(first[LOCAL], 99)), "ms", _p(first[LOCAL], 99), "<= 50"),
        "federation_offer_fallbacks": metric(len(results["offers"]["fallbacks"]), "requests")}
    for kind in (FORWARDED, LOCAL):
        out[f"federation_offer_{kind}_p50_ms"] = metric(_p(first[kind], 50), "ms")
        out[f"federation_offer_{kind}_p99_ms"] = metric(_p(first[kind], 99), "ms")
        out[f"federation_assign_{kind}_p99_ms"] = metric(_p(served[kind], 99), "ms")
    return out


def throughput_figures(results: dict) -> dict:
    forwarded, local = results["throughput"][FORWARDED], results["throughput"][LOCAL]
    pumped = results["pump"]
    rates = sorted(run["frames"] / run["seconds"] for run in pumped if run["seconds"] > 0)
    layer = rates[len(rates) // 2] if rates else None
    return {
        "federation_link_msgs_per_s": metric(round(forwarded, 1), "msg/s", local, f">= {LINK_TARGET_MSGS_PER_S}"),
        "federation_local_msgs_per_s": metric(round(local, 1), "msg/s"),
        "federation_forwarded_vs_local_throughput": metric(forwarded / local if local else None, "x local", local),
        "federation_link_layer_msgs_per_s": metric(None if layer is None else round(layer), "frames/s",
                                                   goal=f">= {LINK_TARGET_MSGS_PER_S}"),
        "federation_link_layer_lost_frames": metric(sum(run["missing"] + run["out_of_order"] for run in pumped),
                                                    "frames", goal="== 0"),
    }


def fault_figures(results: dict) -> dict:
    kill, resumed, tally = results["kill"], results["resume_s"], results["tally"]
    waits = kill["request_waits_ms"]
    return {
        "federation_dead_detected_s": metric(kill["dead_detected_s"], "s", goal="<= 3"),
        "federation_failover_s": metric(kill["failover_s"], "s", goal="<= 5"),
        "federation_failover_request_wait_max_ms": metric(max(waits) if waits else None, "ms"),
        "federation_resume_s": metric(max(resumed) if resumed else None, "s", goal="<= 1"),
        "federation_resume_p50_s": metric(_p(resumed, 50), "s"),
        "federation_restart_catch_up_s": metric(kill["catch_up_s"], "s"),
        "federation_lost_messages": metric(tally["lost"], "messages", goal="== 0"),
        "federation_duplicated_messages": metric(tally["duplicated"], "messages", goal="== 0"),
        "federation_reordered_messages": metric(tally["reordered"], "messages", goal="== 0"),
        "federation_checked_messages": metric(tally["checked"], "messages"),
    }


def notes(results: dict) -> list[str]:
    plan, kill, tally = results["plan"], results["kill"], results["tally"]
    latency = summarize(_latency(results, FORWARDED))
    return [
        f"federation: hq and branch, each its own serve.main and Ray on this machine, linked through a TCP "
        f"relay (product link settings but take_back_after_s 600); {plan['latency_chats']} forwarded and "
        f"{plan['latency_chats']} local conversations at a person's pace for {plan['latency_s']:.0f} s "
        f"({latency['n']} forwarded one-way samples, both directions pooled); throughput "
        f"{plan['throughput_chats']} conversations closed loop for {plan['throughput_s']:.0f} s per kind, back to "
        f"back; offers: {plan['offers']} of each kind, one at a time (request -> first queued/assigned frame).",
        f"federation: {len(results['resume_s'])} link resets, resume (s) {[round(r, 3) for r in results['resume_s']]}; "
        f"partner killed: {kill['requests']} new requests, {kill['served_locally']} served by hq's stand-by agent, "
        f"branch back and linked {kill['restart_s']:.1f} s after its restart began; forwarded requests "
        f"served by hq itself while setting up, {REQUEST_BATCH_NOTE}: {results['setup_fallbacks']}.",
        f"federation: transcripts checked {tally['checked']} acknowledged messages "
        f"({tally['unacknowledged']} never acknowledged, not counted); of the lost, missing on hq "
        f"{tally['missing_on']['hq']}, on branch {tally['missing_on']['branch']}; wall time {results['wall_s']:.0f} s.",
    ]


def write_results(out: Path, results: dict) -> None:
    metrics = {**message_figures(results), **offer_figures(results), **throughput_figures(results),
               **fault_figures(results)}
    series = {"cdf:federation forwarded (one way)": _latency(results, FORWARDED),
              "cdf:federation local (one way)": _latency(results, LOCAL)}
    write_fragment(out, metrics, series, notes(results))
