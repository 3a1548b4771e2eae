"""The ESC/POS receipt printer: the byte sequences, the receipt layout and its encoding, DLE EOT status,
the adapter on python-escpos transports, a renderer to PNG and a simulator on a pty or TCP."""
