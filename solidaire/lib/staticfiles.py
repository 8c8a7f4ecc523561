"""The static files storage of `make run` and production."""

import os

from whitenoise.storage import CompressedManifestStaticFilesStorage


class CompressedManifestStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed storage, compressing only what changed.

        WhiteNoise compresses every file again at each `collectstatic`: with the DSFR's icons
        that takes minutes, at every `make run`. Its compressed copies carry the mtime of
        their source (to the microsecond: float timestamps), so a copy as recent as its source
    is up to date."""

    def compress_files(self, paths):
        stale = [path for path in paths if not self._compressed_copy_is_current(path)]
        yield from super().compress_files(stale)

    def _compressed_copy_is_current(self, name: str) -> bool:
        source = self.path(name)
        try:
            source_mtime = os.path.getmtime(source)
            return os.path.getmtime(source + ".gz") >= source_mtime - 0.001
        except OSError:
            return False
