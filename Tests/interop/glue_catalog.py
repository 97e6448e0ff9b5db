"""The oracle side of the Glue catalog tests: what the catalog holds (read with botocore) and what it
should hold for a table as hudi-rs reads it (its schema in Hive types, its partitions). Neither
side uses lake's code."""
from __future__ import annotations

import json
import pathlib
import urllib.parse

import pyarrow as pa

import hudi_read

META = ["_hoodie_commit_time", "_hoodie_commit_seqno", "_hoodie_record_key", "_hoodie_partition_path",
        "_hoodie_file_name"]


def hive_type(t: pa.DataType) -> str:
    """The Hive type Hudi's hive sync gives an Arrow type (timestamps with support_timestamp)."""
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "string"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_int8(t):
        return "tinyint"
    if pa.types.is_int16(t):
        return "smallint"
    if pa.types.is_int32(t):
        return "int"
    if pa.types.is_int64(t):
        return "bigint"
    if pa.types.is_float32(t):
        return "float"
    if pa.types.is_float64(t):
        return "double"
    if pa.types.is_date32(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "timestamp"
    if pa.types.is_decimal(t):
        return f"decimal({t.precision},{t.scale})"
    if pa.types.is_binary(t) or pa.types.is_fixed_size_binary(t):
        return "binary"
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return f"array<{hive_type(t.value_type)}>"
    if pa.types.is_map(t):
        return f"map<{hive_type(t.key_type)},{hive_type(t.item_type)}>"
    if pa.types.is_struct(t):
        return "struct<" + ",".join(f"{t.field(i).name}:{hive_type(t.field(i).type)}"
                                    for i in range(t.num_fields)) + ">"
    raise AssertionError(f"no Hive type for {t}")


def spark_type(t: pa.DataType):
    """The Spark SQL type (StructType JSON form) of an Arrow type, nullability aside."""
    names = {"bigint": "long", "int": "integer", "smallint": "short", "tinyint": "byte"}
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return {"type": "array", "elementType": spark_type(t.value_type)}
    if pa.types.is_map(t):
        return {"type": "map", "keyType": spark_type(t.key_type), "valueType": spark_type(t.item_type)}
    if pa.types.is_struct(t):
        return {"type": "struct", "fields": [{"name": t.field(i).name, "type": spark_type(t.field(i).type)}
                                             for i in range(t.num_fields)]}
    hive = hive_type(t)
    return names.get(hive, hive)


def strip_nullability(v):
    """A Spark schema JSON without nullable/containsNull/metadata (Arrow from hudi-rs does not keep
    Parquet's required/optional everywhere)."""
    if isinstance(v, dict):
        return {k: strip_nullability(x) for k, x in v.items()
                if k not in ("nullable", "containsNull", "valueContainsNull", "metadata")}
    if isinstance(v, list):
        return [strip_nullability(x) for x in v]
    return v


def expected_columns(table: pathlib.Path, partition_fields: list[str]) -> list[tuple[str, str]]:
    """(name, Hive type) of every column hudi-rs reads, meta columns first, partition fields left out."""
    schema = hudi_read.open_table(table).get_schema_with_meta_fields()
    return [(f.name, hive_type(f.type)) for f in schema if f.name not in partition_fields]


def partition_values(path: str, fields: list[str], hive_style: bool) -> tuple[str, ...]:
    """MultiPartKeysValueExtractor on a partition path: each segment's value (after `field=`)."""
    segments = path.split("/")
    assert len(segments) == len(fields), (path, fields)
    out = []
    for field, seg in zip(fields, segments):
        if hive_style:
            assert seg.startswith(field + "="), (path, field)
            seg = seg[len(field) + 1:]
        out.append(urllib.parse.unquote(seg))
    return tuple(out)


def expected_partitions(table: pathlib.Path, fields: list[str], hive_style: bool) -> dict[tuple, str]:
    """values → location of every partition with a file slice in hudi-rs' latest snapshot."""
    if not fields:
        return {}  # a non-partitioned table has no catalog partitions
    base = "file://" + str(table.resolve())
    return {partition_values(s["partition_path"], fields, hive_style): f"{base}/{s['partition_path']}"
            for s in hudi_read.file_slices(table)}


def catalog_table(glue, database: str, name: str) -> dict:
    return glue.get_table(DatabaseName=database, Name=name)["Table"]


def catalog_columns(table: dict) -> list[tuple[str, str]]:
    return [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"]]


def catalog_partitions(glue, database: str, name: str) -> dict[tuple, str]:
    out, token = {}, None
    while True:
        kwargs = {"DatabaseName": database, "TableName": name}
        if token:
            kwargs["NextToken"] = token
        page = glue.get_partitions(**kwargs)
        for p in page["Partitions"]:
            out[tuple(p["Values"])] = p["StorageDescriptor"]["Location"]
        token = page.get("NextToken")
        if not token:
            return out


def assert_catalog_matches(glue, database: str, name: str, table: pathlib.Path, fields: list[str],
                           hive_style: bool = True):
    """The catalog's columns, partition keys, storage descriptor and partitions equal the table's."""
    t = catalog_table(glue, database, name)
    assert catalog_columns(t) == expected_columns(table, fields)
    schema = hudi_read.open_table(table).get_schema_with_meta_fields()
    assert [(k["Name"], k["Type"]) for k in t.get("PartitionKeys", [])] == [
        (f, hive_type(schema.field(f).type)) for f in fields]
    sd = t["StorageDescriptor"]
    assert sd["Location"] == "file://" + str(table.resolve())
    assert sd["InputFormat"] == "org.apache.hudi.hadoop.HoodieParquetInputFormat"
    assert sd["OutputFormat"] == "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
    assert sd["SerdeInfo"]["SerializationLibrary"] == "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    assert t["TableType"] == "EXTERNAL_TABLE"
    assert t["Parameters"]["spark.sql.sources.provider"] == "hudi"
    assert t["Parameters"]["last_commit_time_sync"] == hudi_read.completed_instants(table)[-1][0]
    # The Spark data source schema (spark.sql.sources.schema.*): data columns, then partition columns.
    params = t["Parameters"]
    spark = json.loads("".join(params[f"spark.sql.sources.schema.part.{i}"]
                               for i in range(int(params["spark.sql.sources.schema.numParts"]))))
    order = [f for f in schema if f.name not in fields] + [schema.field(f) for f in fields]
    assert strip_nullability(spark) == {"type": "struct", "fields": [
        {"name": f.name, "type": spark_type(f.type)} for f in order]}
    if fields:
        assert params["spark.sql.sources.schema.numPartCols"] == str(len(fields))
        assert [params[f"spark.sql.sources.schema.partCol.{i}"] for i in range(len(fields))] == fields
    assert catalog_partitions(glue, database, name) == expected_partitions(table, fields, hive_style)
