"""The port plan of a benchmark run, so scripts never collide with each other
or with a center or test suite on the usual ports (8000, 8404, 9101…).

HTTP ports 18500-18549, Ray metrics and HAProxy side ports 19150-19169; the center
scenarios' Serve side ports 22000-22499.
"""

ECHO_RAW_HTTP = 18500            # one port
ECHO_SERVE_HTTP = 18510          # 18510-18529: three ingress modes, see echo_serve.py
CENTER_HTTP = 18530              # 18530-18549: the center scenarios

RAY_ACTOR_RTT_METRICS = 19150    # one port
ECHO_SERVE_METRICS = 19160       # 19160-19169
# The center's Serve side listeners (serve/side_ports.py): 22000-22499.
CENTER_SIDE_PORTS = 22000
