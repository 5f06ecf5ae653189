/* date: to be written */
