from . import credit_control_override_wizard
from . import credit_control_aged_balance_wizard
