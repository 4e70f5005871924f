"""Where the files of exports built in the browser wait for download: a folder or the database.

EXPORT_STORAGE chooses the store for new files:

- ``folder``: EXPORT_FOLDER (default ``instance/exports``). Right for one node; several nodes
  would need that folder on a disk they all share.
- ``database``: the file in rows of 1 MiB (table ``export_file_chunk``), written in the
  transaction that marks the job done and read back one chunk at a time. Every node downloads
  what any node's worker built, with nothing shared but the database. Each chunk is encrypted
  like the signers' columns (AES-256-GCM under the first SIGNER_DATA_KEYS key, its export and
  place authenticated with it), so a database dump or backup holds no export in the clear.
- ``auto`` (the default): the database on PostgreSQL (the set-up that runs on several nodes),
  the folder on SQLite (one node anyway; no 150 MB of rows in the main database file).

Either way the writer writes a whole file on the node's disk first (exports.write renames it
into place when complete), so memory stays bounded; the database store then copies it in
chunk by chunk and removes it. Each job keeps the name of the store its file went to
(``export_job.stored_in``), so changing the setting never strands a file already built.
"""

from __future__ import annotations

import logging
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from flask import Flask, current_app
from sqlalchemy import delete, func, insert, select

from campaign_app.crypto import HEADER_SIZE, UndecryptableValue, keyring
from campaign_app.exports.models import ExportFileChunk, ExportJob
from campaign_app.extensions import db

log = logging.getLogger(__name__)

CHUNK_SIZE = 1024 * 1024
STORAGES = ("auto", "folder", "database")


def export_folder() -> Path:
    """The node's export folder: the folder store's files, the database store's scratch space."""
    folder = Path(
        current_app.config["EXPORT_FOLDER"] or Path(current_app.instance_path) / "exports"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class ExportStore(ABC):
    """Keeps the finished file of an export job until it expires."""

    name: ClassVar[str]

    @abstractmethod
    @contextmanager
    def saving(self, export_id: int, file_name: str) -> Iterator[Path]:
        """The path to write the file to; when the block ends without error, the file is
        stored (in the session's transaction where it goes to the database: the caller
        commits it with the job's end)."""

    @abstractmethod
    def has(self, job: ExportJob) -> bool:
        """Whether the file of ``job`` is there to download."""

    @abstractmethod
    def read(self, job: ExportJob) -> Iterator[bytes] | None:
        """The file of ``job`` in pieces of at most CHUNK_SIZE bytes, or None when gone."""

    @abstractmethod
    def delete(self, job: ExportJob) -> None:
        """Forget the file of ``job`` (a missing one is fine); the caller commits."""


class FolderStore(ExportStore):
    name = "folder"

    @contextmanager
    def saving(self, export_id: int, file_name: str) -> Iterator[Path]:
        yield export_folder() / file_name  # exports.write renames the whole file into place

    def _path(self, job: ExportJob) -> Path | None:
        path = export_folder() / job.file_name
        return path if job.file_name and path.is_file() else None

    def has(self, job: ExportJob) -> bool:
        return self._path(job) is not None

    def read(self, job: ExportJob) -> Iterator[bytes] | None:
        path = self._path(job)
        if path is None:
            return None
        handle = path.open("rb")  # opened now: a file deleted meanwhile is still read whole

        def pieces() -> Iterator[bytes]:
            with handle:
                while piece := handle.read(CHUNK_SIZE):
                    yield piece

        return pieces()

    def delete(self, job: ExportJob) -> None:
        if job.file_name:
            (export_folder() / job.file_name).unlink(missing_ok=True)


class DatabaseStore(ExportStore):
    name = "database"

    @contextmanager
    def saving(self, export_id: int, file_name: str) -> Iterator[Path]:
        with tempfile.TemporaryDirectory(prefix=".building-", dir=export_folder()) as scratch:
            path = Path(scratch) / file_name
            yield path
            self._copy_in(export_id, path)

    def _copy_in(self, export_id: int, path: Path) -> None:
        with path.open("rb") as source:
            seq = 0
            while True:
                piece = source.read(CHUNK_SIZE)
                if not piece and seq:
                    break
                # An empty file still gets one (empty) chunk: no chunk at all means "gone".
                data = keyring().encrypt_bytes(piece, _purpose(export_id, seq))
                db.session.execute(
                    insert(ExportFileChunk).values(export_id=export_id, seq=seq, data=data)
                )
                seq += 1
                if len(piece) < CHUNK_SIZE:
                    break

    def _chunks(self, export_id: int) -> int:
        last = db.session.scalar(
            select(ExportFileChunk.seq)
            .where(ExportFileChunk.export_id == export_id)
            .order_by(ExportFileChunk.seq.desc())
            .limit(1)
        )
        return 0 if last is None else last + 1

    def has(self, job: ExportJob) -> bool:
        # Only the first chunk's header: is it there, and under a key still configured (a
        # data key removed after a rotation leaves older files unreadable)?
        header = db.session.scalar(
            select(func.substr(ExportFileChunk.data, 1, HEADER_SIZE)).where(
                ExportFileChunk.export_id == job.id, ExportFileChunk.seq == 0
            )
        )
        return header is not None and keyring().can_decrypt(bytes(header))

    def read(self, job: ExportJob) -> Iterator[bytes] | None:
        count = self._chunks(job.id)
        if not count:
            return None
        export_id, ring = job.id, keyring()

        def pieces() -> Iterator[bytes]:
            # One chunk in memory at a time: a query per MiB.
            for seq in range(count):
                data = db.session.scalar(
                    select(ExportFileChunk.data).where(
                        ExportFileChunk.export_id == export_id, ExportFileChunk.seq == seq
                    )
                )
                if data is None:  # expired meanwhile: the client sees a short body
                    log.warning("Export %s was deleted while it was downloaded", export_id)
                    return
                try:
                    yield ring.decrypt_bytes(bytes(data), _purpose(export_id, seq))
                except UndecryptableValue:
                    log.error("Export %s has a chunk that cannot be decrypted", export_id)
                    return

        return pieces()

    def delete(self, job: ExportJob) -> None:
        db.session.execute(delete(ExportFileChunk).where(ExportFileChunk.export_id == job.id))


def _purpose(export_id: int, seq: int) -> bytes:
    """What a chunk's encryption authenticates: its export and place, so that no chunk can be
    moved to another file or position."""
    return f"export_file_chunk:{export_id}:{seq}".encode()


_STORES: dict[str, ExportStore] = {store.name: store for store in (FolderStore(), DatabaseStore())}


def current_store() -> ExportStore:
    """The store for files built now: EXPORT_STORAGE, "auto" meaning the database on
    PostgreSQL and the folder elsewhere."""
    choice = str(current_app.config["EXPORT_STORAGE"])
    if choice == "auto":
        choice = "database" if db.engine.dialect.name == "postgresql" else "folder"
    return _STORES[choice]


def store_of(job: ExportJob) -> ExportStore:
    """The store that holds the file of ``job``."""
    return _STORES.get(job.stored_in, _STORES["folder"])


def check_setting(app: Flask) -> None:
    """Refuse to start with an EXPORT_STORAGE the stores do not know."""
    if app.config["EXPORT_STORAGE"] not in STORAGES:
        raise RuntimeError(
            f"CAMPAIGN_EXPORT_STORAGE must be one of {', '.join(STORAGES)}, "
            f"not {app.config['EXPORT_STORAGE']!r}."
        )
