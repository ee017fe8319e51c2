package versions

import (
	"strings"
	"testing"
)

// TestPicksOfHeadsSharingALabel: two heads that carry the same inherited
// branch label are suggested by their ids, not as the same label twice.
func TestPicksOfHeadsSharingALabel(t *testing.T) {
	root := &Revision{ID: "b1b1", BranchLabels: []string{"billing"}, Path: "versions/1_b1b1.sql"}
	x := &Revision{ID: "x1x1", Parents: []string{"b1b1"}, Path: "versions/2_x1x1.sql"}
	d := &Revision{ID: "d1d1", Parents: []string{"b1b1"}, Path: "versions/3_d1d1.sql"}
	g, err := NewGraph([]*Revision{root, x, d})
	if err != nil {
		t.Fatal(err)
	}
	_, err = g.Resolve("head")
	if err == nil || !strings.Contains(err.Error(), `name one: "d1d1" or "x1x1"`) && !strings.Contains(err.Error(), `name one: "x1x1" or "d1d1"`) {
		t.Errorf("head: %v", err)
	}
	_, err = g.PlanDowngrade([]string{"b1b1", "x1x1", "d1d1"}, "-1")
	if err == nil || !strings.Contains(err.Error(), "pick a branch") || strings.Contains(err.Error(), "billing@-1") {
		t.Errorf("-1: %v", err)
	}
}
