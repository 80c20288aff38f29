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


# -- review documents and BCF replies ----------------------------------------------------
class LetterError(InputError):
    """An opinion or approval letter that cannot be issued as given (a return without reasons…)."""

    code = "bad_letter"


class LetterNumberingError(InputError):
    """A letter-numbering template with an unknown field, or a value it needs missing."""

    code = "bad_letter_numbering"


class UnknownReviewClassError(InputError):
    """A building class that the review time-limit table does not know."""

    code = "unknown_review_class"


class WorkingCalendarError(InputError):
    """A working-day calendar or time-limit table file that is not valid."""

    code = "bad_working_calendar"


class NotBcfError(InputError):
    """Not a zip, or a zip without any BCF topic (``<guid>/markup.bcf``)."""

    code = "not_bcf"


class BcfVersionError(InputError):
    """A BCF file whose ``bcf.version`` cannot be read or names a version we do not read."""

    code = "bcf_version"


class BadBcfMarkupError(InputError):
    """A BCF topic (markup or viewpoint) that is not readable XML."""

    code = "bad_bcf_markup"
