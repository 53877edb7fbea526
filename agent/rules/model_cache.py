"""The categoriser's trained model kept on disk, so a new process does not train it again.

Training on the pack costs a noticeable fraction of a second at the first event of every
process (CLI, console, eval worker); loading the stored arrays takes milliseconds. A file
is named by a hash of what the weights depend on: the training documents (the pack
contents that feed the model), the codes, and the source of the code that reads and
trains them. A file that cannot be read, or does not match, is ignored and rebuilt.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np
from numpy.lib.npyio import NpzFile

from agent.cache import CACHE_ENV as CACHE_ENV  # re-exported: where the cache lives
from agent.cache import cache_dir, write_atomically
from agent.rules import classifier, reading
from agent.rules.classifier import NaiveBayes

FORMAT = "nb-1"
UNREADABLE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)
"""What reading a truncated, corrupt or foreign file raises: a cache miss, never a crash."""


def cache_key(fingerprint: str, codes: Sequence[str]) -> str:
    """What the weights depend on: training documents, codes, and the training code itself."""
    digest = hashlib.sha256(f"{FORMAT}\n{fingerprint}\n{','.join(sorted(codes))}\n".encode())
    for module in (classifier, reading):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()


class DiskCache:
    """Trained models as ``.npz`` files (no pickle) under one folder."""

    def __init__(self, root: Path | None = None) -> None:
        """Use ``root``, or :func:`cache_dir` when none is given."""
        self.root = root if root is not None else cache_dir()

    def path(self, fingerprint: str, codes: Sequence[str]) -> Path:
        """Where the model of these documents and codes is kept."""
        return self.root / f"classifier-{cache_key(fingerprint, codes)[:32]}.npz"

    def load(self, fingerprint: str, codes: Sequence[str]) -> NaiveBayes | None:
        """The stored model, or None when absent, unreadable or not the one asked for."""
        path = self.path(fingerprint, codes)
        if not path.is_file():
            return None
        try:
            model = _read(path)
        except UNREADABLE:
            return None
        expected = tuple(sorted(codes))
        return model if model.fingerprint == fingerprint and model.codes == expected else None

    def save(self, model: NaiveBayes) -> None:
        """Write atomically (a reader never sees half a file); a read-only disk is ignored."""
        write_atomically(self.path(model.fingerprint, model.codes), lambda f: _write(f, model))


def _write(file: BinaryIO, model: NaiveBayes) -> None:
    vocabulary = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
    np.savez(
        file,
        codes=np.array(model.codes, dtype=str),
        vocabulary=np.array(vocabulary, dtype=str),
        log_probs=model.log_probs,
        meta=np.array([model.fingerprint, str(model.documents)], dtype=str),
    )


def _read(path: Path) -> NaiveBayes:
    loaded = np.load(io.BytesIO(path.read_bytes()), allow_pickle=False)
    if not isinstance(loaded, NpzFile):
        raise ValueError(f"{path}: not an archive of arrays")
    with loaded as data:
        codes = tuple(str(c) for c in data["codes"])
        vocabulary = [str(v) for v in data["vocabulary"]]
        log_probs = np.asarray(data["log_probs"], dtype=np.float64)
        fingerprint, documents = (str(m) for m in data["meta"])
    if log_probs.shape != (len(vocabulary), len(codes)):
        raise ValueError(f"{path}: weights of shape {log_probs.shape}")
    index = {gram: i for i, gram in enumerate(vocabulary)}
    return NaiveBayes(codes, index, log_probs, fingerprint, int(documents))
