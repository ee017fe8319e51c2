// Package config reads migrate.toml: the versions folders, the file
// template, the version table, the transaction mode, the model sources and
// the environments (development, testing, production …) with their
// database URLs, where ${VAR} and ${VAR:-default} are expanded from the
// process environment.
//
// It also parses database URLs ([ParseURL]) into a dialect and a driver
// DSN, and redacts passwords for every message that shows a URL.
package config
