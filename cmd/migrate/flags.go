package main

import "strconv"

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
