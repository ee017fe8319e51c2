// Package shop is a realistic models package for the Go model loader's
// tests: a dozen tables, every relation kind, enums, composite keys and
// indexes. It is read statically and never compiled.
package shop

import "time"

// Timestamps is embedded by most models; its fields are promoted.
type Timestamps struct {
	CreatedAt time.Time `migrate:"default=CURRENT_TIMESTAMP"`
	UpdatedAt *time.Time
}
