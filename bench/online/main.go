// Command online is the writer load of the live-traffic benchmark
// (bench/online/run.sh): several connections INSERT into and UPDATE a
// table in a loop, each statement on its own (autocommit), while a
// migration runs. It reports how long the statements took — the longest
// is the longest any writer waited — and how many ran.
//
//	online -url URL load -rows N
//	online -url URL write -writers N
//
// load creates orgs (100 rows) and items (N rows) from nothing. write runs
// until SIGINT or SIGTERM; SIGUSR1 marks the start of the migration and
// SIGUSR2 its end, and the report gives the whole run and that window.
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

func main() {
	url := flag.String("url", os.Getenv("DATABASE_URL"), "PostgreSQL URL")
	rows := flag.Int("rows", 1_000_000, "load: rows of items")
	writers := flag.Int("writers", 4, "write: connections writing")
	flag.Parse()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, *url)
	if err != nil {
		fail(err)
	}
	defer pool.Close()
	switch flag.Arg(0) {
	case "load":
		err = load(ctx, pool, *rows)
	case "write":
		err = write(ctx, pool, *writers)
	default:
		err = fmt.Errorf("usage: online [-url URL] load [-rows N] | write [-writers N]")
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "online:", err)
	os.Exit(1)
}

// load fills the tables the benchmark's first revision created: every
// value set, emails distinct, org_id in orgs, so that each constraint of
// the second revision holds.
func load(ctx context.Context, pool *pgxpool.Pool, rows int) error {
	for _, q := range []string{
		"INSERT INTO orgs SELECT g FROM generate_series(1, 100) g",
		fmt.Sprintf(`INSERT INTO items (email, org_id, qty, note)
			SELECT 'seed' || g || '@example.com', 1 + g %% 100, g %% 1000, 'note ' || g
			FROM generate_series(1, %d) g`, rows),
		"VACUUM ANALYZE orgs",
		"VACUUM ANALYZE items",
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			return fmt.Errorf("%w\n%s", err, q)
		}
	}
	return nil
}

// sample is one statement: when it started and how long it took.
type sample struct {
	start time.Time
	took  time.Duration
}

// write runs the writers until SIGINT/SIGTERM and prints the report.
func write(ctx context.Context, pool *pgxpool.Pool, writers int) error {
	var maxID int64
	if err := pool.QueryRow(ctx, "SELECT max(id) FROM items").Scan(&maxID); err != nil {
		return err
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGUSR1, syscall.SIGUSR2)
	ctx, stop := context.WithCancel(ctx)
	var mu sync.Mutex
	var from, to time.Time
	begun := time.Now()
	go func() {
		for s := range sigs {
			mu.Lock()
			switch s {
			case syscall.SIGUSR1:
				from = time.Now()
			case syscall.SIGUSR2:
				to = time.Now()
			default:
				stop()
			}
			mu.Unlock()
		}
	}()
	samples := make([][]sample, writers)
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			samples[w], errs[w] = writer(ctx, pool, w, maxID)
		}()
	}
	wg.Wait()
	ended := time.Now()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	mu.Lock()
	defer mu.Unlock()
	all := slices.Concat(samples...)
	report("whole run", all, begun, ended)
	if !from.IsZero() {
		if to.IsZero() {
			to = ended
		}
		report("during the migration", all, from, to)
	}
	return nil
}

// writer loops until ctx ends: half INSERTs of a new row, half UPDATEs of
// a random existing one, each statement on its own.
func writer(ctx context.Context, pool *pgxpool.Pool, w int, maxID int64) ([]sample, error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	rng := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
	var out []sample
	for n := 0; ; n++ {
		start := time.Now()
		if n%2 == 0 {
			_, err = conn.Exec(ctx, "INSERT INTO items (email, org_id, qty, note) VALUES ($1, $2, $3, 'live')",
				fmt.Sprintf("w%d-%d-%d@example.com", w, start.UnixNano(), n), 1+rng.IntN(100), rng.IntN(1000))
		} else {
			_, err = conn.Exec(ctx, "UPDATE items SET qty = qty + 1 WHERE id = $1", 1+rng.Int64N(maxID))
		}
		if ctx.Err() != nil {
			return out, nil
		}
		if err != nil {
			return out, fmt.Errorf("writer %d: %w", w, err)
		}
		out = append(out, sample{start: start, took: time.Since(start)})
	}
}

// report prints the statements that overlap [from, to]: how many, per
// second, their 99th percentile and the longest.
func report(what string, all []sample, from, to time.Time) {
	var took []time.Duration
	for _, s := range all {
		if s.start.Before(to) && s.start.Add(s.took).After(from) {
			took = append(took, s.took)
		}
	}
	slices.Sort(took)
	secs := to.Sub(from).Seconds()
	var p99, longest time.Duration
	if n := len(took); n > 0 {
		p99, longest = took[min(n-1, n*99/100)], took[n-1]
	}
	fmt.Printf("%-22s %6.1f s  %8d statements  %7.0f/s  p99 %8s  max %8s\n",
		what, secs, len(took), float64(len(took))/secs, p99.Round(100*time.Microsecond), longest.Round(time.Millisecond))
}
