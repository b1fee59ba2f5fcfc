"""The port plan of a benchmark run, so scripts never collide with each other
or with a center or test suite on the usual ports (8000, 8404, 9101…).

HTTP ports 18500-18549, Ray metrics and HAProxy side ports 19150-19169; the center
scenarios' Serve side ports 22000-22499. The federation scenario's linked centers:
HTTP 18560-18569, link ports 18570-18579, Serve side ports 22500-23999 (500 a
center). All clear of the test suite's (18000, 18100, 18300-18360, 20000, 21000,
26000-27500) and of `make demo-cascade`'s (8000-8002, 7443-7445, 30000-31499).
"""

ECHO_RAW_HTTP = 18500            # one port
ECHO_SERVE_HTTP = 18510          # 18510-18529: three ingress modes, see echo_serve.py
CENTER_HTTP = 18530              # 18530-18549: the center scenarios

RAY_ACTOR_RTT_METRICS = 19150    # one port
ECHO_SERVE_METRICS = 19160       # 19160-19169
# The center's Serve side listeners (serve/side_ports.py): 22000-22499.
CENTER_SIDE_PORTS = 22000

FEDERATION_HTTP = 18560          # 18560-18569: hq, branch
FEDERATION_LINKS = 18570         # 18570-18579: hq, branch, the relay in front of branch, the link pump
FEDERATION_SIDE_PORTS = 22500    # 22500-23999: 500 per center
