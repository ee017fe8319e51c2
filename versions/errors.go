package versions

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrMultipleHeads is wrapped by the error of a target that needs a single
// head ("head", "label@head", "head-1" ...) when there are several.
// Test for it with errors.Is.
var ErrMultipleHeads = errors.New("multiple heads")

// GraphError lists what is wrong with a set of revisions: duplicate ids,
// unknown parents or dependencies, self references, cycles, reused branch
// labels. Every problem names the files involved.
type GraphError struct {
	Problems []string
}

func (e *GraphError) Error() string { return strings.Join(e.Problems, "\n") }

// TargetError is a target that cannot be resolved or planned: unknown,
// ambiguous, or walking off the graph. Msg says why and, where there is a
// choice, names the choices. Err is [ErrMultipleHeads] or nil.
type TargetError struct {
	Target string
	Msg    string
	Err    error
}

func (e *TargetError) Error() string {
	return fmt.Sprintf("target %s: %s", strconv.Quote(e.Target), e.Msg)
}

func (e *TargetError) Unwrap() error { return e.Err }

// UnknownAppliedError reports applied revisions (rows of the version
// table) that no revision file defines. Planning refuses to guess around
// them.
type UnknownAppliedError struct {
	IDs []string
}

func (e *UnknownAppliedError) Error() string {
	return fmt.Sprintf("the database records applied revision(s) that no file defines: %s (a file was deleted or renamed, or the database was migrated from another branch of the code)", strings.Join(e.IDs, ", "))
}

// where names a revision in messages: "id (path)".
func where(r *Revision) string {
	if r.Path == "" {
		return r.ID
	}
	return r.ID + " (" + r.Path + ")"
}

func fileOf(r *Revision) string {
	if r.Path == "" {
		return "revision " + r.ID
	}
	return r.Path
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return orList(q)
}

// orList joins "a", "a or b", "a, b or c".
func orList(ss []string) string {
	switch len(ss) {
	case 0:
		return ""
	case 1:
		return ss[0]
	}
	return strings.Join(ss[:len(ss)-1], ", ") + " or " + ss[len(ss)-1]
}
