package main

import (
	"database/sql"
	"strings"
)

// readProgressMark returns the revision the in-progress mark names ("" when
// there is none, or no marks table yet); more than one mark is an error
// of the runner (a run marks one revision at a time).
func readProgressMark(db *sql.DB) (string, error) {
	rows, err := db.Query("SELECT revision FROM migrate_version_progress")
	if err != nil {
		if strings.Contains(err.Error(), "no such table") || strings.Contains(err.Error(), "does not exist") {
			return "", nil
		}
		return "", err
	}
	defer rows.Close()
	var marks []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return "", err
		}
		marks = append(marks, r)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	switch len(marks) {
	case 0:
		return "", nil
	case 1:
		return marks[0], nil
	}
	return strings.Join(marks, ","), nil
}

// resolveArgs are the arguments that record the outcome of a marked
// revision.
func resolveArgs(rev string, applied bool) []string {
	if applied {
		return []string{"resolve", rev, "--applied"}
	}
	return []string{"resolve", rev, "--reverted"}
}
