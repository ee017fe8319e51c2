package versions

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Load reads and parses every revision file directly in each of dirs
// (default "."): the names ending in ".sql", not hidden (no leading '.'),
// not directories; subfolders are not searched. Revision.Path is
// dir/name. Files are read and parsed concurrently and returned sorted by
// file name (then path). Parse errors are all reported, joined, in file
// order; a folder that cannot be read is an error wrapping the fs error.
//
// Load serves any fs.FS (embed.FS in an application, fstest.MapFS in
// tests); for folders on disk [LoadDir] does the same with fewer system
// calls per file.
func Load(fsys fs.FS, dirs ...string) ([]*Revision, error) {
	if len(dirs) == 0 {
		dirs = []string{"."}
	}
	var files []revFile
	for i, dir := range dirs {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return nil, fmt.Errorf("versions: reading the versions folder: %w", err)
		}
		files = appendRevFiles(files, entries, i, func(name string) string { return path.Join(dir, name) })
	}
	return loadFiles(files, func(f revFile, _ []byte) ([]byte, error) { return fs.ReadFile(fsys, f.path) })
}

// LoadGraph is [Load] followed by [NewGraph]: the usual start of an
// application that embeds its revisions.
func LoadGraph(fsys fs.FS, dirs ...string) (*Graph, error) {
	revs, err := Load(fsys, dirs...)
	if err != nil {
		return nil, err
	}
	return NewGraph(revs)
}

// LoadDir is [Load] for folders of the operating system: dirs are OS
// paths (default "."), and Revision.Path is filepath.Join(dir, name). It
// reads each file with the fewest system calls the platform allows, which
// is what keeps a no-op command at 1,000 revisions within a few
// milliseconds.
func LoadDir(dirs ...string) ([]*Revision, error) {
	if len(dirs) == 0 {
		dirs = []string{"."}
	}
	var files []revFile
	for i, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, fmt.Errorf("versions: reading the versions folder: %w", err)
		}
		files = appendRevFiles(files, entries, i, func(name string) string { return filepath.Join(dir, name) })
	}
	r := newOSReader(dirs)
	defer r.close()
	return loadFiles(files, r.read)
}

// revFile is a revision file to load: its path, its name and the index
// of its folder in the dirs given to Load or LoadDir.
type revFile struct {
	path, name string
	dir        int
}

func appendRevFiles(files []revFile, entries []fs.DirEntry, dir int, join func(string) string) []revFile {
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".sql") || e.IsDir() {
			continue
		}
		files = append(files, revFile{path: join(name), name: name, dir: dir})
	}
	return files
}

// loadFiles sorts files by name and reads and parses them concurrently.
// read may fill and return buf, which each worker reuses (Parse copies).
func loadFiles(files []revFile, read func(f revFile, buf []byte) ([]byte, error)) ([]*Revision, error) {
	sort.SliceStable(files, func(i, j int) bool {
		if files[i].name != files[j].name {
			return files[i].name < files[j].name
		}
		return files[i].path < files[j].path
	})
	revs := make([]*Revision, len(files))
	errs := make([]error, len(files))
	load := func(i int, buf []byte) []byte {
		if strings.IndexFunc(files[i].name, isControl) >= 0 {
			// File names are shown in messages and in the comments of
			// --sql scripts.
			errs[i] = fmt.Errorf("versions: %q: a revision file name may not hold control characters; rename the file", files[i].path)
			return buf
		}
		data, err := read(files[i], buf)
		if err != nil {
			errs[i] = fmt.Errorf("versions: %w", err)
			return buf
		}
		revs[i], errs[i] = Parse(files[i].path, data)
		return data
	}
	workers := min(len(files), runtime.GOMAXPROCS(0))
	if workers <= 1 {
		var buf []byte
		for i := range files {
			buf = load(i, buf)
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				var buf []byte
				for {
					i := int(next.Add(1) - 1)
					if i >= len(files) {
						return
					}
					buf = load(i, buf)
				}
			})
		}
		wg.Wait()
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return revs, nil
}
