package migrate

// LockKeyForTest exposes the advisory lock key to tests.
func LockKeyForTest(schema, table string) int64 { return lockKey(versionTable{schema, table}) }

// WithoutTxControlCheck skips the plan-time refusal of transaction
// control in transactional revisions, so that tests reach the runtime
// check behind it.
func WithoutTxControlCheck() Option {
	return func(o *options) error { o.noTxControlCheck = true; return nil }
}
