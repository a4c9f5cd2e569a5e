"""What invokes the compare service: one Lambda handler per subscription (`lines`, `requests`,
`cutover`), and the operations `ior` calls (`operations`)."""
