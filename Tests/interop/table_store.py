"""Where a test's table lives: on local disk or on the local S3 server (SeaweedFS), behind one
small interface, so a test parametrized over the `store` fixture (conftest.py) runs unchanged on
both — lake and hudi-rs get the table's location (a path or an `s3://` URI), and the test looks
at the table's files through the store (names and sizes, content, modification time) instead of
the file system.
"""
from __future__ import annotations

import datetime
import os
import pathlib
from typing import Callable

from conftest import lake_runner


class DiskStore:
    """Tables in the test's temporary directory."""

    kind = "disk"

    def location(self, tmp_path: pathlib.Path, name: str) -> pathlib.Path:
        return tmp_path / name

    def env(self) -> dict[str, str]:
        """The environment of a lake process (LAKE_CRASH_AT removed)."""
        return {k: v for k, v in os.environ.items() if k != "LAKE_CRASH_AT"}

    def lake(self) -> Callable:
        return lake_runner(self.env())

    def files(self, location) -> dict[str, int]:
        """Every file of the table: relative path → size."""
        root = pathlib.Path(location)
        return {str(p.relative_to(root)): p.stat().st_size for p in root.rglob("*") if p.is_file()}

    def read(self, location, rel: str) -> bytes:
        return (pathlib.Path(location) / rel).read_bytes()

    def write(self, location, rel: str, data: bytes) -> None:
        p = pathlib.Path(location) / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)

    def exists(self, location, rel: str) -> bool:
        return (pathlib.Path(location) / rel).is_file()

    def modified(self, location, rel: str) -> float:
        """Modification time, epoch seconds."""
        return (pathlib.Path(location) / rel).stat().st_mtime

    def leftovers(self, location) -> list[str]:
        """What unfinished writes left: local temporary files."""
        return [rel for rel in self.files(location) if ".lake-tmp-" in rel and ".writer.lock" not in rel]

    def local(self, location, scratch: pathlib.Path) -> pathlib.Path:
        """A local directory holding the table's files (the table itself)."""
        return pathlib.Path(location)


class S3Store:
    """Tables under `s3://lake/<test dir>/<name>` on the session's SeaweedFS server."""

    kind = "s3"

    def __init__(self, server) -> None:
        self.server = server

    def location(self, tmp_path: pathlib.Path, name: str) -> str:
        return self.server.uri(f"{tmp_path.name}/{name}")

    def env(self) -> dict[str, str]:
        return {k: v for k, v in self.server.env().items() if k != "LAKE_CRASH_AT"}

    def lake(self) -> Callable:
        return self.server.lake_runner()

    def _key(self, location: str, rel: str) -> str:
        import s3_server
        return location.removeprefix(f"s3://{s3_server.BUCKET}/").rstrip("/") + "/" + rel

    def files(self, location) -> dict[str, int]:
        return self.server.keys(location)

    def read(self, location, rel: str) -> bytes:
        import s3_server
        return self.server.client.get_object(Bucket=s3_server.BUCKET, Key=self._key(location, rel))["Body"].read()

    def write(self, location, rel: str, data: bytes) -> None:
        import s3_server
        self.server.client.put_object(Bucket=s3_server.BUCKET, Key=self._key(location, rel), Body=data,
                                      ContentType="application/octet-stream")

    def exists(self, location, rel: str) -> bool:
        return rel in self.files(location)

    def modified(self, location, rel: str) -> float:
        import s3_server
        head = self.server.client.head_object(Bucket=s3_server.BUCKET, Key=self._key(location, rel))
        when: datetime.datetime = head["LastModified"]
        return when.timestamp()

    def leftovers(self, location) -> list[str]:
        """What unfinished writes left: incomplete multipart uploads."""
        return self.server.multipart_uploads(location)

    def local(self, location, scratch: pathlib.Path) -> pathlib.Path:
        """A local mirror of the table's objects (taken now), for file-level checks."""
        return self.server.mirror(location, scratch / "s3-mirror")
