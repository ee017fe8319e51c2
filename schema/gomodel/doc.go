// Package gomodel reads Go packages whose structs are models and returns
// the [schema.Schema] they describe for one dialect.
//
// Packages are read statically with go/parser: the user's code is never
// compiled or run, so loading works in CI without their build
// environment. Types from other packages are known by their import path
// and name ("github.com/google/uuid.UUID"); types declared in the loaded
// packages are followed to their definition.
//
// A struct is a table when its doc comment carries a //migrate:table
// directive, when it has a TableName() string method returning a literal,
// or, in GORM mode, when it is a GORM model. See docs/models-go.md for the
// tags and directives.
package gomodel
