from tests.database import module_fixtures
from tests.opendata.factories import make_demo_set

demo_rows, demo = module_fixtures(
    make_demo_set,
    "The module's demo set (see make_demo_set), built once per module and deleted when it ends.",
)
