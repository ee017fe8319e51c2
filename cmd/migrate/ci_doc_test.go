package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/migratehq/migrate/internal/testdb"
)

// TestCIRecipes runs the shell steps of docs/ci.md's YAML recipes (every
// run: and script: step, the go install line excepted) against a fresh
// local PostgreSQL database, with this test binary as `migrate` on PATH,
// in a copy of the quickstart project: the documented pipelines keep
// working.
func TestCIRecipes(t *testing.T) {
	testdb.RequirePostgres(t)
	doc, err := os.ReadFile("../../docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	recipes := yamlBlocks(string(doc))
	if len(recipes) < 2 {
		t.Fatalf("docs/ci.md: %d YAML recipes, want GitHub Actions and GitLab CI", len(recipes))
	}
	bin := migrateOnPath(t)
	for i, y := range recipes {
		steps, installs := shellSteps(y)
		if len(steps) == 0 || installs == 0 {
			t.Fatalf("recipe %d: %d steps, %d go install lines", i+1, len(steps), installs)
		}
		dir := quickstartCopy(t)
		url := testdb.Postgres(t)
		for _, st := range steps {
			cmd := exec.Command("bash", "-euo", "pipefail", "-c", st)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
				"DATABASE_URL="+url, "MIGRATE_ENV=", "MIGRATE_CONFIG=")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("recipe %d, step %q: %v\n%s", i+1, st, err, out)
			}
		}
	}
}

// yamlBlocks returns the bodies of the ```yaml fences of a Markdown text.
func yamlBlocks(md string) []string {
	var out []string
	var b strings.Builder
	in := false
	for _, l := range strings.Split(md, "\n") {
		switch {
		case !in && strings.TrimSpace(l) == "```yaml":
			in = true
			b.Reset()
		case in && strings.TrimSpace(l) == "```":
			in = false
			out = append(out, b.String())
		case in:
			b.WriteString(l + "\n")
		}
	}
	return out
}

var (
	runLine     = regexp.MustCompile(`^(\s*)(?:- )?run: (.*)$`)
	scriptStart = regexp.MustCompile(`^(\s*)script:\s*$`)
	listItem    = regexp.MustCompile(`^(\s*)- (.*)$`)
	goInstall   = regexp.MustCompile(`^go install github\.com/migratehq/migrate/cmd/migrate@\S+$`)
)

// shellSteps extracts the shell commands of a CI YAML text: "run: cmd",
// "run: |" blocks, and the items of "script:" lists. The documented go
// install line is counted, not run: the binary under test stands in.
func shellSteps(y string) (steps []string, installs int) {
	add := func(s string) {
		s = strings.TrimSpace(s)
		if goInstall.MatchString(s) {
			installs++
			return
		}
		if s != "" {
			steps = append(steps, s)
		}
	}
	sc := bufio.NewScanner(strings.NewReader(y))
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	for i := 0; i < len(lines); i++ {
		if m := runLine.FindStringSubmatch(lines[i]); m != nil {
			if strings.TrimSpace(m[2]) != "|" {
				add(m[2])
				continue
			}
			var block []string
			for i+1 < len(lines) && indent(lines[i+1]) > len(m[1])+2 {
				i++
				block = append(block, strings.TrimSpace(lines[i]))
			}
			add(strings.Join(block, "\n"))
			continue
		}
		if m := scriptStart.FindStringSubmatch(lines[i]); m != nil {
			for i+1 < len(lines) {
				it := listItem.FindStringSubmatch(lines[i+1])
				if it == nil || len(it[1]) <= len(m[1]) {
					break
				}
				i++
				add(it[2])
			}
		}
	}
	return steps, installs
}

func indent(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }

// migrateOnPath returns a folder holding "migrate", a link to this test
// binary, which runs the CLI when called by that name (TestMain).
func migrateOnPath(t *testing.T) string {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(exe, filepath.Join(dir, "migrate")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// quickstartCopy is the quickstart's revisions with the migrate.toml
// docs/ci.md assumes.
func quickstartCopy(t *testing.T) string {
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "versions"), os.DirFS("../../examples/quickstart/versions")); err != nil {
		t.Fatal(err)
	}
	toml := "[env.development]\nurl = \"${DATABASE_URL}\"\n\n[env.production]\nurl = \"${DATABASE_URL}\"\n"
	if err := os.WriteFile(filepath.Join(dir, "migrate.toml"), []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
