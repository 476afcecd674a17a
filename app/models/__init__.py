"""Typed SQLAlchemy 2 models, one module per area. Importing this package registers every table."""

from .assessments import (
    Assessment,
    AssessmentJob,
    AssessmentLock,
    AssessmentPin,
    AssessmentResult,
    AssessmentRevision,
    AssessmentSnapshot,
)
from .audit import AuditLog
from .feedback import AssessmentFeedback
from .fields import FieldDefinition
from .legal import LegalArticle, LegalBasis
from .people import Person, PersonAssignment
from .positions import DutyGroup, Position, StandardProduct
from .provisional import ProvisionalResult
from .rulesets import Adoption, Ruleset, RulesetVersion, VersionLegalBasis
from .salaries import Salary
from .summaries import AssessmentSummary
from .tasks import PeriodInput, Task
from .units import Unit
from .users import ApiToken, LoginFailure, User

__all__ = [
    "Adoption",
    "ApiToken",
    "Assessment",
    "AssessmentFeedback",
    "AssessmentJob",
    "AssessmentLock",
    "AssessmentPin",
    "AssessmentResult",
    "AssessmentRevision",
    "AssessmentSnapshot",
    "AssessmentSummary",
    "AuditLog",
    "DutyGroup",
    "FieldDefinition",
    "LegalArticle",
    "LegalBasis",
    "LoginFailure",
    "Person",
    "PersonAssignment",
    "Position",
    "ProvisionalResult",
    "Ruleset",
    "RulesetVersion",
    "Salary",
    "StandardProduct",
    "Task",
    "PeriodInput",
    "Unit",
    "User",
    "VersionLegalBasis",
]
