"""The speech model, loaded once, and the rule for when a stored take must be transcribed again."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from voicemail_coach.analysis.report import Report
from voicemail_coach.analysis.transcribe import FILLER_PROMPT, Transcriber, resolve_model


class ModelHolder:
    """Loads the Whisper model once, on first use, from whichever thread asks first."""

    def __init__(self, model_dir: str | None, keep_fillers: bool) -> None:
        self.model_dir = model_dir
        self.keep_fillers = keep_fillers
        self._lock = threading.Lock()
        self._transcriber: Transcriber | None = None

    def get(self) -> Transcriber:
        with self._lock:
            if self._transcriber is None:
                prompt = FILLER_PROMPT if self.keep_fillers else None
                self._transcriber = Transcriber(self.model_dir, initial_prompt=prompt)
            return self._transcriber

    def live_if_ready(self) -> Transcriber | None:
        """The model once it is loaded, without waiting: live jobs skip while it loads (the
        analysis after Stop transcribes whatever they missed)."""
        return self._transcriber


def retranscription_reason(stored: Report | None, models: ModelHolder, asked: bool) -> str | None:
    """Why analysing a stored take again needs a new transcription; None when its stored
    transcript serves (only the profile, preset or card changed).

    A stored transcript made without the filler prompt is reused even when the prompt is on
    now: the prompt may have been dropped because it derailed the decoder, and transcribing
    again would then give the same words ("Transcribe again" forces it)."""
    if asked:
        return "as asked"
    if stored is None or stored.model is None:
        return "no stored transcript"
    if not stored.is_message and not stored.transcript.segments:
        # Saved before the decoder's segment figures were kept: without them words in a
        # stretch the decoder called silent would count as heard, and the verdict could move.
        return "stored without the decoder's figures that decide whether it is a message"
    spec = resolve_model(models.model_dir)
    before = stored.model
    same_path = Path(before.path) == spec.path
    # The bundled model is the same pinned files wherever the package is installed.
    same_bundled = (
        spec.bundled and before.name == spec.name and Path(before.path).name == spec.path.name
    )
    if not (same_path or same_bundled):
        return f"another model: {before.name} → {spec.name}"
    prompt = FILLER_PROMPT if models.keep_fillers else None
    if before.initial_prompt is not None and before.initial_prompt != prompt:
        return "the filler prompt is off now" if prompt is None else "another transcription prompt"
    return None


def warm_up(holder: ModelHolder) -> str:
    """Load the model (and the meaning model) and warm them, so the first analysis does not
    wait; runs on a worker. Says which model loaded."""
    transcriber = holder.get()
    # One tiny transcription warms the decoder, so the first real take is not slower.
    transcriber.transcribe(np.zeros(8000, dtype=np.float32))
    # The meaning model (sentence encoder + trained head) is loaded here too, off the GUI
    # thread; without it the wording is checked by the profile's rules alone.
    from voicemail_coach.analysis.meaning import get_model

    meaning = get_model()
    if meaning is not None:
        meaning.embed(["Hi, this is a warm-up sentence."])
    return f"{transcriber.name} ({transcriber.compute_type})"
