"""An Input whose editing keys act where they were typed, for every box the user types into."""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class PromptInput(Input):
    """An Input that runs its own editing bindings (Ctrl+U, Backspace, Enter...) as each key arrives.

    Textual resolves a widget's bindings once the key has bubbled up to the App, behind the printable
    keys that the Input inserts at once; in one burst of input (typed fast over ssh, or Ctrl+U then
    "wall" from tmux) the editing key would act after the letters typed after it, and Ctrl+U erased
    "wall".
    """

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            for key in (event.key, *event.aliases):
                bindings = self._bindings.key_to_bindings.get(key)
                if bindings:
                    event.stop()
                    event.prevent_default()
                    await self.run_action(bindings[0].action)
                    return
        await super()._on_key(event)
