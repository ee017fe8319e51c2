package migrate

import "time"

// TimeLayout is how every timestamp migrate reports (Applied.AppliedAt,
// Progress.StartedAt and UpdatedAt) is written, on every database: RFC
// 3339 in UTC, to the millisecond, so that the strings sort in time order
// ("2026-12-07T20:08:21.265Z").
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// dbTimeLayouts are the forms the version and marks tables give back as
// text: PostgreSQL's timestamptz output (its offset in the session's time
// zone: whole hours, or hours and minutes, or seconds too), SQLite's
// strftime text (UTC, no offset), and RFC 3339.
var dbTimeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07",
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999-07:00:00",
	"2006-01-02 15:04:05.999999999",
	time.RFC3339Nano,
}

// normalTime rewrites a timestamp read from the database in TimeLayout;
// text in no known form is returned as it is rather than lost.
func normalTime(s string) string {
	for _, l := range dbTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC().Format(TimeLayout)
		}
	}
	return s
}
