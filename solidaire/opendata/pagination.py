"""Cursor pagination that says what is wrong instead of clamping or answering 404."""

from datetime import UTC

from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

MAX_PAGE_SIZE = 200


class InitiativeCursorPagination(CursorPagination):
    # The public list's order; the cursor holds the last publication date (ties by offset).
    ordering = ("-published_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_size_query_description = (
        f"Nombre de résultats par page, de 1 à {MAX_PAGE_SIZE} (50 par défaut)."
    )
    cursor_query_description = "Curseur de la page, tel que donné par les liens next et previous."

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise ValidationError(
                {"page_size": [f"Doit être un nombre entier de 1 à {MAX_PAGE_SIZE}."]}
            )
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=MAX_PAGE_SIZE, default=self.page_size)
        return parameters

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            cursor = False
        # A well-encoded cursor may still carry a position that is not a date.
        if cursor is False or (cursor and cursor.position and not _is_datetime(cursor.position)):
            raise ValidationError(
                {"cursor": ["Curseur invalide : utilisez les liens next et previous des réponses."]}
            )
        return cursor


def _is_datetime(value: str) -> bool:
    try:
        moment = parse_datetime(value)
        if moment is not None and moment.tzinfo is not None:
            moment.astimezone(UTC)  # year 9999 with an offset overflows
        return moment is not None
    except (ValueError, OverflowError):
        return False
