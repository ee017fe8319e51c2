package migrate

import "testing"

func TestNormalTime(t *testing.T) {
	for in, want := range map[string]string{
		"2026-12-07 20:08:21.265":          "2026-12-07T20:08:21.265Z", // SQLite strftime, UTC
		"2026-12-07 20:08:21":              "2026-12-07T20:08:21.000Z",
		"2026-12-07 20:17:02.288222+00":    "2026-12-07T20:17:02.288Z", // PostgreSQL, TimeZone UTC
		"2026-12-07 21:17:02.288222+01":    "2026-12-07T20:17:02.288Z",
		"2026-12-08 01:47:02.2882+05:30":   "2026-12-07T20:17:02.288Z",
		"2026-12-07 19:57:02.288-00:20:00": "2026-12-07T20:17:02.288Z", // LMT-style offsets
		"2026-12-07T20:17:02.288Z":         "2026-12-07T20:17:02.288Z",
		"not a time":                       "not a time",
		"":                                 "",
	} {
		if got := normalTime(in); got != want {
			t.Errorf("normalTime(%q) = %q, want %q", in, got, want)
		}
	}
}
