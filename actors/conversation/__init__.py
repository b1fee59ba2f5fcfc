"""Conversation (会话): protocol in `protocol`, the entity in `entity`."""
