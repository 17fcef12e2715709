"""The Textual app: screens, widgets and one stylesheet. It talks only to assistant.dialogue."""
