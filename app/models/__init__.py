"""Typed SQLAlchemy 2 models, one module per area. Importing this package registers every table."""

from .audit import AuditLog
from .fields import FieldDefinition
from .legal import LegalArticle, LegalBasis
from .people import Person, PersonAssignment
from .positions import DutyGroup, Position, StandardProduct
from .rulesets import Adoption, Ruleset, RulesetVersion, VersionLegalBasis
from .tasks import PeriodInput, Task
from .units import Unit
from .users import ApiToken, LoginFailure, User

__all__ = [
    "Adoption",
    "ApiToken",
    "AuditLog",
    "DutyGroup",
    "FieldDefinition",
    "LegalArticle",
    "LegalBasis",
    "LoginFailure",
    "Person",
    "PersonAssignment",
    "Position",
    "Ruleset",
    "RulesetVersion",
    "StandardProduct",
    "Task",
    "PeriodInput",
    "Unit",
    "User",
    "VersionLegalBasis",
]
