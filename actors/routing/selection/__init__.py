"""Agent-selection policies: which available agent a queue offers its head to.

Each policy is a plain class with a `choose(candidates, request)` method over
frozen values (actors.routing.types), so it is tested without Ray and a center
can plug in its own by dotted path (see loader.py).
"""
