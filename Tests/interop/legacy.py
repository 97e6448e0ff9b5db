"""Hand-built Parquet files in the legacy nested shapes that current writers no longer produce.

Each case is a schema (SchemaNodes), the shredded columns (levels and values worked out by hand)
and the canonical rows a reader must return, following the backward-compatibility rules of
LogicalTypes.md ("Lists" / "Maps"):

- a repeated field that is not a group is the element, and elements are required;
- a repeated group with several fields is the element;
- a repeated group with one field named `array` or `<list name>_tuple` is the element;
- otherwise the repeated group is the 3-level wrapper and its one field is the element;
- a repeated field outside any LIST-annotated group is a required list of required elements.

`write(case, path)` writes the file; the suite checks that pyarrow reads exactly `case.rows`
(the hand shredding is right) before it asks lake to do the same.
"""
from __future__ import annotations

import dataclasses

from parquet_raw import OPTIONAL, REPEATED, REQUIRED, Field, SchemaNode, T_STRUCT, write_file

UTF8, MAP, MAP_KEY_VALUE, LIST = 0, 1, 2, 3
STRING_LOGICAL = [Field(1, T_STRUCT, [])]  # LogicalType union: STRING


@dataclasses.dataclass
class LegacyCase:
    name: str
    schema: list[SchemaNode]
    columns: list[dict]
    rows: list[dict]
    message_type: str  # the schema in message-type syntax (what `lake parquet schema` should print)


def _col(path, physical, max_def, max_rep, levels, type_length=None):
    """`levels` is a list of (rep, def, value-or-None); the value is kept when def == max_def."""
    return {"path": path, "physical": physical, "type_length": type_length, "max_def": max_def,
            "max_rep": max_rep, "rep": [r for r, _, _ in levels], "def": [d for _, d, _ in levels],
            "values": [v for _, d, v in levels if d == max_def]}


def _id(n):
    return _col(["id"], "INT32", 0, 0, [(0, 0, i) for i in range(n)])


def _id_node():
    return SchemaNode("id", REQUIRED, "INT32")


