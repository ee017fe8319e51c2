package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/migratehq/migrate/config"
)

const configTemplate = `# migrate.toml — configuration of migrate (https://github.com/migratehq/migrate).
# Relative paths are relative to this file.

# Folder(s) of revision files. A list is allowed: versions = ["versions", "billing/versions"]
versions = "{{VERSIONS}}"

# File names of new revisions: {date} (UTC YYYYMMDDHHMMSS, so that names sort
# in creation order, as sqlc reads them), {rev}, {slug}; also {year} {month}
# {day} {hour} {minute} {second} {epoch}. ".sql" is appended.
file_template = "{date}_{rev}_{slug}"

# Table that records applied revisions (one row each, with its checksum).
version_table = "migrate_version"
# version_schema = "public"        # PostgreSQL only

# all: the whole command in one transaction (a failure changes nothing);
# revision: one transaction per revision; none: no transactions.
transaction = "all"

# How long to wait for another migrate run's lock before giving up.
lock_timeout = "5m"

# Environment used when neither --env nor MIGRATE_ENV picks one.
default_env = "development"

# The project's database system, "postgres" or "sqlite". Offline runs
# (upgrade --sql) then need no URL, and a URL of the other one is an error:
# an unset DATABASE_URL falling back to SQLite cannot go unnoticed.
{{DIALECT}}

# [models]                          # model metadata for autogenerate
# sql = ["schema.sql"]              # declarative SQL schema files
# include = ["*"]
# exclude = []
# plan = "online"                   # PostgreSQL: "online" (indexes CONCURRENTLY, NOT VALID constraints) or "simple"
# sqlite_version = "3.35"           # SQLite: the oldest SQLite the revisions must run on

# URLs: sqlite:///relative/path.db, sqlite:////absolute/path.db, sqlite://:memory:,
# postgres://user:password@host:5432/dbname?sslmode=disable
# ${VAR} is replaced by an environment variable; ${VAR:-default} has a fallback.

[env.development]
url = "${DATABASE_URL:-{{DB_URL}}}"

[env.testing]
url = "{{TEST_URL}}"

[env.production]
url = "${DATABASE_URL}"
# dev_url = "${DEV_DATABASE_URL}"   # where models are normalised by autogenerate
`

func (a *app) newInitCmd() *cobra.Command {
	var dbName, models string
	cmd := &cobra.Command{
		Use:   "init [dir]",
		Short: "Write a commented migrate.toml and an empty versions folder",
		Long: `init writes migrate.toml (environments development, testing and production,
${DATABASE_URL} expansion, SQLite by default) and an empty versions/ folder in
dir (default: the working directory). It never overwrites an existing file.

--db names the development database: a SQLite file (app.db), or a URL
(postgres://localhost/app), which then also sets dialect. With --dir, the
versions folder is that folder (inside dir).

--models go also scaffolds a models package (models/models.go, one example
struct) and points [models] go at it, so that the first step is
migrate revision --autogenerate; --models sql does the same with schema.sql.`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return a.runInit(dir, dbName, models)
		},
	}
	cmd.Flags().StringVar(&dbName, "db", "app.db", "the development database: a SQLite file, or a postgres:// or sqlite: URL")
	cmd.Flags().StringVar(&models, "models", "", "scaffold model metadata for autogenerate: go (a models package) or sql (schema.sql)")
	return cmd
}

func (a *app) runInit(dir, dbName, models string) error {
	var modelPath, modelText, modelsBlock string
	switch models {
	case "":
	case "go":
		modelPath, modelText = filepath.Join(dir, "models", "models.go"), goModelsTemplate
		modelsBlock = "[models]                            # model metadata for autogenerate\ngo = [\"models\"]                     # Go packages whose structs are models (docs/models-go.md)\n"
	case "sql":
		modelPath, modelText = filepath.Join(dir, "schema.sql"), sqlModelsTemplate
		modelsBlock = "[models]                            # model metadata for autogenerate\nsql = [\"schema.sql\"]                # declarative SQL schema files\n"
	default:
		return usageErrorf("--models: want go or sql, not %q", models)
	}
	cfgPath := filepath.Join(dir, config.FileName)
	if _, err := os.Stat(cfgPath); err == nil {
		return usageErrorf("%s already exists; not overwriting it", cfgPath)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if modelPath != "" {
		if _, err := os.Stat(modelPath); err == nil {
			return usageErrorf("%s already exists; not overwriting it", modelPath)
		}
	}
	db, err := initDB(dir, dbName)
	if err != nil {
		return err
	}
	vrel, vdir, err := a.initVersions(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", vdir, err)
	}
	a.out.info("Created folder %s", vdir)
	text := db.render(vrel)
	if modelsBlock != "" {
		text = strings.Replace(text, "# [models]                          # model metadata for autogenerate\n# sql = [\"schema.sql\"]              # declarative SQL schema files\n", modelsBlock, 1)
	}
	if err := os.WriteFile(cfgPath, []byte(text), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", cfgPath, err)
	}
	a.out.info("Wrote %s", cfgPath)
	if config.Redact(db.url) != db.url {
		a.out.warn(cfgPath, 0, "%s holds the password of %s: keep the file out of version control, or move the URL to DATABASE_URL", cfgPath, config.Redact(db.url))
	}
	if modelPath == "" {
		a.out.info("Next: migrate revision -m \"create first table\", edit the file, then migrate upgrade head")
		a.initResult(vdir, cfgPath, "")
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(modelPath), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(modelPath), err)
	}
	if err := os.WriteFile(modelPath, []byte(modelText), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", modelPath, err)
	}
	a.out.info("Wrote %s", modelPath)
	a.out.info("Next: edit %s, then migrate revision --autogenerate -m \"create users\", review the file, and migrate upgrade head", modelPath)
	a.initResult(vdir, cfgPath, modelPath)
	return nil
}

