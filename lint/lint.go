package lint

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/migratehq/migrate/sqlsplit"
	"github.com/migratehq/migrate/versions"
)

// Options tune [Lint].
type Options struct {
	// Dialect is the database the revisions are written for. Only
	// PostgreSQL has rules; on SQLite, Lint examines nothing and says so
	// in [Result.NoRules].
	Dialect sqlsplit.Dialect
	// Tx is the run's transaction mode, as in migrate.toml: "all" (the
	// default when empty: consecutive transactional revisions share one
	// transaction), "revision" or "none" (no transactions: nothing is
	// refused for running inside one).
	Tx string
	// Catalog is the database's schema before the revisions run (see
	// [ReadCatalog]). With it, a table is existing when the database has
	// it; without it, every table the statements did not create is.
	Catalog *Catalog
	// Before are revisions that run before the linted ones (in apply
	// order) but are not linted themselves: their statements only tell
	// which tables exist, with which column types, when there is no
	// Catalog. Tables they create count as existing.
	Before []*versions.Revision
	// Separate lints each revision as a run of its own, after every
	// revision before it in the list has run: the tables those created
	// are existing, and each revision is its own transaction group. It
	// is how each revision meets a database that has all the earlier
	// ones, when revisions are deployed one at a time.
	Separate bool
}

// Finding is one hazard or error, at a statement of a revision file.
type Finding struct {
	Rule
	File      string `json:"file"`
	Line      int    `json:"line"`
	Revision  string `json:"revision"`
	Table     string `json:"table,omitempty"`
	Statement string `json:"statement"` // the statement's first line
	Message   string `json:"message"`   // what was found, in words

	// Ignored is set when the revision's header accepts the code:
	// "-- migrate:lint ignore=CODE reason" at IgnoreLine.
	Ignored    bool   `json:"ignored"`
	Reason     string `json:"reason,omitempty"`
	IgnoreLine int    `json:"ignore_line,omitempty"`

	order int // index of the revision in the linted list, for sorting
}

// Result is what [Lint] found.
type Result struct {
	// Findings in revision order, then line order; ignored ones included.
	Findings []Finding
	// Revisions is how many revisions were examined.
	Revisions int
	// NoRules is set when the dialect has no rules (SQLite): nothing was
	// examined.
	NoRules bool
	// Unused are the ignore lines of the linted revisions that accepted
	// no finding: stale, or misspelt, or needed only where the revision
	// is linted otherwise (against a database, or as part of a range).
	Unused []UnusedIgnore
}

// UnusedIgnore is a "-- migrate:lint ignore=CODE reason" line whose
// revision has no finding with that code.
type UnusedIgnore struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Revision string `json:"revision"`
	Code     string `json:"code"`
	Reason   string `json:"reason"`
}

// String is "file:line: -- migrate:lint ignore=CODE accepts no finding".
func (u UnusedIgnore) String() string {
	return fmt.Sprintf("%s:%d: -- migrate:lint ignore=%s accepts no finding of revision %s", u.File, u.Line, u.Code, u.Revision)
}

// Open returns the findings that are not ignored.
func (r *Result) Open() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if !f.Ignored {
			out = append(out, f)
		}
	}
	return out
}

// Lint examines the up sections of revs, in that order (the order they
// run in), and returns the hazards and errors their statements hold.
//
// A revision's "-- migrate:lint ignore=CODE reason" header accepts its
// findings with that code. An ignore naming a code that does not exist,
// or the code of an error (which the server would refuse anyway), is a
// [*versions.ParseError] at the header line; so is SQL that cannot be
// split.
func Lint(revs []*versions.Revision, opts Options) (*Result, error) {
	res := &Result{Revisions: len(revs)}
	if err := checkIgnores(revs); err != nil {
		return nil, err
	}
	if opts.Dialect != sqlsplit.Postgres {
		res.NoRules = true
		return res, nil
	}
	l := newPGLinter(opts)
	if opts.Catalog == nil {
		for _, r := range opts.Before {
			if err := l.revision(r, -1); err != nil {
				return nil, err
			}
		}
		l.st.settle()
	}
	for i, r := range revs {
		if err := l.revision(r, i); err != nil {
			return nil, err
		}
		if opts.Separate {
			l.endGroup()
			l.st.settle()
		}
	}
	l.endGroup()
	res.Findings = applyIgnores(revs, l.out)
	res.Unused = unusedIgnores(revs, res.Findings)
	return res, nil
}

// unusedIgnores lists the ignore lines of revs that accepted no finding.
func unusedIgnores(revs []*versions.Revision, fs []Finding) []UnusedIgnore {
	used := map[string]bool{}
	for _, f := range fs {
		if f.Ignored {
			used[f.Revision+" "+f.Code] = true
		}
	}
	var out []UnusedIgnore
	for _, r := range revs {
		for _, ig := range r.LintIgnores {
			if !used[r.ID+" "+ig.Code] {
				out = append(out, UnusedIgnore{File: r.Path, Line: ig.Line, Revision: r.ID, Code: ig.Code, Reason: ig.Reason})
			}
		}
	}
	return out
}

// checkIgnores refuses ignore lines naming unknown codes or errors.
func checkIgnores(revs []*versions.Revision) error {
	for _, r := range revs {
		for _, ig := range r.LintIgnores {
			rule, ok := RuleByCode(ig.Code)
			switch {
			case !ok:
				return &versions.ParseError{File: r.Path, Line: ig.Line,
					Msg: fmt.Sprintf("-- migrate:lint ignore=%s: no lint rule has that code (see 'migrate lint --rules')", ig.Code)}
			case rule.Severity == Error:
				return &versions.ParseError{File: r.Path, Line: ig.Line,
					Msg: fmt.Sprintf("-- migrate:lint ignore=%s: %s is an error (PostgreSQL refuses the statement), not a hazard; it cannot be ignored", ig.Code, rule.Name)}
			}
		}
	}
	return nil
}

// applyIgnores marks the findings their revision accepts, and sorts them.
func applyIgnores(revs []*versions.Revision, fs []Finding) []Finding {
	for i := range fs {
		f := &fs[i]
		for _, ig := range revs[f.order].LintIgnores {
			if ig.Code == f.Code {
				f.Ignored, f.Reason, f.IgnoreLine = true, ig.Reason, ig.Line
				break
			}
		}
	}
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].order != fs[j].order {
			return fs[i].order < fs[j].order
		}
		return fs[i].Line < fs[j].Line
	})
	return fs
}

// String formats f on one line: "file:line: CODE name: message".
func (f Finding) String() string {
	return fmt.Sprintf("%s:%d: %s %s: %s", f.File, f.Line, f.Code, f.Name, f.Message)
}

// firstLine is the first line of a statement, clipped.
func firstLine(sql string) string {
	if i := strings.IndexByte(sql, '\n'); i >= 0 {
		sql = strings.TrimRight(sql[:i], " \t\r") + " …"
	}
	if utf8.RuneCountInString(sql) > 100 {
		sql = string([]rune(sql)[:97]) + "…"
	}
	return sql
}
