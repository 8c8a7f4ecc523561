"""An SMTP sink for `make test-faults`: accepts every message, appends one JSON line per
message (Message-ID, recipients, subject) to a file, and never delivers anything.

    python bench/smtp_sink.py PORT RECORD_FILE
"""

import asyncio
import email
import email.policy
import json
import signal
import sys
import time

from aiosmtpd.smtp import SMTP


class Recorder:
    def __init__(self, path: str):
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        line = {
            "message_id": str(message.get("Message-ID", "")).strip(),
            "to": sorted(envelope.rcpt_tos),
            "subject": str(message.get("Subject", "")),
            "at": time.time(),
        }
        # One line per accepted message, written before answering 250: what the sink
        # acknowledged is what it recorded.
        with open(self.path, "a", encoding="utf-8") as record:
            record.write(json.dumps(line, ensure_ascii=False) + "\n")
        return "250 Message accepted for delivery"


async def serve(port: int, path: str) -> None:
    loop = asyncio.get_running_loop()
    handler = Recorder(path)
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="faults-sink"), host="127.0.0.1", port=port
    )
    stop = loop.create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set_result, None)
    print(f"smtp sink listening on 127.0.0.1:{port}", flush=True)
    await stop
    server.close()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), sys.argv[2]))
