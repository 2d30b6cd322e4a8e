"""Periodic information (NĐ 244 Art. 6): periods due, met or missed, and the reminders."""
