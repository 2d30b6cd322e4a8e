# Vietnamese display formats for viewflow's lists and forms: the product's one way of
# writing a moment, "19:13 ngày 30/11/2026" (core.labels.datetime_display), instead of
# Django's "19:13 Ngày 30 tháng 11 năm 2026". Input formats are Django's own.
DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"H:i \n\g\à\y d/m/Y"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = r"H:i \n\g\à\y d/m/Y"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
