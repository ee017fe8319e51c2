package main

import (
	"strconv"

	"github.com/migratehq/migrate/config"
)

// txModeFlag is the value of --tx: all, revision or none, checked when
// the flag is parsed, so that anything else (the empty string of --tx=
// included) is bad usage, exit 2, rather than "not given".
type txModeFlag struct{ p *string }

func (f txModeFlag) String() string {
	if f.p == nil {
		return ""
	}
	return *f.p
}

func (f txModeFlag) Set(s string) error {
	if err := config.CheckTransaction(s); err != nil {
		return err
	}
	*f.p = s
	return nil
}

func (f txModeFlag) Type() string { return "mode" }

// jsonRequested tells from the raw arguments whether --json was given,
// so that an error found before the flags are parsed (an unknown command
// or flag, a bad flag value) is still reported as a JSON object. As
// pflag does, the last --json or --json=BOOL before "--" wins.
func jsonRequested(args []string) bool {
	on := false
	for _, a := range args {
		switch {
		case a == "--":
			return on
		case a == "--json":
			on = true
		case len(a) > len("--json=") && a[:len("--json=")] == "--json=":
			if v, err := strconv.ParseBool(a[len("--json="):]); err == nil {
				on = v
			}
		}
	}
	return on
}
