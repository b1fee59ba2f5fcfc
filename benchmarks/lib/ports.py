"""The port plan of a benchmark run, so scripts never collide with each other
or with a center or test suite on the usual ports (8000, 8404, 9101…).

HTTP ports 18500-18549, Ray metrics and HAProxy side ports 19150-19199.
"""

ECHO_RAW_HTTP = 18500            # one port
ECHO_SERVE_HTTP = 18510          # 18510-18529: three ingress modes, see echo_serve.py
CENTER_HTTP = 18530              # 18530-18549: the center scenarios

RAY_ACTOR_RTT_METRICS = 19150    # one port
ECHO_SERVE_METRICS = 19160       # 19160-19169
CENTER_METRICS = 19170           # 19170-19199: the center scenarios
# Serve replicas' own HTTP/gRPC ports (direct ingress, which HAProxy forwards to)
# for the center scenarios; Serve's default range (30000-31000) is the tests'.
CENTER_REPLICA_PORTS = 32000     # 32000-32199
