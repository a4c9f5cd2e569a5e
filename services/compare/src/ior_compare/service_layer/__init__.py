"""What the compare service does, over its ports: one handler per message (`handlers`) and the use
cases they share (comparing a date, designating its official run, answering the gate's requests,
announcing once). No client is created here."""
