package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// CheckPaths checks that every path the config names — the versions
// folders, the [models] sql files and go folders — lies inside the
// project folder (Dir) once symbolic links are resolved, in the paths and
// in Dir itself: a link may not lead out of the project, where revision
// would write and autogenerate would read. Paths that do not exist yet
// are resolved as far as they exist. Parse runs it; a caller that builds
// a Config with [Default] runs it before using the paths. Errors are
// *Error naming the key and its line.
func (c *Config) CheckPaths() error {
	root := resolvePath(c.Dir)
	check := func(key string, line int, paths []string) error {
		for _, p := range paths {
			r := resolvePath(p)
			if inside(root, r) {
				continue
			}
			shown := p
			if r != p {
				shown = fmt.Sprintf("%s (which resolves to %s)", p, r)
			}
			return &Error{File: c.Path, Line: line, Msg: fmt.Sprintf(
				"%s: %s is outside the project folder %s; paths must stay inside the folder of %s, symbolic links included",
				key, shown, c.Dir, c.fileName())}
		}
		return nil
	}
	if err := check("versions", c.lines.versions, c.Versions); err != nil {
		return err
	}
	if err := check("[models] sql", c.lines.modelsSQL, c.Models.SQL); err != nil {
		return err
	}
	return check("[models] go", c.lines.modelsGo, c.Models.Go)
}

func (c *Config) fileName() string {
	if c.Path == "" {
		return "the project (the working directory)"
	}
	return c.Path
}

// inside reports whether path p is root or below it (both clean and
// absolute).
func inside(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// resolvePath returns the absolute path p with every symbolic link
// resolved: filepath.EvalSymlinks on the longest part that exists, and,
// for a link whose target does not exist (yet), the target itself, so
// that a dangling link out of the project is still seen as one. The
// part that does not exist is appended as written.
func resolvePath(p string) string {
	p, err := filepath.Abs(p)
	if err != nil {
		return filepath.Clean(p)
	}
	return resolveDepth(p, 0)
}

func resolveDepth(p string, depth int) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	if depth > 40 { // a loop of links
		return p
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p
	}
	dir := resolveDepth(parent, depth+1)
	full := filepath.Join(dir, filepath.Base(p))
	if st, err := os.Lstat(full); err == nil && st.Mode()&os.ModeSymlink != 0 {
		if target, err := os.Readlink(full); err == nil {
			if !filepath.IsAbs(target) {
				target = filepath.Join(dir, target)
			}
			return resolveDepth(filepath.Clean(target), depth+1)
		}
	}
	return full
}
