package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/migratehq/migrate/config"
)

const configTemplate = `# migrate.toml — configuration of migrate (https://github.com/migratehq/migrate).
# Relative paths are relative to this file.

# Folder(s) of revision files. A list is allowed: versions = ["versions", "billing/versions"]
versions = "versions"

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

# [models]                          # model metadata for autogenerate
# sql = ["schema.sql"]              # declarative SQL schema files
# include = ["*"]
# exclude = []

# URLs: sqlite:///relative/path.db, sqlite:////absolute/path.db, sqlite://:memory:,
# postgres://user:password@host:5432/dbname?sslmode=disable
# ${VAR} is replaced by an environment variable; ${VAR:-default} has a fallback.

[env.development]
url = "${DATABASE_URL:-sqlite:///%s}"

[env.testing]
url = "${TEST_DATABASE_URL:-sqlite://:memory:}"

[env.production]
url = "${DATABASE_URL}"
# dev_url = "${DEV_DATABASE_URL}"   # where models are normalised by autogenerate
`

func (a *app) newInitCmd() *cobra.Command {
	var dbName string
	cmd := &cobra.Command{
		Use:   "init [dir]",
		Short: "Write a commented migrate.toml and an empty versions folder",
		Long: `init writes migrate.toml (environments development, testing and production,
${DATABASE_URL} expansion, SQLite by default) and an empty versions/ folder in
dir (default: the working directory). It never overwrites an existing file.`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return a.runInit(dir, dbName)
		},
	}
	cmd.Flags().StringVar(&dbName, "db", "app.db", "SQLite file of the development environment")
	return cmd
}

func (a *app) runInit(dir, dbName string) error {
	cfgPath := filepath.Join(dir, config.FileName)
	if _, err := os.Stat(cfgPath); err == nil {
		return usageErrorf("%s already exists; not overwriting it", cfgPath)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	vdir := filepath.Join(dir, config.DefaultVersions)
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", vdir, err)
	}
	a.out.info("Created folder %s", vdir)
	if err := os.WriteFile(cfgPath, []byte(fmt.Sprintf(configTemplate, dbName)), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", cfgPath, err)
	}
	a.out.info("Wrote %s", cfgPath)
	a.out.info("Next: migrate revision -m \"create first table\", edit the file, then migrate upgrade head")
	return nil
}
