"""Attachments at the edge: sniffing uploads by content, thumbnails, the blob store,
signed links and safe download headers (one concept per module)."""
