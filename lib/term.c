/* term: to be written */
