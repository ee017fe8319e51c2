package versions

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/migratehq/migrate/sqlsplit"
)

// MaxIDLen is the longest legal revision id: the version table's column
// holds 32 characters.
const MaxIDLen = 32

// NewID returns a new revision id: 12 random lower-case hex digits.
func NewID() string {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// CheckID reports whether id is a legal revision id: 1 to 32 ASCII
// letters, digits or underscores, and not one of the reserved words head,
// heads, base and current. The error names the characters that are not
// allowed (such as the '@', '-', '+' and ':' that target syntax uses).
func CheckID(id string) error { return checkName(id, "revision id") }

// CheckLabel reports whether label is a legal branch label: the same
// rules as [CheckID].
func CheckLabel(label string) error { return checkName(label, "branch label") }

// checkName applies the id rules to a revision id, branch label or
// dependency; what names it in the error.
func checkName(id, what string) error {
	if id == "" {
		return fmt.Errorf("empty %s", what)
	}
	var bad []string
	for _, r := range id {
		if r < utf8.RuneSelf && (r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			continue
		}
		q := strconv.QuoteRune(r)
		dup := false
		for _, b := range bad {
			dup = dup || b == q
		}
		if !dup {
			bad = append(bad, q)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("character(s) %s not allowed in %s %q (use letters, digits and '_')", strings.Join(bad, ", "), what, id)
	}
	if len(id) > MaxIDLen {
		return fmt.Errorf("%s %q is %d characters long; the limit is %d", what, id, len(id), MaxIDLen)
	}
	switch strings.ToLower(id) {
	case "head", "heads", "base", "current":
		return fmt.Errorf("%s %q is a reserved word (head, heads, base and current are targets)", what, id)
	}
	return nil
}

// SlugLen is the length past which [Slug] truncates, as Alembic's
// truncate_slug_length.
const SlugLen = 40

// Slug turns a message into a file-name fragment much as Alembic does:
// the runs of letters and numbers (Unicode) joined by one '_' and
// lower-cased; when that is longer than 40 characters it is cut to 40 and
// back to its last '_'. Unlike Alembic, an '_' in the message is a
// separator like any other, so that runs of them collapse ("a __ b" is
// "a_b", "snake_case" stays), and no '_' ends a slug: a file name ending
// in "_.sql" reads as a mistake.
//
//	Slug("Add User Table, with e-mail & Ünïcode!! 2nd try") == "add_user_table_with_e_mail_ünïcode_2nd"
func Slug(msg string) string {
	words := strings.FieldsFunc(msg, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsNumber(r))
	})
	slug := strings.ToLower(strings.Join(words, "_"))
	if utf8.RuneCountInString(slug) <= SlugLen {
		return slug
	}
	cut, n := slug, 0
	for i := range slug {
		if n == SlugLen {
			cut = slug[:i]
			break
		}
		n++
	}
	if i := strings.LastIndexByte(cut, '_'); i > 0 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, "_")
}

// trimSeparator drops a trailing '_' or '-' from b.
func trimSeparator(b *strings.Builder) {
	s := b.String()
	if t := strings.TrimRight(s, "_-"); t != s {
		b.Reset()
		b.WriteString(t)
	}
}

// DefaultFileTemplate is the default file_template.
const DefaultFileTemplate = "{date}_{rev}_{slug}"

