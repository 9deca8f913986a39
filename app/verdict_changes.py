"""How the verdict changed when a take was analyzed again (another profile, preset or model),
and whether the take was transcribed again (then the words, not only the profile, may differ).

Pure Python, so the library pages, exports and tests can all use it.
"""

from __future__ import annotations

from voicemail_coach.analysis.report import Report
from voicemail_coach.app.deltas import signed


def verdict_changes(before: Report, after: Report) -> list[str]:
    """One line per check whose status changed ("pace: pass \u2192 warn"), a check that is new or
    gone, and the score change first; empty when nothing changed."""
    lines = []
    if after.score != before.score:
        if after.score is None or before.score is None:  # a message, now none, or the reverse
            was, now = (("no message" if x is None else x) for x in (before.score, after.score))
            lines.append(f"score {was} \u2192 {now}")
        else:
            change = signed(after.score - before.score, 0)
            lines.append(f"score {before.score} \u2192 {after.score} ({change})")
    old = {c.id: c.status for c in before.checks}
    new = {c.id: c.status for c in after.checks}
    for cid, status in new.items():
        if cid not in old:
            lines.append(f"{cid.replace('_', ' ')}: new, {status}")
        elif old[cid] != status:
            lines.append(f"{cid.replace('_', ' ')}: {old[cid]} \u2192 {status}")
    lines += [f"{cid.replace('_', ' ')}: no longer checked" for cid in old if cid not in new]
    return lines


def summary(before: Report, after: Report, transcribed_again: str | None = None) -> str:
    """A sentence for the banner. ``transcribed_again``: why the take was transcribed again;
    None when the stored transcript was reused, so every change is the profile's."""
    lines = verdict_changes(before, after)
    profile = after.profile.name
    if before.profile.name != profile:
        profile = f"{before.profile.name} \u2192 {profile}"
    if transcribed_again is None:
        head = f"Analyzed again with the same transcript ({profile})"
    else:
        head = f"Transcribed again ({transcribed_again}) and analyzed ({profile})"
        if lines:
            head += "; the new transcript can change a verdict too"
    if not lines:
        return f"{head}: the verdict is the same."
    return f"{head}: " + "; ".join(lines) + "."
