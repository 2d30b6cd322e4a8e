"""OpenAPI: every operation documents the error envelope for the failures it can return."""

ERROR_SCHEMA = {
    "type": "object",
    "description": "Error envelope: a stable code, a message for people, per-field messages.",
    "properties": {
        "code": {
            "type": "string",
            "enum": [
                "validation_error",
                "not_authenticated",
                "permission_denied",
                "not_found",
                "method_not_allowed",
                "not_acceptable",
                "invalid_state",
                "too_large",
                "unsupported_media_type",
                "throttled",
                "service_unavailable",
                "server_error",
            ],
        },
        "message": {"type": "string"},
        "reason": {
            "type": "string",
            "description": "When a business rule refused: the service's stable code "
            "(e.g. embargo_after_due, article_outlet).",
        },
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["code", "message", "fields"],
}

ERROR_DESCRIPTIONS = {
    "400": "validation_error",
    "401": "not_authenticated",
    "403": "permission_denied",
    "404": "not_found",
    "405": "method_not_allowed",
    "406": "not_acceptable",
    "409": "invalid_state",
    "413": "too_large",
    "415": "unsupported_media_type",
    "429": "throttled",
}
# Every operation may answer these; 409 is added where an operation declares it.
COMMON = ["400", "401", "403", "404", "405", "406", "413", "415", "429"]


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the envelope to every operation's responses."""
    result = name_kind_enums(result, generator, request, public)
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code in COMMON:
                responses.setdefault(
                    code,
                    {
                        "description": ERROR_DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": ref}},
                    },
                )
            if "409" in responses and "content" not in responses["409"]:
                responses["409"]["content"] = {"application/json": {"schema": ref}}
    return result


def _enum_names() -> dict[tuple, str]:
    from workflows.cases.models import Case
    from workflows.statements.models import Statement

    return {
        tuple(Case.Kind.values): "KindEnum",
        tuple(Statement.Kind.values): "StatementKindEnum",
    }


def _replace_refs(node, renames: dict[str, str]):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.rsplit("/", 1)[-1] in renames:
            node["$ref"] = "#/components/schemas/" + renames[ref.rsplit("/", 1)[-1]]
        for value in node.values():
            _replace_refs(value, renames)
    elif isinstance(node, list):
        for value in node:
            _replace_refs(value, renames)


def name_kind_enums(result, generator, request, public):
    """Cases and statements both have a `kind`: drf-spectacular then names both enums by a
    hash (Kind399Enum…). Give them stable names: KindEnum (cases, as before), StatementKindEnum.
    (The same as ENUM_NAME_OVERRIDES entries; run after postprocess_schema_enums.)"""
    schemas = result.get("components", {}).get("schemas", {})
    wanted = _enum_names()
    renames = {}
    for name, schema in list(schemas.items()):
        target = wanted.get(tuple(schema.get("enum") or ()))
        if target and name != target and target not in schemas:
            schemas[target] = schemas.pop(name)
            renames[name] = target
    if renames:
        _replace_refs(result.get("paths", {}), renames)
        _replace_refs(schemas, renames)
    return result
