"""The sentence encoder's fast forward (tokens packed end to end, attention per text, the batch
split over two threads) gives what a plain BERT forward gives, text by text."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from voicemail_coach.analysis import meaning
from voicemail_coach.analysis.encoder import (
    DIM,
    FEATURES,
    HEADS,
    LAYERS,
    LN_EPS,
    SentenceEncoder,
    _read_safetensors,
    load_delta,
    model_dir,
)

F64 = npt.NDArray[np.float64]

TEXTS = [
    "Hey, this is Skyler with busy line AI.",
    "I was trying to give you a call earlier, but I'm guessing you were off on the jobsite a "
    "little busy, which is kind of perfect.",
    "ok",
    "Just give me a call back at eight, five, nine, four, seven, three, four, two, seven, two.",
    "We cut the time your front desk spends on the phone by about 40% in the first month.",
]


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    model = meaning.get_model()
    if model is None:
        pytest.fail(f"the meaning model must load in the test environment: {meaning.load_error()}")
    return model.encoder


def _norm(x: F64, w: F64, b: F64) -> F64:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + LN_EPS) * w + b


@pytest.fixture(scope="module")
def official() -> dict[str, F64]:
    """The file's own tensors (query, key and value separate, untransposed) in double precision;
    the word table stays as it is (only the rows used are widened)."""
    raw = _read_safetensors(model_dir() / "model.safetensors")
    word = "embeddings.word_embeddings.weight"
    return {k: v if k == word else v.astype(np.float64) for k, v in raw.items()}


@pytest.fixture(scope="module")
def tensors(official: dict[str, F64]) -> dict[str, F64]:
    """The official tensors with the project's low-rank change added as written: each dense
    matrix W (out, in) becomes W + (A @ B).T, the query's, key's and value's from their columns
    of the change."""
    loaded = load_delta()
    assert loaded is not None, "the project ships the encoder's low-rank change"
    delta, _ = loaded
    t = dict(official)
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."
        change = {
            part: (delta[f"{i}.{part}.A"].astype(np.float64) @ delta[f"{i}.{part}.B"]).T
            for part in ("qkv", "out", "up", "down")
        }
        for n, name in enumerate(("query", "key", "value")):
            key = p + f"attention.self.{name}.weight"
            t[key] = t[key] + change["qkv"][n * DIM : (n + 1) * DIM]
        t[p + "attention.output.dense.weight"] = (
            t[p + "attention.output.dense.weight"] + change["out"]
        )
        t[p + "intermediate.dense.weight"] = t[p + "intermediate.dense.weight"] + change["up"]
        t[p + "output.dense.weight"] = t[p + "output.dense.weight"] + change["down"]
    return t


def reference(t: dict[str, F64], ids: list[int]) -> F64:
    """One text through BERT as written in the paper, in double precision, with the tanh form of
    GELU the encoder uses; the same pooled blocks as ``SentenceEncoder.read``."""
    n = len(ids)
    words = t["embeddings.word_embeddings.weight"][ids].astype(np.float64)
    x = words + t["embeddings.position_embeddings.weight"][:n]
    x = x + t["embeddings.token_type_embeddings.weight"][0]
    x = _norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
    size = DIM // HEADS
    layer_means = []
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."

        def dense(v: F64, name: str, p: str = p) -> F64:
            out: F64 = v @ t[p + name + ".weight"].T + t[p + name + ".bias"]
            return out

        q, k, v = (
            dense(x, f"attention.self.{part}").reshape(n, HEADS, size).transpose(1, 0, 2)
            for part in ("query", "key", "value")
        )
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(size)
        weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
        weights /= weights.sum(axis=-1, keepdims=True)
        context = (weights @ v).transpose(1, 0, 2).reshape(n, DIM)
        x = _norm(
            dense(context, "attention.output.dense") + x,
            t[p + "attention.output.LayerNorm.weight"],
            t[p + "attention.output.LayerNorm.bias"],
        )
        h = dense(x, "intermediate.dense")
        h = 0.5 * h * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (h + 0.044715 * h**3)))
        x = _norm(
            dense(h, "output.dense") + x,
            t[p + "output.LayerNorm.weight"],
            t[p + "output.LayerNorm.bias"],
        )
        layer_means.append(x.mean(axis=0))
    blocks = [layer_means[-1], x.max(axis=0), *layer_means[:-1], words.mean(axis=0)]
    return np.concatenate([b / np.linalg.norm(b) for b in blocks])


def test_the_fast_forward_matches_a_plain_one_text_by_text(
    encoder: SentenceEncoder, tensors: dict[str, F64]
) -> None:
    fast = encoder.read(TEXTS)
    assert fast.shape == (len(TEXTS), FEATURES) and fast.dtype == np.float32
    for text, row in zip(TEXTS, fast, strict=True):
        ids = encoder.tokenizer.encode(text).ids
        assert np.abs(row - reference(tensors, ids)).max() < 1e-4, text


def test_untuned_it_reads_as_the_official_model(official: dict[str, F64]) -> None:
    """Without the project's change the encoder is all-MiniLM-L6-v2 itself; with it, what it
    reads of a sentence differs (the change is in use), by a small step."""
    plain = SentenceEncoder(tuned=False)
    assert plain.delta_digest is None
    rows = plain.read(TEXTS)
    for text, row in zip(TEXTS, rows, strict=True):
        ids = plain.tokenizer.encode(text).ids
        assert np.abs(row - reference(official, ids)).max() < 1e-4, text
    tuned = SentenceEncoder().read(TEXTS)
    alike = np.sum(tuned[:, :DIM] * rows[:, :DIM], axis=1)
    assert np.all(alike < 0.9999) and np.all(alike > 0.5), alike


def test_a_batch_read_by_two_threads_equals_one_read_by_one(
    encoder: SentenceEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = TEXTS * 2  # enough tokens to be split
    forward = encoder._forward
    readers: set[int] = set()

    def recorded(ids: list[npt.NDArray[np.int64]]) -> npt.NDArray[np.float32]:
        readers.add(threading.get_ident())
        return forward(ids)

    monkeypatch.setattr(encoder, "_forward", recorded)
    monkeypatch.setattr(encoder, "threads", 2)
    split = encoder.read(texts)
    assert len(readers) == 2
    readers.clear()
    monkeypatch.setattr(encoder, "threads", 1)
    alone = encoder.read(texts)
    assert readers == {threading.get_ident()}
    # Each text alone gives the same reading as inside the batch.
    single = np.stack([encoder.read([t])[0] for t in TEXTS])
    assert np.abs(split - alone).max() < 1e-5
    assert np.abs(alone[: len(TEXTS)] - single).max() < 1e-5
    # The embedding itself: the same as the first DIM columns.
    # (One text alone against a batch: BLAS may sum in another order for another size.)
    assert np.abs(encoder.encode(TEXTS[:1]) - alone[:1, :DIM]).max() < 1e-6


def _resident_kb(path: str) -> int:
    """Resident kB of this process's mappings of the file at ``path`` (/proc/self/smaps)."""
    total, inside = 0, False
    with open("/proc/self/smaps") as fh:
        for line in fh:
            head = line.split()
            if "-" in head[0] and len(head) >= 5:
                inside = line.rstrip().endswith(path)
            elif inside and head[0] == "Rss:":
                total += int(head[1])
    return total


