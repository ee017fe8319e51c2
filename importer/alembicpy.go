package importer

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// alembicScript is what the importer reads from an Alembic revision
// script (a .py file of the versions folder): the parts of the revision
// that its offline SQL does not carry.
type alembicScript struct {
	file      string
	message   string   // the docstring's first line
	labels    []string // branch_labels
	dependsOn []string // depends_on
}

var (
	pyRevision  = regexp.MustCompile(`(?m)^revision(?:\s*:[^=\n]*)?\s*=\s*['"]([^'"]+)['"]`)
	pyLabels    = regexp.MustCompile(`(?m)^branch_labels(?:\s*:[^=\n]*)?\s*=\s*(.*)$`)
	pyDependsOn = regexp.MustCompile(`(?m)^depends_on(?:\s*:[^=\n]*)?\s*=\s*(.*)$`)
	pyDocstring = regexp.MustCompile(`^(?:\s*#[^\n]*\n)*\s*[rRuU]?("""|''')\s*([^\n]*)`)
	pyString    = regexp.MustCompile(`['"]([^'"]*)['"]`)
)

// readAlembicScripts reads the revision scripts of an Alembic versions
// folder, by revision id. It reads plain assignments only (revision =
// "…", branch_labels = ("…",), depends_on = …), as Alembic's own
// templates write them.
func readAlembicScripts(dir string) (map[string]*alembicScript, error) {
	names, err := readDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string]*alembicScript{}
	for _, name := range names {
		if !strings.HasSuffix(name, ".py") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		text := string(data)
		m := pyRevision.FindStringSubmatch(text)
		if m == nil {
			continue // not a revision script
		}
		s := &alembicScript{file: name}
		if d := pyDocstring.FindStringSubmatch(text); d != nil {
			s.message = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(d[2]), d[1]))
		}
		s.labels = pyStrings(pyLabels, text)
		s.dependsOn = pyStrings(pyDependsOn, text)
		if prev, ok := out[m[1]]; ok {
			return nil, fmt.Errorf("%s and %s both define revision %s", prev.file, name, m[1])
		}
		out[m[1]] = s
	}
	return out, nil
}

// pyStrings returns the string literals of the assignment re matches
// (None gives none).
func pyStrings(re *regexp.Regexp, text string) []string {
	m := re.FindStringSubmatch(text)
	if m == nil {
		return nil
	}
	var out []string
	for _, s := range pyString.FindAllStringSubmatch(m[1], -1) {
		out = append(out, s[1])
	}
	return out
}
