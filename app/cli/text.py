"""What the library commands share: exit codes, the error line, dates and plain-text tables."""

from __future__ import annotations

import sys
from collections.abc import Sequence

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def fail(message: str) -> int:
    """Print ``message`` as the command's error line; the exit code for bad input."""
    print(f"voicemail-coach: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def clip(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], left: set[int]) -> str:
    """Columns padded to their widest cell; the columns in ``left`` left-aligned, others right."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(header), *(line(r) for r in rows)])
