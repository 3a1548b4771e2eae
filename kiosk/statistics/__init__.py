"""The kiosk's own statistics for staff (Qt-free): the records of `kiosk.usage` rolled up per day ×
function × measure × item in the kiosk's statistics database, and the reports and exports made from it.

The records themselves go to the city and leave the outbox; the rollup stays, so staff see today, this
week and this month without a network. Only `kiosk/usage.py` writes here (`store.StatisticsStore.add`);
the 数据统计 staff section and the export read it (`report`, `export`).
"""
