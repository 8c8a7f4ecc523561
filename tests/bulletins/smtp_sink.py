"""A real SMTP server on 127.0.0.1, in a thread, that can refuse chosen recipients (550),
defer others (450), and keeps the Message-ID of every message it accepted."""

import threading
import warnings
from contextlib import contextmanager
from email import message_from_bytes

with warnings.catch_warnings():
    # Deprecated in Python 3.11, still the standard library's own SMTP server.
    warnings.simplefilter("ignore", DeprecationWarning)
    import asyncore
    import smtpd


class _Channel(smtpd.SMTPChannel):
    def smtp_RCPT(self, arg):
        if arg:
            address, _ = self._getaddr(self._strip_command_keyword("TO:", arg))
            if address and address.lower() in self.smtp_server.refused:
                self.push("550 5.1.1 Mailbox unavailable")
                return
            if address and address.lower() in self.smtp_server.deferred:
                self.push("450 4.2.1 Mailbox busy, try again later")
                return
        super().smtp_RCPT(arg)


class SmtpSink(smtpd.SMTPServer):
    channel_class = _Channel

    def __init__(self, refused=(), deferred=(), port=0):
        self._map = {}
        super().__init__(("127.0.0.1", port), None, map=self._map, decode_data=False)
        self.port = self.socket.getsockname()[1]
        self.refused = {address.lower() for address in refused}
        self.deferred = {address.lower() for address in deferred}
        self.received: list[str] = []  # one address per accepted message recipient
        self.message_ids: list[str] = []  # one per accepted message

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        self.received.extend(rcpttos)
        self.message_ids.append(message_from_bytes(data)["Message-ID"])


@contextmanager
def smtp_sink(refused=(), deferred=(), port=0):
    sink = SmtpSink(refused, deferred, port)
    running = threading.Event()
    running.set()

    def serve():
        while running.is_set():
            asyncore.loop(timeout=0.02, count=1, map=sink._map)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        running.clear()
        thread.join(timeout=5)
        asyncore.close_all(map=sink._map)
