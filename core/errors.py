class DomainError(Exception):
    """A business rule refused the change. `message` is for the user; `code` is stable."""

    def __init__(self, message, *, code: str = "invalid", field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
