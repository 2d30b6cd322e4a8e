# English display formats, the same shape as the Vietnamese ones ("19:13 on 30/11/2026").
DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"H:i \o\n d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = r"H:i \o\n d/m/Y"