// FileName expands a file_template and appends ".sql". Tokens, all taken
// from t in UTC and zero-padded so that names sort by time:
//
//	{date}    YYYYMMDDHHMMSS
//	{rev}     the revision id
//	{slug}    the message slug (see [Slug])
//	{year}    YYYY, {month} MM, {day} DD, {hour} HH, {minute} MM, {second} SS
//	{epoch}   Unix seconds
//
// An unknown or unclosed token, or a path separator, is an error: Load
// reads only the files directly in a versions folder.
func FileName(template, id, slug string, t time.Time) (string, error) {
	t = t.UTC()
	var b strings.Builder
	for rest := template; rest != ""; {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("file_template %q: unclosed %q", template, rest[i:])
		}
		tok := rest[i+1 : i+j]
		rest = rest[i+j+1:]
		switch tok {
		case "date":
			b.WriteString(t.Format("20060102150405"))
		case "rev":
			b.WriteString(id)
		case "slug":
			if slug == "" {
				// No message: no separator left dangling ("…_3f9a1c2b7d10.sql",
				// not "…_3f9a1c2b7d10_.sql"), before the slug or, when it
				// comes first, after it.
				if b.Len() > 0 {
					trimSeparator(&b)
				} else {
					rest = strings.TrimLeft(rest, "_-")
				}
			}
			b.WriteString(slug)
		case "year":
			fmt.Fprintf(&b, "%04d", t.Year())
		case "month":
			fmt.Fprintf(&b, "%02d", int(t.Month()))
		case "day":
			fmt.Fprintf(&b, "%02d", t.Day())
		case "hour":
			fmt.Fprintf(&b, "%02d", t.Hour())
		case "minute":
			fmt.Fprintf(&b, "%02d", t.Minute())
		case "second":
			fmt.Fprintf(&b, "%02d", t.Second())
		case "epoch":
			b.WriteString(strconv.FormatInt(t.Unix(), 10))
		default:
			return "", fmt.Errorf("file_template %q: unknown token {%s} (known: {date}, {rev}, {slug}, {year}, {month}, {day}, {hour}, {minute}, {second}, {epoch})", template, tok)
		}
	}
	name := b.String()
	if strings.ContainsAny(name, `/\`) {
		return "", fmt.Errorf("file_template %q: the file name %q contains a path separator; revision files must sit directly in the versions folder", template, name)
	}
	if name == "" || strings.HasPrefix(name, ".") {
		return "", fmt.Errorf("file_template %q: the file name %q is empty or hidden", template, name)
	}
	return name + ".sql", nil
}

// Checksum returns the hex SHA-256 that identifies the content of a
// revision's Up and Down sections. Each section is first normalised by
// [sqlsplit.Normalize]: CRLF becomes LF, comments are dropped, and
// whitespace outside quoted text shrinks to the single spaces that keep
// tokens apart. Editing comments, indentation, blank lines or line
// endings therefore keeps the checksum; changing any token, any quoted
// text (whitespace inside quotes included) or moving a statement between
// sections changes it. The hash covers "up <n>\n<normalised up>\ndown
// <m>\n<normalised down>", n and m being byte lengths.
func Checksum(up, down string) string {
	var ubuf, dbuf, mbuf [1024]byte // typical sections fit: no allocation
	nu := sqlsplit.AppendNormalized(ubuf[:0], up)
	nd := sqlsplit.AppendNormalized(dbuf[:0], down)
	m := append(mbuf[:0], "up "...)
	m = strconv.AppendInt(m, int64(len(nu)), 10)
	m = append(append(m, '\n'), nu...)
	m = append(m, "\ndown "...)
	m = strconv.AppendInt(m, int64(len(nd)), 10)
	m = append(append(m, '\n'), nd...)
	sum := sha256.Sum256(m)
	return hex.EncodeToString(sum[:])
}

// NewFileName names the file of a new revision r of graph g: FileName at
// time t, moved on by a second at a time (at most a few) until the name
// sorts after the files of r's parents and dependencies, so that a
// revision written in the same second as its parent still sorts after it
// (sqlc and ls read files in name order; [Graph.CheckFileOrder] verifies
// it). It returns the name and the time it used. With a template that has
// no date the name cannot move, and is returned as it is.
func NewFileName(g *Graph, template string, r *Revision, t time.Time) (string, time.Time, error) {
	slug := Slug(r.Message)
	name, err := FileName(template, r.ID, slug, t)
	if err != nil {
		return "", t, err
	}
	after := func(name string) bool {
		for _, id := range append(append([]string(nil), r.Parents...), r.DependsOn...) {
			if p := g.Get(id); p != nil && name <= path.Base(filepath.ToSlash(p.Path)) {
				return false
			}
		}
		return true
	}
	for tries := 0; tries < 5 && !after(name); tries++ {
		t = t.Add(time.Second)
		if name, err = FileName(template, r.ID, slug, t); err != nil {
			return "", t, err
		}
	}
	return name, t, nil
}
