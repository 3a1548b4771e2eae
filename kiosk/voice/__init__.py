"""语音叫号, offline and Qt-free: what a call says (`script`), the voice packs of clips (`pack`, the default
one built with espeak-ng by `build_pack`), joining clips into one WAV (`join`) and the caller that says
every call in turn, never cutting one off (`caller`), through a player program (`player`),
and what it tells the services' bus (`events`)."""