CASES = [
    LegacyCase(
        "two_level_list_of_int32",
        [_id_node(), SchemaNode("a", OPTIONAL, children=[SchemaNode("array", REPEATED, "INT32")], converted=LIST)],
        [_id(4), _col(["a", "array"], "INT32", 2, 1,
                      [(0, 2, 1), (1, 2, 2), (1, 2, 3), (0, 0, None), (0, 1, None), (0, 2, -4)])],
        [{"id": 0, "a": [1, 2, 3]}, {"id": 1, "a": None}, {"id": 2, "a": []}, {"id": 3, "a": [-4]}],
        "message schema {\n  required int32 id;\n  optional group a (LIST) {\n    repeated int32 array;\n  }\n}\n",
    ),
    LegacyCase(
        "repeated_primitive_without_annotation",
        [_id_node(), SchemaNode("tags", REPEATED, "BYTE_ARRAY", converted=UTF8, logical=STRING_LOGICAL)],
        [_id(3), _col(["tags"], "BYTE_ARRAY", 1, 1, [(0, 1, "x"), (1, 1, "yé"), (0, 0, None), (0, 1, "")])],
        [{"id": 0, "tags": ["x", "yé"]}, {"id": 1, "tags": []}, {"id": 2, "tags": [""]}],
        "message schema {\n  required int32 id;\n  repeated binary tags (STRING);\n}\n",
    ),
    LegacyCase(
        "repeated_group_without_annotation",
        [_id_node(), SchemaNode("pts", REPEATED, children=[SchemaNode("x", REQUIRED, "INT32"),
                                                            SchemaNode("y", OPTIONAL, "DOUBLE")])],
        [_id(3),
         _col(["pts", "x"], "INT32", 1, 1, [(0, 1, 1), (1, 1, 3), (0, 0, None), (0, 1, 5)]),
         _col(["pts", "y"], "DOUBLE", 2, 1, [(0, 2, 2.5), (1, 1, None), (0, 0, None), (0, 2, -0.0)])],
        [{"id": 0, "pts": [{"x": 1, "y": 2.5}, {"x": 3, "y": None}]}, {"id": 1, "pts": []},
         {"id": 2, "pts": [{"x": 5, "y": -0.0}]}],
        "message schema {\n  required int32 id;\n  repeated group pts {\n    required int32 x;\n"
        "    optional double y;\n  }\n}\n",
    ),
    LegacyCase(
        "two_level_list_of_struct_named_array",
        [_id_node(), SchemaNode("a", OPTIONAL, converted=LIST, children=[
            SchemaNode("array", REPEATED, children=[
                SchemaNode("s", OPTIONAL, "BYTE_ARRAY", converted=UTF8, logical=STRING_LOGICAL),
                SchemaNode("n", OPTIONAL, "INT32")])])],
        [_id(3),
         _col(["a", "array", "s"], "BYTE_ARRAY", 3, 1, [(0, 3, "red"), (1, 2, None), (0, 0, None), (0, 1, None)]),
         _col(["a", "array", "n"], "INT32", 3, 1, [(0, 3, 100), (1, 3, 200), (0, 0, None), (0, 1, None)])],
        [{"id": 0, "a": [{"s": "red", "n": 100}, {"s": None, "n": 200}]}, {"id": 1, "a": None},
         {"id": 2, "a": []}],
        "message schema {\n  required int32 id;\n  optional group a (LIST) {\n    repeated group array {\n"
        "      optional binary s (STRING);\n      optional int32 n;\n    }\n  }\n}\n",
    ),
    LegacyCase(
        "two_level_list_one_field_group_named_array",
        [_id_node(), SchemaNode("a", OPTIONAL, converted=LIST, children=[
            SchemaNode("array", REPEATED, children=[SchemaNode("x", REQUIRED, "INT64")])])],
        [_id(3), _col(["a", "array", "x"], "INT64", 2, 1, [(0, 2, 7), (1, 2, -8), (0, 1, None), (0, 0, None)])],
        [{"id": 0, "a": [{"x": 7}, {"x": -8}]}, {"id": 1, "a": []}, {"id": 2, "a": None}],
        "message schema {\n  required int32 id;\n  optional group a (LIST) {\n    repeated group array {\n"
        "      required int64 x;\n    }\n  }\n}\n",
    ),
    LegacyCase(
        "two_level_list_one_field_group_named_tuple",
        [_id_node(), SchemaNode("b", OPTIONAL, converted=LIST, children=[
            SchemaNode("b_tuple", REPEATED, children=[SchemaNode("v", REQUIRED, "INT32")])])],
        [_id(2), _col(["b", "b_tuple", "v"], "INT32", 2, 1, [(0, 2, 1), (1, 2, 2), (0, 0, None)])],
        [{"id": 0, "b": [{"v": 1}, {"v": 2}]}, {"id": 1, "b": None}],
        "message schema {\n  required int32 id;\n  optional group b (LIST) {\n    repeated group b_tuple {\n"
        "      required int32 v;\n    }\n  }\n}\n",
    ),
    LegacyCase(
        "three_level_list_hive_names",
        [_id_node(), SchemaNode("c", OPTIONAL, converted=LIST, children=[
            SchemaNode("bag", REPEATED, children=[SchemaNode("array_element", OPTIONAL, "INT32")])])],
        [_id(4), _col(["c", "bag", "array_element"], "INT32", 3, 1,
                      [(0, 3, 1), (1, 2, None), (1, 3, 3), (0, 1, None), (0, 0, None), (0, 3, 9)])],
        [{"id": 0, "c": [1, None, 3]}, {"id": 1, "c": []}, {"id": 2, "c": None}, {"id": 3, "c": [9]}],
        "message schema {\n  required int32 id;\n  optional group c (LIST) {\n    repeated group bag {\n"
        "      optional int32 array_element;\n    }\n  }\n}\n",
    ),
    LegacyCase(
        "legacy_map_key_value",
        [_id_node(), SchemaNode("m", OPTIONAL, converted=MAP, children=[
            SchemaNode("map", REPEATED, converted=MAP_KEY_VALUE, children=[
                SchemaNode("key", REQUIRED, "BYTE_ARRAY", converted=UTF8, logical=STRING_LOGICAL),
                SchemaNode("value", OPTIONAL, "INT32")])])],
        [_id(3),
         _col(["m", "map", "key"], "BYTE_ARRAY", 2, 1, [(0, 2, "k1"), (1, 2, "k2"), (0, 1, None), (0, 0, None)]),
         _col(["m", "map", "value"], "INT32", 3, 1, [(0, 3, 10), (1, 2, None), (0, 1, None), (0, 0, None)])],
        [{"id": 0, "m": [{"key": "k1", "value": 10}, {"key": "k2", "value": None}]}, {"id": 1, "m": []},
         {"id": 2, "m": None}],
        "message schema {\n  required int32 id;\n  optional group m (MAP) {\n"
        "    repeated group map (MAP_KEY_VALUE) {\n      required binary key (STRING);\n"
        "      optional int32 value;\n    }\n  }\n}\n",
    ),
]


def write(case: LegacyCase, path) -> None:
    write_file(path, case.schema, case.columns, num_rows=len(case.rows))
