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


# -- assembly rate (GB/T 51129) ----------------------------------------------------------
class UnknownBuildingError(InputError):
    code = "unknown_building"


class ScoringTableError(InputError):
    code = "bad_scoring_table"


class DeclarationError(InputError):
    """A declaration file with an unknown item, a value out of range or a missing field."""

    code = "bad_declaration"


class OverrideError(InputError):
    """A precast override file with an unknown GlobalId, a bad value or no reason."""

    code = "bad_override"


class NotEvaluableError(InputError):
    """A model from which a required evaluation item cannot be computed."""

    code = "not_evaluable"
