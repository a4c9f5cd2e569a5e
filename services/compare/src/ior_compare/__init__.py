"""Field-by-field comparison of manual and automated lines; the parity streak and the cutover gate."""
