pool -
