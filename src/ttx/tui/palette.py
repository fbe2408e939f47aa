"""The command palette's one provider: every key binding of the current screen, by description."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.dom import DOMNode


class BindingCommands(Provider):
    """Offer each active binding (screen and app) as a palette command, so nothing needs a key."""

    def _commands(self) -> list[tuple[str, str, DOMNode, str]]:
        seen: set[str] = set()
        found: list[tuple[str, str, DOMNode, str]] = []
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.description or not binding.id or not active.enabled:
                continue
            label = binding.description
            if binding.action in seen:
                continue
            seen.add(binding.action)
            help_text = binding.tooltip or label
            shown = self.app.get_key_display(binding) if key else ""
            found.append((label, f"{help_text} (key: {shown})", active.node, binding.action))
        return found

    async def _run(self, node: DOMNode, action: str) -> None:
        await self.app.run_action(action, node)

    async def discover(self) -> Hits:
        """Every command, listed when the palette opens."""
        for label, help_text, node, action in self._commands():
            yield DiscoveryHit(
                Content(label), partial(self._run, node, action), text=label, help=help_text
            )

    async def search(self, query: str) -> Hits:
        """The commands whose description matches what was typed."""
        matcher = self.matcher(query)
        for label, help_text, node, action in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(label),
                    partial(self._run, node, action),
                    text=label,
                    help=help_text,
                )
