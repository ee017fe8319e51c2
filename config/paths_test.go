package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckPaths(t *testing.T) {
	tmp := t.TempDir()
	proj := filepath.Join(tmp, "proj")
	out := filepath.Join(tmp, "out")
	for _, d := range []string{proj, out, filepath.Join(proj, "real")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	link := func(name, target string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(proj, name)); err != nil {
			t.Fatal(err)
		}
	}
	link("v_out", "../out")
	link("v_in", "real")
	link("v_dangling", "../out/later")
	link("v_abs", out)
	link("v_chain", "v_out")
	link("schema.sql", "../out/schema.sql")
	link("loop_a", "loop_b")
	link("loop_b", "loop_a")

	tests := []struct {
		text string
		err  string // "" when accepted
	}{
		{`versions = "v_in"`, ""},
		{`versions = "real/sub/not/yet"`, ""},
		{`versions = "v_out"`, `migrate.toml:1: versions: ` + filepath.Join(proj, "v_out") + ` (which resolves to ` + out + `) is outside the project folder`},
		{`versions = ["real", "v_dangling"]`, `(which resolves to ` + filepath.Join(out, "later") + `) is outside`},
		{`versions = "v_dangling/deeper"`, `is outside`},
		{`versions = "v_abs"`, `is outside`},
		{`versions = "v_chain/x"`, `is outside`},
		{`versions = "loop_a"`, ""},
		{`versions = ".."`, `versions: ` + tmp + ` is outside`},
		{`versions = "` + out + `"`, `is outside`},
		{"versions = \"real\"\n[models]\nsql = \"schema.sql\"", `migrate.toml:3: [models] sql: `},
		{"[models]\ngo = [\"real\", \"v_out/models\"]", `migrate.toml:2: [models] go: `},
	}
	for _, tt := range tests {
		_, err := Parse("migrate.toml", proj, []byte(tt.text))
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s: %v", tt.text, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s: error %v, want it to contain %q", tt.text, err, tt.err)
		}
	}

	// The project folder itself may be a link.
	plink := filepath.Join(tmp, "plink")
	if err := os.Symlink(proj, plink); err != nil {
		t.Fatal(err)
	}
	if _, err := Parse("migrate.toml", plink, []byte(`versions = "v_in"`)); err != nil {
		t.Errorf("project through a link: %v", err)
	}
	// The defaults are checked on demand.
	c := Default(plink)
	c.Versions = []string{filepath.Join(plink, "v_out")}
	if err := c.CheckPaths(); err == nil || !strings.HasPrefix(err.Error(), "config: versions: ") {
		t.Errorf("defaults: %v", err)
	}
}
