"""Sending one message over SMTP (aiosmtplib), for a reply to a left message.

Sent while the left message's conversation entity waits, so the reply is recorded
only once the server took it; a server that does not answer gives up after
SEND_TIMEOUT_S, and nothing is recorded (the agent can send again).
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, make_msgid

import aiosmtplib

from actors.mail.settings import EmailSettings, Security

SEND_TIMEOUT_S = 20.0


class MailNotSent(Exception):
    """The server refused the message or could not be reached: `str()` says why."""


def compose(settings: EmailSettings, to: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((settings.from_name, settings.from_address)) if settings.from_name \
        else settings.from_address
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=settings.from_address.rpartition("@")[2])
    message.set_content(text)
    return message


async def send(settings: EmailSettings, message: EmailMessage) -> None:
    try:
        await aiosmtplib.send(
            message, hostname=settings.host, port=settings.port,
            username=settings.username or None, password=settings.password or None,
            use_tls=settings.security is Security.TLS,
            start_tls=settings.security is Security.STARTTLS,
            timeout=SEND_TIMEOUT_S)
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as failure:
        raise MailNotSent(f"{type(failure).__name__}: {failure}") from None
