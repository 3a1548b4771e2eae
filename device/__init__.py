"""Hardware adapters for the kiosk: the ID-card reader and the receipt printer.

Each device kind has a folder (`device.idcard`, `device.printer`) with a pure protocol module (bytes in,
values out), a transport, an adapter, a simulator that speaks the real protocol over a pseudo-terminal or a
socket (so every layer above runs without hardware), a probe and a ``kind.py`` registering them by address
scheme. Devices are named by URLs (`device.address`) and opened through `device.registry`, which returns
the adapter with the simulator it runs on for ``sim://``.

This package imports only the standard library, pyserial, python-escpos, Pillow and qrcode: never
``kiosk``, ``ui``, ``content`` or PySide6.

Modules:
    errors           typed device errors (English ``str()``, Chinese ``.zh``, Chinese ``.hint``)
    address          device URLs (serial://, tcp://, usb://, file://, sim://, auto)
    ports            serial port discovery (pyserial list_ports)
    masking          masking of ID numbers and names for logs
    probes           what a diagnosis says (OK / FAULT / WARNING, Chinese hint, facts)
    registry         the kinds by name: URL -> adapter (and its simulator), the kind's probe
    idcard/
        sam_protocol     SAM frames, checksum, SW3 status codes, read-response layout (pure)
        gb11643          GB 11643 ID-number check digit
        identity_card    the IdentityCard value and the 256-byte text block of every card type
        synthetic_cards  invented cards of every type with valid check digits (simulators, tests)
        sam_transport    pyserial transport for SAM frames (timeouts, flush, resync)
        idcard_reader    reader operations: status, SAM ID, find/select/read, once-per-card polling
        sam_simulator    a SAM reader on a pty with fault injection
        probe            the reader's diagnosis and ``auto`` (which serial port has a reader)
        kind             serial://, auto and sim:// for the registry
    printer/
        escpos_commands  the ESC/POS byte sequences we emit (pure)
        printer_profile  58 mm / 80 mm geometry and capabilities
        text_width       display-width wrapping (CJK = 2 columns)
        cjk_font         locating a CJK font for raster printing and rendering
        escpos_compat    python-escpos imported without its import-time logging.basicConfig()
        receipt          the receipt layout model and its encoding to bytes (text or raster mode)
        sample_receipts  the technician's self-test page and a typical queue ticket
        printer_status   DLE EOT status replies (pure)
        receipt_printer  the receipt-printer adapter on python-escpos transports
        escpos_render    ESC/POS bytes -> PNG, as the paper would look
        printer_simulator a printer on a pty or TCP that answers status queries and renders receipts
        probe            the printer's diagnosis from its status
        kind             serial://, tcp://, usb://, file:// and sim:// for the registry
"""
