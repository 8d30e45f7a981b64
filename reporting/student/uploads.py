"""Turning uploaded files into checked, cleaned files, or plain-language errors."""

from __future__ import annotations

from flask import current_app
from flask_babel import ngettext
from werkzeug.datastructures import FileStorage

from reporting.domain.evidence import RejectedFile
from reporting.services.evidence import CleanFile, Upload, clean


def clean_uploads(files: list[FileStorage] | None, already: int = 0) -> tuple[
        tuple[CleanFile, ...], list[str]]:
    """Check every chosen file; return the good ones and a message for each bad one."""
    # A hand-made form may send text where a file goes: only files count.
    chosen = [f for f in files or [] if isinstance(f, FileStorage) and f.filename]
    limit = current_app.config["EVIDENCE_MAX_FILES"]
    if already + len(chosen) > limit:
        return (), [ngettext("You can add at most %(num)d file to a report.",
                             "You can add at most %(num)d files to a report.", limit)]
    good, errors = [], []
    for storage in chosen:
        try:
            good.append(clean(Upload(storage.filename, storage.read()),
                              current_app.config["EVIDENCE_MAX_BYTES"],
                              already_pixels=sum(file.pixels for file in good)))
        except RejectedFile as exc:
            errors.append(str(exc))
    return tuple(good), errors
