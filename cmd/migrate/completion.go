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
	"show":      {words: []string{"head", "base"}},
	"merge":     {words: []string{"heads"}, many: true},
	"resolve":   {},
}

// addCompletions attaches the dynamic completions to the assembled
// command tree: targets of the commands in targetKinds and the names of
// the environments for --env.
func (a *app) addCompletions(root *cobra.Command) {
	for _, c := range root.Commands() {
		if _, ok := targetKinds[c.Name()]; ok {
			c.ValidArgsFunction = a.completeTargets
		}
	}
	_ = root.RegisterFlagCompletionFunc("env", a.completeEnvs)
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