// initDatabase is the development database init writes: the fallback
// URL of [env.development] and its dialect.
type initDatabase struct {
	url     string
	dialect config.Dialect
}

// initDB reads --db: a SQLite file name, or a URL (a "scheme:" prefix),
// written as the fallback as it is. A URL must be one migrate reads, and
// hold nothing that would end or expand the ${DATABASE_URL:-…} around it.
func initDB(dir, db string) (initDatabase, error) {
	scheme, _, ok := strings.Cut(db, ":")
	if !ok || strings.ContainsAny(scheme, "/\\.") || len(scheme) < 2 {
		if db == "" || strings.ContainsAny(db, "\"\\${}") {
			return initDatabase{}, usageErrorf("--db %q: want a SQLite file name (app.db) or a URL (postgres://localhost/app)", db)
		}
		return initDatabase{url: "sqlite:///" + filepath.ToSlash(db), dialect: config.SQLite}, nil
	}
	u, err := config.ParseURL(db, dir)
	if err != nil {
		return initDatabase{}, usageErrorf("--db: %v", err)
	}
	if strings.ContainsAny(db, "\"\\${}") {
		return initDatabase{}, usageErrorf("--db %s: a URL with \", \\, $, { or } cannot be written into the ${DATABASE_URL:-…} fallback; write it in migrate.toml by hand", config.Redact(db))
	}
	return initDatabase{url: db, dialect: u.Dialect}, nil
}

// render fills the config template: a PostgreSQL project sets dialect,
// and its tests get their own database (TEST_DATABASE_URL), not SQLite.
func (d initDatabase) render(versions string) string {
	dialect, test := `# dialect = "postgres"`, "${TEST_DATABASE_URL:-sqlite://:memory:}"
	if d.dialect == config.Postgres {
		dialect, test = `dialect = "postgres"`, "${TEST_DATABASE_URL}"
	}
	return strings.NewReplacer("{{VERSIONS}}", versions, "{{DIALECT}}", dialect, "{{DB_URL}}", d.url, "{{TEST_URL}}", test).Replace(configTemplate)
}

// initVersions is the versions folder init creates: versions/ in dir,
// or --dir, which must then lie inside dir. It returns the folder as the
// config names it (relative to dir) and as a path.
func (a *app) initVersions(dir string) (rel, path string, err error) {
	if a.dir == "" {
		return config.DefaultVersions, filepath.Join(dir, config.DefaultVersions), nil
	}
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return "", "", err
	}
	absV, err := filepath.Abs(a.dir)
	if err != nil {
		return "", "", err
	}
	r, err := filepath.Rel(absDir, absV)
	if err != nil || r == "." || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", "", usageErrorf("--dir %s: the versions folder must be inside %s, where init writes %s", a.dir, dir, config.FileName)
	}
	if strings.ContainsAny(r, "\"\\") && filepath.Separator != '\\' {
		return "", "", usageErrorf("--dir %s: a folder name with \" or \\ cannot be written into %s; rename it", a.dir, config.FileName)
	}
	return filepath.ToSlash(r), a.dir, nil
}

// goModelsTemplate is the models package init --models go writes.
const goModelsTemplate = `// Package models holds the structs that migrate autogenerate compares with
// the database ([models] go in migrate.toml). They are read as source
// text, never compiled by migrate: see docs/models-go.md for the tags.
package models

import "time"

// User is an example model. Change it (or add structs with a
// //migrate:table line), then run
//
//	migrate revision --autogenerate -m "describe the change"
//	migrate upgrade head
//
//migrate:table users
type User struct {
	ID        int64     ` + "`" + `db:"id" migrate:"pk,identity"` + "`" + `
	Email     string    ` + "`" + `db:"email" migrate:"unique"` + "`" + `
	Name      string    ` + "`" + `db:"name"` + "`" + `
	CreatedAt time.Time ` + "`" + `db:"created_at" migrate:"default=CURRENT_TIMESTAMP"` + "`" + `
}
`

// sqlModelsTemplate is the schema.sql init --models sql writes.
const sqlModelsTemplate = `-- The schema as it should be: migrate revision --autogenerate compares it
-- with the database and writes the revision that closes the gap.
CREATE TABLE users (
    id integer PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text NOT NULL,
    created_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
);
`

// initResult is init's JSON result: what it created.
func (a *app) initResult(versions, cfg, models string) {
	if !a.json {
		return
	}
	out := map[string]any{"event": "init", "versions": versions, "config": cfg}
	if models != "" {
		out["models"] = models
	}
	a.out.jsonLine(out)
}
