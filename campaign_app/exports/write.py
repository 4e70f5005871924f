"""The one way an export is made: a selection of a petition's signatures, in one format, written
to a file (a temporary file beside it, renamed into place when complete) and recorded in the
audit log.

``flask petitions export`` (exports.commands) and the organisers' export job (exports.jobs)
both call write_selection; write_stream is its step that writes the bytes to an open stream.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

from campaign_app.audit.service import record
from campaign_app.exports.rows import ExportRow, Selection, iter_rows
from campaign_app.exports.writers import FORMATS, text
from campaign_app.petitions.models import Petition

if TYPE_CHECKING:
    from campaign_app.accounts.models import User

# The audit action of every export, whichever way it was made; details["via"] tells which.
EXPORTED = "signatures.exported"
Via = Literal["web", "cli"]
PROGRESS_EVERY = 1_000


class _Progress:
    """Tells ``report`` how many rows are done: every PROGRESS_EVERY rows, then at the end."""

    def __init__(self, report: Callable[[int], None]) -> None:
        self.report = report
        self.told = -1

    def count(self, rows: Iterable[ExportRow]) -> Iterator[ExportRow]:
        for done, row in enumerate(rows, start=1):
            yield row
            if done % PROGRESS_EVERY == 0:
                self.report(done)
                self.told = done

    def finish(self, done: int) -> None:
        if done != self.told:
            self.report(done)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")


def write_stream(
    petition: Petition,
    selection: Selection,
    fmt: str,
    out: BinaryIO,
    *,
    bom: bool = False,
    progress: Callable[[int], None] | None = None,
    language: str | None = None,
) -> int:
    """Write the whole export file to the binary stream ``out``; return the rows written.

    ``progress`` hears how many rows are done, at most every 1,000 rows and at the end.
    ``bom`` starts a CSV with a UTF-8 byte-order mark (for Excel); other formats ignore it.
    ``language`` is the PDF's (default: the petition's); the data files have one form for
    every reader, so that the PDF's fingerprint of the CSV holds whoever made it.
    """
    _check_format(fmt)
    rows = iter_rows(petition.id, selection)
    tracker = _Progress(progress) if progress is not None else None
    if tracker is not None:
        rows = tracker.count(rows)
    written = _write(petition, selection, fmt, rows, out, bom=bom, language=language)
    if tracker is not None:
        tracker.finish(written)
    return written


def _write(
    petition: Petition,
    selection: Selection,
    fmt: str,
    rows: Iterable[ExportRow],
    out: BinaryIO,
    *,
    bom: bool,
    language: str | None = None,
) -> int:
    # The XLSX and PDF writers are imported when asked for: xlsxwriter need not load in every
    # web worker and CLI start-up for a CSV.
    if fmt == "xlsx":
        from campaign_app.exports.writers.xlsx import write_xlsx

        return write_xlsx(rows, out)
    if fmt == "pdf":
        from campaign_app.exports.package_texts import package_texts
        from campaign_app.exports.writers.pdf import write_pdf

        texts = package_texts(petition, selection, language or petition.language)
        # The PDF reads the selection twice: totals and fingerprint first, then the pages.
        return write_pdf(petition, selection, iter_rows(petition.id, selection), rows, out, texts)
    wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
    try:
        if fmt == "csv":
            written = text.write_csv(rows, wrapper, bom=bom)
        else:
            written = text.write_json(rows, wrapper)
        wrapper.flush()
    finally:
        wrapper.detach()  # leave ``out`` open: the caller owns it
    return written


def write_selection(
    petition: Petition,
    selection: Selection,
    path: Path,
    fmt: str,
    *,
    actor: User | None,
    via: Via,
    target: str,
    bom: bool = False,
    progress: Callable[[int], None] | None = None,
    language: str | None = None,
) -> int:
    """Write the export to ``path`` and record it in the audit log; return the rows written.

    The rows go to a temporary file beside ``path``, renamed over it only when complete, so no
    reader ever sees half a file; on any failure the temporary file is removed and the error
    raised (OSError when the folder cannot be written). The audit entry (``actor``, or for
    ``via="cli"`` the command line's user) is flushed, not committed: the caller commits.
    """
    _check_format(fmt)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            written = write_stream(
                petition, selection, fmt, out, bom=bom, progress=progress, language=language
            )
        os.chmod(temporary, 0o644)  # as open() would have made it, not mkstemp's owner-only
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    # Who took which personal data, and how much; never a signer's name. A file asked for in
    # the browser is written by the worker for the organiser who asked ("scheduled job" once
    # that account is gone).
    record(
        EXPORTED,
        actor=actor,
        via="cli" if via == "cli" else "job",
        campaign_id=petition.campaign_id,
        petition_id=petition.id,
        target=target,
        rows=written,
        details={
            "format": fmt,
            "via": via,
            **selection.as_dict(),
            "bom": bom,
            **({"language": language} if language and fmt == "pdf" else {}),
        },
    )
    return written
