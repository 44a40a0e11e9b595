from . import test_bureau_import
from . import test_cron
from . import test_decisions
from . import test_factors
from . import test_install
from . import test_partner
from . import test_rights
from . import test_scoring_rules
