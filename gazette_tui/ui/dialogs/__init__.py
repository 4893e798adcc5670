"""Modal dialogs, one ``ModalScreen[T]`` per file."""
