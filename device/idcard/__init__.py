"""The second-generation ID-card reader (GB/T 20483 SAM over serial): its frame protocol, the pyserial
transport, the reader adapter, the card values and a simulator speaking the real protocol on a pty."""
