package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// Argument checks. cobra's own ("accepts 1 arg(s), received 0") say
// neither what is missing nor how to give it; these name the arguments
// from the command's Use line and show its first example. All are usage
// errors (exit 2).

func exactArgs(n int) cobra.PositionalArgs { return argsBetween(n, n) }
func maxArgs(n int) cobra.PositionalArgs   { return argsBetween(0, n) }
func minArgs(n int) cobra.PositionalArgs   { return argsBetween(n, -1) }

// argsBetween accepts from min to max arguments (max -1: no limit).
func argsBetween(min, max int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) < min:
			return argError(cmd, "missing %s", missing(cmd, len(args), min))
		case max == 0 && len(args) > 0:
			return argError(cmd, "takes no arguments, got %s", quoteArgs(args))
		case max >= 0 && len(args) > max:
			return argError(cmd, "takes at most %d argument(s) (%s), got %d: %s",
				max, strings.Join(argNames(cmd), " "), len(args), quoteArgs(args))
		}
		return nil
	}
}

// argNames lists the words of the Use line after the command's name
// ("downgrade TARGET" → [TARGET]; flags shown there end the list).
func argNames(cmd *cobra.Command) []string {
	var names []string
	for _, w := range strings.Fields(cmd.Use)[1:] {
		if strings.HasPrefix(w, "-") || strings.HasPrefix(w, "[-") {
			break
		}
		names = append(names, strings.Trim(w, "[]."))
	}
	return names
}

// missing names the arguments from the have-th to the want-th; past the
// Use line's last name it repeats ("stamp REVISION..." → REVISION).
func missing(cmd *cobra.Command, have, want int) string {
	names := argNames(cmd)
	var out []string
	for i := have; i < want; i++ {
		switch {
		case i < len(names):
			out = append(out, names[i])
		case len(names) > 0:
			out = append(out, names[len(names)-1])
		default:
			out = append(out, "an argument")
		}
	}
	return strings.Join(out, " ")
}

func argError(cmd *cobra.Command, format string, args ...any) error {
	msg := fmt.Sprintf("%s: %s\nUsage: %s", cmd.CommandPath(), fmt.Sprintf(format, args...), cmd.UseLine())
	if ex := firstExample(cmd); ex != "" {
		msg += "\nExample: " + ex
	}
	return usageErrorf("%s", msg)
}

// firstExample is the first command line of cmd's Example, without the
// comment after it.
func firstExample(cmd *cobra.Command) string {
	for _, l := range strings.Split(cmd.Example, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if i := strings.Index(l, "  #"); i >= 0 {
			l = strings.TrimSpace(l[:i])
		}
		return l
	}
	return ""
}

func quoteArgs(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		q[i] = fmt.Sprintf("%q", a)
	}
	return strings.Join(q, " ")
}
