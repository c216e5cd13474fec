"""Uploaded import files kept between the preview and the import.

The web page previews a file (a dry run of the import) and imports it on a second request; in
between the file waits in DEBITUM_HOME/uploads/<token>/<file name>, with a small JSON record of
who uploaded it for which administration and kind. The token in the form names it; another
user or administration presenting the token finds nothing. Files older than a day are removed
when the next one is stored.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.text import get_valid_filename

MAX_AGE_SECONDS = 24 * 3600
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
META = "upload.json"


def uploads_dir() -> Path:
    return Path(getattr(settings, "DEBITUM_UPLOADS_DIR", None) or settings.DEBITUM_HOME / "uploads")


def max_upload_bytes() -> int:
    """DEBITUM_IMPORT_MAX_BYTES (default 20 MB: some 200,000 invoice lines in CSV)."""
    return int(getattr(settings, "DEBITUM_IMPORT_MAX_BYTES", 20 * 1024 * 1024))


@dataclass(frozen=True)
class Upload:
    token: str
    path: Path
    file_name: str
    kind: str
    administration_id: int
    user_id: int


def _remove_old(root: Path) -> None:
    limit = time.time() - MAX_AGE_SECONDS
    for folder in root.iterdir() if root.is_dir() else ():
        try:
            if folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass


def upload_store(*, uploaded_file, kind: str, administration, user) -> Upload:
    """Keep an uploaded file (a Django UploadedFile) for the import that follows its preview."""
    root = uploads_dir()
    root.mkdir(parents=True, exist_ok=True)
    _remove_old(root)
    token = secrets.token_urlsafe(24)
    folder = root / token
    folder.mkdir()
    file_name = get_valid_filename(Path(uploaded_file.name).name) or "upload.csv"
    path = folder / file_name
    with path.open("wb") as target:
        for chunk in uploaded_file.chunks():
            target.write(chunk)
    (folder / META).write_text(
        json.dumps(
            {
                "file_name": file_name,
                "kind": kind,
                "administration_id": administration.pk,
                "user_id": user.pk,
            }
        )
    )
    return Upload(token, path, file_name, kind, administration.pk, user.pk)


def upload_get(*, token: str, administration, user) -> Upload | None:
    """The upload of `token` if this user stored it for this administration, else None."""
    if not TOKEN_PATTERN.match(token or ""):
        return None
    folder = uploads_dir() / token
    try:
        meta = json.loads((folder / META).read_text())
    except (OSError, ValueError):
        return None
    if meta.get("administration_id") != administration.pk or meta.get("user_id") != user.pk:
        return None
    path = folder / meta["file_name"]
    if not path.is_file():
        return None
    return Upload(token, path, meta["file_name"], meta["kind"], administration.pk, user.pk)


def upload_discard(upload: Upload) -> None:
    shutil.rmtree(upload.path.parent, ignore_errors=True)
