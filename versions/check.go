package versions

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// checkText rejects what a revision file cannot hold: NUL bytes (SQLite
// stops reading a statement at one, so what follows would be skipped
// without a word) and invalid UTF-8. The error names the line and column
// of the first offending byte.
func checkText(path string, data []byte) error {
	bad := bytes.IndexByte(data, 0)
	valid := utf8.Valid(data)
	if bad < 0 && valid {
		return nil
	}
	invalid := -1
	if !valid {
		invalid = firstInvalid(data)
	}
	var msg string
	switch {
	case invalid >= 0 && (bad < 0 || invalid < bad):
		bad = invalid
		msg = fmt.Sprintf("invalid UTF-8 (byte 0x%02x): a revision file must be UTF-8 text; save it as UTF-8", data[bad])
		if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
			msg = "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8"
		}
	default:
		msg = "NUL byte (0x00): a revision file must be text, and the database would stop reading the statement there, skipping the rest"
	}
	line := 1 + bytes.Count(data[:bad], []byte("\n"))
	col := 1 + utf8.RuneCount(data[bytes.LastIndexByte(data[:bad], '\n')+1:bad])
	return &ParseError{File: path, Line: line, Column: col, Msg: msg}
}

// firstInvalid returns the offset of the first byte of data that is not
// part of a valid UTF-8 sequence.
func firstInvalid(data []byte) int {
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}
