"""The background indexer of chat records search: reads the messages the shards
committed and writes their words to the full-text index, in its own Ray actor."""
