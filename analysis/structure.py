"""What the message says: introduction, value, next step, way out, and the things to avoid.

Each sentence is read by the profile's phrase rules (:mod:`voicemail_coach.analysis.phrase_rules`)
and, when the profile uses it, by the meaning model
(:mod:`voicemail_coach.analysis.structure_meaning`); what they find is a
:class:`~voicemail_coach.analysis.findings.Structure`."""

from __future__ import annotations

from collections.abc import Sequence

from voicemail_coach.analysis.findings import NearMiss, Structure
from voicemail_coach.analysis.phone_numbers import find_phone_numbers
from voicemail_coach.analysis.phrase_rules import classify_sentence, explained_by_rules
from voicemail_coach.analysis.profile import Profile
from voicemail_coach.analysis.transcript import Sentence, Word


def analyze_structure(
    words: Sequence[Word], sentences: Sequence[Sentence], profile: Profile
) -> Structure:
    """Each sentence read by the profile's phrase rules and, when it is available, by the
    meaning model (voicemail_coach.analysis.meaning), which weighs the rules' verdict with what it has learnt."""
    labelled = [
        classify_sentence(s.text, profile, words[s.first : s.last + 1], i, s.first)
        for i, s in enumerate(sentences)
    ]
    model = None
    if profile.content.use_model and sentences:
        from voicemail_coach.analysis.meaning import get_model

        model = get_model()
    near: dict[str, NearMiss] = {}
    grades: tuple[str | None, ...] = ()
    if model is not None:
        from voicemail_coach.analysis.encoder import one_blas_thread
        from voicemail_coach.analysis.structure_meaning import read_with_meaning

        # (the head's products are small: a second BLAS thread only spins; the encoder's layers
        # stay resident until both of its passes are done)
        with one_blas_thread(), model.encoder.held():
            labelled, near, grades = read_with_meaning(model, words, sentences, labelled, profile)
    else:
        labelled = [explained_by_rules(sl) for sl in labelled]
    findings = [f for sl in labelled for f in sl.findings]
    return Structure(
        sentence_labels=tuple(labelled),
        phone_numbers=tuple(
            find_phone_numbers(words, profile.phone.min_digits, profile.phone.not_after)
        ),
        findings=tuple(sorted(findings, key=lambda f: (f.start_s, f.category))),
        near_misses=near,
        model_used=model is not None,
        grades=grades,
    )
