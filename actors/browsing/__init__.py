"""Browsing now (正在访问): the center's live list of visitors on the site; protocol in
`protocol`, the entity in `entity`."""
