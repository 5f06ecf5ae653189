/* calendar: to be written */
