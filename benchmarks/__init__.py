"""Load benchmarks of the center and of the substrate it stands on (issue 3).

`python -m benchmarks.run [--quick]` runs every script in order and writes
`benchmarks/results/`; each script also runs alone:
`python -m benchmarks.<name> --out fragment.json [--quick]`.
"""
