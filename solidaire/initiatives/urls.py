from .urls_public import urlpatterns as public_patterns
from .urls_submit import urlpatterns as submit_patterns

app_name = "initiatives"

# Public pages (search, detail, places, map) and the submission form are built apart.
urlpatterns = public_patterns + submit_patterns
