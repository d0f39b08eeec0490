"""A plain-text progress bar for long jobs (index rebuilds, backups, restores): redrawn in place on
a terminal, one line per tenth otherwise (logs and CI)."""

import sys
from collections.abc import Callable


class Progress:
    """`label: [#####.....] done of total (50%)`; `amount` formats the counts (e.g. as sizes)."""

    def __init__(
        self, label: str, total: int, stream=None, width: int = 30, amount: Callable[[int], str] | None = None
    ):
        self.label, self.total, self.width = label, max(total, 0), width
        self.stream = stream or sys.stdout
        self.amount = amount
        self.done = 0
        # Lines from 10 % on (and the last one): the first steps are no news.
        self._last_tenth = 0
        self._last_line = ""
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._draw()

    def finish(self) -> None:
        self.done = max(self.done, self.total)
        self._draw(final=True)

    def _counts(self) -> str:
        if self.amount is None:
            return f"{self.done}/{self.total}"
        return f"{self.amount(self.done)} av {self.amount(self.total)}"

    def _draw(self, final: bool = False) -> None:
        fraction = min(self.done / self.total, 1.0) if self.total else 1.0
        filled = int(fraction * self.width)
        line = f"{self.label}: [{'#' * filled}{'.' * (self.width - filled)}] {self._counts()} ({fraction:.0%})"
        if self._tty:
            self._write("\r" + line + ("\n" if final else ""))
        else:
            tenth = int(fraction * 10)
            if tenth != self._last_tenth or (final and line != self._last_line):
                self._last_tenth, self._last_line = tenth, line
                self._write(line + "\n")

    def _write(self, text: str) -> None:
        # A management command's OutputWrapper would add its own line ending to every write.
        if hasattr(self.stream, "ending"):
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()
