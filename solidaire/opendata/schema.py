"""OpenAPI post-processing: every endpoint of /api/v1/ is throttled for anonymous
clients, so every operation declares the 429 answer (communes included)."""

THROTTLED = {
    "description": "Trop de requêtes anonymes : réessayer après le délai de l'en-tête "
    "Retry-After (secondes).",
    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}


def declare_throttling(result, generator, request, public):
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("429", THROTTLED)
    return result
