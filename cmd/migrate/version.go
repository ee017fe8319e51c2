package main

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, (*app).newVersionCmd) }

// buildVersion is what the binary knows of its own build: the module
// version (v1.2.3 when built by 'go install …@v1.2.3', "(devel)" from a
// checkout) and, when built in a VCS checkout, the revision and its time.
type buildVersion struct {
	Version  string `json:"version"`
	Revision string `json:"revision,omitempty"`
	Time     string `json:"time,omitempty"`
	Modified bool   `json:"modified,omitempty"`
	Go       string `json:"go"`
}

func readBuildVersion() buildVersion {
	v := buildVersion{Version: "(unknown)"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	v.Go = bi.GoVersion
	if bi.Main.Version != "" {
		v.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Revision = s.Value
		case "vcs.time":
			v.Time = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// String is the one line `migrate version` and `migrate --version` print.
func (v buildVersion) String() string {
	s := "migrate " + v.Version
	var extra []string
	if v.Revision != "" {
		extra = append(extra, "revision "+v.Revision)
	}
	if v.Time != "" {
		extra = append(extra, v.Time)
	}
	if v.Modified {
		extra = append(extra, "with uncommitted changes")
	}
	if v.Go != "" {
		extra = append(extra, v.Go)
	}
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	return s
}

func (a *app) newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of this binary",
		Long: `version prints the module version this binary was built from (v1.2.3 when
installed with 'go install github.com/migratehq/migrate/cmd/migrate@v1.2.3',
"(devel)" when built from a checkout), the VCS revision and its time when
the build recorded them, and the Go version. --version prints the same.`,
		Example: "  migrate version\n  migrate --json version",
		Args:    exactArgs(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			v := readBuildVersion()
			if a.json {
				a.out.jsonLine(v)
				return nil
			}
			a.out.data("%s\n", v)
			return nil
		},
	}
}

// setVersionFlag makes `migrate --version` print the version line.
func setVersionFlag(root *cobra.Command) {
	root.Version = readBuildVersion().Version
	root.SetVersionTemplate(fmt.Sprintln(readBuildVersion()))
}
