package vtname

import (
	"strings"
	"testing"
)

func TestProgress(t *testing.T) {
	if got := Progress("migrate_version"); got != "migrate_version_progress" {
		t.Errorf("Progress(migrate_version) = %s", got)
	}
	// 54 bytes + "_progress" is exactly 63: kept whole.
	n54 := strings.Repeat("a", 54)
	if got := Progress(n54); got != n54+"_progress" {
		t.Errorf("54-byte name: %s", got)
	}
	// Longer names are shortened to 63 bytes, and two that share their
	// first 45 bytes still get tables of their own.
	a, b := Progress(strings.Repeat("v", 60)+"_one"), Progress(strings.Repeat("v", 60)+"_two")
	if len(a) != 63 || len(b) != 63 || a == b || !strings.HasSuffix(a, "_progress") {
		t.Errorf("long names: %s (%d), %s (%d)", a, len(a), b, len(b))
	}
}
