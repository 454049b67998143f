"""The one base class of a user's mistakes.

Everything a user can get wrong (a scenario file, a parameter, a command-line option, an output
folder, a port, a missing optional extra) raises a subclass of :class:`InputError`. The command
line reports those in one line with exit status 2; any other exception is a bug in oasim and is
shown with its traceback.
"""

from __future__ import annotations

__all__ = ["InputError", "UsageError"]


class InputError(ValueError):
    """Input that oasim refuses: the message says what was wrong and what is allowed."""


class UsageError(InputError):
    """A bad command-line option or a combination of options that cannot work together."""
