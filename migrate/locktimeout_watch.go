package migrate

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Blocker is a session that a revision statement waited behind, from
// pg_blocking_pids and pg_stat_activity: it holds the lock the statement
// wanted, or waits for it ahead of the statement in the queue.
type Blocker struct {
	PID         int
	State       string        // pg_stat_activity.state: "idle in transaction", "active" …
	StateAge    time.Duration // how long it has been in that state
	XactAge     time.Duration // how long its transaction has been open (0: none)
	Query       string        // the first line of its current or last query
	User        string
	Application string
	Client      string // address, or "local socket"
}

// MarshalJSON writes the session as an object: pid, state, state_age_ms,
// xact_age_ms (0: no transaction), query, user, application, client.
func (b Blocker) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		PID         int     `json:"pid"`
		State       string  `json:"state"`
		StateAgeMS  float64 `json:"state_age_ms"`
		XactAgeMS   float64 `json:"xact_age_ms"`
		Query       string  `json:"query"`
		User        string  `json:"user"`
		Application string  `json:"application"`
		Client      string  `json:"client"`
	}{b.PID, b.State, millis(b.StateAge), millis(b.XactAge), b.Query, b.User, b.Application, b.Client})
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// state is "idle in transaction for 12s".
func (b Blocker) state() string {
	s := b.State
	if s == "" {
		s = "state unknown"
	}
	if b.StateAge > 0 {
		s += " for " + age(b.StateAge)
	}
	return s
}

// age is a duration as a person reads it: 340ms, 2.5s, 1m12s.
func age(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

// String is one line naming the session: its pid, state, ages, who it is,
// and the first line of its query.
func (b Blocker) String() string {
	var parts []string
	parts = append(parts, b.state())
	if b.XactAge-b.StateAge >= 100*time.Millisecond {
		parts = append(parts, "transaction open for "+age(b.XactAge))
	}
	if b.User != "" {
		parts = append(parts, "user "+b.User)
	}
	if b.Application != "" {
		parts = append(parts, fmt.Sprintf("application %q", b.Application))
	}
	if b.Client != "" {
		parts = append(parts, "client "+b.Client)
	}
	s := fmt.Sprintf("pid %d (%s)", b.PID, strings.Join(parts, ", "))
	if b.Query != "" {
		s += ": " + b.Query
	}
	return s
}

// firstLine is the first non-blank line of a query, at most 120 bytes.
func firstLine(q string) string {
	for _, l := range strings.Split(q, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if len(l) > 120 {
				cut := 120
				for cut > 0 && l[cut]&0xC0 == 0x80 {
					cut--
				}
				l = l[:cut] + " …"
			}
			return l
		}
	}
	return ""
}

// blockersQuery lists the sessions that block backend $1, when it waits
// for a lock, with what it waits for. pg_blocking_pids is called once,
// and only while $1 waits.
const blockersQuery = `WITH w AS (
  SELECT pid FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'
), l AS (
  SELECT CASE WHEN relation IS NOT NULL THEN 'a lock on ' || relation::regclass::text
              ELSE 'a lock (' || locktype || ')' END AS what
    FROM pg_locks WHERE pid = $1 AND NOT granted LIMIT 1
)
SELECT a.pid, coalesce(a.state, ''), coalesce(a.usename::text, ''), coalesce(a.application_name, ''),
       coalesce(host(a.client_addr), CASE WHEN a.client_port = -1 THEN 'local socket' ELSE '' END),
       coalesce(extract(epoch FROM now() - a.state_change), 0)::float8,
       coalesce(extract(epoch FROM now() - a.xact_start), 0)::float8,
       coalesce(a.query, ''), coalesce((SELECT what FROM l), '')
  FROM w, unnest(pg_blocking_pids(w.pid)) AS b(pid)
  JOIN pg_stat_activity a ON a.pid = b.pid
 ORDER BY a.xact_start NULLS LAST, a.pid`

// queryBlockers asks, on a connection of db, which sessions block
// backend pid.
func queryBlockers(ctx context.Context, db *sql.DB, pid int) (waitedOn string, out []Blocker, err error) {
	rows, err := db.QueryContext(ctx, blockersQuery, pid)
	if err != nil {
		return "", nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var b Blocker
		var stateAge, xactAge float64
		if err := rows.Scan(&b.PID, &b.State, &b.User, &b.Application, &b.Client, &stateAge, &xactAge, &b.Query, &waitedOn); err != nil {
			return "", nil, err
		}
		b.StateAge = time.Duration(stateAge * float64(time.Second))
		b.XactAge = time.Duration(xactAge * float64(time.Second))
		b.Query = firstLine(b.Query)
		out = append(out, b)
	}
	return waitedOn, out, rows.Err()
}

// blockWatch polls, while a statement runs, which sessions block it,
// keeping the last non-empty answer.
type blockWatch struct {
	cancel   context.CancelFunc
	timer    *time.Timer
	done     chan struct{} // closed when the polling ends
	waitedOn string
	blockers []Blocker
	// waiting: the last look found the statement waiting for a lock;
	// freeAt is when a look first found it no longer waiting after that
	// (zero while it waits, and when it never did).
	waiting bool
	freeAt  time.Time
}

// watchBlockers starts watching backend pid, whose statement runs under
// timeout (the shorter of its lock_timeout and statement_timeout): a
// first look at half the timeout (at most a second after the start),
// then as often until stop.
func watchBlockers(ctx context.Context, db *sql.DB, pid int, timeout time.Duration) *blockWatch {
	every := min(timeout/2, time.Second)
	every = max(every, 5*time.Millisecond)
	wctx, cancel := context.WithCancel(ctx)
	w := &blockWatch{cancel: cancel, done: make(chan struct{})}
	w.timer = time.AfterFunc(every, func() {
		defer close(w.done)
		w.poll(wctx, db, pid, every)
	})
	return w
}

func (w *blockWatch) poll(ctx context.Context, db *sql.DB, pid int, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		on, bs, err := queryBlockers(ctx, db, pid)
		if err == nil && len(bs) > 0 {
			w.waitedOn, w.blockers = on, bs
		}
		switch {
		case err == nil && len(bs) > 0:
			w.waiting, w.freeAt = true, time.Time{}
		case err == nil && w.waiting:
			w.waiting, w.freeAt = false, time.Now()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// stop ends the watch and returns what it saw last: the lock waited for
// and its blockers, and when the statement was first seen no longer
// waiting after that (zero: it waited until the last look).
func (w *blockWatch) stop() (waitedOn string, blockers []Blocker, freeAt time.Time) {
	w.cancel()
	if !w.timer.Stop() {
		<-w.done
	}
	return w.waitedOn, w.blockers, w.freeAt
}
