package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/migratehq/migrate/versions"
)

type revisionOpts struct {
	message      string
	autogenerate bool
	head         string
	splice       bool
	branchLabels []string
	dependsOn    []string
	revID        string
}

func (a *app) newRevisionCmd() *cobra.Command {
	var o revisionOpts
	cmd := &cobra.Command{
		Use:   "revision -m MESSAGE",
		Short: "Write a new revision file",
		Long: `revision writes a new revision file on top of the current head, with its
header and empty -- migrate:up / -- migrate:down sections to fill in.

--head picks the parent: a head, "base" for a new root, "heads" to merge all
heads, label@head; with --splice any revision (starting a branch).`,
		Args: exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.runRevision(o)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.message, "message", "m", "", "what the revision does")
	f.BoolVar(&o.autogenerate, "autogenerate", false, "fill Up and Down from the difference between the models and the database")
	f.StringVar(&o.head, "head", "", `parent revision (default "head")`)
	f.BoolVar(&o.splice, "splice", false, "allow a parent that is not a head (creates a branch point)")
	f.StringArrayVar(&o.branchLabels, "branch-label", nil, "branch label for the new revision (repeatable)")
	f.StringArrayVar(&o.dependsOn, "depends-on", nil, "revision or branch label the new revision depends on (repeatable)")
	f.StringVar(&o.revID, "rev-id", "", "revision id to use instead of a random one")
	return cmd
}

func (a *app) runRevision(o revisionOpts) error {
	if o.autogenerate {
		return usageErrorf("--autogenerate is not available yet: it needs the model metadata ([models] in migrate.toml) and arrives in a later release; write the Up and Down SQL by hand for now")
	}
	g, err := a.graph()
	if err != nil {
		return err
	}
	if err := checkLabels(o.branchLabels); err != nil {
		return err
	}
	parents, err := newParents(g, o.head, o.splice)
	if err != nil {
		return inputError(err)
	}
	r := &versions.Revision{Parents: parents, BranchLabels: o.branchLabels, Message: o.message, Transactional: true}
	for _, d := range o.dependsOn {
		if g.Get(d) == nil && hasLabel(g, d) {
			r.DependsOn = append(r.DependsOn, d)
			continue
		}
		ids, err := g.Resolve(d)
		if err != nil || len(ids) != 1 {
			if err == nil {
				err = fmt.Errorf("%q names %d revisions", d, len(ids))
			}
			return inputError(fmt.Errorf("--depends-on: %w", err))
		}
		r.DependsOn = append(r.DependsOn, ids[0])
	}
	_, err = a.writeRevision(g, r, o.revID)
	return err
}

// newParents resolves --head.
func newParents(g *versions.Graph, head string, splice bool) ([]string, error) {
	switch head {
	case "base":
		return nil, nil
	case "":
		heads := g.Heads()
		if len(heads) > 1 {
			return nil, fmt.Errorf("multiple heads are present (%s): pass --head with one of them, --head heads to merge them, or run 'migrate merge heads'", strings.Join(heads, ", "))
		}
		return heads, nil
	}
	ids, err := g.Resolve(head)
	if err != nil {
		return nil, fmt.Errorf("--head: %w", err)
	}
	if !splice {
		isHead := map[string]bool{}
		for _, h := range g.Heads() {
			isHead[h] = true
		}
		for _, id := range ids {
			if !isHead[id] {
				return nil, fmt.Errorf("revision %s is not a head; pass --splice to start a new branch from it", id)
			}
		}
	}
	return ids, nil
}

// writeRevision completes r (id, created date, checksum), checks that the
// graph stays valid with it, and writes its file next to its parent's (or
// in the first versions folder). It returns the file path.
func (a *app) writeRevision(g *versions.Graph, r *versions.Revision, revID string) (string, error) {
	c, err := a.config()
	if err != nil {
		return "", err
	}
	if revID != "" {
		if err := versions.CheckID(revID); err != nil {
			return "", inputError(fmt.Errorf("--rev-id: %w", err))
		}
		if old := g.Get(revID); old != nil {
			return "", usageErrorf("--rev-id: revision %s already exists in %s", revID, old.Path)
		}
		r.ID = revID
	} else {
		for {
			r.ID = versions.NewID()
			if g.Get(r.ID) == nil {
				break
			}
		}
	}
	now := time.Now().UTC()
	r.Created = now.Format("2006-01-02 15:04:05+00:00")
	r.Checksum = versions.Checksum(r.Up, r.Down)
	dir := c.Versions[0]
	if len(r.Parents) > 0 {
		if p := g.Get(r.Parents[0]); p != nil {
			if abs, err := filepath.Abs(filepath.Dir(p.Path)); err == nil {
				dir = abs
			}
		}
	}
	name, err := versions.FileName(c.FileTemplate, r.ID, versions.Slug(r.Message), now)
	if err != nil {
		return "", inputError(err)
	}
	path := filepath.Join(dir, name)
	r.Path = a.rel(path)
	data := versions.Render(r)
	// Check the new graph before anything is written.
	parsed, err := versions.Parse(r.Path, data)
	if err != nil {
		return "", fmt.Errorf("internal error: the new revision does not parse: %w", err)
	}
	if _, err := versions.NewGraph(append(g.Revisions(), parsed)); err != nil {
		return "", inputError(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return "", usageErrorf("%s already exists (does file_template %q give every revision its own name? {rev} does)", a.rel(path), c.FileTemplate)
		}
		return "", err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	if a.json {
		a.out.jsonLine(map[string]any{"event": "generated", "revision": r.ID, "file": a.rel(path), "parents": r.Parents})
	} else {
		a.out.data("Generating %s ... done\n", a.rel(path))
	}
	return path, nil
}

func hasLabel(g *versions.Graph, label string) bool {
	for _, r := range g.Revisions() {
		for _, l := range r.BranchLabels {
			if l == label {
				return true
			}
		}
	}
	return false
}

// checkLabels checks --branch-label values before anything is written.
func checkLabels(labels []string) error {
	for _, l := range labels {
		if err := versions.CheckLabel(l); err != nil {
			return inputError(fmt.Errorf("--branch-label: %w", err))
		}
	}
	return nil
}
