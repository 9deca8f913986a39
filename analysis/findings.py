"""What the structure analysis finds in a message: each part located in the words (`Finding`),
each sentence's labels, the closest sentence for a part not found, and the whole `Structure`."""

from __future__ import annotations

from dataclasses import dataclass, field

from voicemail_coach.analysis.phone_numbers import PhoneNumber

CTA = "call_to_action"


@dataclass(frozen=True)
class Finding:
    """A matched phrase: its words and times, and the sentence it sits in."""

    category: str
    text: str
    start_s: float
    end_s: float
    sentence: int
    kind: str | None = None
    why: str = ""  # how it was found: the rule that matched, or the model and its closest example
    clause_word: int | None = None  # where its clause starts (index into the words), if not at 0


@dataclass(frozen=True)
class SentenceLabels:
    labels: tuple[str, ...]
    cta_kind: str | None
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class NearMiss:
    """For a part not found: the sentence that came closest, and what it lacked."""

    sentence: int
    text: str
    probability: float
    lacks: str


@dataclass(frozen=True)
class Structure:
    sentence_labels: tuple[SentenceLabels, ...]
    phone_numbers: tuple[PhoneNumber, ...]
    findings: tuple[Finding, ...] = field(default=())
    near_misses: dict[str, NearMiss] = field(default_factory=dict)
    model_used: bool = False
    grades: tuple[str | None, ...] = ()  # per sentence: specific / vague / feature, or None

    def first(self, category: str) -> Finding | None:
        return next((f for f in self.findings if f.category == category), None)

    def all(self, category: str) -> list[Finding]:
        return [f for f in self.findings if f.category == category]

    def call_to_action(self) -> Finding | None:
        """The message's closing next step: the last call to action said."""
        ctas = self.all("call_to_action")
        return ctas[-1] if ctas else None
