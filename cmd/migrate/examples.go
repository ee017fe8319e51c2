package main

import "github.com/spf13/cobra"

// commandExamples are the Examples of --help, by command name, kept in
// one place so that they read as one set; a command that sets its own
// Example keeps it. TestEveryCommandHasExamples holds every command to
// having some, and the first line of each is what a missing or extra
// argument's error shows.
var commandExamples = map[string]string{
	"init": `  migrate init                      # migrate.toml and versions/ here
  migrate init myapp                # in a new folder myapp/
  migrate init --models sql         # also ./schema.sql for autogenerate
  migrate init --db postgres://localhost/app   # PostgreSQL: sets dialect too`,
	"revision": `  migrate revision -m "create users"
  migrate revision --autogenerate -m "add email"   # Up and Down from the models
  migrate revision -m "billing" --head base --branch-label billing`,
	"upgrade": `  migrate upgrade head              # everything not applied yet
  migrate upgrade +1                # the next revision
  migrate upgrade billing@head      # one branch
  migrate upgrade --dry-run head    # the plan, nothing runs
  migrate upgrade --sql head > up.sql   # offline: the SQL, no connection`,
	"downgrade": `  migrate downgrade -1              # revert the newest revision
  migrate downgrade base            # revert everything
  migrate downgrade 3f9a1c2b7d10    # back to that revision
  migrate downgrade --sql head:base # offline: the SQL of a range`,
	"current": `  migrate current
  migrate current --verbose         # with messages and when each was applied
  migrate --json current`,
	"history": `  migrate history
  migrate history -r base:head --verbose
  migrate history --indicate-current`,
	"heads": `  migrate heads
  migrate heads --verbose`,
	"branches": `  migrate branches`,
	"show": `  migrate show head
  migrate show 3f9a                 # a unique prefix of at least 4 characters`,
	"stamp": `  migrate stamp head                # mark as applied, running nothing
  migrate stamp base                # clear the version table
  migrate stamp --dry-run head`,
	"merge": `  migrate merge heads -m "merge billing"
  migrate merge 3f9a 1a2b -m "merge"`,
	"check": `  migrate check                     # exit 3 when something needs attention
  migrate --json check`,
	"diff": `  migrate diff                      # the SQL autogenerate would write
  migrate --json diff`,
	"inspect": `  migrate inspect                   # the live schema as SQL
  migrate inspect --json --schema public
  migrate inspect --exclude 'tmp_*'`,
	"lint": `  migrate lint                      # every revision, each after the ones before it
  migrate lint current:             # the pending revisions, against the database's schema
  migrate --json lint 3f9a1c2b7d10:head
  migrate lint --rules              # the rules, their locks and fixes`,
	"resolve": `  migrate resolve 3f9a1c2b7d10 --applied    # its statements all ran
  migrate resolve 3f9a1c2b7d10 --reverted   # none ran, or they were undone`,
}

// addExamples gives the commands of the tree their Examples.
func addExamples(root *cobra.Command) {
	for _, c := range root.Commands() {
		if ex, ok := commandExamples[c.Name()]; ok && c.Example == "" {
			c.Example = ex
		}
	}
}
