"""Every DynamoDB table, from the same specs the pynamodb models and the local stack use."""

from __future__ import annotations

from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from constructs import Construct

from infra.constants import StageSettings
from sevamitra.data.schema import TABLES, KeyAttr, TableSpec

_ATTRIBUTE_TYPES = {
    "S": dynamodb.AttributeType.STRING,
    "N": dynamodb.AttributeType.NUMBER,
    "B": dynamodb.AttributeType.BINARY,
}
_PROJECTIONS = {"ALL": dynamodb.ProjectionType.ALL, "KEYS_ONLY": dynamodb.ProjectionType.KEYS_ONLY}


def _attribute(key: KeyAttr | None) -> dynamodb.Attribute | None:
    return dynamodb.Attribute(name=key.name, type=_ATTRIBUTE_TYPES[key.type]) if key else None


class Data(Construct):
    """``tables[logical]`` is the table ``sevamitra-<stage>-<logical>``: on-demand, encrypted (with
    ``key`` when given, a customer-managed key; else DynamoDB's AWS-managed key), with
    point-in-time recovery; retained and deletion-protected in prod, destroyed with a dev stack."""

    def __init__(
        self, scope: Construct, construct_id: str, *, stage: StageSettings, key: kms.IKey | None = None
    ) -> None:
        super().__init__(scope, construct_id)
        self._key = key
        self.specs: dict[str, TableSpec] = {spec.logical_name: spec for spec in TABLES}
        self.tables: dict[str, dynamodb.Table] = {
            spec.logical_name: self._table(spec, stage) for spec in TABLES
        }

    def _table(self, spec: TableSpec, stage: StageSettings) -> dynamodb.Table:
        encryption = (
            {"encryption": dynamodb.TableEncryption.CUSTOMER_MANAGED, "encryption_key": self._key}
            if self._key is not None
            else {"encryption": dynamodb.TableEncryption.AWS_MANAGED}
        )
        table = dynamodb.Table(
            self,
            spec.logical_name,
            table_name=stage.table_name(spec.logical_name),
            partition_key=_attribute(spec.hash_key),
            sort_key=_attribute(spec.range_key),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            **encryption,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=spec.ttl_attribute,
            deletion_protection=stage.deletion_protection,
            removal_policy=stage.removal_policy,
        )
        for index in spec.indexes:
            table.add_global_secondary_index(
                index_name=index.name,
                partition_key=_attribute(index.hash_key),
                sort_key=_attribute(index.range_key),
                projection_type=_PROJECTIONS[index.projection],
            )
        return table

    def index_names(self, logical: str) -> tuple[str, ...]:
        return tuple(index.name for index in self.specs[logical].indexes)
