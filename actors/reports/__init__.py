"""Reports over the event log and the conversation and message rows (issue 11).

Figures are computed by SQL aggregates; only grouped results reach Python. The
pure parts (percentiles from two ranked values, time in each presence within a
range, a time zone's local days and hours) are in `percentile`, `presence` and
`periods`, tested without a database.
"""
