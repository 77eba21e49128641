"""The API under generated requests (schemathesis from its own OpenAPI spec): never a 500.

Each operation is driven through Hypothesis directly (schemathesis's pytest plugin does not run
under this pytest); examples per operation are bounded so the suite stays fast."""
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from ghatna.web import create_app

EXAMPLES = 30


def test_no_server_errors(demo_db):
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", create_app(str(demo_db)))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def no_500(case):
            case.call_and_validate(checks=[not_a_server_error])

        no_500()
