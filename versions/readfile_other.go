//go:build !linux

package versions

import "os"

// osReader reads revision files from folders on disk with os.ReadFile.
type osReader struct{}

func newOSReader([]string) *osReader { return &osReader{} }

func (*osReader) close() {}

func (*osReader) read(f revFile, _ []byte) ([]byte, error) { return os.ReadFile(f.path) }
