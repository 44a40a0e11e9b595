from . import credit_control_override_wizard