def test_layers_mapped_from_a_cache_file_and_dropped_between_reads(
    encoder: SentenceEncoder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The layer matrices live in a file written once beside the user's caches, mapped
    read-only: between reads none of its 42 MB is resident, and the embeddings are the very
    ones the in-memory copies give (the fallback when the cache cannot be written)."""
    from voicemail_coach.analysis import encoder as enc

    monkeypatch.setenv("VOICEMAIL_COACH_CACHE_DIR", str(tmp_path))
    mapped = SentenceEncoder(check=False)
    cache = enc._layer_file(model_dir(), mapped.delta_digest)
    assert cache.parent == tmp_path
    assert cache.stat().st_size == LAYERS * DIM * 12 * DIM * 4  # qkv 3, out 1, up 4, down 4
    first = mapped.read(TEXTS)
    assert _resident_kb(str(cache)) == 0
    again = SentenceEncoder(check=False)  # reuses the file
    assert cache.stat().st_size == LAYERS * DIM * 12 * DIM * 4
    np.testing.assert_array_equal(again.read(TEXTS), first)
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("")
    monkeypatch.setattr(enc, "_layer_file", lambda folder, digest: blocker / "layers.f32")
    in_memory = SentenceEncoder(check=False)
    assert not in_memory._mapped
    np.testing.assert_array_equal(in_memory.read(TEXTS), first)
    np.testing.assert_array_equal(encoder.read(TEXTS), first)


def test_reads_inside_held_keep_the_layers_until_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An analysis reads in two passes: inside ``held`` the layers stay resident between them
    (no second fault of 42 MB from the file), nested holds release only at the outermost end,
    and what is read is the same."""
    from voicemail_coach.analysis import encoder as enc

    monkeypatch.setenv("VOICEMAIL_COACH_CACHE_DIR", str(tmp_path))
    mapped = SentenceEncoder(check=False)
    path = str(enc._layer_file(model_dir(), mapped.delta_digest))
    alone = mapped.read(TEXTS)
    with mapped.held():
        with mapped.held():
            first = mapped.read(TEXTS)
        assert _resident_kb(path) > 40_000  # the six layers' 42 MB (in kB)
        second = mapped.read(TEXTS[:1])
        assert _resident_kb(path) > 40_000
    assert _resident_kb(path) == 0
    np.testing.assert_array_equal(first, alone)
    # One text alone against a batch: BLAS may sum in another order for another size.
    np.testing.assert_allclose(second, alone[:1], rtol=0, atol=1e-6)


def test_a_damaged_layer_file_is_written_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A layer file whose rows differ from the model's (damaged, or left by other arithmetic
    under the same name) is replaced, so the embeddings stay the model's."""
    from voicemail_coach.analysis import encoder as enc

    monkeypatch.setenv("VOICEMAIL_COACH_CACHE_DIR", str(tmp_path))
    reader = SentenceEncoder(check=False)
    first = reader.read(TEXTS[:2])
    cache = enc._layer_file(model_dir(), reader.delta_digest)
    data = bytearray(cache.read_bytes())
    data[:4] = np.float32(7.0).tobytes()  # the first layer's first weight
    cache.write_bytes(bytes(data))
    again = SentenceEncoder(check=False)
    assert again._mapped
    assert cache.read_bytes()[:4] != np.float32(7.0).tobytes()
    np.testing.assert_array_equal(again.read(TEXTS[:2]), first)
