"""Errors for bad input. Each carries a one-line reason fit to show a user."""


class InputError(Exception):
    """Input that cannot be processed; ``str(err)`` is a one-line reason."""

    code = "bad_input"


class EmptyFileError(InputError):
    code = "empty_file"


class FileTooLargeError(InputError):
    code = "file_too_large"


class NotIfcError(InputError):
    code = "not_ifc"


class TruncatedIfcError(InputError):
    code = "truncated_ifc"


class UnsupportedSchemaError(InputError):
    code = "unsupported_schema"


class NoIfcInZipError(InputError):
    code = "no_ifc_in_zip"


class BadIdsError(InputError):
    code = "bad_ids"
