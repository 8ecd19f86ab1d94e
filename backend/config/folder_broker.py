"""The embedded Celery broker: kombu's filesystem transport, with messages that appear whole.

kombu's transport creates a message's file under its final name and then writes into it, and a worker
takes any file of that name. Under load (each web process sends a message every 250 ms, the worker looks
every 100 ms) the worker took a file before its bytes were there, read nothing, and Celery stopped with
"Unrecoverable error: JSONDecodeError": the worker was gone, and `make run` with it (bench_http at 4
clients on the embedded default). Here a message is written under a name no worker takes and renamed to
its final name once complete (a rename within one folder is atomic). A message that still cannot be read
(a file half-written by a process that died) is skipped with an error in the worker's log instead of
stopping the worker; the ids it carried are committed rows, which the beat's re-drives send again.

Selected by settings.CELERY_BROKER_TRANSPORT whenever the broker is the folder (`filesystem://`).
"""

from __future__ import annotations

import logging
import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

logger = logging.getLogger(__name__)

# The reader takes files named "<anything without a dot>.<queue>.msg"; a name starting with a dot is
# never one of them.
PARTIAL_PREFIX = ".partial-"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs) -> None:
        """Put the message onto `queue`: written aside, then renamed into the queue's folder."""
        filename = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, filename)
        partial = os.path.join(self.data_folder_out, PARTIAL_PREFIX + filename)
        try:
            with open(partial, "wb", buffering=0) as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {filename!r} to directory") from exc

    def _get(self, queue):
        """The next message of `queue`; one that cannot be read is logged and passed over."""
        while True:
            try:
                return super()._get(queue)
            except ValueError as error:  # JSONDecodeError: kombu has already taken the file away
                logger.error("Skipped an unreadable message of queue %r: %s", queue, error)


class Transport(filesystem.Transport):
    Channel = Channel
