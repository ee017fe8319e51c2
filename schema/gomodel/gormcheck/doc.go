// Package gormcheck proves GORM mode against GORM itself: its test runs
// GORM's AutoMigrate on one database and migrate's autogenerate on
// another, from the same structs (testdata/models), and compares the
// schemas. GORM is a dependency of this test only.
package gormcheck
