package importer

import (
	"fmt"
	"strings"

	"github.com/migratehq/migrate/versions"
)

// CheckInto refuses to write r into a folder whose revisions (existing)
// would form a separate history beside it: the converted revisions would
// add a root and a head of their own, and 'migrate upgrade head' would
// have two heads to choose from. Revisions an earlier import of the same
// source wrote are part of r's history, so importing again (after the
// source folder grew) passes; so does a folder with no revisions. dir
// names the folder in the message.
func CheckInto(r *Result, existing []*versions.Revision, dir string) error {
	if len(existing) == 0 {
		return nil
	}
	before, err := versions.NewGraph(existing)
	if err != nil {
		return fmt.Errorf("import: the revisions in %s: %w", dir, err)
	}
	all := append([]*versions.Revision(nil), existing...)
	for _, rev := range r.Revisions {
		if before.Get(rev.ID) == nil {
			all = append(all, rev)
		}
	}
	after, err := versions.NewGraph(all)
	if err != nil {
		return fmt.Errorf("import: the converted revisions beside those in %s: %w", dir, err)
	}
	own, err := versions.NewGraph(r.Revisions)
	if err != nil {
		return fmt.Errorf("import: the converted revisions: %w", err)
	}
	if len(after.Heads()) <= max(len(before.Heads()), len(own.Heads())) {
		return nil
	}
	return fmt.Errorf("import: %s already holds %d revision(s) (head %s) that are not part of this %s history: "+
		"the imported revisions would start a second history beside them, with a root and a head of their own (heads %s). "+
		"Import into an empty folder (--into), or move those revisions away first",
		dir, len(existing), strings.Join(before.Heads(), ", "), r.Format, strings.Join(after.Heads(), ", "))
}
