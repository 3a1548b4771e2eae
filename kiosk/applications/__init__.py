"""信息公开申请 (《政府信息公开条例》 Art. 29–33): the Qt-free core.

`form` holds an application's fields and their checks, `validators` the identity and contact checks,
`workdays` the statutory deadline in Chinese working days, `numbering` the application number,
`sealing` the encryption to the city's key, `store` the kiosk's own `applications.db` (no personal data),
`submit` the path from a checked form to the outbox, and `receipt` the printed receipt. The touch
screens and the city's inbox are not here yet.
"""
