"""Newline-delimited JSON on file descriptor 3, the socket the engine created (PROTOCOL.md).

Writes are whole lines, one write per message, under a lock (the EntryScript logger may send from any
thread). Only the process that opened the channel sends: a child forked by user code (multiprocessing)
shares the socket but not the lock, so its sends are dropped rather than risk torn lines.
"""
import collections
import json
import os
import select
import threading

_encode = json.JSONEncoder(separators=(",", ":")).encode  # ensure_ascii: lone surrogates stay valid


class ChannelClosed(Exception):
    """The engine end of the socket is gone."""


class Channel:
    def __init__(self, fd=3):
        os.fstat(fd)  # OSError (EBADF) when the engine gave us no fd 3
        try:
            os.set_blocking(fd, True)
        except OSError:
            pass
        try:
            os.set_inheritable(fd, False)  # subprocesses started by user code must not keep it open
        except OSError:
            pass
        self.fd = fd
        self.pid = os.getpid()
        self._lock = threading.Lock()
        self._pending = b""
        self._lines = collections.deque()

    # -- sending ---------------------------------------------------------------------------------------
    def send(self, message):
        """Writes one message as one line; raises ChannelClosed when the engine is gone."""
        if os.getpid() != self.pid:
            return
        data = (_encode(message) + "\n").encode("ascii")
        fd = self.fd
        with self._lock:
            try:
                written = os.write(fd, data)
                while written < len(data):
                    written += os.write(fd, data[written:])
            except OSError as e:  # EPIPE, ECONNRESET, EBADF
                raise ChannelClosed(str(e))

    # -- receiving -------------------------------------------------------------------------------------
    def recv(self):
        """The next message (a dict), or None at end of file."""
        lines = self._lines
        while True:
            while lines:
                line = lines.popleft()
                try:
                    message = json.loads(line)
                except ValueError:
                    continue  # not ours to crash on; the engine never sends this
                if isinstance(message, dict):
                    return message
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                return None
            if b"\n" not in chunk:
                self._pending += chunk
                continue
            parts = (self._pending + chunk).split(b"\n")
            self._pending = parts.pop()
            lines.extend(p for p in parts if p.strip())

    # -- hang-up watch ---------------------------------------------------------------------------------
    def watch_hangup(self, on_hangup):
        """Calls on_hangup() (from a daemon thread) as soon as the engine closes its end of the socket.

        poll() is asked only for hang-up events, so messages arriving never wake the thread: this costs
        nothing per mini-batch. Returns False where poll() is not available.
        """
        if not hasattr(select, "poll"):
            return False
        hup = select.POLLHUP | getattr(select, "POLLRDHUP", 0)
        gone = hup | select.POLLERR | select.POLLNVAL
        fd = self.fd

        def watch():
            poller = select.poll()
            poller.register(fd, hup)
            while True:
                try:
                    events = poller.poll()
                except InterruptedError:
                    continue
                except Exception:
                    return
                if any(ev & gone for _, ev in events):
                    on_hangup()
                    return

        thread = threading.Thread(target=watch, name="prs-worker-hangup", daemon=True)
        thread.start()
        return True
