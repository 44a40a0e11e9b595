from . import test_install
from . import test_credit_figures
from . import test_order_check
from . import test_kpi_pure
from . import test_aged_balance
from . import test_online_confirmation
