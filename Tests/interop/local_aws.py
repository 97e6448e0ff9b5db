"""moto's server standing in for DynamoDB, DynamoDB Streams and Kinesis, for the live-stream tests:
started on a free 127.0.0.1 port, waited for, stopped by pid (its process group) even when a test
fails. Clients are plain botocore (pinned), the environment for `lake` points every AWS service at
the server."""
from __future__ import annotations

import contextlib
import os
import pathlib
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

import botocore.session

ROOT = pathlib.Path(__file__).resolve().parents[2]
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Moto:
    def __init__(self, port: int, proc: subprocess.Popen):
        self.port = port
        self.proc = proc
        self.endpoint = f"http://127.0.0.1:{port}"
        self._session = botocore.session.get_session()

    def client(self, service: str):
        return self._session.create_client(service, endpoint_url=self.endpoint, **CREDENTIALS)

    def environment(self) -> dict[str, str]:
        """The environment a `lake` process uses to reach this server for every service."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
                    "AWS_ENDPOINT_URL": self.endpoint, "HOME": tempfile.gettempdir()})
        return env


@contextlib.contextmanager
def moto_server(timeout: float = 60):
    """A running moto server; stopped (SIGTERM, then SIGKILL, to its process group) on exit."""
    binary = ROOT / ".venv" / "bin" / "moto_server"
    port = free_port()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([str(binary), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise AssertionError(f"moto_server exited {proc.returncode}: {log.read()[-2000:]!r}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"moto_server did not answer on port {port} within {timeout}s")
                time.sleep(0.1)
        yield Moto(port, proc)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
