"""The visible "saved" indicator: when the last event was written, or a warning if it was not."""

from __future__ import annotations

from datetime import datetime

from ttx.tui.text import join
from ttx.tui.widgets.panel import Panel


class SavedIndicator(Panel):
    """Shows "✓ saved 14:02:11" after each recorded event, or "⚠ NOT SAVED" if writing failed."""

    def on_mount(self) -> None:
        """Show the app's current status, and be told of every change from now on."""
        app = self.app
        registry = getattr(app, "saved_indicators", None)
        if registry is not None:
            registry.add(self)
        self.show_status(getattr(app, "saved_at", None), getattr(app, "save_error", None))

    def on_unmount(self) -> None:
        """Stop being told of changes."""
        registry = getattr(self.app, "saved_indicators", None)
        if registry is not None:
            registry.discard(self)

    def show_status(self, saved_at: datetime | None, error: str | None) -> None:
        """Redraw from the app's save status."""
        self.set_class(error is not None, "-failed")
        self.set_class(error is None and saved_at is not None, "-saved")
        if error is not None:
            self.update(join(("⚠ NOT SAVED", "bold"), " — ", error))
        elif saved_at is not None:
            self.update(join("✓ saved ", saved_at.astimezone().strftime("%H:%M:%S")))
        else:
            self.update(join("journal ready"))
