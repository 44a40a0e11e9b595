from . import credit_control_bureau_import
