package main

import "database/sql"

// readProgressMark returns the revision an in-progress mark names.
func readProgressMark(db *sql.DB) (string, error) { return "", nil }

// resolveArgs are the arguments that resolve a mark of rev.
func resolveArgs(rev string, applied bool) []string { return []string{"resolve", rev} }
