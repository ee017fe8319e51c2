package main

import (
	"sort"
	"strings"

	"github.com/spf13/cobra"
)

func init() { extraCommands = append(extraCommands, (*app).newCompletionCmd) }

// shells are the shells `migrate completion` writes a script for.
var shells = []string{"bash", "zsh", "fish", "powershell"}

func (a *app) newCompletionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script",
		Long: `completion prints a script that makes the shell complete migrate's
commands, flags, revision ids and labels (read from the versions folder of
the project in the working directory), environment names and targets
(head, base, -1 ...). Nothing connects to a database.`,
		Example: `  # bash, for good (needs the bash-completion package)
  migrate completion bash > /etc/bash_completion.d/migrate
  # bash, for this session
  source <(migrate completion bash)
  # zsh
  migrate completion zsh > "${fpath[1]}/_migrate"
  # fish
  migrate completion fish > ~/.config/fish/completions/migrate.fish
  # PowerShell
  migrate completion powershell | Out-String | Invoke-Expression`,
		ValidArgs: shells,
		Args:      exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(a.stdout, true)
			case "zsh":
				return root.GenZshCompletion(a.stdout)
			case "fish":
				return root.GenFishCompletion(a.stdout, true)
			case "powershell":
				return root.GenPowerShellCompletionWithDesc(a.stdout)
			}
			return usageErrorf("unknown shell %q: one of %s\nExample: migrate completion bash", args[0], strings.Join(shells, ", "))
		},
	}
}

// targetKinds are the targets each command takes besides revision ids and
// labels; a command missing here completes no arguments.
var targetKinds = map[string]struct {
	words []string // fixed targets
	at    []string // what may follow LABEL@
	many  bool     // takes several revisions
}{
	"upgrade":   {words: []string{"head", "heads", "+1", "+2"}, at: []string{"head", "+1"}},
	"downgrade": {words: []string{"-1", "-2", "base"}, at: []string{"base", "-1"}},
	"stamp":     {words: []string{"head", "heads", "base"}, at: []string{"head", "base"}, many: true},
	"show":      {words: []string{"head", "base", "current"}},
	"merge":     {words: []string{"heads"}, many: true},
	"resolve":   {},
}

// flagWords are the values of the flags that take one of a few words,
// by flag name, on whichever command has the flag.
var flagWords = map[string][]string{
	"tx":      {"all", "revision", "none"},
	"dialect": {"postgres", "sqlite"},
	"models":  {"go", "sql"},
}

// addCompletions attaches the dynamic completions to the assembled
// command tree: targets of the commands in targetKinds, ranges of lint
// and history -r, the words of the flags in flagWords and the names of
// the environments for --env.
func (a *app) addCompletions(root *cobra.Command) {
	for _, c := range root.Commands() {
		if _, ok := targetKinds[c.Name()]; ok {
			c.ValidArgsFunction = a.completeTargets
		}
		for name, words := range flagWords {
			if c.Flags().Lookup(name) != nil {
				_ = c.RegisterFlagCompletionFunc(name, fixedWords(words))
			}
		}
	}
	if lint, _, err := root.Find([]string{"lint"}); err == nil && lint != root {
		lint.ValidArgsFunction = func(cmd *cobra.Command, args []string, typed string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return a.completeRange(typed)
		}
	}
	if history, _, err := root.Find([]string{"history"}); err == nil && history != root {
		_ = history.RegisterFlagCompletionFunc("rev-range", func(cmd *cobra.Command, args []string, typed string) ([]string, cobra.ShellCompDirective) {
			return a.completeRange(typed)
		})
	}
	_ = root.RegisterFlagCompletionFunc("env", a.completeEnvs)
}

// fixedWords completes one of words.
func fixedWords(words []string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, typed string) ([]string, cobra.ShellCompDirective) {
		return withPrefix(words, typed), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeRange completes a FROM:TO range: before the colon a start
// (base, current, a revision id, a label) with the colon after it, then an end
// (head, heads, current, a revision id, a label) after FROM:.
func (a *app) completeRange(typed string) ([]string, cobra.ShellCompDirective) {
	var ids, labels []string
	if g, err := a.graph(); err == nil {
		seen := map[string]bool{}
		for _, r := range g.Revisions() {
			ids = append(ids, r.ID)
			for _, l := range r.BranchLabels {
				if !seen[l] {
					seen[l] = true
					labels = append(labels, l)
				}
			}
		}
	}
	if from, _, ok := strings.Cut(typed, ":"); ok {
		var out []string
		for _, to := range append(append([]string{"head", "heads", "current"}, ids...), labels...) {
			out = append(out, from+":"+to)
		}
		return withPrefix(out, typed), cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, from := range append(append([]string{"base", "current"}, ids...), labels...) {
		out = append(out, from+":")
	}
	// FROM: — the user goes on typing the end.
	return withPrefix(out, typed), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// completeTargets lists the targets, revision ids (with their messages)
// and labels that start with what was typed. A project that does not
// load completes nothing rather than printing an error into the shell.
func (a *app) completeTargets(cmd *cobra.Command, args []string, typed string) ([]string, cobra.ShellCompDirective) {
	kind := targetKinds[cmd.Name()]
	if len(args) > 0 && !kind.many {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	if label, _, ok := strings.Cut(typed, "@"); ok {
		for _, w := range kind.at {
			out = append(out, label+"@"+w)
		}
		return withPrefix(out, typed), cobra.ShellCompDirectiveNoFileComp
	}
	out = append(out, kind.words...)
	g, err := a.graph()
	if err != nil {
		return withPrefix(out, typed), cobra.ShellCompDirectiveNoFileComp
	}
	labels := map[string]bool{}
	for _, r := range g.Revisions() {
		out = append(out, r.ID+"\t"+firstLine(r.Message))
		for _, l := range r.BranchLabels {
			labels[l] = true
		}
	}
	for l := range labels {
		out = append(out, l, l+"@")
	}
	out = withPrefix(out, typed)
	d := cobra.ShellCompDirectiveNoFileComp
	if len(out) == 1 && strings.HasSuffix(out[0], "@") {
		d |= cobra.ShellCompDirectiveNoSpace // LABEL@: the user goes on typing
	}
	return out, d
}

// completeEnvs lists the environments of migrate.toml.
func (a *app) completeEnvs(cmd *cobra.Command, args []string, typed string) ([]string, cobra.ShellCompDirective) {
	c, err := a.config()
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for name := range c.Envs {
		out = append(out, name)
	}
	sort.Strings(out)
	return withPrefix(out, typed), cobra.ShellCompDirectiveNoFileComp
}

// withPrefix keeps the candidates (before any tab-separated description)
// that start with typed.
func withPrefix(cands []string, typed string) []string {
	var out []string
	for _, c := range cands {
		v, _, _ := strings.Cut(c, "\t")
		if strings.HasPrefix(v, typed) {
			out = append(out, c)
		}
	}
	return out
}
