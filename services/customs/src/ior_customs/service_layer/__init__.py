"""What the customs service does, over its ports: one handler per message (`handlers`) and the run
they share (`runs`: inputs loaded, processed, published, decided, reported, announced)."""
