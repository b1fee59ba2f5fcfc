"""Email out of the center: replies to left messages (留言), sent over SMTP."""
