"""Visitor (访客): protocol in `protocol`, the entity in `entity`."""
