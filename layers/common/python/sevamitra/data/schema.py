"""Table definitions derived from the pynamodb models: one source for CDK and the local stack."""

from __future__ import annotations

from dataclasses import dataclass, field

from pynamodb.indexes import AllProjection, KeysOnlyProjection

from sevamitra.data.models import ALL_MODELS, BaseModel

_TYPES = {"S": "S", "N": "N", "B": "B"}


@dataclass(frozen=True)
class KeyAttr:
    name: str
    type: str  # "S" | "N" | "B"


@dataclass(frozen=True)
class IndexSpec:
    name: str
    hash_key: KeyAttr
    range_key: KeyAttr | None
    projection: str  # "ALL" | "KEYS_ONLY"


@dataclass(frozen=True)
class TableSpec:
    logical_name: str
    hash_key: KeyAttr
    range_key: KeyAttr | None
    indexes: tuple[IndexSpec, ...] = field(default=())
    ttl_attribute: str | None = None

    def create_table_params(self, table_name: str) -> dict:
        """boto3 ``create_table`` parameters (on-demand billing, as in the CDK stack)."""
        attrs = {self.hash_key, *([self.range_key] if self.range_key else [])}
        for index in self.indexes:
            attrs |= {index.hash_key, *([index.range_key] if index.range_key else [])}
        params: dict = {
            "TableName": table_name,
            "BillingMode": "PAY_PER_REQUEST",
            "KeySchema": _key_schema(self.hash_key, self.range_key),
            "AttributeDefinitions": [
                {"AttributeName": a.name, "AttributeType": a.type}
                for a in sorted(attrs, key=lambda a: a.name)
            ],
        }
        if self.indexes:
            params["GlobalSecondaryIndexes"] = [
                {
                    "IndexName": index.name,
                    "KeySchema": _key_schema(index.hash_key, index.range_key),
                    "Projection": {"ProjectionType": index.projection},
                }
                for index in self.indexes
            ]
        return params


def _key_schema(hash_key: KeyAttr, range_key: KeyAttr | None) -> list[dict]:
    schema = [{"AttributeName": hash_key.name, "KeyType": "HASH"}]
    if range_key:
        schema.append({"AttributeName": range_key.name, "KeyType": "RANGE"})
    return schema


def _key_attrs(attributes: dict) -> tuple[KeyAttr, KeyAttr | None]:
    hash_key = range_key = None
    for name, attribute in attributes.items():
        if attribute.is_hash_key:
            hash_key = KeyAttr(attribute.attr_name or name, _TYPES[attribute.attr_type])
        elif attribute.is_range_key:
            range_key = KeyAttr(attribute.attr_name or name, _TYPES[attribute.attr_type])
    assert hash_key is not None
    return hash_key, range_key


def table_spec(model: type[BaseModel]) -> TableSpec:
    hash_key, range_key = _key_attrs(model.get_attributes())
    indexes = []
    for index in model._indexes.values():
        index_hash, index_range = _key_attrs(index.Meta.attributes)
        projection = index.Meta.projection
        if not isinstance(projection, AllProjection | KeysOnlyProjection):
            raise TypeError(f"{index.Meta.index_name}: only ALL and KEYS_ONLY projections are used")
        indexes.append(IndexSpec(index.Meta.index_name, index_hash, index_range, projection.projection_type))
    return TableSpec(
        logical_name=model.LOGICAL_NAME,
        hash_key=hash_key,
        range_key=range_key,
        indexes=tuple(indexes),
        ttl_attribute=getattr(model, "TTL_ATTRIBUTE", None),
    )


TABLES: tuple[TableSpec, ...] = tuple(table_spec(model) for model in ALL_MODELS)
